"""The Chinese edition: what needs translating, what is stale, and the generated notebooks.

    python -m ctopath translate              write zh/notebooks/ and zh/exercises/answers/ from the
                                             English notebooks and the catalogs (outputs: `make outputs`)
    python -m ctopath translate --check      exit 1 if a text lacks Chinese, a translation is stale,
                                             or a generated notebook is out of date
    python -m ctopath translate --todo       list every English text without Chinese, by catalog file

Texts are English in the code; ``src/ctopath/locale/zh/*.json`` holds each text's Chinese next to
the English it translates (see ``ctopath.engine.i18n``). A notebook's cells are translated by
``src/ctopath/locale/zh/notebooks/<notebook>.json``: each markdown cell as a whole, and code cells
only in their comments and the prose of their strings (alt texts, printed sentences); the code
itself is the English notebook's, so logic lives once (``_same_code`` checks it).
"""
from __future__ import annotations

import argparse
import ast
import copy
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..engine import i18n
from ..engine.i18n import Msg
from ..shipped import REPO

LANG = "zh"
PACKAGE = Path(__file__).resolve().parents[1]
LOCALE = PACKAGE / "locale"
EDITION = {"zh": REPO / "zh"}
#: The cell each generated notebook starts its code with; its id is fixed so a re-generation is stable.
LANGUAGE_CELL_ID = "set-language"
LANGUAGE_CELL = 'import ctopath\n\nctopath.set_language("{lang}")  # {note}'
LANGUAGE_NOTE = {"zh": "本笔记本的文字、练习和反馈都用中文显示"}
_TEXT_FIELDS = ("title", "prompt", "solution", "partial_message", "correct_message", "missed_note", "explanation",
                "success_message", "model_answer", "example_answer", "unit", "expects", "score_name")


@dataclass(frozen=True)
class Text:
    en: str
    where: str
    catalog: str   # the catalog file it belongs in, e.g. "m02.json"


def _template(value) -> str:
    return value.template if isinstance(value, Msg) else str(value)


def _catalog_for(path: Path) -> str:
    rel = path.relative_to(PACKAGE).parts
    if rel[0] == "course" and len(rel) > 2 and rel[1][:1] == "m":
        return f"{rel[1][:3]}.json"
    if rel[0] in ("tools",) or rel[-1] == "cli.py":
        return "tools.json"
    return "engine.json"


def registry_texts() -> list[Text]:
    """Every static text the modules give the engine: titles, prompts, options, hints, slips …"""
    from ..course import all_modules

    out: list[Text] = []
    for module in all_modules():
        cat = f"m{module.number}.json"

        def add(value, where):
            if isinstance(value, str) and value.strip():
                out.append(Text(_template(value), where, cat))

        add(module.title, f"module {module.number} title")
        add(module.article_passage, f"module {module.number} article passage")
        for i, q in enumerate(module.discussion):
            add(q, f"module {module.number} discussion {i + 1}")
        for ex in module.exercises:
            for name in _TEXT_FIELDS:
                add(getattr(ex, name, None), f"{ex.id} {name}")
            for i, hint in enumerate(ex.hints):
                add(hint, f"{ex.id} hint {i + 1}")
            for opt in getattr(ex, "options", ()) or ():
                add(opt.label, f"{ex.id} option {opt.key}")
                add(getattr(opt, "feedback", ""), f"{ex.id} option {opt.key} feedback")
            for key, label in (getattr(ex, "items", None) or {}).items():
                add(label, f"{ex.id} item {key}")
            for slip in getattr(ex, "slips", ()) or ():
                add(slip.message, f"{ex.id} slip")
            for p in getattr(ex, "params", ()) or ():
                add(p.label, f"{ex.id} param {p.name}")
                add(p.unit, f"{ex.id} param {p.name} unit")
    return out


def code_texts() -> tuple[list[Text], list[str]]:
    """Every ``Msg("…")`` and ``tr("…")`` in the package's code; and the calls that cannot be translated."""
    out: list[Text] = []
    problems: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "i18n.py" and path.parent.name == "engine":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(PACKAGE)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in ("Msg", "tr"):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                if first.value.strip() and not set(first.value) <= set("{}_ab s"):
                    out.append(Text(first.value, f"{rel}:{node.lineno}", _catalog_for(path)))
            elif isinstance(first, ast.JoinedStr) and name == "Msg":
                problems.append(f"{rel}:{node.lineno}: Msg(f\"…\") cannot be translated; write a template and values")
    return out, problems


def package_texts() -> tuple[list[Text], list[str]]:
    code, problems = code_texts()
    return registry_texts() + code, problems


# -- notebooks ------------------------------------------------------------------------------

def english_notebooks(root: Path = REPO) -> list[Path]:
    return sorted((root / "notebooks").glob("*.ipynb")) + sorted((root / "exercises" / "answers").glob("*.ipynb"))


def edition_path(english: Path, lang: str = LANG) -> Path:
    return EDITION[lang] / english.relative_to(REPO)


def notebook_texts(path: Path) -> list[Text]:
    nb = nbformat.read(path, as_version=4)
    cat = f"notebooks/{path.stem}.json"
    return [Text(cell.source, f"{path.relative_to(REPO)} cell {i}", cat)
            for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown" and cell.source.strip()]


class _Words(ast.NodeTransformer):
    """Blank out the prose in code: string literals with a space in them (a chart's alt text, a
    printed sentence). Strings without one (a table's or column's name, an id) stay, so they must match."""

    def visit_Constant(self, node):
        if isinstance(node.value, str) and any(ch.isspace() or ord(ch) > 127 for ch in node.value):
            return ast.copy_location(ast.Constant("<words>"), node)
        return node


def _code_shape(source: str) -> str:
    return ast.dump(_Words().visit(ast.parse(source)))


def _same_code(a: str, b: str) -> bool:
    """The same program: only comments and the prose of string literals may differ."""
    try:
        return _code_shape(a) == _code_shape(b)
    except SyntaxError:
        return False


def notebook_catalog(stem: str, lang: str = LANG) -> dict[str, str]:
    return {e["en"]: e[lang] for e in i18n.entries(lang) if e["file"] == f"notebooks/{stem}.json" and e.get(lang)}


def build_notebook(english: Path, lang: str = LANG):
    """The ``lang`` edition of one English notebook: cells translated, code unchanged, no outputs."""
    nb = nbformat.read(english, as_version=4)
    table = notebook_catalog(english.stem, lang)
    out = copy.deepcopy(nb)
    cells = []
    inserted = False
    for cell in out.cells:
        if cell.cell_type == "code" and not inserted:
            setup = nbformat.v4.new_code_cell(LANGUAGE_CELL.format(lang=lang, note=LANGUAGE_NOTE[lang]))
            setup.id = LANGUAGE_CELL_ID
            cells.append(setup)
            inserted = True
        translated = table.get(cell.source)
        if translated is not None and (cell.cell_type == "markdown" or _same_code(cell.source, translated)):
            cell.source = translated
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    out.cells = cells
    out.metadata.setdefault("ctopath", {})["language"] = lang
    return out


def _sources(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source) for c in nb.cells]


# -- checking ---------------------------------------------------------------------------------

def problems(lang: str = LANG) -> dict[str, list[str]]:
    """Everything that keeps the edition from being complete and current, by kind."""
    found: dict[str, list[str]] = defaultdict(list)
    texts, calls = package_texts()
    found["untranslatable"] = calls
    current = {t.en for t in texts}
    table = i18n.catalog(lang)
    for t in texts:
        if t.en not in table:
            found["missing"].append(f"{t.catalog} ← {t.where}: {t.en[:100]!r}")
    for e in i18n.entries(lang):
        where = f"{e['file']} ({e.get('where', '')})"
        if e["file"].startswith("notebooks/"):
            continue
        if e["en"] not in current:
            found["stale"].append(f"{where}: translates English that is no longer used: {e['en'][:100]!r}")
        elif e.get(lang) and i18n.fields(e["en"]) != i18n.fields(e[lang]):
            found["fields"].append(f"{where}: {sorted(i18n.fields(e['en']))} in English, "
                                   f"{sorted(i18n.fields(e[lang]))} in the translation of {e['en'][:60]!r}")
    for english in english_notebooks():
        stem = english.stem
        cells = {c.source: c.cell_type for c in nbformat.read(english, as_version=4).cells}
        table = notebook_catalog(stem, lang)
        for t in notebook_texts(english):
            if t.en not in table:
                found["missing"].append(f"{t.catalog} ← {t.where}: {t.en[:100]!r}")
        for e in i18n.entries(lang):
            if e["file"] != f"notebooks/{stem}.json":
                continue
            if e["en"] not in cells:
                found["stale"].append(f"{e['file']}: translates a cell that is no longer in {english.name}: "
                                      f"{e['en'][:100]!r}")
            elif cells[e["en"]] == "code" and not _same_code(e["en"], e.get(lang, "")):
                found["code"].append(f"{e['file']}: a code cell's translation changes its code, not only comments: "
                                     f"{e['en'][:80]!r}")
        target = edition_path(english, lang)
        if not target.exists():
            found["notebooks"].append(f"{target.relative_to(REPO)} is missing: run `ctopath translate`")
        elif _sources(nbformat.read(target, as_version=4)) != _sources(build_notebook(english, lang)):
            found["notebooks"].append(f"{target.relative_to(REPO)} is out of date: run `ctopath translate`, "
                                      f"then `make outputs`")
    return {k: v for k, v in found.items() if v}


def write_notebooks(lang: str = LANG) -> list[Path]:
    """Write each edition notebook whose cells changed (stored outputs are kept when nothing did)."""
    from .release import write

    written = []
    for english in english_notebooks():
        target = edition_path(english, lang)
        fresh = build_notebook(english, lang)
        if target.exists() and _sources(nbformat.read(target, as_version=4)) == _sources(fresh):
            continue
        write(fresh, target)
        written.append(target)
    return written


def todo(lang: str = LANG) -> dict[str, list[dict]]:
    """The catalog entries still to write, by file: {"en", "zh": "", "where"}."""
    texts, _ = package_texts()
    for english in english_notebooks():
        texts += notebook_texts(english)
    have = {**i18n.catalog(lang)}
    for english in english_notebooks():
        have.update(notebook_catalog(english.stem, lang))
    out: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    for t in texts:
        if t.en in have or (t.catalog, t.en) in seen:
            continue
        seen.add((t.catalog, t.en))
        out[t.catalog].append({"en": t.en, lang: "", "where": t.where})
    return dict(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ctopath translate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail on missing or stale translations")
    parser.add_argument("--todo", action="store_true", help="print the entries still to write, as JSON")
    args = parser.parse_args(argv)
    if args.todo:
        json.dump(todo(), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if args.check:
        found = problems()
        for kind, items in found.items():
            print(f"{kind} ({len(items)}):", *items[:40], sep="\n  ")
            if len(items) > 40:
                print(f"  … and {len(items) - 40} more (`ctopath translate --todo` lists them all)")
        if found:
            return 1
        print("the Chinese edition is complete and current")
        return 0
    for path in write_notebooks():
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
