"""盯结果 watch the results: plan vs actual, variance, and which key result is off track.

Plain functions on a ``kpi_results`` table (quarter, objective, key_result, kind, unit, better,
plan, actual); nothing is displayed and no input is modified.

Definitions (and where they come from):

- Variance = actual − plan; variance % = (actual − plan) ÷ |plan| — budget variance
  analysis as management accounting teaches it (e.g. CIMA's *Management Accounting
  Official Terminology*: a variance is "favourable" or "adverse").
- Whether a variance is good depends on the direction of the key result: for "higher is
  better" a shortfall is adverse; for "lower is better" (churn, failure rates) an overshoot
  is adverse. ``adverse_pct`` is the variance % signed so that positive is always bad.
- Status: on track (adverse ≤ 0), at risk (0 < adverse ≤ 10 %), off track (adverse > 10 %).
  The 10 % line is this workshop's convention, not a standard.
- Leading vs lagging indicators: a leading indicator moves before the outcome and can still
  be acted on (onboarding calls, activation); a lagging one records the outcome (revenue,
  churn) — R. S. Kaplan and D. P. Norton, *The Balanced Scorecard* (1996), "lead and lag
  indicators".
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .checks import require_columns as _require

KPI_COLUMNS = ("quarter", "key_result", "kind", "better", "plan", "actual")
AT_RISK = 0.10


def variance(kpis: pd.DataFrame) -> pd.DataFrame:
    """The table with variance, variance_pct, adverse_pct (fractions) and status added."""
    table = _require(kpis, KPI_COLUMNS, "kpi_results").copy()
    bad = sorted(set(table["better"]) - {"higher", "lower"})
    if bad:
        raise ValueError(f"'better' must be 'higher' or 'lower' for every key result, not {bad}.")
    plan = pd.to_numeric(table["plan"], errors="coerce")
    actual = pd.to_numeric(table["actual"], errors="coerce")
    if plan.isna().any() or actual.isna().any():
        raise ValueError("Every key result needs a numeric plan and actual.")
    if (plan == 0).any():
        raise ValueError("A plan of 0 has no percentage variance; give the key result a non-zero plan.")
    table["variance"] = actual - plan
    table["variance_pct"] = (actual - plan) / plan.abs()
    sign = np.where(table["better"] == "higher", -1.0, 1.0)
    table["adverse_pct"] = sign * table["variance_pct"] + 0.0  # + 0.0: no "-0.0" for an exact hit
    table["status"] = np.where(table["adverse_pct"] <= 0, "on track",
                               np.where(table["adverse_pct"] <= AT_RISK, "at risk", "off track"))
    return table


def quarter_review(kpis: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """One quarter's key results with their variance, the most adverse first."""
    table = variance(kpis)
    rows = table[table["quarter"] == quarter]
    if rows.empty:
        raise ValueError(f"No key results for quarter {quarter!r}; quarters are {sorted(table['quarter'].unique())}.")
    return rows.sort_values("adverse_pct", ascending=False, kind="stable").reset_index(drop=True)


def most_off_track(kpis: pd.DataFrame, quarter: str) -> str:
    """The key result with the largest adverse variance in ``quarter``."""
    return str(quarter_review(kpis, quarter).at[0, "key_result"])
