"""The learner's own path in a real JupyterLab: type and click at once, Enter, and Restart & Run
All on finished work (nothing judged stale, nothing erased)."""
import json

import pytest

pytestmark = pytest.mark.browser
NOTEBOOK = "exercises/01-programmer-exercises.ipynb"
EX = "01.4"
FEEDBACK = ".ctopath-ex-01-4 .ctopath-feedback"


def _feedback_after(nb, previous: str) -> str:
    """The feedback once it differs from ``previous`` (one judgement per Check)."""
    nb.page.wait_for_function(
        "([sel, prev]) => { const e = [...document.querySelectorAll(sel)].pop();"
        " return e && e.textContent !== prev; }", arg=[FEEDBACK, previous], timeout=15_000)
    return nb.page.evaluate("sel => [...document.querySelectorAll(sel)].pop().textContent", FEEDBACK)


def test_typing_then_clicking_at_once_never_judges_a_stale_value(open_notebook):
    nb = open_notebook(NOTEBOOK)
    nb.run_all()
    box = nb.exercise(EX)
    entry = box.locator("input[type=text]").first
    check = box.get_by_role("button", name="Check", exact=True)
    previous = nb.page.evaluate("sel => [...document.querySelectorAll(sel)].pop().textContent", FEEDBACK)
    stale = []
    for i in range(20):
        value = f"{900 + i}.25"
        entry.fill("")
        entry.press_sequentially(value, delay=0)  # as fast as keys can go, then click at once
        check.click()
        text = _feedback_after(nb, previous)
        if f"{900 + i}.25 is too high" not in text:
            stale.append((value, text))
        previous = text
    assert not stale, f"Check judged something other than what was typed: {stale}"


def test_enter_in_the_box_checks(open_notebook):
    nb = open_notebook(NOTEBOOK)
    nb.run_all()
    entry = nb.exercise(EX).locator("input[type=text]").first
    previous = nb.page.evaluate("sel => [...document.querySelectorAll(sel)].pop().textContent", FEEDBACK)
    entry.fill("")
    entry.press_sequentially("4,92", delay=0)  # a decimal comma, then Enter and no click
    entry.press("Enter")
    assert "Correct" in _feedback_after(nb, previous)


def test_restart_and_run_all_twice_keeps_a_finished_answer(open_notebook, lab):
    nb = open_notebook(NOTEBOOK)
    nb.run_all()
    def attempts():
        try:
            return json.loads(lab["progress"].read_text())["exercises"]["01.3"]["attempts"]
        except (OSError, KeyError, ValueError):
            return 0

    before = attempts()  # an earlier test may have answered 01.3 already (one store per session)
    nb.type_answer("01.3", "0.61")
    nb.press("01.3", "Check")
    nb.wait_feedback("01.3", "Correct")
    for _ in range(100):  # the feedback may show the earlier answer: wait for this check's record
        if attempts() > before:
            break
        nb.page.wait_for_timeout(100)
    record = json.loads(lab["progress"].read_text())["exercises"]["01.3"]
    for _ in range(2):
        nb.restart_and_run_all()
        text = nb.wait_feedback("01.3", "Restored")
        assert "Correct" in text and "Not attempted" not in text
        assert nb.exercise("01.3").locator("input[type=text]").first.input_value() == "0.61"
    assert json.loads(lab["progress"].read_text())["exercises"]["01.3"] == record, "a re-run changed the record"
