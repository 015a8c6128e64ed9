"""Module 05 in a real JupyterLab: draw the line between ground and air forces with the sliders."""
import pytest

from ctopath import registry

pytestmark = pytest.mark.browser
NOTEBOOK = "exercises/05-four-duties-exercises.ipynb"
EX = "05.9"


def set_slider(nb, label, value):
    nb.set_slider(EX, label, value)


def check(nb, expect):
    """Press Check and wait for feedback containing ``expect``.

    Right after Run All the widget's views can still be settling (its chart is a large image),
    and a click that lands during that can be lost: press again, at most three times.
    """
    for attempt in range(3):
        nb.exercise(EX).get_by_role("button", name="Check", exact=True).click()
        try:
            nb.page.wait_for_function(
                "([sel, text]) => [...document.querySelectorAll(sel)].some(e => e.textContent.includes(text))",
                arg=[".ctopath-ex-05-9 .ctopath-feedback", expect], timeout=15_000)
            return nb.feedback(EX)
        except Exception:
            if attempt == 2:
                raise


def test_draw_the_line_between_ground_and_air_forces(open_notebook):
    ex = registry()[EX]
    labels = {p.name: p.label for p in ex.params}
    plan = ex.reference_answer()

    nb = open_notebook(NOTEBOOK)
    nb.run_all()
    # the defaults put every growth-plan shop with sales; the model draws once its view is shown
    nb.page.wait_for_function(
        "() => (document.querySelector('.ctopath-ex-05-9 .ctopath-metrics') || {}).textContent?.includes('not met')",
        timeout=30_000)
    chart = nb.exercise(EX).locator(".ctopath-chart img")
    before = chart.get_attribute("src")

    nb.page.wait_for_function(
        "() => { const i = document.querySelector('.ctopath-ex-05-9 .ctopath-chart img'); return i && i.src; }")
    text = check(nb, "targets met")
    assert "✗ Sales cost at most 25 %" in text and "✗ Long-tail" in text

    set_slider(nb, labels["threshold"], plan["threshold"])
    set_slider(nb, labels["ops_per_account"], plan["ops_per_account"])
    nb.page.wait_for_function(
        "() => !document.querySelector('.ctopath-ex-05-9 .ctopath-metrics').textContent.includes('not met')")
    assert chart.get_attribute("src") != before, "the Pareto picture is redrawn as the sliders move"

    text = check(nb, "Correct")
    assert "✓ Both forces together cost at most 20 % of MRR" in text
