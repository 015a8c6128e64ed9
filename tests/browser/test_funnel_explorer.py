"""Lesson 04's funnel explorer in a real JupyterLab: the checkbox label is read in full, the count matches."""
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser


def test_the_checkbox_label_is_not_cut_and_the_count_follows_it(lab, open_notebook):
    nb = nbformat.v4.new_notebook()  # the learner notebooks' kernel, so JupyterLab starts it without asking
    nb.metadata = nbformat.read(ROOT / "exercises" / "04-build-launch-operate-exercises.ipynb", as_version=4).metadata
    nb.cells = [nbformat.v4.new_code_cell("from ctopath.course.m04_build_launch_operate.explorers import funnel_explorer\n"
                                          "funnel_explorer()")]
    nbformat.write(nb, lab["root"] / "funnel.ipynb")
    notebook = open_notebook("funnel.ipynb")
    notebook.run_all()
    page = notebook.page
    explorer = page.locator(".ctopath-funnel-explorer")
    checkbox = explorer.get_by_role("checkbox", name="closed deals only (open ones are still moving)", exact=True)
    checkbox.wait_for()
    # Cut means the label's text is wider than the box that shows it (ellipsis or clipping).
    clipped = page.evaluate(
        "() => [...document.querySelectorAll('.ctopath-funnel-explorer .widget-checkbox, "
        ".ctopath-funnel-explorer .widget-checkbox *')].filter(e => e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.className || e.tagName)")
    assert not clipped, f"the checkbox label is cut: {clipped}"
    feedback = explorer.locator(".ctopath-feedback")
    assert "closed deals;" in feedback.inner_text() and "open ones not counted" in feedback.inner_text()
    checkbox.uncheck()
    page.wait_for_function("() => document.querySelector('.ctopath-funnel-explorer .ctopath-feedback')"
                           ".textContent.includes('still open')")
