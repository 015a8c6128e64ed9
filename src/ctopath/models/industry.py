"""行业变革 changing the industry: how far the platform moved its merchants' orders online.

Plain functions on ``before_larkspur`` (merchant_id, monthly_orders, online_orders: the month
before the merchant joined, from its sign-up questionnaire), ``orders`` and ``merchants``;
nothing is displayed and no input is modified.

Online share = orders placed online ÷ all orders, pooled over a segment's merchants (the sum
of online orders over the sum of orders, so each order counts once, as a market share
does). On the platform, online means the consumer ordered on a phone: channel ``app`` or
``mini_program``; ``pos`` is the counter. A change between two shares is given in percentage
points, not in percent of the old share (e.g. the OECD's *Glossary of Statistical Terms*).
"""
from __future__ import annotations

import pandas as pd

from ..engine.i18n import Msg
from .checks import require_columns

BEFORE_COLUMNS = ("merchant_id", "monthly_orders", "online_orders")
ORDER_COLUMNS = ("merchant_id", "created_at", "channel")
ONLINE_CHANNELS = ("app", "mini_program")


def _period(start, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    try:
        lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    except (ValueError, TypeError):
        raise ValueError(Msg("start and end must be dates like '2026-04-01', got {start} and {end}.",
                             start=repr(start), end=repr(end))) from None
    if hi < lo:
        raise ValueError(Msg("end ({end}) is before start ({start}).", end=str(end), start=str(start)))
    return lo, hi + pd.Timedelta(days=1)


def online_shift(before: pd.DataFrame, orders: pd.DataFrame, merchants: pd.DataFrame,
                 start="2026-04-01", end="2026-06-30", online=ONLINE_CHANNELS) -> pd.DataFrame:
    """Per segment: before_pct, after_pct (orders created start..end inclusive) and change_pp."""
    b = require_columns(before, BEFORE_COLUMNS, "before_larkspur")
    o = require_columns(orders, ORDER_COLUMNS, "orders")
    segment = require_columns(merchants, ("merchant_id", "segment"), "merchants").set_index("merchant_id")["segment"]
    lo, hi = _period(start, end)
    window = o[(o["created_at"] >= lo) & (o["created_at"] < hi)]
    if window.empty:
        raise ValueError(Msg("No orders were created between {start} and {end}.", start=str(start), end=str(end)))
    b_seg = b.assign(segment=b["merchant_id"].map(segment)).groupby("segment")[["online_orders", "monthly_orders"]].sum()
    after = window.assign(segment=window["merchant_id"].map(segment), online=window["channel"].isin(online))
    table = pd.DataFrame({"before_pct": 100 * b_seg["online_orders"] / b_seg["monthly_orders"],
                          "after_pct": 100 * after.groupby("segment")["online"].mean()})
    table["change_pp"] = table["after_pct"] - table["before_pct"]
    return table.rename_axis("segment").reset_index()
