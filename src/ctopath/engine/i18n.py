"""The learner's language. Texts are written once, in English, and translated when shown.

Exercise definitions and checkers hold English only. Everything a learner reads passes through
:func:`tr` at the moment it is displayed (titles, prompts, options, hints, feedback, labels), and
one catalog per language maps each English text to its translation:
``ctopath/locale/<lang>/*.json``, a list of ``{"en": ..., "<lang>": ..., "where": ...}``. The
``en`` stored beside a translation is the English it translates: when the English changes, the
entry no longer matches, and ``tests/unit/test_translations.py`` names it (stale) together with
the English that now lacks a translation (missing). Adding a language adds catalogs, not code.

Texts with figures in them are :class:`Msg` templates. ``Msg("You found {n} of {total}.", n=3,
total=4)`` *is* the English string (so code and tests reading English keep working) and also
remembers its template, which :func:`tr` translates before filling in the same values. Adding
two texts keeps both templates (``Msg + str`` is a ``Msg``).

The language: :func:`set_language` in a kernel (``ctopath.set_language("zh")``), else the
``CTOPATH_LANG`` environment variable (``ctopath lab --lang zh`` sets it), else English.
"""
from __future__ import annotations

import json
import os
import string
from functools import lru_cache
from importlib import resources
from typing import Any

LANGUAGES = {"en": "English", "zh": "中文"}
_ALIASES = {"en": "en", "english": "en", "zh": "zh", "cn": "zh", "chinese": "zh", "中文": "zh"}
_chosen: str | None = None


def normalise(lang: str) -> str:
    """``"zh"``, ``"zh_CN"``, ``"zh-CN.UTF-8"`` → ``"zh"``; a language we do not have is a clear error."""
    key = str(lang).strip().lower().replace("-", "_").split(".")[0]
    found = _ALIASES.get(key) or _ALIASES.get(key.split("_")[0])
    if found is None:
        raise ValueError(f"The workshop speaks {', '.join(f'{k} ({v})' for k, v in LANGUAGES.items())}; "
                         f"{lang!r} is not one of them. Use 'en' or 'zh'.")
    return found


def language() -> str:
    """The language texts are shown in now."""
    if _chosen is not None:
        return _chosen
    env = os.environ.get("CTOPATH_LANG", "").strip()
    if not env:
        return "en"
    try:
        return normalise(env)
    except ValueError:
        return "en"


def set_language(lang: str | None) -> str:
    """Show every text from now on in ``lang`` ("en" or "zh"); ``None`` goes back to ``CTOPATH_LANG``."""
    global _chosen
    _chosen = None if lang is None else normalise(lang)
    if language() != "en":
        from . import fonts

        fonts.prepare_charts()  # figures laid out from now on measure their Chinese with a Chinese font
    return language()


class Msg(str):
    """An English text with figures in it, which remembers its template so it can be translated."""

    template: str
    values: dict

    def __new__(cls, template: str, /, **values: Any) -> "Msg":
        self = super().__new__(cls, template.format(**values) if values else template)
        self.template = template
        self.values = values
        return self

    def __add__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        return Msg("{_a}{_b}", _a=self, _b=other)

    def __radd__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        return Msg("{_a}{_b}", _a=other, _b=self)

    def __reduce__(self):  # a pickled or copied Msg keeps its template
        return (_rebuild, (self.template, self.values))


def _rebuild(template, values):
    return Msg(template, **values)


def join(parts, sep: str = " ") -> str:
    """``sep.join(parts)`` that keeps each part translatable."""
    parts = list(parts)
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        out = Msg("{_a}{_s}{_b}", _a=out, _s=sep, _b=part)
    return out


def _locale_root():
    return resources.files("ctopath").joinpath("locale")


@lru_cache(maxsize=None)
def entries(lang: str) -> tuple[dict, ...]:
    """Every catalog entry of ``lang``, from all its files (``notebooks/`` too, with ``file`` set)."""
    if lang == "en":
        return ()
    root = _locale_root().joinpath(lang)
    found: list[dict] = []
    if not root.is_dir():
        return ()
    for sub in sorted([root, *[p for p in root.iterdir() if p.is_dir()]], key=lambda p: p.name):
        for file in sorted((p for p in sub.iterdir() if p.name.endswith(".json")), key=lambda p: p.name):
            rel = file.name if sub == root else f"{sub.name}/{file.name}"
            for entry in json.loads(file.read_text(encoding="utf-8")):
                found.append({**entry, "file": rel})
    return tuple(found)


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """English text → its translation, for the package's own texts (not the notebooks' cells)."""
    return {e["en"]: e[lang] for e in entries(lang) if not e["file"].startswith("notebooks/") and e.get(lang)}


def fields(template: str) -> set[str]:
    """The names a template fills in ({n}, {total:,}), so a translation can be checked to keep them."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def tr(text: Any, /, lang: str | None = None, **values: Any) -> str:
    """``text`` in the current language (or ``lang``). A ``Msg``'s template is translated, then filled in.

    A text with no translation stays English, so nothing a learner needs ever disappears.
    """
    if text is None:
        return ""
    lang = lang or language()
    if isinstance(text, Msg):
        template, vals = text.template, {**text.values, **values}
    else:
        template, vals = str(text), values
    if lang != "en":
        template = catalog(lang).get(template, template)
        vals = {k: tr(v, lang) if isinstance(v, str) else v for k, v in vals.items()}
    return template.format(**vals) if vals else template


class Verbatim:
    """A value a template shows exactly as it is, never translated: a column or table name, an id,
    a learner's own answer. ``Msg("No column {name!r}.", name=Verbatim("incidents"))`` stays
    ``'incidents'`` in Chinese too, even though the catalog translates the word "incidents"."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return repr(self.value)

    def __eq__(self, other) -> bool:
        return self.value == (other.value if isinstance(other, Verbatim) else other)

    def __hash__(self) -> int:
        return hash(self.value)

    def __reduce__(self):
        return (Verbatim, (self.value,))
