"""Module 04 in a real JupyterLab: tick the launch blockers in the checkboxes, wrong then right."""
import pytest

from ctopath import registry

pytestmark = pytest.mark.browser
NOTEBOOK = "exercises/04-build-launch-operate-exercises.ipynb"
EX = "04.3"


def test_tick_the_launch_blockers(open_notebook):
    labels = {o.key: o.label for o in registry()[EX].options}

    nb = open_notebook(NOTEBOOK)
    nb.run_all()
    box = nb.exercise(EX)
    box.get_by_role("checkbox", name=labels["redeem"], exact=True).check()
    box.get_by_role("checkbox", name=labels["canary"], exact=True).check()
    box.get_by_role("button", name="Check", exact=True).click()
    text = nb.wait_feedback(EX, "Not yet")  # one right pick cancelled by one wrong pick scores 0
    assert "does not block" in text and "1 right option is not ticked yet" in text \
        and labels["bug031"] not in text  # the missing one is counted, never named

    box.get_by_role("checkbox", name=labels["canary"], exact=True).uncheck()
    box.get_by_role("checkbox", name=labels["bug031"], exact=True).check()
    box.get_by_role("button", name="Check", exact=True).click()
    text = nb.wait_feedback(EX, "Correct")
    assert "criterion 1 fails" in text and "Criterion 2 fails" in text
