"""Build: who the team's work was for — the balance of demands (各司其职, 需求的平衡).

Plain functions on DataFrames shaped like ``ctopath.data.load("work_items")``; nothing is
displayed and no input is modified. Shares are fractions (0.25, not 25).

Definitions (and where they come from):

- Share of delivered work: points delivered for a group ÷ all points delivered, pooled
  over the sprints (not a mean of per-sprint shares, which gives a two-point sprint the
  weight of a forty-point one). Story points measure effort; a count of tickets does not,
  because one ticket can be an afternoon and another a fortnight — the "investment
  allocation" view of engineering work in Scaled Agile's capacity allocation
  (https://scaledagileframework.com/capacity-allocation/) and in engineering-management
  practice (e.g. Will Larson, *An Elegant Puzzle*, 2019, "work on what matters").
- Feature work is what someone outside engineering asked for; platform work is asked for
  by engineering, unplanned work by incidents. The balance of demands compares the
  requesters of feature work.
"""
from __future__ import annotations

import pandas as pd

from .checks import require_columns as _require

ITEM_COLUMNS = ("item_id", "sprint_id", "kind", "requested_by", "team", "points")
KINDS = ("feature", "platform", "unplanned")


def _items(items) -> pd.DataFrame:
    frame = _require(items, ITEM_COLUMNS, "work_items")
    points = pd.to_numeric(frame["points"], errors="coerce")
    if frame.empty:
        raise ValueError("The work_items table has no rows: there is no delivered work to share out.")
    if points.isna().any() or (points < 0).any():
        raise ValueError("Every work item needs points of 0 or more.")
    return frame


def work_share(items: pd.DataFrame, by: str = "requested_by", kind: str | None = "feature") -> pd.Series:
    """Share of the delivered points per ``by`` value, pooled over all sprints.

    ``kind`` keeps one kind of work (default: feature work); None keeps every kind. A Series
    indexed by ``by``, named ``share``, largest first.
    """
    frame = _items(items)
    if by not in frame.columns:
        raise ValueError(f"work_items has no column {by!r}; use one of {', '.join(frame.columns)}.")
    if kind is not None:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)} or None, got {kind!r}.")
        frame = frame[frame["kind"] == kind]
    total = frame["points"].sum()
    if total <= 0:
        raise ValueError(f"No {kind or ''} points were delivered: a share of nothing is undefined.".replace("  ", " "))
    out = (frame.groupby(by)["points"].sum() / total).sort_values(ascending=False, kind="stable")
    out.name = "share"
    return out


def demand_balance(items: pd.DataFrame) -> pd.DataFrame:
    """Feature work per requester: items, points, share of items and share of points, and
    points per item — where a ticket count and the effort disagree. Largest share of points first."""
    frame = _items(items)
    feature = frame[frame["kind"] == "feature"]
    if feature.empty:
        raise ValueError("No feature work was delivered: there is no demand to balance.")
    g = feature.groupby("requested_by")["points"]
    out = pd.DataFrame({"items": g.size(), "points": g.sum()})
    out["share_of_items"] = out["items"] / out["items"].sum()
    out["share_of_points"] = out["points"] / out["points"].sum()
    out["points_per_item"] = out["points"] / out["items"]
    return out.sort_values("share_of_points", ascending=False, kind="stable")


def points_by_sprint(items: pd.DataFrame) -> pd.DataFrame:
    """Points per sprint and kind (sprint_id × feature / platform / unplanned): these are the
    ``sprints`` table's columns, so the two tables can be checked against each other."""
    frame = _items(items)
    out = frame.pivot_table(index="sprint_id", columns="kind", values="points", aggfunc="sum", fill_value=0)
    out.columns.name = None
    return out.reindex(columns=list(KINDS), fill_value=0)
