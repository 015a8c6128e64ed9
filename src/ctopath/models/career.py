"""The career map of the article and the self-assessment that suggests a route.

The article (《CTO 如何帮助业务?》 by yclxiao / 半支烟, CC BY-SA 4.0,
https://ld246.com/article/1678858919869) describes three career stages, six
product phases and four CTO duties. The self-assessment maps eight skills onto
the workshop's modules; the route says where to go deep and where to skim.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from ..engine.i18n import Msg

STAGES = [
    ("programmer", "普通程序员 / 技术经理", Msg("Programmer / tech lead"), "Learn the whole business around your code"),
    ("manager", "研发经理 / 研发总监", Msg("R&D manager / director"), "Deliver, and question every requirement"),
    ("cto", "技术总监 / CTO", Msg("CTO"), "Make breakthrough moves with the CEO"),
]

PHASES = [
    ("research", "前期调研", "Early research"),
    ("plan", "商业计划", "Business plan"),
    ("build", "产品研发", "Build"),
    ("launch", "产品上线", "Launch"),
    ("operate", "产品运营", "Operate"),
    ("promote", "产品推广", "Promote"),
]

DUTIES = [
    ("chassis", "稳底盘", "Stabilise the chassis"),
    ("market", "下市场", "Go to the market"),
    ("customers", "盘客户", "Take stock of customers"),
    ("results", "盯结果", "Watch the results"),
]

# skill key -> (statement the learner rates 1-5, the module that builds it); Msg marks a text the
# self-assessment shows translated
SKILLS: dict[str, tuple[str, str]] = {
    "whole_business": (Msg("I can explain how one order turns into goods, ledger and marketing figures"), "01"),
    "delivery": (Msg("I can plan a project, find its critical path and promise a date I then keep"), "02"),
    "requirements": (Msg("I can tell a real requirement from a pseudo-requirement (伪需求) with data"), "02"),
    "business_plan": (Msg("I can work out unit economics — ARPA, churn, LTV, CAC payback — for a product"), "03"),
    "operations": (Msg("I can read retention cohorts and a sales funnel and say what to fix"), "04"),
    "chassis": (Msg("I can measure delivery with DORA's four keys and argue for platform work"), "05"),
    "customers": (Msg("I have visited customers and can segment a customer base by value"), "05"),
    "results": (Msg("I track business results against plan and can run the review"), "06"),
}

SCALE = {1: "never done it", 2: "seen it done", 3: "done it with help", 4: "done it alone", 5: "could teach it"}


def validate_scores(scores: Mapping[str, float]) -> dict[str, int]:
    """Every skill rated with a whole number from 1 to 5; a clear ValueError otherwise."""
    if not isinstance(scores, Mapping):
        raise ValueError("Expected a dict of skill → rating from 1 to 5.")
    missing = [k for k in SKILLS if k not in scores]
    unknown = [k for k in scores if k not in SKILLS]
    if missing or unknown:
        raise ValueError(f"Rate every skill once. Missing: {missing or 'none'}; unknown: {unknown or 'none'}.")
    out = {}
    for key in SKILLS:
        value = scores[key]
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{key}: expected a rating from 1 to 5, got {value!r}.") from None
        if math.isnan(number) or not 1 <= number <= 5 or number != int(number):
            raise ValueError(f"{key}: ratings are whole numbers from 1 to 5, got {value!r}.")
        out[key] = int(number)
    return out


def suggest_route(scores: Mapping[str, float], modules: list[tuple[str, str]]) -> pd.DataFrame:
    """A route through the modules: deep dive where ratings are low, skim where high.

    ``modules`` is [(number, title), ...] in teaching order. A module's score is
    the mean rating of the skills it builds (modules 00 has none: always "start
    here"). Mean ≤ 2.5 → deep dive; ≥ 4 → skim (do the exercises, skip the
    lesson); otherwise standard.
    """
    rated = validate_scores(scores)
    rows = []
    for number, title in modules:
        keys = [k for k, (_, mod) in SKILLS.items() if mod == number]
        if not keys:
            rows.append({"module": number, "title": title, "your_rating": "—", "route": Msg("start here"),
                         "why": Msg("the map and how exercises work")})
            continue
        mean = sum(rated[k] for k in keys) / len(keys)
        if mean <= 2.5:
            route, why = Msg("deep dive"), Msg("new ground for you: read the lesson, do every exercise, use the hints")
        elif mean >= 4:
            route, why = Msg("skim"), Msg("you know this: do the exercises, skim the lesson, help a neighbour")
        else:
            route, why = Msg("standard"), Msg("some experience: the lesson fills gaps, the exercises test them")
        rows.append({"module": number, "title": title, "your_rating": round(mean, 1), "route": route, "why": why})
    return pd.DataFrame(rows)


def current_stage(scores: Mapping[str, float]) -> str:
    """Which stage of the article the ratings look like: where the learner is strong."""
    rated = validate_scores(scores)
    programmer = rated["whole_business"]
    manager = (rated["delivery"] + rated["requirements"]) / 2
    cto = sum(rated[k] for k in ("business_plan", "operations", "chassis", "customers", "results")) / 5
    if cto >= 3.5 and manager >= 3.5:
        return "cto"
    if manager >= 3 and programmer >= 3:
        return "manager"
    return "programmer"
