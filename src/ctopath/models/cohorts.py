"""Operate: retention cohorts, activation, stickiness (DAU/MAU), churn, MRR and repeat purchase.

Plain functions on DataFrames shaped like ``ctopath.data.load(...)``; nothing is displayed
and no input is modified. Rates are fractions (0.25, not 25). Months are calendar months;
a cohort is labelled ``"YYYY-MM"``.

Definitions (and where they come from):

- Retention cohort (logo retention): accounts grouped by the month they signed up; the
  share of a cohort still subscribed (a ``subscriptions`` row) ``k`` months after the
  sign-up month. Month 0 is the sign-up month, always 100 %. This is the cohort report of
  Google Analytics (retention = cohortActiveUsers ÷ cohortTotalUsers,
  https://developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/CohortSpec)
  and of Mixpanel's retention report (https://docs.mixpanel.com/reference/retention-query),
  with accounts for users and a paid month for activity. A cohort is only measured at ages
  the data has reached (later cells are NaN, not zero).
- Activation: an account that completed set-up (a ``setup_completed`` event) within
  ``days`` days of signing up — the "A" of Dave McClure's AARRR, "Startup Metrics for
  Pirates" (2007).
- Stickiness: average daily active users in a month ÷ that month's monthly active users
  (DAU/MAU) — Mixpanel glossary, "Stickiness", https://docs.mixpanel.com/guides/glossary .
- Logo churn in a month: accounts subscribed the month before but not this month ÷
  accounts subscribed the month before.
- MRR, monthly recurring revenue: the sum of ``mrr_cny`` of the month's subscriptions.
- Repeat purchase rate: consumers with two or more purchases ÷ consumers with at least one
  — the "returning customer rate" of Shopify's analytics (Shopify Help Center). A purchase
  is an order whose money changed hands (status ``paid`` or ``refunded``).
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from .checks import month as _month, require_columns as _require
from .commerce import PAID_STATUSES

ACCOUNT_COLUMNS = ("merchant_id", "signup_date")
SUBSCRIPTION_COLUMNS = ("merchant_id", "month", "mrr_cny")


def _accounts(accounts, channel=None, segment=None) -> pd.DataFrame:
    frame = _require(accounts, ACCOUNT_COLUMNS, "accounts")
    if channel is not None:
        _require(frame, ("acquisition_channel",), "accounts")
        known = set(frame["acquisition_channel"])
        if channel not in known:
            raise ValueError(f"channel must be one of {sorted(known)}, got {channel!r}.")
        frame = frame[frame["acquisition_channel"] == channel]
    if segment is not None:
        _require(frame, ("segment",), "accounts")
        known = set(frame["segment"])
        if segment not in known:
            raise ValueError(f"segment must be one of {sorted(known)}, got {segment!r}.")
        frame = frame[frame["segment"] == segment]
    return frame


def cohort_counts(accounts: pd.DataFrame, subscriptions: pd.DataFrame, *, channel: str | None = None,
                  segment: str | None = None) -> pd.DataFrame:
    """Accounts of each sign-up cohort still subscribed at each age (months after the sign-up month).

    Index: cohort ("YYYY-MM"); columns: age 0, 1, 2, … Cells the data has not reached
    (cohort + age later than the last month in ``subscriptions``) are NaN. Optional filters
    on ``accounts.acquisition_channel`` and ``accounts.segment``.
    """
    acc = _accounts(accounts, channel, segment)
    subs = _require(subscriptions, SUBSCRIPTION_COLUMNS, "subscriptions")
    if acc.empty:
        raise ValueError("No accounts to put in cohorts (check the filters).")
    if subs.empty:
        raise ValueError("The subscriptions table has no rows.")
    cohort = pd.to_datetime(acc["signup_date"]).dt.to_period("M")
    cohort_of = pd.Series(cohort.to_numpy(), index=acc["merchant_id"].to_numpy())
    s = subs[subs["merchant_id"].isin(cohort_of.index)]
    month = pd.to_datetime(s["month"]).dt.to_period("M")
    start = s["merchant_id"].map(cohort_of)
    age = np.array([(m - c).n for m, c in zip(month, start)], dtype=int) if len(s) else np.array([], dtype=int)
    if (age < 0).any():
        raise ValueError("Some subscriptions start before the account signed up; check the tables.")
    last = pd.to_datetime(subs["month"]).dt.to_period("M").max()
    counts = (pd.DataFrame({"cohort": start.astype(str).to_numpy(), "age": age, "id": s["merchant_id"].to_numpy()})
              .groupby(["cohort", "age"])["id"].nunique().unstack(fill_value=0))
    cohorts = sorted(set(cohort.astype(str)))
    max_age = (last - min(cohort)).n
    counts = counts.reindex(index=cohorts, columns=range(max_age + 1), fill_value=0).astype(float)
    sizes = cohort.astype(str).value_counts()
    counts[0] = [float(sizes[c]) for c in cohorts]  # every account counts in its sign-up month
    for c in cohorts:
        reached = (last - pd.Period(c, freq="M")).n
        counts.loc[c, [a for a in counts.columns if a > reached]] = np.nan
    counts.index.name, counts.columns.name = "cohort", "age"
    return counts


def retention_table(accounts: pd.DataFrame, subscriptions: pd.DataFrame, **filters) -> pd.DataFrame:
    """Share of each cohort still subscribed at each age (fractions; age 0 is 1.0; unreached ages NaN)."""
    counts = cohort_counts(accounts, subscriptions, **filters)
    return counts.div(counts[0], axis=0)


def retention_at(accounts: pd.DataFrame, subscriptions: pd.DataFrame, age: int = 3, **filters) -> pd.Series:
    """Retention at ``age`` months, by cohort, for the cohorts the data has reached that far."""
    if not isinstance(age, (int, np.integer)) or isinstance(age, bool) or age < 0:
        raise ValueError(f"age must be a whole number of months (0 or more), got {age!r}.")
    table = retention_table(accounts, subscriptions, **filters)
    if age not in table.columns:
        raise ValueError(f"No cohort is {age} months old yet; the oldest is {table.columns.max()} months.")
    out = table[age].dropna()
    out.name = f"retention_m{age}"
    return out


def pooled_retention(accounts: pd.DataFrame, subscriptions: pd.DataFrame, age: int, first: str, last: str,
                     **filters) -> float:
    """Accounts retained at ``age`` ÷ accounts, pooled over the cohorts ``first`` .. ``last`` (inclusive).

    Pooling weights each cohort by its size (unlike a mean of the cohorts' rates). Only
    cohorts that have reached ``age`` count.
    """
    counts = cohort_counts(accounts, subscriptions, **filters)
    lo, hi = str(_month(first, "first")), str(_month(last, "last"))
    if lo > hi:
        raise ValueError(f"first ({lo}) must not be after last ({hi}).")
    if age not in counts.columns:
        raise ValueError(f"No cohort is {age} months old yet.")
    rows = counts.loc[(counts.index >= lo) & (counts.index <= hi)]
    rows = rows[rows[age].notna()]
    if rows.empty or rows[0].sum() == 0:
        raise ValueError(f"No cohort between {lo} and {hi} has reached month {age}.")
    return float(rows[age].sum() / rows[0].sum())


def retention_lift(accounts: pd.DataFrame, subscriptions: pd.DataFrame, change_month: str, age: int = 3,
                   **filters) -> dict:
    """Pooled retention at ``age`` of the cohorts before ``change_month`` vs from it on.

    ``{"before": fraction, "after": fraction, "lift_pp": percentage points}``; every cohort the
    data has reached at ``age`` is used on its side of the change.
    """
    counts = cohort_counts(accounts, subscriptions, **filters)
    change = str(_month(change_month, "change_month"))
    first, last = counts.index.min(), counts.index.max()
    if not first < change <= last:
        raise ValueError(f"change_month must fall after the first cohort ({first}) and by the last ({last}).")
    before_last = str(pd.Period(change, freq="M") - 1)
    before = pooled_retention(accounts, subscriptions, age, first, before_last, **filters)
    after = pooled_retention(accounts, subscriptions, age, change, last, **filters)
    return {"before": before, "after": after, "lift_pp": 100 * (after - before)}


def activation_rate(accounts: pd.DataFrame, events: pd.DataFrame, days: int = 7, as_of=None,
                    **filters) -> pd.Series:
    """Share of each cohort that completed set-up within ``days`` days of signing up (by cohort "YYYY-MM").

    Set-up is the first ``setup_completed`` event; 0 days means on the sign-up day. Only sign-ups
    whose whole window has passed by ``as_of`` count (sign-up + ``days`` ≤ ``as_of``): a shop that
    signed up three days before the data ends has not had its 7 days yet, and counting it as "not
    activated" would pull the last cohort down (right-censoring). ``as_of`` defaults to the last
    ``event_date`` in ``events``, the day the data ends; a cohort with no full window is left out.
    """
    if not isinstance(days, (int, np.integer)) or isinstance(days, bool) or days < 0:
        raise ValueError(f"days must be a whole number of days (0 or more), got {days!r}.")
    acc = _accounts(accounts, filters.get("channel"), filters.get("segment"))
    ev = _require(events, ("merchant_id", "event_date", "event"), "account_events")
    if acc.empty:
        raise ValueError("No accounts to measure (check the filters).")
    end = pd.to_datetime(ev["event_date"]).max() if as_of is None else pd.Timestamp(as_of)
    if pd.isna(end):
        raise ValueError("No events, so no day the data ends: pass as_of.")
    signup = pd.to_datetime(acc["signup_date"])
    acc, signup = acc[signup + pd.Timedelta(days=days) <= end], signup[signup + pd.Timedelta(days=days) <= end]
    if acc.empty:
        raise ValueError(f"No sign-up has had its {days} days by {end:%Y-%m-%d} yet.")
    setup = ev[ev["event"] == "setup_completed"].groupby("merchant_id")["event_date"].min()
    done = pd.to_datetime(acc["merchant_id"].map(setup))
    within = ((done - signup).dt.days <= days) & done.notna()
    out = within.groupby(signup.dt.to_period("M").astype(str)).mean()
    out.index.name, out.name = "cohort", f"activation_{days}d"
    return out


def activation_window_end(events: pd.DataFrame, days: int = 7, as_of=None) -> pd.Timestamp:
    """The last sign-up day that :func:`activation_rate` counts: ``as_of`` (default: the data's last day) − ``days``."""
    ev = _require(events, ("event_date",), "account_events")
    end = pd.to_datetime(ev["event_date"]).max() if as_of is None else pd.Timestamp(as_of)
    return end - pd.Timedelta(days=days)


def stickiness(usage_daily: pd.DataFrame, usage_monthly: pd.DataFrame) -> pd.DataFrame:
    """DAU/MAU by month and segment: mean daily active users in the month ÷ the month's MAU.

    A wide table: index month ("YYYY-MM"), one column per segment (fractions).
    """
    daily = _require(usage_daily, ("date", "segment", "daily_active_users"), "usage_daily")
    monthly = _require(usage_monthly, ("month", "segment", "monthly_active_users"), "usage_monthly")
    if (monthly["monthly_active_users"] <= 0).any():
        raise ValueError("Every month needs monthly_active_users above zero (DAU/MAU is undefined otherwise).")
    dau = daily.assign(month=pd.to_datetime(daily["date"]).dt.to_period("M").astype(str)) \
        .groupby(["month", "segment"])["daily_active_users"].mean()
    mau = monthly.assign(month=pd.to_datetime(monthly["month"]).dt.to_period("M").astype(str)) \
        .set_index(["month", "segment"])["monthly_active_users"]
    ratio = (dau / mau).dropna().unstack("segment")
    ratio.columns.name = None
    return ratio


def mrr_by_month(subscriptions: pd.DataFrame, accounts: pd.DataFrame | None = None, by: str | None = None):
    """MRR (CNY) per month; with ``by`` (an accounts column such as segment) a wide table."""
    subs = _require(subscriptions, SUBSCRIPTION_COLUMNS, "subscriptions")
    month = pd.to_datetime(subs["month"]).dt.to_period("M").astype(str)
    if by is None:
        out = subs.groupby(month)["mrr_cny"].sum()
        out.index.name, out.name = "month", "mrr_cny"
        return out
    acc = _require(accounts, ("merchant_id", by), "accounts")
    key = subs["merchant_id"].map(acc.set_index("merchant_id")[by])
    out = subs.groupby([month, key])["mrr_cny"].sum().unstack(fill_value=0.0)
    out.index.name, out.columns.name = "month", None
    return out


def logo_churn(subscriptions: pd.DataFrame, month, accounts: pd.DataFrame | None = None,
               channel: str | None = None) -> float:
    """Logo churn in ``month``: accounts subscribed the month before but not in ``month`` ÷ accounts the month before."""
    subs = _require(subscriptions, SUBSCRIPTION_COLUMNS, "subscriptions")
    if channel is not None:
        ids = _accounts(accounts, channel)["merchant_id"]
        subs = subs[subs["merchant_id"].isin(ids)]
    m = _month(month, "month")
    months = pd.to_datetime(subs["month"]).dt.to_period("M")
    before = set(subs.loc[months == m - 1, "merchant_id"])
    now = set(subs.loc[months == m, "merchant_id"])
    if not before:
        raise ValueError(f"No account was subscribed in {m - 1}, so churn in {m} is undefined.")
    return len(before - now) / len(before)


def repeat_purchase_rate(orders: pd.DataFrame, by: str | None = None, merchants: pd.DataFrame | None = None):
    """Consumers with 2+ purchases ÷ consumers with 1+ (purchases: orders with status paid or refunded).

    With ``by`` (an orders column, or a merchants column such as category) a Series of rates
    per group; a consumer is counted in each group where they bought.
    """
    o = _require(orders, ("order_id", "consumer_id", "status"), "orders")
    bought = o[o["status"].isin(PAID_STATUSES)]
    if bought.empty:
        raise ValueError("There are no paid or refunded orders, so no consumer has purchased yet.")
    if by is None:
        per = bought.groupby("consumer_id").size()
        return float((per >= 2).mean())
    if by not in bought.columns:
        _require(merchants, ("merchant_id", by), "merchants")
        bought = bought.merge(merchants[["merchant_id", by]], on="merchant_id", how="left")
    per = bought.groupby([by, "consumer_id"]).size()
    out = (per >= 2).groupby(level=0).mean()
    out.name = "repeat_purchase_rate"
    return out
