"""models.segmentation: Pareto, ground vs air coverage, RFM, the call list — by hand, then the real base."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from ctopath.models import segmentation as s


def test_pareto_and_top_share_by_hand():
    v = pd.Series([5, 50, 10, 30, 5], index=list("abcde"))
    p = s.pareto(v)
    # ranked 50, 30, 10, 5, 5 of 100 → cumulative 0.5, 0.8, 0.9, 0.95, 1.0
    assert p["cumulative_share"].tolist() == pytest.approx([0.5, 0.8, 0.9, 0.95, 1.0])
    assert list(p.index[:2]) == ["b", "d"]
    assert s.top_share(v) == pytest.approx(0.5)            # ceil(0.2 × 5) = 1 account
    assert s.top_share(v, 0.5) == pytest.approx(0.9)       # ceil(2.5) = 3 accounts
    # six accounts: ceil(0.2 × 6) = ceil(1.2) = 2 → (60 + 20) / 100
    assert s.top_share([60, 20, 10, 5, 3, 2]) == pytest.approx(0.8)


@pytest.mark.parametrize("bad", [[], [1, -2], [0, 0], [1, float("nan")], pd.DataFrame({"x": [1]})])
def test_values_bad_input(bad):
    with pytest.raises(ValueError):
        s.top_share(bad)


def test_top_must_be_a_fraction():
    with pytest.raises(ValueError, match="fraction"):
        s.top_share([1, 2], 20)


def test_air_churn_curve():
    # 0.015 + 0.045 × 30 / (30 + spend): 0 → 0.06; 30 → 0.0375; 60 → 0.03
    assert s.air_churn(0) == pytest.approx(0.06)
    assert s.air_churn(30) == pytest.approx(0.0375)
    assert s.air_churn(60) == pytest.approx(0.03)
    with pytest.raises(ValueError):
        s.air_churn(-1)


MRR = pd.Series([5000, 4000, 800, 600, 300, 200, 100], index=[f"A{i}" for i in range(7)], dtype=float)  # 11,000


def test_coverage_by_hand():
    r = s.coverage(MRR, 1000, 30)
    # ground: 5000 + 4000 = 9000 (2 accounts, 1 rep = 15,000); air: 5 accounts × 30 = 150; churn 0.0375
    assert (r["accounts_ground"], r["accounts_air"], r["reps"]) == (2, 5, 1)
    assert r["coverage"] == pytest.approx(9000 / 11000)
    assert r["ground_cost_ratio"] == pytest.approx(15000 / 9000)
    assert (r["air_cost"], r["total_cost"]) == (150, 15150)
    assert r["air_churn"] == pytest.approx(0.0375)
    assert r["total_cost_ratio"] == pytest.approx(15150 / 11000)
    assert s.coverage(MRR, 1000, 30, accounts_per_rep=1)["ground_cost"] == 30000  # 2 reps
    assert s.coverage(MRR, 5000, 0)["accounts_ground"] == 1                       # at the line counts as above


def test_coverage_edges():
    everyone = s.coverage(MRR, 0, 50)
    assert everyone["accounts_air"] == 0 and math.isnan(everyone["air_churn"]) and everyone["air_cost"] == 0
    nobody = s.coverage(MRR, 10_000, 50)
    assert nobody["coverage"] == 0 and math.isnan(nobody["ground_cost_ratio"]) and nobody["reps"] == 0
    for bad in (dict(threshold=-1, ops_per_account=0), dict(threshold=1, ops_per_account=float("nan"))):
        with pytest.raises(ValueError):
            s.coverage(MRR, **bad)
    with pytest.raises(ValueError, match="accounts_per_rep"):
        s.coverage(MRR, 1, 1, accounts_per_rep=0)


# RFM on 30 June 2026. account last active  recency  Apr+May+Jun active days  June MRR
#                      A       06-29        1        20+20+20 = 60            6000
#                      B       05-20        41       10+8+2  = 20             5000
#                      C       06-01        29       10+10+10 = 30            3000
#                      D       05-01        60       3+2+0   = 5               199
#                      E       06-25        5        15+15+15 = 45             248
#                      Z       (cancelled in May: no June row, not scored)
# With five accounts each quintile is one rank, so a score is the rank (5 best):
# R: D 1, B 2, C 3, E 4, A 5 · F: D 1, B 2, C 3, E 4, A 5 · M: D 1, E 2, C 3, B 4, A 5
# → A champions (5,5,5) · B at risk (R 2, M 4) · C loyal (3,3) · D hibernating (R 1) · E loyal (4,4)
def _rfm_frames():
    accounts = pd.DataFrame({
        "merchant_id": list("ABCDEZ"), "merchant_name": [f"Shop {x}" for x in "ABCDEZ"],
        "segment": ["chain", "chain", "smb", "smb", "smb", "smb"],
        "last_active_date": pd.to_datetime(["2026-06-29", "2026-05-20", "2026-06-01", "2026-05-01", "2026-06-25",
                                            "2026-05-02"]),
    })
    days = {"A": (20, 20, 20), "B": (10, 8, 2), "C": (10, 10, 10), "D": (3, 2, 0), "E": (15, 15, 15)}
    mrr = {"A": 6000.0, "B": 5000.0, "C": 3000.0, "D": 199.0, "E": 248.0}
    rows = [(m, pd.Timestamp(f"2026-0{4 + k}-01"), mrr[m], d[k]) for m, d in days.items() for k in range(3)]
    rows.append(("Z", pd.Timestamp("2026-05-01"), 599.0, 1))
    subs = pd.DataFrame(rows, columns=["merchant_id", "month", "mrr_cny", "active_days"])
    events = pd.DataFrame({"merchant_id": ["C", "Z"], "event_date": pd.to_datetime(["2026-06-15", "2026-05-20"]),
                           "event": ["cancelled", "cancelled"]})
    return accounts, subs, events


def test_rfm_by_hand():
    a, subs, _ = _rfm_frames()
    t = s.rfm(a, subs).set_index("merchant_id")
    assert list(t.index) == list("ABCDE")
    assert t["recency_days"].tolist() == [1, 41, 29, 60, 5]
    assert t["frequency"].tolist() == [60, 20, 30, 5, 45]
    assert t[["R", "F", "M"]].values.tolist() == [[5, 5, 5], [2, 2, 4], [3, 3, 3], [1, 1, 1], [4, 4, 2]]
    assert t["segment"].tolist() == ["champions", "at risk", "loyal", "hibernating", "loyal"]


def test_call_list_by_hand():
    a, subs, events = _rfm_frames()
    # paying in June, ≥ 599, quiet ≥ 21 days: B (41 days, 5000) and C (29 days, 3000) — but C has cancelled
    assert s.call_list(a, subs, events)["merchant_id"].tolist() == ["B"]
    assert s.call_list(a, subs, events.iloc[0:0])["merchant_id"].tolist() == ["B", "C"]
    assert s.call_list(a, subs, events, min_mrr=0)["merchant_id"].tolist() == ["B", "D"]
    assert s.call_list(a, subs, events, quiet_days=45).empty
    with pytest.raises(ValueError, match="month"):
        s.mrr_in(subs, "June")
    with pytest.raises(ValueError, match="No subscriptions"):
        s.mrr_in(subs, "2027-01")


# ----------------------------------------------------------------------------- the real base


@pytest.fixture(scope="module")
def real(repo_data):
    return {n: repo_data(n) for n in ("accounts", "subscriptions", "account_events")}


def test_finding_concentration(real):
    m = s.mrr_in(real["subscriptions"], "2026-06")
    assert len(m) == 195
    assert s.top_share(m) == pytest.approx(0.6183, abs=5e-4)    # the top 0.2 × 195 = 39 accounts
    chains = set(real["accounts"].query("segment == 'chain'").merchant_id)
    assert m.index.isin(chains).sum() == 18 and m.index[:18].isin(chains).all()  # the chains are the 18 largest


def test_finding_ground_and_air_feasible_region(real):
    m = s.mrr_in(real["subscriptions"], "2026-06")

    def ok(threshold, spend):
        r = s.coverage(m, threshold, spend)
        return (r["coverage"] >= 0.50 and r["ground_cost_ratio"] <= 0.25 + 1e-9
                and r["air_churn"] <= 0.03 + 1e-9 and r["total_cost_ratio"] <= 0.20)

    assert ok(2000, 80) and ok(900, 60) and ok(2999, 95)
    assert not ok(800, 80)      # two reps for the big self-serve shops: too costly
    assert not ok(3000, 80)     # the ¥2,999 chains lose their rep: coverage under 50 %
    assert not ok(2000, 55)     # the long tail churns over 3 %
    assert not ok(2000, 100)    # total cost over 20 %


def test_finding_call_list(real):
    calls = s.call_list(real["accounts"], real["subscriptions"], real["account_events"])
    assert len(calls) == 9 and (calls.segment == "chain").sum() == 2
    assert (calls.quiet_days >= 21).all() and (calls.mrr_cny >= 599).all()
    rfm = s.rfm(real["accounts"], real["subscriptions"]).set_index("merchant_id")
    assert (rfm.loc[calls.merchant_id, "R"] <= 2).all()
