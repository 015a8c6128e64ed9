"""Module 03's tables: customer interviews and competitors.

- ``interviews``: 40 coded interviews from Larkspur's research before launch (May–July 2024).
- ``competitors``: the feature-and-price matrix of five (fictional) competitors' plans.

Module 03's unit economics use the account base of modules 04/05 (``accounts``,
``subscriptions``); the channel, cost and spend tables it adds on top of that base are
built in ``m03_business_plan_channels.py``, whose builder declares the tables it reads.

INSTRUCTOR NOTES — the planted findings (learners read data/README.md, not this)
---------------------------------------------------------------------------------
1. Interviews: single-store owners complain loudly (most rate their pain 4–5) but would pay
   little (median about 100 CNY a month); chains of 6–30 stores have the most acute pain
   (repeat purchase: members do not come back, and no cross-store view) AND would pay about
   2,000 CNY a month. Chains of 31+ stores pay most but their pain is rarely acute (they
   build in-house). → Persona: head of operations at a 6–30-store café or bakery chain.
2. Competitors: the plans for 6–30-store chains cost 1,200–3,200 CNY a month, and none of
   them combines membership, coupons and multi-store reports; only ChainCRM's enterprise
   plan (8,800, for 31+ stores) does. That is the positioning gap, and the price range the
   cash model must respect.
3. Channels: see the notes in m03_business_plan_channels.py.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..tables import Builder

SCHEMAS = {
    "interviews": {
        "interview_id": "id",
        "interview_date": "date",
        "merchant_id": "optional_id",
        "role": "str",
        "company_size": "str",
        "stores": "int",
        "category": "str",
        "main_pain": "str",
        "pain_severity": "int",
        "current_tool": "str",
        "pays_now_cny": "money",
        "willing_to_pay_cny": "money",
    },
    "competitors": {
        "competitor": "str",
        "plan": "str",
        "target": "str",
        "monthly_price_cny": "money",
        "online_ordering": "int",
        "membership_points": "int",
        "coupons_marketing": "int",
        "multi_store_reports": "int",
        "open_api": "int",
        "self_serve_signup": "int",
    },
}

SIZES = ("single store", "2-5 stores", "6-30 stores", "31+ stores")

# ----------------------------------------------------------------------------- interviews

# size: (count, roles, stores range, categories, pains with weights, the pain severities (one per interview),
#        tools, pays-now range, willingness-to-pay range (monthly CNY, multiples of 50))
_PROFILES = {
    "single store": (12, ["owner"], (1, 1), ["cafe", "bakery", "grocery", "fashion", "beauty"],
                     {"ordering_queue": 5, "few_repeat_customers": 4, "bookkeeping": 3},
                     [5, 5, 5, 4, 4, 4, 4, 4, 3, 3, 3, 2], ["paper and WeChat groups", "QuickTill Basic", "MiniShop Kit"],
                     (0, 150), (50, 300)),
    "2-5 stores": (9, ["owner", "store manager"], (2, 5), ["cafe", "bakery", "fashion", "beauty"],
                   {"few_repeat_customers": 3, "staff_scheduling": 3, "ordering_queue": 3},
                   [4, 4, 4, 3, 3, 3, 3, 2, 2], ["QuickTill Pro", "Excel", "paper and WeChat groups"],
                   (100, 400), (200, 700)),
    "6-30 stores": (11, ["head of operations", "marketing manager"], (6, 30), ["cafe", "bakery", "cafe", "bakery", "beauty"],
                    {"members_do_not_return": 7, "no_cross_store_view": 4},
                    [5, 5, 5, 5, 4, 4, 4, 4, 4, 3, 3], ["POS vendor points and Excel", "Loyalty Bee Team", "RetailOS Business"],
                    (600, 1500), (1500, 3000)),
    "31+ stores": (8, ["IT director", "CMO"], (31, 80), ["grocery", "cafe", "fashion"],
                   {"erp_integration": 4, "data_ownership": 3, "members_do_not_return": 1},
                   [4, 4, 3, 3, 3, 2, 2, 2], ["in-house system", "ChainCRM Enterprise"],
                   (5000, 12000), (4000, 9000)),
}


def _weighted(rng, weights: dict) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def build_interviews(rng: np.random.Generator, built: dict) -> dict[str, pd.DataFrame]:
    merchants = built["merchants"]
    rows = []
    for size in SIZES:
        count, roles, (lo, hi), cats, pains, severities, tools, pays, wtp = _PROFILES[size]
        if len(severities) != count:
            raise ValueError(f"{size}: give one pain severity per interview")
        for severity in rng.permutation(severities):
            severity = int(severity)
            stores = int(rng.integers(lo, hi + 1))
            pain = _weighted(rng, pains)
            pay_now = int(rng.integers(pays[0] // 50, pays[1] // 50 + 1)) * 50
            will = int(rng.integers(wtp[0] // 50, wtp[1] // 50 + 1)) * 50
            if severity <= 2:
                will = min(will, max(50, will // 2 // 50 * 50))  # a mild pain is not worth much to them
            rows.append(dict(role=str(rng.choice(roles)), company_size=size, stores=stores,
                             category=str(rng.choice(cats)), main_pain=pain, pain_severity=severity,
                             current_tool=str(rng.choice(tools)), pays_now_cny=float(pay_now),
                             willing_to_pay_cny=float(will)))
    # Planted for 03.8: the most a 6–30-store chain will pay is the top of the range, so the plan's price ceiling
    # is the same on every seed (no random draw is used: the other tables do not move).
    chains = [r for r in rows if r["company_size"] == "6-30 stores"]
    top = float(_PROFILES["6-30 stores"][-1][1])
    if chains and max(r["willing_to_pay_cny"] for r in chains) < top:
        max(chains, key=lambda r: (r["willing_to_pay_cny"], r["pain_severity"]))["willing_to_pay_cny"] = top
    order = rng.permutation(len(rows))  # interviews happened in mixed order
    df = pd.DataFrame([rows[i] for i in order])
    start = pd.Timestamp("2024-05-06")
    df.insert(0, "interview_date", [start + pd.Timedelta(days=int(d)) for d in
                                    np.sort(rng.integers(0, 80, size=len(df)))])
    df.insert(0, "interview_id", [f"I{i:02d}" for i in range(1, len(df) + 1)])
    # Some interviewees later became customers: link the chains by size and category.
    chains = merchants[merchants["segment"] == "chain"].sort_values("merchant_id")
    link = {}
    used: set[int] = set()
    for m in chains.itertuples(index=False):
        size = "31+ stores" if m.stores > 30 else "6-30 stores"
        cand = df[(df["company_size"] == size) & (df["category"] == m.category) & ~df.index.isin(used)]
        if len(cand):
            i = int(cand.index[0])
            used.add(i)
            link[i] = m.merchant_id
            df.loc[i, "stores"] = int(m.stores)
    df.insert(2, "merchant_id", [link.get(i, np.nan) for i in df.index])
    return {"interviews": df[list(SCHEMAS["interviews"])]}


# ----------------------------------------------------------------------------- competitors

# competitor, plan, target, price, ordering, membership, coupons, multi-store reports, API, self-serve
_COMPETITORS = [
    ("QuickTill", "Basic", "single store", 99, 1, 0, 0, 0, 0, 1),
    ("QuickTill", "Pro", "2-5 stores", 299, 1, 1, 0, 1, 0, 1),
    ("QuickTill", "Chain", "6-30 stores", 1200, 1, 1, 0, 1, 0, 0),
    ("MiniShop Kit", "Starter", "single store", 129, 1, 1, 1, 0, 0, 1),
    ("RetailOS", "Business", "6-30 stores", 1800, 1, 0, 0, 1, 1, 0),
    ("RetailOS", "Enterprise", "31+ stores", 6500, 1, 1, 0, 1, 1, 0),
    ("Loyalty Bee", "Team", "6-30 stores", 2600, 0, 1, 1, 0, 0, 1),
    ("ShopStack", "Growth", "6-30 stores", 3200, 1, 1, 0, 0, 1, 0),
    ("ChainCRM", "Enterprise", "31+ stores", 8800, 0, 1, 1, 1, 1, 0),
]


def build_competitors(rng: np.random.Generator, built: dict) -> dict[str, pd.DataFrame]:
    df = pd.DataFrame(_COMPETITORS, columns=list(SCHEMAS["competitors"]))
    df["monthly_price_cny"] = df["monthly_price_cny"].astype(float)
    return {"competitors": df}


BUILDERS = (
    Builder("m03_interviews", ("interviews",), build_interviews, reads=("merchants",)),
    Builder("m03_competitors", ("competitors",), build_competitors, reads=()),
)
