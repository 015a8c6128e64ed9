"""A learner's record across whole notebooks, in real kernels:

- answers land on their own exercise whatever order the cells run in (every submitting cell of
  the answer set moved to the end, and every exercise is still done);
- running the untouched learner notebook afterwards (Restart & Run All with the starters still
  holding ____) changes no record, and says what was saved;
- a lesson never writes to the learner's progress;
- nothing a learner notebook shows gives a number or data answer away.
"""
import copy
import json
import re
from pathlib import Path

import nbformat
import pytest

from ctopath.engine.exercise import DONE_STATUSES
from ctopath.course import all_modules

ROOT = Path(__file__).resolve().parents[2]
MODULES = all_modules()
IDS = [m.number for m in MODULES]
pytestmark = pytest.mark.notebooks


@pytest.fixture
def run(execute_notebook, monkeypatch, tmp_path):
    """Run notebook ``nb`` (read from ``where``) in a fresh kernel that records into ``store``."""

    def run_(nb, where: Path, store: Path):
        monkeypatch.setenv("CTOPATH_PROGRESS", str(store))
        monkeypatch.setenv("CTOPATH_PLAN_PATH", str(tmp_path / "plan.md"))
        execute_notebook(nb, where.parent)
        errors = [(i, o.get("ename"), o.get("evalue")) for i, c in enumerate(nb.cells) if c.cell_type == "code"
                  for o in c.outputs if o.output_type == "error"]
        assert not errors, f"{where.name}: cells raised {errors}"
        return nb

    return run_


def submitting_cells_last(nb):
    """The answer notebook with every cell that submits an answer moved, in order, to the end."""
    nb = copy.deepcopy(nb)
    submits = [c for c in nb.cells if c.cell_type == "code" and ".submit(" in c.source]
    assert submits, "no submitting cells found"
    nb.cells = [c for c in nb.cells if c not in submits] + submits
    return nb


def records(store: Path) -> dict:
    return json.loads(store.read_text(encoding="utf-8"))["exercises"]


def outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            for mime in ("text/plain", "text/html"):
                value = out.get("data", {}).get(mime, "")
                parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_answers_land_on_their_exercise_in_any_order_and_a_rerun_erases_nothing(module, run, tmp_path):
    store = tmp_path / "progress.json"
    answers = ROOT / module.answer_notebook
    reordered = submitting_cells_last(nbformat.read(answers, as_version=4))
    run(reordered, answers, store)
    done = records(store)
    not_done = {ex.id: done.get(ex.id, {}).get("status") for ex in module.exercises
                if done.get(ex.id, {}).get("status") not in DONE_STATUSES}
    assert not not_done, f"with submissions moved to the end, these are not done: {not_done}"
    stray = sorted(set(done) - {ex.id for ex in module.exercises})
    assert not stray, f"answers filed under another module's exercises: {stray}"

    before = store.read_bytes()
    learner = ROOT / module.exercise_notebook
    nb = run(nbformat.read(learner, as_version=4), learner, store)
    assert records(store) == json.loads(before)["exercises"], \
        "running the untouched learner notebook changed the finished records"
    submits = [c for c in nb.cells if c.cell_type == "code" and ".submit(" in c.source]
    if submits:
        assert "Your saved answer" in outputs_text(nb), "a re-run should say what was saved, not 'Not attempted'"


LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_a_lesson_never_writes_to_the_learners_progress(lesson, run, tmp_path):
    assert len(LESSONS) == len(MODULES)
    store = tmp_path / "progress.json"
    store.write_text(json.dumps({"version": 1, "exercises": {"00.1": {
        "status": "incorrect", "score": 0.0, "attempts": 1, "answer": "market", "message": "m",
        "hints_used": 0, "solution_revealed": False, "wrong_answers": {}}}, "notes": {}}), encoding="utf-8")
    before = store.read_bytes()
    run(nbformat.read(lesson, as_version=4), lesson, store)
    assert store.read_bytes() == before, f"{lesson.name} wrote to the learner's progress"


def _shown_forms(value: float) -> set[str]:
    forms = {f"{value:,.2f}", f"{value:.2f}", f"{value:,.0f}", f"{value:.0f}", f"{value:.1f}", repr(value)}
    return {f for f in forms if len(re.sub(r"\D", "", f)) >= 4}  # short figures occur by chance


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_no_learner_notebook_shows_a_numeric_answer_before_it_is_given(module, run, tmp_path):
    learner = ROOT / module.exercise_notebook
    nb = run(nbformat.read(learner, as_version=4), learner, tmp_path / "p.json")
    shown = outputs_text(nb)
    leaks = []
    for ex in module.exercises:
        if ex.kind not in ("number", "data"):
            continue
        answer = ex.reference_answer()
        try:
            value = float(answer)
        except (TypeError, ValueError):
            continue  # a table answer: its cells are data, not a single giveaway figure
        leaks += [(ex.id, form) for form in _shown_forms(value)
                  if re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d])", shown)]
    assert not leaks, f"{learner.name} shows answers before the learner computes them: {leaks}"


def test_a_cell_run_before_the_setup_cell_says_which_cell_to_run(monkeypatch, tmp_path, execute_notebook):
    """The workshop kernel loads the ctopath extension (make venv configures it)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("orders.head()"),
                                         nbformat.v4.new_code_cell('exercise("01.1")')])
    monkeypatch.setenv("CTOPATH_PROGRESS", str(tmp_path / "p.json"))
    execute_notebook(nb, timeout=60, allow_errors=True)
    for cell, says in zip(nb.cells, ['data.load("orders")', "from ctopath import exercise"]):
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert any(o.output_type == "error" or "NameError" in o.get("text", "") for o in cell.outputs)
        assert says in text, f"no hint for {cell.source!r}: {cell.outputs}"
