"""Module 02 — The manager who delivers and questions requirements.

Builds on the article's second stage (研发经理 / 研发总监): deliver (plans, progress) and ask
of every requirement what its process is, whether it is reasonable or a pseudo-requirement
(伪需求), what it will spawn, how it will be operated and what data R&D can give product
and operations. Reference answers come from ``ctopath.models.schedule`` and
``ctopath.models.requirements`` on the data, computed when first needed.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np
import pandas as pd

from ... import data
from ...engine.exercise import (ChoiceExercise, DataExercise, MultiExercise, NumberExercise, Option,
                        RankingExercise, Slip, WrongExample)
from ...engine.i18n import Msg
from ...models import requirements, schedule
from .. import Module

PROJECT_START = "2026-07-06"      # Monday
SPONSOR_DATE = "2026-08-28"       # Friday: the sponsor's date
RUNS, SEED = 2000, 2026
GROUP_BUY_LAUNCH = "2026-04-06"   # Monday, ISO week 15
LAST_FULL_WEEK_END = "2026-06-29"  # the Monday after ISO week 26
RANKED = ("R01", "R02", "R03", "R04", "R05", "R06")


def _t(name):
    return data.load(name)


def _smb():
    m = _t("merchants")
    return list(m.loc[m.segment == "smb", "merchant_id"])


# -- 02.1 the critical path ----------------------------------------------------

def critical_tasks() -> list[str]:
    return schedule.critical_path(_t("project_tasks"))


def _all_tasks() -> list[str]:
    return list(_t("project_tasks").task_id)


def _critical_plus_low_slack() -> list[str]:
    cpm = schedule.critical_path_table(_t("project_tasks"))
    return list(cpm.loc[cpm.slack <= 5, "task_id"])


def _non_critical() -> list[str]:
    cpm = schedule.critical_path_table(_t("project_tasks"))
    return list(cpm.loc[~cpm.critical, "task_id"])


def _first_dependency_only() -> list[str]:
    tasks = _t("project_tasks")
    first = tasks.depends_on.str.split(";").str[0]
    return schedule.critical_path(tasks.assign(depends_on=first))


def _slack_notes() -> dict[str, str]:
    cpm = schedule.critical_path_table(_t("project_tasks"))
    return {t: (Msg("no slack: a day late moves the finish") if s == 0
                else Msg("{s:g} days of slack: it can slip that much", s=s))
            for t, s in zip(cpm.task_id, cpm.slack)}


crit = DataExercise(
    "02.1", "Which tasks set the finish date?",
    "The next project, *Points at checkout*, is in `project_tasks`: each task's `likely_days` (working days) "
    "and the tasks it waits for (`depends_on`, ids separated by `;`). A task starts when everything it depends "
    "on is finished. **Compute `critical_tasks`: the ids of the tasks on the critical path** — those that "
    "cannot slip by a single day without moving the project's finish. A list, a Series or a DataFrame with a "
    "`task_id` column all work.",
    expected=critical_tasks, answer_name="critical_tasks", id_column="task_id",
    slips=[Slip(_all_tasks, "That is every task. Tasks that run in parallel with longer ones have slack: "
                            "they can slip without moving the finish, so they are not critical."),
           Slip(_critical_plus_low_slack, "Close: you included T07, the admin screens. It has 5 days of slack, "
                                          "so it is not critical — though it is the first to watch if it slips."),
           Slip(_non_critical, "Those are the tasks *with* slack, the ones that can slip without moving the finish: "
                               "the opposite set. The critical path is the tasks with zero slack."),
           Slip(_first_dependency_only, "You read only the first id of `depends_on`. T09 and T11 wait for several "
                                        "tasks (ids separated by `;`): split on `;` and take the latest finish of "
                                        "all of them.")],
    id_notes=_slack_notes,
    hints=["Work forwards: a task's earliest start is the latest earliest-finish of the tasks it depends on.",
           "Then backwards from the finish: a task's latest finish is the earliest latest-start of the tasks "
           "that wait for it. Slack = latest start − earliest start.",
           "`schedule.critical_path_table(tasks)` does both passes; keep the rows where `critical` is True."],
    solution="The zero-slack chain: requirements → points ledger → rules service → checkout API → POS client "
             "→ integration tests → pilot. The mini-program screens, admin screens, finance report and load "
             "test all run beside it with slack.",
    solution_code=('from ctopath.models import schedule\n'
                   'tasks = data.load("project_tasks")\n'
                   'cpm = schedule.critical_path_table(tasks)\n'
                   'critical_tasks = cpm.loc[cpm.critical, "task_id"]'),
    minutes=8,
    wrong_examples=[WrongExample(_all_tasks, "every task"),
                    WrongExample(_critical_plus_low_slack, "T07")],
)


# -- 02.2 P85 --------------------------------------------------------------------

def _sims():
    return schedule.simulate_durations(_t("project_tasks"), runs=RUNS, seed=SEED)


def p85_unrounded() -> float:
    return float(schedule.percentile(_sims(), 85))


def p85_days() -> float:
    return float(math.ceil(p85_unrounded()))


def _p85_rounded_down() -> float:
    return float(math.floor(p85_unrounded()))


def _sponsor_days() -> float:
    return float(np.busday_count(PROJECT_START, np.datetime64(SPONSOR_DATE) + 1))


def _p50() -> float:
    return schedule.percentile(_sims(), 50)


def _plan_days() -> float:
    return schedule.project_duration(_t("project_tasks"))


def _sum_of_tasks() -> float:
    return float(_t("project_tasks").likely_days.sum())


p85 = NumberExercise(
    "02.2", "A date you can promise",
    "Each task also has an optimistic and a pessimistic estimate. Simulate the project 2,000 times with "
    "`schedule.simulate_durations(tasks, runs=2000, seed=2026)` (each run draws every task from its "
    "triangular optimistic / likely / pessimistic distribution and finds the finish). **How many working days "
    "must you plan for to be 85 % sure of finishing — the P85 — rounded up to whole days?**",
    answer=p85_days, abs_tol=1e-6, rel_tol=0.0, decimals=0, unit="working days",
    slips=[Slip(_p50, "That is the middle of the runs (the P50, or the mean): half of the projects finish later. "
                      "Promise it and you are late one time in two.", rel_tol=0.025),
           Slip(_plan_days, "That is the single-number plan with every likely estimate. Almost no simulated run "
                            "finishes that early: small delays on the critical path add up, and early finishes "
                            "elsewhere do not help."),
           Slip(_sponsor_days, "That is the sponsor's deadline, not what the simulation says."),
           Slip(_sum_of_tasks, "That adds every task one after another, as if nothing ran in parallel."),
           Slip(p85_unrounded, "That is the P85 itself, not yet rounded up. A project that needs part of a day more "
                               "occupies that whole day: promise the next whole number (`math.ceil`).", rel_tol=0.002),
           Slip(_p85_rounded_down, "You rounded down (or to the nearest day). Then fewer than 85 % of the runs finish "
                                   "in time: round *up* with `math.ceil`.")],
    hints=["`d = schedule.simulate_durations(tasks, runs=2000, seed=2026)` gives one project duration per run.",
           "The P85 is the duration 85 % of runs finish within: `np.percentile(d, 85)` or `schedule.percentile(d, 85)`.",
           "Round up: a project that needs 44.2 days occupies a 45th day."],
    solution="The P85 of the simulated durations, rounded up. Compare it with the plan (36 days) and the sponsor's "
             "40: the plan's date is the optimistic tail of the distribution, not its middle.",
    solution_code=('from ctopath.models import schedule\n'
                   'import math\n'
                   'd = schedule.simulate_durations(data.load("project_tasks"), runs=2000, seed=2026)\n'
                   'math.ceil(schedule.percentile(d, 85))'),
    minutes=8,
    wrong_examples=[WrongExample(_p50, "P50"), WrongExample(_plan_days, "single-number plan")],
)


# -- 02.3 who comes back to a feature -------------------------------------------

def returning():
    return requirements.returning_merchants(_t("feature_events"))


def _returning_by_opened():
    ev = _t("feature_events")
    opened = ev[ev.event == "opened"].assign(week=ev.event_time.dt.to_period("W"))
    out = opened.groupby(["feature", "merchant_id"]).week.nunique().ge(3).groupby("feature").sum()
    return out.reindex(list(requirements.CORE_EVENTS))


def _used_once():
    return requirements.feature_usage(_t("feature_events"))["merchants_used"]


def _core_action_counts():
    return requirements.feature_usage(_t("feature_events"))["core_actions"]


back = DataExercise(
    "02.3", "Who comes back to a feature?",
    "`feature_events` logs four shipped features. Each has a **core action**, the event that means the feature "
    "did its job (`requirements.CORE_EVENTS`): `sales_export` → `export_downloaded`, `coupon_builder` → "
    "`coupon_published`, `custom_reports` → `report_saved`, `group_buy` → `campaign_created`. Opening a page is "
    "not using it. **Compute `returning`: for each feature, the number of merchants who did its core action in "
    "at least 3 different weeks** (a Series indexed by feature).",
    expected=returning, answer_name="returning",
    slips=[Slip(_returning_by_opened, "You counted `opened` events. Opening a page is curiosity; use each feature's "
                                      "core action."),
           Slip(_used_once, "That counts merchants who used each feature at least once. Returning means the core "
                            "action in 3 or more different weeks."),
           Slip(_core_action_counts, "Those are numbers of core actions (events), not of merchants.")],
    hints=["Keep only core actions: `events[events.event == events.feature.map(requirements.CORE_EVENTS)]`.",
           "Give each event its week (`event_time.dt.to_period(\"W\")`), count distinct weeks per feature and merchant.",
           "`.groupby([\"feature\", \"merchant_id\"]).week.nunique().ge(3).groupby(\"feature\").sum()`"],
    solution="Filter to core actions, count distinct weeks per (feature, merchant), keep merchants with 3 or more, "
             "count them per feature. `custom_reports` stands out: 14 merchants were given it, one came back.",
    solution_code=('from ctopath.models import requirements\n'
                   'events = data.load("feature_events")\n'
                   'core = events[events.event == events.feature.map(requirements.CORE_EVENTS)]\n'
                   'core = core.assign(week=core.event_time.dt.to_period("W"))\n'
                   'weeks = core.groupby(["feature", "merchant_id"]).week.nunique()\n'
                   'returning = weeks.ge(3).groupby("feature").sum()'),
    minutes=8,
    wrong_examples=[WrongExample(_returning_by_opened, "opened"),
                    WrongExample(_used_once, "at least once")],
)


# -- 02.4 the pseudo-requirement ---------------------------------------------------

pseudo = ChoiceExercise(
    "02.4", "Spot the pseudo-requirement (伪需求)",
    "`feature_requests` is the backlog; three requests have a similar shipped feature (`similar_feature`), "
    "whose usage you measured in 02.3 (`requirements.request_evidence(requests, events)` puts them side by "
    "side). **Which request is a pseudo-requirement — loudly asked for, but the usage data says almost nobody "
    "would use it?**",
    options=[
        Option("R01", "R01 · Report designer (drag and drop)", True,
               "Yes. It is the loudest request — asked 23 times, the most revenue at stake — yet its beta "
               "(`custom_reports`) was opened by all 14 merchants who asked, used by 4 and kept by 1. The same "
               "merchants export the fixed sales report every week: what they need is the report in Excel (R02), "
               "not a designer. Go back to them with the data and ask what they would do with a custom report."),
        Option("R02", "R02 · Scheduled Excel export by store", False,
               "The opposite: the similar feature (`sales_export`) is used week after week by almost every "
               "merchant who has tried it. This request is quieter than R01 but backed by behaviour."),
        Option("R03", "R03 · Coupon templates per store", False,
               "The coupon builder is used again and again by the merchants who run campaigns — most come back "
               "week after week. Fewer people asked, but the usage is real."),
        Option("R07", "R07 · Dark mode", False,
               "Small impact, and no usage evidence either way — a low priority, not a pseudo-requirement. "
               "A pseudo-requirement is one whose stated need the data contradicts."),
    ],
    hints=["Compare how often each request was asked (`times_asked`) with how its similar feature is used.",
           "Look at `merchants_returning` ÷ `merchants_opened` for each similar feature."],
    solution="**R01.** Asked for most, used least: 14 merchants opened the beta, 1 kept using it. The need behind "
             "it is the weekly export (R02).",
    minutes=5,
    wrong_examples=[WrongExample("R02", "backed by behaviour"), WrongExample("R07", "not a pseudo-requirement")],
)


# -- 02.5 RICE ranking -------------------------------------------------------------

def _backlog():
    return _t("feature_requests")


def rice_order() -> list[str]:
    ranked = requirements.rice(_backlog())
    return [r for r in ranked.request_id if r in RANKED]


def _loudest_first() -> list[str]:
    b = _backlog()
    b = b[b.request_id.isin(RANKED)].sort_values("times_asked", ascending=False, kind="stable")
    return list(b.request_id)


def _richest_first() -> list[str]:
    b = _backlog()
    b = b[b.request_id.isin(RANKED)].sort_values("revenue_at_stake_cny", ascending=False, kind="stable")
    return list(b.request_id)


def _ranked_by(score) -> Callable[[], list[str]]:
    def value():
        b = _backlog()
        b = b[b.request_id.isin(RANKED)]
        return list(b.assign(value=score(b)).sort_values("value", ascending=False, kind="stable").request_id)
    return value


def rice_scores() -> dict[str, float]:
    ranked = requirements.rice(_backlog())
    return dict(zip(ranked.request_id, ranked.rice_score))


_RICE_ITEMS = {
    "R01": "R01 · Report designer (drag and drop)",
    "R02": "R02 · Scheduled Excel export by store",
    "R03": "R03 · Coupon templates per store",
    "R04": "R04 · Replay failed payment callbacks",
    "R05": "R05 · Multi-store inventory sync",
    "R06": "R06 · WeCom customer-service integration",
}

rice_rank = RankingExercise(
    "02.5", "Rank the backlog by RICE",
    "RICE (Intercom's prioritisation score) = **Reach × Impact × Confidence ÷ Effort**: reach in merchants per "
    "quarter (`reach_per_quarter`), impact on Intercom's scale (3 massive … 0.25 minimal), confidence as a "
    "fraction (`confidence`), effort in person-months (`effort_person_months`). **Rank requests R01–R06 by "
    "their RICE score as product entered it, highest first.**",
    items=_RICE_ITEMS, order=rice_order, partial_at=0.8, scores=rice_scores, score_name="RICE score",
    slips=[Slip(_loudest_first, "That is the order of loudness (`times_asked`), not RICE: how often a request is "
                                "asked is not in the formula, and 02.4 showed the loudest can be a pseudo-requirement."),
           Slip(_richest_first, "That is the order of revenue at stake, not RICE: the formula counts reach, impact "
                                "and confidence, divided by effort."),
           Slip(_ranked_by(lambda b: b.reach_per_quarter * b.impact * b.confidence),
                "You left out the division by effort: Reach × Impact × Confidence ÷ Effort. R02 costs a fraction "
                "of R01's person-months."),
           Slip(_ranked_by(lambda b: b.reach_per_quarter),
                "That is the order of reach alone. RICE multiplies reach by impact and confidence and divides by "
                "effort."),
           Slip(_ranked_by(lambda b: b.reach_per_quarter * b.impact * b.confidence * b.effort_person_months),
                "You multiplied by effort instead of dividing: the bigger the job, the lower its RICE score.")],
    explanation="R02 scores highest (cheap and wide), then R01 — on the numbers as entered. 02.6 asks whether "
                "you should trust that second place.",
    hints=["Compute the score for each row: `reach_per_quarter * impact * confidence / effort_person_months`.",
           "`requirements.rice(data.load(\"feature_requests\"))` adds `rice_score` and sorts; keep R01–R06."],
    solution="Score each request, sort descending: R02, R01, R03, R04, R06, R05 (scores 30, 21.3, 14.4, 11, 6.25, 2).",
    solution_code=('from ctopath.models import requirements\n'
                   'ranked = requirements.rice(data.load("feature_requests"))\n'
                   '[r for r in ranked.request_id if r in ("R01", "R02", "R03", "R04", "R05", "R06")]'),
    minutes=7,
    wrong_examples=[WrongExample(_loudest_first, "order of loudness"),
                    WrongExample(lambda: list(reversed(rice_order())), "position 1")],
)


# -- 02.6 where RICE misleads ---------------------------------------------------------

misleads = MultiExercise(
    "02.6", "Where RICE misleads",
    "RICE put R01 second and R04 (replaying failed payment callbacks) in the middle. **Tick every statement "
    "that is a real limit of RICE on this backlog.**",
    options=[
        Option("confidence", "R01's confidence came from how often it was asked, not from evidence; the beta's "
                             "usage says it should be far lower", True,
               "Yes: with confidence 0.2 instead of 0.8, R01 drops from 21 to about 5. RICE is only as honest as "
               "its inputs, and loudness is not evidence."),
        Option("risk", "R04 is a must-do: a rare failure that takes merchants' money is not captured by reach × "
                       "impact per quarter", True,
               "Yes: the April outage shorted 11 merchants' settlements. Risk, compliance and trust items need "
               "their own lane, not a RICE score."),
        Option("deps", "RICE scores items one by one, so it misses that doing one makes another cheap (R08 "
                       "double points is cheap only once the points rules exist)", True,
               "Yes: sequencing and dependencies are outside the formula; plan them separately."),
        Option("effort", "Dividing by effort is a flaw: it always favours small items", False,
               "That is by design: for the same value, the cheaper item should go first. The risk is slicing big "
               "bets into tiny scores — judge strategic bets separately, but keep the division."),
        Option("b2b", "RICE cannot work for B2B because reach should be revenue, not merchants", False,
               "Reach can be counted in any consistent unit (merchants, stores, revenue). Pick one and use it for "
               "every item."),
    ],
    hints=["Three statements are right.",
           "Ask of each: is it a flaw of the inputs, of what the formula leaves out, or not a flaw at all?"],
    solution="Inflated confidence (R01), risk items that reach × impact cannot see (R04), and dependencies between "
             "items (R08 after the points rules). Dividing by effort and counting reach in merchants are fine.",
    minutes=5,
    wrong_examples=[WrongExample(["effort"], "by design"), WrongExample(["confidence", "b2b"], "consistent unit")],
)


# -- 02.7 extensibility --------------------------------------------------------------

extensible = ChoiceExercise(
    "02.7", "Design for what it will spawn",
    "Marketing wants R08, *double points on chosen days*. Its evidence already lists what comes next: points per "
    "product category, points that expire, multipliers for member tiers. The points project (`project_tasks`) is "
    "building the earn and redeem rules service (T03). **Which design keeps the requirements R08 will spawn "
    "cheap?**",
    options=[
        Option("if", "Add `if weekday in promo_days: points *= 2` in the checkout code", False,
               "Cheapest today, dearest tomorrow: every follow-up (categories, expiry, tiers) is another change and "
               "release in checkout — the most critical path of the whole platform."),
        Option("rules", "Earn rules as data: each rule has conditions (days, categories, stores, member tier, "
                        "validity dates) and an effect (multiplier or bonus), evaluated by the rules service "
                        "when an order is paid", True,
               "Yes: R08 becomes one rule; categories and tiers are new condition types, and expiry a property "
               "of points — checkout is not touched. You design for the requirements you can already see, no further."),
        Option("dsl", "A scripting language so merchants can write any points logic themselves", False,
               "Too general: sandboxing, debugging and supporting merchant scripts costs far more than the "
               "three follow-ups you can already name. Extensible where change is likely, not everywhere."),
        Option("fork", "A copy of the points service for each chain that asks", False,
               "Every fix and every new rule then has to be made once per chain; the cost grows with each "
               "customer, which is the opposite of extensible."),
    ],
    hints=["List the follow-ups marketing already named. For each design, what does each follow-up cost?",
           "Prefer the design where a new requirement is new data or a small new type, not a change to checkout."],
    solution="**Earn rules as data in the rules service.** The article's manager asks what a requirement will spawn "
             "and designs so those are cheap — here, new rules and condition types rather than checkout changes.",
    minutes=5,
    wrong_examples=[WrongExample("if", "most critical path"), WrongExample("dsl", "Too general")],
)


# -- 02.8 the tracking plan ---------------------------------------------------------------

tracking = MultiExercise(
    "02.8", "The tracking plan for group-buy",
    "Group-buy (`group_buy`) launched on 6 April for small shops. Product and operations ask: (1) do small shops "
    "adopt it, (2) do they keep using it, (3) does it bring consumers' orders? **Tick every item the tracking "
    "plan should contain to answer those questions.**",
    options=[
        Option("created", "`campaign_created` with merchant_id, time and campaign_id", True,
               "The core action: adoption (who did it at least once) and frequency (how often, week by week)."),
        Option("completed", "`group_completed` with campaign_id and the order ids it produced", True,
               "Links the feature to orders, so question 3 can be answered by joining to the orders table."),
        Option("opened", "`opened` on the group-buy page, with merchant_id and time", True,
               "Useful as the first step of a funnel (opened → created): it shows whether shops find it. It is a "
               "signal of interest, not of adoption — never report it as usage."),
        Option("everything", "Every click and scroll on every page, in case it is useful later", False,
               "A tracking plan starts from questions (goals → signals → metrics). Logging everything costs "
               "money, hides the signal and collects data nobody asked for."),
        Option("phone", "The consumer's phone number and WeChat nickname in every event", False,
               "None of the three questions needs personal data. Collect the minimum (China's Personal "
               "Information Protection Law asks for exactly that); use ids."),
        Option("daily", "A daily count of campaigns computed in the app and sent once a day", False,
               "A pre-aggregated count cannot be re-cut by merchant, week or segment. Send the raw events and "
               "aggregate in the warehouse."),
    ],
    hints=["For each question, name the event whose presence answers it.",
           "Three items are right. Reject what the questions do not need."],
    solution="The core action (`campaign_created`), the outcome linked to orders (`group_completed` with order ids), "
             "and the page view as a funnel step. Not everything, not personal data, not pre-aggregated counts.",
    minutes=5,
    wrong_examples=[WrongExample(["created", "everything"], "starts from questions"),
                    WrongExample(["created", "completed", "phone"], "personal data")],
)


# -- 02.9 adoption -------------------------------------------------------------------------

def adoption_pct() -> float:
    return 100 * requirements.adoption(_t("feature_events"), "group_buy", _smb(), start=GROUP_BUY_LAUNCH)


def _opened_pct() -> float:
    ev = _t("feature_events")
    opened = ev.loc[(ev.feature == "group_buy") & (ev.event == "opened"), "merchant_id"].nunique()
    return 100 * opened / len(_smb())


def _all_merchants_pct() -> float:
    users = len(requirements.adopters(_t("feature_events"), "group_buy", start=GROUP_BUY_LAUNCH))
    return 100 * users / len(_t("merchants"))


def _adopters() -> set:
    return set(requirements.adopters(_t("feature_events"), "group_buy", start=GROUP_BUY_LAUNCH)) & set(_smb())


def _adopters_of_openers_pct() -> float:
    ev = _t("feature_events")
    opened = set(ev.loc[(ev.feature == "group_buy") & (ev.event == "opened"), "merchant_id"]) & set(_smb())
    return 100 * len(_adopters() & opened) / len(opened)


adoption = NumberExercise(
    "02.9", "Did small shops adopt group-buy?",
    "Group-buy is offered to small shops only (`segment == \"smb\"` in `merchants`). Adoption = eligible "
    "merchants who did the core action (`campaign_created`) at least once since launch ÷ eligible merchants. "
    "**What is group-buy's adoption among small shops, in percent?** One decimal is enough.",
    answer=adoption_pct, percent=True, rel_tol=0.005, decimals=1,
    slips=[Slip(_opened_pct, "That counts shops that *opened* group-buy. Most looked after the launch message; far "
                             "fewer created a campaign. Opening is interest, not adoption.", rel_tol=0.01),
           Slip(_all_merchants_pct, "You divided by all 40 merchants. Chains cannot use group-buy, so they are not "
                                    "in the denominator.", rel_tol=0.01),
           Slip(_adopters_of_openers_pct, "You divided by the shops that opened group-buy: that is the funnel step "
                                          "opened → created. Adoption divides by every eligible shop, whether or not "
                                          "it looked.", rel_tol=0.005),
           Slip(lambda: float(len(_adopters())), "That is the number of small shops that adopted it. The question asks "
                                                 "for a share: divide by the number of small shops, × 100.")],
    hints=["Numerator: distinct merchant_id with `feature == \"group_buy\"` and `event == \"campaign_created\"`.",
           "Denominator: the number of smb merchants. Multiply by 100."],
    solution="Small shops that created at least one group-buy campaign ÷ all small shops × 100: about a third. "
             "Ninety per cent opened it — the launch got attention, not adoption.",
    solution_code=('events, merchants = data.load("feature_events"), data.load("merchants")\n'
                   'smb = merchants.loc[merchants.segment == "smb", "merchant_id"]\n'
                   'used = events[(events.feature == "group_buy") & (events.event == "campaign_created")]\n'
                   '100 * used.merchant_id[used.merchant_id.isin(smb)].nunique() / len(smb)'),
    minutes=6,
    wrong_examples=[WrongExample(_opened_pct, "opened"), WrongExample(_all_merchants_pct, "all 40 merchants")],
)


# -- 02.10 the weekly usage table ------------------------------------------------------------

def weekly():
    return requirements.weekly_usage(_t("feature_events"), _t("orders"), "group_buy", _smb(),
                                     GROUP_BUY_LAUNCH, LAST_FULL_WEEK_END)


def _weekly_rows_not_merchants():
    w = weekly()
    return w.assign(merchants_using=w["actions"])


def _weekly_opened():
    ev = _t("feature_events")
    o = ev[(ev.feature == "group_buy") & (ev.event == "opened") & (ev.event_time >= GROUP_BUY_LAUNCH)
           & (ev.event_time < LAST_FULL_WEEK_END)]
    o = o.assign(week=o.event_time.dt.isocalendar().week.astype("int64"))
    return o.groupby("week").agg(merchants_using=("merchant_id", "nunique"), actions=("event", "size")).reset_index()


def _weekly_to_the_end():
    ev = _t("feature_events")
    end = (ev.event_time.max().normalize() + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    return requirements.weekly_usage(ev, _t("orders"), "group_buy", _smb(), GROUP_BUY_LAUNCH, end)


def _weekly_numbered_from_first_monday():
    w = weekly()
    return w.assign(week=pd.to_datetime(w["week_start"]).dt.strftime("%W").astype("int64"))


weekly_table = DataExercise(
    "02.10", "The weekly usage table",
    "Operations wants one table for the weekly meeting. **Compute `weekly`: one row per ISO week from week 15 "
    "(launch, Monday 6 April) to week 26 (ending Sunday 28 June), with columns `week` (the ISO week number), "
    "`merchants_using` (distinct small shops with at least one `campaign_created` that week) and `actions` "
    "(the number of `campaign_created` events that week).**",
    expected=weekly, answer_name="weekly", columns=["week", "merchants_using", "actions"], key=["week"],
    slips=[Slip(_weekly_rows_not_merchants, "Your merchants_using equals actions: you counted events, not distinct "
                                            "merchants. Use nunique on merchant_id."),
           Slip(_weekly_opened, "You counted `opened` events; the table is about the core action, "
                                "`campaign_created`."),
           Slip(_weekly_to_the_end, "Your table runs into week 27 (29–30 June): a week the data has only two days of. "
                                    "Stop before Monday 2026-06-29, so every row is a full week."),
           Slip(_weekly_numbered_from_first_monday, "Your weeks are numbered one lower than ISO weeks: "
                                                    "`strftime(\"%W\")` counts from the year's first Monday. Use "
                                                    "`event_time.dt.isocalendar().week`.")],
    hints=["Filter to `group_buy` / `campaign_created` between 2026-04-06 and 2026-06-29 (exclusive).",
           "`week = event_time.dt.isocalendar().week`; then `groupby(\"week\")` with `merchant_id` nunique "
           "and a count.",
           "`.agg(merchants_using=(\"merchant_id\", \"nunique\"), actions=(\"event\", \"size\")).reset_index()`"],
    solution="Filter to the core action in the window, group by ISO week, count distinct merchants and events. "
             "`requirements.weekly_usage(...)` adds active merchants, new adopters, frequency and % using — the "
             "table to bring to the meeting.",
    solution_code=('events = data.load("feature_events")\n'
                   'gb = events[(events.feature == "group_buy") & (events.event == "campaign_created")\n'
                   '            & (events.event_time >= "2026-04-06") & (events.event_time < "2026-06-29")]\n'
                   'weekly = (gb.assign(week=gb.event_time.dt.isocalendar().week)\n'
                   '            .groupby("week")\n'
                   '            .agg(merchants_using=("merchant_id", "nunique"), actions=("event", "size"))\n'
                   '            .reset_index())'),
    minutes=10,
    wrong_examples=[WrongExample(_weekly_rows_not_merchants, "distinct"),
                    WrongExample(_weekly_opened, "opened")],
)


MODULE = Module(
    number="02", slug="manager", title="The manager who delivers and questions requirements",
    teaching_minutes=30,
    article_passage="Stage 2, 研发经理 / 研发总监: deliver (plans, hard problems, progress), and ask of every "
                    "requirement — is it reasonable, is it a pseudo-requirement (伪需求), what will it spawn, how "
                    "will it be operated, what data can R&D give product and operations?",
    exercises=[crit, p85, back, pseudo, rice_rank, misleads, extensible, tracking, adoption, weekly_table],
    core=['02.4', '02.5', '02.1'],  # for a room short of time: the pseudo-requirement, RICE, and the critical path
    discussion=[
        "Which date did you last promise: the plan's, the P50 or the P85? What happened?",
        "Think of a request in your backlog that is loud. What usage data would confirm or kill it?",
        "Who in your company would be upset if R01 were dropped, and how would you show them the beta data?",
        "Which table would your operations team ask for every Monday if R&D offered it?",
    ],
)
