"""The learner's own path at the widget level: re-runs, untouched starters, out-of-order cells,
Enter, Reset, lesson demonstrations. (The same paths across whole notebooks are in
tests/notebooks/test_learner_record.py, and in a real browser in tests/browser/.)"""
import asyncio
import json
import threading

import pytest

import ctopath
from ctopath import ____
from ctopath.errors import name_hint
from ctopath.engine.exercise import (DataExercise, ModelExercise, ModelOutcome, NumberExercise, Param,
                              RankingExercise, ReflectionExercise)
from ctopath.engine.progress import ProgressStore

COMMON = dict(hints=["h1", "h2"], solution="Do this.", minutes=2)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def number(ex_id="99.1"):
    return NumberExercise(ex_id, "Count", "How many?", answer=42, **COMMON)


def stored(store_path):
    return store_path.read_bytes()


@pytest.mark.parametrize("blank", [____, None, [____, 1]])
def test_a_placeholder_never_overwrites_a_saved_answer(store_path, blank):
    ex = number()
    ex.submit("41")
    ex.submit("42")
    before = stored(store_path)
    fb = ex.view().submit(blank)  # Restart & Run All: the starter still holds ____
    assert stored(store_path) == before, "the untouched starter changed the record"
    assert fb.status == "correct" and "Your saved answer" in fb.message and "42" in fb.message
    assert "Nothing new was checked" in fb.message and "(checked 20" in fb.message


def test_without_a_saved_answer_a_placeholder_is_just_not_attempted(store_path):
    fb = number().submit(____)
    assert fb.status == "not_attempted" and "replace ____" in fb.message
    assert not store_path.exists() or "99.1" not in json.loads(store_path.read_text())["exercises"]


def test_a_data_exercise_whose_code_is_gone_says_what_was_saved(store_path):
    ex = DataExercise("99.6", "d", "p", expected=lambda: 3.0, answer_name="total_nobody_defines", **COMMON)
    ex.submit(3)
    before = stored(store_path)
    view = ex.view()  # a new kernel: the variable is not defined
    assert "Restored your last answer" in view.feedback.value and "total_nobody_defines" in view.feedback.value
    view.check_button.click()
    assert stored(store_path) == before
    assert "Your saved answer" in view.feedback.value and "run the cell that computes" in view.feedback.value


def test_answers_go_to_the_exercise_named_whatever_the_order(store_path):
    first, second = number("99.1"), NumberExercise("99.2", "Other", "?", answer=7, **COMMON)
    first.view(), second.view()  # both displayed; the second one last
    first.submit("42")           # a cell run out of order still files under 99.1
    records = json.loads(store_path.read_text())["exercises"]
    assert records["99.1"]["status"] == "correct" and "99.2" not in records


def test_an_untouched_ranking_is_not_attempted(store_path):
    ex = RankingExercise("99.4", "r", "p", items={"x": "X", "y": "Y", "z": "Z"}, order=["x", "y", "z"], **COMMON)
    view = ex.view()
    view.check_button.click()
    assert "Not attempted" in view.feedback.value and not store_path.exists()
    view.input.slots[0].value, view.input.slots[1].value = "y", "x"
    view.check_button.click()
    assert "Partly correct" in view.feedback.value or "Not yet" in view.feedback.value
    view.reset()
    view.check_button.click()
    assert ProgressStore().get("99.4")["attempts"] == 1, "Reset made the ranking untouched again"


def test_reset_clears_hints_and_solution_from_view_but_keeps_the_record(store_path):
    view = number().view()
    view.hint_button.click()
    view.solution_button.click()
    view.reset_button.click()
    assert view.hint_area.value == "" and view.solution_area.value == "" and not view.hint_button.disabled
    rec = ProgressStore().get("99.1")
    assert rec["hints_used"] == 1 and rec["solution_revealed"] is True


def test_a_reflection_is_saved_not_graded_and_counts_as_done(store_path):
    ex = ReflectionExercise("00.5", "Where are you?", "p", model_answer="m", min_words=15, **COMMON)
    fb = ex.submit("asdf qwer zxcv " * 12)  # keyboard mash is kept, but never called correct
    assert fb.status == "saved" and "Correct" not in fb._repr_html_()
    row = ctopath.engine.progress.report().rows[0]
    assert row["module"] == "00" and row["done"] >= 1


def test_the_number_box_syncs_every_keystroke_and_enter_checks(store_path):
    view = number().view()
    box = view.input.widget
    assert box.continuous_update is True
    box.value = "42"
    box._handle_msg({"content": {"data": {"method": "custom", "content": {"event": "submit"}}}, "buffers": []})
    assert "Correct" in view.feedback.value


def test_check_waits_for_the_last_keystroke_before_judging(store_path, monkeypatch):
    """In a kernel a click is judged a moment later, so a value still on its way is the one read."""
    monkeypatch.setattr("ctopath.engine.widgets._in_kernel", lambda: True)
    view = number().view()

    async def click_then_type():
        view.input.widget.value = "4"
        view.check_button.click()           # the click arrives first ...
        view.input.widget.value = "42"      # ... the last keystroke just after
        await asyncio.sleep(0.3)

    # A loop of its own, in a thread of its own: another test's library may have left a loop
    # running in this thread (Playwright's sync API does), and asyncio.run refuses to nest.
    runner = threading.Thread(target=asyncio.run, args=(click_then_type(),))
    runner.start()
    runner.join(10)
    assert "Correct" in view.feedback.value and ProgressStore().get("99.1")["attempts"] == 1


@pytest.mark.parametrize("typed, status, says", [
    ("0,61", "incorrect", "0.61"),           # a decimal comma is a decimal point
    ("1,234", "incorrect", "1,234.00"),      # thousands
    ("42%", "invalid", "not a percentage"),  # questioned, never silently dropped
    ("4,2,1.5", "invalid", "decimal point"),
])
def test_typed_numbers_are_read_the_way_they_were_meant(typed, status, says):
    fb = number().check(typed)
    assert fb.status == status and says in fb.message


def test_submit_output_is_a_live_view_of_the_exercise_feedback(store_path):
    ex = number()
    view = ex.view()
    fb = ex.submit("41")
    bundle = fb._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == view.feedback.model_id  # the same widget: always agrees
    assert "Not yet" in bundle["text/plain"] and "Not yet" in bundle["text/html"]


def test_a_lesson_demonstration_saves_nothing_for_the_learner(store_path):
    ex = number()
    demo = ex.practice()
    demo.submit("41"), demo.submit("42")
    demo.hint_button.click(), demo.solution_button.click()
    assert not store_path.exists()
    assert "Practice in the lesson" in demo.header.value


def test_a_run_button_model_hides_its_chart_until_run_and_reset_clears_the_dashboard(store_path):
    ex = ModelExercise("99.8", "m", "p", params=[Param("price", "Price", 1, 10, 1, 2)],
                       evaluate=lambda p: ModelOutcome({"revenue": p["price"] * 10.0}, {"r": p["price"] >= 5}),
                       plot=lambda p: __import__("matplotlib.figure").figure.Figure(), reference={"price": 5},
                       run_button=True, **COMMON)
    view = ex.view()
    assert not view.input.chart.value, "an empty image shows a broken-image icon"
    view.input.run.click()
    assert view.input.chart.value and "revenue: 20.00" in view.input.chart.alt  # its text says what it shows
    view.reset()
    assert not view.input.chart.value and not view.input.chart.alt
    assert "press <strong>Run" in view.input.metrics.value
    ex.submit({"price": 7})
    again = ex.view()  # reopened: sliders and dashboard come back with the saved plan
    assert again.input.sliders["price"].value == 7 and "70.00" in again.input.metrics.value
    assert again.input.chart.value and "revenue: 70.00" in again.input.chart.alt


def test_readme_progress_line_works_after_a_plain_import(store_path):
    import importlib
    pkg = importlib.reload(ctopath)
    assert hasattr(pkg, "progress") and hasattr(pkg.progress, "show")


@pytest.mark.parametrize("name, says", [("orders", 'data.load("orders")'), ("exercise", "from ctopath import exercise"),
                                        ("____", "first code cell"), ("merchant", 'data.load("merchants")')])
def test_a_skipped_setup_cell_gets_one_sentence(name, says):
    assert says in name_hint(name)


def test_a_learners_own_name_gets_no_workshop_hint():
    assert name_hint("my_own_variable") is None
