"""A hard technical problem (技术难题攻关): the highest load each build can carry, and the
build that lost it.

Plain functions on DataFrames shaped like ``ctopath.data.load("perf_runs")``; nothing is
displayed and no input is modified.

Definitions (and where they come from):

- Capacity at a latency target: the highest tested load (requests per second) at which the
  95th-percentile latency still meets the target — the "knee" of a load test, and the
  capacity-planning practice of Google's *Site Reliability Engineering* (2016), ch. 27
  and ch. 21 "Handling Overload" (https://sre.google/sre-book/handling-overload/). A build
  that misses the target at every tested load has capacity 0. Tested loads are steps, so
  capacity is a step, not an interpolation.
- A regression is found by comparing each build with the one before it, in build order —
  the bisection every performance investigation starts with (``git bisect``).
"""
from __future__ import annotations

import pandas as pd

from .checks import finite_number, require_columns as _require

RUN_COLUMNS = ("build", "target_rps", "p95_ms")
LATENCIES = ("p95_ms", "p99_ms")


def _runs(runs, latency: str) -> pd.DataFrame:
    if latency not in LATENCIES:
        raise ValueError(f"latency must be one of {', '.join(LATENCIES)}, got {latency!r}.")
    frame = _require(runs, (*RUN_COLUMNS, latency), "perf_runs")
    if frame.empty:
        raise ValueError("The perf_runs table has no rows: there is no load test to read.")
    for col in ("target_rps", latency):
        if pd.to_numeric(frame[col], errors="coerce").isna().any():
            raise ValueError(f"Every load-test row needs a number in {col}.")
    return frame


def capacity_by_build(runs: pd.DataFrame, target_ms: float = 300, latency: str = "p95_ms") -> pd.Series:
    """The highest tested load (rps) at which ``latency`` ≤ ``target_ms``, per build (0 if none).

    A Series indexed by build, in the order the builds first appear, named ``capacity_rps``.
    """
    target = finite_number(target_ms, "target_ms")
    frame = _runs(runs, latency)
    order = list(dict.fromkeys(frame["build"]))
    ok = frame[frame[latency] <= target]
    out = ok.groupby("build")["target_rps"].max().reindex(order).fillna(0).astype(int)
    out.index.name, out.name = "build", "capacity_rps"
    return out


def regression_build(runs: pd.DataFrame, target_ms: float = 300, latency: str = "p95_ms") -> str | None:
    """The build whose capacity fell most against the build before it (None if no build lost any)."""
    capacity = capacity_by_build(runs, target_ms, latency)
    drop = capacity.shift(1) - capacity
    if drop.isna().all() or drop.max() <= 0:
        return None
    return str(drop.idxmax())


def build_summary(runs: pd.DataFrame, target_ms: float = 300) -> pd.DataFrame:
    """One row per build: its change, database queries per request (if recorded), p95 at each
    tested load, and its capacity at ``target_ms``."""
    frame = _runs(runs, "p95_ms")
    order = list(dict.fromkeys(frame["build"]))
    p95 = frame.pivot_table(index="build", columns="target_rps", values="p95_ms", aggfunc="max").reindex(order)
    p95.columns = [f"p95@{int(c)}" for c in p95.columns]
    extra = [c for c in ("change", "db_queries_per_request") if c in frame.columns]
    first = frame.groupby("build")[extra].first().reindex(order) if extra else pd.DataFrame(index=p95.index)
    out = pd.concat([first, p95], axis=1)
    out["capacity_rps"] = capacity_by_build(frame, target_ms)
    out.index.name = "build"
    return out
