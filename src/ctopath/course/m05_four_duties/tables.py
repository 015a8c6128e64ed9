"""Tables of module 05 (the CTO's four duties). FICTIONAL and deterministic.

- ``deployments``, ``incidents``: eight quarters, 2024-07-01 .. 2026-06-30 (稳底盘, DORA's four keys).
- ``slos``, ``availability``: Q2 2026 (2026-04-01 .. 2026-06-30), requests per service per day.
- ``commit_services``: which services each commit touched, 2026-01-01 .. 2026-06-30 (co-change).
- ``field_notes``: customer visits, 2026-03 .. 2026-06, coded by theme (下市场).
- ``kpi_results``: the quarterly key results, plan vs actual, 2026Q1 and 2026Q2 (盯结果). The
  actuals are computed from the other tables, so the review agrees with the data.

INSTRUCTOR NOTES — the planted findings
----------------------------------------
1. CI / test automation / canary investment in 2025Q3. That quarter looks worse on change
   failure rate (30 %, the "J-curve"); from 2025Q4 every key is High or Elite (DORA levels, deployment
   frequency rated per service): 2025Q4 1.25 deploys/day over 8 services (0.16 per service), 20 h lead
   time, 8.7 % CFR, 3 h to restore.
2. The payments service spent most of its Q2 error budget in one afternoon, 2026-04-17
   14:00–16:30 (the payment-callback outage of module 01); about 14 % is left. Reporting
   overspent its budget in a slow June week.
3. orders and order-pricing change together in four commits out of five (degree 0.80): one
   service split in two. membership ↔ marketing about two in five (0.42): a leaking boundary.
4. Field notes: chains complain about POS integration; small shops about menu import;
   sales-led trials stall when nobody calls ("trial_support").
5. KPI review, 2026Q2: the most off-track key result is self-serve churn (lower is better, so
   its "positive" variance is bad); change failure rate has the largest variance but it is
   favourable. The leading indicator "trials with an onboarding call within 2 days" was
   already off track in Q1.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...models.cohorts import activation_window_end
from ..tables import Builder

QUARTERS = pd.period_range("2024Q3", "2026Q2", freq="Q")
SERVICES = ("checkout-api", "orders", "order-pricing", "membership", "marketing", "payments",
            "merchant-portal", "reporting")
SERVICE_WEIGHTS = (0.18, 0.16, 0.13, 0.14, 0.12, 0.10, 0.11, 0.06)

# per quarter: deploys per day, median lead time (hours), change failure rate, median restore (hours)
DELIVERY = {
    "2024Q3": (0.35, 210, 0.22, 30), "2024Q4": (0.33, 240, 0.24, 36),
    "2025Q1": (0.30, 290, 0.26, 40), "2025Q2": (0.30, 300, 0.27, 44),
    "2025Q3": (0.90, 70, 0.30, 20), "2025Q4": (1.25, 20, 0.09, 3.0),
    "2026Q1": (1.40, 16, 0.07, 2.0), "2026Q2": (1.60, 14, 0.045, 0.7),
}

SCHEMAS: dict[str, dict[str, str]] = {
    "deployments": {"deploy_id": "id", "service": "str", "first_commit_at": "datetime", "deployed_at": "datetime"},
    "incidents": {
        "incident_id": "id", "service": "str", "severity": "str", "started_at": "datetime",
        "restored_at": "datetime", "deploy_id": "optional_id",
    },
    "slos": {"service": "id", "slo_pct": "number", "sli": "str"},
    "availability": {"date": "date", "service": "str", "requests": "int", "failed_requests": "int"},
    "commit_services": {"commit_id": "id", "service": "str"},
    "field_notes": {
        "note_id": "id", "visit_date": "date", "merchant_id": "id", "visited_by": "str", "theme": "str",
        "sentiment": "str", "note": "str",
    },
    "kpi_results": {
        "quarter": "str", "objective": "str", "key_result": "str", "kind": "str", "unit": "str",
        "better": "str", "plan": "number", "actual": "number",
    },
}


def _working_time(rng, day: pd.Timestamp) -> pd.Timestamp:
    return day + pd.Timedelta(minutes=int(rng.integers(9 * 60, 20 * 60)))


# ----------------------------------------------------------------------------- deployments and incidents

def build_delivery(rng: np.random.Generator, built: dict) -> dict:
    deploys, incidents = [], []
    for q in QUARTERS:
        per_day, lead_h, cfr, restore_h = DELIVERY[str(q)]
        days = pd.date_range(q.start_time, q.end_time.normalize(), freq="D")
        n = int(round(per_day * len(days)))
        weekdays = days[days.day_of_week < 5]
        picks = np.sort(rng.choice(len(weekdays), size=n, replace=n > len(weekdays)))
        leads = np.exp(np.log(lead_h) + rng.normal(0, 0.55, n))
        leads = leads * lead_h / np.median(leads)  # the quarter's median is exactly as planned
        q_deploys = []
        for k, (p, lead) in enumerate(zip(picks, leads)):
            at = _working_time(rng, weekdays[p])
            service = SERVICES[int(rng.choice(len(SERVICES), p=SERVICE_WEIGHTS))]
            first = (at - pd.Timedelta(minutes=int(round(lead * 60)))).floor("min")
            q_deploys.append([service, first, at])
        failed = rng.choice(n, size=int(round(cfr * n)), replace=False)
        restores = np.exp(np.log(restore_h) + rng.normal(0, 0.6, len(failed)))
        restores = restores * restore_h / np.median(restores)
        for f, hours in zip(sorted(failed), restores):
            service, _, at = q_deploys[f]
            start = at + pd.Timedelta(minutes=int(rng.integers(5, 240)))
            sev = "sev1" if hours > 8 else ("sev2" if hours > 1 else "sev3")
            incidents.append([service, sev, start, start + pd.Timedelta(minutes=max(5, int(round(hours * 60)))), f, q])
        # incidents with no deployment behind them (a disk, a vendor), longer to restore
        for _ in range(3):
            day = days[int(rng.integers(0, len(days)))]
            start = _working_time(rng, day)
            hours = float(rng.uniform(6, 30))
            service = SERVICES[int(rng.integers(0, len(SERVICES)))]
            incidents.append([service, "sev2", start, start + pd.Timedelta(minutes=int(hours * 60)), None, q])
        deploys.append(q_deploys)
    rows, id_of = [], {}
    for q, q_deploys in zip(QUARTERS, deploys):
        for k, (service, first, at) in enumerate(q_deploys):
            rows.append((service, first, at, q, k))
    dep = pd.DataFrame(rows, columns=["service", "first_commit_at", "deployed_at", "q", "k"])
    dep = dep.sort_values(["deployed_at", "service"], kind="stable").reset_index(drop=True)
    dep["deploy_id"] = [f"DEP{i + 1:04d}" for i in range(len(dep))]
    id_of = {(r.q, r.k): r.deploy_id for r in dep.itertuples()}
    inc = pd.DataFrame(incidents, columns=["service", "severity", "started_at", "restored_at", "k", "q"])
    inc["deploy_id"] = [id_of[(q, int(k))] if k is not None and not pd.isna(k) else "" for q, k in zip(inc.q, inc.k)]
    inc = inc.sort_values(["started_at", "service"], kind="stable").reset_index(drop=True)
    inc["incident_id"] = [f"INC{i + 1:03d}" for i in range(len(inc))]
    return {"deployments": dep[list(SCHEMAS["deployments"])],
            "incidents": inc[list(SCHEMAS["incidents"])]}


# ----------------------------------------------------------------------------- SLOs and availability

SLO = {  # service: (SLO %, requests per day, baseline failure rate, share of the budget to end up used)
    "checkout-api": (99.9, 1_800_000, 0.00035, 0.58),
    "payments": (99.9, 600_000, 0.00028, 0.862),
    "membership": (99.5, 900_000, 0.0016, 0.35),
    "reporting": (99.0, 40_000, 0.006, 1.31),
}
SLI = "share of API requests answered without a server error (HTTP 5xx) or a timeout over 2 s"


def build_availability(rng: np.random.Generator, built: dict) -> dict:
    days = pd.date_range("2026-04-01", "2026-06-30", freq="D")
    rows = []
    for service, (slo, per_day, base, used) in SLO.items():
        req = np.array([int(per_day * (0.8 if d.day_of_week >= 5 else 1.0) * rng.uniform(0.92, 1.08)) for d in days])
        fail = np.array([int(rng.binomial(r, base)) for r in req])
        budget = (1 - slo / 100) * req.sum()
        target = int(round(used * budget))
        # the rest of the budget is burnt by one bad day (or a bad week for reporting)
        if service == "payments":
            bad = [list(days).index(pd.Timestamp("2026-04-17"))]
        elif service == "reporting":
            bad = [list(days).index(pd.Timestamp(d)) for d in pd.date_range("2026-06-08", "2026-06-12")]
        else:
            bad = [int(rng.integers(10, 80))]
        extra = target - int(fail.sum())
        for j, b in enumerate(bad):
            fail[b] += extra // len(bad) + (1 if j < extra % len(bad) else 0)
        rows += [(d, service, int(r), int(f)) for d, r, f in zip(days, req, fail)]
    availability = pd.DataFrame(rows, columns=list(SCHEMAS["availability"]))
    availability = availability.sort_values(["date", "service"], kind="stable").reset_index(drop=True)
    slos = pd.DataFrame([(s, v[0], SLI) for s, v in SLO.items()], columns=list(SCHEMAS["slos"]))
    return {"slos": slos, "availability": availability}


# ----------------------------------------------------------------------------- co-change

PAIRS = {  # (a, b): commits touching both, in the half year
    ("orders", "order-pricing"): 95,
    ("membership", "marketing"): 42,
    ("checkout-api", "payments"): 11,
    ("checkout-api", "orders"): 7,
    ("merchant-portal", "reporting"): 6,
    ("membership", "merchant-portal"): 4,
}
SOLO = {"checkout-api": 120, "orders": 21, "order-pricing": 14, "membership": 56, "marketing": 64,
        "payments": 68, "merchant-portal": 96, "reporting": 48}


def build_commits(rng: np.random.Generator, built: dict) -> dict:
    commits = [[s] for s, n in SOLO.items() for _ in range(n)]
    commits += [list(pair) for pair, n in PAIRS.items() for _ in range(n)]
    for _ in range(6):  # a few wide commits (a shared library bump)
        commits.append(sorted(rng.choice(SERVICES, size=4, replace=False).tolist()))
    order = rng.permutation(len(commits))
    rows = []
    for k, i in enumerate(order):
        for service in sorted(commits[i]):
            rows.append((f"C{k + 1:04d}", service))
    return {"commit_services": pd.DataFrame(rows, columns=list(SCHEMAS["commit_services"]))}


# ----------------------------------------------------------------------------- field notes

NOTES = {
    ("pos_integration", "negative"): [
        "Stores still key orders into the old POS by hand; the integration drops modifiers.",
        "POS sync fails at close of day, so the store managers do not trust the totals.",
        "Their POS vendor is not supported; IT wants an integration kit before rolling out more stores.",
        "Two stores turned the ordering off because it did not reach the kitchen printer via the POS.",
    ],
    ("pos_integration", "positive"): ["POS sync has been stable since the last fix; the ops lead is happy."],
    ("menu_import", "negative"): [
        "Entering 300 items one by one took the owner two evenings; wants a spreadsheet import.",
        "Gave up on setting up the menu; still taking orders on paper.",
        "Prices with options (sizes, add-ons) cannot be imported, so the menu is half done.",
        "Asked whether we can copy the menu from their delivery-platform listing.",
    ],
    ("trial_support", "negative"): [
        "Trial ran out before anyone showed the staff how to use it; nobody from Larkspur called.",
        "Signed up for the trial, got stuck on set-up, and heard from sales only at the end.",
        "Would have bought, but the trial stalled in week one and no one followed up.",
    ],
    ("trial_support", "positive"): ["The set-up call on day two made the trial; staff were live in a week."],
    ("reporting", "negative"): [
        "Head office wants sales by store and hour; today they export and rebuild it in Excel.",
        "Month-end report is slow and times out for the full chain.",
    ],
    ("reporting", "positive"): ["Likes the member report; uses it in the weekly meeting."],
    ("pricing", "negative"): ["Thinks the growth plan is expensive for a single shop."],
    ("pricing", "neutral"): ["Asked about an annual plan with a discount."],
    ("staff_training", "negative"): ["New cashiers need training every month; wants short videos."],
    ("staff_training", "positive"): ["Staff picked it up in a day; the trainer was great."],
    ("feature_request", "neutral"): ["Asked whether AI could suggest which coupons to send.",
                                     "Wants WeChat Work integration for store managers."],
    ("performance", "negative"): ["Checkout felt slow on a Saturday evening."],
    ("loyalty", "positive"): ["Members come back more since points went live; repeat orders are up.",
                              "The birthday coupon brought regulars back."],
}
# (segment, theme, sentiment): how many notes
PLAN = {
    ("chain", "pos_integration", "negative"): 9, ("chain", "pos_integration", "positive"): 1,
    ("chain", "reporting", "negative"): 4, ("chain", "reporting", "positive"): 2,
    ("chain", "staff_training", "negative"): 3, ("chain", "staff_training", "positive"): 1,
    ("chain", "loyalty", "positive"): 3, ("chain", "feature_request", "neutral"): 1,
    ("chain", "pricing", "neutral"): 1, ("chain", "trial_support", "negative"): 2,
    ("smb", "menu_import", "negative"): 8, ("smb", "trial_support", "negative"): 4,
    ("smb", "trial_support", "positive"): 2, ("smb", "pricing", "negative"): 3,
    ("smb", "pricing", "neutral"): 1, ("smb", "loyalty", "positive"): 4,
    ("smb", "performance", "negative"): 1, ("smb", "feature_request", "neutral"): 1,
    ("smb", "staff_training", "positive"): 1,
}
VISITORS = ("CTO", "Chen Jing", "Wang Fang", "Zhao Lei", "Li Wei", "Liu Yang", "Head of Ops")


def build_field_notes(rng: np.random.Generator, built: dict) -> dict:
    accounts = built["accounts"]
    subs = built["subscriptions"]
    live = set(subs.loc[subs.month == pd.Timestamp("2026-06-01"), "merchant_id"])
    pool = {seg: sorted(accounts.loc[(accounts.segment == seg) & accounts.merchant_id.isin(live)
                                     & (accounts.signup_date < pd.Timestamp("2026-03-01")), "merchant_id"])
            for seg in ("chain", "smb")}
    trial_pool = sorted(accounts.loc[(accounts.acquisition_channel == "sales") & accounts.merchant_id.isin(live),
                                     "merchant_id"])
    rows = []
    for (segment, theme, sentiment), n in PLAN.items():
        texts = NOTES[(theme, sentiment)]
        for j in range(n):
            src = [m for m in trial_pool if m in pool[segment]] if theme == "trial_support" else pool[segment]
            merchant = src[int(rng.integers(0, len(src)))]
            day = pd.Timestamp("2026-03-02") + pd.Timedelta(days=int(rng.integers(0, 120)))
            rows.append((day, merchant, VISITORS[int(rng.integers(0, len(VISITORS)))], theme, sentiment,
                         texts[j % len(texts)]))
    notes = pd.DataFrame(rows, columns=["visit_date", "merchant_id", "visited_by", "theme", "sentiment", "note"])
    notes = notes.sort_values(["visit_date", "merchant_id", "theme"], kind="stable").reset_index(drop=True)
    notes.insert(0, "note_id", [f"N{i + 1:03d}" for i in range(len(notes))])
    return {"field_notes": notes}


# ----------------------------------------------------------------------------- KPI review

def _monthly_churn(subs, accounts, months) -> float:
    """Average monthly logo churn of self-serve accounts over ``months`` (a list of Periods)."""
    ss = set(accounts.loc[accounts.acquisition_channel == "self_serve", "merchant_id"])
    s = subs[subs.merchant_id.isin(ss)]
    by_month = {m: set(s.loc[s.month == m.start_time, "merchant_id"]) for m in set(months) | {x - 1 for x in months}}
    rates = [len(by_month[m - 1] - by_month[m]) / len(by_month[m - 1]) for m in months]
    return float(np.mean(rates))


def build_kpis(rng: np.random.Generator, built: dict) -> dict:
    subs, accounts, events = built["subscriptions"], built["accounts"], built["account_events"]
    deals, usage_d, usage_m = built["deals"], built["usage_daily"], built["usage_monthly"]
    dep, inc = built["deployments"], built["incidents"]
    rows = []
    for q, factors in (("2026Q1", dict(mrr=0.96, chains=1.0, churn=1.06, act=1.03, calls=0.74, stick=0.98,
                                         deploys=1.12, cfr=0.88)),
                       ("2026Q2", dict(mrr=0.77, chains=1.0, churn=1.36, act=0.985, calls=0.82, stick=0.93,
                                         deploys=1.24, cfr=0.56))):
        period = pd.Period(q, freq="Q")
        months = list(pd.period_range(period.start_time, period.end_time, freq="M"))
        mrr = subs.groupby("month").mrr_cny.sum()
        net_new = float(mrr[months[-1].start_time] - mrr[(months[0] - 1).start_time])
        won = deals[(deals.status == "won") & (deals.segment == "chain")
                    & (deals.stage_date >= period.start_time) & (deals.stage_date <= period.end_time)]
        churn = 100 * _monthly_churn(subs, accounts, months)
        # Activation as cohorts.activation_rate counts it: only sign-ups whose 7 days have passed
        # by the data's last day (late-June sign-ups have not had them yet).
        ss = accounts[(accounts.acquisition_channel == "self_serve") & (accounts.signup_date >= period.start_time)
                      & (accounts.signup_date <= min(period.end_time, activation_window_end(events, 7)))]
        setup = events[(events.event == "setup_completed") & events.merchant_id.isin(ss.merchant_id)]
        days = setup.merge(ss[["merchant_id", "signup_date"]], on="merchant_id")
        act = 100 * ((days.event_date - days.signup_date).dt.days <= 7).sum() / len(ss)
        trials = deals[deals.trial_onboarding.isin(["within_2_days", "later", "none"])
                       & (deals.created_date >= period.start_time) & (deals.created_date <= period.end_time)]
        calls = 100 * (trials.trial_onboarding == "within_2_days").mean()
        qd = usage_d[(usage_d.segment == "smb") & (usage_d.date >= period.start_time) & (usage_d.date <= period.end_time)]
        qm = usage_m[(usage_m.segment == "smb") & usage_m.month.between(period.start_time, period.end_time)]
        stick = 100 * np.mean([qd[qd.date.dt.month == m.month].daily_active_users.mean()
                               / qm[qm.month.dt.month == m.month].monthly_active_users.iloc[0] for m in months])
        qdep = dep[(dep.deployed_at >= period.start_time) & (dep.deployed_at <= period.end_time)]
        per_day = len(qdep) / len(pd.date_range(period.start_time, period.end_time.normalize()))
        cfr = 100 * qdep.deploy_id.isin(inc.deploy_id).mean()
        spec = [
            ("Grow recurring revenue", "Net new MRR", "lagging", "CNY", "higher", net_new, "mrr", 500),
            ("Grow recurring revenue", "New chain contracts", "lagging", "contracts", "higher", len(won), "chains", 1),
            ("Keep the customers we win", "Self-serve monthly logo churn", "lagging", "%", "lower", churn, "churn", 0.1),
            ("Keep the customers we win", "7-day activation, self-serve sign-ups", "leading", "%", "higher", act, "act", 1),
            ("Keep the customers we win", "Trials with an onboarding call within 2 days", "leading", "%", "higher",
             calls, "calls", 1),
            ("Keep the customers we win", "Back-office stickiness (DAU/MAU), small shops", "leading", "%", "higher",
             stick, "stick", 0.5),
            ("Stabilise the chassis", "Deployments per day", "leading", "per day", "higher", per_day, "deploys", 0.1),
            ("Stabilise the chassis", "Change failure rate", "lagging", "%", "lower", cfr, "cfr", 0.5),
        ]
        for objective, kr, kind, unit, better, actual, key, step in spec:
            plan = round(actual / factors[key] / step) * step
            if plan == 0:  # a draw with, say, no chain won that quarter: a target of 0 has no variance in %
                plan = step
            rows.append((q, objective, kr, kind, unit, better, round(plan, 2), round(float(actual), 2)))
    return {"kpi_results": pd.DataFrame(rows, columns=list(SCHEMAS["kpi_results"]))}


BUILDERS = (
    Builder("m05_delivery", ("deployments", "incidents"), build_delivery, reads=()),
    Builder("m05_availability", ("slos", "availability"), build_availability, reads=()),
    Builder("m05_commits", ("commit_services",), build_commits, reads=()),
    Builder("m05_field_notes", ("field_notes",), build_field_notes, reads=("accounts", "subscriptions")),
    Builder("m05_kpis", ("kpi_results",), build_kpis,
            reads=("account_events", "accounts", "deals", "deployments", "incidents", "subscriptions",
                   "usage_daily", "usage_monthly")),
)
