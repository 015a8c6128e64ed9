"""Accessibility in a real JupyterLab: axe-core over one lesson and one exercises notebook per
module, and an exercise answered with the keyboard alone.

What is ours: the workshop's widgets (exercises, explorers) and its own HTML (`ctopath-*`
classes) in the cells' output. axe runs twice on each page: once with that as its context (a
serious or critical violation there fails the test), and once on the whole page, so the rest —
JupyterLab's own interface, and the lessons' plain matplotlib figures that JupyterLab draws as an
`<img>` without alt — is listed (as warnings in the test summary) but does not fail.
"""
import json
import urllib.request
import warnings
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
# The workshop's widgets (every element a widget output draws) and its own HTML (classes ctopath-*).
OURS = ('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.widget-view+json"] *, '
        '.jp-OutputArea-output [class*="ctopath-"]')
SERIOUS = ("serious", "critical")
LESSONS = sorted(f"notebooks/{p.name}" for p in (ROOT / "notebooks").glob("0*.ipynb"))
EXERCISES = sorted(f"exercises/{p.name}" for p in (ROOT / "exercises").glob("0*-exercises.ipynb"))

AXE_RUN = """async ([context]) => {
  const result = await axe.run(context || document, {resultTypes: ["violations"]});
  return result.violations.flatMap(v => v.nodes.map(n => ({
    rule: v.id, impact: n.impact || v.impact, help: v.help,
    target: n.target.join(" "), html: n.html.slice(0, 200)})));
}"""


# A violation outside the workshop's widgets (JupyterLab itself, a lesson's inline figure) is listed
# as a UserWarning named OutsideTheWidgets in its text: a warning class defined here could not be
# read back by the process that gathers the two test workers' results.
OUTSIDE_THE_WIDGETS = "OutsideTheWidgets"


def _axe(page, context):
    from axe_playwright_python.base import AXE_FILE_PATH

    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_FILE_PATH))
    return page.evaluate(AXE_RUN, [context])


def _all_widgets_drawn(page):
    """Every widget output has drawn its view (none still says 'Loading widget...')."""
    page.wait_for_function(
        "() => [...document.querySelectorAll("
        "'.jp-OutputArea-output[data-mime-type=\"application/vnd.jupyter.widget-view+json\"]')]"
        ".every(o => o.children.length && !o.textContent.includes('Loading widget'))")
    page.wait_for_timeout(500)  # the controls' frontend modules load asynchronously


def _shut_down_kernel(lab, path):
    """One kernel at a time: fourteen notebooks' kernels left running would crowd two cores."""
    base = f"{lab['url']}/api/sessions"
    with urllib.request.urlopen(f"{base}?token={lab['token']}") as r:
        sessions = json.load(r)
    for s in sessions:
        if s.get("path") == path:
            req = urllib.request.Request(f"{base}/{s['id']}?token={lab['token']}", method="DELETE")
            urllib.request.urlopen(req).close()


@pytest.mark.parametrize("path", LESSONS + EXERCISES)
def test_no_serious_violation_in_the_workshops_own_output(open_notebook, lab, path):
    nb = open_notebook(path)
    try:
        nb.run_all()
        _all_widgets_drawn(nb.page)
        ours = [v for v in _axe(nb.page, OURS) if v["impact"] in SERIOUS]
        theirs = {}
        for v in _axe(nb.page, None):
            if v["impact"] in SERIOUS and (v["rule"], v["target"]) not in {(o["rule"], o["target"]) for o in ours}:
                theirs.setdefault((v["rule"], v["impact"], v["help"]), []).append(v["target"])
    finally:
        _shut_down_kernel(lab, path)
    for (rule, impact, help_text), targets in sorted(theirs.items()):
        warnings.warn(UserWarning(
            f"{OUTSIDE_THE_WIDGETS}: {path}: outside the widgets, {rule} ({impact}, {help_text}) on "
            f"{len(targets)} element(s), e.g. {targets[0][:120]}"))
    assert not ours, "axe found serious or critical violations in the workshop's output:\n" + "\n".join(
        f"- {v['rule']} ({v['impact']}): {v['help']} — {v['target']} — {v['html']}" for v in ours)


def test_an_exercise_answered_with_the_keyboard_alone(open_notebook):
    """Tab from the last exercise's controls to a question's options, pick one with the arrow keys,
    Tab to Check, press Enter: the live region (which stays in the page) gets the new verdict."""
    nb = open_notebook("exercises/01-programmer-exercises.ipynb")
    nb.run_all()
    page = nb.page
    previous, ex = "01.5", "01.6"  # 01.6 is a choice: one group of radio buttons named by its question
    nb.exercise(ex)
    nb.exercise(previous).get_by_role("button", name="Reset", exact=True).focus()  # where the learner is now
    where = ("() => { const e = document.activeElement, box = e.closest('[class*=\"ctopath-ex-\"]');"
             " return [e.tagName, e.type || '', e.textContent.trim(), box ? box.className : '']; }")
    inside = f"ctopath-ex-{ex.replace('.', '-')}"
    path = []
    for _ in range(30):
        page.keyboard.press("Tab")
        tag, kind, _text, box = page.evaluate(where)
        path.append((tag, kind))
        if inside in box.split() and kind == "radio":
            break
    else:
        pytest.fail(f"Tab never reached exercise {ex}'s options; it went through {path}")

    assert nb.exercise(ex).get_by_role("group", name=registry_title(ex)).count() == 1, \
        "the radio group is named by its question"
    live = nb.exercise(ex).locator(".ctopath-feedback")
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"
    before = live.text_content()

    page.keyboard.press("ArrowDown")  # the arrow keys move through the options and choose one
    assert page.evaluate("() => document.activeElement.checked") is True
    for _ in range(10):
        page.keyboard.press("Tab")
        tag, _kind, text, box = page.evaluate(where)
        if tag == "BUTTON" and text == "Check":
            break
    else:
        pytest.fail("Tab never reached the Check button")
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                         " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert ring[0] == "solid" and ring[1] >= 2, f"the focus ring on Check is hard to see: {ring}"
    page.keyboard.press("Enter")
    page.wait_for_function("([el, before]) => el.textContent !== before",
                           arg=[live.element_handle(), before])
    verdict = live.locator(".ctopath-fb").first.get_attribute("class")
    assert any(f"ctopath-fb-{s}" in verdict.split() for s in ("correct", "incorrect", "partial")), verdict
    assert any(w in live.text_content() for w in ("Correct", "Not yet", "Partly correct"))  # in words


def registry_title(ex_id):
    from ctopath import registry

    return registry()[ex_id].title


def test_a_model_slider_is_named_and_moves_with_the_arrow_keys(open_notebook):
    """03.8's sliders: each is a slider named by its label; an arrow key moves it and the model redraws."""
    from ctopath import registry

    ex = registry()["03.8"]
    nb = open_notebook("exercises/03-business-plan-exercises.ipynb")
    nb.run_all()
    box = nb.exercise("03.8")
    for p in ex.params:
        assert box.get_by_role("slider", name=p.label).count() == 1, f"no slider named {p.label!r}"
    first = ex.params[0]
    before = nb.metrics("03.8")
    readout = nb.slider_readout("03.8", first.label)
    start = float(readout.input_value().replace(",", ""))
    box.get_by_role("slider", name=first.label).focus()
    nb.page.keyboard.press("ArrowRight")
    nb.page.wait_for_function("([el, v]) => parseFloat(el.value.replace(/,/g, '')) !== v",
                              arg=[readout.element_handle(), start])
    assert float(readout.input_value().replace(",", "")) == pytest.approx(start + first.step)
    nb.page.wait_for_function(
        "([sel, before]) => document.querySelector(sel).textContent !== before",
        arg=[".ctopath-ex-03-8 .ctopath-metrics", before])
    assert nb.page.evaluate("() => document.activeElement.type") == "range", "JupyterLab took the arrow key"
