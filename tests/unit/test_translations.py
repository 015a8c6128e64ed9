"""The Chinese edition is complete and current: every text has Chinese, no translation is stale.

A translation records the English it translates (``en`` beside ``zh`` in the catalog), so an
English text changed after it no longer matches: the test names the stale entry and the text
that now lacks Chinese. The generated notebooks must be the ones the catalogs give today.
"""
import json

import nbformat
import pytest

from ctopath.engine import i18n
from ctopath.engine.i18n import Msg, tr
from ctopath.tools import translate


@pytest.fixture(scope="module")
def found():
    return translate.problems("zh")


def _show(items, n=25):
    return "\n".join(items[:n]) + (f"\n… and {len(items) - n} more" if len(items) > n else "")


def test_every_text_a_learner_reads_has_chinese(found):
    missing = found.get("missing", [])
    assert not missing, f"{len(missing)} texts have no Chinese (`ctopath translate --todo`):\n{_show(missing)}"


def test_every_module_and_exercise_is_translated():
    from ctopath.course import all_modules

    table = i18n.catalog("zh")
    for module in all_modules():
        assert module.title in table, f"module {module.number} has no Chinese title"
        for ex in module.exercises:
            for field in ("title", "prompt", "solution"):
                assert translate._template(getattr(ex, field)) in table, f"{ex.id} has no Chinese {field}"


def test_no_translation_is_stale(found):
    stale = found.get("stale", [])
    assert not stale, f"{len(stale)} translations translate English that changed since:\n{_show(stale)}"


def test_translations_keep_every_figure_of_their_template(found):
    assert not found.get("fields"), _show(found["fields"])


def test_code_cells_are_translated_in_their_comments_only(found):
    assert not found.get("code"), _show(found["code"])


def test_no_text_is_built_in_a_way_that_cannot_be_translated(found):
    assert not found.get("untranslatable"), _show(found["untranslatable"])


def test_the_chinese_notebooks_are_generated_from_todays_english(found):
    assert not found.get("notebooks"), _show(found["notebooks"])


def test_a_chinese_notebook_runs_the_same_code_as_the_english():
    for english in translate.english_notebooks():
        zh = nbformat.read(translate.edition_path(english), as_version=4)
        en = nbformat.read(english, as_version=4)
        zh_code = [c.source for c in zh.cells if c.cell_type == "code" and c.get("id") != translate.LANGUAGE_CELL_ID]
        en_code = [c.source for c in en.cells if c.cell_type == "code"]
        assert zh_code[0].startswith("import ctopath\n\nctopath.set_language(\"zh\")"), english.name
        assert [translate._same_code(a, b) for a, b in zip(en_code, zh_code[1:])] == [True] * len(en_code)
        assert len(zh_code) == len(en_code) + 1, english.name


# -- the mechanism itself ----------------------------------------------------------------------

@pytest.fixture
def tiny_catalog(monkeypatch):
    table = {"You found {n} of {total}.": "你找到了 {total} 个中的 {n} 个。", "high": "高",
             "{value} is too {direction}.": "{value} 太{direction}了。", "Check": "检查"}
    monkeypatch.setattr(i18n, "catalog", lambda lang: table if lang == "zh" else {})
    yield table
    i18n.set_language(None)


def test_a_template_is_english_until_it_is_shown_in_chinese(tiny_catalog):
    msg = Msg("You found {n} of {total}.", n=3, total=4)
    assert msg == "You found 3 of 4." and isinstance(msg, str)
    assert tr(msg, "en") == "You found 3 of 4."
    assert tr(msg, "zh") == "你找到了 4 个中的 3 个。"
    nested = Msg("{value} is too {direction}.", value=12, direction="high")
    assert tr(nested, "zh") == "12 太高了。"


def test_joined_texts_stay_translatable(tiny_catalog):
    both = Msg("You found {n} of {total}.", n=1, total=2) + " " + "Check"
    assert both == "You found 1 of 2. Check"
    assert tr(both, "zh") == "你找到了 2 个中的 1 个。 检查"
    assert tr(i18n.join(["Check", "high"], " · "), "zh") == "检查 · 高"


def test_a_text_without_chinese_stays_english(tiny_catalog):
    assert tr("Nothing translated here.", "zh") == "Nothing translated here."


def test_the_language_comes_from_the_setting_then_the_environment(monkeypatch):
    monkeypatch.setenv("CTOPATH_LANG", "zh_CN.UTF-8")
    i18n.set_language(None)
    assert i18n.language() == "zh"
    assert i18n.set_language("en") == "en" and i18n.language() == "en"
    i18n.set_language(None)
    monkeypatch.setenv("CTOPATH_LANG", "klingon")
    assert i18n.language() == "en"  # an unknown setting never breaks a notebook
    with pytest.raises(ValueError, match="'en' or 'zh'"):
        i18n.set_language("klingon")


def test_catalog_files_are_lists_of_entries_with_english_and_chinese():
    root = translate.LOCALE / "zh"
    files = sorted(root.glob("*.json")) + sorted((root / "notebooks").glob("*.json"))
    assert len(files) >= 8 + 14, [f.name for f in files]
    for file in files:
        entries = json.loads(file.read_text(encoding="utf-8"))
        assert isinstance(entries, list) and entries, file.name
        for e in entries:
            assert set(e) >= {"en", "zh"} and e["zh"].strip(), f"{file.name}: {e.get('en', '')[:60]!r}"


def test_an_edited_english_text_is_reported_missing_and_its_old_translation_stale(monkeypatch):
    """The checks above can fail: edit one English text, and both sides of the change are named."""
    text = translate.registry_texts()[0]
    real_entries, real_catalog = i18n.entries("zh"), dict(i18n.catalog("zh"))
    old = {"en": text.en + " (before the edit)", "zh": "旧的译文", "where": text.where, "file": text.catalog}
    monkeypatch.setattr(i18n, "entries", lambda lang: (*[e for e in real_entries if e["en"] != text.en], old))
    monkeypatch.setattr(i18n, "catalog", lambda lang: {k: v for k, v in real_catalog.items() if k != text.en})
    found = translate.problems("zh")
    assert any(text.en[:60] in m for m in found["missing"])
    assert any("(before the edit)" in s for s in found["stale"])


def test_an_exercise_done_in_chinese_counts_in_english(tmp_path):
    """One progress store for both editions: records are keyed by exercise id, never by language."""
    from ctopath import registry
    from ctopath.engine.progress import ProgressStore
    from ctopath.engine.widgets import ExerciseView

    ex = registry()["01.3"]
    path = tmp_path / "progress.json"
    i18n.set_language("zh")
    try:
        fb = ExerciseView(ex, store=ProgressStore(path)).submit(ex.reference_answer())
    finally:
        i18n.set_language(None)
    assert fb.status == "correct"
    assert ProgressStore(path).get("01.3")["status"] == "correct"
    english = ExerciseView(ex, store=ProgressStore(path))  # a new kernel, in English
    assert "Restored your last answer" in english.feedback.value and "Correct" in english.feedback.value


def test_a_slip_checked_in_chinese_reads_in_english_when_reopened_in_english(tmp_path):
    """The saved words follow the page: reopened in the other edition, the feedback is re-worded;
    the saved status and score stand."""
    from ctopath import registry
    from ctopath.engine.progress import ProgressStore
    from ctopath.engine.widgets import ExerciseView

    ex = registry()["01.3"]
    path = tmp_path / "progress.json"
    i18n.set_language("zh")
    try:
        fb = ExerciseView(ex, store=ProgressStore(path)).submit(ex.reference_answer() / 100)
        assert fb.status == "incorrect" and "百分数" in fb.message
        assert ProgressStore(path).get("01.3")["message_lang"] == "zh"
        again_zh = ExerciseView(ex, store=ProgressStore(path)).feedback.value
    finally:
        i18n.set_language(None)
    english = ExerciseView(ex, store=ProgressStore(path)).feedback.value
    assert "fraction" in english and "百分数" not in english and "Not yet" in english
    assert "百分数" in again_zh
    assert ProgressStore(path).get("01.3")["attempts"] == 1  # re-wording is not another attempt
