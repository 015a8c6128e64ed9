"""Delivery: how capacity is split between features and the platform, and launch readiness.

Plain functions on DataFrames shaped like ``ctopath.data.load(...)``; nothing is displayed
and no input is modified. Shares and rates are fractions (0.25, not 25).

Definitions (and where they come from):

- Platform share: the share of a sprint's capacity (story points) spent on platform and
  tech-debt work — the "capacity allocation" of Scaled Agile's SAFe guidance
  (https://scaledagileframework.com/capacity-allocation/) and the "20 % for technical
  debt" rules of thumb teams negotiate. Here: ``platform_points ÷ capacity_points``.
  Incidents follow the allocation with a lag, so sprints are banded by the share averaged
  over the last ``window`` sprints (this one included), not by the sprint's own share.
- Launch readiness (go / no-go): explicit, checkable launch criteria agreed before the
  launch — Google, *Site Reliability Engineering* (2016), ch. 27 "Reliable Product
  Launches at Scale" (the launch checklist), https://sre.google/sre-book/reliable-product-launches/ ;
  canary analysis compares the canary's error rate with the baseline's over the same
  window — Google, *The Site Reliability Workbook* (2018), ch. 16 "Canarying Releases",
  https://sre.google/workbook/canarying-releases/ . Load-test latency is judged at the
  launch's target load, as a 95th percentile (p95).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..engine.i18n import Msg
from .checks import require_columns as _require

SPRINT_COLUMNS = ("sprint_id", "capacity_points", "feature_points", "platform_points", "unplanned_points",
                  "incidents", "lead_time_days")
BAND_EDGES = (0.0, 0.10, 0.20, 0.30, math.inf)
BAND_LABELS = ("0-10%", "10-20%", "20-30%", "30%+")


def _sprints(sprints) -> pd.DataFrame:
    frame = _require(sprints, SPRINT_COLUMNS, "sprints")
    cap = pd.to_numeric(frame["capacity_points"], errors="coerce")
    if frame.empty:
        raise ValueError("The sprints table has no rows: there is nothing to band.")
    if cap.isna().any() or (cap <= 0).any():
        raise ValueError("Every sprint needs a capacity_points above zero (a share of zero capacity is undefined).")
    return frame


def platform_share(sprints: pd.DataFrame) -> pd.Series:
    """Share of each sprint's capacity spent on platform work: platform_points ÷ capacity_points.

    A Series indexed by sprint_id, named ``platform_share`` (fractions).
    """
    frame = _sprints(sprints)
    out = pd.Series(frame["platform_points"].to_numpy(dtype=float) / frame["capacity_points"].to_numpy(dtype=float),
                    index=pd.Index(frame["sprint_id"], name="sprint_id"), name="platform_share")
    return out


def trailing_share(sprints: pd.DataFrame, window: int = 4) -> pd.Series:
    """Platform share averaged over the last ``window`` sprints (this one included), in sprint order.

    The first ``window − 1`` sprints have no full window: NaN.
    """
    if not isinstance(window, (int, np.integer)) or isinstance(window, bool) or window < 1:
        raise ValueError(f"window must be a whole number of sprints, 1 or more; got {window!r}.")
    share = platform_share(sprints)
    out = share.rolling(int(window)).mean()
    out.name = "trailing_share"
    return out


def share_bands(sprints: pd.DataFrame, window: int = 4) -> pd.Series:
    """Each sprint's band of trailing platform share: '0-10%', '10-20%', '20-30%' or '30%+' (NaN: no window).

    Bands include their lower edge: a trailing share of exactly 0.20 is in '20-30%'.
    """
    share = trailing_share(sprints, window)
    bands = pd.cut(share, list(BAND_EDGES), right=False, labels=list(BAND_LABELS))
    return bands.rename("band")


def by_share_band(sprints: pd.DataFrame, window: int = 4) -> pd.DataFrame:
    """What each band of platform share delivered, one row per band that has sprints.

    Columns: band, sprints, incidents_per_sprint (mean), feature_share (mean of
    feature_points ÷ capacity_points), unplanned_share (mean of unplanned_points ÷
    capacity_points), lead_time_days (mean). Sprints without a full window are left out.
    """
    frame = _sprints(sprints)
    bands = share_bands(frame, window).to_numpy()
    cap = frame["capacity_points"].to_numpy(dtype=float)
    work = pd.DataFrame({
        "band": bands,
        "incidents": frame["incidents"].to_numpy(dtype=float),
        "feature_share": frame["feature_points"].to_numpy(dtype=float) / cap,
        "unplanned_share": frame["unplanned_points"].to_numpy(dtype=float) / cap,
        "lead_time_days": frame["lead_time_days"].to_numpy(dtype=float),
    }).dropna(subset=["band"])
    grouped = work.groupby("band", observed=True)
    out = pd.DataFrame({
        "sprints": grouped.size(),
        "incidents_per_sprint": grouped["incidents"].mean(),
        "feature_share": grouped["feature_share"].mean(),
        "unplanned_share": grouped["unplanned_share"].mean(),
        "lead_time_days": grouped["lead_time_days"].mean(),
    })
    out.index = out.index.astype(str)
    out = out.reindex([b for b in BAND_LABELS if b in out.index])
    return out.rename_axis("band").reset_index()


def incidents_by_band(sprints: pd.DataFrame, window: int = 4) -> pd.Series:
    """Mean incidents per sprint by band of trailing platform share (a Series indexed by band)."""
    table = by_share_band(sprints, window)
    return pd.Series(table["incidents_per_sprint"].to_numpy(), index=pd.Index(table["band"], name="band"),
                     name="incidents_per_sprint")


# ----------------------------------------------------------------------------- launch readiness

READINESS_COLUMNS = ("check", "passed", "value", "target", "detail")


def readiness(load_tests: pd.DataFrame, bugs: pd.DataFrame, canary: pd.DataFrame, *, target_rps: int = 1200,
              p95_target_ms: float = 300, blocking=("S1", "S2"), max_extra_error_pp: float = 0.1) -> pd.DataFrame:
    """The launch checklist, one row per check, with a reason.

    - ``latency:<endpoint>``: p95 at ``target_rps`` ≤ ``p95_target_ms`` (one row per endpoint;
      an endpoint not tested at the target load fails: untested is not ready);
    - ``open blocking bugs``: open bugs whose severity is in ``blocking`` — must be none;
    - ``canary error rate``: canary errors ÷ requests minus baseline errors ÷ requests, over the
      whole canary window, in percentage points, ≤ ``max_extra_error_pp``.
    Columns: check, passed (bool), value, target, detail.
    """
    _require(load_tests, ("endpoint", "target_rps", "p95_ms"), "load_tests")
    _require(bugs, ("bug_id", "severity", "status", "title"), "launch_bugs")
    _require(canary, ("group", "requests", "errors"), "canary")
    if target_rps <= 0 or p95_target_ms <= 0:
        raise ValueError("target_rps and p95_target_ms must be positive numbers.")
    rows = []
    for endpoint in sorted(load_tests["endpoint"].unique()):
        at = load_tests[(load_tests["endpoint"] == endpoint) & (load_tests["target_rps"] == target_rps)]
        if at.empty:
            rows.append((f"latency:{endpoint}", False, math.nan, p95_target_ms,
                         Msg("not load-tested at {target_rps} rps", target_rps=target_rps)))
            continue
        p95 = float(at["p95_ms"].max())
        ok = p95 <= p95_target_ms
        rows.append((f"latency:{endpoint}", ok, p95, p95_target_ms,
                     Msg("p95 {p95:.0f} ms at {target_rps} rps (within {target:.0f} ms)",
                         p95=p95, target_rps=target_rps, target=p95_target_ms) if ok else
                     Msg("p95 {p95:.0f} ms at {target_rps} rps (over {target:.0f} ms)",
                         p95=p95, target_rps=target_rps, target=p95_target_ms)))
    open_blocking = bugs[(bugs["status"] == "open") & bugs["severity"].isin(list(blocking))]
    ids = ", ".join(f"{b.bug_id} ({b.severity}: {b.title})" for b in open_blocking.itertuples())
    rows.append(("open blocking bugs", open_blocking.empty, float(len(open_blocking)), 0.0,
                 ids if ids else Msg("no open {severities} bugs", severities="/".join(blocking))))
    totals = canary.groupby("group")[["requests", "errors"]].sum()
    if not {"canary", "baseline"} <= set(totals.index) or (totals["requests"] <= 0).any():
        raise ValueError("The canary table needs requests (more than zero) for both groups 'canary' and 'baseline'.")
    rate = totals["errors"] / totals["requests"]
    extra_pp = 100 * float(rate["canary"] - rate["baseline"])
    ok = extra_pp <= max_extra_error_pp
    rows.append(("canary error rate", ok, extra_pp, max_extra_error_pp,
                 Msg("canary {canary:.3f} % vs baseline {baseline:.3f} % ({extra_pp:+.3f} pp over the whole window)",
                     canary=100 * rate["canary"], baseline=100 * rate["baseline"], extra_pp=extra_pp)))
    out = pd.DataFrame(rows, columns=list(READINESS_COLUMNS))
    out["passed"] = out["passed"].astype(bool)
    return out


def go_no_go(checks: pd.DataFrame) -> dict:
    """``{"decision": "go" | "no-go", "blockers": [check names], "reasons": [details]}`` from ``readiness``."""
    _require(checks, READINESS_COLUMNS, "readiness checks")
    failed = checks[~checks["passed"].astype(bool)]
    return {"decision": "go" if failed.empty else "no-go",
            "blockers": failed["check"].tolist(),
            "reasons": failed["detail"].tolist()}


def canary_by_hour(canary: pd.DataFrame) -> pd.DataFrame:
    """Error rate (%) per hour and group: columns hour, baseline, canary (a wide table for a chart)."""
    _require(canary, ("hour", "group", "requests", "errors"), "canary")
    frame = canary.assign(error_pct=100 * canary["errors"] / canary["requests"].where(canary["requests"] > 0))
    return frame.pivot_table(index="hour", columns="group", values="error_pct").reset_index().rename_axis(None, axis=1)
