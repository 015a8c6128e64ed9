"""Project schedules: critical path, earliest finish, three-point estimates simulated.

Plain functions: a task table in (one row per task, like ``ctopath.data.load("project_tasks")``),
numbers or DataFrames out; nothing is displayed and no input is modified. Durations are in
working days (Monday to Friday); a task's dependencies are the ids in its ``depends_on``
column, separated by ``;`` (empty = none). A task starts when all its dependencies are
finished (finish-to-start, no lags).

Definitions (and where they come from):

- Critical path method (CPM): a forward pass gives every task's earliest start and finish,
  a backward pass its latest start and finish; slack (float) = latest start − earliest
  start; the tasks with zero slack form the critical path, and the project's earliest
  finish is the largest earliest finish — J. E. Kelley and M. R. Walker, "Critical-path
  planning and scheduling", Proceedings of the Eastern Joint Computer Conference (1959);
  the same method is in PMI's PMBOK Guide ("Critical Path Method").
- Three-point estimates (optimistic, most likely, pessimistic) modelled by a triangular
  distribution, and a Monte Carlo simulation of the whole network: each run draws every
  task's duration and does the forward pass; the P50 / P85 of the project is the duration
  that 50 % / 85 % of the runs finish within — the usual schedule-risk analysis (e.g. PMI,
  *Practice Standard for Project Risk Management*, "Monte Carlo analysis"). Percentiles are
  empirical ("inverted CDF": the smallest simulated duration with at least q of the runs at
  or below it), so they are always durations that actually occurred in the runs.
- Adding people to a late task is not free: Brooks's law ("adding manpower to a late
  software project makes it later") — F. P. Brooks, *The Mythical Man-Month* (1975).
  :func:`with_extra_people` models it with a ramp-up and a coordination overhead.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

TASK_COLUMNS = ("task_id", "depends_on")
ESTIMATE_COLUMNS = ("optimistic_days", "likely_days", "pessimistic_days")

# ----------------------------------------------------------------------------- helpers


def _require(tasks, columns) -> pd.DataFrame:
    if not isinstance(tasks, pd.DataFrame):
        raise ValueError("Expected the task table as a pandas DataFrame (e.g. data.load('project_tasks')), "
                         f"got {type(tasks).__name__}.")
    missing = [c for c in columns if c not in tasks.columns]
    if missing:
        raise ValueError(f"The task table is missing the column(s) {', '.join(missing)}; it has "
                         f"{', '.join(map(str, tasks.columns))}.")
    if tasks.empty:
        raise ValueError("The task table has no rows: a project needs at least one task.")
    if tasks["task_id"].duplicated().any():
        dupes = sorted(set(tasks.loc[tasks["task_id"].duplicated(), "task_id"].astype(str)))
        raise ValueError(f"Task ids must be unique; repeated: {', '.join(dupes)}.")
    return tasks


def dependencies(tasks: pd.DataFrame) -> dict[str, list[str]]:
    """``{task_id: [ids it depends on]}`` from the ``depends_on`` column ("T01;T02", empty = none)."""
    _require(tasks, TASK_COLUMNS)
    ids = [str(t) for t in tasks["task_id"]]
    known = set(ids)
    deps: dict[str, list[str]] = {}
    for tid, raw in zip(ids, tasks["depends_on"]):
        if raw is None or (isinstance(raw, float) and math.isnan(raw)) or str(raw).strip() == "":
            deps[tid] = []
            continue
        parts = [p.strip() for p in str(raw).replace(",", ";").split(";") if p.strip()]
        unknown = [p for p in parts if p not in known]
        if unknown:
            raise ValueError(f"Task {tid} depends on {', '.join(unknown)}, which is not a task in the table.")
        if tid in parts:
            raise ValueError(f"Task {tid} depends on itself.")
        deps[tid] = parts
    return deps


def topological_order(tasks: pd.DataFrame) -> list[str]:
    """Task ids so that every task comes after its dependencies (table order breaks ties).

    A dependency cycle (A needs B, B needs A) is a ValueError naming the tasks in it.
    """
    deps = dependencies(tasks)
    order: list[str] = []
    done: set[str] = set()
    remaining = list(deps)
    while remaining:
        ready = [t for t in remaining if all(d in done for d in deps[t])]
        if not ready:
            raise ValueError("The dependencies form a cycle, so no task among "
                             f"{', '.join(remaining)} can ever start. Check their depends_on values.")
        for t in ready:
            order.append(t)
            done.add(t)
        remaining = [t for t in remaining if t not in done]
    return order


def _durations(tasks: pd.DataFrame, duration) -> dict[str, float]:
    """Durations by task id: ``duration`` is a column name or a {task_id: days} mapping."""
    if isinstance(duration, str):
        _require(tasks, TASK_COLUMNS + (duration,))
        raw = dict(zip(tasks["task_id"].astype(str), tasks[duration]))
    elif isinstance(duration, dict):
        raw = {str(k): v for k, v in duration.items()}
        missing = [str(t) for t in tasks["task_id"] if str(t) not in raw]
        if missing:
            raise ValueError(f"No duration given for task(s) {', '.join(missing)}.")
    else:
        raise ValueError("duration must be a column name (e.g. 'likely_days') or a {task_id: days} dict.")
    out = {}
    for tid, value in raw.items():
        try:
            days = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"The duration of task {tid} is {value!r}, not a number of days.") from None
        if math.isnan(days) or math.isinf(days):
            raise ValueError(f"The duration of task {tid} is missing or infinite.")
        if days < 0:
            raise ValueError(f"The duration of task {tid} is {days:g} days: a duration cannot be negative.")
        out[tid] = days
    return out


# ----------------------------------------------------------------------------- the critical path


CPM_COLUMNS = ("task_id", "duration", "earliest_start", "earliest_finish", "latest_start",
               "latest_finish", "slack", "critical")


def critical_path_table(tasks: pd.DataFrame, duration="likely_days") -> pd.DataFrame:
    """The forward and backward pass of the critical path method, one row per task.

    Times are working days from the project start (day 0): a task with earliest_start 3 and
    duration 4 works on days 3, 4, 5, 6 and has earliest_finish 7. ``slack`` is how many days
    it can slip without moving the project's finish; ``critical`` is slack == 0. Rows come in
    the table's order. ``duration`` is a column (default ``likely_days``) or {task_id: days}.
    """
    _require(tasks, TASK_COLUMNS)
    deps = dependencies(tasks)
    order = topological_order(tasks)
    d = _durations(tasks, duration)
    es: dict[str, float] = {}
    ef: dict[str, float] = {}
    for t in order:
        es[t] = max((ef[p] for p in deps[t]), default=0.0)
        ef[t] = es[t] + d[t]
    finish = max(ef.values())
    successors: dict[str, list[str]] = {t: [] for t in deps}
    for t, ps in deps.items():
        for p in ps:
            successors[p].append(t)
    lf: dict[str, float] = {}
    ls: dict[str, float] = {}
    for t in reversed(order):
        lf[t] = min((ls[s] for s in successors[t]), default=finish)
        ls[t] = lf[t] - d[t]
    rows = []
    for t in (str(x) for x in tasks["task_id"]):
        slack = round(ls[t] - es[t], 9)
        rows.append((t, d[t], es[t], ef[t], ls[t], lf[t], slack, abs(slack) < 1e-9))
    return pd.DataFrame(rows, columns=list(CPM_COLUMNS))


def project_duration(tasks: pd.DataFrame, duration="likely_days") -> float:
    """The project's earliest finish, in working days: the longest path through the network."""
    return float(critical_path_table(tasks, duration)["earliest_finish"].max())


def critical_path(tasks: pd.DataFrame, duration="likely_days") -> list[str]:
    """The ids of the critical tasks (zero slack), in the order they are worked."""
    cpm = critical_path_table(tasks, duration)
    crit = cpm[cpm["critical"]].sort_values(["earliest_start", "earliest_finish"], kind="stable")
    return list(crit["task_id"])


# ----------------------------------------------------------------------------- calendar


def finish_date(start, working_days: float, holidays: Iterable = ()) -> pd.Timestamp:
    """The date of the last working day of a project that starts on ``start`` and takes ``working_days``.

    The start day is working day 1, so 1 day finishes on the start day itself and 5 days
    started on a Monday finish that Friday. A fractional duration is rounded up (2.1 days
    occupy a third day). Weekends and ``holidays`` (dates) are skipped; ``start`` must be a
    working day.
    """
    try:
        days = float(working_days)
    except (TypeError, ValueError):
        raise ValueError(f"working_days must be a number of days, got {working_days!r}.") from None
    if math.isnan(days) or days <= 0:
        raise ValueError(f"working_days must be more than 0, got {working_days!r}.")
    if math.isinf(days) or days > 10_000:
        raise ValueError(f"working_days={working_days!r} is not a plausible project length.")
    try:
        first = pd.Timestamp(start).normalize()
    except (TypeError, ValueError):
        raise ValueError(f"start must be a date like '2026-07-06', got {start!r}.") from None
    hol = [pd.Timestamp(h).strftime("%Y-%m-%d") for h in holidays]
    day = np.datetime64(first.strftime("%Y-%m-%d"))
    if not np.is_busday(day, holidays=hol):
        raise ValueError(f"The project must start on a working day; {first:%Y-%m-%d} ({first:%A}) is not one.")
    whole = int(math.ceil(days - 1e-9))
    return pd.Timestamp(np.busday_offset(day, whole - 1, roll="forward", holidays=hol))


def working_days_between(start, end, holidays: Iterable = ()) -> int:
    """Working days from ``start`` to ``end``, both included (the inverse of :func:`finish_date`)."""
    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    hol = [pd.Timestamp(h).strftime("%Y-%m-%d") for h in holidays]
    return int(np.busday_count(np.datetime64(s.strftime("%Y-%m-%d")),
                               np.datetime64((e + pd.Timedelta(days=1)).strftime("%Y-%m-%d")), holidays=hol))


# ----------------------------------------------------------------------------- people


def with_extra_people(days: float, extra_people: int, ramp_up_days: float = 2.0,
                      overhead: float = 0.15) -> float:
    """A task's duration when ``extra_people`` join the one person on it (Brooks's law, simplified).

    duration = ramp_up_days + days ÷ (1 + extra) × (1 + overhead × extra). The result can
    exceed the original duration — which is the point of Brooks's law. With no one added the
    duration is ``days`` unchanged. Example: 10 days, one extra person, ramp-up 2 days,
    overhead 15 % → 2 + 10/2 × 1.15 = 7.75 days; a 3-day task gets *longer* (2 + 1.5 × 1.15 = 3.725).
    """
    try:
        n = int(extra_people)
        base = float(days)
    except (TypeError, ValueError):
        raise ValueError("days must be a number and extra_people a whole number.") from None
    if n != extra_people or n < 0:
        raise ValueError(f"extra_people must be a whole number ≥ 0, got {extra_people!r}.")
    if math.isnan(base) or base < 0:
        raise ValueError(f"days must be ≥ 0, got {days!r}.")
    if ramp_up_days < 0 or overhead < 0:
        raise ValueError("ramp_up_days and overhead cannot be negative.")
    if n == 0:
        return base
    return ramp_up_days + base / (1 + n) * (1 + overhead * n)


# ----------------------------------------------------------------------------- simulation


def triangular_quantile(u, low, mode, high):
    """The inverse CDF of the triangular distribution (low ≤ mode ≤ high) at probability ``u``.

    Vectorised: ``u`` is an array in [0, 1]; low/mode/high are numbers or arrays. When
    low == high the duration is fixed. Used so a simulation is exact and reproducible
    with a seeded generator, including degenerate estimates numpy's sampler refuses.
    """
    u = np.asarray(u, dtype="float64")
    a, c, b = (np.asarray(x, dtype="float64") for x in (low, mode, high))
    width = b - a
    safe = np.where(width > 0, width, 1.0)
    fc = np.where(width > 0, (c - a) / safe, 0.0)
    left = a + np.sqrt(u * safe * np.maximum(c - a, 0.0))
    right = b - np.sqrt((1 - u) * safe * np.maximum(b - c, 0.0))
    out = np.where(u < fc, left, right)
    return np.where(width > 0, out, a)


def _three_point(tasks, low, mode, high) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _require(tasks, TASK_COLUMNS + (low, mode, high))
    arrays = []
    for col in (low, mode, high):
        try:
            values = pd.to_numeric(tasks[col], errors="raise").to_numpy(dtype="float64")
        except (TypeError, ValueError):
            raise ValueError(f"Column {col} must hold numbers of days.") from None
        if np.isnan(values).any():
            raise ValueError(f"Column {col} has missing values.")
        if (values < 0).any():
            raise ValueError(f"Column {col} has a negative duration.")
        arrays.append(values)
    a, c, b = arrays
    bad = ~((a <= c) & (c <= b))
    if bad.any():
        tid = str(tasks["task_id"].iloc[int(np.flatnonzero(bad)[0])])
        raise ValueError(f"Task {tid}: estimates must satisfy optimistic ≤ likely ≤ pessimistic.")
    return a, c, b


def simulate_durations(tasks: pd.DataFrame, runs: int = 2000, seed: int = 2026,
                       low: str = "optimistic_days", mode: str = "likely_days",
                       high: str = "pessimistic_days") -> np.ndarray:
    """Project durations (working days) of ``runs`` simulated projects, reproducible from ``seed``.

    Each run draws every task's duration from its triangular (optimistic, likely,
    pessimistic) distribution — one uniform number per task per run, from
    ``numpy.random.default_rng(seed)``, in table order — and does the forward pass.
    """
    if not isinstance(runs, (int, np.integer)) or isinstance(runs, bool) or runs < 1:
        raise ValueError(f"runs must be a whole number ≥ 1, got {runs!r}.")
    if runs > 200_000:
        raise ValueError(f"runs={runs} is more than this needs; 2,000 to 10,000 runs are plenty.")
    a, c, b = _three_point(tasks, low, mode, high)
    deps = dependencies(tasks)
    order = topological_order(tasks)
    ids = [str(t) for t in tasks["task_id"]]
    rng = np.random.default_rng(seed)
    u = rng.random((runs, len(ids)))
    draws = triangular_quantile(u, a, c, b)
    col = {t: i for i, t in enumerate(ids)}
    ef: dict[str, np.ndarray] = {}
    for t in order:
        start = np.zeros(runs)
        for p in deps[t]:
            start = np.maximum(start, ef[p])
        ef[t] = start + draws[:, col[t]]
    return np.max(np.column_stack([ef[t] for t in ids]), axis=1)


def percentile(durations, q: float) -> float:
    """The P-``q`` duration: the smallest simulated duration with at least q % of the runs at or below it."""
    arr = np.asarray(durations, dtype="float64")
    if arr.size == 0:
        raise ValueError("No simulated durations: run simulate_durations first.")
    if np.isnan(arr).any():
        raise ValueError("The simulated durations contain NaN.")
    try:
        qf = float(q)
    except (TypeError, ValueError):
        raise ValueError(f"q must be a percentage such as 85, got {q!r}.") from None
    if not 0 < qf <= 100:
        raise ValueError(f"q must be a percentage in (0, 100], e.g. 50 or 85; got {q!r}.")
    return float(np.quantile(arr, qf / 100, method="inverted_cdf"))


def on_time_probability(durations, working_days: float) -> float:
    """Share of simulated projects that finish within ``working_days`` (a fraction)."""
    arr = np.asarray(durations, dtype="float64")
    if arr.size == 0:
        raise ValueError("No simulated durations: run simulate_durations first.")
    return float(np.mean(arr <= float(working_days) + 1e-9))


def criticality(tasks: pd.DataFrame, runs: int = 2000, seed: int = 2026) -> pd.Series:
    """How often each task is on the critical path across the simulated runs (a fraction per task).

    Uses the same draws as :func:`simulate_durations` with the same seed. A task that is
    not critical in the single-number plan can still be critical in many runs.
    """
    a, c, b = _three_point(tasks, "optimistic_days", "likely_days", "pessimistic_days")
    ids = [str(t) for t in tasks["task_id"]]
    rng = np.random.default_rng(seed)
    draws = triangular_quantile(rng.random((runs, len(ids))), a, c, b)
    counts = dict.fromkeys(ids, 0)
    for r in range(runs):
        cpm = critical_path_table(tasks, dict(zip(ids, draws[r])))
        for t in cpm.loc[cpm["critical"], "task_id"]:
            counts[t] += 1
    out = pd.Series({t: counts[t] / runs for t in ids}, name="share_of_runs_critical")
    out.index.name = "task_id"
    return out
