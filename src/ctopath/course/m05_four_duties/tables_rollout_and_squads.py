"""Tables module 05 adds for 下市场 (the chains' roll-out) and 稳底盘 (the squads and their leads).

FICTIONAL and deterministic. The roll-out builder reads ``field_notes`` (built in
``m05_four_duties``) and declares it, so it runs after that builder.

- ``chain_rollout``: every chain paying in June 2026, with how many of its stores are live on
  Larkspur at 2026-06-30 and how many it has.
- ``squads``: the six engineering squads and their leads (level, years in the company).
- ``squad_milestones``: every milestone the squads planned, 2025Q3 .. 2026Q2, with the planned
  and actual delivery dates, its story points and whether it met its business goal.

INSTRUCTOR NOTES — the planted findings (``ctopath.tools.findings`` checks them for every seed)
------------------------------------------------------------------------------------------
1. 下市场 (05.12): the chains signed six months ago or more that are still live on fewer than
   half their stores are the chains that complained about POS integration in the field notes
   (all but one: that one is fully rolled out). The chains below half without a POS
   complaint are recent sign-ups, ramping up on schedule. A CTO's visit removes a technical
   blocker a sales call cannot: the stores waiting are business the chains already signed for.
2. 稳底盘 (05.13): the leads whose squads deliver — most milestones on time *and* most of them
   meeting their business goal — are Hui and Sun Yue, neither the most senior nor the one
   whose squad burns the most story points. Ming's squad does the most points and misses
   dates; Guo Qiang is the most senior; Ma Lin's milestones meet their goals but land late;
   He Ping ships on time but his milestones rarely move their business goal.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..tables import Builder

SCHEMAS: dict[str, dict[str, str]] = {
    "chain_rollout": {"merchant_id": "id", "stores_total": "int", "stores_live": "int"},
    "squads": {"squad": "id", "lead": "str", "lead_level": "str", "lead_years": "int", "engineers": "int"},
    "squad_milestones": {
        "milestone_id": "id", "squad": "str", "quarter": "str", "milestone": "str", "planned_date": "date",
        "delivered_date": "date", "story_points": "int", "goal_met": "str",
    },
}

CUTOFF = pd.Timestamp("2026-06-30")
RAMP_MONTHS = 6  # a chain signed less than this long ago is still rolling out on schedule


def _months_since(signup: pd.Timestamp) -> int:
    return (CUTOFF.year - signup.year) * 12 + CUTOFF.month - signup.month


def build_rollout(rng: np.random.Generator, built: dict) -> dict[str, pd.DataFrame]:
    accounts = built["accounts"]
    subs = built["subscriptions"]
    notes = built["field_notes"]
    stores = built["merchants"].set_index("merchant_id")["stores"]
    paying = set(subs.loc[subs["month"] == pd.Timestamp("2026-06-01"), "merchant_id"])
    chains = accounts[(accounts["segment"] == "chain") & accounts["merchant_id"].isin(paying)]
    chains = chains.sort_values("merchant_id", kind="stable")
    pos = notes[(notes["theme"] == "pos_integration") & (notes["sentiment"] == "negative")]
    complaints = pos["merchant_id"].value_counts()
    # the complaining chain with the fewest complaints (the earliest signed on a tie) got its fix
    mature_complainers = [m for m, s in zip(chains["merchant_id"], chains["signup_date"])
                          if m in complaints.index and _months_since(pd.Timestamp(s)) >= RAMP_MONTHS]
    fixed = min(mature_complainers, key=lambda m: (int(complaints[m]), m)) if len(mature_complainers) > 1 else None
    rows = []
    for a in chains.itertuples(index=False):
        total = int(stores[a.merchant_id]) if a.merchant_id in stores.index else int(rng.integers(8, 61))
        months = _months_since(pd.Timestamp(a.signup_date))
        if a.merchant_id in complaints.index and months >= RAMP_MONTHS and a.merchant_id != fixed:
            share = rng.uniform(0.15, 0.45)        # stuck: the POS integration does not work for them
        elif months < RAMP_MONTHS:
            share = rng.uniform(0.10, 0.45) * (months + 1) / RAMP_MONTHS + 0.05  # ramping up on schedule
        else:
            share = rng.uniform(0.85, 1.0)
        live = int(min(total, max(1, round(share * total))))
        if a.merchant_id in complaints.index and months >= RAMP_MONTHS and a.merchant_id != fixed:
            live = min(live, (total - 1) // 2)     # strictly below half
        elif months >= RAMP_MONTHS:
            live = max(live, total // 2 + 1)       # the rest are past half
        rows.append((a.merchant_id, total, live))
    return {"chain_rollout": pd.DataFrame(rows, columns=list(SCHEMAS["chain_rollout"]))}


# ----------------------------------------------------------------------------- squads

#: squad → (lead, level, years in the company, engineers). Ming and Hui are 05.5's candidates.
SQUADS = {
    "checkout": ("Hui", "senior", 4, 6),
    "growth": ("Sun Yue", "senior", 2, 5),
    "loyalty": ("Ming", "staff", 6, 7),
    "merchant-portal": ("He Ping", "senior", 5, 5),
    "data": ("Ma Lin", "senior", 3, 4),
    "platform": ("Guo Qiang", "principal", 8, 6),
}

#: squad → (milestones planned over the four quarters, delivered on time, met their business goal):
#: the shape each lead's record must have; which milestones, dates and points are drawn. Every
#: milestone was delivered by 2026-06-30, on time (on or before its planned date) or late.
RECORD = {
    "checkout": (10, 9, 8),           # delivers, and it moves the business
    "growth": (9, 8, 7),
    "loyalty": (10, 4, 4),            # the most points, dates missed
    "merchant-portal": (9, 8, 3),     # on time, but the goals rarely move
    "data": (9, 4, 7),                # the goals move, but late
    "platform": (10, 5, 4),           # the most senior lead
}
POINTS = {"checkout": (18, 30), "growth": (16, 28), "loyalty": (40, 60), "merchant-portal": (18, 30),
          "data": (30, 44), "platform": (24, 36)}
MILESTONES = {
    "checkout": ("split payments", "Apple Pay and UnionPay QR", "faster receipt printing", "order-ahead slots",
                 "tips at checkout", "offline mode for the till", "refund in two clicks", "invoice on request",
                 "checkout load shedding", "saved cards"),
    "growth": ("referral codes", "first-order coupon", "trial onboarding checklist", "win-back SMS",
               "partner sign-up link", "menu-import wizard", "abandoned-cart nudge", "weekly digest email",
               "self-serve upgrade"),
    "loyalty": ("points engine v2", "tiers", "points at checkout", "member birthday offers", "stamp cards",
                "points expiry", "member import", "points transfer", "member segments", "loyalty API"),
    "merchant-portal": ("new dashboard", "staff roles", "opening hours editor", "bulk price edit",
                        "multi-store switcher", "dark mode", "audit log", "export to Excel", "store groups"),
    "data": ("daily sales report", "member cohort report", "GMV by channel", "data warehouse v2",
             "coupon ROI report", "store league table", "refund report", "forecast beta", "export API"),
    "platform": ("CI for every service", "canary releases", "feature flags", "on-call rota tooling",
                 "database upgrade", "service mesh pilot", "log retention", "secrets rotation",
                 "load-test harness", "cost dashboard"),
}
QUARTERS = ("2025Q3", "2025Q4", "2026Q1", "2026Q2")


def build_squads(rng: np.random.Generator, built: dict) -> dict[str, pd.DataFrame]:
    squads = pd.DataFrame([(s, *v) for s, v in SQUADS.items()], columns=list(SCHEMAS["squads"]))
    rows = []
    for squad, (planned, on_time, goal_met) in RECORD.items():
        quarter_of = np.sort(rng.integers(0, len(QUARTERS), size=planned))
        late = np.array([False] * on_time + [True] * (planned - on_time))
        rng.shuffle(late)
        met = np.array([True] * goal_met + [False] * (planned - goal_met))
        rng.shuffle(met)
        lo, hi = POINTS[squad]
        for i in range(planned):
            q = pd.Period(QUARTERS[quarter_of[i]], freq="Q")
            planned_date = q.start_time + pd.Timedelta(days=int(rng.integers(20, 80)))
            if late[i]:
                delivered_date = min(CUTOFF, planned_date + pd.Timedelta(days=int(rng.integers(8, 45))))
            else:
                delivered_date = planned_date - pd.Timedelta(days=int(rng.integers(0, 6)))
            rows.append({"squad": squad, "quarter": str(q), "milestone": MILESTONES[squad][i],
                         "planned_date": planned_date, "delivered_date": delivered_date,
                         "story_points": int(rng.integers(lo, hi + 1)), "goal_met": "yes" if met[i] else "no"})
    ms = pd.DataFrame(rows).sort_values(["planned_date", "squad"], kind="stable").reset_index(drop=True)
    ms.insert(0, "milestone_id", [f"MS{i + 1:03d}" for i in range(len(ms))])
    return {"squads": squads, "squad_milestones": ms[list(SCHEMAS["squad_milestones"])]}


BUILDERS = (
    Builder("m05_rollout", ("chain_rollout",), build_rollout,
            reads=("accounts", "field_notes", "merchants", "subscriptions")),
    Builder("m05_squads", ("squads", "squad_milestones"), build_squads, reads=()),
)
