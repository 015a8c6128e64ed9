"""More tables of module 04: who the team worked for, the redeem endpoint's builds, and
back-office use per module.

All FICTIONAL and deterministic, each builder from its own generator (see ``ctopath.tools.datagen``).
They agree with the module's first tables (``course/m04_build_launch_operate/tables.py``):

- ``work_items``: every item the R&D team delivered in the last 13 sprints (SP40–SP52);
  per sprint and kind the points add up to ``sprints``' feature / platform / unplanned points.
- ``perf_runs``: the load tests of /member/points/redeem on every release candidate of
  Membership 2.0; the last build's rows are ``load_tests``' rows for that endpoint.
- ``launch_checklist``: the Membership 2.0 launch checklist at the launch review of
  2026-06-30, for the launch planned on Thursday 2026-07-02; the three items the readiness
  data decides (latency, open S1/S2 bugs, canary) take their status from ``delivery.readiness``.
- ``module_usage_daily``, ``module_usage_monthly``: back-office active users per module
  (orders, menu, membership, marketing, reports), 2026-01 .. 2026-06; a module's users are
  some of its segment's users in ``usage_daily`` / ``usage_monthly``, never more.

INSTRUCTOR NOTES — the planted findings (``ctopath.tools.findings`` checks them for every seed)
----------------------------------------------------------------------------------------
6. Who the team works for (各司其职): over SP40–SP52, requests from sales (for chain deals)
   took well over half of the feature points, operations' requests (the self-serve shops)
   about a tenth. Operations' items are small, so by ticket count it looks well served.
7. The hard problem (技术难题攻关): rc4 ("points ledger: one row per earned batch, FIFO
   expiry") raised the redeem call's database queries from 5 to 23 and halved the highest
   load that meets 300 ms p95, from 1,600 to 800 rps; rc5's index and rc6 did not win it
   back. rc6 also added client retries on timeout — the origin of BUG-031.
8. The launch checklist (产品上线): besides 04.3's two technical blockers, two gates are
   not done — the rollback was never rehearsed (LC04) and support is still being trained
   (LC07). The ceremony items are ready or optional, and none of them is a gate.
9. Stickiness after an event: the group-buy launch (6 April 2026, see ``feature_events``)
   more than doubled the small shops' monthly users of the marketing module, while its
   DAU/MAU fell to about half: most of the new users opened it once and did not come back.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..tables import Builder

SCHEMAS: dict[str, dict[str, str]] = {
    "work_items": {
        "item_id": "id", "sprint_id": "id", "kind": "str", "requested_by": "str", "team": "str", "points": "int",
    },
    "perf_runs": {
        "build": "id", "build_date": "date", "change": "str", "endpoint": "str", "target_rps": "int",
        "p95_ms": "int", "p99_ms": "int", "error_pct": "number", "db_queries_per_request": "int",
    },
    "launch_checklist": {
        "item_id": "id", "area": "str", "item": "str", "owner": "str", "gate": "str", "status": "str",
        "due_date": "date",
    },
    "module_usage_daily": {"date": "date", "segment": "str", "module": "str", "daily_active_users": "int"},
    "module_usage_monthly": {"month": "date", "segment": "str", "module": "str", "monthly_active_users": "int"},
}


# ----------------------------------------------------------------------------- build: work items

WORK_SPRINTS = 13  # SP40–SP52, the last half year
#: requester: (share of a sprint's feature points, item sizes in points)
FEATURE_REQUESTERS = {
    "sales": (0.58, (5, 8, 13)),
    "product": (0.20, (3, 5, 8)),
    "support": (0.13, (1, 2, 3)),
    "operations": (0.09, (1, 2, 3)),
}
#: kind: (who asked, item sizes)
OTHER_WORK = {"platform": ("engineering", (2, 3, 5, 8)), "unplanned": ("incident", (1, 2, 3, 5))}
TEAMS = {  # kind: (teams, their chance of taking an item)
    "feature": (("backend", "frontend", "mobile", "qa"), (0.45, 0.30, 0.15, 0.10)),
    "platform": (("backend", "frontend", "mobile", "qa"), (0.60, 0.15, 0.10, 0.15)),
    "unplanned": (("backend", "frontend", "mobile", "qa"), (0.75, 0.10, 0.10, 0.05)),
}


def _split(rng: np.random.Generator, total: int, sizes: tuple[int, ...]) -> list[int]:
    """``total`` points as items of the given sizes (the last item takes what is left)."""
    items = []
    while total > 0:
        size = min(total, int(sizes[int(rng.integers(0, len(sizes)))]))
        items.append(size)
        total -= size
    return items


def build_work_items(rng: np.random.Generator, built: dict) -> dict:
    sprints = built["sprints"].tail(WORK_SPRINTS)
    rows = []
    for s in sprints.itertuples():
        shares = np.array([share for share, _ in FEATURE_REQUESTERS.values()]) * rng.uniform(0.85, 1.15, 4)
        shares /= shares.sum()
        points = np.floor(shares * s.feature_points).astype(int)
        points[0] += s.feature_points - points.sum()  # sales takes the rounding
        work = [("feature", who, p, sizes) for (who, (_, sizes)), p in zip(FEATURE_REQUESTERS.items(), points)]
        work += [(kind, who, getattr(s, f"{kind}_points"), sizes) for kind, (who, sizes) in OTHER_WORK.items()]
        for kind, who, total, sizes in work:
            teams, chances = TEAMS[kind]
            for size in _split(rng, int(total), sizes):
                team = teams[int(rng.choice(len(teams), p=chances))]
                rows.append((s.sprint_id, kind, who, team, size))
    frame = pd.DataFrame(rows, columns=["sprint_id", "kind", "requested_by", "team", "points"])
    frame.insert(0, "item_id", [f"W{i + 1:04d}" for i in range(len(frame))])
    return {"work_items": frame[list(SCHEMAS["work_items"])]}


# ----------------------------------------------------------------------------- build: redeem builds

REDEEM = "/member/points/redeem"
#: build, date, change, p95 at 400 rps (ms), growth per extra 400 rps, queries per request
BUILDS = (
    ("2.0.0-rc1", "2026-05-11", "First build with points earn and redeem", 128, 1.30, 4),
    ("2.0.0-rc2", "2026-05-18", "Coupons and points in one checkout call", 131, 1.30, 4),
    ("2.0.0-rc3", "2026-05-25", "Tier rules read from the rules service", 133, 1.29, 5),
    ("2.0.0-rc4", "2026-06-01", "Points ledger: one row per earned batch, FIFO expiry", 198, 1.44, 23),
    ("2.0.0-rc5", "2026-06-08", "Index on points_batches(member_id, expires_at)", 189, 1.43, 23),
    ("2.0.0-rc6", "2026-06-15", "Client retries a redeem call on timeout", None, None, 25),  # = load_tests
)
LOAD_STEPS = (400, 800, 1200, 1600, 2000)


def build_perf_runs(rng: np.random.Generator, built: dict) -> dict:
    latest = built["load_tests"]
    latest = latest[latest["endpoint"] == REDEEM].set_index("target_rps")
    rows = []
    for build, day, change, base, growth, queries in BUILDS:
        for step, rps in enumerate(LOAD_STEPS):
            if base is None:  # the build the launch review tested: its rows are load_tests'
                p95, p99, err = (latest.at[rps, c] for c in ("p95_ms", "p99_ms", "error_pct"))
            else:
                p95 = int(round(base * growth ** step + rng.integers(-4, 5)))
                p99 = int(round(p95 * rng.uniform(1.45, 1.75)))
                err = round(0.02 + 0.01 * step + (0.35 if p95 > 450 else 0.0) + rng.uniform(0, 0.02), 2)
            rows.append((build, pd.Timestamp(day), change, REDEEM, rps, int(p95), int(p99), float(err), queries))
    return {"perf_runs": pd.DataFrame(rows, columns=list(SCHEMAS["perf_runs"]))}


# ----------------------------------------------------------------------------- build: launch checklist

#: id, area, item, owner, gate, status ("readiness:<check>" takes it from delivery.readiness), days before the launch
CHECKLIST = (
    ("LC01", "engineering", "p95 within 300 ms at 1,200 rps on every Membership 2.0 endpoint", "Backend lead", "yes",
     "readiness:latency", 3),
    ("LC02", "quality", "No open S1 or S2 bug", "QA lead", "yes", "readiness:open blocking bugs", 2),
    ("LC03", "engineering", "24-hour canary within 0.1 pp of the baseline's error rate", "SRE lead", "yes",
     "readiness:canary error rate", 2),
    ("LC04", "engineering", "Rollback rehearsed on staging: feature flag off, points migration reversed", "SRE lead",
     "yes", "not_started", 3),
    ("LC05", "engineering", "Dashboards and alerts for redeem errors and latency", "SRE lead", "yes", "done", 5),
    ("LC06", "engineering", "On-call rota for launch week, with a backend and a points-ledger owner",
     "Engineering manager", "yes", "done", 5),
    ("LC07", "operations", "Support team trained on points redemption, reversals and refunds", "Head of support", "yes",
     "in_progress", 2),
    ("LC08", "operations", "Help-centre articles for members and merchants", "Operations lead", "no", "in_progress", 1),
    ("LC09", "sales", "Every chain's account executive has briefed the chain's HQ", "Sales lead", "yes", "done", 4),
    ("LC10", "legal", "Points terms and conditions reviewed", "Legal counsel", "yes", "done", 10),
    ("LC11", "marketing", "Merchant announcement written, to go out after the 100 % rollout", "Marketing lead", "no",
     "done", 2),
    ("LC12", "launch day", "Run sheet: who opens the flag, who watches which dashboard, who decides a rollback",
     "Product manager", "yes", "done", 2),
    ("LC13", "ceremony", "The squad together in one room for the first 5 % of traffic; first real redemption on the "
     "big screen", "Product manager", "no", "done", 1),
    ("LC14", "ceremony", "CEO thanks the team by name at the next all-hands", "CEO office", "no", "not_started", 0),
    ("LC15", "ceremony", "Release notes that name everyone who built it", "Engineering manager", "no",
     "in_progress", 0),
    ("LC16", "follow-up", "Adoption dashboard: members who redeem in the first week", "Data analyst", "no",
     "not_started", 0),
)
LAUNCH_DAY = pd.Timestamp("2026-07-02")


def build_launch_checklist(rng: np.random.Generator, built: dict) -> dict:
    from ctopath.models import delivery

    checks = delivery.readiness(built["load_tests"], built["launch_bugs"], built["canary"])
    latency_ok = bool(checks.loc[checks["check"].str.startswith("latency:"), "passed"].all())
    passed = {"latency": latency_ok, **dict(zip(checks["check"], checks["passed"].astype(bool)))}
    rows = []
    for item_id, area, item, owner, gate, status, days_before in CHECKLIST:
        if status.startswith("readiness:"):
            status = "done" if passed[status.removeprefix("readiness:")] else "in_progress"
        rows.append((item_id, area, item, owner, gate, status, LAUNCH_DAY - pd.Timedelta(days=days_before)))
    return {"launch_checklist": pd.DataFrame(rows, columns=list(SCHEMAS["launch_checklist"]))}


# ----------------------------------------------------------------------------- build: usage per module

#: segment: {module: (share of the segment's monthly users, weekday DAU/MAU)}
MODULES = {
    "chain": {"orders": (0.85, 0.62), "menu": (0.55, 0.30), "membership": (0.60, 0.45),
              "marketing": (0.35, 0.20), "reports": (0.70, 0.50)},
    "smb": {"orders": (0.90, 0.25), "menu": (0.60, 0.12), "membership": (0.45, 0.15),
            "marketing": (0.30, 0.14), "reports": (0.50, 0.10)},
}
#: the small shops' marketing module after group-buy (launched 2026-04-06): many tourists
GROUP_BUY = {"2026-04": (0.78, 0.065), "2026-05": (0.62, 0.075), "2026-06": (0.52, 0.085)}
WEEKEND = 0.68  # weekend DAU ÷ weekday DAU, as in usage_daily
SPRING_FESTIVAL = (pd.Timestamp("2026-02-14"), pd.Timestamp("2026-02-23"))


def build_module_usage(rng: np.random.Generator, built: dict) -> dict:
    seg_daily = built["usage_daily"].set_index(["date", "segment"])["daily_active_users"]
    seg_monthly = built["usage_monthly"]
    daily, monthly = [], []
    for m in seg_monthly.itertuples():
        month = pd.Timestamp(m.month).to_period("M")
        days = pd.date_range(month.start_time, month.end_time.normalize(), freq="D")
        for module, (reach, stick) in MODULES[m.segment].items():
            if m.segment == "smb" and module == "marketing":
                reach, stick = GROUP_BUY.get(str(month), (reach, stick))
            mau = min(m.monthly_active_users, int(round(m.monthly_active_users * reach * rng.uniform(0.97, 1.03))))
            monthly.append((month.start_time, m.segment, module, mau))
            for day in days:
                s = stick * (WEEKEND if day.day_of_week >= 5 else 1.0)
                if SPRING_FESTIVAL[0] <= day <= SPRING_FESTIVAL[1]:
                    s *= 0.55
                dau = int(round(mau * s * rng.uniform(0.93, 1.07)))
                daily.append((day, m.segment, module, min(dau, int(seg_daily[(day, m.segment)]))))
    d = pd.DataFrame(daily, columns=list(SCHEMAS["module_usage_daily"]))
    mo = pd.DataFrame(monthly, columns=list(SCHEMAS["module_usage_monthly"]))
    return {"module_usage_daily": d.sort_values(["segment", "module", "date"], kind="stable").reset_index(drop=True),
            "module_usage_monthly": mo.sort_values(["segment", "module", "month"], kind="stable")
            .reset_index(drop=True)}


BUILDERS = (
    Builder("m04_work_items", ("work_items",), build_work_items, reads=("sprints",)),
    Builder("m04_perf_runs", ("perf_runs",), build_perf_runs, reads=("load_tests",)),
    Builder("m04_launch_checklist", ("launch_checklist",), build_launch_checklist,
            reads=("canary", "launch_bugs", "load_tests")),
    Builder("m04_module_usage", ("module_usage_daily", "module_usage_monthly"), build_module_usage,
            reads=("usage_daily", "usage_monthly")),
)
