"""稳底盘 stabilise the chassis: which leads are "generals who can fight" (能打仗的将军), from their record.

Plain functions on ``squad_milestones`` (squad, planned_date, delivered_date, story_points,
goal_met) and ``squads`` (squad, lead, lead_level, lead_years); nothing is displayed and no
input is modified.

A general who can fight delivers to plan *and* the delivery moves the business. So the
record is two shares per squad over the same milestones: on time (delivered on or before the
planned date) and goal met (the business goal written for the milestone moved). Story points
measure effort, not results (a point is the team's own estimate unit, and easily inflated:
see e.g. M. Cohn, *Agile Estimating and Planning*, 2005); seniority is not a record at all.
"""
from __future__ import annotations

import pandas as pd

from .checks import finite_number, require_columns

MILESTONE_COLUMNS = ("squad", "planned_date", "delivered_date", "story_points", "goal_met")
SQUAD_COLUMNS = ("squad", "lead")
MIN_ON_TIME = 0.8
MIN_GOAL_MET = 0.6


def scorecard(squad_milestones: pd.DataFrame, squads: pd.DataFrame) -> pd.DataFrame:
    """One row per squad: lead, milestones, on_time_share, goal_met_share, story_points (sum)."""
    ms = require_columns(squad_milestones, MILESTONE_COLUMNS, "squad_milestones")
    leads = require_columns(squads, SQUAD_COLUMNS, "squads")
    bad = sorted(set(ms["goal_met"]) - {"yes", "no"})
    if bad:
        raise ValueError(f"goal_met must be 'yes' or 'no' for every milestone, not {bad}.")
    on_time = pd.to_datetime(ms["delivered_date"]) <= pd.to_datetime(ms["planned_date"])
    g = pd.DataFrame({"squad": ms["squad"], "on_time": on_time, "goal": ms["goal_met"] == "yes",
                      "points": ms["story_points"]}).groupby("squad")
    card = pd.DataFrame({"milestones": g.size(), "on_time_share": g["on_time"].mean(),
                         "goal_met_share": g["goal"].mean(), "story_points": g["points"].sum()})
    card = card.reset_index().merge(leads, on="squad", how="left")
    return card[["squad", "lead", "milestones", "on_time_share", "goal_met_share", "story_points"]
                + [c for c in leads.columns if c not in ("squad", "lead")]]


def generals(squad_milestones: pd.DataFrame, squads: pd.DataFrame, min_on_time: float = MIN_ON_TIME,
             min_goal_met: float = MIN_GOAL_MET) -> pd.DataFrame:
    """The squads' rows whose on-time share ≥ ``min_on_time`` and goal-met share ≥ ``min_goal_met``."""
    on_time = finite_number(min_on_time, "min_on_time")
    goal = finite_number(min_goal_met, "min_goal_met")
    if not (0 <= on_time <= 1 and 0 <= goal <= 1):
        raise ValueError("min_on_time and min_goal_met are shares, between 0 and 1 (0.8 means 80 %).")
    card = scorecard(squad_milestones, squads)
    picked = card[(card["on_time_share"] >= on_time) & (card["goal_met_share"] >= goal)]
    return picked.sort_values("goal_met_share", ascending=False, kind="stable").reset_index(drop=True)
