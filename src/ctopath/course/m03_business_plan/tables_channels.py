"""Module 03's unit-economics tables, built on the account base of modules 04/05.

Module 03 uses the same accounts as modules 04 and 05 (``accounts``, ``subscriptions``):
one company, one account base. This file only adds what unit economics needs on top of it.
Its builder declares the tables it reads (``accounts``, ``deals``, ``subscriptions``), so it
runs after the builder that makes them, whatever the file's name.

- ``account_channels``: the finer acquisition channel of every account in ``accounts``:
  ``sales_team`` (``acquisition_channel`` = sales, from a deal that was not a referral),
  ``partners`` (a POS reseller's referral: a ``referral`` deal, or a self-serve sign-up with
  a partner code from 2025-03) or ``online_ads`` (every other self-serve sign-up).
- ``serving_costs``: hosting and support per account per month, one row per row of
  ``subscriptions`` (the cost of revenue, for gross margin).
- ``acquisition_spend``: money spent per channel per month on winning accounts.

INSTRUCTOR NOTES — the planted findings (tests/unit/test_models_unit_economics.py re-derives them)
---------------------------------------------------------------------------------------------------
Over the 24 months (standard definitions in ctopath.models.unit_economics): online ads have
the lowest CAC but their small shops churn so fast (logo churn above 10 % a month) that
LTV:CAC is below 1; the sales team's chains are valuable but CAC is above 40,000 CNY and
payback about two years; partners have LTV:CAC above 10 and pay back in about six months.
→ Scale partners; fix ads' churn (onboarding) before spending more there; keep sales for
the biggest chains. Partner sign-ups are the self-serve accounts that tended to stay: the
channel is where the customers who fit come from.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..tables import Builder

SCHEMAS = {
    "account_channels": {"merchant_id": "id", "channel": "str"},
    "serving_costs": {"merchant_id": "id", "month": "date", "cost_to_serve_cny": "money"},
    "acquisition_spend": {"month": "date", "channel": "str", "spend_cny": "money"},
}

MONTHS = pd.date_range("2024-07-01", "2026-06-01", freq="MS")
PARTNER_CODES_FROM = pd.Timestamp("2025-03-01")  # self-serve sign-ups with a partner code
SALES_SPEND = 80_000        # per month: three account executives, travel and trade shows
ADS_SPEND = 25_000          # per month: search and social ads
PARTNER_PROGRAM = 4_000     # per month: a share of a partner manager
PARTNER_BOUNTY = {"chain": 15_000, "smb": 2_500}  # paid to the partner in the sign-up month
COST_TO_SERVE = {"chain": 700.0, "growth": 120.0, "starter": 60.0}  # CNY per account per month


def cost_to_serve(segment: str, mrr: float) -> float:
    """Hosting and support per account-month: chains 700; smb 120 on growth (fee ≥ 599), else 60."""
    if segment == "chain":
        return COST_TO_SERVE["chain"]
    return COST_TO_SERVE["growth"] if mrr >= 599 else COST_TO_SERVE["starter"]


def build_channels(rng: np.random.Generator, built: dict) -> dict[str, pd.DataFrame]:
    accounts = built["accounts"].sort_values("merchant_id", kind="stable").reset_index(drop=True)
    subs = built["subscriptions"]
    deals = built["deals"]
    referred = set(deals.loc[(deals.status == "won") & (deals.channel == "referral"), "merchant_id"])
    first, last = subs.groupby("merchant_id").month.min(), subs.groupby("merchant_id").month.max()
    months_billed = (last.dt.year - first.dt.year) * 12 + last.dt.month - first.dt.month + 1
    still_paying = last == MONTHS[-1]

    channels = []
    for a in accounts.itertuples(index=False):
        if a.acquisition_channel == "sales":
            channels.append("partners" if a.merchant_id in referred else "sales_team")
        elif pd.Timestamp(a.signup_date) >= PARTNER_CODES_FROM:
            # merchants a reseller already knows fit better and stay longer
            stays = bool(still_paying[a.merchant_id]) or int(months_billed[a.merchant_id]) >= 6
            p = 0.75 if stays else 0.02
            channels.append("partners" if rng.random() < p else "online_ads")
        else:
            channels.append("online_ads")
    account_channels = pd.DataFrame({"merchant_id": accounts.merchant_id, "channel": channels})

    segment = subs.merchant_id.map(accounts.set_index("merchant_id").segment)
    costs = subs[["merchant_id", "month"]].copy()
    costs["cost_to_serve_cny"] = [cost_to_serve(s, m) for s, m in zip(segment, subs.mrr_cny)]

    signup = pd.to_datetime(accounts.signup_date).dt.to_period("M").dt.to_timestamp()
    new = pd.DataFrame({"month": signup, "channel": channels, "segment": accounts.segment})
    new = new.groupby(["month", "channel", "segment"]).size()
    rows = []
    for month in MONTHS:
        rows.append((month, "sales_team", float(SALES_SPEND)))
        rows.append((month, "online_ads", float(ADS_SPEND)))
        bounty = sum(PARTNER_BOUNTY[seg] * int(new.get((month, "partners", seg), 0)) for seg in ("chain", "smb"))
        rows.append((month, "partners", float(PARTNER_PROGRAM + bounty)))
    spend = pd.DataFrame(rows, columns=list(SCHEMAS["acquisition_spend"]))
    spend = spend.sort_values(["month", "channel"], kind="stable").reset_index(drop=True)
    return {"account_channels": account_channels, "serving_costs": costs, "acquisition_spend": spend}


BUILDERS = (
    Builder("m03_channels", ("account_channels", "serving_costs", "acquisition_spend"), build_channels,
            reads=("accounts", "deals", "subscriptions")),
)
