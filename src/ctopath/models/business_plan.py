"""The business plan as a model: a 36-month cash curve from price, CAC, churn and costs.

Plain functions, numbers in, a DataFrame or numbers out. Money is CNY; churn is a monthly
fraction (0.015 for 1.5 %). Customers are an expected (fractional) number: the model says
what happens on average, not to each customer.

How a month works (month 1 is the first month of the plan):

1. ``customers[m] = customers[m−1] × (1 − churn) + new_per_month``: those who cancel at the
   end of last month leave, the new ones join and pay from their first month
   (``customers[0] = starting_customers``, 0 by default: a new product).
2. revenue = customers × price; hosting = customers × hosting per customer (cost of
   revenue); acquisition = new_per_month × CAC; team = the fixed monthly team cost.
3. net cash flow = revenue − hosting − acquisition − team; cash[m] = cash[m−1] + net,
   ``cash[0] = starting_cash``. No financing, tax or payment delays are modelled.

Definitions used for the plan's verdict:

- **Break-even month**: the first month from which the monthly net cash flow is ≥ 0 and
  stays ≥ 0 to the end of the horizon (operating cash-flow break-even). ``None`` if it
  never happens within the horizon.
- **Lowest cash**: the smallest cash balance over months 0..horizon, and when it occurs;
  a negative value means the company runs out of money before the plan works.
- **Runway** (months until cash would go below zero), ``None`` if it never does.

This is the standard driver-based SaaS model (customers from new logos and churn; see
David Skok, "SaaS Metrics 2.0", https://www.forentrepreneurs.com/saas-metrics-2/ , on why
CAC is paid up front and earned back over the customer's life: the "cash-flow trough").
"""
from __future__ import annotations

import math

import pandas as pd

from .checks import finite_number

PLAN_COLUMNS = ("month", "customers", "new_customers", "churned", "revenue", "hosting", "acquisition",
                "team", "net_cash_flow", "cash")

#: name → (description, lowest allowed, highest allowed)
INPUTS = {
    "price": ("price per customer per month (CNY)", 0.0, 1e7),
    "cac": ("acquisition cost per new customer (CNY)", 0.0, 1e8),
    "churn": ("monthly churn, a fraction (0.015 = 1.5 %)", 0.0, 1.0),
    "new_per_month": ("new customers per month", 0.0, 1e6),
    "team_cost": ("team cost per month (CNY)", 0.0, 1e9),
    "hosting_per_customer": ("hosting and support per customer per month (CNY)", 0.0, 1e7),
    "starting_cash": ("cash at the start (CNY)", 0.0, 1e11),
}


def _check(name: str, value) -> float:
    what, lo, hi = INPUTS[name]
    x = finite_number(value, f"{name} ({what})")
    if x < lo:
        raise ValueError(f"{name} ({what}) cannot be negative; got {x:g}.")
    if x > hi:
        if name == "churn" and x <= 100:
            raise ValueError(f"churn is a monthly fraction (0.015 for 1.5 %); got {x:g}, which looks like a percentage.")
        raise ValueError(f"{name} ({what}) is implausibly large: {x:g}.")
    return x


def cash_plan(price, cac, churn, new_per_month, team_cost, hosting_per_customer, starting_cash,
              months: int = 36, starting_customers: float = 0.0) -> pd.DataFrame:
    """The month-by-month plan: one row per month 1..``months`` with the columns of PLAN_COLUMNS.

    Hand example (price 1,000, hosting 100, CAC 3,000, churn 0.5, 10 new a month, team 20,000,
    cash 100,000): month 1 has 10 customers, revenue 10,000, hosting 1,000, acquisition
    30,000, net −41,000, cash 59,000; month 2 has 10 × 0.5 + 10 = 15 customers.
    """
    p = _check("price", price)
    c = _check("cac", cac)
    ch = _check("churn", churn)
    n = _check("new_per_month", new_per_month)
    team = _check("team_cost", team_cost)
    host = _check("hosting_per_customer", hosting_per_customer)
    cash = _check("starting_cash", starting_cash)
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 240:
        raise ValueError(f"months must be a whole number from 1 to 240, got {months!r}.")
    customers = float(starting_customers)
    if math.isnan(customers) or customers < 0:
        raise ValueError(f"starting_customers must be ≥ 0, got {starting_customers!r}.")
    rows = []
    for m in range(1, months + 1):
        churned = customers * ch
        customers = customers - churned + n
        revenue = customers * p
        hosting = customers * host
        acquisition = n * c
        net = revenue - hosting - acquisition - team
        cash += net
        rows.append((m, customers, n, churned, revenue, hosting, acquisition, team, net, cash))
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS))


def _plan(plan) -> pd.DataFrame:
    if not isinstance(plan, pd.DataFrame) or not {"month", "net_cash_flow", "cash"} <= set(plan.columns):
        raise ValueError("Expected a plan from business_plan.cash_plan(...).")
    if plan.empty:
        raise ValueError("The plan has no months.")
    return plan


def break_even_month(plan: pd.DataFrame) -> int | None:
    """First month from which net cash flow is ≥ 0 through the end of the plan; None if never."""
    p = _plan(plan)
    ok = (p["net_cash_flow"] >= -1e-6).to_numpy()
    if not ok[-1]:
        return None
    i = len(ok) - 1
    while i > 0 and ok[i - 1]:
        i -= 1
    return int(p["month"].iloc[i])


def lowest_cash(plan: pd.DataFrame, starting_cash: float | None = None) -> tuple[float, int]:
    """(lowest cash balance, the month it happens). Month 0 is the start, if ``starting_cash`` is given."""
    p = _plan(plan)
    i = int(p["cash"].to_numpy().argmin())
    low, month = float(p["cash"].iloc[i]), int(p["month"].iloc[i])
    if starting_cash is not None and float(starting_cash) <= low:
        return float(starting_cash), 0
    return low, month


def runway_months(plan: pd.DataFrame) -> int | None:
    """The last month with cash ≥ 0 before cash first goes below zero; None if it never does."""
    p = _plan(plan)
    below = p.index[p["cash"] < 0]
    if len(below) == 0:
        return None
    return int(p["month"].loc[below[0]]) - 1


def steady_state_customers(churn, new_per_month) -> float:
    """Where the customer count levels off: new ÷ churn (customers). Zero churn → ValueError."""
    ch, n = _check("churn", churn), _check("new_per_month", new_per_month)
    if ch == 0:
        raise ValueError("With zero churn the customer count never levels off (new ÷ 0).")
    return n / ch


def summary(plan: pd.DataFrame, starting_cash: float | None = None) -> dict:
    """The plan's verdict: break-even month, lowest cash and when, runway, customers and cash at the end."""
    low, when = lowest_cash(plan, starting_cash)
    return {
        "break_even_month": break_even_month(plan),
        "lowest_cash_cny": round(low, 2),
        "lowest_cash_month": when,
        "runway_months": runway_months(plan),
        "customers_at_end": round(float(plan["customers"].iloc[-1]), 1),
        "cash_at_end_cny": round(float(plan["cash"].iloc[-1]), 2),
    }


# ----------------------------------------------------------------------------- research: who the customer is
#
# The article's business plan (商业计划) settles three things: who the customer is (a clear
# persona, 用户画像), what we make and why it beats the competitors, and how we make money.
# The two functions below answer the first two from coded interviews and a competitor matrix.

#: Company sizes in their natural order (the interview coding).
SIZE_ORDER = ("single store", "2-5 stores", "6-30 stores", "31+ stores")

PAIN_COLUMNS = ("company_size", "interviews", "acute_pct", "median_wtp_cny", "median_pays_now_cny")


def segment_pain(interviews: pd.DataFrame, by: str = "company_size", acute_at: int = 4,
                 decimals: int | None = 1) -> pd.DataFrame:
    """How acute, and how paid-for, the pain is in each segment of the interviews.

    One row per value of ``by`` (company sizes in SIZE_ORDER first): interviews; acute_pct =
    % of interviewees rating their main pain ``acute_at`` or more on the 1–5 scale (rounded
    to ``decimals`` for display; ``decimals=None`` keeps it exact, as a checker must);
    median_wtp_cny = median monthly amount they said they would pay for a tool that solves
    it; median_pays_now_cny = median they pay for tools today. Medians, not means: one
    enthusiastic interviewee should not move a segment.
    """
    needed = (by, "interview_id", "pain_severity", "willing_to_pay_cny", "pays_now_cny")
    if not isinstance(interviews, pd.DataFrame):
        raise ValueError("Expected the interviews table as a DataFrame (data.load('interviews')).")
    missing = [c for c in needed if c not in interviews.columns]
    if missing:
        raise ValueError(f"The interviews table is missing the column(s) {', '.join(missing)}.")
    if interviews.empty:
        raise ValueError("The interviews table has no rows: there is nothing to learn from zero interviews.")
    if not 1 <= int(acute_at) <= 5:
        raise ValueError(f"acute_at is a severity on the 1–5 scale, got {acute_at!r}.")
    g = interviews.assign(acute=interviews["pain_severity"] >= acute_at).groupby(by)
    out = pd.DataFrame({
        "interviews": g.size().astype("int64"),
        "acute_pct": 100 * g["acute"].mean() if decimals is None else (100 * g["acute"].mean()).round(decimals),
        "median_wtp_cny": g["willing_to_pay_cny"].median(),
        "median_pays_now_cny": g["pays_now_cny"].median(),
    })
    order = [s for s in SIZE_ORDER if s in out.index] + sorted(s for s in out.index if s not in SIZE_ORDER)
    out = out.loc[order]
    out.index.name = by
    return out.reset_index()


FEATURES = ("online_ordering", "membership_points", "coupons_marketing", "multi_store_reports", "open_api",
            "self_serve_signup")


def price_range(competitors: pd.DataFrame, target: str) -> tuple[float, float]:
    """(lowest, highest) monthly price of the competitor plans aimed at ``target`` (a company size)."""
    if not isinstance(competitors, pd.DataFrame) or not {"target", "monthly_price_cny"} <= set(competitors.columns):
        raise ValueError("Expected the competitors table (data.load('competitors')).")
    plans = competitors.loc[competitors["target"] == target, "monthly_price_cny"]
    if plans.empty:
        raise ValueError(f"No competitor plan targets {target!r}; targets are "
                         f"{', '.join(sorted(competitors['target'].unique()))}.")
    return float(plans.min()), float(plans.max())


def coverage(competitors: pd.DataFrame, must_have) -> pd.DataFrame:
    """Each competitor plan, whether it has every feature in ``must_have``, and what it lacks.

    Columns: competitor, plan, target, monthly_price_cny, has_all (bool), lacks (text).
    """
    must = list(must_have)
    unknown = [f for f in must if f not in FEATURES]
    if unknown:
        raise ValueError(f"Unknown feature(s) {unknown}; the matrix has {', '.join(FEATURES)}.")
    if not isinstance(competitors, pd.DataFrame) or not set(must) <= set(competitors.columns):
        raise ValueError("Expected the competitors table (data.load('competitors')).")
    out = competitors[["competitor", "plan", "target", "monthly_price_cny"]].copy()
    has = competitors[must].astype(bool)
    out["has_all"] = has.all(axis=1)
    out["lacks"] = [", ".join(f for f in must if not row[f]) or "—" for _, row in has.iterrows()]
    return out.reset_index(drop=True)


# ----------------------------------------------------------------------------- honest bounds for a segment's plan


def bounty_per_account(spend: pd.DataFrame, accounts: pd.DataFrame, channel: str = "partners") -> dict:
    """What one more account of each segment costs a bounty channel, read from the spend itself.

    Least squares of the channel's monthly ``spend_cny`` on the accounts it won that month per
    segment (``accounts``: merchant_id, segment, channel, signup_date): spend = fixed + Σ
    bounty[segment] × won[segment]. Returns {"fixed": …, segment: bounty, …} in CNY.
    """
    import numpy as np

    for frame, cols, what in ((spend, ("month", "channel", "spend_cny"), "acquisition_spend"),
                              (accounts, ("merchant_id", "segment", "channel", "signup_date"), "accounts")):
        if not isinstance(frame, pd.DataFrame) or not set(cols) <= set(frame.columns):
            raise ValueError(f"Expected the {what} table with the columns {', '.join(cols)}.")
    paid = spend.loc[spend["channel"] == channel]
    if paid.empty:
        raise ValueError(f"No spend for the channel {channel!r}.")
    months = pd.to_datetime(paid["month"]).dt.to_period("M")
    mine = accounts.loc[accounts["channel"] == channel]
    won = (mine.assign(month=pd.to_datetime(mine["signup_date"]).dt.to_period("M"))
           .groupby(["month", "segment"]).size().unstack(fill_value=0).reindex(months, fill_value=0))
    design = np.column_stack([np.ones(len(won))] + [won[s].to_numpy(dtype=float) for s in won.columns])
    coef, *_ = np.linalg.lstsq(design, paid["spend_cny"].to_numpy(dtype=float), rcond=None)
    return {"fixed": float(coef[0]), **{str(s): float(c) for s, c in zip(won.columns, coef[1:])}}


def churn_floor(lost: int, at_risk: int) -> float:
    """The lowest monthly churn a plan may honestly assume from ``lost`` of ``at_risk`` account-months.

    With losses it is the measured rate, lost ÷ at_risk. With none, zero is not a measurement:
    the "rule of three" gives 3 ÷ at_risk as the 95 % upper bound of a rate never seen in
    ``at_risk`` trials (Hanley and Lippman-Hand, "If nothing goes wrong, is everything all
    right?", JAMA 249, 1983), so the plan may not assume less churn than that.
    """
    if at_risk <= 0:
        raise ValueError("No account-months at risk: churn cannot be bounded from no customers.")
    return lost / at_risk if lost > 0 else 3 / at_risk
