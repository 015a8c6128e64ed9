"""Operate: stickiness (粘性) per product module, and how it moved.

Plain functions on DataFrames shaped like ``ctopath.data.load(...)``; nothing is displayed
and no input is modified. Rates are fractions (0.25, not 25); months are labelled "YYYY-MM".

Definition (and where it comes from):

- Stickiness, DAU/MAU: the average number of daily active users over the days of a
  calendar month ÷ that month's monthly active users (distinct users in the month) —
  Mixpanel's glossary, "Stickiness" (https://docs.mixpanel.com/guides/glossary); Andrew
  Chen, "DAU/MAU is an important metric to measure engagement, but here's where it fails"
  (andrewchen.com, 2018), who also warns that a product used weekly, not daily, can be
  valuable at a low ratio. 0.5 means the typical monthly user is active every other day.
  A module's stickiness is over that module's own monthly users, so a module that many
  people open once has a low ratio however high its MAU. This is the same
  definition as ``cohorts.stickiness`` (per segment), one level finer.
"""
from __future__ import annotations

import pandas as pd

from .checks import require_columns as _require

DAILY_COLUMNS = ("date", "daily_active_users")
MONTHLY_COLUMNS = ("month", "monthly_active_users")


def stickiness_by(daily: pd.DataFrame, monthly: pd.DataFrame, by=("segment", "module")) -> pd.DataFrame:
    """DAU/MAU per month and per ``by`` columns, in long form.

    Columns: month ("YYYY-MM"), the ``by`` columns, dau (mean daily active users over the
    month's days), mau and dau_mau. Only months present in both tables are kept.
    """
    by = [by] if isinstance(by, str) else list(by)
    d = _require(daily, (*DAILY_COLUMNS, *by), "module_usage_daily")
    m = _require(monthly, (*MONTHLY_COLUMNS, *by), "module_usage_monthly")
    if d.empty or m.empty:
        raise ValueError("The usage tables have no rows: there is no month to measure.")
    mau_values = pd.to_numeric(m["monthly_active_users"], errors="coerce")
    if mau_values.isna().any() or (mau_values <= 0).any():
        raise ValueError("Every month needs monthly_active_users above zero (DAU/MAU is undefined otherwise).")
    keys = ["month", *by]
    dau = (d.assign(month=pd.to_datetime(d["date"]).dt.to_period("M").astype(str))
           .groupby(keys)["daily_active_users"].mean().rename("dau"))
    mau = (m.assign(month=pd.to_datetime(m["month"]).dt.to_period("M").astype(str))
           .set_index(keys)["monthly_active_users"].rename("mau"))
    out = pd.concat([dau, mau], axis=1, join="inner").reset_index()
    out["dau_mau"] = out["dau"] / out["mau"]
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def module_stickiness(daily: pd.DataFrame, monthly: pd.DataFrame, segment: str) -> pd.DataFrame:
    """One segment's DAU/MAU per month and module: columns month, module, dau, mau, dau_mau."""
    for frame, name in ((daily, "module_usage_daily"), (monthly, "module_usage_monthly")):
        _require(frame, ("segment",), name)
    known = set(daily["segment"])
    if segment not in known:
        raise ValueError(f"No usage for segment {segment!r}; the segments are {', '.join(sorted(map(str, known)))}.")
    table = stickiness_by(daily[daily["segment"] == segment], monthly[monthly["segment"] == segment], "module")
    return table


def stickiness_table(long: pd.DataFrame, value: str = "dau_mau") -> pd.DataFrame:
    """A long stickiness table (``stickiness_by``'s) as month × module, for reading and charts."""
    _require(long, ("month", "module", value), "stickiness")
    wide = long.pivot(index="month", columns="module", values=value)
    wide.columns.name = None
    return wide


def change_after(long: pd.DataFrame, module: str, month: str) -> dict:
    """How ``module`` moved in ``month`` against the months before it (their mean).

    {"mau_ratio": MAU in month ÷ MAU the month before, "stickiness_before": mean DAU/MAU of
    the earlier months, "stickiness_after": DAU/MAU in month, "stickiness_ratio": after ÷ before}.
    """
    _require(long, ("month", "module", "mau", "dau_mau"), "stickiness")
    rows = long[long["module"] == module].set_index("month").sort_index()
    if month not in rows.index:
        raise ValueError(f"No row for module {module!r} in {month}.")
    before = rows[rows.index < month]
    if before.empty:
        raise ValueError(f"{month} is the first month measured: there is nothing before it to compare with.")
    after = rows.loc[month]
    s_before = float(before["dau_mau"].mean())
    return {"mau_ratio": float(after["mau"] / before["mau"].iloc[-1]), "stickiness_before": s_before,
            "stickiness_after": float(after["dau_mau"]), "stickiness_ratio": float(after["dau_mau"]) / s_before}
