"""Module 01 in a real JupyterLab: answer through the widget, wrong then right, then restart and resume."""
import pytest

from ctopath import registry

pytestmark = pytest.mark.browser
NOTEBOOK = "exercises/01-programmer-exercises.ipynb"


def test_answer_wrong_then_right_then_resume_after_restart(open_notebook):
    ex = registry()["01.3"]
    right = f"{ex.reference_answer():.2f}"
    wrong = f"{ex.reference_answer() / 100:.4f}"  # the fraction-for-percent slip

    nb = open_notebook(NOTEBOOK)
    nb.run_all()
    nb.type_answer("01.3", wrong)
    nb.press("01.3", "Check")
    text = nb.wait_feedback("01.3", "Not yet")
    assert "fraction" in text

    nb.type_answer("01.3", right)
    nb.press_with_keyboard("01.3", "Check")  # Check works from the keyboard
    assert "Correct" in nb.wait_feedback("01.3", "Correct")

    nb.press("01.3", "Hint")
    nb.page.wait_for_function(
        "() => [...document.querySelectorAll('.ctopath-ex-01-3 .ctopath-hints')].some(e => e.textContent.includes('Hint'))")

    # A fresh kernel re-creates every widget; the answer comes back from the progress store.
    nb.restart_and_run_all()
    text = nb.wait_feedback("01.3", "Restored")
    assert "Correct" in text
    assert nb.exercise("01.3").locator("input[type=text]").first.input_value() == right
    assert "Revenue: minus the sum" in nb.exercise("01.3").locator(".ctopath-hints").inner_text()
