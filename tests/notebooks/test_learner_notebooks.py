"""Every learner notebook runs top to bottom, untouched, with its placeholders."""
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
LEARNER = sorted((ROOT / "exercises").glob("*.ipynb"))


def test_there_are_learner_notebooks():
    assert len(LEARNER) >= 2, "no learner notebooks found in exercises/ (run `make release`)"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", LEARNER, ids=[p.name for p in LEARNER])
def test_learner_notebook_runs_untouched(path, store_path, execute_notebook):
    nb = nbformat.read(path, as_version=4)
    assert "____" in "".join(c.source for c in nb.cells if c.cell_type == "code"), \
        f"{path.name} has no placeholder: is it really the learner copy?"
    execute_notebook(nb, path.parent)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    texts = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                    for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "Not attempted" in texts, "an untouched starter should report 'Not attempted'"
