"""Benchmark: what a learner waits for.

    python -m ctopath.bench [--update-readme] [--repeat N]

For every notebook: kernel start time, execution time after the kernel is up,
and the kernel's peak memory (ru_maxrss read inside the kernel at the end).
For every exercise: the time of check() on the reference answer and on each
plausible wrong answer (median of N runs, first call excluded as warm-up).
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

import nbformat

ROOT = Path(__file__).resolve().parents[2]
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
NOTEBOOK_TARGET_S, CHECK_TARGET_MS = 3.0, 20.0


def notebook_paths() -> list[Path]:
    return (sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))
            + sorted((ROOT / "exercises" / "answers").glob("*.ipynb")))


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


def time_checks(repeat: int) -> list[tuple[str, str, float, float]]:
    from . import registry

    rows = []
    for ex in registry().values():
        answers = [ex.reference_answer()] + [w.value for w in ex.wrong_examples]
        worst = []
        for answer in answers:
            ex.check(answer)  # warm-up: lazy data loads and caches are not what a learner waits for twice
            runs = []
            for _ in range(repeat):
                t = time.perf_counter()
                ex.check(answer)
                runs.append((time.perf_counter() - t) * 1000)
            worst.append(statistics.median(runs))
        rows.append((ex.id, ex.kind, worst[0], max(worst)))
    return rows


def run(repeat: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CTOPATH_PROGRESS"] = str(Path(tmp) / "progress.json")
        os.environ["CTOPATH_PLAN_PATH"] = str(Path(tmp) / "my-90-day-plan.md")
        lines = [f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
                 f"Python {platform.python_version()} (`make bench`). Targets: notebook ≤ {NOTEBOOK_TARGET_S:g} s "
                 f"after kernel start; check() ≤ {CHECK_TARGET_MS:g} ms.", "",
                 "| notebook | kernel start (s) | run (s) | peak memory (MiB) | within target |",
                 "|---|---:|---:|---:|:---:|"]
        for path in notebook_paths():
            start, took, peak = time_notebook(path)
            ok = "✓" if took <= NOTEBOOK_TARGET_S else "✗"
            lines.append(f"| {path.relative_to(ROOT)} | {start:.2f} | {took:.2f} | {peak:.0f} | {ok} |")
            print(lines[-1], file=sys.stderr)
        checks = time_checks(repeat)
        slowest = max(checks, key=lambda r: r[3])
        over = [r[0] for r in checks if r[3] > CHECK_TARGET_MS]
        lines += ["", "| exercise | kind | check(reference) ms | slowest check ms |", "|---|---|---:|---:|"]
        lines += [f"| {i} | {k} | {ref:.2f} | {worst:.2f} |" for i, k, ref, worst in checks]
        lines += ["", f"{len(checks)} exercises; slowest check: {slowest[0]} at {slowest[3]:.2f} ms; "
                      f"over {CHECK_TARGET_MS:g} ms: {', '.join(over) if over else 'none'}."]
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
    parser = argparse.ArgumentParser(prog="python -m ctopath.bench", description=__doc__,
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
