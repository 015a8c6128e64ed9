"""Module 04 — Build, launch, operate, promote.

Builds on the article's product phases 3–6 (产品研发, 产品上线, 产品运营, 产品推广): balance
technical and product work and take the best overall solution (最优解); launch with a
plan and some ceremony; work on stickiness, activity, acquisition and repeat purchase
(粘性, 活跃度, 拉新促活, 复购); write the sales SOP's standard actions (标准动作). Every
reference answer is computed from the data by ``ctopath.models`` (delivery, cohorts,
funnel), lazily.
"""
from __future__ import annotations

import functools
from typing import Callable

import pandas as pd

from ... import data
from ...engine.exercise import (ChoiceExercise, DataExercise, MultiExercise, NumberExercise, Option, ReflectionExercise,
                        Slip, WrongExample)
from ...models import cohorts, delivery, funnel
from ...models import engagement, launch, performance, workload
from .. import Module

WIZARD = "2025-09"
SELF_SERVE = "self_serve"


def _t(name):
    return data.load(name)


# -- 04.1 incidents by band of platform share ------------------------------------

def incidents_by_band():
    return delivery.incidents_by_band(_t("sprints"), window=4)


def _by_own_share():
    return delivery.incidents_by_band(_t("sprints"), window=1)


def _total_incidents_by_band():
    s = _t("sprints")
    bands = delivery.share_bands(s, 4).to_numpy()
    return s.assign(band=bands).dropna(subset=["band"]).groupby("band", observed=True)["incidents"].sum()


def _banded_incidents(shift=0, stat="mean"):
    def value():
        s = _t("sprints")
        share = (s.platform_points / s.capacity_points).shift(shift)
        band = pd.cut(share.rolling(4).mean(), [0, 0.10, 0.20, 0.30, 1.0], right=False,
                      labels=["0-10%", "10-20%", "20-30%", "30%+"])
        return getattr(s.assign(band=band).groupby("band", observed=True)["incidents"], stat)()
    return value


band_ex = DataExercise(
    "04.1", "What starving the platform did",
    "`sprints` holds 52 two-week sprints with the story points spent on features, on platform / tech-debt work "
    "and on unplanned firefighting, and the incidents of each sprint. Incidents follow the allocation with a "
    "lag, so judge each sprint by its **platform share averaged over the last four sprints, this one included**:\n\n"
    "```python\nshare = sprints.platform_points / sprints.capacity_points\ntrailing = share.rolling(4).mean()\n"
    "band = pd.cut(trailing, [0, 0.10, 0.20, 0.30, 1.0], right=False,\n"
    "              labels=[\"0-10%\", \"10-20%\", \"20-30%\", \"30%+\"])\n```\n\n"
    "**Compute `incidents_by_band`: the mean number of incidents per sprint in each band** (a Series indexed by "
    "band; the first three sprints have no band and drop out).",
    expected=incidents_by_band, answer_name="incidents_by_band", rel_tol=1e-6,
    slips=[Slip(_by_own_share, "You banded each sprint by its own platform share. A sprint's incidents come from "
                               "the debt of the sprints before it: use the four-sprint rolling mean."),
           Slip(_total_incidents_by_band, "Those are total incidents per band; bands have different numbers of "
                                          "sprints, so compare the mean per sprint."),
           Slip(_banded_incidents(stat="median"), "Those are medians; the question asks for the mean incidents per "
                                                  "sprint in each band."),
           Slip(_banded_incidents(shift=1), "Your rolling mean leaves the sprint itself out (a shift before rolling). "
                                            "The four sprints include this one: `share.rolling(4).mean()`.")],
    hints=["Add the band as a column: `sprints.assign(band=band)`.",
           "`sprints.assign(band=band).groupby(\"band\", observed=True)[\"incidents\"].mean()`",
           "`delivery.by_share_band(sprints)` shows every band's incidents, feature share and lead time at once."],
    solution="Band the sprints by trailing platform share, then take the mean incidents per band. Incidents rise "
             "steeply as the share falls under 20 %, and the 30 %+ band still carries the debt of the starved "
             "months (it was the recovery).",
    solution_code=('sprints = data.load("sprints")\n'
                   'share = sprints.platform_points / sprints.capacity_points\n'
                   'band = pd.cut(share.rolling(4).mean(), [0, 0.10, 0.20, 0.30, 1.0], right=False,\n'
                   '              labels=["0-10%", "10-20%", "20-30%", "30%+"])\n'
                   'incidents_by_band = sprints.assign(band=band).groupby("band", observed=True)["incidents"].mean()'),
    minutes=8,
    wrong_examples=[WrongExample(_by_own_share, "own platform share"),
                    WrongExample(_total_incidents_by_band, "total incidents")],
)

allocation = ChoiceExercise(
    "04.2", "The allocation you would defend",
    "Product wants every point on features; the architects want a third of the sprint for the platform. "
    "Use `delivery.by_share_band(sprints)` (incidents, the share of capacity that shipped features, lead time "
    "per band). **Which standing platform share would you defend in the planning meeting?**",
    options=[
        Option("5", "About 5 %: every point we can on features", False,
               "The starved band shipped the *fewest* features: firefighting ate the capacity and lead times "
               "tripled. Starving the platform looks fast for a sprint or two, then it is slow."),
        Option("15", "About 15 %: a little less than today", False,
               "It looks fine for a few sprints, but incidents and lead time already climb in that band: it "
               "borrows from the future. Defensible only for a short, named push.", score=0.5),
        Option("25", "About 25 %: a standing share between 20 % and 30 %", True,
               "Yes: the 20–30 % band has the fewest incidents, the largest share of capacity shipping features "
               "and the shortest lead time. No side gets all it asked for, and the whole gets the most — the "
               "article's 各方博弈，取个最优解."),
        Option("40", "About 40 %: pay all the debt down first", False,
               "The 30 %+ sprints were the recovery: worth it then, but as a standing share it costs features "
               "without lowering incidents further. Pay the debt down, then come back to about a quarter."),
    ],
    hints=["Look at two columns together: incidents_per_sprint and feature_share.",
           "Which band is best on *both*? Then ask whether the 30 %+ band is a level or an episode."],
    solution="About a quarter of capacity for the platform. The data shows no trade-off to bargain away: the band "
             "with the fewest incidents also ships the most features.",
    minutes=4,
    wrong_examples=[WrongExample("5", "fewest"), WrongExample("40", "recovery")],
)


# -- 04.3 / 04.4 launch ------------------------------------------------------------

blockers = MultiExercise(
    "04.3", "Go or no-go: what blocks the launch?",
    "Membership 2.0 is due to launch next week. The launch criteria, agreed a month ago: **(1)** every endpoint's "
    "p95 latency ≤ 300 ms at the target load of **1,200 requests/s** (1.5 × the forecast peak); **(2)** no open "
    "S1 or S2 bug; **(3)** over the 24-hour canary, the canary's error rate at most **0.1 percentage points** above "
    "the baseline's. Look at `load_tests`, `launch_bugs` and `canary` (or `delivery.readiness(...)`). "
    "**Tick every item that blocks the launch.**",
    options=[
        Option("redeem", "/member/points/redeem is too slow at the target load", True,
               "p95 is over 400 ms at 1,200 rps against a 300 ms target: criterion 1 fails."),
        Option("bug031", "BUG-031, points double-deducted when a redeem call is retried (S2, open)", True,
               "An open S2 — and it takes members' money (points) twice. Criterion 2 fails."),
        Option("canary", "The canary's error rate", False,
               "One bad hour (03:00, during a config push) is visible, but over the whole window the canary is "
               "within 0.1 pp of the baseline. Watch it; it does not block."),
        Option("checkout2000", "/checkout/member-price is over 300 ms at 2,000 requests/s", False,
               "2,000 rps is beyond the agreed target load (1,200). At the target it is within 300 ms."),
        Option("s3", "The open S3 and S4 bugs", False,
               "They matter, but the criteria block on S1/S2 only. Schedule them; do not move the goalposts."),
        Option("bug036", "BUG-036, the S1 found on 15 June", False,
               "It is fixed. Check the fix is in the release build, but a fixed bug does not block."),
    ],
    hints=["Check each criterion against its own target: load at 1,200 rps, severity S1/S2 and status open, "
           "the canary over the whole window.",
           "`delivery.go_no_go(delivery.readiness(load_tests, launch_bugs, canary))`"],
    missed_note="A missed blocker is the costly slip at a go / no-go: the launch would go ahead with an agreed "
                "criterion failing. Check each item against its criterion's own threshold.",
    missed_cost=0.5,
    solution="Two blockers: the redeem endpoint's latency at the target load and the open S2 BUG-031. So: no-go "
             "this week; fix both, re-run the load test, then launch.",
    solution_code=('checks = delivery.readiness(data.load("load_tests"), data.load("launch_bugs"), data.load("canary"))\n'
                   'delivery.go_no_go(checks)'),
    minutes=7,
    wrong_examples=[WrongExample(["redeem"], "1 of 2"),
                    WrongExample(["redeem", "bug031", "canary"], "does not block")],
)

launch_note = ReflectionExercise(
    "04.4", "The launch note, with some ceremony",
    "The article asks for a release plan with some ceremony (有仪式感的发布计划) because it motivates the team. "
    "Write the note you would send today: **the decision and its reasons, what must be true before the new date, "
    "and one piece of ceremony** for launch day that honours the work without adding risk.",
    model_answer="\"No-go for Thursday. Two blockers: redeem is over 400 ms p95 at our target load (target 300), and "
                 "BUG-031 can deduct points twice on a retry. New date: the Tuesday after both are fixed and the "
                 "load test passes; the canary stays at 5 % for a day first. Ceremony: at 10:00 the squad presses "
                 "the button together in the big room, the first real member's points redemption goes on the "
                 "screen, and the CEO thanks the team by name at lunch.\" A good note gives the decision first, "
                 "ties each reason to a criterion agreed beforehand, names a condition rather than a hope, and "
                 "keeps the ceremony separate from the risky part (the rollout stays gradual).",
    example_answer="No-go for this week: redeem is too slow at the target load (p95 over 400 ms vs 300) and the "
                   "open S2 BUG-031 double-deducts points. We launch once both are fixed and the load test passes. "
                   "On launch day the squad watches the first real redemption together and the CEO thanks them by "
                   "name.",
    min_words=30,
    hints=["Decision first, then reasons that point to the agreed criteria.",
           "Ceremony motivates; it should not change the rollout (keep the canary and the gradual ramp)."],
    solution="Decision, reasons tied to criteria, conditions for the new date, and a ceremony that celebrates "
             "the team while the rollout stays careful.",
    minutes=6,
    wrong_examples=[WrongExample("No-go.", "A few more sentences"),
                    WrongExample("We launch Thursday, party!", "A few more sentences")],
)


# -- 04.5 – 04.7 retention cohorts ---------------------------------------------------

@functools.lru_cache(maxsize=8)
def _retention_at(age: int, channel, data_stamp):
    return cohorts.retention_at(_t("accounts"), _t("subscriptions"), age, channel=channel)


def _retention(age: int, channel=SELF_SERVE):
    """Retention at ``age`` by cohort, computed once per data (04.5's reference and slips, 04.7's slip)."""
    return _retention_at(age, channel, data.stamp("accounts", "subscriptions")).copy()


def m3_retention():
    return _retention(3)


def _m3_all_accounts():
    return _retention(3, channel=None)


def _m2_retention():
    return _retention(2)


def _m3_counts():
    counts = cohorts.cohort_counts(_t("accounts"), _t("subscriptions"), channel=SELF_SERVE)
    return counts[3].dropna()


def _m4_retention():
    return _retention(4)


retention_ex = DataExercise(
    "04.5", "Month-3 retention by sign-up cohort",
    "A cohort is the self-serve accounts (`accounts.acquisition_channel == \"self_serve\"`) that signed up in the "
    "same calendar month. An account is *retained at month k* if it has a row in `subscriptions` for the month "
    "k months after its sign-up month (month 0 is the sign-up month). **Compute `m3_retention`: the share of each "
    "cohort retained at month 3, as a fraction, indexed by cohort as `\"YYYY-MM\"`**, for the cohorts the data "
    "has reached that far (2024-07 to 2026-03).",
    expected=m3_retention, answer_name="m3_retention", rel_tol=1e-6,
    slips=[Slip(_m3_all_accounts, "You kept the sales-led accounts too. A person sold and set up each of "
                                  "them and none has left by month 3, which lifts every cohort; the question is "
                                  "about self-serve sign-ups."),
           Slip(_m2_retention, "Off by one month: month 0 is the sign-up month, so month 3 is three calendar "
                               "months after it (a March sign-up is retained at month 3 if it pays for June)."),
           Slip(_m3_counts, "Those are numbers of accounts retained; divide by the cohort's size."),
           Slip(lambda: 100 * m3_retention(), "Those are percentages (55 for 55 %); the question asks for fractions "
                                             "(0.55): leave out the × 100."),
           Slip(_m4_retention, "Off by one month the other way: that is month 4. Month 0 is the sign-up month, so a "
                               "March sign-up is retained at month 3 if it pays for June.")],
    share="fraction",
    hints=["Cohort = `signup_date.dt.to_period(\"M\")`; a subscription's age = its month's period minus the "
           "cohort (`(month - cohort).apply(lambda d: d.n)`).",
           "Count distinct merchant_id per (cohort, age), unstack, divide by the age-0 column.",
           "`cohorts.retention_table(accounts, subscriptions, channel=\"self_serve\")` draws the whole table."],
    solution="Build the cohort table (cohort × age), divide every row by its month-0 size, take column 3.",
    solution_code=('accounts, subs = data.load("accounts"), data.load("subscriptions")\n'
                   'ss = accounts[accounts.acquisition_channel == "self_serve"]\n'
                   'cohort = ss.set_index("merchant_id").signup_date.dt.to_period("M")\n'
                   's = subs[subs.merchant_id.isin(ss.merchant_id)].copy()\n'
                   's["cohort"] = s.merchant_id.map(cohort)\n'
                   's["age"] = (s.month.dt.to_period("M") - s.cohort).apply(lambda d: d.n)\n'
                   'table = s.groupby(["cohort", "age"]).merchant_id.nunique().unstack()\n'
                   'm3 = (table[3] / table[0]).dropna()\n'
                   'm3_retention = m3.set_axis(m3.index.astype(str))'),
    minutes=12,
    wrong_examples=[WrongExample(_m3_all_accounts, "sales-led"), WrongExample(_m2_retention, "Off by one month")],
)

change_month = ChoiceExercise(
    "04.6", "When did onboarding change?",
    "Operations shipped something that made new self-serve shops stick. Nobody wrote down when. Look at month-3 "
    "retention by cohort (04.5) and at 7-day activation by cohort — the share of a cohort with a "
    "`setup_completed` event within 7 days of signing up, counting only the sign-ups whose 7 days had passed "
    "by the data's last day (`cohorts.activation_rate(accounts, account_events, 7, channel=\"self_serve\")`). "
    "**From which sign-up month on do new shops behave differently?**",
    options=[
        Option("2025-06", "June 2025", False,
               "June 2025's cohort is still at the old level on both activation and month-3 retention."),
        Option("2025-09", "September 2025", True,
               "Yes: 7-day activation jumps from about a third to about 70 % with the September 2025 cohort, and "
               "month-3 retention steps up with it — a guided set-up wizard went live that month."),
        Option("2025-12", "December 2025", False,
               "By December the new level had held for three cohorts already; look earlier."),
        Option("2026-01", "January 2026", False,
               "January 2026 has many new core merchants, but the step in activation came months before."),
    ],
    hints=["Activation moves first and sharply; retention follows, with noise (cohorts are small).",
           "Print `cohorts.activation_rate(...)` next to your `m3_retention` and find the step."],
    solution="September 2025: activation within 7 days roughly doubles from that cohort on, and month-3 "
             "retention rises with it.",
    minutes=4,
    wrong_examples=[WrongExample("2025-12", "look earlier"), WrongExample("2025-06", "old level")],
)


@functools.lru_cache(maxsize=8)
def _lift_at(change_month: str, data_stamp) -> dict:
    """Pooled month-3 retention either side of ``change_month`` (computed once per data: the reference
    and several slips of 04.7 need it, and each computation takes most of a second)."""
    return cohorts.retention_lift(_t("accounts"), _t("subscriptions"), change_month, 3, channel=SELF_SERVE)


def _lift(change_month: str = WIZARD) -> dict:
    return dict(_lift_at(change_month, data.stamp("accounts", "subscriptions")))


def lift_pp() -> float:
    return _lift()["lift_pp"]


def _lift_relative() -> float:
    d = _lift()
    return 100 * (d["after"] / d["before"] - 1)


def _lift_of_cohort_means() -> float:
    rates = m3_retention()
    return 100 * float(rates[rates.index >= WIZARD].mean() - rates[rates.index < WIZARD].mean())


def _lift_split_at(month: str) -> Callable[[], float]:
    return lambda: _lift(month)["lift_pp"]


lift = NumberExercise(
    "04.7", "How big is the lift?",
    "Size the change you found in 04.6. **Pool the cohorts on each side** — accounts retained at month 3 ÷ "
    "accounts, over all self-serve cohorts before September 2025, and over the cohorts from September 2025 to "
    "March 2026 — and give **after − before in percentage points** (18.0 means 18.0 points).",
    answer=lift_pp, rel_tol=0.002, unit="percentage points", decimals=1,
    slips=[Slip(_lift_relative, "That is the relative lift (after ÷ before − 1). The question asks for the "
                                "difference in percentage points.", rel_tol=0.01),
           Slip(lambda: lift_pp() / 100, "That looks like a fraction; give percentage points (12.5 means 12.5 "
                                                  "points, not 0.125).", rel_tol=0.01),
           Slip(_lift_of_cohort_means, "You averaged the cohorts' retention rates. Pool them: retained accounts ÷ "
                                       "accounts over all cohorts on each side, so a small cohort does not weigh as "
                                       "much as a big one.", rel_tol=0.002),
           Slip(lambda: -lift_pp(), "The sign is flipped: after − before is positive when retention rose.",
                rel_tol=0.005),
           Slip(_lift_split_at("2025-10"), "You counted the September 2025 cohort as *before*. The change starts with "
                                           "that cohort: September belongs to the after side.", rel_tol=0.005)],
    hints=["Use the cohort table of 04.5: sum column 3 and column 0 over the cohorts on each side.",
           "`cohorts.retention_lift(accounts, subscriptions, \"2025-09\", 3, channel=\"self_serve\")`"],
    solution="Pooled month-3 retention before the change and after it; the difference is the lift, in points.",
    solution_code=('cohorts.retention_lift(data.load("accounts"), data.load("subscriptions"), "2025-09", 3,\n'
                   '                       channel="self_serve")["lift_pp"]'),
    minutes=6,
    wrong_examples=[WrongExample(_lift_relative, "relative lift"),
                    WrongExample(lambda: lift_pp() / 100, "fraction")],
)


# -- 04.8 repeat purchase -------------------------------------------------------------

def repeat_pct() -> float:
    return 100 * cohorts.repeat_purchase_rate(_t("orders"))


def _repeat_all_statuses() -> float:
    per = _t("orders").groupby("consumer_id").size()
    return 100 * float((per >= 2).mean())


def _orders_per_consumer() -> float:
    o = _t("orders")
    o = o[o.status.isin(["paid", "refunded"])]
    return float(len(o) / o.consumer_id.nunique())


def _three_or_more_pct() -> float:
    o = _t("orders")
    per = o[o.status.isin(["paid", "refunded"])].groupby("consumer_id").size()
    return 100 * float((per > 2).mean())


def _repeat_over_every_consumer_pct() -> float:
    o = _t("orders")
    per = o[o.status.isin(["paid", "refunded"])].groupby("consumer_id").size()
    return 100 * float((per >= 2).sum() / o.consumer_id.nunique())


repeat = NumberExercise(
    "04.8", "Do consumers come back? (复购)",
    "Repeat purchase (复购) is the merchants' question before it is Larkspur's: a platform that brings consumers "
    "back is worth paying for. In the core `orders` (Jan–Jun 2026), a purchase is an order with status `paid` or "
    "`refunded` (money changed hands). **What share of the consumers who purchased at least once purchased two "
    "or more times, in percent?**",
    answer=repeat_pct, percent=True, rel_tol=0.005, decimals=1,
    slips=[Slip(_repeat_all_statuses, "You counted cancelled orders as purchases; no money changed hands on them.",
                rel_tol=0.002),
           Slip(_orders_per_consumer, "That is orders per consumer (an average), not the share of consumers who "
                                      "came back.", rel_tol=0.01),
           Slip(_three_or_more_pct, "You kept consumers with more than two purchases (> 2). Two purchases already "
                                    "make a repeat: use ≥ 2.", rel_tol=0.005),
           Slip(_repeat_over_every_consumer_pct, "Your denominator includes consumers whose only orders were "
                                                 "cancelled: they never purchased. Divide by the consumers with at "
                                                 "least one paid or refunded order.", rel_tol=0.002)],
    hints=["Keep paid and refunded orders; count orders per consumer_id.",
           "`(per_consumer >= 2).mean() * 100`"],
    solution="Purchases per consumer; the share with two or more. `cohorts.repeat_purchase_rate(orders, \"category\", "
             "merchants)` shows cafés far ahead of fashion.",
    solution_code=('orders = data.load("orders")\n'
                   'per_consumer = orders[orders.status.isin(["paid", "refunded"])].groupby("consumer_id").size()\n'
                   '100 * (per_consumer >= 2).mean()'),
    minutes=5,
    wrong_examples=[WrongExample(_orders_per_consumer, "orders per consumer"),
                    WrongExample(lambda: repeat_pct() / 100, "fraction")],
)


# -- 04.9 / 04.10 the sales funnel -----------------------------------------------------

leak = ChoiceExercise(
    "04.9", "Where does the funnel leak, and which standard action fixes it?",
    "`deals` holds every sales-led deal since July 2024: the furthest stage it reached (lead → demo → trial → "
    "proposal → won), its channel and owner, and for deals that reached a trial, whether the owner called the "
    "merchant within two days of the trial starting (`trial_onboarding`). Use `funnel.stage_conversion(deals, "
    "\"channel\")` and compare trials by `trial_onboarding`. **Which step leaks most, and which standard action "
    "(标准动作) should the sales SOP add?**",
    options=[
        Option("lead", "lead → demo: more outbound calls to book demos", False,
               "Over half of leads reach a demo; trade shows and outbound are the weakest channels there, but "
               "every channel loses more of its deals at the trial."),
        Option("demo", "demo → trial: shorter, scripted demos", False,
               "About two thirds of demos become trials in every channel: this step works."),
        Option("trial", "trial → proposal: call every trial merchant within two days and set them up", True,
               "Yes: only about a third of trials reach a proposal, in every channel. Trials with a call within "
               "two days reach a proposal about two times in three; with no call, hardly ever. That call is the "
               "SOP's standard action."),
        Option("proposal", "proposal → won: more discount in the proposal", False,
               "Roughly two proposals in three are won already; discounting there gives away margin where the "
               "funnel works."),
    ],
    hints=["The leaking step is the lowest conversion, and it is low in every channel, not just one.",
           "`deals[deals.trial_onboarding.notna()].groupby(\"trial_onboarding\").stage.apply(lambda s: "
           "s.isin([\"proposal\", \"won\"]).mean())`"],
    solution="Trial → proposal leaks in every channel, and the data says why: trials nobody calls stall. The SOP's "
             "standard action: an onboarding call within two days of every trial start.",
    minutes=6,
    wrong_examples=[WrongExample("proposal", "margin"), WrongExample("lead", "weakest channels")],
)


def forecast() -> float:
    return funnel.pipeline_forecast(_t("deals"))


def _unweighted() -> float:
    d = _t("deals")
    return float(d.loc[d.status == "open", "mrr_cny"].sum())


def _next_step_weighted() -> float:
    d = _t("deals")
    conv = funnel.stage_conversion(d, closed_only=True)
    nxt = {a: conv[f"{a}→{b}"] for a, b in zip(funnel.STAGES, funnel.STAGES[1:])}
    o = d[d.status == "open"]
    return float((o.mrr_cny * o.stage.map(nxt)).sum())


def _all_deals_probability() -> float:
    d = _t("deals")
    reached = {s: d.stage.map({x: i for i, x in enumerate(funnel.STAGES)}) >= i for i, s in enumerate(funnel.STAGES)}
    probs = {s: ((d.status == "won") & r).sum() / r.sum() for s, r in reached.items()}
    return funnel.pipeline_forecast(d, probs)


pipeline = NumberExercise(
    "04.10", "What is the open pipeline worth?",
    "Sales reports the open pipeline at its full value. A weighted forecast counts each open deal at its chance "
    "of being won: **P(won | reached its stage)**, learned from the *closed* deals (won or lost) — of the closed "
    "deals that reached `trial`, the share that was won, and so on. **What new MRR (CNY per month) should you "
    "expect from today's open deals?** Σ `mrr_cny` × P(won | stage) over deals with status `open`.",
    answer=forecast, rel_tol=0.005, unit="CNY", decimals=0,
    slips=[Slip(_unweighted, "That is the open pipeline at full value: it assumes every open deal is won."),
           Slip(_next_step_weighted, "You weighted by the chance to reach the *next* stage; the forecast needs the "
                                     "chance to be *won*.", rel_tol=0.002),
           Slip(_all_deals_probability, "You learned the probabilities from every deal, open ones included: an open "
                                        "deal has not been won *yet*, which is not a loss. Use closed deals only.",
                rel_tol=0.002)],
    hints=["For each stage: closed deals that reached it (stage at that point or later), and how many of those "
           "were won.",
           "`funnel.win_probability(deals)` gives P(won | stage); map it onto the open deals' stage and multiply "
           "by mrr_cny.",
           "`funnel.forecast_by_stage(deals)` shows the sum stage by stage."],
    solution="Learn P(won | stage) from closed deals, weight each open deal by its stage's probability, sum.",
    solution_code=('deals = data.load("deals")\n'
                   'funnel.pipeline_forecast(deals)   # = (open.mrr_cny * open.stage.map(funnel.win_probability(deals))).sum()'),
    minutes=8,
    wrong_examples=[WrongExample(_unweighted, "full value"), WrongExample(_all_deals_probability, "closed deals only")],
)

# -- 04.11 who the team works for (各司其职, the balance of demands) ---------------------

def feature_share():
    return workload.work_share(_t("work_items"))


def _feature_share_by_tickets():
    f = _t("work_items")
    return f[f.kind == "feature"].requested_by.value_counts(normalize=True)


def _share_of_all_work():
    return workload.work_share(_t("work_items"), kind=None)


def _mean_of_sprint_shares():
    f = _t("work_items")
    f = f[f.kind == "feature"]
    per_sprint = f.groupby(["sprint_id", "requested_by"]).points.sum().unstack(fill_value=0)
    return per_sprint.div(per_sprint.sum(axis=1), axis=0).mean()


demand_share = DataExercise(
    "04.11", "Who does the team work for?",
    "The article's build phase: give every team its job (各司其职) and balance the demands on it. `work_items` lists "
    "every item the R&D team delivered in the last 13 sprints (SP40–SP52): its `kind` (`feature`, `platform`, "
    "`unplanned`), who asked for it (`requested_by`), the `team` that built it and its story `points`. "
    "**Compute `feature_share`: the share of the feature points delivered for each requester, pooled over the 13 "
    "sprints, as fractions** (a Series indexed by requested_by). Then compare it with who the customers are.",
    expected=feature_share, answer_name="feature_share", rel_tol=1e-6,
    slips=[Slip(_feature_share_by_tickets, "You counted tickets. A sales request is several times the points of an "
                                           "operations one, so a ticket count flatters the requesters of small "
                                           "items: weigh the work by its points."),
           Slip(_share_of_all_work, "You divided by every point delivered, platform and unplanned work included, so "
                                    "engineering and incident appear as requesters. The balance of demands is about "
                                    "the feature work: keep kind == \"feature\"."),
           Slip(_mean_of_sprint_shares, "You averaged the 13 sprints' shares, which gives a small sprint the weight of "
                                        "a large one. Pool: sum the points per requester over all sprints, then "
                                        "divide by the total."),
           Slip(lambda: 100 * feature_share(), "Those look like percentages; give fractions (0.25, not 25).")],
    hints=["Keep the feature work: `work_items[work_items.kind == \"feature\"]`.",
           "Sum the points per requester and divide by all feature points: "
           "`f.groupby(\"requested_by\").points.sum() / f.points.sum()`.",
           "`workload.demand_balance(work_items)` puts the share of tickets next to the share of points."],
    solution="Pooled over the 13 sprints, sales' requests — for a handful of chain deals — took over half of the "
             "feature points; operations, who speak for the self-serve shops (about half of MRR, and the accounts "
             "that churn), got about a tenth. By ticket count operations looks well served: its items are small. "
             "各司其职 means an owner for each demand, and the CTO's 最优解 is a standing share for the operations "
             "backlog that the planning meeting defends.",
    correct_message="Yes. Sales' requests took over half of the feature points and operations' about a tenth — though "
                    "by ticket count operations looks well served, because its items are small. The self-serve shops "
                    "operations speaks for bring about half of MRR: that is the imbalance to bring to planning.",
    solution_code=('work_items = data.load("work_items")\n'
                   'f = work_items[work_items.kind == "feature"]\n'
                   'feature_share = f.groupby("requested_by").points.sum() / f.points.sum()'),
    minutes=8,
    wrong_examples=[WrongExample(_feature_share_by_tickets, "counted tickets"),
                    WrongExample(_share_of_all_work, "platform and unplanned"),
                    WrongExample(_mean_of_sprint_shares, "Pool")],
)


# -- 04.12 the hard problem (技术难题攻关): where the redeem endpoint lost its capacity -----------

def capacity():
    return performance.capacity_by_build(_t("perf_runs"))


def _capacity_p99():
    return performance.capacity_by_build(_t("perf_runs"), latency="p99_ms")


def _capacity_p99_without_zeros():
    r = _t("perf_runs")
    return r[r.p99_ms <= 300].groupby("build").target_rps.max()


def _first_failing_load():
    r = _t("perf_runs")
    return r[r.p95_ms > 300].groupby("build").target_rps.min().reindex(list(dict.fromkeys(r.build)))


def _highest_load_tested():
    return _t("perf_runs").groupby("build").target_rps.max()


def _mean_p95():
    return _t("perf_runs").groupby("build").p95_ms.mean()


P99_SLIP = "You judged by p99. The launch criterion is the p95 (1 request in 20 slower): use p95_ms."

capacity_ex = DataExercise(
    "04.12", "The hard problem: where did redeem lose its capacity?",
    "The R&D manager's job includes the hard technical problems (技术难题攻关). 04.3's load test found "
    "/member/points/redeem too slow at the target load; before anyone adds servers, find where the speed was "
    "lost. `perf_runs` holds the load test of that endpoint on every release candidate, rc1 to rc6 (rc6 is the "
    "build 04.3 tested), with each build's change and its database queries per request. **Compute "
    "`capacity_by_build`: for each build, the highest tested load (`target_rps`) at which p95 ≤ 300 ms** "
    "(a Series indexed by build; 0 for a build that meets it at no load).",
    expected=capacity, answer_name="capacity_by_build", rel_tol=1e-9,
    slips=[Slip(_capacity_p99, P99_SLIP), Slip(_capacity_p99_without_zeros, P99_SLIP),
           Slip(_first_failing_load, "That is the first load that *misses* 300 ms. Capacity is the highest load "
                                     "that still meets it: the step before."),
           Slip(_highest_load_tested, "That is the highest load tested, the same for every build. Keep only the "
                                      "steps with p95 ≤ 300 ms first, then take the highest."),
           Slip(_mean_p95, "That is the mean p95 over the load steps, in ms. Capacity is a load (requests per "
                           "second): the highest step whose p95 meets 300 ms.")],
    hints=["Keep the rows that meet the target: `perf_runs[perf_runs.p95_ms <= 300]`.",
           "Then the highest `target_rps` per build: `.groupby(\"build\").target_rps.max()`.",
           "`performance.build_summary(perf_runs)` lines up each build's change, queries and capacity."],
    solution="rc1–rc3 carry 1,600 rps within 300 ms. rc4 — one points-ledger row per earned batch, and the queries "
             "per redeem call jump from 5 to 23 — cuts it below the 1,200 rps target, and rc5's index does not win it "
             "back. So the problem to attack is rc4's ledger design (read the balance from one row, or batch the "
             "writes), not the number of servers; then re-run the load test. rc6's retries on timeout are where "
             "BUG-031 came from.",
    correct_message="Yes. Capacity holds at 1,600 rps up to rc3 and falls below the 1,200 target with rc4 — the build "
                    "whose ledger writes took the queries per call from 5 to 23 — and no later build wins it back. "
                    "That is the problem to attack (攻关): the query pattern, not the servers.",
    solution_code=('perf_runs = data.load("perf_runs")\n'
                   'ok = perf_runs[perf_runs.p95_ms <= 300]\n'
                   'capacity_by_build = ok.groupby("build").target_rps.max()'),
    minutes=8,
    wrong_examples=[WrongExample(_first_failing_load, "the step before"),
                    WrongExample(_highest_load_tested, "highest load tested"),
                    WrongExample(_capacity_p99_without_zeros, "p95")],
)


# -- 04.13 the launch checklist: every gate, every owner ------------------------------------

def open_gate_ids():
    return list(launch.open_gates(_t("launch_checklist")).item_id)


def _everything_not_done():
    c = _t("launch_checklist")
    return list(c.loc[c.status != "done", "item_id"])


def _gates_not_started():
    c = _t("launch_checklist")
    return list(c.loc[(c.gate == "yes") & (c.status == "not_started"), "item_id"])


def _readiness_gates_only():
    return [i for i in open_gate_ids() if i in {"LC01", "LC02", "LC03"}]


checklist_ex = DataExercise(
    "04.13", "The whole launch checklist, not just the tests",
    "04.3 judged three technical criteria. A launch is more: `launch_checklist` is the Membership 2.0 checklist at "
    "the launch review (30 June), each item with one `owner`, a `gate` flag (`yes`: the launch waits for it) and "
    "a `status` (`done`, `in_progress`, `not_started`) — ceremony included, because the article wants a launch "
    "with some ceremony (仪式感). **Compute `open_gates`: the `item_id` of every gate that is not done** (a "
    "list, a Series or the rows themselves).",
    expected=open_gate_ids, answer_name="open_gates", id_column="item_id",
    slips=[Slip(_everything_not_done, "You listed every item not done, gates or not. The help articles, the "
                                      "ceremony and the follow-up dashboard matter, but the launch does not wait "
                                      "for them: keep gate == \"yes\"."),
           Slip(_gates_not_started, "In progress is not done: a gate half finished still holds the launch. Keep "
                                    "every gate whose status is not \"done\"."),
           Slip(_readiness_gates_only, "Those are 04.3's two technical blockers. The checklist has more gates than "
                                       "the tests: read the other areas too.")],
    hints=["Two conditions: `gate == \"yes\"` and `status != \"done\"`.",
           "`launch_checklist[(launch_checklist.gate == \"yes\") & (launch_checklist.status != \"done\")].item_id`",
           "`launch.decision(launch_checklist)` also groups the open gates by owner."],
    solution="Four gates are open: LC01 and LC02 (04.3's latency and bug blockers), LC04 — the rollback was never "
             "rehearsed — and LC07, support still being trained. The SRE lead and the head of support each own "
             "one, so the new date depends on them as much as on the fixes. The ceremony items are ready or "
             "optional and none is a gate: celebrate together, but the rollout does not wait for the party, and "
             "the party does not hurry the rollout.",
    correct_message="Yes. Besides 04.3's two blockers (LC01, LC02), the rollback has never been rehearsed (LC04) and "
                    "support is still being trained (LC07). Each has one owner, which is who the new date depends on.",
    solution_code=('launch_checklist = data.load("launch_checklist")\n'
                   'is_open = (launch_checklist.gate == "yes") & (launch_checklist.status != "done")\n'
                   'open_gates = launch_checklist.loc[is_open, "item_id"]'),
    minutes=5,
    wrong_examples=[WrongExample(_everything_not_done, "gate =="),
                    WrongExample(_gates_not_started, "In progress is not done"),
                    WrongExample(_readiness_gates_only, "04.3's two technical blockers")],
)


# -- 04.14 stickiness per module (粘性) --------------------------------------------------

STICKINESS_COLUMNS = ["month", "module", "dau_mau"]


def _module_usage():
    return _t("module_usage_daily"), _t("module_usage_monthly")


def module_stickiness():
    return engagement.module_stickiness(*_module_usage(), "smb")[STICKINESS_COLUMNS]


def _summed_dau():
    daily, monthly = _module_usage()
    out = engagement.module_stickiness(daily, monthly, "smb")
    days = pd.to_datetime(out.month).dt.days_in_month
    return out.assign(dau_mau=out.dau * days / out.mau)[STICKINESS_COLUMNS]


def _over_segment_mau():
    out = engagement.module_stickiness(*_module_usage(), "smb")
    seg = _t("usage_monthly")
    seg = seg[seg.segment == "smb"]
    seg = seg.set_index(seg.month.dt.to_period("M").astype(str)).monthly_active_users
    return out.assign(dau_mau=out.dau / out.month.map(seg))[STICKINESS_COLUMNS]


def _both_segments():
    daily, monthly = _module_usage()
    per_day = daily.groupby(["date", "module"], as_index=False).daily_active_users.sum()
    per_month = monthly.groupby(["month", "module"], as_index=False).monthly_active_users.sum()
    return engagement.stickiness_by(per_day, per_month, "module")[STICKINESS_COLUMNS]


def _inverted():
    out = engagement.module_stickiness(*_module_usage(), "smb")
    return out.assign(dau_mau=out.mau / out.dau)[STICKINESS_COLUMNS]


def _stickiness_percent():
    out = module_stickiness()
    return out.assign(dau_mau=100 * out.dau_mau)


stickiness_ex = DataExercise(
    "04.14", "Stickiness per module, after group-buy (粘性)",
    "In April 2026 operations celebrated: the small shops' monthly users of the marketing module (coupons and "
    "group-buy) more than doubled after group-buy launched on 6 April. The article asks the CTO to work with "
    "operations on stickiness (粘性). `module_usage_daily` has each back-office module's daily active users per "
    "segment, `module_usage_monthly` its monthly active users. **Compute `module_stickiness`: DAU/MAU for the "
    "small shops (`segment == \"smb\"`) per month and module — a DataFrame with columns `month` (\"YYYY-MM\"), "
    "`module` and `dau_mau`**, where DAU/MAU = the mean of the month's daily active users ÷ that month's monthly "
    "active users, as a fraction.",
    expected=module_stickiness, answer_name="module_stickiness", key=["month", "module"],
    columns=STICKINESS_COLUMNS, rel_tol=1e-6,
    slips=[Slip(_summed_dau, "You summed the daily active users over the month. DAU/MAU uses their mean: the "
                             "average day's users ÷ the month's users."),
           Slip(_over_segment_mau, "You divided by all the small shops' monthly users (usage_monthly). A module's "
                                   "stickiness is over its own monthly users: how often the people who use it come "
                                   "back."),
           Slip(_both_segments, "You pooled chains and small shops. Keep segment == \"smb\": chains' staff use the "
                                "back office every day and would hide what the small shops do."),
           Slip(_inverted, "That is MAU ÷ DAU, upside down: DAU/MAU is at most 1."),
           Slip(_stickiness_percent, "Those look like percentages; give fractions (0.25, not 25).")],
    hints=["Filter both tables to `segment == \"smb\"` and label months: "
           "`pd.to_datetime(daily.date).dt.to_period(\"M\").astype(str)`.",
           "Mean DAU per (month, module) with groupby, then divide by MAU indexed the same way; `.reset_index(name="
           "\"dau_mau\")` makes the columns.",
           "`engagement.module_stickiness(daily, monthly, \"smb\")` computes it; `engagement.stickiness_table(...)` "
           "reads it as month × module."],
    solution="Marketing's monthly users more than doubled in April, yet its DAU/MAU fell to about half of the first "
             "quarter's: most of the new users opened group-buy once and did not come back (02's adoption data "
             "said as much). The other modules did not move, and orders stays the stickiest. What to bring to "
             "operations: judge the launch by how often its users return, not by how many looked, and work on "
             "the second visit (a campaign template, a reminder when a group-buy fills).",
    correct_message="Yes. Now read the marketing column: in April its monthly users more than doubled and its DAU/MAU "
                    "fell to about half — the new users looked once and left. The other modules held steady; orders "
                    "is the stickiest every month.",
    solution_code=('daily, monthly = data.load("module_usage_daily"), data.load("module_usage_monthly")\n'
                   'd, m = daily[daily.segment == "smb"], monthly[monthly.segment == "smb"]\n'
                   'dau = d.groupby([d.date.dt.to_period("M").astype(str).rename("month"), "module"])'
                   '.daily_active_users.mean()\n'
                   'mau = m.set_index([m.month.dt.to_period("M").astype(str), "module"]).monthly_active_users\n'
                   'module_stickiness = (dau / mau).reset_index(name="dau_mau")'),
    minutes=10,
    wrong_examples=[WrongExample(_summed_dau, "mean"), WrongExample(_over_segment_mau, "its own monthly users"),
                    WrongExample(_both_segments, "pooled chains")],
)

MODULE = Module(
    number="04", slug="build-launch-operate", title="Build, launch, operate, promote",
    teaching_minutes=35,
    article_passage="Product phases 3–6: 产品研发 (build: balance product and technical demands, take the best "
                    "overall solution, 最优解), 产品上线 (launch with some ceremony, 仪式感), 产品运营 (operate: "
                    "粘性, 活跃度, 拉新促活, 复购) and 产品推广 (promote: the sales SOP's standard actions, 标准动作).",
    exercises=[band_ex, allocation, blockers, launch_note, retention_ex, change_month, lift, repeat, leak, pipeline,
               demand_share, capacity_ex, checklist_ex, stickiness_ex],
    core=['04.3', '04.6', '04.9'],  # for a room short of time: go / no-go, the onboarding change, and the leaking funnel stage
    discussion=[
        "What share of your team's capacity goes to the platform today, and who decided it? Could you show the "
        "trade-off with your own sprint data?",
        "Which of your launch criteria were written down before the launch, and which were argued on the day?",
        "What is your product's 'activation' — the moment a new customer gets value — and how many days does it take?",
        "Which standard action would you add to your own sales or onboarding process tomorrow, and how would you "
        "know in a month whether it worked?",
    ],
)
