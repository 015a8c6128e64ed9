"""Module 03 — From idea to business plan.

Builds on the article's product phases 前期调研 (early research: know your customer) and
商业计划 (the business plan: who the customer is — a clear persona, 用户画像; what we make
and why it beats the competitors; how we make money — costs and revenue). Reference
answers come from ``ctopath.models.business_plan`` and ``ctopath.models.unit_economics``
on the data, computed when first needed.
"""
from __future__ import annotations

import functools

import pandas as pd

from ... import data
from ...engine.exercise import (ChoiceExercise, DataExercise, ModelExercise, ModelOutcome, NumberExercise, Option, Param,
                        ReflectionExercise, Slip, WrongExample)
from ...engine.i18n import Msg, tr
from ...models import business_plan as bp
from ...models import unit_economics as ue
from .. import Module

TARGET = "6-30 stores"
HORIZON = 36
BREAK_EVEN_BY = 24


def _t(name):
    return data.load(name)


# -- 03.1 where the pain is acute and paid for ---------------------------------------

def pain():
    # exact shares: a rounded reference (1 in 12 → 8.3) would be 0.4 % off the exact answer, past the tolerance
    return bp.segment_pain(_t("interviews"), decimals=None)


def _pain_fraction():
    p = pain()
    return p.assign(acute_pct=p.acute_pct / 100)


def _pain_mean():
    i = _t("interviews")
    return pain().assign(median_wtp_cny=lambda p: p.company_size.map(i.groupby("company_size").willing_to_pay_cny.mean()))


def _pain_only_fives():
    return bp.segment_pain(_t("interviews"), acute_at=5, decimals=None)


pain_table = DataExercise(
    "03.1", "Where is the pain acute — and paid for?",
    "`interviews` holds 40 coded interviews from Larkspur's research before launch: the interviewee's company "
    "size, main pain, how severe it is (`pain_severity`, 1 = mild … 5 = acute) and what they would pay each "
    "month for a tool that solves it (`willing_to_pay_cny`). **Compute `pain_by_size`: a DataFrame with one row "
    "per `company_size` and the columns `acute_pct` (% of interviewees rating their pain 4 or 5) and "
    "`median_wtp_cny` (the median willingness to pay).**",
    expected=pain, answer_name="pain_by_size", columns=["company_size", "acute_pct", "median_wtp_cny"],
    key=["company_size"], rel_tol=2e-3,
    slips=[Slip(_pain_fraction, "Your acute_pct looks like a fraction (0.82); the column is a percentage (82)."),
           Slip(_pain_mean, "That is the mean willingness to pay; the question asks for the median, which one "
                            "enthusiastic interviewee cannot move."),
           Slip(_pain_only_fives, "You counted only severity 5. Acute means 4 or 5.")],
    hints=["`interviews.assign(acute=interviews.pain_severity >= 4)` gives a True/False column.",
           "Group by company_size; the mean of a True/False column is a share — × 100 for a percentage.",
           "`.agg(acute_pct=(\"acute\", \"mean\"), median_wtp_cny=(\"willing_to_pay_cny\", \"median\"))`, then "
           "multiply acute_pct by 100."],
    solution="Chains of 6–30 stores: the largest share of acute pain *and* about 2,000+ CNY a month. Single stores "
             "complain almost as much but would pay only about one eighteenth of that (a median of 125 CNY); "
             "31+ store chains would pay most but rarely feel the pain acutely.",
    solution_code=('interviews = data.load("interviews")\n'
                   'pain_by_size = (interviews.assign(acute=interviews.pain_severity >= 4)\n'
                   '                .groupby("company_size")\n'
                   '                .agg(acute_pct=("acute", "mean"), median_wtp_cny=("willing_to_pay_cny", "median"))\n'
                   '                .reset_index())\n'
                   'pain_by_size["acute_pct"] *= 100'),
    minutes=8,
    wrong_examples=[WrongExample(_pain_fraction, "fraction"), WrongExample(_pain_mean, "median")],
)


# -- 03.2 the persona ---------------------------------------------------------------------

persona = ChoiceExercise(
    "03.2", "Write the persona (用户画像)",
    "Look at the interviews of the segment you found in 03.1: their roles, main pains, current tools and "
    "willingness to pay. **Which persona does the data support?**",
    options=[
        Option("ops", "The head of operations or marketing at a café or bakery chain of 6–30 stores: members do "
                      "not come back and she cannot see it across stores; today she uses a competitor or the POS "
                      "vendor's points plus Excel; she would pay about 2,000 CNY a month", True,
               "Yes: every element comes from the interviews — role, size, category, the repeat-purchase pain, "
               "the tools they would replace and the price. A persona you can find, call and sell to."),
        Option("owner", "The owner of a single café with queues at lunchtime, who would pay to fix them", False,
               "The pain is real and loud, but single-store owners would pay about a hundred yuan a month — "
               "acute, not paid-for. A cheap self-serve plan can serve them later."),
        Option("it", "The IT director of a 40+ store chain who wants open APIs and ERP integration", False,
               "They pay the most, but their pain is rarely acute, they often build in-house, and the sales "
               "cycle is long. Not the first customer for a young company."),
        Option("all", "Any retail merchant who wants more customers", False,
               "That is a market, not a persona. Nobody can be called, and no product decision follows from it."),
    ],
    hints=["Filter the interviews to company_size == \"6-30 stores\" and look at role, main_pain, current_tool.",
           "A persona names a role in a kind of company, a pain, what they use today, and what they would pay."],
    solution="The head of operations or marketing at a 6–30-store café or bakery chain, whose members do not come "
             "back; about 2,000 CNY a month.",
    minutes=5,
    wrong_examples=[WrongExample("owner", "acute, not paid-for"), WrongExample("all", "market, not a persona")],
)


# -- 03.3 the positioning gap -----------------------------------------------------------------

gap = ChoiceExercise(
    "03.3", "Where is the gap in the market?",
    "`competitors` is the feature-and-price matrix of five competitors' plans (1 = the plan has the feature). "
    "`business_plan.coverage(competitors, [...])` tells which plans have every feature you list. **Where is "
    "Larkspur's positioning gap?**",
    options=[
        Option("mid", "Membership, coupons and multi-store reports in one product for 6–30-store chains, priced "
                      "within the 1,200–3,200 CNY competitors list for that size and what those chains say they "
                      "would pay (1,500–3,000 CNY; today they pay 750–1,500)", True,
               "Yes: every plan aimed at 6–30 stores lacks at least one of the three; only ChainCRM's enterprise "
               "plan has all three, at 8,800 CNY and for 31+ stores. The segment with the most acute, paid-for "
               "pain is also the one no competitor serves well."),
        Option("cheap", "The cheapest ordering tool for single stores", False,
               "Crowded and cheap: QuickTill Basic (99) and MiniShop Kit (129) are already there, and those owners "
               "pay little. A price war is not a position."),
        Option("enterprise", "A full enterprise suite for 31+ store chains", False,
               "Two incumbents (RetailOS Enterprise, ChainCRM) already sell it with open APIs, to buyers who are "
               "slow to switch — and the interviews say their pain is rarely acute."),
        Option("groupbuy", "Group-buy for everyone", False,
               "A feature, not a position: it says nothing about whose problem you solve, and features are "
               "copied within a quarter."),
    ],
    hints=["List the plans whose target is 6–30 stores. Which of membership_points, coupons_marketing, "
           "multi_store_reports does each lack?",
           "`business_plan.coverage(competitors, [\"membership_points\", \"coupons_marketing\", "
           "\"multi_store_reports\"])`"],
    solution="Membership + coupons + multi-store reports for 6–30-store chains, at a price they say they would "
             "pay (1,500–3,000 CNY a month, about what competitors list for that size). Nobody combines the three "
             "below 8,800 CNY.",
    minutes=6,
    wrong_examples=[WrongExample("cheap", "Crowded"), WrongExample("groupbuy", "feature, not a position")],
)


# -- 03.4 CAC by channel ----------------------------------------------------------------------

def _tables():
    """(accounts with their channel, subscriptions with their cost to serve, acquisition spend)."""
    return ue.tables(_t)


def cac():
    accounts, _, spend = _tables()
    return ue.cac_by_channel(spend, accounts)


def _cac_current_only():
    subs = _t("subscriptions")
    paying = set(subs.loc[subs.month == subs.month.max(), "merchant_id"])
    ch = _t("account_channels")
    current = ch[ch.merchant_id.isin(paying)].groupby("channel").size()
    spend = _t("acquisition_spend").groupby("channel").spend_cny.sum()
    return spend / current


def _cac_monthly_spend():
    ch = _t("account_channels")
    spend = _t("acquisition_spend").groupby("channel").spend_cny.mean()
    return spend / ch.groupby("channel").size()


def _accounts_per_yuan():
    return 1 / cac()


def _spend_over_every_account():
    spend = _t("acquisition_spend").groupby("channel").spend_cny.sum()
    return spend / len(_t("account_channels"))


cac_exercise = DataExercise(
    "03.4", "What does a new account cost, by channel?",
    "`accounts` is every merchant account Larkspur has had (the same base as modules 04 and 05). "
    "`account_channels` says how each was won: the sales team, partners (POS resellers paid a bounty per "
    "account) or online ads. `acquisition_spend` is what each channel cost per month. **Compute `cac`: the "
    "customer acquisition cost per channel over the whole 24 months = total spend ÷ new accounts won** (a Series "
    "indexed by channel, in CNY).",
    expected=cac, answer_name="cac", rel_tol=1e-4,
    slips=[Slip(_cac_current_only, "You divided by the accounts still paying in June 2026 only. CAC counts every "
                                   "account the money won, including those that cancelled later."),
           Slip(_cac_monthly_spend, "You divided the *average monthly* spend; use the total spend over the 24 months."),
           Slip(_accounts_per_yuan, "Upside down: that is accounts won per yuan spent. CAC is spend ÷ new accounts, "
                                    "the yuan it takes to win one account."),
           Slip(_spend_over_every_account, "You divided each channel's spend by every new account, of all channels. "
                                           "Divide by the accounts that channel won (group account_channels by "
                                           "channel too).")],
    hints=["New accounts per channel: `account_channels.groupby(\"channel\").size()` (one row per account, every "
           "account signed up in the 24 months).",
           "Total spend per channel: `acquisition_spend.groupby(\"channel\").spend_cny.sum()`; divide."],
    solution="Spend ÷ new accounts per channel. The sales team's CAC is more than ten times the partners', and "
             "ads look cheapest — until churn enters (03.5).",
    solution_code=('channels, spend = data.load("account_channels"), data.load("acquisition_spend")\n'
                   'cac = spend.groupby("channel").spend_cny.sum() / channels.groupby("channel").size()'),
    minutes=6,
    wrong_examples=[WrongExample(_cac_current_only, "cancelled"), WrongExample(_cac_monthly_spend, "average monthly")],
)


# -- 03.5 LTV:CAC of online ads ------------------------------------------------------------------

_ECONOMICS_TABLES = ("accounts", "account_channels", "subscriptions", "serving_costs", "acquisition_spend")


@functools.lru_cache(maxsize=2)
def _economics(data_stamp):
    return ue.channel_economics(*_tables()).set_index("channel")


def economics():
    """Every channel's unit economics over the 24 months, indexed by channel (computed once per data)."""
    return _economics(data.stamp(*_ECONOMICS_TABLES)).copy()


def _ch(channel, column):
    return float(economics().loc[channel, column])


def ads_ltv_to_cac() -> float:
    return _ch("online_ads", "ltv_to_cac")


def _ads_no_margin() -> float:
    return _ch("online_ads", "arpa_cny") / _ch("online_ads", "monthly_churn") / _ch("online_ads", "cac_cny")


def _ads_revenue_churn() -> float:
    e = economics().loc["online_ads"]
    return float(e.arpa_cny * e.gross_margin / e.revenue_churn / e.cac_cny)


def _ads_mean_of_monthly_churn() -> float:
    accounts, mrr, _ = _tables()
    joined = mrr.merge(accounts[["merchant_id", "channel"]], on="merchant_id")
    stamps = pd.to_datetime(joined["month"])
    ads = joined.loc[joined["channel"] == "online_ads", list(ue.MRR_COLUMNS)]
    months = ue.churn_events(ads, (stamps.min(), stamps.max())).query("accounts_at_start > 0")
    churn = float((months.accounts_lost / months.accounts_at_start).mean())
    e = economics().loc["online_ads"]
    return float(e.arpa_cny * e.gross_margin / churn / e.cac_cny)


ltv_cac = NumberExercise(
    "03.5", "Do online ads pay?",
    "For the **online_ads** channel, over the whole 24 months, compute from `subscriptions` (one row per account "
    "per month billed) and `serving_costs` (the same rows' `cost_to_serve_cny`): ARPA (total `mrr_cny` ÷ "
    "account-months billed), gross margin ((mrr − cost to serve) ÷ mrr), monthly **logo** churn (accounts lost ÷ accounts "
    "paying at the start of each month, pooled over the months; an account is lost in month m if it was billed in "
    "m − 1 and not in m), LTV = ARPA × gross margin ÷ churn, and CAC from 03.4. **What is online ads' LTV : CAC?** "
    "Two decimals.",
    answer=ads_ltv_to_cac, rel_tol=0.01, decimals=2,
    slips=[Slip(_ads_no_margin, "You left out the gross margin: LTV counts the profit an account brings, not its "
                                "revenue (ARPA × margin ÷ churn).", rel_tol=0.01),
           Slip(_ads_revenue_churn, "You used revenue churn (MRR lost ÷ MRR at start). This LTV uses logo churn: "
                                    "accounts lost ÷ accounts at start.", rel_tol=0.01),
           Slip(lambda: ads_ltv_to_cac() / 100, "That is 100 times too small: churn went in as a percentage (14) "
                                                "instead of a fraction (0.14).", rel_tol=0.01),
           Slip(lambda: 1 / ads_ltv_to_cac(), "Upside down: that is CAC : LTV. LTV : CAC is the lifetime gross profit "
                                              "÷ the cost of winning the account — below 1 means it never pays back.",
                rel_tol=0.01),
           Slip(_ads_mean_of_monthly_churn, "You averaged the monthly churn rates. Pool them instead: accounts lost "
                                            "over all months ÷ accounts at the start over all months, so a month "
                                            "with few accounts does not weigh as much as a big one.", rel_tol=0.01)],
    hints=["Keep online_ads accounts: join `subscriptions` to `serving_costs` on merchant_id and month, then to "
           "`account_channels` on merchant_id, and filter the channel.",
           "Churn: for each month, accounts billed last month but not this month ÷ accounts billed last month; sum "
           "both over the months before dividing. `unit_economics.logo_churn(mrr_of_channel)` does it.",
           "`unit_economics.channel_economics(*unit_economics.tables(data.load))` gives every figure per channel "
           "— check yours."],
    solution="Below 1 (about 0.78): an ads customer brings less gross profit over its (short) life than it cost "
             "to win. Ads are the cheapest channel per account, but small shops from ads cancel about 14 % a month.",
    solution_code=('from ctopath.models import unit_economics as ue\n'
                   'econ = ue.channel_economics(*ue.tables(data.load)).set_index("channel")\n'
                   'econ.loc["online_ads", "ltv_to_cac"]'),
    minutes=10,
    wrong_examples=[WrongExample(_ads_no_margin, "gross margin"), WrongExample(_ads_revenue_churn, "revenue churn")],
)


# -- 03.6 CAC payback of the sales team --------------------------------------------------------------

def sales_payback() -> float:
    return _ch("sales_team", "payback_months")


payback = NumberExercise(
    "03.6", "How long until a sales-team account pays back?",
    "CAC payback is the number of months of gross profit it takes to earn back what an account cost: **CAC ÷ "
    "(ARPA × gross margin)**. **What is the sales team's CAC payback, in months?** One decimal.",
    answer=sales_payback, rel_tol=0.01, decimals=1, unit="months",
    slips=[Slip(lambda: _ch("sales_team", "cac_cny") / _ch("sales_team", "arpa_cny"),
                "You divided by ARPA alone. Payback is earned from gross profit: ARPA × gross margin.", rel_tol=0.01),
           Slip(lambda: sales_payback() / 12, "That is in years; the question asks for months.", rel_tol=0.01),
           Slip(lambda: 1 / sales_payback(), "Upside down: that is the monthly gross profit ÷ CAC. Payback is CAC ÷ "
                                             "(ARPA × gross margin): how many months of profit one account costs.",
                rel_tol=0.15),
           Slip(lambda: _ch("partners", "payback_months"), "That is the partners' payback. The question asks about "
                                                           "the sales_team channel.", rel_tol=0.01),
           Slip(lambda: _ch("sales_team", "ltv_cny") / (_ch("sales_team", "arpa_cny") * _ch("sales_team", "gross_margin")),
                "You divided LTV, not CAC, by the monthly gross profit: that is the account's expected lifetime in "
                "months (1 ÷ churn). Payback is CAC ÷ (ARPA × gross margin).", rel_tol=0.01)],
    hints=["Use the sales_team row of CAC (03.4), ARPA and gross margin (as in 03.5).",
           "`cac / (arpa * gross_margin)`"],
    solution="About two years (23.9 months): each account is valuable (the highest LTV) but the money comes back "
             "slowly — a young company cannot fund many of those from its own cash.",
    solution_code=('e = ue.channel_economics(*ue.tables(data.load)).set_index("channel").loc["sales_team"]\n'
                   'e.cac_cny / (e.arpa_cny * e.gross_margin)'),
    minutes=5,
    wrong_examples=[WrongExample(lambda: _ch("sales_team", "cac_cny") / _ch("sales_team", "arpa_cny"), "gross margin"),
                    WrongExample(lambda: sales_payback() / 12, "years")],
)


# -- 03.7 which channel to scale ------------------------------------------------------------------------

scale = ChoiceExercise(
    "03.7", "Which channel gets the next yuan?",
    "Put the three channels side by side (`unit_economics.channel_economics(...)`): CAC, LTV, LTV : CAC and "
    "payback. Skok's rules of thumb: LTV : CAC above 3, payback under 12 months. **Which channel should Larkspur "
    "scale, and why?**",
    options=[
        Option("partners", "Partners: the best LTV : CAC and a payback under a year, and resellers bring "
                           "merchants who fit and stay", True,
               "Yes: every yuan there comes back within a year and keeps earning. The next question is capacity: "
               "how many more partners, and how many chains each can bring a month (the cash model in 03.8)."),
        Option("ads", "Online ads: the lowest CAC", False,
               "Cheapest to acquire, but ads customers cancel so fast (about 14 % a month) that LTV : CAC is below "
               "1: scaling it loses money faster. Fix onboarding and churn first, then test again."),
        Option("sales", "The sales team: the highest LTV", False,
               "The highest lifetime value, but about two years to pay back and LTV : CAC about 1.6. Keep it for "
               "the biggest chains; do not fund growth with it."),
        Option("all", "All three equally, to diversify", False,
               "Spreading money evenly ignores what the data says. Put the next yuan where it returns most, and "
               "keep a small budget to experiment."),
    ],
    hints=["Rank the channels by LTV : CAC, then by payback months.",
           "A channel can look cheapest (CAC) and still lose money if customers leave before paying it back."],
    solution="**Partners.** LTV : CAC above 6 and payback in about seven months; ads lose money (LTV : CAC < 1); "
             "sales pays back only after about two years.",
    minutes=5,
    wrong_examples=[WrongExample("ads", "below 1"), WrongExample("sales", "two years")],
)


# -- 03.8 the cash model ----------------------------------------------------------------------------------

PARAMS = [
    Param("price", "Price per customer per month", 500, 6000, 100, 1500, "CNY"),
    Param("cac", "CAC per new customer", 2000, 30000, 500, 12000, "CNY"),
    Param("churn_pct", "Monthly churn", 0.5, 10.0, 0.1, 3.0, "%"),
    Param("new_per_month", "New customers per month", 0, 12, 1, 5, "customers"),
    Param("team_cost", "Team cost per month", 200000, 600000, 10000, 300000, "CNY"),
    Param("hosting", "Hosting and support per customer per month", 500, 2000, 50, 700, "CNY"),
    Param("starting_cash", "Cash at the start", 500000, 3000000, 100000, 3000000, "CNY"),
]

REFERENCE_PLAN = {"price": 3000, "cac": 15000, "churn_pct": 1.7, "new_per_month": 8, "team_cost": 200000,
                  "hosting": 700, "starting_cash": 3000000}
SEGMENT, CHANNEL = "chain", "partners"   # the plan's customers in accounts' terms, and the channel that sells


@functools.lru_cache(maxsize=2)
def _constraints(data_stamp) -> dict:
    accounts, mrr, spend = _tables()
    lo, hi_market = bp.price_range(_t("competitors"), TARGET)
    interviews = _t("interviews")
    hi_wtp = float(interviews.loc[interviews["company_size"] == TARGET, "willing_to_pay_cny"].max())
    bounty = bp.bounty_per_account(spend, accounts, CHANNEL)
    ids = accounts.loc[accounts["segment"] == SEGMENT, "merchant_id"]
    mine = mrr[mrr["merchant_id"].isin(ids)]
    stamps = pd.to_datetime(mrr["month"])
    events = ue.churn_events(mine, (stamps.min(), stamps.max()))
    lost, at_risk = int(events["accounts_lost"].sum()), int(events["accounts_at_start"].sum())
    partner = accounts.loc[accounts["channel"] == CHANNEL]
    months = len(_t("acquisition_spend").query("channel == @CHANNEL"))
    deals = _t("deals")
    chain_deals = deals.loc[deals["segment"] == SEGMENT]
    deal_months = pd.to_datetime(deals["created_date"]).dt.to_period("M").nunique()
    closed = chain_deals.loc[chain_deals["status"].isin(["won", "lost"])]
    return {
        "price_lo": lo, "price_hi_market": hi_market, "price_hi_wtp": hi_wtp, "price_hi": min(hi_market, hi_wtp),
        "cac": round(bounty[SEGMENT], 2), "cac_smb": round(bounty.get("smb", float("nan")), 2),
        "churn": bp.churn_floor(lost, at_risk), "chain_lost": lost, "chain_months": at_risk,
        "hosting": float(mine["cost_to_serve_cny"].mean()),
        "leads_per_month": len(chain_deals) / deal_months,
        "win_rate": float((closed["status"] == "won").mean()),
        "partner_accounts": len(partner), "partner_chains": int((partner["segment"] == SEGMENT).sum()),
        "partner_months": months,
        # kept for the lesson's explorer: the partner channel's own (mostly small-shop) figures
        "partner_churn": float(economics().loc[CHANNEL, "monthly_churn"]),
        "partner_cac": float(economics().loc[CHANNEL, "cac_cny"]),
    }


_CONSTRAINT_TABLES = ("accounts", "account_channels", "subscriptions", "serving_costs", "acquisition_spend",
                      "competitors", "interviews", "deals")


def constraints() -> dict:
    """What the data says a plan for 6–30-store chains sold through partners must respect (every bound from the
    data of that segment and channel; see :func:`evaluate` for why each one)."""
    return dict(_constraints(data.stamp(*_CONSTRAINT_TABLES)))


def plan_of(values):
    return bp.cash_plan(price=values["price"], cac=values["cac"], churn=values["churn_pct"] / 100,
                        new_per_month=values["new_per_month"], team_cost=values["team_cost"],
                        hosting_per_customer=values["hosting"], starting_cash=values["starting_cash"],
                        months=HORIZON)


def honesty_bounds(c: dict | None = None) -> dict:
    """Target label → (check(values) -> bool, why it matters, with the data figure) for every honesty bound."""
    c = constraints() if c is None else c
    churn_pct = 100 * c["churn"]
    return {
        Msg("Price {lo:,.0f}–{hi:,.0f} CNY (competitors' 6–30-store plans {lo:,.0f}–{hi_market:,.0f}; "
            "no 6–30-store interviewee would pay over {hi_wtp:,.0f})",
            lo=c["price_lo"], hi=c["price_hi"], hi_market=c["price_hi_market"], hi_wtp=c["price_hi_wtp"]): (
            lambda v: c["price_lo"] <= v["price"] <= c["price_hi"],
            Msg("Price: below {lo:,.0f} you undercut every competitor and leave money on the table; above "
                "{hi:,.0f} the plan charges more than any 6–30-store interviewee said they would pay "
                "(highest: {hi_wtp:,.0f} CNY) — the interviews, not the competitors' top price, set the "
                "ceiling.", lo=c["price_lo"], hi=c["price_hi"], hi_wtp=c["price_hi_wtp"])),
        Msg("CAC at least the partners' bounty for a chain ({cac:,.0f} CNY)", cac=c["cac"]): (
            lambda v: v["cac"] >= c["cac"] - 1e-6,
            Msg("CAC: partners are paid {cac:,.0f} CNY for each chain they bring (read from acquisition_spend). "
                "The partner channel's average CAC (about {partner_cac:,.0f}) is low because "
                "{small} of its {accounts} accounts are small shops, with a {cac_smb:,.0f} CNY bounty: it is not "
                "what a chain costs.", cac=c["cac"], partner_cac=c["partner_cac"],
                small=c["partner_accounts"] - c["partner_chains"], accounts=c["partner_accounts"],
                cac_smb=c["cac_smb"])),
        Msg("Churn at least {churn:.2f} % a month (what {months} chain-months can show)",
            churn=churn_pct, months=c["chain_months"]): (
            lambda v: v["churn_pct"] / 100 >= c["churn"] - 1e-9,
            (Msg("Churn: no chain has left in {months} chain-months, but zero is not a measurement. "
                 "The rule of three (3 ÷ {months}) is the lowest churn the data lets you assume: "
                 "{churn:.2f} % a month.", months=c["chain_months"], churn=churn_pct) if c["chain_lost"] == 0 else
             Msg("Churn: chains lost {lost} in {months} chain-months, {churn:.2f} % a month; a plan may not "
                 "assume they stay longer than that.", lost=c["chain_lost"], months=c["chain_months"],
                 churn=churn_pct))),
        Msg("Hosting and support at least what a chain costs to serve ({hosting:,.0f} CNY a month)",
            hosting=c["hosting"]): (
            lambda v: v["hosting"] >= c["hosting"] - 1e-6,
            Msg("Hosting: serving_costs shows {hosting:,.0f} CNY a month for each chain (small shops cost far "
                "less); a cheaper chain is a guess, not a plan.", hosting=c["hosting"])),
    }


def honest_plan() -> dict:
    """The reference: every slider at the honest edge the data allows (on the sliders' steps), the smallest
    team and all the cash, and the fewest new chains a month that make the plan survive."""
    import math

    c = constraints()
    steps = {p.name: p.step for p in PARAMS}
    base = {"price": math.floor(c["price_hi"] / steps["price"]) * steps["price"],
            "cac": math.ceil(c["cac"] / steps["cac"] - 1e-9) * steps["cac"],
            "churn_pct": math.ceil(100 * c["churn"] / steps["churn_pct"] - 1e-9) * steps["churn_pct"],
            "team_cost": 200000, "hosting": math.ceil(c["hosting"] / steps["hosting"] - 1e-9) * steps["hosting"],
            "starting_cash": 3000000}
    base["churn_pct"] = round(base["churn_pct"], 1)
    most = int(next(p.max for p in PARAMS if p.name == "new_per_month"))
    for new in range(1, most + 1):
        plan = {**base, "new_per_month": new}
        if all(evaluate(plan).targets.values()):
            return plan
    return {**base, "new_per_month": most}


class _HonestCashModel(ModelExercise):
    """03.8: the reference plan is computed from the data's bounds (REFERENCE_PLAN on the committed data)."""

    def reference_answer(self) -> dict:
        return honest_plan()


def evaluate(values) -> ModelOutcome:
    c = constraints()
    plan = plan_of(values)
    s = bp.summary(plan, values["starting_cash"])
    be = s["break_even_month"]
    metrics = {
        Msg("Break-even month"): Msg("month {be}", be=be) if be else Msg("not within {months} months", months=HORIZON),
        Msg("Lowest cash (CNY)"): s["lowest_cash_cny"],
        Msg("Lowest cash in month"): s["lowest_cash_month"],
        Msg("Customers at month 36"): s["customers_at_end"],
        Msg("Cash at month 36 (CNY)"): s["cash_at_end_cny"],
    }
    bounds = honesty_bounds(c)
    targets = {
        Msg("Break even by month {month} (net cash flow ≥ 0 from then on)", month=BREAK_EVEN_BY):
            be is not None and be <= BREAK_EVEN_BY,
        Msg("Cash never below zero in {months} months", months=HORIZON): s["lowest_cash_cny"] >= 0,
        **{label: bool(check(values)) for label, (check, _) in bounds.items()},
    }
    notes = [Msg("Broken: {why}", why=why) for check, why in bounds.values() if not check(values)]
    if values["new_per_month"] == 0:
        notes.append(Msg("With no new customers there is no revenue at all: the plan can only burn cash."))
    if s["runway_months"] is not None:
        notes.append(Msg("Cash runs out after month {month}.", month=s["runway_months"]))
    rate = c["partner_chains"] / c["partner_months"] if c["partner_months"] else 0.0
    if values["new_per_month"] > 0 and rate > 0:
        leads = values["new_per_month"] / c["win_rate"] if c["win_rate"] > 0 else float("inf")
        notes.append(Msg("Reality check: partners brought {chains} chains in {months} months ({rate:.3f} a month); "
                         "this plan needs {new:g} chains a month, {times:.0f}× as many. At today's {win:.0f} % win "
                         "rate that is about {leads:.0f} chain leads a month; the pipeline creates "
                         "{pipeline:.1f} a month today. This is what must become true: more partners that "
                         "reach chains, and more chain leads.", chains=c["partner_chains"],
                         months=c["partner_months"], rate=rate, new=values["new_per_month"],
                         times=values["new_per_month"] / rate, win=100 * c["win_rate"], leads=leads,
                         pipeline=c["leads_per_month"]))
    return ModelOutcome(metrics=metrics, targets=targets, notes=notes)


def plot(values):
    """The 36-month cash curve, with zero, the break-even month and the lowest point marked."""
    import matplotlib.pyplot as plt

    plan = plan_of(values)
    s = bp.summary(plan, values["starting_cash"])
    months = [0] + list(plan["month"])
    cash = [values["starting_cash"] / 1e6] + list(plan["cash"] / 1e6)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    ax.plot(months, cash, color="#1f5f99", linewidth=2, label=tr("cash (million CNY)"))
    ax.axhline(0, color="#cf222e", linewidth=1, linestyle="--", label=tr("zero: out of money"))
    be = s["break_even_month"]
    if be:
        ax.axvline(be, color="#1a7f37", linewidth=1, linestyle=":", label=tr(Msg("break-even: month {be}", be=be)))
    ax.axvline(BREAK_EVEN_BY, color="#9a6700", linewidth=0.8, linestyle="-.",
               label=tr(Msg("target: month {month}", month=BREAK_EVEN_BY)))
    ax.scatter([s["lowest_cash_month"]], [s["lowest_cash_cny"] / 1e6], color="#cf222e", zorder=3,
               label=tr(Msg("lowest: {cash:,.2f} M in month {month}", cash=s["lowest_cash_cny"] / 1e6,
                            month=s["lowest_cash_month"])))
    ax.set_xlim(0, HORIZON)
    ax.set_xlabel(tr("month"))
    ax.set_ylabel(tr("cash (million CNY)"))
    ax.set_title(tr("The plan's cash over 36 months"))
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return fig


cash_model = _HonestCashModel(
    "03.8", "A plan that survives",
    "Larkspur plans a product for 6–30-store chains, sold through partners. Move the sliders until the plan "
    f"**breaks even by month {BREAK_EVEN_BY} and never runs out of cash in {HORIZON} months**, while staying "
    "honest: every slider within what the data says about **chains** sold **through partners** — the price "
    "within competitors' 6–30-store plans and no higher than any 6–30-store interviewee would pay, CAC no lower "
    "than the partners' bounty for a chain, churn no lower than the chains' record allows, hosting no lower than "
    "a chain costs to serve (`serving_costs`). The feedback names each bound a plan breaks, and why, and checks "
    "the new chains a month against what partners and the pipeline (`deals`) deliver today. The model: "
    "customers = last month's × (1 − churn) + new; "
    "net cash = customers × (price − hosting) − new × CAC − team. A team smaller than 200,000 CNY a month cannot "
    "build it; 3 million is all the cash there is.",
    params=PARAMS, evaluate=evaluate, plot=plot, reference=REFERENCE_PLAN,
    success_message="The plan works on paper, inside what the data says. Now read the reality check below: what "
                    "must become true for it?",
    hints=["Start with the bounds: read each one in the targets list and set price, CAC, churn and hosting to "
           "the honest edge the data allows.",
           "Keep the team small; then raise new customers per month until break-even moves before month 24.",
           "If cash dips below zero, the early months burn too much: fewer new customers at first cost less CAC, "
           "but break-even comes later. Find the balance."],
    solution="For example: price 3,000 (the highest a 6–30-store interviewee would pay), CAC 15,000 (the chain "
             "bounty), churn 1.7 % (just above what 186 chain-months allow), 8 new chains a month, team 200,000, "
             "hosting 700 (a chain's cost to serve), cash 3 million → "
             "break-even in month 21, lowest cash about 78,000. Every bound is at its edge and the cushion is thin. "
             "And it needs 8 chains a month — partners brought 3 in two years, and at today's win rate 8 a month "
             "takes about ten times the chain leads the pipeline creates: the plan is a list of what must become "
             "true.",
    solution_code=("exercise(\"03.8\").submit({'price': 3000, 'cac': 15000, 'churn_pct': 1.7, 'new_per_month': 8,\n"
                   "           'team_cost': 200000, 'hosting': 700, 'starting_cash': 3000000})"),
    minutes=12,
    wrong_examples=[WrongExample({p.name: p.default for p in PARAMS}, "✗ Break even"),
                    WrongExample({**REFERENCE_PLAN, "price": 3200}, "no 6–30-store interviewee would pay over"),
                    WrongExample({"price": 3200, "cac": 3600, "churn_pct": 2.2, "new_per_month": 6,
                                  "team_cost": 200000, "hosting": 500, "starting_cash": 3000000},
                                 "bounty for a chain"),
                    WrongExample({**REFERENCE_PLAN, "churn_pct": 0.5}, "rule of three"),
                    WrongExample({**REFERENCE_PLAN, "hosting": 500}, "a cheaper chain is a guess")],
)


# -- 03.9 your own three answers -------------------------------------------------------------------------------

reflection = ReflectionExercise(
    "03.9", "Your own business plan in three answers",
    "Pick a product you know — your company's, or one you would build. Answer the article's three business-plan "
    "questions in a few sentences each: **(1) who exactly is the customer (a persona: role, kind of company, "
    "pain, what they use today)? (2) what do you make, and why does it beat the alternatives? (3) how does it "
    "make money — price, the cost of winning a customer, and what it costs to serve one?** Say which of your "
    "answers rests on data and which on a guess.",
    model_answer="A strong answer names one persona you could phone tomorrow (not 'small businesses'), one pain "
                 "in their words, and the tool they would stop using. It says why you win against that tool, not "
                 "against everyone. It gives a price you have heard customers accept, a CAC from a real channel, "
                 "and the cost to serve — and it marks the guess you will test first.",
    example_answer="(1) The finance lead of a 50-200 person logistics firm who reconciles carrier invoices in Excel "
                   "every month-end and loses two days to it. (2) Automatic invoice matching against shipment data; "
                   "it beats Excel macros because it reads the carriers' PDFs. (3) 1,500 CNY a month per firm; we "
                   "guess a CAC of 6,000 through accounting partners and about 200 a month to serve. The price is "
                   "from six interviews; the CAC is a guess we test next quarter.",
    min_words=40,
    hints=["Start with the persona: a role in a kind of company, a pain, today's tool.",
           "For the money: price, CAC (by channel) and cost to serve. Mark which are measured."],
    solution="There is no single right answer; compare yours with the model answer, especially the persona and "
             "which numbers are measured.",
    minutes=8,
    wrong_examples=[WrongExample("Everyone who has a shop.", "A few more sentences"),
                    WrongExample(42, "Expected text")],
)


MODULE = Module(
    number="03", slug="business-plan", title="From idea to business plan",
    teaching_minutes=30,
    article_passage="Product phases 1–2, 前期调研 and 商业计划: research the market with the founder and talk to "
                    "well-targeted customers; settle who the customer is (a clear persona, 用户画像), what we make "
                    "and why it beats the competitors, and how we make money (cost and revenue).",
    exercises=[pain_table, persona, gap, cac_exercise, ltv_cac, payback, scale, cash_model, reflection],
    core=['03.5', '03.7', '03.2'],  # for a room short of time: unit economics, the channel to scale, and the persona
    discussion=[
        "Which of your company's customers could you describe as a persona today? Which could you not?",
        "Which of your channels looks cheap per customer but loses money once churn is counted?",
        "Your 36-month plan depends on one number more than any other. Which, and who owns it?",
    ],
)
