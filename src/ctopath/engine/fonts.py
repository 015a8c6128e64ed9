"""Fonts for charts in Chinese: a chart's Chinese text is drawn with a font that has the glyphs.

matplotlib's default font (DejaVu Sans) has no Chinese characters, and a missing glyph is drawn as
an empty box. :func:`cjk_fonts` names the fonts with Chinese glyphs that are installed (Noto Sans
CJK on Debian/Ubuntu, PingFang on macOS, Microsoft YaHei on Windows …); :func:`use_cjk_font` gives
every text of a figure that holds Chinese one of them, just before the figure is drawn.
Without such a font, chart texts stay English (see ``ctopath.charts.label``).
"""
from __future__ import annotations

import html
import re
import sys
import warnings
from functools import lru_cache

from . import i18n
from .i18n import Msg, language, tr

#: Fonts with Chinese glyphs, best first: Linux, macOS, Windows, then common others.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "PingFang SC",
             "Hiragino Sans GB", "Microsoft YaHei", "SimHei", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "Noto Sans CJK JP", "Noto Sans CJK TC", "Arial Unicode MS")

#: How to get one, said once when a chart in Chinese has to stay English.
INSTALL_HINT = Msg("Charts stay in English: no font with Chinese characters is installed. To draw them in Chinese, "
                   "install one (Debian/Ubuntu: sudo apt install fonts-noto-cjk; macOS has PingFang and Windows "
                   "has Microsoft YaHei built in), then restart the kernel.")

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a Chinese (CJK) character or punctuation."""
    return bool(_CJK.search(str(text)))


@lru_cache(maxsize=1)
def _installed() -> tuple[str, ...]:
    from matplotlib import font_manager

    have = {f.name for f in font_manager.fontManager.ttflist}
    return tuple(name for name in CJK_FONTS if name in have)


def cjk_fonts() -> list[str]:
    """The installed fonts that have Chinese glyphs, best first ([] if there is none)."""
    return list(_installed())


def families(fonts: list[str]) -> list[str]:
    """A font list for Chinese text: the CJK font first, DejaVu Sans for anything it lacks."""
    return [*fonts, "DejaVu Sans"]


def use_cjk_font(fig, fonts: list[str] | None = None) -> None:
    """Give every text of ``fig`` that holds Chinese a font that can draw it (nothing else changes).

    Without such a font, a translated text goes back to its English (when the catalog has it whole),
    so the chart shows words, not empty boxes, and the notebook says once how to get a font.
    """
    from matplotlib.text import Text

    texts = [t for t in fig.findobj(Text) if has_cjk(t.get_text())]
    if not texts:
        return
    fonts = cjk_fonts() if fonts is None else fonts
    if fonts:
        for text in texts:
            text.set_fontfamily(families(fonts))
        return
    for text in texts:
        text.set_text(english_of(text.get_text()))
    tell_about_fonts()


def english_of(text: str, lang: str | None = None) -> str:
    """The English a translated text came from: a whole catalog entry, or a template filled in
    (its values turned back too). A text the catalog cannot explain is returned as it is."""
    lang = lang or language()
    if lang == "en" or not has_cjk(text):
        return text
    whole, templates = _reverse(lang)
    if text in whole:
        return whole[text]
    for pattern, names, english in templates:
        found = pattern.fullmatch(text)
        if found:
            values = {name: english_of(found.group(f"f{i}"), lang) for i, name in enumerate(names)}
            return _FIELD.sub(lambda m: values.get(_name(m.group(1)), m.group(0)), english)
    return text


_FIELD = re.compile(r"\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")


def _name(field: str) -> str:
    return re.split(r"[!:.\[]", field, maxsplit=1)[0]


@lru_cache(maxsize=4)
def _reverse(lang: str):
    """(translation → English for texts without fields, [(regex of a translated template, its field names, English)])."""
    whole, templates = {}, []
    for en, translated in i18n.catalog(lang).items():
        if "{" not in translated:
            whole.setdefault(translated, en)
            continue
        names, parts, last = [], [], 0
        for m in _FIELD.finditer(translated):
            parts.append(re.escape(translated[last:m.start()]))
            name = _name(m.group(1))
            if name in names:  # the same value twice: match it again
                parts.append(f"(?P=f{names.index(name)})")
            else:
                parts.append(f"(?P<f{len(names)}>.+?)")
                names.append(name)
            last = m.end()
        parts.append(re.escape(translated[last:]))
        if any(p for p in parts[::2]):  # a template of fields only would match anything
            templates.append((re.compile("".join(parts), re.S), names, en))
    templates.sort(key=lambda t: -len(t[0].pattern))  # the most specific first
    return whole, templates


_told = False


def tell_about_fonts() -> None:
    """Say once per kernel why charts stay English and how to install a font with Chinese glyphs."""
    global _told
    if _told:
        return
    _told = True
    sentence = tr(INSTALL_HINT)
    shell = None
    if "IPython" in sys.modules:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is not None:
        from IPython.display import display

        display({"text/html": f'<div class="ctopath-note">ℹ️ {html.escape(sentence)}</div>',
                 "text/plain": f"ℹ️ {sentence}"}, raw=True)
    else:
        warnings.warn(sentence, stacklevel=3)
