"""Module 02 in a real JupyterLab: rank the backlog with the drop-downs, wrong then right, and resume."""
import pytest

from ctopath import registry

pytestmark = pytest.mark.browser
NOTEBOOK = "exercises/02-manager-exercises.ipynb"
EX = "02.5"


def focus(nb):
    """Make this notebook's tab the current one before using the menus: the session's workspace may
    restore tabs of notebooks opened by earlier tests, and Run All acts on the current tab."""
    name = NOTEBOOK.rsplit("/", 1)[-1]
    nb.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=name).first.click()
    nb.page.wait_for_function(
        "name => { const t = document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current');"
        " return t && t.textContent.includes(name); }", arg=name)


def feedback_with(nb, text):
    """Wait for the exercise's feedback to contain ``text``; return it (textContent: works while off-screen)."""
    sel = f".ctopath-ex-{EX.replace('.', '-')} .ctopath-feedback"
    nb.wait_feedback(EX, text)
    return nb.page.evaluate(
        "([sel, text]) => [...document.querySelectorAll(sel)].map(e => e.textContent)"
        ".find(t => t.includes(text))", [sel, text])


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
    focus(nb)
    nb.run_all()
    set_ranking(nb, loudest)
    nb.exercise(EX).get_by_role("button", name="Check", exact=True).click()
    text = nb.wait_feedback(EX, "Not yet")
    assert "position 1" in text and "Report designer" in text

    set_ranking(nb, right)
    check = nb.exercise(EX).get_by_role("button", name="Check", exact=True)
    check.focus()
    nb.page.keyboard.press("Enter")  # Check works from the keyboard
    assert "Right order" in nb.wait_feedback(EX, "Correct")

    # A fresh kernel re-creates the widgets; the ranking comes back from the progress store.
    nb.restart_and_run_all()
    assert "Correct" in feedback_with(nb, "Restored")
    selects = nb.exercise(EX).locator("select")
    chosen = [selects.nth(i).evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ")
              for i in range(len(right))]
    assert chosen == [ex.items[k] for k in right]
