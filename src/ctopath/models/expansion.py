"""下市场 go to market: which chains a CTO should visit to finish a roll-out that is stuck.

Plain functions on ``chain_rollout`` (merchant_id, stores_total, stores_live) and
``field_notes``; nothing is displayed and no input is modified.

A chain signs for all its stores and rolls Larkspur out store by store. A roll-out that stops
below half is business already signed for and not delivered: the chain pays for a system
most of its stores do not use, and will not renew for long. When the chain's complaint is
technical (its POS does not talk to Larkspur), a sales call cannot fix it; an engineer's visit
can. Expansion inside an account is also the cheapest growth there is: net revenue retention
counts it (e.g. D. Skok, "SaaS Metrics 2.0", forEntrepreneurs, on negative churn).
"""
from __future__ import annotations

import pandas as pd

from .checks import finite_number, require_columns

ROLLOUT_COLUMNS = ("merchant_id", "stores_total", "stores_live")
NOTE_COLUMNS = ("merchant_id", "theme", "sentiment")


def rollout(chain_rollout: pd.DataFrame) -> pd.DataFrame:
    """Each chain with ``live_share`` (stores live ÷ stores) and ``stores_waiting`` (stores not live)."""
    table = require_columns(chain_rollout, ROLLOUT_COLUMNS, "chain_rollout").copy()
    if (table["stores_total"] <= 0).any():
        raise ValueError("Every chain needs at least one store (stores_total > 0).")
    table["live_share"] = table["stores_live"] / table["stores_total"]
    table["stores_waiting"] = table["stores_total"] - table["stores_live"]
    return table


def complaints(field_notes: pd.DataFrame, theme: str = "pos_integration", sentiment: str = "negative") -> pd.Series:
    """Notes of ``theme`` with ``sentiment``, counted per merchant_id (most first)."""
    notes = require_columns(field_notes, NOTE_COLUMNS, "field_notes")
    hits = notes[(notes["theme"] == theme) & (notes["sentiment"] == sentiment)]
    return hits["merchant_id"].value_counts().rename("complaints")


def visit_list(chain_rollout: pd.DataFrame, field_notes: pd.DataFrame, max_live_share: float = 0.5,
               theme: str = "pos_integration") -> pd.DataFrame:
    """Chains live on fewer than ``max_live_share`` of their stores with a negative ``theme`` note.

    The most stores waiting first; columns merchant_id, stores_total, stores_live, live_share,
    stores_waiting, complaints.
    """
    limit = finite_number(max_live_share, "max_live_share")
    if not 0 < limit <= 1:
        raise ValueError(f"max_live_share is a share of the stores, between 0 and 1, not {max_live_share!r}.")
    table = rollout(chain_rollout)
    table["complaints"] = table["merchant_id"].map(complaints(field_notes, theme)).fillna(0).astype("int64")
    picked = table[(table["live_share"] < limit) & (table["complaints"] > 0)]
    return picked.sort_values(["stores_waiting", "merchant_id"], ascending=[False, True],
                              kind="stable").reset_index(drop=True)
