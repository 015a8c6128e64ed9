"""SaaS unit economics: ARPA, gross margin, CAC, logo churn, LTV, LTV:CAC, CAC payback.

Plain functions. The scalar formulas take numbers; the table functions take three frames
(build them with :func:`tables`):

- *accounts*: ``merchant_id``, ``channel``, ``signup_date`` — ``accounts`` joined to
  ``account_channels``;
- *mrr*: ``month``, ``merchant_id``, ``mrr_cny``, ``cost_to_serve_cny`` — ``subscriptions``
  joined to ``serving_costs``, one row per account per month billed;
- *spend*: ``month``, ``channel``, ``spend_cny`` — ``acquisition_spend``.

Money is CNY per month unless said otherwise; rates are fractions (0.05, not 5). Months are
the first day of the month; windows are half-open, ``[start, end)``.

Definitions (standard SaaS ones, as in David Skok, "SaaS Metrics 2.0 – A Guide to Measuring
and Improving What Matters", forEntrepreneurs.com, https://www.forentrepreneurs.com/saas-metrics-2/ ):

- ARPA, average revenue per account: recurring revenue (MRR) ÷ paying accounts, per
  month. Over a window: total MRR ÷ account-months billed.
- Gross margin: (revenue − cost of serving it) ÷ revenue. Here the cost is
  ``cost_to_serve_cny`` (hosting and support per account).
- CAC, customer acquisition cost, per channel: acquisition spend ÷ new accounts won, over
  the same window.
- Monthly **logo** churn: accounts lost in a month ÷ accounts paying at the start of that
  month (the end of the month before); over a window, pooled: Σ lost ÷ Σ accounts at
  start. *Revenue* churn (MRR lost ÷ MRR at start) is a different figure: when small
  accounts leave and big ones stay, revenue churn is lower than logo churn. This workshop's
  LTV uses logo churn, as Skok's simple formula does.
- LTV, lifetime value = ARPA × gross margin ÷ monthly churn (1 ÷ churn is the expected
  lifetime in months).
- LTV : CAC — Skok's rule of thumb: above 3 is healthy.
- CAC payback (months) = CAC ÷ (ARPA × gross margin) — Skok: under 12 months is healthy.
"""
from __future__ import annotations

import math

import pandas as pd

from .checks import finite_number as _num, require_columns as _require

ACCOUNT_COLUMNS = ("merchant_id", "channel", "signup_date")
MRR_COLUMNS = ("month", "merchant_id", "mrr_cny", "cost_to_serve_cny")
SPEND_COLUMNS = ("month", "channel", "spend_cny")


def tables(load) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(accounts, mrr, spend) from the data: ``tables(data.load)``.

    accounts = ``accounts`` joined to ``account_channels`` (merchant_id, channel, signup_date …);
    mrr = ``subscriptions`` joined to ``serving_costs`` (month, merchant_id, mrr_cny,
    cost_to_serve_cny); spend = ``acquisition_spend``.
    """
    accounts = load("accounts").merge(load("account_channels"), on="merchant_id", how="left", validate="1:1")
    mrr = load("subscriptions").merge(load("serving_costs"), on=["merchant_id", "month"], how="left",
                                      validate="1:1")
    return accounts, mrr[list(MRR_COLUMNS)], load("acquisition_spend")


# ----------------------------------------------------------------------------- scalar formulas


def ltv(arpa, gross_margin, monthly_churn) -> float:
    """Lifetime value = ARPA × gross margin ÷ monthly churn (CNY).

    Example: ARPA 1,000, margin 0.8, churn 0.02 → 1,000 × 0.8 ÷ 0.02 = 40,000.
    Churn must be a fraction above 0 and at most 1: with zero churn the formula has no upper
    bound, so use a longer window or a floor rather than dividing by zero.
    """
    a, g, c = _num(arpa, "ARPA"), _num(gross_margin, "gross margin"), _num(monthly_churn, "monthly churn")
    if a < 0:
        raise ValueError(f"ARPA cannot be negative (got {a:g}).")
    if not -1 <= g <= 1:
        raise ValueError(f"gross margin is a fraction (0.8 for 80 %), got {g:g}.")
    if c < 0:
        raise ValueError(f"monthly churn cannot be negative (got {c:g}): accounts cannot un-cancel.")
    if c == 0:
        raise ValueError("monthly churn is 0, so LTV = ARPA × margin ÷ churn has no upper bound. "
                         "Measure churn over a longer window, or assume a floor such as 0.005 (0.5 %).")
    if c > 1:
        hint = " — that looks like a percentage; write 0.05 for 5 %" if c <= 100 else ""
        raise ValueError(f"monthly churn is a fraction between 0 and 1, got {c:g}{hint}.")
    return a * g / c


def ltv_to_cac(ltv_cny, cac_cny) -> float:
    """LTV ÷ CAC (a ratio; Skok: above 3 is healthy). CAC must be above 0."""
    v, c = _num(ltv_cny, "LTV"), _num(cac_cny, "CAC")
    if c <= 0:
        raise ValueError(f"CAC must be above 0 to compare LTV with it (got {c:g}).")
    return v / c


def cac_payback_months(cac_cny, arpa, gross_margin) -> float:
    """Months of gross profit to earn back the CAC = CAC ÷ (ARPA × gross margin).

    Example: CAC 12,000, ARPA 1,000, margin 0.8 → 12,000 ÷ 800 = 15 months.
    """
    c, a, g = _num(cac_cny, "CAC"), _num(arpa, "ARPA"), _num(gross_margin, "gross margin")
    if c < 0:
        raise ValueError(f"CAC cannot be negative (got {c:g}).")
    if not -1 <= g <= 1:
        raise ValueError(f"gross margin is a fraction (0.8 for 80 %), got {g:g}.")
    if a * g <= 0:
        raise ValueError("ARPA × gross margin is not above 0: each account never earns its CAC back.")
    return c / (a * g)


# ----------------------------------------------------------------------------- from the tables


def _month(value, what: str):
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a month like '2025-07-01', got {value!r}.") from None
    if pd.isna(ts):
        raise ValueError(f"{what} must be a month like '2025-07-01', got {value!r}.")
    return ts.to_period("M").to_timestamp()


def _window(frame: pd.DataFrame, column: str, start, end) -> pd.DataFrame:
    s, e = _month(start, "start"), _month(end, "end")
    t = pd.to_datetime(frame[column])
    mask = pd.Series(True, index=frame.index)
    if s is not None:
        mask &= t >= s
    if e is not None:
        mask &= t < e
    return frame.loc[mask]


def _with_channel(mrr: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    _require(mrr, MRR_COLUMNS, "mrr")
    _require(accounts, ACCOUNT_COLUMNS, "accounts")
    return mrr.merge(accounts[["merchant_id", "channel"]], on="merchant_id", how="left")


def arpa(mrr: pd.DataFrame, start=None, end=None) -> float:
    """Average MRR per account per month over [start, end): Σ mrr ÷ account-months."""
    _require(mrr, MRR_COLUMNS, "mrr")
    rows = _window(mrr, "month", start, end)
    if rows.empty:
        raise ValueError("No account was billed in that window: ARPA is undefined (0 accounts).")
    return float(rows["mrr_cny"].sum() / len(rows))


def gross_margin(mrr: pd.DataFrame, start=None, end=None) -> float:
    """(Σ mrr − Σ cost to serve) ÷ Σ mrr over [start, end), a fraction."""
    _require(mrr, MRR_COLUMNS, "mrr")
    rows = _window(mrr, "month", start, end)
    revenue = rows["mrr_cny"].sum()
    if revenue <= 0:
        raise ValueError("No revenue in that window: gross margin is undefined.")
    return float((revenue - rows["cost_to_serve_cny"].sum()) / revenue)


def _months(mrr: pd.DataFrame, months=None) -> pd.PeriodIndex:
    if months is None:
        m = pd.to_datetime(mrr["month"])
        return pd.period_range(m.min(), m.max(), freq="M")
    first, last = months
    return pd.period_range(pd.Timestamp(first), pd.Timestamp(last), freq="M")


def churn_events(mrr: pd.DataFrame, months=None) -> pd.DataFrame:
    """Month by month: accounts at the start, accounts lost, MRR at the start, MRR lost.

    An account is *lost in month m* when it was billed in m − 1 and not in m. The months
    run from the table's first to its last (or ``months=(first, last)``: pass the whole
    panel's range when ``mrr`` is a subset, e.g. one channel, so that a loss in a month
    where the subset has no rows left is still seen). The first month has no previous
    month and is left out.
    """
    _require(mrr, MRR_COLUMNS, "mrr")
    if mrr.empty:
        raise ValueError("The mrr table has no rows.")
    m = mrr.assign(month=pd.to_datetime(mrr["month"]).dt.to_period("M"))
    span = _months(mrr, months)
    by_month = {p: g for p, g in m.groupby("month")}
    empty = m.iloc[0:0]
    rows = []
    for prev, cur in zip(span[:-1], span[1:]):
        before = by_month.get(prev, empty)
        now = set(by_month.get(cur, empty)["merchant_id"])
        lost = before.loc[~before["merchant_id"].isin(now)]
        rows.append((cur.to_timestamp(), len(before), len(lost), float(before["mrr_cny"].sum()),
                     float(lost["mrr_cny"].sum())))
    return pd.DataFrame(rows, columns=["month", "accounts_at_start", "accounts_lost", "mrr_at_start",
                                       "mrr_lost"])


def logo_churn(mrr: pd.DataFrame, start=None, end=None, months=None) -> float:
    """Monthly logo churn over [start, end), pooled: Σ accounts lost ÷ Σ accounts at the start of each month."""
    ev = _window(churn_events(mrr, months), "month", start, end)
    base = ev["accounts_at_start"].sum()
    if base == 0:
        raise ValueError("No account was paying at the start of any month in that window: churn is undefined.")
    return float(ev["accounts_lost"].sum() / base)


def revenue_churn(mrr: pd.DataFrame, start=None, end=None, months=None) -> float:
    """Monthly gross revenue churn over [start, end): Σ MRR lost ÷ Σ MRR at the start of each month."""
    ev = _window(churn_events(mrr, months), "month", start, end)
    base = ev["mrr_at_start"].sum()
    if base == 0:
        raise ValueError("No MRR at the start of any month in that window: revenue churn is undefined.")
    return float(ev["mrr_lost"].sum() / base)


def new_accounts(accounts: pd.DataFrame, start=None, end=None) -> pd.Series:
    """New accounts per channel (signup_date in [start, end))."""
    _require(accounts, ACCOUNT_COLUMNS, "accounts")
    rows = _window(accounts, "signup_date", start, end)
    out = rows.groupby("channel").size().astype("int64")
    out.name = "new_accounts"
    return out


def cac_by_channel(spend: pd.DataFrame, accounts: pd.DataFrame, start=None, end=None) -> pd.Series:
    """CAC per channel = acquisition spend ÷ new accounts, both over [start, end) (CNY).

    A channel that spent money but won no account has no finite CAC: ValueError.
    """
    _require(spend, SPEND_COLUMNS, "acquisition_spend")
    spent = _window(spend, "month", start, end).groupby("channel")["spend_cny"].sum()
    new = new_accounts(accounts, start, end)
    for channel, amount in spent.items():
        if amount > 0 and new.get(channel, 0) == 0:
            raise ValueError(f"Channel {channel} spent {amount:,.0f} CNY but won no account in that window: "
                             "its CAC is unbounded (spend ÷ 0). Widen the window.")
    channels = sorted(set(spent.index) | set(new.index))
    out = pd.Series({c: float(spent.get(c, 0.0)) / int(new.get(c, 0)) for c in channels if new.get(c, 0) > 0},
                    name="cac_cny")
    out.index.name = "channel"
    return out


CHANNEL_COLUMNS = ("channel", "new_accounts", "spend_cny", "cac_cny", "arpa_cny", "gross_margin",
                   "monthly_churn", "revenue_churn", "ltv_cny", "ltv_to_cac", "payback_months")


def channel_economics(accounts: pd.DataFrame, mrr: pd.DataFrame, spend: pd.DataFrame,
                      start=None, end=None) -> pd.DataFrame:
    """Every unit-economics figure per acquisition channel, over [start, end) (default: all months).

    Columns: channel, new_accounts, spend_cny, cac_cny, arpa_cny, gross_margin,
    monthly_churn (logo), revenue_churn, ltv_cny (logo churn), ltv_to_cac, payback_months.
    Churn is counted month by month over the whole panel's months, so an account lost after
    its channel's last billed month still counts. A channel that lost no account has no
    finite LTV: ltv_cny and ltv_to_cac are NaN there (see :func:`ltv`).
    """
    joined = _with_channel(mrr, accounts)
    stamps = pd.to_datetime(joined["month"])
    span = (stamps.min(), stamps.max())
    cac = cac_by_channel(spend, accounts, start, end)
    new = new_accounts(accounts, start, end)
    spent = _window(spend, "month", start, end).groupby("channel")["spend_cny"].sum()
    rows = []
    for channel in sorted(set(joined["channel"].dropna())):
        mine = joined.loc[joined["channel"] == channel, list(MRR_COLUMNS)]
        a, g = arpa(mine, start, end), gross_margin(mine, start, end)
        churn, rchurn = logo_churn(mine, start, end, span), revenue_churn(mine, start, end, span)
        c = float(cac.get(channel, math.nan))
        value = ltv(a, g, churn) if churn > 0 else math.nan
        ratio = ltv_to_cac(value, c) if c > 0 and not math.isnan(value) else math.nan
        payback = cac_payback_months(c, a, g) if c >= 0 and a * g > 0 else math.nan
        rows.append((channel, int(new.get(channel, 0)), float(spent.get(channel, 0.0)), c, a, g, churn, rchurn,
                     value, ratio, payback))
    return pd.DataFrame(rows, columns=list(CHANNEL_COLUMNS))
