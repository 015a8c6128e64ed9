"""Requirements: RICE prioritisation, usage evidence behind a request, adoption from event logs.

Plain functions: DataFrames shaped like ``ctopath.data.load(...)`` in, numbers or DataFrames
out; nothing is displayed and no input is modified. Rates are fractions (0.34, not 34)
unless a column name ends in ``_pct``.

Definitions (and where they come from):

- RICE score = Reach × Impact × Confidence ÷ Effort — Sean McBride, "RICE: Simple
  prioritization for product managers", Intercom blog (2016),
  https://www.intercom.com/blog/rice-simple-prioritization-for-product-managers/ .
  Reach: people (here merchants) affected per period (a quarter); Impact on each, on
  Intercom's scale 3 = massive, 2 = high, 1 = medium, 0.5 = low, 0.25 = minimal;
  Confidence: how sure you are of the other estimates, 1.0 / 0.8 / 0.5 (high / medium /
  low) — a fraction here, not a percentage; Effort: person-months.
- Feature adoption, frequency and retention follow Google's HEART framework and its
  Goals → Signals → Metrics process for choosing what to track — K. Rodden, H. Hutchinson
  and X. Fu, "Measuring the User Experience on a Large Scale: User-Centered Metrics for Web
  Applications", CHI 2010. Here the unit is the merchant, and *using* a feature means its
  **core action** (the event that delivers its value, e.g. ``campaign_created``), not
  opening its page: opening is a signal of interest, not of use.
  - adoption = eligible merchants with at least one core action in the window ÷ eligible
    merchants;
  - frequency = core actions ÷ merchants using it, per week;
  - a *returning* merchant did the core action in at least ``min_weeks`` different ISO weeks.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .checks import finite_number as _number, require_columns as _require
from .commerce import PAID_STATUSES, in_window

#: The core action of each shipped feature in ``feature_events`` (see data/README.md).
CORE_EVENTS = {
    "sales_export": "export_downloaded",
    "coupon_builder": "coupon_published",
    "custom_reports": "report_saved",
    "group_buy": "campaign_created",
}

#: Intercom's impact scale.
IMPACT_SCALE = {3: "massive", 2: "high", 1: "medium", 0.5: "low", 0.25: "minimal"}

EVENT_COLUMNS = ("event_time", "merchant_id", "feature", "event")
RICE_COLUMNS = ("reach_per_quarter", "impact", "confidence", "effort_person_months")


# ----------------------------------------------------------------------------- RICE


def rice_score(reach, impact, confidence, effort) -> float:
    """Reach × Impact × Confidence ÷ Effort (Intercom's RICE).

    Confidence is a fraction (0.8 for 80 %); effort in person-months must be above zero.
    Example: reach 40 merchants, impact 2, confidence 0.8, effort 3 → 40 × 2 × 0.8 ÷ 3 = 21.33.
    """
    r, i, c, e = (_number(v, n) for v, n in ((reach, "reach"), (impact, "impact"),
                                              (confidence, "confidence"), (effort, "effort")))
    if r < 0:
        raise ValueError(f"reach cannot be negative (got {r:g}): it counts merchants per quarter.")
    if i < 0:
        raise ValueError(f"impact cannot be negative (got {i:g}): use Intercom's 0.25–3 scale.")
    if not 0 <= c <= 1:
        hint = " — that looks like a percentage; write 0.8 for 80 %" if 1 < c <= 100 else ""
        raise ValueError(f"confidence is a fraction between 0 and 1, got {c:g}{hint}.")
    if e <= 0:
        raise ValueError(f"effort must be more than 0 person-months (got {e:g}): "
                         "nothing is free, and dividing by zero would rank it infinitely high.")
    return r * i * c / e


def rice(backlog: pd.DataFrame, reach: str = "reach_per_quarter", impact: str = "impact",
         confidence: str = "confidence", effort: str = "effort_person_months") -> pd.DataFrame:
    """The backlog with a ``rice_score`` column and a ``rice_rank`` (1 = do first), highest score first.

    Ties keep the backlog's order. Any row with impossible inputs (negative reach, confidence
    above 1, zero effort...) is a ValueError naming the row.
    """
    _require(backlog, (reach, impact, confidence, effort), "feature_requests")
    if backlog.empty:
        raise ValueError("The backlog has no rows to score.")
    scores = []
    label = backlog["request_id"] if "request_id" in backlog.columns else pd.Series(backlog.index)
    for name, r, i, c, e in zip(label, backlog[reach], backlog[impact], backlog[confidence], backlog[effort]):
        try:
            scores.append(rice_score(r, i, c, e))
        except ValueError as err:
            raise ValueError(f"Request {name}: {err}") from None
    out = backlog.copy()
    out["rice_score"] = np.round(scores, 4)
    out = out.sort_values("rice_score", ascending=False, kind="stable").reset_index(drop=True)
    out["rice_rank"] = np.arange(1, len(out) + 1)
    return out


# ----------------------------------------------------------------------------- usage evidence


def _events(events) -> pd.DataFrame:
    _require(events, EVENT_COLUMNS, "feature_events")
    return events


def _weeks(times: pd.Series) -> pd.Series:
    """The Monday that starts each timestamp's ISO week."""
    t = pd.to_datetime(times)
    return (t.dt.normalize() - pd.to_timedelta(t.dt.day_of_week, unit="D"))


def _core(events: pd.DataFrame, feature: str, core_event: str | None = None) -> pd.DataFrame:
    core = core_event or CORE_EVENTS.get(feature)
    if core is None:
        raise ValueError(f"No core action known for feature {feature!r}; pass core_event=... "
                         f"(known: {', '.join(f'{k} → {v}' for k, v in CORE_EVENTS.items())}).")
    return events.loc[(events["feature"] == feature) & (events["event"] == core)]


def feature_usage(events: pd.DataFrame, core_events: Mapping[str, str] | None = None,
                  min_weeks: int = 3) -> pd.DataFrame:
    """Per feature: who opened it, who used it (core action), who came back, and how much.

    Columns: merchants_opened (any event of the feature), merchants_used (≥ 1 core action),
    merchants_returning (core action in ≥ ``min_weeks`` different weeks), core_actions,
    returning_share (merchants_returning ÷ merchants_opened, a fraction). Index: feature.
    """
    ev = _events(events)
    core_events = dict(core_events or CORE_EVENTS)
    if not isinstance(min_weeks, (int, np.integer)) or min_weeks < 1:
        raise ValueError(f"min_weeks must be a whole number ≥ 1, got {min_weeks!r}.")
    rows = []
    for feature, core in core_events.items():
        mine = ev.loc[ev["feature"] == feature]
        used = mine.loc[mine["event"] == core]
        weeks = used.assign(week=_weeks(used["event_time"])).groupby("merchant_id")["week"].nunique()
        opened = mine["merchant_id"].nunique()
        returning = int((weeks >= min_weeks).sum())
        rows.append((feature, opened, used["merchant_id"].nunique(), returning, len(used),
                     returning / opened if opened else math.nan))
    out = pd.DataFrame(rows, columns=["feature", "merchants_opened", "merchants_used", "merchants_returning",
                                      "core_actions", "returning_share"]).set_index("feature")
    return out


def returning_merchants(events: pd.DataFrame, core_events: Mapping[str, str] | None = None,
                        min_weeks: int = 3) -> pd.Series:
    """Merchants per feature that did its core action in at least ``min_weeks`` different weeks."""
    out = feature_usage(events, core_events, min_weeks)["merchants_returning"]
    out.name = "merchants_returning"
    return out


def request_evidence(backlog: pd.DataFrame, events: pd.DataFrame,
                     core_events: Mapping[str, str] | None = None, min_weeks: int = 3) -> pd.DataFrame:
    """Each request that has a similar shipped feature, beside how that feature is really used.

    Columns: request_id, title, times_asked, revenue_at_stake_cny, similar_feature, then the
    :func:`feature_usage` columns of the similar feature. Requests without one are left out.
    A request asked for loudly whose similar feature nobody comes back to is a candidate
    pseudo-requirement (伪需求).
    """
    _require(backlog, ("request_id", "title", "times_asked", "revenue_at_stake_cny", "similar_feature"),
             "feature_requests")
    usage = feature_usage(events, core_events, min_weeks)
    known = backlog.loc[backlog["similar_feature"].notna(),
                        ["request_id", "title", "times_asked", "revenue_at_stake_cny", "similar_feature"]]
    out = known.merge(usage, left_on="similar_feature", right_index=True, how="left")
    return out.reset_index(drop=True)


# ----------------------------------------------------------------------------- adoption


def _ids(values, what: str) -> list[str]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValueError(f"{what} must be a list (or Series) of merchant ids.")
    ids = sorted({str(v) for v in values if not (v is None or (isinstance(v, float) and math.isnan(v)))})
    if not ids:
        raise ValueError(f"{what} is empty: with zero eligible merchants, adoption is undefined (0 ÷ 0).")
    return ids


def adopters(events: pd.DataFrame, feature: str, core_event: str | None = None,
             start=None, end=None) -> list[str]:
    """Merchants with at least one core action of ``feature`` in [start, end), sorted."""
    ev = _events(events)
    used = _core(ev, feature, core_event)
    used = used.loc[in_window(used["event_time"], start, end)]
    return sorted(used["merchant_id"].astype(str).unique())


def adoption(events: pd.DataFrame, feature: str, eligible, core_event: str | None = None,
             start=None, end=None) -> float:
    """Share of ``eligible`` merchants with at least one core action in [start, end) (a fraction).

    Only eligible merchants count in the numerator too: a merchant outside the target group
    who used the feature is not adoption *of the target group*.
    """
    pool = _ids(eligible, "eligible")
    used = set(adopters(events, feature, core_event, start, end))
    return len(used & set(pool)) / len(pool)


WEEKLY_COLUMNS = ("week", "week_start", "active_merchants", "merchants_using", "new_adopters", "actions",
                  "actions_per_user", "usage_pct")


def weekly_usage(events: pd.DataFrame, orders: pd.DataFrame, feature: str, eligible, start, end,
                 core_event: str | None = None) -> pd.DataFrame:
    """The weekly usage table of a feature, the one product and operations ask for.

    One row per week (Monday to Sunday) from the week of ``start`` to the week before
    ``end`` (give Mondays). Columns:

    - week: the ISO week number; week_start: its Monday;
    - active_merchants: eligible merchants with at least one paid order that week;
    - merchants_using: eligible merchants with at least one core action that week (distinct);
    - new_adopters: of those, how many did it for the first time ever;
    - actions: core actions that week;
    - actions_per_user: actions ÷ merchants_using (frequency; 0 when nobody used it);
    - usage_pct: merchants_using ÷ active_merchants × 100 (0 when no one was active).
    """
    ev = _events(events)
    _require(orders, ("merchant_id", "created_at", "status"), "orders")
    pool = set(_ids(eligible, "eligible"))
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if e <= s:
        raise ValueError(f"end ({e:%Y-%m-%d}) must be after start ({s:%Y-%m-%d}).")
    mondays = pd.date_range(s - pd.Timedelta(days=s.day_of_week), e - pd.Timedelta(days=1), freq="W-MON")
    if len(mondays) == 0:
        raise ValueError("The window holds no whole week.")
    core = _core(ev, feature, core_event)
    core = core.loc[core["merchant_id"].isin(pool)]
    core = core.assign(week_start=_weeks(core["event_time"]))
    first = core.groupby("merchant_id")["week_start"].min()
    paid = orders.loc[orders["status"].isin(PAID_STATUSES) & orders["merchant_id"].isin(pool)]
    paid = paid.assign(week_start=_weeks(paid["created_at"]))
    rows = []
    for monday in mondays:
        this = core.loc[core["week_start"] == monday]
        users = this["merchant_id"].nunique()
        active = paid.loc[paid["week_start"] == monday, "merchant_id"].nunique()
        actions = len(this)
        rows.append((int(monday.isocalendar()[1]), monday, active, users, int((first == monday).sum()), actions,
                     round(actions / users, 2) if users else 0.0,
                     round(100 * users / active, 1) if active else 0.0))
    out = pd.DataFrame(rows, columns=list(WEEKLY_COLUMNS))
    for col in ("active_merchants", "merchants_using", "new_adopters", "actions"):
        out[col] = out[col].astype("int64")
    return out
