"""Tables of module 04 (build, launch, operate, promote); module 05 reuses some of them.

All FICTIONAL and deterministic: every builder draws from its own generator (see
``ctopath.tools.datagen``). Periods differ from the core data's, on purpose:

- ``sprints``: 52 two-week sprints, 2024-07-01 .. 2026-06-28 (build).
- ``load_tests``, ``launch_bugs``, ``canary``: the readiness data of the Membership 2.0
  launch planned for July 2026 (launch).
- ``deals``: the sales pipeline, deals created 2024-07-01 .. 2026-06-30 (promote).
- ``accounts``, ``account_events``, ``subscriptions``: every merchant account Larkspur has
  had, 2024-07 .. 2026-06 — the 40 merchants of ``merchants.csv`` (M001–M040) plus the
  rest of the base (S0001…), whose orders are not in the core data (operate).
- ``usage_daily``, ``usage_monthly``: back-office active users, 2026-01 .. 2026-06.

INSTRUCTOR NOTES — the planted findings (tests/unit/test_models_*.py re-derive them)
--------------------------------------------------------------------------------------
1. Starving the platform: sprints SP12–SP26 (Nov 2024 – Jun 2025) spent under 10 % of
   capacity on platform / tech-debt work. Incidents climbed (a few sprints later) and
   firefighting ate the capacity, so *fewer* feature points shipped than in the sprints at
   20–30 %. The 20–30 % band ships the most features with the fewest incidents.
2. Launch readiness: /member/points/redeem misses the 300 ms p95 target at the target load
   (1,200 rps); one S2 bug (BUG-031, points double-deducted on retry) is open. The canary's
   24-hour error rate is within 0.1 pp of the baseline despite one bad hour. → no-go.
3. Onboarding change: from sign-up month 2025-09 (a guided set-up wizard), self-serve 7-day
   activation jumps from about 36 % to about 72 %, and pooled month-3 retention from 54.6 %
   (cohorts 2024-07 .. 2025-08) to 71.6 % (2025-09 .. 2026-03): +17.0 points.
5. Nine accounts are worth a call: paying ≥ ¥599 in June 2026, quiet for 21+ days, not
   cancelled (two of them chains). Three more went quiet and already cancelled in June.
4. The funnel leaks at trial → proposal, unless the owner calls the merchant within two days
   of the trial starting (Wang Fang does, almost always): that is the SOP's standard action.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..tables import Builder

MONTHS = pd.period_range("2024-07", "2026-06", freq="M")
CUTOFF = pd.Timestamp("2026-06-30")
WIZARD_MONTH = pd.Period("2025-09", freq="M")

SCHEMAS: dict[str, dict[str, str]] = {
    "sprints": {
        "sprint_id": "id", "start_date": "date", "engineers": "int", "capacity_points": "int",
        "feature_points": "int", "platform_points": "int", "unplanned_points": "int",
        "incidents": "int", "lead_time_days": "number",
    },
    "load_tests": {
        "endpoint": "str", "target_rps": "int", "p95_ms": "int", "p99_ms": "int", "error_pct": "number",
    },
    "launch_bugs": {
        "bug_id": "id", "opened_date": "date", "component": "str", "severity": "str", "status": "str",
        "title": "str",
    },
    "canary": {"hour": "datetime", "group": "str", "requests": "int", "errors": "int"},
    "deals": {
        "deal_id": "id", "created_date": "date", "channel": "str", "segment": "str", "owner": "str",
        "stage": "str", "status": "str", "stage_date": "date", "mrr_cny": "money",
        "trial_onboarding": "optional_id", "merchant_id": "optional_id",
    },
    "accounts": {
        "merchant_id": "id", "merchant_name": "str", "segment": "str", "category": "str", "city": "str",
        "acquisition_channel": "str", "plan": "str", "signup_date": "date", "last_active_date": "date",
    },
    "account_events": {"merchant_id": "id", "event_date": "date", "event": "str"},
    "subscriptions": {"merchant_id": "id", "month": "date", "mrr_cny": "money", "active_days": "int"},
    "usage_daily": {"date": "date", "segment": "str", "daily_active_users": "int"},
    "usage_monthly": {"month": "date", "segment": "str", "monthly_active_users": "int"},
}


# ----------------------------------------------------------------------------- build: sprints

def _platform_plan(i: int) -> float:
    """The planned platform share of sprint i (0-based): healthy, squeezed, starved, recovery, steady."""
    if i < 8:
        return 0.24
    if i < 14:
        return 0.14
    if i < 26:
        return 0.05
    if i < 33:
        return 0.36
    return (0.24, 0.27, 0.22, 0.25, 0.27, 0.23, 0.21, 0.26, 0.24, 0.17, 0.28, 0.22, 0.25, 0.18, 0.26, 0.24, 0.23,
            0.27, 0.22)[i - 33]


def build_sprints(rng: np.random.Generator, built: dict) -> dict:
    rows = []
    health = 0.85  # 1 = no debt; drifts with the platform share
    for i in range(52):
        start = pd.Timestamp("2024-07-01") + pd.Timedelta(days=14 * i)
        engineers = 8 + min(6, i // 8)
        capacity = int(engineers * 10 + rng.integers(-3, 4))
        share = _platform_plan(i) + rng.uniform(-0.015, 0.015)
        platform = int(round(capacity * share))
        rate = 0.8 + 7.5 * (1 - health) ** 1.5
        incidents = int(rng.poisson(rate))
        unplanned = min(capacity - platform - 5, incidents * 5 + int(rng.integers(0, 3)))
        drag = 0.72 + 0.28 * health  # debt slows feature work too
        feature = int(round((capacity - platform - unplanned) * drag))
        lead = round(3.5 + 11.0 * (1 - health) + rng.uniform(-0.6, 0.6), 1)
        rows.append((f"SP{i + 1:02d}", start, engineers, capacity, feature, platform, unplanned, incidents, lead))
        health = float(np.clip(health + 1.2 * (share - 0.21), 0.05, 1.0))
    cols = list(SCHEMAS["sprints"])
    return {"sprints": pd.DataFrame(rows, columns=cols)}


# ----------------------------------------------------------------------------- build: launch readiness

ENDPOINTS = {  # endpoint: p95 at 400 rps (ms), growth per extra 400 rps
    "/member/profile": (88, 1.18),
    "/member/points/balance": (72, 1.15),
    "/member/points/redeem": (205, 1.42),
    "/member/coupons": (110, 1.20),
    "/checkout/member-price": (140, 1.32),
}
TARGET_RPS = 1200


def build_launch(rng: np.random.Generator, built: dict) -> dict:
    tests = []
    for endpoint, (base, growth) in ENDPOINTS.items():
        for step, rps in enumerate((400, 800, 1200, 1600, 2000)):
            p95 = int(round(base * growth ** step + rng.integers(-4, 5)))
            p99 = int(round(p95 * rng.uniform(1.45, 1.75)))
            err = round(0.02 + 0.01 * step + (0.35 if p95 > 450 else 0.0) + rng.uniform(0, 0.02), 2)
            tests.append((endpoint, rps, p95, p99, err))
    load_tests = pd.DataFrame(tests, columns=list(SCHEMAS["load_tests"]))

    components = ["points", "profile", "coupons", "checkout", "admin"]
    titles = {
        "points": ["Points balance stale after refund", "Redeem button enabled with zero points",
                   "Points expiry shows wrong date", "Rounding of points on partial refunds"],
        "profile": ["Birthday field rejects 29 Feb", "Avatar upload fails over 2 MB", "Phone change needs re-login"],
        "coupons": ["Member coupon not shown in mini program", "Coupon list unsorted", "Expired coupon still listed"],
        "checkout": ["Member price not applied to bundles", "Slow member lookup at POS", "Member price shown twice"],
        "admin": ["Export of members times out", "Typo on tier settings page", "Tier rename not saved"],
    }
    bugs = []
    day0 = pd.Timestamp("2026-05-04")
    for n in range(1, 41):
        comp = components[int(rng.integers(0, len(components)))]
        sev = rng.choice(["S1", "S2", "S3", "S4"], p=[0.06, 0.2, 0.44, 0.3])
        status = "fixed" if rng.random() < 0.72 else ("open" if rng.random() < 0.8 else "wont_fix")
        if sev in ("S1", "S2") and status == "open":
            status = "fixed"  # only the planted one stays open
        opened = day0 + pd.Timedelta(days=int(rng.integers(0, 52)))
        title = titles[comp][int(rng.integers(0, len(titles[comp])))]
        bugs.append([f"BUG-{n:03d}", opened, comp, str(sev), status, title])
    # the planted blocker, and a fixed S1 as a distractor
    bugs[30] = ["BUG-031", pd.Timestamp("2026-06-22"), "points", "S2", "open",
                "Points double-deducted when a redeem call times out and is retried"]
    bugs[35] = ["BUG-036", pd.Timestamp("2026-06-15"), "checkout", "S1", "fixed",
                "Checkout fails for members with no tier"]
    launch_bugs = pd.DataFrame(bugs, columns=list(SCHEMAS["launch_bugs"]))

    rows = []
    start = pd.Timestamp("2026-06-28 00:00")
    for h in range(24):
        hour = start + pd.Timedelta(hours=h)
        load = 0.35 + 0.65 * np.sin(np.pi * max(0, h - 6) / 16) ** 2 if 6 <= h <= 22 else 0.25
        base_req = int(40_000 * load + rng.integers(0, 800))
        can_req = int(base_req * 0.05 + rng.integers(0, 60))
        base_err = int(round(base_req * rng.uniform(0.0024, 0.0031)))
        rate = 0.0115 if h == 3 else rng.uniform(0.0026, 0.0034)
        can_err = int(round(can_req * rate))
        rows.append((hour, "baseline", base_req, base_err))
        rows.append((hour, "canary", can_req, can_err))
    canary = pd.DataFrame(rows, columns=list(SCHEMAS["canary"]))
    return {"load_tests": load_tests, "launch_bugs": launch_bugs, "canary": canary}


# ----------------------------------------------------------------------------- build: deals and accounts

OWNERS = ("Chen Jing", "Li Wei", "Wang Fang", "Zhao Lei", "Liu Yang")
CHANNELS = ("inbound", "outbound", "referral", "trade_show")
LEAD_TO_DEMO = {"referral": 0.72, "inbound": 0.62, "trade_show": 0.52, "outbound": 0.45}
TRIAL_TO_PROPOSAL = {"within_2_days": 0.66, "later": 0.28, "none": 0.10}
CITIES = ("Shanghai", "Hangzhou", "Shenzhen", "Guangzhou", "Beijing", "Chengdu", "Nanjing", "Suzhou", "Wuhan",
          "Xiamen", "Tianjin", "Chongqing")
CATEGORY_WORDS = {
    "cafe": ("Cafe", "Coffee", "Tea Bar", "Brew"), "bakery": ("Bakery", "Bakehouse", "Pastry", "Bakes"),
    "grocery": ("Market", "Grocery", "Mart", "Provisions"), "fashion": ("Boutique", "Studio", "Apparel", "Wear"),
    "beauty": ("Beauty", "Skin Lab", "Glow", "Botanics"),
}
NAME_WORDS = ("Amber", "Birch", "Blue Lantern", "Cedar", "Cloud", "Coral", "Dawn", "Ember", "Fern", "Ginkgo",
              "Harbor", "Hazel", "Indigo", "Iris", "Jasmine", "Juniper", "Kite", "Lark", "Linden", "Lotus",
              "Maple Leaf", "Meadow", "Mint", "Moon Gate", "North Star", "Oak", "Olive", "Orchid", "Peach",
              "Pebble", "Pine", "Plum", "Quill", "Rain", "Reed", "River", "Rose", "Sage", "Silk Road", "Sparrow",
              "Spring", "Stone Bridge", "Sun", "Tide", "Tulip", "Valley", "Velvet", "Willow", "Wren", "Yuzu",
              "Zen", "Bamboo", "Lychee", "Osmanthus", "Camellia", "Peony", "Magpie", "Crane", "Pearl", "Jade")
CHAIN_MRR = (2999, 3599, 3999, 4599, 4999, 5999, 6999)
SMB_ADDONS = ((0, 0.55), (49, 0.2), (199, 0.15), (248, 0.1))
PLAN_FEE = {"starter": 199.0, "growth": 599.0}


def _day(rng, lo: int, hi: int) -> pd.Timedelta:
    return pd.Timedelta(days=int(rng.integers(lo, hi + 1)))


def _simulate_deal(rng, created, channel, segment, owner, force_won_on=None):
    """Walk one deal through lead → demo → trial → proposal → won; stop at the cut-off."""
    stages = ["lead"]
    dates = [created]
    onboarding = ""
    call_p = 0.88 if owner == "Wang Fang" else 0.2
    if force_won_on is not None:
        onboarding = "within_2_days" if rng.random() < call_p else "later"
        span = (force_won_on - created).days
        cuts = sorted(int(x) for x in rng.integers(1, max(span, 5), size=3))
        for st, c in zip(("demo", "trial", "proposal"), cuts):
            stages.append(st)
            dates.append(created + pd.Timedelta(days=c))
        return "won", force_won_on, "won", onboarding
    steps = [
        ("demo", LEAD_TO_DEMO[channel], (4, 20)),
        ("trial", 0.60 if segment == "chain" else 0.68, (5, 15)),
        ("proposal", None, None),
        ("won", 0.56 if segment == "chain" else 0.66, (15, 45) if segment == "chain" else (7, 30)),
    ]
    current, when = "lead", created
    for stage, p, span in steps:
        if stage == "proposal":
            r = rng.random()
            onboarding = "within_2_days" if r < call_p else ("later" if r < call_p + (1 - call_p) * 0.4 else "none")
            p = TRIAL_TO_PROPOSAL[onboarding]
            span = {"within_2_days": (12, 18), "later": (18, 28), "none": (20, 35)}[onboarding]
        advance = rng.random() < p
        nxt = when + _day(rng, *span)
        if not advance:
            lost_on = when + _day(rng, 5, 30)
            if lost_on > CUTOFF:
                return current, when, "open", onboarding
            return current, lost_on, "lost", onboarding
        if nxt > CUTOFF:
            return current, when, "open", onboarding
        current, when = stage, nxt
    return "won", when, "won", onboarding


def _pick(rng, pairs):
    values, probs = zip(*pairs)
    return values[int(rng.choice(len(values), p=np.array(probs) / sum(probs)))]


def build_accounts(rng: np.random.Generator, built: dict) -> dict:
    merchants = built["merchants"]
    core = merchants.set_index("merchant_id")
    core_chains = core[core.segment == "chain"]

    # -- deals -------------------------------------------------------------
    deals = []
    for mid, m in core_chains.iterrows():
        signed = pd.Timestamp(m.signup_date)
        created = max(pd.Timestamp("2024-07-01"), signed - _day(rng, 60, 110))
        channel = CHANNELS[int(rng.integers(0, 4))]
        owner = ("Chen Jing", "Wang Fang", "Zhao Lei")[int(rng.integers(0, 3))]
        stage, when, status, onboarding = _simulate_deal(rng, created, channel, "chain", owner, force_won_on=signed)
        deals.append(dict(created_date=created, channel=channel, segment="chain", owner=owner, stage=stage,
                          status=status, stage_date=when, mrr_cny=float(m.monthly_fee_cny),
                          trial_onboarding=onboarding, merchant_id=mid))
    days = (CUTOFF - pd.Timestamp("2024-07-01")).days + 1
    weights = np.linspace(0.7, 1.3, days)
    offsets = np.sort(rng.choice(days, size=560, p=weights / weights.sum()))
    for off in offsets:
        created = pd.Timestamp("2024-07-01") + pd.Timedelta(days=int(off))
        channel = _pick(rng, [("inbound", 0.35), ("outbound", 0.25), ("referral", 0.15), ("trade_show", 0.25)])
        segment = "chain" if rng.random() < 0.3 else "smb"
        owner = OWNERS[int(rng.integers(0, len(OWNERS)))]
        stage, when, status, onboarding = _simulate_deal(rng, created, channel, segment, owner)
        if segment == "chain":
            mrr = float(CHAIN_MRR[int(rng.integers(0, len(CHAIN_MRR)))])
        else:
            mrr = 599.0 + _pick(rng, [(0, 0.4), (199, 0.3), (248, 0.2), (499, 0.1)])
        deals.append(dict(created_date=created, channel=channel, segment=segment, owner=owner, stage=stage,
                          status=status, stage_date=when, mrr_cny=mrr, trial_onboarding=onboarding,
                          merchant_id=""))
    deals = pd.DataFrame(deals).sort_values(["created_date", "stage_date", "channel", "owner"], kind="stable")
    deals = deals.reset_index(drop=True)
    deals["deal_id"] = [f"D{i + 1:04d}" for i in range(len(deals))]

    # -- accounts: core merchants, sales wins, self-serve sign-ups ----------
    acc = []  # dicts; ids for non-core assigned after sorting by signup
    for mid, m in core.iterrows():
        acc.append(dict(merchant_id=mid, merchant_name=m.merchant_name, segment=m.segment, category=m.category,
                        city=m.city, acquisition_channel="sales" if m.segment == "chain" else "self_serve",
                        signup_date=pd.Timestamp(m.signup_date), plan=m.plan, fee=float(m.monthly_fee_cny),
                        addon=0.0, core=True, deal=None))
    categories = ("cafe", "bakery", "grocery", "fashion", "beauty")
    for i, d in deals[(deals.status == "won") & (deals.merchant_id == "")].iterrows():
        acc.append(dict(merchant_id=None, merchant_name=None, segment=d.segment,
                        category=categories[int(rng.integers(0, 5))], city=CITIES[int(rng.integers(0, 8))],
                        acquisition_channel="sales", signup_date=d.stage_date,
                        plan="enterprise" if d.segment == "chain" else "growth",
                        fee=float(d.mrr_cny) if d.segment == "chain" else 599.0,
                        addon=0.0 if d.segment == "chain" else float(d.mrr_cny) - 599.0, core=False, deal=i))
    core_smb_months = pd.Series([pd.Timestamp(a["signup_date"]).to_period("M") for a in acc
                                 if a["core"] and a["segment"] == "smb"]).value_counts()
    for k, month in enumerate(MONTHS):
        target = int(round(11 + 5 * k / 23))
        n_new = max(0, target - int(core_smb_months.get(month, 0)))
        first = month.start_time
        for _ in range(n_new):
            signed = first + pd.Timedelta(days=int(rng.integers(0, month.days_in_month)))
            plan = "starter" if rng.random() < 0.65 else "growth"
            acc.append(dict(merchant_id=None, merchant_name=None, segment="smb",
                            category=categories[int(rng.choice(5, p=[0.32, 0.2, 0.18, 0.16, 0.14]))],
                            city=CITIES[int(rng.integers(0, len(CITIES)))], acquisition_channel="self_serve",
                            signup_date=signed, plan=plan, fee=PLAN_FEE[plan],
                            addon=float(_pick(rng, SMB_ADDONS)), core=False, deal=None))
    acc = pd.DataFrame(acc)
    acc = acc.sort_values(["signup_date", "core"], kind="stable").reset_index(drop=True)
    n = 0
    used = set(core.merchant_name)
    ids, names = [], []
    for _, a in acc.iterrows():
        if a.core:
            ids.append(a.merchant_id)
            names.append(a.merchant_name)
            continue
        n += 1
        ids.append(f"S{n:04d}")
        while True:
            name = f"{NAME_WORDS[int(rng.integers(0, len(NAME_WORDS)))]} " \
                   f"{CATEGORY_WORDS[a.category][int(rng.integers(0, 4))]}"
            if a.segment == "chain":
                name += " Group"
            if name not in used:
                used.add(name)
                break
        names.append(name)
    acc["merchant_id"], acc["merchant_name"] = ids, names
    for _, a in acc[acc.deal.notna()].iterrows():
        deals.loc[int(a.deal), "merchant_id"] = a.merchant_id
    acc["cohort"] = acc.signup_date.dt.to_period("M")

    # -- activation: a quota per cohort (the wizard lifts it from 2025-09) ---
    acc["activated"] = False
    acc["churn_k"] = 10_000  # months after the signup month when the account is no longer subscribed
    self_serve = acc.acquisition_channel == "self_serve"
    hazard_act = [0.06, 0.04] + [0.025] * 30
    hazard_not = [0.40, 0.25] + [0.09] * 30
    for month, group in acc[self_serve].groupby("cohort"):
        idx = list(group.index)
        p = (0.72 if month >= WIZARD_MONTH else 0.36) + rng.uniform(-0.03, 0.03)
        n_act = max(int(round(len(idx) * p)), int(group.core.sum()))
        forced = [i for i in idx if acc.at[i, "core"]]
        others = [i for i in idx if not acc.at[i, "core"]]
        chosen = forced + list(rng.permutation(others)[: n_act - len(forced)])
        acc.loc[chosen, "activated"] = True
        for is_act, hazards in ((True, hazard_act), (False, hazard_not)):
            members = [i for i in idx if bool(acc.at[i, "activated"]) == is_act]
            protected = [i for i in members if acc.at[i, "core"]]
            pool = list(rng.permutation([i for i in members if not acc.at[i, "core"]]))
            alive = len(members)
            expected = float(len(members))
            spread = rng.uniform(0.75, 1.25)  # cohorts differ a little
            for k in range(1, 24):
                expected *= 1 - min(0.9, hazards[k - 1] * spread)
                frac = expected - np.floor(expected)
                keep = max(int(np.floor(expected)) + int(rng.random() < frac), len(protected))
                keep = min(keep, alive)
                leaving = max(0, alive - keep)
                for _ in range(min(leaving, len(pool))):
                    acc.at[pool.pop(), "churn_k"] = k
                alive = keep
    for i in acc.index[~self_serve & ~acc.core]:
        monthly = 0.01 if acc.at[i, "segment"] == "chain" else 0.03
        acc.at[i, "activated"] = True
        for k in range(1, 24):
            if rng.random() < monthly:
                acc.at[i, "churn_k"] = k
                break
    acc.loc[acc.core, "activated"] = True

    # -- subscriptions, events, activity -------------------------------------
    last_month = MONTHS[-1]
    at_risk_pool = []
    subs, events = [], []
    acc["last_active_date"] = pd.NaT
    for i, a in acc.iterrows():
        start = a.cohort
        end = min(last_month, start + int(a.churn_k) - 1)
        months = pd.period_range(start, end, freq="M")
        plan, fee = a.plan, a.fee
        upgrade_at = int(rng.integers(4, 9)) if (not a.core and plan == "starter" and a.activated
                                               and rng.random() < 0.12) else None
        churned = a.churn_k < 10_000 and start + int(a.churn_k) - 1 <= last_month
        base_days = {"enterprise": 24, "growth": 14, "starter": 9}
        for k, month in enumerate(months):
            if upgrade_at is not None and k == upgrade_at:
                plan, fee = "growth", PLAN_FEE["growth"]
                events.append((a.merchant_id, month.start_time + _day(rng, 0, 9), "upgraded"))
            days_in = month.days_in_month if month != start else month.days_in_month - a.signup_date.day + 1
            typical = base_days[plan] * (1.0 if a.activated else 0.6)
            active = int(np.clip(round(typical * days_in / month.days_in_month + rng.normal(0, 2)), 1, days_in))
            if churned and k >= len(months) - 2:
                active = int(rng.integers(0, 3)) if k == len(months) - 1 else max(1, active // 2)
            subs.append((a.merchant_id, month.start_time, fee + a.addon, active))
        acc.at[i, "plan"] = plan
        if a.activated:
            done = a.signup_date + (pd.Timedelta(days=int(rng.integers(0, 3))) if a.core or a.acquisition_channel == "sales"
                                    else _day(rng, 0, 7))
            events.append((a.merchant_id, done, "setup_completed"))
        elif rng.random() < 0.55:
            events.append((a.merchant_id, a.signup_date + _day(rng, 8, 40), "setup_completed"))
        if churned:
            cancel_day = end.start_time + _day(rng, 0, end.days_in_month - 1)
            cancel_day = max(cancel_day, a.signup_date)
            events.append((a.merchant_id, cancel_day, "cancelled"))
            acc.at[i, "last_active_date"] = max(a.signup_date, cancel_day - _day(rng, 5, 25))
        else:
            acc.at[i, "last_active_date"] = max(a.signup_date, CUTOFF - _day(rng, 0, 6))
            if not a.core and end == last_month and start <= pd.Period("2026-03", freq="M"):
                at_risk_pool.append(i)
    subs = pd.DataFrame(subs, columns=list(SCHEMAS["subscriptions"]))
    events = [e for e in events if e[1] <= CUTOFF]

    # -- planted: accounts going quiet in June (the RFM call list) ----------
    june = subs[subs.month == last_month.start_time].set_index("merchant_id")
    pool = [i for i in at_risk_pool if acc.at[i, "merchant_id"] in june.index]
    big = [i for i in pool if june.at[acc.at[i, "merchant_id"], "mrr_cny"] >= 599]
    small = [i for i in pool if june.at[acc.at[i, "merchant_id"], "mrr_cny"] < 599]
    chains = [i for i in big if acc.at[i, "segment"] == "chain"]
    smbs = [i for i in big if acc.at[i, "segment"] != "chain"]
    quiet = list(rng.permutation(chains)[:2]) + list(rng.permutation(smbs)[:7]) + list(rng.permutation(small)[:8])
    for i in quiet:
        mid = acc.at[i, "merchant_id"]
        acc.at[i, "last_active_date"] = pd.Timestamp("2026-05-22") + _day(rng, 0, 17)
        row = subs.index[(subs.merchant_id == mid) & (subs.month == last_month.start_time)]
        subs.loc[row, "active_days"] = 0
        may = subs.index[(subs.merchant_id == mid) & (subs.month == pd.Timestamp("2026-05-01"))]
        subs.loc[may, "active_days"] = subs.loc[may, "active_days"] // 2
    # three growth accounts that went quiet and have already cancelled in June (a distractor)
    leavers = [i for i in smbs if i not in quiet][:3]
    for i in leavers:
        mid = acc.at[i, "merchant_id"]
        acc.at[i, "last_active_date"] = pd.Timestamp("2026-05-25") + _day(rng, 0, 10)
        events.append((mid, pd.Timestamp("2026-06-12") + _day(rng, 0, 14), "cancelled"))
        row = subs.index[(subs.merchant_id == mid) & (subs.month == last_month.start_time)]
        subs.loc[row, "active_days"] = 0

    # active days agree with the last activity: none after it, at least one in its month
    last = subs.merchant_id.map(acc.set_index("merchant_id")["last_active_date"])
    after = subs.month > last
    subs.loc[after, "active_days"] = 0
    same = subs.month == last.dt.to_period("M").dt.start_time
    subs.loc[same, "active_days"] = subs.loc[same, "active_days"].clip(lower=1).clip(upper=last[same].dt.day)

    accounts = acc[list(SCHEMAS["accounts"])].copy()
    accounts = accounts.sort_values("merchant_id", kind="stable").reset_index(drop=True)
    ev = pd.DataFrame(events, columns=list(SCHEMAS["account_events"]))
    order = {"setup_completed": 0, "upgraded": 1, "cancelled": 2}
    ev = ev.assign(_o=ev.event.map(order)).sort_values(["merchant_id", "event_date", "_o"], kind="stable")
    ev = ev.drop(columns="_o").reset_index(drop=True)
    subs = subs.sort_values(["merchant_id", "month"], kind="stable").reset_index(drop=True)
    deals = deals[list(SCHEMAS["deals"])]
    return {"deals": deals, "accounts": accounts, "account_events": ev, "subscriptions": subs}


# ----------------------------------------------------------------------------- build: back-office usage

def build_usage(rng: np.random.Generator, built: dict) -> dict:
    days = pd.date_range("2026-01-01", "2026-06-30", freq="D")
    daily, monthly = [], []
    for segment, (mau0, growth, stick_wd, stick_we) in {"chain": (1380, 0.025, 0.58, 0.40),
                                                         "smb": (560, 0.04, 0.25, 0.17)}.items():
        for k, month in enumerate(pd.period_range("2026-01", "2026-06", freq="M")):
            mau = int(round(mau0 * (1 + growth) ** k + rng.integers(-15, 16)))
            monthly.append((month.start_time, segment, mau))
            for day in days[(days >= month.start_time) & (days <= month.end_time)]:
                s = stick_we if day.day_of_week >= 5 else stick_wd
                if pd.Timestamp("2026-02-14") <= day <= pd.Timestamp("2026-02-23"):
                    s *= 0.55  # Spring Festival
                daily.append((day, segment, int(round(mau * s * rng.uniform(0.93, 1.07)))))
    return {"usage_daily": pd.DataFrame(daily, columns=list(SCHEMAS["usage_daily"])),
            "usage_monthly": pd.DataFrame(monthly, columns=list(SCHEMAS["usage_monthly"]))}


BUILDERS = (
    Builder("m04_sprints", ("sprints",), build_sprints, reads=()),
    Builder("m04_launch", ("load_tests", "launch_bugs", "canary"), build_launch, reads=()),
    Builder("m04_accounts", ("deals", "accounts", "account_events", "subscriptions"), build_accounts,
            reads=("merchants",)),
    Builder("m04_usage", ("usage_daily", "usage_monthly"), build_usage, reads=()),
)
