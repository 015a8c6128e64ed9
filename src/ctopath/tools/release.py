"""One source, three builds: answer notebooks → learner notebooks, and stored outputs.

    python -m ctopath release          write exercises/*.ipynb from exercises/answers/*.ipynb
    python -m ctopath release --run    first re-execute notebooks/ and exercises/answers/
                                       in fresh kernels and store their outputs, then release
    python -m ctopath release --check  exit 1 if the committed learner notebooks are stale

Each edition is released the same way: the English at the top level, the Chinese in ``zh/``
(whose notebooks ``ctopath translate`` writes from the English).

In an answer notebook:
- a code cell's solution sits between ``# BEGIN ANSWER`` and ``# END ANSWER``;
  lines inside it that start with ``# starter:`` become the learner's starter code
  (every block must have one, so the learner copy still runs top to bottom);
- cells tagged ``answer-only`` (the wrong-then-right demonstrations) are dropped.
Learner copies carry no outputs, no execution counts and clean metadata.
"""
from __future__ import annotations

import argparse
import contextlib
import copy
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ..shipped import REPO

import nbformat

ROOT = REPO
BEGIN, END, STARTER = "# BEGIN ANSWER", "# END ANSWER", "# starter:"
ANSWER_ONLY = "answer-only"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# Cell metadata that is volatile or belongs to one run, never kept.
_VOLATILE_CELL_KEYS = ("execution", "collapsed", "scrolled", "jp-MarkdownHeadingCollapsed", "id")


class ReleaseError(Exception):
    pass


def strip_answers(source: str, where: str) -> str:
    """Replace each BEGIN/END ANSWER block by its ``# starter:`` lines."""
    out, block, starters, depth_line = [], False, [], 0
    for n, line in enumerate(source.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith(BEGIN):
            if block:
                raise ReleaseError(f"{where}: nested {BEGIN} at line {n}")
            block, starters, depth_line = True, [], n
            indent = line[: len(line) - len(line.lstrip())]
            continue
        if stripped.startswith(END):
            if not block:
                raise ReleaseError(f"{where}: {END} without {BEGIN} at line {n}")
            if not starters:
                raise ReleaseError(f"{where}: the answer block at line {depth_line} has no "
                                   f"'{STARTER}' line, so the learner copy would not run")
            out.extend(indent + s for s in starters)
            block = False
            continue
        if block:
            if stripped.startswith(STARTER):
                starters.append(stripped[len(STARTER):].strip())
            continue
        out.append(line)
    if block:
        raise ReleaseError(f"{where}: {BEGIN} at line {depth_line} is never closed")
    return "\n".join(out)


def clean_metadata(nb) -> None:
    """Keep only what is stable across machines and runs."""
    nb.metadata = nbformat.from_dict({
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
        **({"ctopath": nb.metadata["ctopath"]} if "ctopath" in nb.metadata else {}),
    })
    for cell in nb.cells:
        for key in _VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)


def to_learner(nb, where: str = "notebook"):
    """The learner copy of an answer notebook."""
    nb = copy.deepcopy(nb)
    cells = []
    for i, cell in enumerate(nb.cells):
        tags = list(cell.metadata.get("tags", []))
        if ANSWER_ONLY in tags:
            continue
        if cell.cell_type == "code":
            cell.source = strip_answers(cell.source, f"{where} cell {i}")
            cell.outputs = []
            cell.execution_count = None
        if "tags" in cell.metadata:
            # nbval's tags only matter where stored outputs are checked: the answer set.
            cell.metadata["tags"] = [t for t in tags if t != ANSWER_ONLY and not t.startswith("nbval-")]
            if not cell.metadata["tags"]:
                del cell.metadata["tags"]
        cells.append(cell)
    nb.cells = cells
    clean_metadata(nb)
    # Fresh, deterministic cell ids so the learner copy is byte-stable.
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    return nb


def write(nb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb, version=4)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def answer_notebooks(root: Path = ROOT) -> list[Path]:
    return sorted((root / "exercises" / "answers").glob("*.ipynb"))


def lesson_notebooks(root: Path = ROOT) -> list[Path]:
    return sorted((root / "notebooks").glob("*.ipynb"))


def editions(root: Path = ROOT) -> list[Path]:
    """The top folder of each edition: the English, then each translation that has an answer set."""
    return [root] + [d for d in sorted(root.glob("zh")) if (d / "exercises" / "answers").is_dir()]


def learner_path(answer: Path) -> Path:
    return answer.parent.parent / answer.name


def release(root: Path = ROOT, out_dir: Path | None = None) -> list[Path]:
    """Write every learner notebook; returns their paths."""
    answers = answer_notebooks(root)
    if not answers:
        raise ReleaseError(f"no answer notebooks found in {root / 'exercises' / 'answers'}")
    written = []
    for src in answers:
        nb = nbformat.read(src, as_version=4)
        dest = (out_dir / src.name) if out_dir else learner_path(src)
        write(to_learner(nb, where=str(src.relative_to(root))), dest)
        written.append(dest)
    return written


@contextlib.contextmanager
def _cleanup(folder: Path):
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def execute(path: Path, timeout: int = 180) -> float:
    """Run a notebook in a fresh kernel with an empty progress store; store its outputs."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    # A fixed scratch folder (emptied each run) keeps the paths a notebook prints the same on every run.
    scratch_dir = Path(tempfile.gettempdir()) / "ctopath-release-run"
    shutil.rmtree(scratch_dir, ignore_errors=True)
    scratch_dir.mkdir(parents=True)
    with _cleanup(scratch_dir) as tmp:
        # A fresh learner: empty progress, and any file a notebook saves for the learner goes to tmp.
        scratch = {"CTOPATH_PROGRESS": str(Path(tmp) / "progress.json"),
                   "CTOPATH_PLAN_PATH": str(Path(tmp) / "my-90-day-plan.md")}
        old = {k: os.environ.get(k) for k in scratch}
        os.environ.update(scratch)
        try:
            start = time.perf_counter()
            client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}},
                                    record_timing=False)
            client.execute()
            elapsed = time.perf_counter() - start
        finally:
            for key, value in old.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    clean_metadata(nb)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
        # Widget state is not stored, so a view's random model id points nowhere; a stable
        # placeholder keeps re-runs from rewriting every widget output in the diff.
        for j, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view:
                view["model_id"] = f"not-stored-{i:03d}-{j}"
    write(nb, path)
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ctopath release", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", action="store_true", help="re-execute lessons and answers first")
    parser.add_argument("--check", action="store_true", help="fail if learner notebooks are stale")
    parser.add_argument("notebooks", nargs="*", type=Path, help="with --run: only these notebooks")
    args = parser.parse_args(argv)
    try:
        if args.run:
            targets = args.notebooks or [nb for ed in editions() for nb in lesson_notebooks(ed) + answer_notebooks(ed)]
            for nb in targets:
                secs = execute(nb.resolve())
                print(f"ran {nb.resolve().relative_to(ROOT)} in {secs:.1f} s")
        if args.check:
            stale = []
            for edition in editions():
                with tempfile.TemporaryDirectory() as tmp:
                    for fresh in release(edition, out_dir=Path(tmp)):
                        committed = edition / "exercises" / fresh.name
                        if not committed.exists() or committed.read_bytes() != fresh.read_bytes():
                            stale.append(committed.relative_to(ROOT))
            if stale:
                print("stale learner notebooks (run `make release`):", *map(str, stale), sep="\n  ")
                return 1
            print("learner notebooks are up to date")
            return 0
        for edition in editions():
            for path in release(edition):
                print(f"wrote {path.relative_to(ROOT)}")
    except ReleaseError as err:
        print(f"release: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
