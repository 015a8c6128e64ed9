"""Promote: the merchant sales funnel, stage conversion, pipeline forecast, win rate, cycle length.

Plain functions on a ``deals`` table (``ctopath.data.load("deals")``); nothing is displayed
and no input is modified. Rates and probabilities are fractions.

A deal moves lead → demo → trial → proposal → won, or is lost at some stage. ``stage`` is
the furthest stage it reached (for a lost deal: where it was lost); ``status`` is ``won``,
``lost`` or ``open``; ``stage_date`` is when it reached that stage (for won and lost deals:
the close date).

Definitions (and where they come from):

- Stage conversion: deals that reached the next stage ÷ deals that reached this stage —
  the funnel report of sales and product analytics (e.g. HubSpot's "deal stage conversion",
  Mixpanel's funnels). ``closed_only=True`` uses closed deals only, so deals still moving
  do not look like losses.
- Win probability of a stage: of the *closed* deals that reached the stage, the share that
  was won. A weighted pipeline forecast is Σ (open deal value × its stage's win
  probability) — Salesforce's "expected revenue" (amount × probability) with the
  probability measured from your own history instead of guessed.
- Win rate: won ÷ (won + lost) closed deals. Sales cycle length: days from a deal's
  creation to its close, for won deals (median unless asked otherwise).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .checks import require_columns as _require

STAGES = ("lead", "demo", "trial", "proposal", "won")
STEPS = tuple(f"{a}→{b}" for a, b in zip(STAGES, STAGES[1:]))
DEAL_COLUMNS = ("deal_id", "created_date", "stage", "status", "stage_date", "mrr_cny")


def _deals(deals) -> pd.DataFrame:
    frame = _require(deals, DEAL_COLUMNS, "deals")
    unknown = sorted(set(frame["stage"].dropna()) - set(STAGES))
    if unknown:
        raise ValueError(f"Unknown stage(s) {unknown}; stages are {', '.join(STAGES)}.")
    bad = sorted(set(frame["status"].dropna()) - {"won", "lost", "open"})
    if bad:
        raise ValueError(f"Unknown status(es) {bad}; a deal is won, lost or open.")
    if frame.empty:
        raise ValueError("The deals table has no rows.")
    return frame


def _reached(frame: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per stage: did the deal reach it?"""
    index = frame["stage"].map({s: i for i, s in enumerate(STAGES)}).to_numpy()
    return pd.DataFrame({s: index >= i for i, s in enumerate(STAGES)}, index=frame.index)


def stage_counts(deals: pd.DataFrame, by: str | None = None, closed_only: bool = False):
    """Deals that reached each stage: a Series over stages, or a DataFrame (rows: values of ``by``)."""
    frame = _deals(deals)
    if closed_only:
        frame = frame[frame["status"] != "open"]
    reached = _reached(frame).astype(int)
    if by is None:
        out = reached.sum()
        out.name = "deals"
        return out
    _require(frame, (by,), "deals")
    out = reached.groupby(frame[by]).sum()
    out.columns.name = None
    return out


def stage_conversion(deals: pd.DataFrame, by: str | None = None, closed_only: bool = False):
    """Conversion of each step (lead→demo, …, proposal→won) as fractions; NaN where no deal reached the step."""
    counts = stage_counts(deals, by, closed_only).astype(float)
    if by is None:
        values = [counts[b] / counts[a] if counts[a] else np.nan for a, b in zip(STAGES, STAGES[1:])]
        return pd.Series(values, index=pd.Index(STEPS, name="step"), name="conversion")
    out = pd.DataFrame({f"{a}→{b}": counts[b] / counts[a].where(counts[a] > 0)
                        for a, b in zip(STAGES, STAGES[1:])})
    return out


def leaking_step(deals: pd.DataFrame, closed_only: bool = True) -> str:
    """The step with the lowest conversion (over every deal; closed deals only by default)."""
    conv = stage_conversion(deals, closed_only=closed_only).dropna()
    if conv.empty:
        raise ValueError("No step has deals to convert yet.")
    return str(conv.idxmin())


def win_probability(deals: pd.DataFrame) -> pd.Series:
    """P(won | reached stage), from closed deals: a Series over stages (won → 1.0)."""
    frame = _deals(deals)
    closed = frame[frame["status"] != "open"]
    if closed.empty:
        raise ValueError("There are no closed deals to learn win probabilities from.")
    reached = _reached(closed)
    won = (closed["status"] == "won").to_numpy()
    probs = {s: (won & reached[s].to_numpy()).sum() / reached[s].sum() if reached[s].sum() else np.nan
             for s in STAGES}
    return pd.Series(probs, name="win_probability").rename_axis("stage")


def pipeline_forecast(deals: pd.DataFrame, probabilities: pd.Series | None = None) -> float:
    """Expected value (CNY of new MRR) of the open deals: Σ mrr_cny × P(won | their stage)."""
    frame = _deals(deals)
    probs = win_probability(frame) if probabilities is None else pd.Series(probabilities)
    missing = sorted(set(frame.loc[frame["status"] == "open", "stage"]) - set(probs.dropna().index))
    if missing:
        raise ValueError(f"No win probability for stage(s) {missing}.")
    if ((probs < 0) | (probs > 1)).any():
        raise ValueError("Win probabilities must be fractions between 0 and 1.")
    open_ = frame[frame["status"] == "open"]
    return float((open_["mrr_cny"] * open_["stage"].map(probs)).sum())


def forecast_by_stage(deals: pd.DataFrame) -> pd.DataFrame:
    """The weighted pipeline, one row per stage with open deals: open_deals, mrr_cny, win_probability, expected_mrr_cny."""
    frame = _deals(deals)
    probs = win_probability(frame)
    open_ = frame[frame["status"] == "open"]
    table = open_.groupby("stage").agg(open_deals=("deal_id", "size"), mrr_cny=("mrr_cny", "sum"))
    table = table.reindex([s for s in STAGES if s in table.index])
    table["win_probability"] = probs.reindex(table.index)
    table["expected_mrr_cny"] = table["mrr_cny"] * table["win_probability"]
    return table.reset_index()


def win_rate(deals: pd.DataFrame, by: str | None = None):
    """Won ÷ (won + lost) closed deals: a float, or a Series by ``by``."""
    frame = _deals(deals)
    closed = frame[frame["status"] != "open"]
    if closed.empty:
        raise ValueError("There are no closed deals yet, so there is no win rate.")
    won = closed["status"] == "won"
    if by is None:
        return float(won.mean())
    _require(closed, (by,), "deals")
    out = won.groupby(closed[by]).mean()
    out.name = "win_rate"
    return out


def cycle_days(deals: pd.DataFrame, by: str | None = None, stat: str = "median"):
    """Sales cycle of won deals: days from created_date to stage_date (the close), median (or mean)."""
    if stat not in ("median", "mean"):
        raise ValueError(f"stat must be 'median' or 'mean', got {stat!r}.")
    frame = _deals(deals)
    won = frame[frame["status"] == "won"]
    if won.empty:
        raise ValueError("No deal has been won yet, so there is no cycle length.")
    days = (pd.to_datetime(won["stage_date"]) - pd.to_datetime(won["created_date"])).dt.days.astype(float)
    if by is None:
        return float(getattr(days, stat)())
    _require(won, (by,), "deals")
    out = getattr(days.groupby(won[by]), stat)()
    out.name = f"{stat}_cycle_days"
    return out


def sales_summary(deals: pd.DataFrame, by: str = "owner") -> pd.DataFrame:
    """Per value of ``by``: closed, won, win_rate, median_cycle_days, open_deals. Sorted by ``by``."""
    frame = _deals(deals)
    _require(frame, (by,), "deals")
    closed = frame[frame["status"] != "open"]
    table = pd.DataFrame({
        "closed": closed.groupby(by).size(),
        "won": (closed["status"] == "won").groupby(closed[by]).sum(),
    }).fillna(0).astype(int)
    table["win_rate"] = table["won"] / table["closed"].where(table["closed"] > 0)
    won = frame[frame["status"] == "won"]
    cycle = (pd.to_datetime(won["stage_date"]) - pd.to_datetime(won["created_date"])).dt.days
    table["median_cycle_days"] = cycle.groupby(won[by]).median().reindex(table.index).astype(float)
    table["open_deals"] = frame[frame["status"] == "open"].groupby(by).size().reindex(table.index).fillna(0).astype(int)
    table.index.name = by
    return table.reset_index()
