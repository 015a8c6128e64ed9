"""Module 03 in a real JupyterLab: move the cash model's sliders until the plan survives."""
import pytest

from ctopath import registry

pytestmark = pytest.mark.browser
NOTEBOOK = "exercises/03-business-plan-exercises.ipynb"
EX = "03.8"


def focus(nb):
    """Make this notebook's tab the current one before using the menus: the session's workspace may
    restore tabs of notebooks opened by earlier tests, and Run All acts on the current tab."""
    name = NOTEBOOK.rsplit("/", 1)[-1]
    nb.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=name).first.click()
    nb.page.wait_for_function(
        "name => { const t = document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current');"
        " return t && t.textContent.includes(name); }", arg=name)


def reveal(nb, ex_id):
    """Scroll the notebook until the exercise is rendered (JupyterLab only renders cells near the viewport)."""
    sel = f".ctopath-ex-{ex_id.replace('.', '-')}"
    for _ in range(200):
        if nb.page.locator(sel).count():
            break
        nb.page.evaluate("() => document.querySelector("
                         "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer').scrollTop += 600")
        nb.page.wait_for_timeout(100)
    return nb.exercise(ex_id)


def set_slider(nb, label, value):
    """Type a value into a slider's readout (what a keyboard user does) and press Enter."""
    slider = nb.exercise(EX).locator(".widget-slider", has_text=label).first
    readout = slider.locator(".widget-readout")
    readout.click()
    readout.fill(str(value))
    readout.press("Enter")
    nb.page.wait_for_function(
        "([el, v]) => Math.abs(parseFloat(el.textContent.replace(/,/g, '')) - v) < 1e-6",
        arg=[readout.element_handle(), float(value)])


def metrics(nb):
    return nb.exercise(EX).locator(".ctopath-metrics").inner_text()


def test_move_the_sliders_until_the_plan_survives(open_notebook):
    ex = registry()[EX]
    labels = {p.name: p.label for p in ex.params}
    plan = ex.reference_answer()

    nb = open_notebook(NOTEBOOK)
    focus(nb)
    nb.run_all()
    reveal(nb, EX)
    assert "not met" in metrics(nb)  # the defaults do not work
    chart = nb.exercise(EX).locator(".ctopath-chart")
    before = chart.get_attribute("src")

    nb.exercise(EX).get_by_role("button", name="Check", exact=True).click()
    text = nb.wait_feedback(EX, "targets met")
    assert "✗ Break even" in text and "✗ Cash never below zero" in text

    for name in ("price", "churn_pct", "new_per_month", "team_cost"):
        set_slider(nb, labels[name], plan[name])
    nb.page.wait_for_function(
        "() => !document.querySelector('.ctopath-ex-03-8 .ctopath-metrics').textContent.includes('not met')")
    assert chart.get_attribute("src") != before, "the cash curve is redrawn as the sliders move"

    nb.exercise(EX).get_by_role("button", name="Check", exact=True).click()
    text = nb.wait_feedback(EX, "Correct")
    assert "✓ Break even by month 24" in text and "Reality check" in text
