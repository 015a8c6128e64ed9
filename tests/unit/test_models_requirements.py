"""models.requirements: RICE, usage evidence and adoption, against figures worked by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ctopath import data
from ctopath.models import requirements as r

# ----------------------------------------------------------------------------- RICE


def test_rice_score_by_hand():
    assert r.rice_score(40, 2, 0.8, 3) == pytest.approx(21.3333333)  # 40 × 2 × 0.8 ÷ 3 = 64 ÷ 3
    assert r.rice_score(30, 1, 1.0, 1) == 30                          # 30 × 1 × 1 ÷ 1
    assert r.rice_score(8, 3, 0.5, 6) == 2                            # 8 × 3 × 0.5 ÷ 6 = 12 ÷ 6
    assert r.rice_score(0, 3, 1, 1) == 0


@pytest.mark.parametrize("args, fragment", [
    ((40, 2, 0.8, 0), "more than 0 person-months"),
    ((40, 2, 80, 3), "percentage"),
    ((40, 2, -0.1, 3), "between 0 and 1"),
    ((-1, 2, 0.8, 3), "reach cannot be negative"),
    ((40, -2, 0.8, 3), "impact cannot be negative"),
    ((40, 2, 0.8, float("nan")), "finite"),
    (("many", 2, 0.8, 3), "must be a number"),
    ((40, True, 0.8, 3), "must be a number"),
])
def test_rice_bad_input(args, fragment):
    with pytest.raises(ValueError, match=fragment):
        r.rice_score(*args)


def test_rice_table_ranks_and_keeps_ties_in_order():
    backlog = pd.DataFrame({"request_id": ["X", "Y", "Z", "W"], "reach_per_quarter": [10, 40, 20, 5],
                            "impact": [1, 2, 1, 3], "confidence": [1.0, 0.5, 1.0, 0.8],
                            "effort_person_months": [1, 4, 2, 1]})
    # X 10 × 1 × 1 ÷ 1 = 10; Y 40 × 2 × 0.5 ÷ 4 = 10; Z 20 × 1 × 1 ÷ 2 = 10; W 5 × 3 × 0.8 ÷ 1 = 12
    out = r.rice(backlog)
    assert list(out.request_id) == ["W", "X", "Y", "Z"]
    assert list(out.rice_score) == [12, 10, 10, 10]
    assert list(out.rice_rank) == [1, 2, 3, 4]
    assert list(backlog.request_id) == ["X", "Y", "Z", "W"], "the input is not modified"
    with pytest.raises(ValueError, match="Request Y"):
        r.rice(backlog.assign(effort_person_months=[1, 0, 2, 1]))
    with pytest.raises(ValueError, match="missing"):
        r.rice(backlog.drop(columns="impact"))


# ----------------------------------------------------------------------------- usage from events
#
# Feature "f", core action "done". Weeks: 2026-03-02 (Mon, wk 10), 03-09 (wk 11), 03-16 (wk 12).
#   A: opened wk10, done wk10, done wk11, done wk12          → used, 3 weeks → returning
#   B: opened wk10, done wk10 twice                          → used, 1 week
#   C: opened wk11                                           → opened only
# merchants_opened 3, merchants_used 2 (A, B), merchants_returning 1 (A), core_actions 5,
# returning_share 1/3.

def _events():
    rows = [("2026-03-02 09:00", "A", "f", "opened"), ("2026-03-02 09:05", "A", "f", "done"),
            ("2026-03-10 10:00", "A", "f", "done"), ("2026-03-20 11:00", "A", "f", "done"),
            ("2026-03-03 09:00", "B", "f", "opened"), ("2026-03-03 09:02", "B", "f", "done"),
            ("2026-03-04 15:00", "B", "f", "done"), ("2026-03-11 12:00", "C", "f", "opened"),
            ("2026-03-11 12:00", "C", "g", "opened")]
    ev = pd.DataFrame(rows, columns=["event_time", "merchant_id", "feature", "event"])
    ev["event_time"] = pd.to_datetime(ev["event_time"])
    return ev


CORE = {"f": "done", "g": "made"}


def test_feature_usage_by_hand():
    u = r.feature_usage(_events(), CORE)
    assert u.loc["f"].tolist() == [3, 2, 1, 5, pytest.approx(1 / 3)]
    # g: opened by C only, never used: returning_share 0 ÷ 1 = 0
    assert u.loc["g", ["merchants_opened", "merchants_used", "merchants_returning", "core_actions"]].tolist() == [1, 0, 0, 0]
    assert r.feature_usage(_events(), CORE, min_weeks=1).loc["f", "merchants_returning"] == 2
    assert r.returning_merchants(_events(), CORE).to_dict() == {"f": 1, "g": 0}


def test_request_evidence_joins_the_similar_feature():
    backlog = pd.DataFrame({"request_id": ["R1", "R2"], "title": ["t1", "t2"], "times_asked": [9, 1],
                            "revenue_at_stake_cny": [100.0, 0.0], "similar_feature": ["f", np.nan]})
    ev = r.request_evidence(backlog, _events(), CORE)
    assert list(ev.request_id) == ["R1"]
    assert ev.loc[0, ["merchants_opened", "merchants_used", "merchants_returning"]].tolist() == [3, 2, 1]


def test_adoption_by_hand():
    ev = _events()
    assert r.adopters(ev, "f", "done") == ["A", "B"]
    assert r.adopters(ev, "f", "done", start="2026-03-09") == ["A"]        # only A acts from week 11
    assert r.adoption(ev, "f", ["A", "B", "C", "D"], "done") == 0.5       # 2 of 4
    assert r.adoption(ev, "f", ["A", "C", "D"], "done") == pytest.approx(1 / 3)  # B is not eligible
    with pytest.raises(ValueError, match="zero eligible"):
        r.adoption(ev, "f", [], "done")
    with pytest.raises(ValueError, match="No core action"):
        r.adoption(ev, "unknown_feature", ["A"])
    with pytest.raises(ValueError, match="missing"):
        r.adoption(ev.drop(columns="event"), "f", ["A"], "done")


def test_weekly_usage_by_hand():
    ev = _events()
    orders = pd.DataFrame({"merchant_id": ["A", "B", "C", "A", "C"],
                           "created_at": pd.to_datetime(["2026-03-02", "2026-03-05", "2026-03-06", "2026-03-12",
                                                         "2026-03-13"]),
                           "status": ["paid", "paid", "cancelled", "refunded", "paid"]})
    w = r.weekly_usage(ev, orders, "f", ["A", "B", "C"], "2026-03-02", "2026-03-23", core_event="done")
    # week 10: active A, B (C's order was cancelled) = 2; using A, B = 2; new 2; actions 1 + 2 = 3;
    #          per user 3 ÷ 2 = 1.5; usage 2 ÷ 2 = 100 %
    # week 11: active A (refunded counts: it was paid), C = 2; using A = 1; new 0; actions 1; 1.0; 50 %
    # week 12: active nobody = 0; using A = 1; new 0; actions 1; 1.0; usage 0 (no one active: shown as 0)
    assert list(w.week) == [10, 11, 12]
    assert list(w.week_start) == list(pd.to_datetime(["2026-03-02", "2026-03-09", "2026-03-16"]))
    assert list(w.active_merchants) == [2, 2, 0]
    assert list(w.merchants_using) == [2, 1, 1]
    assert list(w.new_adopters) == [2, 0, 0]
    assert list(w.actions) == [3, 1, 1]
    assert list(w.actions_per_user) == [1.5, 1.0, 1.0]
    assert list(w.usage_pct) == [100.0, 50.0, 0.0]
    with pytest.raises(ValueError, match="after start"):
        r.weekly_usage(ev, orders, "f", ["A"], "2026-03-09", "2026-03-02", core_event="done")


# ----------------------------------------------------------------------------- the planted findings


@pytest.fixture(scope="module")
def t():
    return {n: data.load(n) for n in ("feature_events", "feature_requests", "merchants", "orders")}


def test_planted_pseudo_requirement(t):
    u = r.feature_usage(t["feature_events"])
    # quoted in 02.4: the beta was opened by 14, used by 4, kept by 1
    assert u.loc["custom_reports", ["merchants_opened", "merchants_used", "merchants_returning"]].tolist() == [14, 4, 1]
    share = u["returning_share"]
    assert share.idxmin() == "custom_reports" and share["sales_export"] > 0.8 and share["coupon_builder"] > 0.8
    req = t["feature_requests"].set_index("request_id")
    assert req.times_asked.idxmax() == "R01" and req.times_asked["R01"] == 23
    assert req.revenue_at_stake_cny.idxmax() == "R01"


def test_planted_rice_order(t):
    ranked = r.rice(t["feature_requests"])
    assert list(ranked.request_id) == ["R02", "R01", "R08", "R03", "R04", "R07", "R06", "R05"]
    # quoted in the 02.5 solution: R02 30, R01 21.3, R03 14.4, R04 11, R06 6.25, R05 2
    scores = ranked.set_index("request_id").rice_score
    assert [scores[k] for k in ("R02", "R01", "R03", "R04", "R06", "R05")] == [
        30, pytest.approx(21.3333), 14.4, 11, 6.25, 2]
    # 02.6: with confidence 0.2 instead of 0.8, R01 scores 40 × 2 × 0.2 ÷ 3 = 5.33
    assert r.rice_score(40, 2, 0.2, 3) == pytest.approx(5.3333, abs=1e-3)


def test_planted_group_buy(t):
    ev, m = t["feature_events"], t["merchants"]
    smb = m.loc[m.segment == "smb", "merchant_id"]
    assert len(smb) == 32
    assert r.adoption(ev, "group_buy", smb, start="2026-04-06") == 11 / 32
    gb = ev[ev.feature == "group_buy"]
    assert gb.event_time.min() >= pd.Timestamp("2026-04-06")
    assert set(gb.merchant_id) <= set(smb), "chains never use group-buy"
    assert gb.loc[gb.event == "opened", "merchant_id"].nunique() == 29      # "ninety per cent opened it"
    w = r.weekly_usage(ev, t["orders"], "group_buy", smb, "2026-04-06", "2026-06-29")
    assert list(w.week) == list(range(15, 27))
    assert w.new_adopters.sum() == 11
    assert w.merchants_using.iloc[-6:].max() <= 7, "weekly use flattens at a handful of shops"
