"""Module 02's tables: a project plan, the requirement backlog, and feature usage events.

- ``project_tasks``: the tasks of the next project ("Points at checkout", starting Monday
  2026-07-06) with three-point estimates and dependencies. Fixed rows, no randomness.
- ``feature_requests``: eight requests in the backlog, with who asked and the RICE inputs
  product wrote down. Fixed rows.
- ``feature_events``: an event log of four shipped features, 2026-01-01 .. 2026-06-30,
  drawn from this builder's own generator.

INSTRUCTOR NOTES — the planted findings (learners read data/README.md, not this)
---------------------------------------------------------------------------------
1. The plan: with the likely estimates the critical path is T01 → T02 → T03 → T04 → T05 →
   T09 → T11, 36 working days → finish Monday 2026-08-24, inside the sponsor's deadline of
   Friday 2026-08-28 (40 working days). T07 (merchant admin screens) has only 5 days of slack.
   Simulated with the three-point estimates (seed 2026, 2,000 runs) the P50 lands around
   the deadline and the P85 well after it: the single-number plan is the optimistic tail.
2. The pseudo-requirement (伪需求): R01 "Report designer" is the loudest request (most
   asks, most revenue at stake) and, as product entered it, ranks high on RICE. But the
   beta of the same idea (``custom_reports``, switched on 2026-02-02 for the 14 merchants
   who asked) was opened by all 14, used (a report saved) by 4, and used in 3 or more
   different weeks by just 1 (M002). Meanwhile ``sales_export`` — the fixed report they
   export to Excel — is used week after week by all chains and a third of the small shops:
   the real need behind R01 is R02 (scheduled Excel export of the standard report by store).
3. ``group_buy`` launched Monday 2026-04-06 (ISO week 15) for small shops (smb) only:
   most small shops opened it after the launch message, about a third created a
   group-buy campaign at least once, and only about half of those kept using it weekly.
   "Opened" is curiosity, not adoption.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..tables import Builder

PROJECT_START = pd.Timestamp("2026-07-06")   # a Monday
PROJECT_DEADLINE = pd.Timestamp("2026-08-28")  # a Friday: 40 working days from the start
CUSTOM_REPORTS_BETA = pd.Timestamp("2026-02-02")
GROUP_BUY_LAUNCH = pd.Timestamp("2026-04-06")
PERIOD_START = pd.Timestamp("2026-01-01")
PERIOD_END = pd.Timestamp("2026-07-01")  # exclusive

SCHEMAS = {
    "project_tasks": {
        "task_id": "id",
        "task_name": "str",
        "team": "str",
        "depends_on": "optional_id",
        "optimistic_days": "int",
        "likely_days": "int",
        "pessimistic_days": "int",
    },
    "feature_requests": {
        "request_id": "id",
        "title": "str",
        "requested_by": "str",
        "segment": "str",
        "times_asked": "int",
        "revenue_at_stake_cny": "money",
        "reach_per_quarter": "int",
        "impact": "number",
        "confidence": "rate",
        "effort_person_months": "number",
        "evidence": "str",
        "similar_feature": "optional_id",
    },
    "feature_events": {
        "event_time": "datetime",
        "merchant_id": "id",
        "feature": "str",
        "event": "str",
    },
}

# id, name, team, depends on, optimistic, likely, pessimistic (working days)
_TASKS = [
    ("T01", "Requirements and design review", "product", "", 2, 3, 5),
    ("T02", "Points ledger schema and migration", "backend", "T01", 3, 4, 7),
    ("T03", "Earn and redeem rules service", "backend", "T02", 6, 8, 13),
    ("T04", "Checkout API: redeem points", "backend", "T03", 4, 5, 8),
    ("T05", "POS client update", "client", "T04", 4, 6, 10),
    ("T06", "Mini-program points screens", "client", "T01", 4, 5, 8),
    ("T07", "Merchant admin: rules screens", "web", "T03", 4, 6, 11),
    ("T08", "Finance reconciliation report", "data", "T02", 3, 4, 6),
    ("T09", "Integration and end-to-end tests", "qa", "T05;T06;T07", 4, 5, 9),
    ("T10", "Load test and tracking events", "backend", "T04", 2, 3, 5),
    ("T11", "Pilot with two merchants", "product", "T08;T09;T10", 5, 5, 8),
]

# id, title, requested_by, segment, times asked, revenue at stake (CNY / year), reach per quarter,
# impact, confidence, effort (person-months), evidence, similar shipped feature
_REQUESTS = [
    ("R01", "Report designer: build any report by drag and drop", "Chain HQ managers via sales", "chain",
     23, 448_632, 40, 2, 0.8, 3,
     "Asked in every chain quarterly review; sales says two renewals depend on it", "custom_reports"),
    ("R02", "Scheduled Excel export of the sales report, by store", "Store managers via support", "all",
     9, 166_704, 30, 1, 1.0, 1,
     "Support tickets: people copy the daily report into Excel by hand", "sales_export"),
    ("R03", "Coupon templates per store", "Marketing leads of chains", "chain",
     6, 247_152, 18, 2, 0.8, 2,
     "Chains want different coupons in different stores", "coupon_builder"),
    ("R04", "Replay failed payment callbacks, with an alert", "Finance", "all",
     2, 0, 11, 1, 1.0, 1,
     "The April 17 outage: 11 merchants' settlements were short", ""),
    ("R05", "Multi-store inventory sync", "Two grocery chains", "chain",
     5, 123_576, 8, 3, 0.5, 6,
     "Requested in two sales calls; no usage data yet", ""),
    ("R06", "WeCom customer-service integration", "Operations", "all",
     4, 0, 25, 1, 0.5, 2,
     "Operations' idea to answer merchants faster", ""),
    ("R07", "Dark mode for the merchant admin", "A few smb owners", "smb",
     7, 7_164, 40, 0.25, 0.8, 1,
     "Forum posts and app-store reviews", ""),
    ("R08", "Double points on chosen days", "Marketing leads of chains", "chain",
     8, 139_164, 20, 1, 0.8, 1,
     "Follows the points project; they also ask for points per category and expiry", ""),
]


def build_plan(rng: np.random.Generator, built: dict) -> dict[str, pd.DataFrame]:
    tasks = pd.DataFrame(_TASKS, columns=list(SCHEMAS["project_tasks"]))
    tasks["depends_on"] = tasks["depends_on"].replace("", np.nan)
    requests = pd.DataFrame(_REQUESTS, columns=list(SCHEMAS["feature_requests"]))
    requests["similar_feature"] = requests["similar_feature"].replace("", np.nan)
    return {"project_tasks": tasks, "feature_requests": requests}


# ----------------------------------------------------------------------------- events


def _session(rng, week: pd.Timestamp, first_day: pd.Timestamp) -> pd.Timestamp | None:
    """A random working-hours moment in ``week`` (Mon–Sat), not before ``first_day``, inside the period."""
    days = [week + pd.Timedelta(days=k) for k in range(6)]
    days = [d for d in days if d >= first_day and PERIOD_START <= d < PERIOD_END]
    if not days:
        return None
    day = days[int(rng.integers(len(days)))]
    return day + pd.Timedelta(hours=int(rng.integers(9, 19)), minutes=int(rng.integers(0, 60)))


def _first_session(rng, week: pd.Timestamp, first_day: pd.Timestamp) -> pd.Timestamp | None:
    """A session in ``week``, or, when the merchant is not there yet, in the first week it is.

    A shop that signs up after the drawn week (say mid-April, after group-buy's launch)
    still pays its first visit, in its own first week; None only if that is after the period.
    """
    t = _session(rng, week, first_day)
    if t is None and first_day < PERIOD_END:
        t = _session(rng, first_day - pd.Timedelta(days=first_day.day_of_week), first_day)
    return t


def build_events(rng: np.random.Generator, built: dict) -> dict[str, pd.DataFrame]:
    merchants = built["merchants"].sort_values("merchant_id").reset_index(drop=True)
    campaigns = built["campaigns"]
    weeks = pd.date_range("2025-12-29", PERIOD_END, freq="W-MON")
    rows: list[tuple] = []

    def add(t, m, feature, event):
        if t is None:  # no session possible inside the period: no event, never an empty event_time
            return
        rows.append((t, m, feature, event))

    def add_pair(t, m, feature, core_event, minutes):
        """The page opened at ``t`` and the core action ``minutes`` later (nothing if ``t`` is None)."""
        if t is None:
            return
        add(t, m, feature, "opened")
        add(t + pd.Timedelta(minutes=minutes), m, feature, core_event)

    chains = [m for m, s in zip(merchants.merchant_id, merchants.segment) if s == "chain"]
    smb = [m for m, s in zip(merchants.merchant_id, merchants.segment) if s == "smb"]
    signup = dict(zip(merchants.merchant_id, merchants.signup_date))

    # 1. sales_export: every chain weekly; a third of small shops regularly, some now and then.
    order = list(rng.permutation(smb))
    regular, occasional = set(order[:11]), set(order[11:18])
    for m in merchants.merchant_id:
        p = 0.9 if m in chains else 0.65 if m in regular else 0.15 if m in occasional else 0.0
        for week in weeks:
            if p == 0 or rng.random() >= p:
                continue
            for _ in range(1 + int(rng.poisson(0.7 if m in chains else 0.2))):
                t = _session(rng, week, signup[m])
                if t is None:
                    continue
                add(t, m, "sales_export", "opened")
                for k in range(1 + int(rng.random() < 0.3)):
                    add(t + pd.Timedelta(minutes=1 + 2 * k), m, "sales_export", "export_downloaded")

    # 2. coupon_builder: merchants that run campaigns, and some small shops.
    campaigners = set(campaigns.merchant_id)
    coupon_smb = set(rng.choice(sorted(set(smb) - campaigners), size=9, replace=False))
    for m in merchants.merchant_id:
        p = 0.45 if m in campaigners else 0.22 if m in coupon_smb else 0.0
        for week in weeks:
            if p == 0 or rng.random() >= p:
                continue
            t = _session(rng, week, signup[m])
            if t is None:
                continue
            add(t, m, "coupon_builder", "opened")
            if rng.random() < 0.75:
                add(t + pd.Timedelta(minutes=int(rng.integers(4, 20))), m, "coupon_builder", "coupon_published")

    # 3. custom_reports (the beta of the report designer): switched on for the 14 who asked.
    # six small shops asked: growth-plan shops that were there before the beta, topped up with
    # starter shops when a draw has fewer than six growth shops by then (so 14 always asked)
    plan = dict(zip(merchants.merchant_id, merchants.plan))
    there = [m for m in smb if signup[m] < CUSTOM_REPORTS_BETA]
    beta_smb = ([m for m in there if plan[m] == "growth"] + [m for m in there if plan[m] != "growth"])[:6]
    enabled = chains + beta_smb
    beta_weeks = [CUSTOM_REPORTS_BETA + pd.Timedelta(weeks=k) for k in range(3)]
    for m in enabled:
        for _ in range(1 + int(rng.integers(0, 3))):
            week = beta_weeks[int(rng.integers(len(beta_weeks)))]
            add(_session(rng, week, CUSTOM_REPORTS_BETA), m, "custom_reports", "opened")
    once = [chains[0], chains[3], beta_smb[2]]  # tried it once: one saved report each
    for m in once:
        t = _session(rng, beta_weeks[1], CUSTOM_REPORTS_BETA)
        add_pair(t, m, "custom_reports", "report_saved", int(rng.integers(12, 40)))
    keen = chains[1]  # the one merchant who kept using it
    for k in (0, 2, 5, 9):
        t = _session(rng, CUSTOM_REPORTS_BETA + pd.Timedelta(weeks=k), CUSTOM_REPORTS_BETA)
        add_pair(t, keen, "custom_reports", "report_saved", int(rng.integers(12, 40)))

    # 4. group_buy: launched 2026-04-06 for small shops; many look, a third create, half of those keep going.
    launch_weeks = [w for w in weeks if w >= GROUP_BUY_LAUNCH]
    lookers = [m for m in smb if rng.random() < 0.8]
    shuffled = list(rng.permutation(lookers))
    steady, tried = shuffled[:6], shuffled[6:11]
    for m in lookers:
        first = _first_session(rng, launch_weeks[int(rng.integers(0, 3))], max(GROUP_BUY_LAUNCH, signup[m]))
        add(first, m, "group_buy", "opened")
    for m in steady:
        start = int(rng.integers(0, 4))
        for week in launch_weeks[start:]:
            if rng.random() >= 0.8:
                continue
            for _ in range(1 + int(rng.random() < 0.4)):
                t = _session(rng, week, max(GROUP_BUY_LAUNCH, signup[m]))
                if t is None:
                    continue
                add_pair(t, m, "group_buy", "campaign_created", int(rng.integers(3, 15)))
    for m in tried:
        start = int(rng.integers(0, 5))
        for week in launch_weeks[start:start + int(rng.integers(1, 3))]:
            # a shop that signed up after the drawn week tries it in its own first week instead
            t = _first_session(rng, week, max(GROUP_BUY_LAUNCH, signup[m]))
            add_pair(t, m, "group_buy", "campaign_created", int(rng.integers(3, 15)))

    rank = {"opened": 0}
    df = pd.DataFrame(rows, columns=["event_time", "merchant_id", "feature", "event"])
    df["rank"] = df["event"].map(rank).fillna(1)
    df = df.sort_values(["event_time", "merchant_id", "feature", "rank"], kind="stable")
    return {"feature_events": df.drop(columns="rank").reset_index(drop=True)}


BUILDERS = (
    Builder("m02_plan", ("project_tasks", "feature_requests"), build_plan, reads=()),
    Builder("m02_events", ("feature_events",), build_events, reads=("campaigns", "merchants")),
)
