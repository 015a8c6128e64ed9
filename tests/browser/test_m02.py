"""Module 02 in a real JupyterLab: rank the backlog with the drop-downs, wrong then right, and resume."""
import pytest

from ctopath import registry

pytestmark = pytest.mark.browser
NOTEBOOK = "exercises/02-manager-exercises.ipynb"
EX = "02.5"


def set_ranking(nb, order):
    ex = registry()[EX]
    selects = nb.exercise(EX).locator("select")
    assert selects.count() == len(order)
    for i, key in enumerate(order):
        selects.nth(i).select_option(label=ex.items[key])


def test_rank_the_backlog_through_the_dropdowns(open_notebook):
    ex = registry()[EX]
    right = ex.reference_answer()
    loudest = ["R01", "R02", "R03", "R05", "R06", "R04"]  # by times asked: a plausible wrong order

    nb = open_notebook(NOTEBOOK)
    nb.run_all()
    set_ranking(nb, loudest)
    nb.press(EX, "Check")
    text = nb.wait_feedback(EX, "Not yet")
    assert "order of loudness" in text and "times_asked" in text  # the slip is named, not just the position

    set_ranking(nb, right)
    nb.press_with_keyboard(EX, "Check")  # Check works from the keyboard
    assert "Right order" in nb.wait_feedback(EX, "Correct")

    # A fresh kernel re-creates the widgets; the ranking comes back from the progress store.
    nb.restart_and_run_all()
    assert "Correct" in nb.wait_feedback(EX, "Restored")
    selects = nb.exercise(EX).locator("select")
    chosen = [selects.nth(i).evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ")
              for i in range(len(right))]
    assert chosen == [ex.items[k] for k in right]
