"""Module 04 — Build, launch, operate, promote.

Builds on the article's product phases 3–6 (产品研发, 产品上线, 产品运营, 产品推广): balance
technical and product work and take the best overall solution (最优解); launch with a
plan and some ceremony; work on stickiness, activity, acquisition and repeat purchase
(粘性, 活跃度, 拉新促活, 复购); write the sales SOP's standard actions (标准动作). Every
reference answer is computed from the data by ``ctopath.models`` (delivery, cohorts,
funnel), lazily.
"""
from __future__ import annotations

from .. import data
from ..exercise import (ChoiceExercise, DataExercise, MultiExercise, NumberExercise, Option, ReflectionExercise,
                        Slip, WrongExample)
from ..models import cohorts, delivery, funnel
from . import Module

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
                                          "sprints, so compare the mean per sprint.")],
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
    wrong_examples=[WrongExample("No-go.", "A few more sentences"), WrongExample("We launch Thursday, party!", "A few more sentences")],
)


# -- 04.5 – 04.7 retention cohorts ---------------------------------------------------

def m3_retention():
    return cohorts.retention_at(_t("accounts"), _t("subscriptions"), 3, channel=SELF_SERVE)


def _m3_all_accounts():
    return cohorts.retention_at(_t("accounts"), _t("subscriptions"), 3)


def _m2_retention():
    return cohorts.retention_at(_t("accounts"), _t("subscriptions"), 2, channel=SELF_SERVE)


def _m3_counts():
    counts = cohorts.cohort_counts(_t("accounts"), _t("subscriptions"), channel=SELF_SERVE)
    return counts[3].dropna()


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
           Slip(_m3_counts, "Those are numbers of accounts retained; divide by the cohort's size.")],
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


def lift_pp() -> float:
    return cohorts.retention_lift(_t("accounts"), _t("subscriptions"), WIZARD, 3, channel=SELF_SERVE)["lift_pp"]


def _lift_relative() -> float:
    d = cohorts.retention_lift(_t("accounts"), _t("subscriptions"), WIZARD, 3, channel=SELF_SERVE)
    return 100 * (d["after"] / d["before"] - 1)


lift = NumberExercise(
    "04.7", "How big is the lift?",
    "Size the change you found in 04.6. **Pool the cohorts on each side** — accounts retained at month 3 ÷ "
    "accounts, over all self-serve cohorts before September 2025, and over the cohorts from September 2025 to "
    "March 2026 — and give **after − before in percentage points** (18.0 means 18.0 points).",
    answer=lift_pp, rel_tol=0.01, unit="percentage points", decimals=1,
    slips=[Slip(_lift_relative, "That is the relative lift (after ÷ before − 1). The question asks for the "
                                "difference in percentage points.", rel_tol=0.01),
           Slip(lambda: lift_pp() / 100, "That looks like a fraction; give percentage points (12.5 means 12.5 "
                                                  "points, not 0.125).")],
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
                                      "came back.", rel_tol=0.01)],
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

MODULE = Module(
    number="04", slug="build-launch-operate", title="Build, launch, operate, promote",
    teaching_minutes=35,
    article_passage="Product phases 3–6: 产品研发 (build: balance product and technical demands, take the best "
                    "overall solution, 最优解), 产品上线 (launch with some ceremony, 仪式感), 产品运营 (operate: "
                    "粘性, 活跃度, 拉新促活, 复购) and 产品推广 (promote: the sales SOP's standard actions, 标准动作).",
    exercises=[band_ex, allocation, blockers, launch_note, retention_ex, change_month, lift, repeat, leak, pipeline],
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
