"""Module 03 in a real JupyterLab: move the cash model's sliders until the plan survives."""
import pytest

from ctopath import registry

pytestmark = pytest.mark.browser
NOTEBOOK = "exercises/03-business-plan-exercises.ipynb"
EX = "03.8"


def test_move_the_sliders_until_the_plan_survives(open_notebook):
    ex = registry()[EX]
    labels = {p.name: p.label for p in ex.params}
    plan = ex.reference_answer()

    nb = open_notebook(NOTEBOOK)
    nb.run_all()
    nb.exercise(EX)
    assert "not met" in nb.metrics(EX)  # the defaults do not work
    chart = nb.exercise(EX).locator(".ctopath-chart img")
    before = chart.get_attribute("src")

    nb.press(EX, "Check")
    text = nb.wait_feedback(EX, "targets met")
    assert "✗ Break even" in text and "✗ Cash never below zero" in text

    for name in ("price", "cac", "churn_pct", "new_per_month", "team_cost"):
        nb.set_slider(EX, labels[name], plan[name])
    nb.page.wait_for_function(
        "() => !document.querySelector('.ctopath-ex-03-8 .ctopath-metrics').textContent.includes('not met')")
    assert chart.get_attribute("src") != before, "the cash curve is redrawn as the sliders move"

    nb.press(EX, "Check")
    text = nb.wait_feedback(EX, "Correct")
    assert "✓ Break even by month 24" in text and "Reality check" in text
