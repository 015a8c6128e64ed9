"""Launch (产品上线): the launch checklist — which gates are still open, and whose they are.

Plain functions on DataFrames shaped like ``ctopath.data.load("launch_checklist")``;
nothing is displayed and no input is modified.

Definitions (and where they come from):

- A launch checklist lists what must be true before a launch, each item with one owner,
  agreed before the launch day — Google, *Site Reliability Engineering* (2016), ch. 27
  "Reliable Product Launches at Scale" (https://sre.google/sre-book/reliable-product-launches/),
  and Atul Gawande's *The Checklist Manifesto* (2009). A **gate** blocks the launch until it
  is done; the other items (help articles, the ceremony, follow-up dashboards) matter, but
  do not block. Only ``done`` counts as done: an item in progress is not finished.
"""
from __future__ import annotations

import pandas as pd

from .checks import require_columns as _require

CHECKLIST_COLUMNS = ("item_id", "item", "owner", "gate", "status")
STATUSES = ("done", "in_progress", "not_started")


def _checklist(checklist) -> pd.DataFrame:
    frame = _require(checklist, CHECKLIST_COLUMNS, "launch_checklist")
    if frame.empty:
        raise ValueError("The launch checklist has no items: write it before deciding.")
    unknown = sorted(set(frame["status"].astype(str)) - set(STATUSES))
    if unknown:
        raise ValueError(f"Unknown status {', '.join(unknown)}; a status is one of {', '.join(STATUSES)}.")
    gates = set(frame["gate"].astype(str))
    if not gates <= {"yes", "no"}:
        raise ValueError(f"gate must be 'yes' or 'no', got {', '.join(sorted(gates - {'yes', 'no'}))}.")
    return frame


def open_gates(checklist: pd.DataFrame) -> pd.DataFrame:
    """The gate items that are not done (status other than ``done``), in checklist order."""
    frame = _checklist(checklist)
    return frame[(frame["gate"] == "yes") & (frame["status"] != "done")].reset_index(drop=True)


def decision(checklist: pd.DataFrame) -> dict:
    """``{"decision": "go" | "no-go", "open_gates": [item ids], "owners": {owner: [item ids]}}``."""
    gates = open_gates(checklist)
    owners = {owner: list(g["item_id"]) for owner, g in gates.groupby("owner", sort=True)}
    return {"decision": "go" if gates.empty else "no-go", "open_gates": list(gates["item_id"]), "owners": owners}


def by_area(checklist: pd.DataFrame) -> pd.DataFrame:
    """Per area (or owner, if there is no area column): items, gates, and gates still open."""
    frame = _checklist(checklist)
    key = "area" if "area" in frame.columns else "owner"
    is_gate = frame["gate"] == "yes"
    out = pd.DataFrame({
        "items": frame.groupby(key).size(),
        "gates": is_gate.groupby(frame[key]).sum(),
        "open_gates": (is_gate & (frame["status"] != "done")).groupby(frame[key]).sum(),
    })
    return out.astype(int).sort_values(["open_gates", "gates"], ascending=False, kind="stable")
