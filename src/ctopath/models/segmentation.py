"""盘客户 take stock of customers: concentration, ground vs air forces, RFM segments, the call list.

Plain functions on DataFrames shaped like ``ctopath.data.load(...)``; nothing is displayed
and no input is modified. Shares and rates are fractions.

Definitions (and where they come from):

- Concentration (Pareto): accounts ranked by revenue, largest first; the cumulative share
  of revenue against the share of accounts. The "top 20 %" are the ``ceil(0.2 × N)``
  largest accounts. The 80/20 rule of thumb is Juran's "vital few" reading of Pareto's
  observation — J. M. Juran, *Quality Control Handbook* (1951); a guide, not a law.
- RFM (recency, frequency, monetary value): score each customer 1–5 on how recently,
  how often and how much they engage, then act by segment — A. M. Hughes, *Strategic
  Database Marketing* (1994). For a SaaS merchant here: recency = days since the last
  back-office activity, frequency = back-office active days in the last three months,
  monetary = MRR in the month. Scores are quintiles of the ranks (ties broken by id), 5
  best; the segment names follow one common mapping among several.
- Ground forces vs air forces (地面部队 / 空中部队, the article's phrase): sales reps cover
  the accounts at or above an MRR threshold in person; operations cover the long tail
  "from the air" with campaigns, content and automated onboarding. The coverage model
  below is a teaching model with stated assumptions, not an industry benchmark.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .checks import month as month_of, require_columns as _require

#: Coverage model assumptions (CNY per month), stated so they can be argued with.
REP_COST_CNY = 15_000          # one sales rep, fully loaded
ACCOUNTS_PER_REP = 20          # accounts a rep can visit every month
AIR_CHURN_FLOOR = 0.015        # monthly churn the long tail never goes below
AIR_CHURN_EXTRA = 0.045        # extra churn with no operations spend at all
AIR_HALF_SPEND_CNY = 30.0      # spend per account that halves the extra churn


def _values(values, what: str = "values") -> pd.Series:
    if isinstance(values, pd.DataFrame) or not hasattr(values, "__len__"):
        raise ValueError(f"{what} must be a Series (or list) of numbers, one per account.")
    s = pd.Series(values, dtype="float64") if not isinstance(values, pd.Series) else values.astype("float64")
    if s.empty:
        raise ValueError(f"{what} is empty: there are no accounts.")
    if s.isna().any() or (s < 0).any():
        raise ValueError(f"{what} must be numbers of 0 or more, with no missing values.")
    if s.sum() <= 0:
        raise ValueError(f"{what} sum to zero, so there is no revenue to share out.")
    return s


def mrr_in(subscriptions: pd.DataFrame, month: str = "2026-06") -> pd.Series:
    """MRR (CNY) of every account subscribed in ``month``, indexed by merchant_id, largest first."""
    subs = _require(subscriptions, ("merchant_id", "month", "mrr_cny"), "subscriptions")
    period = month_of(month, "month")
    rows = subs[pd.to_datetime(subs["month"]).dt.to_period("M") == period]
    if rows.empty:
        raise ValueError(f"No subscriptions in {period}.")
    out = rows.groupby("merchant_id")["mrr_cny"].sum().sort_values(ascending=False, kind="stable")
    out.name = "mrr_cny"
    return out


def pareto(values) -> pd.DataFrame:
    """Accounts ranked by value: rank, value, account_share (rank ÷ N), cumulative_share of the total."""
    s = _values(values).sort_values(ascending=False, kind="stable")
    n = len(s)
    out = pd.DataFrame({"rank": np.arange(1, n + 1), "value": s.to_numpy(),
                        "account_share": np.arange(1, n + 1) / n,
                        "cumulative_share": s.cumsum().to_numpy() / s.sum()}, index=s.index)
    return out


def top_share(values, top: float = 0.2) -> float:
    """Share of the total held by the largest ``ceil(top × N)`` accounts."""
    if not isinstance(top, (int, float)) or isinstance(top, bool) or not 0 < top <= 1:
        raise ValueError(f"top must be a fraction in (0, 1], e.g. 0.2 for the top 20 %; got {top!r}.")
    s = _values(values).sort_values(ascending=False, kind="stable")
    k = math.ceil(round(top * len(s), 9))
    return float(s.iloc[:k].sum() / s.sum())


# ----------------------------------------------------------------------------- ground vs air

def air_churn(spend_per_account: float) -> float:
    """Monthly churn of the long tail for an operations spend per account per month (CNY).

    floor + extra × half ÷ (half + spend): 6.0 % at no spend, 3.75 % at 30, 3.0 % at 60.
    """
    if spend_per_account < 0:
        raise ValueError("Operations spend per account cannot be negative.")
    return AIR_CHURN_FLOOR + AIR_CHURN_EXTRA * AIR_HALF_SPEND_CNY / (AIR_HALF_SPEND_CNY + spend_per_account)


def coverage(mrr, threshold: float, ops_per_account: float, *, rep_cost: float = REP_COST_CNY,
             accounts_per_rep: int = ACCOUNTS_PER_REP) -> dict:
    """Split accounts at an MRR ``threshold``: at or above → sales reps (ground), below → operations (air).

    Returns a dict: accounts_ground, accounts_air, reps (ceil(ground ÷ accounts_per_rep)),
    mrr_total, mrr_ground, coverage (ground MRR ÷ total), ground_cost (reps × rep_cost),
    ground_cost_ratio (ground cost ÷ ground MRR; NaN with no ground accounts), air_cost
    (ops_per_account × air accounts), air_churn (monthly, NaN with no air accounts),
    total_cost, total_cost_ratio (total cost ÷ total MRR).
    """
    s = _values(mrr, "mrr")
    for name, v in (("threshold", threshold), ("ops_per_account", ops_per_account), ("rep_cost", rep_cost)):
        if not isinstance(v, (int, float, np.number)) or isinstance(v, bool) or math.isnan(float(v)) or v < 0:
            raise ValueError(f"{name} must be a number of 0 or more, got {v!r}.")
    if not isinstance(accounts_per_rep, (int, np.integer)) or accounts_per_rep < 1:
        raise ValueError(f"accounts_per_rep must be a whole number, 1 or more; got {accounts_per_rep!r}.")
    ground = s[s >= threshold]
    air = s[s < threshold]
    reps = math.ceil(len(ground) / accounts_per_rep)
    ground_cost = reps * float(rep_cost)
    air_cost = float(ops_per_account) * len(air)
    total = float(s.sum())
    return {
        "accounts_ground": int(len(ground)), "accounts_air": int(len(air)), "reps": reps,
        "mrr_total": total, "mrr_ground": float(ground.sum()), "coverage": float(ground.sum() / total),
        "ground_cost": ground_cost,
        "ground_cost_ratio": ground_cost / float(ground.sum()) if len(ground) else math.nan,
        "air_cost": air_cost,
        "air_churn": air_churn(float(ops_per_account)) if len(air) else math.nan,
        "total_cost": ground_cost + air_cost, "total_cost_ratio": (ground_cost + air_cost) / total,
    }


# ----------------------------------------------------------------------------- RFM and the call list

SEGMENT_RULES = (
    ("champions", "R ≥ 4, F ≥ 4 and M ≥ 4"),
    ("at risk", "R ≤ 2 and M ≥ 4: valuable, slipping away"),
    ("hibernating", "R ≤ 2 (and M ≤ 3)"),
    ("loyal", "R ≥ 3 and F ≥ 3"),
    ("needs attention", "everyone else"),
)


def _quintile(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    ranks = values.rank(method="first", ascending=higher_is_better)
    n = len(values)
    return pd.Series(np.ceil(5 * ranks.to_numpy() / n).astype(int).clip(1, 5), index=values.index)


def rfm(accounts: pd.DataFrame, subscriptions: pd.DataFrame, as_of: str = "2026-06-30", months: int = 3) -> pd.DataFrame:
    """RFM scores of the accounts subscribed in the month of ``as_of``.

    Columns merchant_id, recency_days (as_of − last_active_date), frequency (active days over
    the last ``months`` months, that month included), monetary (MRR that month), R, F, M
    (1–5, 5 best) and segment (see SEGMENT_RULES). Sorted by merchant_id.
    """
    acc = _require(accounts, ("merchant_id", "last_active_date"), "accounts")
    subs = _require(subscriptions, ("merchant_id", "month", "mrr_cny", "active_days"), "subscriptions")
    if not isinstance(months, int) or months < 1:
        raise ValueError(f"months must be a whole number, 1 or more; got {months!r}.")
    day = pd.Timestamp(as_of)
    period = day.to_period("M")
    month = pd.to_datetime(subs["month"]).dt.to_period("M")
    now = subs[month == period].groupby("merchant_id")["mrr_cny"].sum()
    if now.empty:
        raise ValueError(f"No account is subscribed in {period}.")
    recent = subs[(month > period - months) & (month <= period)].groupby("merchant_id")["active_days"].sum()
    last = acc.set_index("merchant_id")["last_active_date"]
    table = pd.DataFrame({"monetary": now})
    table["recency_days"] = (day - pd.to_datetime(last.reindex(table.index))).dt.days
    table["frequency"] = recent.reindex(table.index).fillna(0).astype(int)
    table = table.sort_index()
    table["R"] = _quintile(-table["recency_days"].astype(float))
    table["F"] = _quintile(table["frequency"].astype(float))
    table["M"] = _quintile(table["monetary"].astype(float))
    seg = np.where((table.R >= 4) & (table.F >= 4) & (table.M >= 4), "champions",
          np.where((table.R <= 2) & (table.M >= 4), "at risk",
          np.where(table.R <= 2, "hibernating",
          np.where((table.R >= 3) & (table.F >= 3), "loyal", "needs attention"))))
    table["segment"] = seg
    table.index.name = "merchant_id"
    return table.reset_index()[["merchant_id", "recency_days", "frequency", "monetary", "R", "F", "M", "segment"]]


def call_list(accounts: pd.DataFrame, subscriptions: pd.DataFrame, events: pd.DataFrame,
              as_of: str = "2026-06-30", min_mrr: float = 599, quiet_days: int = 21) -> pd.DataFrame:
    """Accounts worth a call this week: still paying, valuable, gone quiet, not already cancelled.

    Subscribed in the month of ``as_of`` with MRR ≥ ``min_mrr``, no back-office activity for
    ``quiet_days`` days or more (as_of − last_active_date), and no ``cancelled`` event on or
    before ``as_of``. Columns merchant_id, merchant_name, segment, mrr_cny, last_active_date,
    quiet_days; the biggest MRR first.
    """
    acc = _require(accounts, ("merchant_id", "merchant_name", "segment", "last_active_date"), "accounts")
    ev = _require(events, ("merchant_id", "event_date", "event"), "account_events")
    if min_mrr < 0 or quiet_days < 0:
        raise ValueError("min_mrr and quiet_days must be 0 or more.")
    day = pd.Timestamp(as_of)
    now = mrr_in(subscriptions, str(day.to_period("M")))
    gone = set(ev.loc[(ev["event"] == "cancelled") & (pd.to_datetime(ev["event_date"]) <= day), "merchant_id"])
    table = acc[acc["merchant_id"].isin(now.index)].copy()
    table["mrr_cny"] = table["merchant_id"].map(now)
    table["quiet_days"] = (day - pd.to_datetime(table["last_active_date"])).dt.days
    keep = (table["mrr_cny"] >= min_mrr) & (table["quiet_days"] >= quiet_days) & ~table["merchant_id"].isin(gone)
    out = table.loc[keep, ["merchant_id", "merchant_name", "segment", "mrr_cny", "last_active_date", "quiet_days"]]
    return out.sort_values(["mrr_cny", "merchant_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
