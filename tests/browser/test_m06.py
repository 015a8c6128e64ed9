"""Module 06 in a real JupyterLab: plan eight quarters with the sliders, press Run, then Check."""
import pytest

from ctopath import registry

pytestmark = pytest.mark.browser
NOTEBOOK = "exercises/06-capstone-exercises.ipynb"
EX = "06.1"
METRICS = ".ctopath-ex-06-1 .ctopath-metrics"


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


def press(nb, name):
    nb.exercise(EX).get_by_role("button", name=name, exact=True).click()


def test_plan_eight_quarters_run_and_check(open_notebook):
    ex = registry()[EX]
    labels = {p.name: p.label for p in ex.params}
    defaults = ex.defaults()
    plan = ex.reference_answer()

    nb = open_notebook(NOTEBOOK)
    nb.run_all()
    reveal(nb, EX)
    assert "not met" in metrics(nb)  # today's habit does not work
    chart = nb.exercise(EX).locator(".ctopath-chart")
    before_chart, before_metrics = chart.get_attribute("src"), metrics(nb)

    # An impossible split first: phase 1 over 100 %. Run explains it; Check calls it invalid.
    set_slider(nb, labels["p1"], 40)
    assert metrics(nb) == before_metrics, "with a Run button the model waits for Run"
    press(nb, "Run")
    nb.page.wait_for_function(f"() => document.querySelector('{METRICS}').textContent.includes('add up to')")
    assert "add up to 130 %, over 100 %" in metrics(nb)   # 70 + 40 + 20 + 0
    press(nb, "Check")
    assert "add up to 130 %" in nb.wait_feedback(EX, "Invalid input")

    # Now the winning plan, slider by slider; Run plays the quarters and redraws the dashboard.
    for name, value in plan.items():
        if value != defaults[name] and name != "p1":
            set_slider(nb, labels[name], value)
    press(nb, "Run")
    nb.page.wait_for_function(
        f"() => {{ const t = document.querySelector('{METRICS}').textContent;"
        f" return t.includes('✓ met') && !t.includes('not met') && !t.includes('⚠️'); }}")
    # the metrics come first, then the picture: wait until the dashboard is redrawn
    nb.page.wait_for_function("([el, before]) => el.getAttribute('src') !== before",
                              arg=[chart.element_handle(), before_chart])
    press(nb, "Check")
    text = nb.wait_feedback(EX, "Correct")
    assert "✓ ARR at the end of quarter 8" in text and "✓ platform health" in text
