"""Benchmark: what a learner waits for.

    python -m ctopath bench [--update-readme] [--repeat N]

For every notebook: kernel start time, execution time after the kernel is up,
and the kernel's peak memory (ru_maxrss read inside the kernel at the end).
For every exercise: the time of check() on the reference answer and on each
plausible wrong answer (median of N runs, first call excluded as warm-up); the time of
Check in the widget (judging, saving to the progress store and redrawing, median); the
warm-up a view starts in the background when it is displayed (reference and slip values),
and the first wrong answer judged after it, in a fresh state.
Prints Markdown; --update-readme writes it between the bench markers in README.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ..shipped import REPO

import nbformat

ROOT = REPO
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
NOTEBOOK_TARGET_S, CHECK_TARGET_MS, MODEL_CHECK_TARGET_MS, FIRST_WRONG_TARGET_MS = 3.0, 20.0, 150.0, 50.0


def check_target(kind: str) -> float:
    return MODEL_CHECK_TARGET_MS if kind == "model" else CHECK_TARGET_MS


def notebook_paths() -> list[Path]:
    """Every notebook of both editions: the English, then the Chinese (zh/)."""
    return [path for edition in (ROOT, ROOT / "zh")
            for path in (sorted((edition / "notebooks").glob("*.ipynb")) + sorted((edition / "exercises").glob("*.ipynb"))
                         + sorted((edition / "exercises" / "answers").glob("*.ipynb")))]


def time_notebook(path: Path) -> tuple[float, float, float]:
    """(kernel start s, run s, peak MiB) for one notebook in a fresh kernel."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import resource as _r; print('PEAK_KIB', _r.getrusage(_r.RUSAGE_SELF).ru_maxrss)"))
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    with client.setup_kernel():
        t1 = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        t2 = time.perf_counter()
    peak = next((int(o["text"].split()[1]) for o in nb.cells[-1].outputs if "PEAK_KIB" in o.get("text", "")), 0)
    return t1 - t0, t2 - t1, peak / 1024


def _median_ms(action, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        action()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs)


def time_checks(repeat: int) -> list[dict]:
    from ..course import registry

    rows = []
    for ex in registry().values():
        answers = [ex.reference_answer()] + [w.value for w in ex.wrong_examples]
        # The first wrong answer in a fresh kernel: the view warms up in the background when
        # displayed (timed here as the view does it), then the learner answers.
        ex.forget()
        t = time.perf_counter()
        ex.warm()
        warm_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        ex.check(answers[-1])
        first_wrong_ms = (time.perf_counter() - t) * 1000
        worst = []
        for answer in answers:
            ex.check(answer)  # warm-up: lazy data loads and caches are not what a learner waits for twice
            worst.append(_median_ms(lambda: ex.check(answer), repeat))
        view = ex.view()
        widget = []
        for answer in answers:
            view.submit(answer)  # the learner's Check: judge, save, redraw what changed
            widget.append(_median_ms(lambda: view.submit(answer), repeat))
        rows.append({"id": ex.id, "kind": ex.kind, "reference": worst[0], "slowest": max(worst),
                     "widget": max(widget), "warm": warm_ms, "first_wrong": first_wrong_ms})
    return rows
def run(repeat: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CTOPATH_PROGRESS"] = str(Path(tmp) / "progress.json")
        os.environ["CTOPATH_PLAN_PATH"] = str(Path(tmp) / "my-90-day-plan.md")
        lines = [f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
                 f"Python {platform.python_version()} (`make bench`). Target: notebook ≤ {NOTEBOOK_TARGET_S:g} s "
                 f"after kernel start.", "",
                 "| notebook | kernel start (s) | run (s) | peak memory (MiB) | within target |",
                 "|---|---:|---:|---:|:---:|"]
        for path in notebook_paths():
            start, took, peak = time_notebook(path)
            ok = "✓" if took <= NOTEBOOK_TARGET_S else "✗"
            lines.append(f"| {path.relative_to(ROOT)} | {start:.2f} | {took:.2f} | {peak:.0f} | {ok} |")
            print(lines[-1], file=sys.stderr)
        checks = time_checks(repeat)
        over = [r["id"] for r in checks if r["widget"] > check_target(r["kind"])
                or r["first_wrong"] > FIRST_WRONG_TARGET_MS]
        slowest = max(checks, key=lambda r: r["widget"])
        lines += ["", f"Check targets: ≤ {CHECK_TARGET_MS:g} ms (model exercises ≤ {MODEL_CHECK_TARGET_MS:g} ms) "
                      f"for Check in the widget, median; the first wrong answer ≤ {FIRST_WRONG_TARGET_MS:g} ms once "
                      f"the view's background warm-up is done.", "",
                  "| exercise | kind | check(reference) ms | slowest check() ms | Check in the widget ms "
                  "| warm-up at display ms | first wrong answer ms | within target |",
                  "|---|---|---:|---:|---:|---:|---:|:---:|"]
        lines += [f"| {r['id']} | {r['kind']} | {r['reference']:.2f} | {r['slowest']:.2f} | {r['widget']:.2f} "
                  f"| {r['warm']:.1f} | {r['first_wrong']:.2f} | {'✗' if r['id'] in over else '✓'} |"
                  for r in checks]
        lines += ["", f"{len(checks)} exercises; slowest Check in the widget: {slowest['id']} at "
                      f"{slowest['widget']:.2f} ms; over target: {', '.join(over) if over else 'none'}."]
    return "\n".join(lines)


def update_readme(table: str) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} … {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ctopath bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args(argv)
    table = run(args.repeat)
    print(table)
    if args.update_readme:
        update_readme(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
