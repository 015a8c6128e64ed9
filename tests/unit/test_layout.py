"""The layout the design promises: every module has its three notebooks, wired to its exercises."""
import re
from pathlib import Path

import nbformat
import pytest

from ctopath.course import MODULE_ORDER, all_modules
from ctopath import registry

ROOT = Path(__file__).resolve().parents[2]
MODULES = all_modules()


def test_modules_and_exercises_exist():
    assert len(MODULES) == len(MODULE_ORDER) >= 2
    assert len(registry()) >= 8


@pytest.mark.parametrize("module", MODULES, ids=[m.number for m in MODULES])
def test_module_has_lesson_answers_and_learner_copy(module):
    for rel in (module.lesson, module.exercise_notebook, module.answer_notebook):
        assert (ROOT / rel).exists(), f"missing {rel}"
    assert f"m{module.number}_" in " ".join(MODULE_ORDER)


@pytest.mark.parametrize("module", MODULES, ids=[m.number for m in MODULES])
def test_answer_notebook_shows_each_exercise_and_submits_wrong_then_right(module):
    nb = nbformat.read(ROOT / module.answer_notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for ex in module.exercises:
        shown = [c for c in code if re.search(rf'exercise\("{re.escape(ex.id)}"\)', c.source)]
        assert shown, f"{module.answer_notebook} never displays exercise {ex.id}"
    submits = sum(c.source.count(".submit(") for c in code)
    assert submits >= 2 * len(module.exercises), "each exercise needs a wrong and a right submission"


@pytest.mark.parametrize("module", MODULES, ids=[m.number for m in MODULES])
def test_lesson_has_the_episode_shape(module):
    nb = nbformat.read(ROOT / module.lesson, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ("Objectives", "Minutes", "From the article", "Discussion", "Key points", "Next"):
        assert heading in text, f"{module.lesson} lacks a '{heading}' section"
    assert "CC BY-SA 4.0" in text and "ld246.com/article/1678858919869" in text, "credit the article"


def test_every_kind_but_ranking_and_model_is_used_in_modules_00_01():
    kinds = {ex.kind for m in MODULES if m.number in ("00", "01") for ex in m.exercises}
    assert {"number", "choice", "multi", "data", "reflection"} <= kinds
