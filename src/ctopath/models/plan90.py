"""The personal 90-day plan: your self-assessment + your progress + your commitments → Markdown.

:func:`build_plan` is pure: the same ratings, progress records and commitments always give
the same text, and nothing is read or written. :func:`save_plan` writes the text to a file
the learner keeps: ``path`` if given, else ``$CTOPATH_PLAN_PATH`` if set, else
``my-90-day-plan.md`` in the current folder.

The 90-day horizon is the one Michael D. Watkins argues a leader in a new role has to get
traction (*The First 90 Days*, Harvard Business Review Press, 2003; updated 2013); splitting it
into 30, 60 and 90 days (learn, contribute, lead) is a common template for such a plan. The motto that frames it —
帮助业务先赢，保持技术追求, help the business win
first, keep your technical ambition — closes 《CTO 如何帮助业务?》 by yclxiao (半支烟),
CC BY-SA 4.0, https://ld246.com/article/1678858919869.
"""
from __future__ import annotations

import datetime as _dt
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..engine.i18n import Msg, join
from ..engine.progress import is_done
from . import career

PLAN_FILENAME = "my-90-day-plan.md"
ARTICLE_URL = "https://ld246.com/article/1678858919869"
MAX_CHARS = 1000
TO_FILL = Msg("_(to fill in)_")

#: What the learner commits to: key → the question the template asks.
COMMITMENTS: dict[str, Msg] = {
    "role": Msg("Your role today (for example: backend engineer, tech lead, R&D manager)"),
    "business_metric": Msg("The one business number you will help move in the next 90 days, and by how much"),
    "technical_ambition": Msg("The technical investment you will keep pushing, and how you will show its payoff"),
    "day_30": Msg("By day 30 (learn): what you will learn, and from whom"),
    "day_60": Msg("By day 60 (contribute): what you will deliver that the business can see"),
    "day_90": Msg("By day 90 (lead): what you will lead or change"),
    "people": Msg("Who you will talk to: a customer, a product manager, someone in sales, operations or finance"),
}

#: One concrete action per skill, for the skills the learner rated lowest (our own words).
ACTIONS: dict[str, Msg] = {
    "whole_business": Msg("Follow one real order of your product from the first click to the ledger and the "
                          "marketing report; write down every team it touches and one number each team watches."),
    "delivery": Msg("Plan your team's next project with its critical path written down; publish the date and "
                    "compare plan with actual every week."),
    "requirements": Msg("Before building the next feature, ask for the usage data behind it and write one "
                        "paragraph on how you will know, after launch, that it was a real need and not a 伪需求."),
    "business_plan": Msg("Work out your product's ARPA, gross margin, churn, LTV and CAC payback from real figures; "
                         "ask finance to check them."),
    "operations": Msg("Read one retention cohort table and one sales funnel of your product with operations; "
                      "name the leakiest step and one experiment to fix it."),
    "chassis": Msg("Measure your team's four DORA keys for one month and pick one platform investment that "
                   "moves one of them; report the result in business terms."),
    "customers": Msg("Visit or call three customers (one big account, two small ones) and write what each "
                     "uses, what annoys them, and what they would pay more for."),
    "results": Msg("Take one business KPI your team affects, set a quarterly target with its owner, and review "
                   "plan against actual every month."),
}


# ----------------------------------------------------------------------------- inputs

def _check_ratings(ratings) -> dict[str, int] | None:
    if ratings is None:
        return None
    if isinstance(ratings, Mapping) and not ratings:
        return None
    try:
        return career.validate_scores(ratings)
    except ValueError as err:
        raise ValueError(Msg("The self-assessment cannot be used: {err} Redo it in module 00.",
                             err=err.args[0] if len(err.args) == 1 else str(err))) from None


def _check_records(records) -> Mapping:
    if records is None:
        return {}
    if not isinstance(records, Mapping):
        raise ValueError(Msg("Progress records must be a dict of exercise id → record, "
                             "e.g. ProgressStore().load()['exercises']."))
    return records


def check_commitments(commitments) -> dict[str, str]:
    """The learner's commitments, trimmed; unknown keys, non-text and overlong answers are refused."""
    if commitments is None:
        return {key: "" for key in COMMITMENTS}
    if not isinstance(commitments, Mapping):
        raise ValueError(Msg("Commitments must be a dict with the keys {keys}; got {kind}.",
                             keys=", ".join(COMMITMENTS), kind=type(commitments).__name__))
    unknown = [k for k in commitments if k not in COMMITMENTS]
    if unknown:
        raise ValueError(Msg("Unknown commitment(s) {unknown}; the plan asks for {keys}.", unknown=repr(unknown),
                             keys=", ".join(COMMITMENTS)))
    out = {}
    for key in COMMITMENTS:
        value = commitments.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ValueError(Msg("{key}: write your commitment as text, not {kind}.", key=key,
                                 kind=type(value).__name__))
        value = value.strip()
        if len(value) > MAX_CHARS:
            raise ValueError(Msg("{key}: keep it under {most} characters (it has {n}); a plan you will reread is "
                                 "short.", key=key, most=MAX_CHARS, n=len(value)))
        out[key] = value
    return out


def missing_commitments(commitments) -> list[str]:
    """The commitment keys still empty."""
    return [k for k, v in check_commitments(commitments).items() if not v]


def module_progress(records, modules) -> list[dict]:
    """Per module: done of total and the next exercise (the same rule as ``ctopath.progress.report``).

    ``modules``: ``[(number, title, [(exercise id, exercise title), ...]), ...]`` — the course's
    outline (``ctopath.course.m06_capstone.explorers.course_outline()``); this model knows no course of its own.
    """
    records = _check_records(records)
    rows = []
    for number, title, exercises in modules:
        done, nxt = 0, None
        for ex_id, ex_title in exercises:
            if is_done(records.get(ex_id)):
                done += 1
            elif nxt is None:
                nxt = (ex_id, ex_title)
        rows.append({"module": number, "title": title, "done": done, "total": len(exercises),
                     "next": nxt[0] if nxt else None, "next_title": nxt[1] if nxt else ""})
    return rows


# ----------------------------------------------------------------------------- the plan

def _indent(text: str) -> str:
    """Keep a multi-line answer inside its list item."""
    return text.replace("\n", "\n  ")


def focus_skills(ratings: Mapping, n: int = 3) -> list[str]:
    """The ``n`` lowest-rated skills (ties keep the order of ``career.SKILLS``)."""
    rated = career.validate_scores(ratings)
    order = list(career.SKILLS)
    return sorted(order, key=lambda k: (rated[k], order.index(k)))[:n]


def build_plan(ratings, records, commitments, *, modules, today: str | _dt.date | None = None,
               name: str = "") -> str:
    """The 90-day plan as Markdown.

    - ``ratings``: the module 00 self-assessment (skill → 1..5, see ``career.SKILLS``), or
      None if the learner has not done it (the plan then says so).
    - ``records``: progress records, exercise id → record (``ProgressStore().load()["exercises"]``).
    - ``commitments``: the learner's answers, keys of :data:`COMMITMENTS`; empty ones show as
      "(to fill in)".
    - ``modules``: [(number, title, [(exercise id, title), ...]), ...]; default: the workshop's.
    - ``today``: a date for the heading (a date or "YYYY-MM-DD"), or None for no date.
    """
    rated = _check_ratings(ratings)
    progress = module_progress(records, modules)
    mine = check_commitments(commitments)
    by_module = {row["module"]: row for row in progress}
    if isinstance(today, _dt.date):
        today = today.isoformat()

    def filled(key):
        return _indent(mine[key]) if mine[key] else TO_FILL

    who = f" — {name.strip()}" if isinstance(name, str) and name.strip() else ""
    lines = [Msg("# My 90-day plan{who}", who=who), ""]
    if today:
        lines.append(Msg("_Made with the Coder to CTO workshop, module 06 on {today}. Role today: {role}._",
                         today=today, role=filled("role")))
    else:
        lines.append(Msg("_Made with the Coder to CTO workshop, module 06. Role today: {role}._", role=filled("role")))
    lines += ["", Msg("## Where I am"), ""]
    if rated is None:
        lines.append(Msg("_No self-assessment saved yet: run the self-assessment in module 00 "
                         "(notebooks/00-orientation.ipynb), then build this plan again._"))
    else:
        stage = {k: en for k, _, en, _ in career.STAGES}[career.current_stage(rated)]
        lines += [Msg("My ratings look most like the **{stage}** stage (1 = never done it, 5 = could teach it).",
                      stage=stage), "",
                  Msg("| Skill | My rating | Module |"), "|---|---|---|"]
        for key, (statement, module) in career.SKILLS.items():
            lines.append(Msg("| {statement} | {rating} / 5 | {module} |", statement=statement, rating=rated[key],
                             module=module))
        lines += ["", Msg("## Where I will grow"), ""]
        for key in focus_skills(rated):
            statement, module = career.SKILLS[key]
            row = by_module.get(module)
            if row is None:
                where = Msg("module {module}", module=module)
            elif row["next"]:
                where = Msg("module {module} ({title}): {done} of {total} exercises done; next: {next} {next_title}",
                            module=module, title=row["title"], done=row["done"], total=row["total"],
                            next=row["next"], next_title=row["next_title"])
            else:
                where = Msg("module {module} ({title}): {done} of {total} exercises done; all done",
                            module=module, title=row["title"], done=row["done"], total=row["total"])
            lines.append(Msg("- **{statement}** — {rating} / 5. Workshop: {where}. In my job: {action}",
                             statement=statement, rating=rated[key], where=where, action=ACTIONS[key]))
        strengths = [k for k in career.SKILLS if rated[k] >= 4]
        lines += ["", Msg("## Strengths I will lend to others"), ""]
        if strengths:
            lines += [Msg("- {statement} ({rating} / 5)", statement=career.SKILLS[k][0], rating=rated[k])
                      for k in strengths]
        else:
            lines.append(Msg("- None rated 4 or 5 yet. That is fine: pick one skill to be able to teach by day 90."))
    lines += ["", Msg("## Workshop progress"), "", Msg("| Module | Title | Done | Next |"), "|---|---|---|---|"]
    for row in progress:
        nxt = Msg("{next} {next_title}", next=row["next"], next_title=row["next_title"]) if row["next"] \
            else Msg("all done ✓")
        lines.append(Msg("| {module} | {title} | {done} / {total} | {next} |", module=row["module"],
                         title=row["title"], done=row["done"], total=row["total"], next=nxt))
    lines += ["", Msg("## Help the business win first (帮助业务先赢)"), "",
              Msg("The business number I will help move: {answer}", answer=filled("business_metric")),
              "", Msg("## Keep my technical ambition (保持技术追求)"), "",
              Msg("The technical investment I will keep pushing: {answer}", answer=filled("technical_ambition")),
              "", Msg("## 30 / 60 / 90 days"), "",
              Msg("- **By day 30 — learn:** {answer}", answer=filled("day_30")),
              Msg("- **By day 60 — contribute:** {answer}", answer=filled("day_60")),
              Msg("- **By day 90 — lead:** {answer}", answer=filled("day_90")),
              "", Msg("## People I will talk to"), "", filled("people"),
              "", "---", "",
              Msg("_The motto 帮助业务先赢，保持技术追求 closes 《CTO 如何帮助业务?》 by yclxiao (半支烟), "
                  "CC BY-SA 4.0, {url}. Reread this plan on day 30, 60 and 90._", url=ARTICLE_URL), ""]
    return join(lines, "\n")


# ----------------------------------------------------------------------------- the file

def plan_path(path: str | os.PathLike | None = None) -> Path:
    """Where the plan is saved: ``path``, else ``$CTOPATH_PLAN_PATH``, else ./my-90-day-plan.md."""
    if path is not None:
        return Path(path).expanduser()
    env = os.environ.get("CTOPATH_PLAN_PATH")
    if env:
        return Path(env).expanduser()
    return Path.cwd() / PLAN_FILENAME


def save_plan(text: str, path: str | os.PathLike | None = None) -> Path:
    """Write the plan (atomically: a temporary file, then a rename) and return where it went."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(Msg("There is no plan to save yet: build it first with build_plan(...)."))
    target = plan_path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text if text.endswith("\n") else text + "\n")
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as err:
        raise OSError(Msg("Could not save your plan to {target} ({reason}). Pass path=... or set CTOPATH_PLAN_PATH "
                          "to a folder you can write to.", target=str(target), reason=str(err.strerror or err))) from None
    return target


__all__ = ["COMMITMENTS", "ACTIONS", "PLAN_FILENAME", "build_plan", "save_plan", "plan_path",
           "check_commitments", "missing_commitments", "module_progress", "focus_skills"]
