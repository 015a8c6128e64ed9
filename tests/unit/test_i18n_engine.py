"""The engine in Chinese: every text a view shows goes through tr(), feedback comes back translated,
English stays exactly as it was, and a Chinese chart draws its glyphs (or stays English without a font)."""
import json
import re
import warnings
from importlib import resources

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import ctopath  # noqa: E402
from ctopath import charts, data  # noqa: E402
from ctopath.engine import fonts, i18n  # noqa: E402
from ctopath.engine.exercise import (ChoiceExercise, DataExercise, Feedback, MultiExercise, NumberExercise,  # noqa: E402
                                     Option, Slip, feedback_html)
from ctopath.engine.i18n import Msg, tr  # noqa: E402
from ctopath.engine.progress import ProgressStore, report  # noqa: E402
from ctopath.errors import DataError  # noqa: E402

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")

# What a module's catalog would hold for this exercise (the module catalogs are written beside this one).
EXERCISE_ZH = {
    "Paying merchants": "付费商户",
    "How many merchants paid in March?": "三月有多少商户付费？",
    "Count merchants, not orders.": "数商户，不是数订单。",
    "Filter on March first.": "先筛选三月。",
    "Count the distinct merchant_id values.": "统计不重复的 merchant_id 个数。",
    "That counts orders, not merchants.": "这数的是订单，不是商户。",
}


@pytest.fixture
def zh(monkeypatch, store_path):
    real = i18n.catalog

    def with_exercise(lang):
        return {**real(lang), **EXERCISE_ZH} if lang == "zh" else real(lang)

    monkeypatch.setattr(i18n, "catalog", with_exercise)
    ctopath.set_language("zh")
    yield
    ctopath.set_language(None)


def paying():
    return NumberExercise("99.7", "Paying merchants", "How many merchants paid in March?", answer=120,
                          hints=["Count merchants, not orders.", "Filter on March first."],
                          solution="Count the distinct merchant_id values.", minutes=3,
                          slips=[Slip(480, "That counts orders, not merchants.")])


def test_the_engine_catalog_keeps_every_field_and_has_no_duplicates():
    entries = json.loads(resources.files("ctopath").joinpath("locale/zh/engine.json").read_text(encoding="utf-8"))
    seen = set()
    for entry in entries:
        assert entry["zh"].strip() and entry["where"], entry
        assert entry["en"] not in seen, f"twice: {entry['en']!r}"
        seen.add(entry["en"])
        assert i18n.fields(entry["en"]) == i18n.fields(entry["zh"]), entry["en"]
    for en in ("Check", "Hint", "Show solution", "Reset", "Run", "Correct", "Partly correct", "Not yet",
               "Not attempted", "Invalid input", "Saved"):
        assert en in seen, en


def test_set_language_is_part_of_the_public_api():
    try:
        assert ctopath.set_language("zh") == "zh" and ctopath.language() == "zh"
        assert ctopath.set_language("en") == "en"
    finally:
        ctopath.set_language(None)
    assert {"set_language", "language"} <= set(ctopath.__all__)


def test_a_view_in_chinese_shows_chinese_buttons_title_prompt_hints_and_solution(zh):
    view = paying().view()
    assert [b.description for b in (view.check_button, view.hint_button, view.solution_button,
                                    view.reset_button)] == ["检查", "提示", "查看答案", "重置"]
    assert "付费商户" in view.header.value and "三月有多少商户付费？" in view.header.value
    assert "练习 99.7" in view.header.value and "约 3 分钟 · 类型：数值题" in view.header.value
    assert view.input.widget.description == "你的答案："
    assert "未作答" in view.feedback.value and "在上面作答" in view.feedback.value
    assert view.show_hint() == "数商户，不是数订单。"
    assert "第 1 条提示，共 2 条" in view.hint_area.value
    assert view.show_solution() == "统计不重复的 merchant_id 个数。"
    assert "答案" in view.solution_area.value and "记录在你的进度里" in view.solution_area.value
    assert "练习 99.7 · 付费商户" in view._repr_mimebundle_()["text/plain"]


def test_feedback_comes_back_in_chinese_from_a_slip_and_from_the_engine(zh):
    ex = paying()
    slip = ex.submit(480)
    assert slip.status == "incorrect" and slip.message == "这数的是订单，不是商户。"
    assert "还不对" in ex._view.feedback.value and "这数的是订单" in ex._view.feedback.value
    high = ex.check(130)
    assert high.message.startswith("130.00 偏高。"), high.message
    assert "还未作答" in ex.check(ctopath.____).message
    assert "输入框是空的" in ex.check("  ").message
    assert ex.check(120).message == "对：120.00。"


def test_the_static_html_of_a_stored_output_uses_the_translated_label(zh):
    html = feedback_html(Feedback("partial", 0.5, Msg("{n} of {total} targets met.\n{lines}", n=1, total=2,
                                                      met=1, lines="✓ a")))
    assert "部分正确" in html and "得分 0.5" in html
    assert repr(Feedback("incorrect", 0, "Not this one.")).startswith("❌ 还不对：不是这个。")


def test_choice_and_multi_views_translate_their_options_and_feedback(zh, monkeypatch):
    real = i18n.catalog
    options = {"Orders": "订单", "Merchants": "商户", "Counts merchants.": "数的是商户。"}
    monkeypatch.setattr(i18n, "catalog", lambda lang: {**real(lang), **options} if lang == "zh" else real(lang))
    choice = ChoiceExercise("99.8", "Unit", "Which?", options=[
        Option("a", "Orders", feedback="Not this one."), Option("b", "Merchants", True, "Counts merchants.")],
        hints=["h1", "h2"], solution="b", minutes=1)
    assert [label for label, _key in choice.view().input.widget.options] == ["订单", "商户"]
    assert choice.check("b").message == "数的是商户。"
    multi = MultiExercise("99.9", "Units", "Which?", options=[
        Option("a", "Orders", True), Option("b", "Merchants", True)], hints=["h1", "h2"], solution="a, b", minutes=1)
    assert [box.description for box in multi.view().input.boxes.values()] == ["订单", "商户"]
    assert multi.check(["a"]).message.startswith("2 个正确选项中选对了 1 个。\n✓ 你勾选的项中有 1 个是对的。")


def test_in_english_every_message_is_unchanged_and_keeps_its_template(store_path):
    ex = paying()
    fb = ex.check(130)
    assert fb.message == ("130.00 is too high. Check which rows you included and the definition in the prompt; "
                          "the hints can help.")
    assert isinstance(fb.message, Msg) and tr(fb.message, lang="zh").startswith("130.00 偏高")
    data_ex = DataExercise("99.6", "Ids", "Which?", expected=["M1", "M2"], answer_name="ids", id_column="merchant_id",
                           hints=["h1", "h2"], solution="s", minutes=1)
    assert data_ex.check(["M1", "M3"]).message == ("Not yet: You found 1 of 2; 1 missing (e.g. M2); 1 that should "
                                                   "not be there (e.g. M3). The hints can help.")
    assert [b.description for b in (lambda v: (v.check_button, v.hint_button))(ex.view())] == ["Check", "Hint"]


def test_progress_report_and_data_errors_in_chinese(zh):
    ProgressStore().record_check("01.1", 1, Feedback("correct", 1.0, "ok"))
    shown = report()._repr_html_()
    assert "<th>模块</th>" in shown and "<th>下一个</th>" in shown and "已完成" in shown
    with pytest.raises(DataError) as caught:
        data.load("no_such_table")
    assert tr(caught.value.message).startswith("没有名为 'no_such_table' 的表。")


def _chart_texts(fig):
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def _radar_drawn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a UserWarning: fail on it
        fig = charts.radar({k: 3 for k in ctopath.models.career.SKILLS})
        png = ctopath.engine.widgets.figure_png(fig)
    return fig, png


def test_a_chinese_chart_draws_every_glyph_with_a_cjk_font(zh):
    if not fonts.cjk_fonts():
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk)")
    fig, png = _radar_drawn()
    texts = _chart_texts(fig)
    assert png.startswith(b"\x89PNG") and "你的自我评估（1 = 从没做过，5 = 能教别人）" in texts
    assert tr("chassis") in texts and tr("whole business") in texts and CJK.search(tr("chassis"))
    assert charts.label("Axis 1 — your career stage") == "轴一 —— 你的职业阶段"
    assert charts.label(Msg("{n} hints, one at a time", n=3)) == "共 3 条提示，每次显示一条"


def test_without_a_cjk_font_a_chinese_chart_stays_english_and_says_once_how_to_get_one(zh, monkeypatch):
    monkeypatch.setattr(charts, "_cjk_font", lambda: [])
    monkeypatch.setattr(fonts, "_told", False)
    with pytest.warns(UserWarning, match="fonts-noto-cjk") as told:
        assert charts.label("Axis 1 — your career stage") == "Axis 1 — your career stage"
        assert charts.label("Hints") == "Hints"
    assert len([w for w in told if "fonts-noto-cjk" in str(w.message)]) == 1
    fig = charts.radar({k: 3 for k in ctopath.models.career.SKILLS})
    try:
        assert not [t for t in _chart_texts(fig) if CJK.search(t)]
    finally:
        plt.close(fig)
    map_fig = charts.article_map()
    try:
        assert not [t for t in _chart_texts(map_fig) if CJK.search(t)]
    finally:
        plt.close(map_fig)


def test_the_article_map_in_chinese_fits_its_boxes(zh):
    found = charts._cjk_font()
    if not found:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk)")
    from test_charts import _check_layout

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = charts.article_map()
        fig.canvas.draw()
    try:
        texts = _check_layout(fig)
    finally:
        plt.close(fig)
    joined = "\n".join(texts)
    assert "文章里的路径" in joined and "《CTO 如何帮助业务?》" in joined and "稳底盘" in joined


def test_a_figure_translated_with_tr_but_no_font_is_drawn_in_english(zh, monkeypatch):
    from ctopath.engine.widgets import figure_png

    monkeypatch.setattr(fonts, "cjk_fonts", lambda: [])
    monkeypatch.setattr(fonts, "_told", False)
    fonts._reverse.cache_clear()  # the test catalog adds entries
    fig, ax = plt.subplots()
    ax.set_title(tr("Paying merchants"))
    ax.set_xlabel(tr(Msg("{n} hints, one at a time", n=2)))
    ax.set_ylabel(tr(Msg("Exercise {id} · {title}", id="99.7", title="Paying merchants")))
    assert ax.get_title() == "付费商户"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure_png(fig)
    said = [str(w.message) for w in caught]
    assert not [s for s in said if "missing from font" in s], said
    assert len([s for s in said if "fonts-noto-cjk" in s]) == 1
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == (
        "Paying merchants", "2 hints, one at a time", "Exercise 99.7 · Paying merchants")
    fonts._reverse.cache_clear()


def test_names_ids_and_the_learners_own_answer_are_never_translated(zh, monkeypatch):
    real = i18n.catalog
    words = {"data": "数据题", "incidents": "事故", "Orders": "订单"}
    monkeypatch.setattr(i18n, "catalog", lambda lang: {**real(lang), **words} if lang == "zh" else real(lang))
    choice = ChoiceExercise("99.5", "Unit", "Which?", options=[
        Option("data", "Orders", True, "Yes."), Option("b", "Merchants")], hints=["h1", "h2"], solution="data", minutes=1)
    assert "'data'" in choice.check(3).message and "数据题" not in choice.check(3).message
    view = choice.view()
    view.submit("data")
    again = view.submit(ctopath.____)  # nothing new: the saved answer is quoted as the learner gave it
    assert "data" in again.message and "数据题" not in again.message
    said = Msg("has the value {value!r} in column {column!r}", value=i18n.Verbatim("incidents"),
               column=i18n.Verbatim("incidents"))
    assert tr(said) == "has the value 'incidents' in column 'incidents'" == said
    assert tr(Msg("{word}", word="incidents")) == "事故"  # a plain value is translated, as before
