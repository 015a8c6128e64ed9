"""Every learner notebook, in both editions, runs top to bottom, untouched, with its placeholders."""
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = sorted((ROOT / "exercises").glob("*.ipynb"))
CHINESE = sorted((ROOT / "zh" / "exercises").glob("*.ipynb"))
LEARNER = ENGLISH + CHINESE
#: What an untouched starter reports, in each edition's words.
NOT_ATTEMPTED = {"exercises": "Not attempted", "zh": "未作答"}


def test_there_are_learner_notebooks():
    assert len(ENGLISH) >= 2, "no learner notebooks found in exercises/ (run `make release`)"
    assert [p.name for p in CHINESE] == [p.name for p in ENGLISH], "the Chinese edition lacks learner notebooks"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", LEARNER, ids=[str(p.relative_to(ROOT)) for p in LEARNER])
def test_learner_notebook_runs_untouched(path, store_path, execute_notebook):
    nb = nbformat.read(path, as_version=4)
    assert "____" in "".join(c.source for c in nb.cells if c.cell_type == "code"), \
        f"{path.name} has no placeholder: is it really the learner copy?"
    execute_notebook(nb, path.parent)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    texts = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                    for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    words = NOT_ATTEMPTED[path.relative_to(ROOT).parts[0]]
    assert words in texts, f"an untouched starter should report {words!r}"
