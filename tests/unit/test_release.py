"""One source: the learner notebooks are exactly what the release tool makes of the answer set."""
import nbformat
import pytest

from ctopath.tools import release

ROOT = release.ROOT


def test_committed_learner_notebooks_equal_a_fresh_release(tmp_path):
    written = release.release(out_dir=tmp_path)
    assert len(written) >= 2, "no answer notebooks found"
    for fresh in written:
        committed = release.ROOT / "exercises" / fresh.name
        assert committed.exists(), f"{committed.name} is missing: run `make release`"
        assert committed.read_text() == fresh.read_text(), f"{committed.name} is stale: run `make release`"


def test_answer_block_becomes_its_starter():
    src = "x = 1\n# BEGIN ANSWER\n# starter: total = ____\ntotal = x + 1\n# END ANSWER\nprint(total)"
    assert release.strip_answers(src, "t") == "x = 1\ntotal = ____\nprint(total)"


def test_indented_block_keeps_indent():
    src = "if True:\n    # BEGIN ANSWER\n    # starter: y = ____\n    y = 2\n    # END ANSWER"
    assert release.strip_answers(src, "t") == "if True:\n    y = ____"


@pytest.mark.parametrize("src, says", [
    ("# BEGIN ANSWER\ny = 1\n# END ANSWER", "no '# starter:'"),
    ("# BEGIN ANSWER\n# starter: y = ____\n", "never closed"),
    ("# END ANSWER", "without"),
    ("# BEGIN ANSWER\n# BEGIN ANSWER\n", "nested"),
])
def test_malformed_blocks_are_refused(src, says):
    with pytest.raises(release.ReleaseError, match=says):
        release.strip_answers(src, "t")


def test_learner_copy_drops_answer_only_cells_outputs_and_volatile_metadata():
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"state": {}}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    keep = nbformat.v4.new_code_cell("ex.submit(total)", execution_count=3,
                                     outputs=[nbformat.v4.new_output("stream", text="hi")])
    keep.metadata["execution"] = {"iopub.status.busy": "2026"}
    drop = nbformat.v4.new_code_cell("ex.submit(41)")
    drop.metadata["tags"] = ["answer-only"]
    nb.cells = [keep, drop]
    out = release.to_learner(nb)
    assert [c.source for c in out.cells] == ["ex.submit(total)"]
    assert out.cells[0].outputs == [] and out.cells[0].execution_count is None
    assert "execution" not in out.cells[0].metadata
    assert "widgets" not in out.metadata and out.metadata.language_info == {"name": "python"}


def test_answer_notebooks_have_no_run_specific_metadata():
    for path in release.answer_notebooks() + release.lesson_notebooks():
        nb = nbformat.read(path, as_version=4)
        assert "widgets" not in nb.metadata, f"{path.name}: widget state stored (run `make outputs`)"
        assert nb.metadata.get("language_info") == {"name": "python"}, path.name
        for cell in nb.cells:
            assert "execution" not in cell.metadata, f"{path.name}: timing metadata stored"


def test_nbval_markers_are_cell_tags_never_comments_a_learner_reads():
    """`# NBVAL_IGNORE_OUTPUT` lines once showed in learner notebooks; nbval reads cell tags instead."""
    notebooks = [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("exercises/*.ipynb"),
                 *ROOT.glob("exercises/answers/*.ipynb"), *ROOT.glob("docs/*.ipynb")]
    assert len(notebooks) >= 21
    tagged = 0
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            assert "NBVAL_" not in cell.source, f"{path.name}: use the nbval-* cell tag, not a comment"
            tags = cell.metadata.get("tags", [])
            if "answers" in path.parts or path.parent.name in ("notebooks", "docs"):
                tagged += any(t.startswith("nbval-") for t in tags)
            else:
                assert not any(t.startswith("nbval-") for t in tags), f"{path.name}: learner copies carry no nbval tags"
    assert tagged >= 8, "the cells whose output varies (times, dates) are tagged nbval-ignore-output"


def test_cells_showing_the_learners_own_progress_are_not_compared():
    """`progress.show()` shows the store of whoever runs it: strict nbval must skip its output."""
    shown = 0
    for path in [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("exercises/answers/*.ipynb")]:
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "code" and "progress.show()" in cell.source:
                shown += 1
                assert "nbval-ignore-output" in cell.metadata.get("tags", []), f"{path.name} cell {i}"
    assert shown >= 7
