"""The views, driven without a browser: labels, buttons, feedback, restore, errors."""
import pytest

from ctopath.engine.exercise import (ChoiceExercise, DataExercise, ModelExercise, ModelOutcome, MultiExercise,
                              NumberExercise, Option, Param, RankingExercise, ReflectionExercise)
from ctopath.engine.progress import ProgressStore

COMMON = dict(hints=["h1", "h2"], solution="Do **this**.", minutes=2, solution_code="x = 1")


def number():
    return NumberExercise("99.1", "Count", "How many?", answer=42, **COMMON)


def buttons(view):
    return [b.description for b in (view.check_button, view.hint_button,
                                    view.solution_button, view.reset_button)]


def test_buttons_have_the_exact_accessible_names(store_path):
    view = number().view()
    assert buttons(view) == ["Check", "Hint", "Show solution", "Reset"]
    assert "ctopath-feedback" in view.feedback._dom_classes
    assert "Not attempted" in view.feedback.value
    assert view.input.widget.description.startswith("Your answer")


def test_check_button_reads_the_box_and_records(store_path):
    ex = number()
    view = ex.view()
    view.input.widget.value = "41"
    view.check_button.click()
    assert "Not yet" in view.feedback.value
    view.input.widget.value = "42"
    view.check_button.click()
    assert "Correct" in view.feedback.value
    assert ProgressStore().get("99.1")["attempts"] == 2


def test_submit_sets_the_widget_and_returns_feedback(store_path):
    ex = number()
    fb = ex.submit("42")
    assert fb.correct and ex._view.input.widget.value == "42" and "Correct" in ex._view.feedback.value


def test_hints_one_at_a_time_then_solution_recorded(store_path):
    view = number().view()
    view.hint_button.click()
    assert "h1" in view.hint_area.value and "h2" not in view.hint_area.value
    view.hint_button.click()
    assert "h2" in view.hint_area.value and view.hint_button.disabled
    view.solution_button.click()
    assert "<strong>this</strong>" in view.solution_area.value and "x = 1" in view.solution_area.value
    rec = ProgressStore().get("99.1")
    assert rec["hints_used"] == 2 and rec["solution_revealed"]


def test_new_view_restores_last_answer_hints_and_solution(store_path):
    ex = number()
    ex.submit("41")
    ex._view.hint_button.click()
    again = ex.view()
    assert again.input.widget.value == "41"
    assert "Restored your last answer" in again.feedback.value and "Not yet" in again.feedback.value
    assert "h1" in again.hint_area.value


def test_reset_clears_the_box_but_keeps_progress(store_path):
    ex = number()
    ex.submit("42")
    ex._view.reset_button.click()
    assert ex._view.input.widget.value == "" and "Cleared" in ex._view.feedback.value
    assert ProgressStore().get("99.1")["status"] == "correct"


def test_text_in_number_box_is_explained_not_raised(store_path):
    view = number().view()
    view.input.widget.value = "forty-two"
    view.check_button.click()
    assert "Invalid input" in view.feedback.value and "Expected a number" in view.feedback.value


def test_unreadable_input_after_a_correct_answer_keeps_it(store_path):
    ex = number()
    ex.submit("42")
    fb = ex.submit("forty-two")
    assert fb.status == "invalid" and "Your saved answer (correct) is kept: 42" in ex._view.feedback.value
    rec = ProgressStore().get("99.1")
    assert (rec["status"], rec["score"], rec["answer"]) == ("correct", 1.0, "42")
    assert "Correct" in ex.view().feedback.value  # reopened, the notebook shows the kept answer


def test_callback_error_goes_to_output_and_feedback(store_path, monkeypatch):
    view = number().view()
    monkeypatch.setattr(view, "_press_check", lambda: 1 / 0)
    view.check_button.click()
    assert "ZeroDivisionError" in view.feedback.value
    assert any("ZeroDivisionError" in o.get("text", "") for o in view.errors.outputs)


def test_corrupt_store_does_not_break_the_widget(store_path):
    store_path.write_text("{broken")
    view = number().view()
    assert any("could not be read" in o.get("text", "") for o in view.errors.outputs)
    assert view.ex.submit("42").correct


def test_static_text_fallback_is_stable(store_path):
    bundle = number()._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Exercise 99.1 · Count [number]")
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize("make, answer", [
    (lambda: ChoiceExercise("99.2", "c", "p", options=[Option("a", "A", True, "y"), Option("b", "B")], **COMMON), "a"),
    (lambda: MultiExercise("99.3", "m", "p", options=[Option("a", "A", True, "y"), Option("b", "B")], **COMMON), ["a"]),
    (lambda: RankingExercise("99.4", "r", "p", items={"x": "X", "y": "Y"}, order=["y", "x"], **COMMON), ["y", "x"]),
    (lambda: ReflectionExercise("99.5", "f", "p", model_answer="m", min_words=2, **COMMON), "two words"),
])
def test_every_widget_kind_round_trips_its_answer(store_path, make, answer):
    ex = make()
    assert ex.submit(answer).status in ("correct", "saved")
    assert ex.view().input.get() == answer  # restored into a new view


def test_data_kind_reads_the_named_variable(store_path):
    ex = DataExercise("99.6", "d", "p", expected=lambda: 3.0, answer_name="total", **COMMON)
    view = ex.view()
    view.check_button.click()
    assert "no variable `total`" in view.feedback.value
    assert ex.submit(3).correct


def test_model_kind_draws_metrics_and_targets(store_path):
    ex = ModelExercise("99.7", "m", "p", params=[Param("price", "Price", 1, 10, 1, 2)],
                       evaluate=lambda p: ModelOutcome({"revenue": p["price"] * 10.0}, {"revenue ≥ 50": p["price"] >= 5}),
                       reference={"price": 5}, **COMMON)
    view = ex.view()
    assert "not met" in view.input.metrics.value
    view.input.sliders["price"].value = 6
    assert "✓ met" in view.input.metrics.value and "60.00" in view.input.metrics.value
    assert ex.submit({"price": 5}).correct


def test_model_kind_with_run_button_waits_for_run(store_path):
    ex = ModelExercise("99.8", "m", "p", params=[Param("price", "Price", 1, 10, 1, 2)],
                       evaluate=lambda p: ModelOutcome({"revenue": p["price"] * 10.0}, {"revenue ≥ 50": p["price"] >= 5}),
                       reference={"price": 5}, run_button=True, **COMMON)
    view = ex.view()
    assert view.input.run.description == "Run"
    view.input.sliders["price"].value = 6
    assert "60.00" not in view.input.metrics.value  # not run yet
    view.input.run.click()
    assert "60.00" in view.input.metrics.value
    assert ex.submit({"price": 7}).correct and "70.00" in ex._view.input.metrics.value
