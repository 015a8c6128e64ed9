"""The capstone: a quarter-by-quarter simulation of Larkspur Retail Cloud (FICTIONAL).

You are the CTO for the next eight quarters (Q3 2026 – Q2 2028). Each quarter you split
the engineers' capacity between four kinds of work, decide how many engineers to hire
and, optionally, the price. The company moves with lags, as a real one does: what you
do this quarter shows in the numbers next quarter or later.

Pure and deterministic: ``simulate(plan, seed=...)`` returns the same table for the same
plan and seed, and reads the company's tables only through :func:`starting_state` (never at
import time), which measures today with the same functions modules 03–05 use.

The plan
--------
Eight quarters; each quarter is a dict (or a DataFrame row) with

- ``features``, ``platform``, ``custom``, ``growth``: percentages of engineering capacity
  (each ≥ 0, together exactly 100): product features; platform and tech debt (稳底盘,
  stabilise the chassis); custom work for big accounts, the chains (盘客户); growth
  experiments such as onboarding, referral and activation (拉新促活);
- ``hires``: engineers hired this quarter (a whole number, 0–10);
- ``price`` (optional, default 1.0): a price index on every plan's list price, 0.7–1.5.

:func:`plan_from_phases` builds the 8 quarters from two phases (quarters 1–4 and 5–8).

The equations (quarter t = 1..8; quarter 0 is the start, 30 June 2026)
-----------------------------------------------------------------------
Symbols: S small shops (smb), C chains, N = S + C customers, M product maturity (0–100),
H platform health (0–100), I incidents per quarter, V delivery speed, E engineers,
K capacity in engineer-quarters, π price index, ``A.x`` an assumption (:class:`Assumptions`).

1. Engineers: ``E_t = E_{t-1} + hires_t``. A hire is 0 % productive in the quarter they
   join, 50 % in the next, 100 % after that; ``productive_t`` adds this up.
2. Delivery speed follows health two quarters late: ``V_t = 0.5 + H_{t-2} / 100``
   (health 50 → 1.0, 100 → 1.5, 0 → 0.5). Platform work pays off later, not at once.
3. Firefighting eats part of the week: ``fire_t = min(A.fire_cap, A.fire_per_incident ×
   I_{t-1})`` (9 incidents → 18 % of the time; never more than 60 %).
4. Capacity: ``K_t = productive_t × V_t × (1 − fire_t)``. Each kind of work gets its share
   of K: F (features), P (platform), U (custom), G (growth), in engineer-quarters.
5. Maturity: each engineer-quarter of features closes ``A.maturity_per_eq`` % of the gap to
   a complete product, and the market moves on by ``A.maturity_decay`` points a quarter:
   ``M_t = M_{t-1} + A.maturity_per_eq × F × (100 − M_{t-1}) / 100 − A.maturity_decay``.
   Early features move M a lot; once the product is mature they move it little.
6. Health: platform work repairs; features, and custom work even more, add debt; every
   customer adds load: ``H_t = clip(H_{t-1} + A.health_per_platform_eq × P −
   A.debt_per_feature_eq × F − A.debt_per_custom_eq × U − A.load_per_customer × N_{t-1},
   0, 100)``.
7. Incidents: worse health and more customers mean more incidents:
   ``I_t = A.incidents_at_zero_health × (1 − H_t / 100) × sqrt(N_{t-1} / N_0)``.
8. New small shops (self-serve): the product must be good enough to be chosen, and growth
   experiments multiply that inflow — they cannot sell a product that is not there yet.
   ``n_0`` is the small shops won in the last quarter (the data, 52):
   ``new_smb_t = n_0 × (M_{t-1} / M_0) ^ A.maturity_exponent × (1 +
   A.growth_lift_per_eq × G) × π^(−A.price_elasticity) × noise_t``.
   Features win customers a quarter later (through M_{t-1}); growth acts at once.
9. New chains (big accounts, sold by the sales team): a base rate, plus the custom work
   done for prospects, which closes deals one quarter later:
   ``new_chains_t = M_{t-1} / 100 × (A.chain_base + A.chains_per_custom_eq × U_{t-1}) ×
   π^(−A.price_elasticity) × noise_t``.
10. Churn (share of customers lost in the quarter): each segment's measured churn of the last
   quarter, c_smb and c_chain (monthly logo churn, compounded over three months); customers put
   up with today's incident level I_0 (the data); each incident above it last quarter pushes churn up:
   ``churn_smb_t = (c_smb + A.churn_per_incident × max(0, I_{t-1} − I_0)) × π^A.churn_elasticity``;
   chains are stickier: ``(c_chain + A.churn_per_incident / 3 × max(0, I_{t-1} − I_0)) × π^…``.
11. Customers: ``S_t = S_{t-1} × (1 − churn_smb_t) + new_smb_t``; the same for C.
12. ``MRR_t = π_t × (C_t × ARPA_chain + S_t × ARPA_smb)``; ``ARR_t = 12 × MRR_t``.
13. Cash: ``revenue_t = 3 × (MRR_{t-1} + MRR_t) / 2`` (customers come and go through the
   quarter); ``costs_t = A.salary_per_quarter_cny × E_t + A.hiring_fee_cny × hires_t +
   A.fixed_opex_cny + (1 − gross margin) × revenue_t`` (the gross margin measured last quarter);
   ``cash_t = cash_{t-1} + revenue_t − costs_t``.

``noise_t`` is a small seeded market wobble (mean 1, standard deviation ``A.noise``, clipped
to 0.8–1.2), drawn once per quarter for a seed and the same for every plan, so two plans
are always compared in the same market.

The targets, stated up front (:func:`targets`, :func:`target_labels`): ARR at the end of
quarter 4 ≥ ``A.arr_milestone_multiple`` × today's (the board's milestone: the business
must win first); ARR at the end of quarter 8 ≥ ``A.arr_target_multiple`` × today's; cash
never below zero; at most ``A.max_incidents_q8`` incidents in quarter 8; platform health
≥ ``A.min_health_q8`` at the end of quarter 8.

Definitions and sources. MRR is the monthly recurring subscription revenue and ARR = 12 ×
MRR; ARPA is the average revenue per account (per month); churn is the share of customers
lost in a period — the usual SaaS definitions (David Skok, "SaaS Metrics 2.0",
forEntrepreneurs.com). Tripling ARR is the first step of Battery
Ventures' "triple, triple, double, double, double" path for a young SaaS (Neeraj Agrawal,
"The SaaS Adventure", TechCrunch, 2015): here it is spread over two years. That speed and
stability go together with business results, rather than trading off, is what DORA's research
found (Forsgren, Humble and Kim, *Accelerate*, 2018). From the data (:func:`starting_state`):
customers and ARPA per segment, churn per segment, the gross margin, the team, today's
incidents (hence health), today's platform share and the last quarter's wins. Everything in
:class:`Assumptions` (cash, product maturity, the coefficients, the targets) is a stated
assumption of this fictional company, chosen so that the article's lesson holds and can
be discovered: all-features wins early and collapses, all-platform starves the business,
a balanced plan that shifts with the company's phase wins.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace  # noqa: F401 (replace: for learners)

import numpy as np
import pandas as pd

from ..engine.i18n import Msg, join
from .checks import finite_number

QUARTERS = 8
AREAS = ("features", "platform", "custom", "growth")
PLAN_COLUMNS = AREAS + ("hires", "price")
SEED = 2026
AS_OF = "2026-06-30"
QUARTER_LABELS = ("Q3 2026", "Q4 2026", "Q1 2027", "Q2 2027", "Q3 2027", "Q4 2027", "Q1 2028", "Q2 2028")
PRICE_RANGE = (0.7, 1.5)
MAX_HIRES_PER_QUARTER = 10


@dataclass(frozen=True)
class Assumptions:
    """Everything the simulation assumes that the data does not say. All stated, all changeable:
    ``simulate(plan, assumptions=replace(DEFAULT, noise=0))``."""

    # the company on 30 June 2026
    # (customers, ARPA, churn, cost to serve, engineers, incidents and health come from the data:
    # see starting_state)
    start_cash_cny: float = 8_500_000.0      # in the bank (the seed round)
    start_maturity: float = 40.0             # product maturity, 0–100
    # money
    salary_per_quarter_cny: float = 60_000.0  # per engineer, fully loaded (20 000 CNY a month)
    hiring_fee_cny: float = 30_000.0         # recruiting cost per hire
    fixed_opex_cny: float = 250_000.0        # sales, support, office: per quarter
    # engineering
    fire_per_incident: float = 0.02          # share of capacity lost per incident of last quarter
    fire_cap: float = 0.6
    maturity_per_eq: float = 5.0             # % of the gap to a complete product closed per engineer-quarter
    maturity_decay: float = 3.5              # points a quarter: the market moves on
    health_per_platform_eq: float = 2.5      # health points per engineer-quarter of platform work
    debt_per_feature_eq: float = 1.0         # health points lost per engineer-quarter of features
    debt_per_custom_eq: float = 2.5          # ... of custom work (one-off code paths)
    load_per_customer: float = 0.002         # health points lost per customer per quarter
    incidents_at_zero_health: float = 20.0   # per quarter, at today's number of customers
    # customers
    maturity_exponent: float = 1.5           # a product half as mature wins 2^1.5 ≈ 2.8 times fewer shops
    growth_lift_per_eq: float = 0.10         # +10 % smb inflow per engineer-quarter of growth experiments
    chain_base: float = 3.0                  # chains a quarter from sales alone (complete product)
    chains_per_custom_eq: float = 1.0        # extra chains per engineer-quarter of custom work, a quarter later
    churn_per_incident: float = 0.012        # extra smb churn per incident above the tolerance
    price_elasticity: float = 1.5            # new customers × price^-1.5
    churn_elasticity: float = 1.5            # churn × price^1.5
    noise: float = 0.05                      # the market wobble's standard deviation
    # the targets
    arr_milestone_multiple: float = 1.4      # ARR at the end of quarter 4, × today's (the board's milestone)
    arr_target_multiple: float = 3.0         # ARR at the end of quarter 8, × today's
    max_incidents_q8: float = 15.0
    min_health_q8: float = 60.0


DEFAULT = Assumptions()


# ----------------------------------------------------------------------------- the starting state


def _quarter_window(as_of: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[first month, month after) of the calendar quarter that ends on ``as_of``."""
    q = pd.Timestamp(as_of).to_period("Q")
    return q.start_time, (q + 1).start_time


@functools.lru_cache(maxsize=4)
def _measured_start(data_stamp: tuple, as_of: str, assumptions: Assumptions) -> dict:
    from .. import data

    return starting_state(data.load, as_of, assumptions)


def starting_state(load=None, as_of: str = AS_OF, assumptions: Assumptions = DEFAULT) -> dict:
    """Larkspur on ``as_of`` (30 June 2026), measured with the functions modules 03–05 use.

    ``load`` reads a table by name (default ``ctopath.data.load``). From the data:

    - customers and ARPA per segment: the accounts billed in the month of ``as_of``
      (``segmentation.mrr_in``, as 05.8), their segment from ``accounts``; MRR by segment from
      ``cohorts.mrr_by_month`` (as 05's results dashboard); ARR = 12 × MRR;
    - churn per segment, a quarter: monthly logo churn over the quarter that ends on ``as_of``
      (``unit_economics.logo_churn``, pooled, as 03.5 and 05.11), compounded over three months:
      1 − (1 − monthly)³;
    - the cost to serve: 1 − gross margin over that quarter (``unit_economics.gross_margin``);
    - engineers: the last sprint's team (``sprints``); today's platform share: the mean
      ``delivery.platform_share`` of the last 13 sprints (half a year, as module 04);
    - incidents: the incidents that started in that quarter (``incidents``); platform health
      is set so that the model's incidents equal them: H = 100 × (1 − I ÷ A.incidents_at_zero_health).
    - new small shops and chains won in that quarter (``accounts``).

    Cash and product maturity come from ``assumptions`` (the data does not hold them).
    """
    from . import cohorts, delivery, segmentation, unit_economics as ue

    if load is None:
        from .. import data
        # Measured once per data: every Check and Run of the capstone starts here (it takes ~0.2 s).
        return dict(_measured_start(data.stamp(*data.tables()), as_of, assumptions))
    if not callable(load):
        raise ValueError(Msg("Expected a function that loads a table by name (like data.load), got {kind}.",
                             kind=type(load).__name__))
    a = assumptions
    accounts, subscriptions = load("accounts"), load("subscriptions")
    month = pd.Timestamp(as_of).to_period("M")
    billed = segmentation.mrr_in(subscriptions, str(month))
    segment_of = accounts.set_index("merchant_id")["segment"]
    counts = billed.groupby(billed.index.map(segment_of)).size()
    mrr_by_segment = cohorts.mrr_by_month(subscriptions, accounts, by="segment").loc[str(month)]
    for seg in ("chain", "smb"):
        if counts.get(seg, 0) == 0:
            raise ValueError(Msg("No {segment} customers on {as_of}: the simulation needs both segments to start "
                                 "from.", segment=seg, as_of=as_of))
    first, after = _quarter_window(as_of)
    _, mrr, _ = ue.tables(load)
    span = (pd.to_datetime(mrr["month"]).min(), pd.to_datetime(mrr["month"]).max())
    churn_month = {}
    for seg in ("chain", "smb"):
        ids = accounts.loc[accounts["segment"] == seg, "merchant_id"]
        churn_month[seg] = ue.logo_churn(mrr[mrr["merchant_id"].isin(ids)], first, after, months=span)
    sprints = load("sprints")
    incidents = load("incidents")
    started = pd.to_datetime(incidents["started_at"])
    incidents_now = int(((started >= first) & (started < after)).sum())
    signed = pd.to_datetime(accounts["signup_date"])
    new_now = accounts.loc[(signed >= first) & (signed < after)].groupby("segment").size()
    mrr_total = float(mrr_by_segment.sum())
    return {
        "as_of": as_of,
        "chains": int(counts["chain"]),
        "smb": int(counts["smb"]),
        "arpa_chain_cny": float(mrr_by_segment["chain"] / counts["chain"]),
        "arpa_smb_cny": float(mrr_by_segment["smb"] / counts["smb"]),
        "mrr_cny": mrr_total,
        "arr_cny": 12 * mrr_total,
        "churn_smb_month": float(churn_month["smb"]),
        "churn_chain_month": float(churn_month["chain"]),
        "churn_smb_quarter": float(1 - (1 - churn_month["smb"]) ** 3),
        "churn_chain_quarter": float(1 - (1 - churn_month["chain"]) ** 3),
        "cost_to_serve": float(1 - ue.gross_margin(mrr, first, after)),
        "engineers": int(sprints["engineers"].iloc[-1]),
        "platform_share": float(delivery.platform_share(sprints).tail(13).mean()),
        "incidents": incidents_now,
        "health": float(min(100.0, max(0.0, 100 * (1 - incidents_now / a.incidents_at_zero_health)))),
        "new_smb": int(new_now.get("smb", 0)),
        "new_chains": int(new_now.get("chain", 0)),
        "cash_cny": a.start_cash_cny,
        "maturity": a.start_maturity,
    }


# ----------------------------------------------------------------------------- the plan


def check_shares(shares: Mapping, where: str) -> dict:
    """The four shares of one quarter (or phase): percentages ≥ 0 that add up to 100."""
    out = {a: finite_number(shares.get(a, 0), f"{where}: {a}") for a in AREAS}
    negative = [a for a, v in out.items() if v < 0]
    if negative:
        shares = join([Msg("{area} {share:g} %", area=a, share=out[a]) for a in negative], ", ")
        raise ValueError(Msg("{where}: a share cannot be negative ({shares}).", where=where, shares=shares))
    total = sum(out.values())
    if total == 0:
        raise ValueError(Msg("{where}: every share is zero, so the engineers would work on nothing. "
                             "Split 100 % of their time across features, platform, custom and growth.", where=where))
    if abs(total - 1.0) < 1e-6:
        raise ValueError(Msg("{where}: the shares add up to 1 — give percentages (40 for 40 %) that add up to 100.",
                             where=where))
    if abs(total - 100) > 0.5:
        if total > 100:
            raise ValueError(Msg("{where}: the shares add up to {total:g} %, over 100 %. Features + platform + custom "
                                 "+ growth must be exactly 100 % of the engineers' time (there is no overtime).",
                                 where=where, total=total))
        raise ValueError(Msg("{where}: the shares add up to {total:g} %, under 100 %. Features + platform + custom "
                             "+ growth must be exactly 100 % of the engineers' time (there is no overtime).",
                             where=where, total=total))
    return out


def normalize_plan(plan) -> pd.DataFrame:
    """Check a plan and return it as a DataFrame: 8 rows (quarters 1–8), PLAN_COLUMNS.

    ``plan`` is a list of 8 dicts or a DataFrame with 8 rows and the columns features,
    platform, custom, growth, hires and (optionally) price. Raises ValueError with a
    sentence saying what to fix.
    """
    if isinstance(plan, pd.DataFrame):
        rows = plan.to_dict("records")
    elif isinstance(plan, Sequence) and not isinstance(plan, (str, bytes)):
        rows = list(plan)
    else:
        raise ValueError(Msg("A plan is a list of {quarters} dicts (one per quarter) or a DataFrame with {quarters} "
                             "rows; got {kind}. plan_from_phases(...) builds one from two phases.",
                             quarters=QUARTERS, kind=type(plan).__name__))
    if len(rows) != QUARTERS:
        raise ValueError(Msg("A plan has exactly {quarters} quarters; this one has {n}.", quarters=QUARTERS,
                             n=len(rows)))
    out = []
    for q, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise ValueError(Msg("Quarter {q}: expected a dict like {{'features': 40, 'platform': 30, 'custom': 10, "
                                 "'growth': 20, 'hires': 1}}, got {kind}.", q=q, kind=type(row).__name__))
        unknown = [k for k in row if k not in PLAN_COLUMNS and k != "quarter"]
        if unknown:
            raise ValueError(Msg("Quarter {q}: unknown setting(s) {unknown}; a quarter takes {columns}.", q=q,
                                 unknown=repr(unknown), columns=repr(list(PLAN_COLUMNS))))
        where = Msg("Quarter {q}", q=q)
        shares = check_shares(row, where)
        hires = finite_number(row.get("hires", 0), f"{where}: hires")
        if hires < 0:
            raise ValueError(Msg("{where}: hires cannot be negative ({hires:g}). To shrink the team, hire 0; "
                                 "layoffs are not part of this simulation.", where=where, hires=hires))
        if hires != int(hires):
            raise ValueError(Msg("{where}: hires must be a whole number of people, got {hires:g}.", where=where,
                                 hires=hires))
        if hires > MAX_HIRES_PER_QUARTER:
            raise ValueError(Msg("{where}: {hires:g} hires in one quarter is more than the company can recruit and "
                                 "onboard (at most {most}).", where=where, hires=hires, most=MAX_HIRES_PER_QUARTER))
        price = finite_number(row.get("price", 1.0), f"{where}: price")
        if not PRICE_RANGE[0] <= price <= PRICE_RANGE[1]:
            raise ValueError(Msg("{where}: the price index must be between {low:g} and {high:g} "
                                 "(1.0 = today's prices), got {price:g}.", where=where, low=PRICE_RANGE[0],
                                 high=PRICE_RANGE[1], price=price))
        out.append({**shares, "hires": int(hires), "price": price})
    frame = pd.DataFrame(out, columns=list(PLAN_COLUMNS))
    frame.insert(0, "quarter", range(1, QUARTERS + 1))
    return frame


def plan_from_phases(phase1: Mapping, phase2: Mapping | None = None, price: float = 1.0) -> list[dict]:
    """A full plan from two phases: quarters 1–4 follow ``phase1``, quarters 5–8 ``phase2``.

    Each phase is a dict with features, platform, custom, growth (percent) and hires
    (per quarter). ``phase2`` defaults to ``phase1`` (one plan for all eight quarters).
    """
    phase2 = phase1 if phase2 is None else phase2
    out = []
    for name, phase in ((Msg("Phase 1"), phase1), (Msg("Phase 2"), phase2)):
        if not isinstance(phase, Mapping):
            raise ValueError(Msg("{name} must be a dict like {{'features': 40, 'platform': 30, 'custom': 10, "
                                 "'growth': 20, 'hires': 1}}, got {kind}.", name=name, kind=type(phase).__name__))
        shares = check_shares(phase, name)
        row = {**shares, "hires": phase.get("hires", 0), "price": phase.get("price", price)}
        out.extend(dict(row) for _ in range(QUARTERS // 2))
    return out


# ----------------------------------------------------------------------------- the simulation

RESULT_COLUMNS = (
    "quarter", "label", "features", "platform", "custom", "growth", "hires", "price",
    "engineers", "productive", "speed", "firefighting", "capacity",
    "maturity", "health", "incidents", "new_smb", "new_chains", "churn_smb", "churn_chain",
    "smb", "chains", "customers", "mrr_cny", "arr_cny", "revenue_cny", "costs_cny", "cash_cny",
)


def market_noise(seed: int = SEED, sd: float = DEFAULT.noise) -> np.ndarray:
    """The seeded market wobble: one factor per quarter, mean 1, clipped to [0.8, 1.2]."""
    rng = np.random.default_rng(seed)
    return np.clip(1.0 + sd * rng.standard_normal(QUARTERS), 0.8, 1.2)


def simulate(plan, *, seed: int = SEED, start: Mapping | None = None,
             assumptions: Assumptions = DEFAULT) -> pd.DataFrame:
    """Play the eight quarters of ``plan``; one row per quarter, row 0 is the start.

    Columns: RESULT_COLUMNS. Customers are expected values (fractions allowed: 12.4
    chains means "about 12"). Money in CNY. Raises ValueError for an invalid plan.
    """
    a = assumptions
    p = normalize_plan(plan)
    s = dict(start) if start is not None else starting_state(assumptions=a)
    noise = market_noise(seed, a.noise)

    smb, chains = float(s["smb"]), float(s["chains"])
    n0 = smb + chains
    health, maturity, cash = float(s["health"]), float(s["maturity"]), float(s["cash_cny"])
    engineers = int(s["engineers"])
    mrr = 1.0 * (chains * s["arpa_chain_cny"] + smb * s["arpa_smb_cny"])
    incidents = a.incidents_at_zero_health * (1 - health / 100)
    tolerance = float(s["incidents"])  # customers put up with today's level
    maturity_0 = maturity
    rows = [{
        "quarter": 0, "label": "start", "engineers": engineers, "productive": float(engineers), "maturity": maturity,
        "health": health, "incidents": incidents, "smb": smb, "chains": chains, "customers": smb + chains,
        "mrr_cny": mrr, "arr_cny": 12 * mrr, "cash_cny": cash, "price": 1.0,
    }]
    health_hist = [health, health]  # H_{t-2}, H_{t-1}
    hires_hist: list[int] = []
    custom_prev = 0.0
    for t in range(1, QUARTERS + 1):
        q = p.iloc[t - 1]
        price = float(q["price"])
        hires = int(q["hires"])
        # 1. engineers and ramp-up
        engineers += hires
        hires_hist.append(hires)
        ramping = hires + 0.5 * (hires_hist[-2] if len(hires_hist) >= 2 else 0)
        productive = engineers - ramping
        # 2.–4. speed, firefighting, capacity
        speed = 0.5 + health_hist[-2] / 100
        fire = min(a.fire_cap, a.fire_per_incident * incidents)
        capacity = productive * speed * (1 - fire)
        work = {area: q[area] / 100 * capacity for area in AREAS}
        customers_prev = smb + chains
        # 5. maturity (the new value feeds next quarter's wins)
        maturity_prev = maturity
        maturity = min(100.0, max(0.0, maturity + a.maturity_per_eq * work["features"] * (100 - maturity) / 100
                                  - a.maturity_decay))
        incidents_prev = incidents
        # 6.–7. health and incidents
        health = health + (a.health_per_platform_eq * work["platform"] - a.debt_per_feature_eq * work["features"]
                           - a.debt_per_custom_eq * work["custom"] - a.load_per_customer * customers_prev)
        health = min(100.0, max(0.0, health))
        incidents = a.incidents_at_zero_health * (1 - health / 100) * math.sqrt(customers_prev / n0)
        # 8.–9. wins
        demand = price ** -a.price_elasticity * noise[t - 1]
        new_smb = (s["new_smb"] * (maturity_prev / maturity_0) ** a.maturity_exponent
                   * (1 + a.growth_lift_per_eq * work["growth"]) * demand)
        new_chains = maturity_prev / 100 * (a.chain_base + a.chains_per_custom_eq * custom_prev) * demand
        custom_prev = work["custom"]
        # 10.–11. churn and customers
        excess = max(0.0, incidents_prev - tolerance)
        churn_smb = min(1.0, (s["churn_smb_quarter"] + a.churn_per_incident * excess) * price ** a.churn_elasticity)
        churn_chain = min(1.0, (s["churn_chain_quarter"] + a.churn_per_incident * excess / 3)
                          * price ** a.churn_elasticity)
        smb = smb * (1 - churn_smb) + new_smb
        chains = chains * (1 - churn_chain) + new_chains
        # 12.–13. money
        mrr_prev = mrr
        mrr = price * (chains * s["arpa_chain_cny"] + smb * s["arpa_smb_cny"])
        revenue = 3 * (mrr_prev + mrr) / 2
        costs = (a.salary_per_quarter_cny * engineers + a.hiring_fee_cny * hires + a.fixed_opex_cny
                 + s["cost_to_serve"] * revenue)
        cash = cash + revenue - costs
        health_hist.append(health)
        rows.append({
            "quarter": t, "label": QUARTER_LABELS[t - 1], **{k: float(q[k]) for k in AREAS},
            "hires": hires, "price": price, "engineers": engineers, "productive": productive, "speed": speed,
            "firefighting": fire, "capacity": capacity, "maturity": maturity, "health": health,
            "incidents": incidents, "new_smb": new_smb, "new_chains": new_chains, "churn_smb": churn_smb,
            "churn_chain": churn_chain, "smb": smb, "chains": chains, "customers": smb + chains,
            "mrr_cny": mrr, "arr_cny": 12 * mrr, "revenue_cny": revenue, "costs_cny": costs, "cash_cny": cash,
        })
    out = pd.DataFrame(rows).reindex(columns=list(RESULT_COLUMNS))
    out["label"] = out["label"].astype(str)
    return out


# ----------------------------------------------------------------------------- targets


def targets(start: Mapping | None = None, assumptions: Assumptions = DEFAULT) -> dict:
    """The four targets, stated up front, as thresholds."""
    a = assumptions
    s = dict(start) if start is not None else starting_state(assumptions=a)
    return {
        "arr_q4_min_cny": a.arr_milestone_multiple * s["arr_cny"],
        "arr_q8_min_cny": a.arr_target_multiple * s["arr_cny"],
        "cash_min_cny": 0.0,
        "incidents_q8_max": a.max_incidents_q8,
        "health_q8_min": a.min_health_q8,
    }


def target_labels(start: Mapping | None = None, assumptions: Assumptions = DEFAULT) -> dict:
    """Target key → a sentence a learner reads."""
    t = targets(start, assumptions)
    return {
        "milestone": Msg("ARR at the end of quarter 4 ≥ {arr:,.0f} CNY ({multiple:g}× today's: the board's milestone)",
                         arr=t["arr_q4_min_cny"], multiple=assumptions.arr_milestone_multiple),
        "arr": Msg("ARR at the end of quarter 8 ≥ {arr:,.0f} CNY ({multiple:g}× today's)",
                   arr=t["arr_q8_min_cny"], multiple=assumptions.arr_target_multiple),
        "cash": Msg("cash never below zero"),
        "incidents": Msg("at most {limit:g} incidents in quarter 8", limit=t["incidents_q8_max"]),
        "health": Msg("platform health ≥ {limit:g} at the end of quarter 8", limit=t["health_q8_min"]),
    }


def check_targets(result: pd.DataFrame, start: Mapping | None = None,
                  assumptions: Assumptions = DEFAULT) -> dict:
    """Target key (arr, cash, incidents, health) → met (bool), for a ``simulate`` result."""
    t = targets(start, assumptions)
    last = result.iloc[-1]
    return {
        "milestone": bool(result.loc[result["quarter"] == 4, "arr_cny"].iloc[0] >= t["arr_q4_min_cny"]),
        "arr": bool(last["arr_cny"] >= t["arr_q8_min_cny"]),
        "cash": bool(result["cash_cny"].min() >= t["cash_min_cny"]),
        "incidents": bool(last["incidents"] <= t["incidents_q8_max"]),
        "health": bool(last["health"] >= t["health_q8_min"]),
    }


def summary(result: pd.DataFrame) -> dict:
    """The few figures a board looks at, from a ``simulate`` result."""
    last = result.iloc[-1]
    return {
        "ARR in Q8 (CNY)": round(float(last["arr_cny"])),
        "peak ARR (CNY)": round(float(result["arr_cny"].max())),
        "peak ARR quarter": int(result.loc[result["arr_cny"].idxmax(), "quarter"]),
        "lowest cash (CNY)": round(float(result["cash_cny"].min())),
        "incidents in Q8": round(float(last["incidents"]), 1),
        "platform health in Q8": round(float(last["health"]), 1),
        "customers in Q8": round(float(last["customers"])),
        "engineers in Q8": int(last["engineers"]),
    }


def mrr_bridge(result: pd.DataFrame, start: Mapping | None = None) -> pd.DataFrame:
    """Where each quarter's MRR came from: start + new − churned + repricing = end.

    One row per played quarter (1–8): ``mrr_start_cny``, ``new_mrr_cny`` (new customers ×
    ARPA × this quarter's price), ``churned_mrr_cny`` (customers lost — churn rate × customers
    at the START of the quarter — × ARPA × this quarter's price), ``repricing_mrr_cny`` (a
    price change applied to the customers at the start), ``mrr_end_cny``. This "MRR bridge"
    (or MRR movements) is the usual way to show a board how recurring revenue moved.
    """
    s = dict(start) if start is not None else starting_state()
    prev = result.iloc[:-1].reset_index(drop=True)
    now = result.iloc[1:].reset_index(drop=True)
    base = prev["smb"] * s["arpa_smb_cny"] + prev["chains"] * s["arpa_chain_cny"]
    price_prev = prev["price"].fillna(1.0)
    out = pd.DataFrame({
        "quarter": now["quarter"].astype(int),
        "mrr_start_cny": prev["mrr_cny"],
        "new_mrr_cny": now["price"] * (now["new_smb"] * s["arpa_smb_cny"] + now["new_chains"] * s["arpa_chain_cny"]),
        "churned_mrr_cny": now["price"] * (prev["smb"] * now["churn_smb"] * s["arpa_smb_cny"]
                                           + prev["chains"] * now["churn_chain"] * s["arpa_chain_cny"]),
        "repricing_mrr_cny": (now["price"] - price_prev) * base,
        "mrr_end_cny": now["mrr_cny"],
    })
    return out


def diagnose(result: pd.DataFrame, start: Mapping | None = None, assumptions: Assumptions = DEFAULT) -> list[str]:
    """A few plain sentences on what drove a ``simulate`` result: one per missed target, plus
    the turning points (for the exercise feedback and the board review)."""
    a = assumptions
    t = targets(start, a)
    first, last = result.iloc[0], result.iloc[-1]
    played = result.iloc[1:]
    q4 = result.loc[result["quarter"] == 4].iloc[0]
    notes = []
    peak_q = int(result.loc[result["arr_cny"].idxmax(), "quarter"])
    if peak_q < QUARTERS and last["arr_cny"] < 0.98 * result["arr_cny"].max():
        worst = played.loc[played["churn_smb"].idxmax()]
        notes.append(Msg("ARR peaked in quarter {quarter} ({peak:,.0f} CNY) and then fell: incidents above what "
                         "customers tolerate pushed small-shop churn to {churn:.0%} a quarter, and firefighting took "
                         "{firefighting:.0%} of the engineers' time.", quarter=peak_q, peak=result["arr_cny"].max(),
                         churn=worst["churn_smb"], firefighting=last["firefighting"]))
    if q4["arr_cny"] < t["arr_q4_min_cny"]:
        notes.append(Msg("ARR at the end of quarter 4 was {arr:,.0f} CNY, short of the board's milestone "
                         "({milestone:,.0f}): the business did not win early enough — too little feature "
                         "work in phase 1, or too few engineers.", arr=q4["arr_cny"], milestone=t["arr_q4_min_cny"]))
    if last["maturity"] < first["maturity"]:
        notes.append(Msg("Product maturity slid from {first:.0f} to {last:.0f}: with too little feature work the "
                         "market moved on, so fewer shops chose Larkspur.", first=first["maturity"],
                         last=last["maturity"]))
    elif played["growth"].sum() == 0:
        notes.append(Msg("No growth experiments at all: the inflow a mature product earns was never multiplied."))
    if last["health"] < t["health_q8_min"]:
        if last["health"] < first["health"] - 10:
            notes.append(Msg("Platform health fell from {first:.0f} to {last:.0f}: features and custom work added "
                             "debt, and customers added load, faster than platform work repaid it.",
                             first=first["health"], last=last["health"]))
        else:
            notes.append(Msg("Platform health ended at {last:.0f}, below the target of {target:g}: a little more "
                             "platform work, especially as customers grow.", last=last["health"],
                             target=t["health_q8_min"]))
    if last["incidents"] > t["incidents_q8_max"]:
        notes.append(Msg("Incidents in quarter 8: {incidents:.1f} (limit {limit:g}). More customers mean more load "
                         "(incidents grow with √customers), so platform work must grow with the business.",
                         incidents=last["incidents"], limit=t["incidents_q8_max"]))
    if result["cash_cny"].min() < 0:
        q = int(played.loc[played["cash_cny"] < 0, "quarter"].iloc[0])
        notes.append(Msg("Cash ran out in quarter {quarter}: payroll for {engineers} engineers outgrew revenue. "
                         "Hire fewer, or earlier so they pay back sooner.", quarter=q,
                         engineers=int(result.loc[q, "engineers"])))
    if last["arr_cny"] < t["arr_q8_min_cny"]:
        notes.append(Msg("ARR in quarter 8 is {arr:,.0f} CNY, {share:.0%} of the target.", arr=last["arr_cny"],
                         share=last["arr_cny"] / t["arr_q8_min_cny"]))
    return notes


# ----------------------------------------------------------------------------- three archetypes

#: Today's habit at Larkspur: the platform share of the last 13 sprints (23.7 %, module 04's ``sprints``) to the
#: sliders' 5-point step; a fifth on custom work for chains (an assumption: sprints do not separate it from
#: features); the rest on features; no hires. :func:`todays_allocation` derives it; a test keeps the two equal.
STATUS_QUO = {"features": 55, "platform": 25, "custom": 20, "growth": 0, "hires": 0}
CUSTOM_SHARE_TODAY = 20


def todays_allocation(start: Mapping | None = None, step: int = 5) -> dict:
    """Today's habit from the data: platform = the last 13 sprints' platform share, to ``step`` points."""
    s = dict(start) if start is not None else starting_state()
    platform = int(step * round(100 * s["platform_share"] / step))
    return {"features": 100 - platform - CUSTOM_SHARE_TODAY, "platform": platform, "custom": CUSTOM_SHARE_TODAY,
            "growth": 0, "hires": 0}

#: The balanced plan that shifts with the company's phase: build first (features, with the
#: platform kept sound), then promote (growth), with the platform share kept as load grows.
BALANCED_PHASES = (
    {"features": 55, "platform": 40, "custom": 5, "growth": 0, "hires": 1},
    {"features": 15, "platform": 40, "custom": 5, "growth": 40, "hires": 1},
)
ARCHETYPES = ("all_features", "all_platform", "balanced")


def archetype(name: str) -> list[dict]:
    """The plans the lesson compares: "all_features", "all_platform", "balanced"."""
    plans = {
        "all_features": plan_from_phases({"features": 100, "platform": 0, "custom": 0, "growth": 0, "hires": 1}),
        "all_platform": plan_from_phases({"features": 0, "platform": 100, "custom": 0, "growth": 0, "hires": 1}),
        "balanced": plan_from_phases(BALANCED_PHASES[0], BALANCED_PHASES[1]),
    }
    if name not in plans:
        raise ValueError(Msg("Unknown plan {name}; choose one of {names}.", name=repr(name), names=", ".join(plans)))
    return plans[name]


__all__ = [
    "QUARTERS", "AREAS", "PLAN_COLUMNS", "SEED", "Assumptions", "DEFAULT", "starting_state", "check_shares",
    "normalize_plan", "plan_from_phases", "simulate", "market_noise", "targets", "target_labels",
    "check_targets", "summary", "mrr_bridge", "diagnose", "archetype", "ARCHETYPES", "BALANCED_PHASES", "STATUS_QUO",
    "todays_allocation", "CUSTOM_SHARE_TODAY",
    "RESULT_COLUMNS",
]
