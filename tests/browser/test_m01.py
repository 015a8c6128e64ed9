"""Module 01 in a real JupyterLab: answer through the widget, wrong then right, then restart and resume."""
import pytest

from ctopath import registry

pytestmark = pytest.mark.browser
NOTEBOOK = "exercises/01-programmer-exercises.ipynb"


def type_answer(nb, ex_id, text):
    box = nb.exercise(ex_id).locator("input[type=text]").first
    box.fill(text)
    box.press("Enter")  # a Text widget with continuous_update=False syncs on Enter


def test_answer_wrong_then_right_then_resume_after_restart(open_notebook):
    ex = registry()["01.3"]
    right = f"{ex.reference_answer():.2f}"
    wrong = f"{ex.reference_answer() / 100:.4f}"  # the fraction-for-percent slip

    nb = open_notebook(NOTEBOOK)
    nb.run_all()
    type_answer(nb, "01.3", wrong)
    nb.exercise("01.3").get_by_role("button", name="Check", exact=True).click()
    text = nb.wait_feedback("01.3", "Not yet")
    assert "fraction" in text

    type_answer(nb, "01.3", right)
    check = nb.exercise("01.3").get_by_role("button", name="Check", exact=True)
    check.focus()
    nb.page.keyboard.press("Enter")  # Check works from the keyboard
    assert "Correct" in nb.wait_feedback("01.3", "Correct")

    nb.exercise("01.3").get_by_role("button", name="Hint", exact=True).click()
    nb.page.wait_for_function(
        "() => [...document.querySelectorAll('.ctopath-ex-01-3 .ctopath-hints')].some(e => e.textContent.includes('Hint'))")

    # A fresh kernel re-creates every widget; the answer comes back from the progress store.
    nb.restart_and_run_all()
    text = nb.wait_feedback("01.3", "Restored")
    assert "Correct" in text
    assert nb.exercise("01.3").locator("input[type=text]").first.input_value() == right
    assert "Revenue: minus the sum" in nb.exercise("01.3").locator(".ctopath-hints").inner_text()
