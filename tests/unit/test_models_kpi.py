"""models.kpi: variance with direction, status, the most off-track key result — by hand, then the real review."""
from __future__ import annotations

import pandas as pd
import pytest

from ctopath import data
from ctopath.models import kpi


# KR  better  plan  actual  variance  variance %          adverse %  status
# K1  higher   100    80      −20     −20/100 = −0.20      +0.20     off track
# K2  lower     10    13       +3     +3/10   = +0.30      +0.30     off track   ← most off track
# K3  lower      8     4       −4     −4/8    = −0.50      −0.50     on track (favourable, the largest |variance|)
# K4  higher    50    47       −3     −3/50   = −0.06      +0.06     at risk
# K5  higher    20    20        0      0                    0        on track
# K6  higher  −100   −50      +50     +50/|−100| = +0.50   −0.50     on track (a smaller loss than planned)
def _kpis():
    return pd.DataFrame({
        "quarter": ["Q1"] * 6 + ["Q2"],
        "key_result": ["K1", "K2", "K3", "K4", "K5", "K6", "K1"],
        "kind": ["lagging", "lagging", "lagging", "leading", "leading", "lagging", "lagging"],
        "better": ["higher", "lower", "lower", "higher", "higher", "higher", "higher"],
        "plan": [100, 10, 8, 50, 20, -100, 100],
        "actual": [80, 13, 4, 47, 20, -50, 120],
    })


def test_variance_by_hand():
    t = kpi.variance(_kpis())
    assert t["variance"].tolist()[:6] == [-20, 3, -4, -3, 0, 50]
    assert t["variance_pct"].tolist()[:6] == pytest.approx([-0.2, 0.3, -0.5, -0.06, 0.0, 0.5])
    assert t["adverse_pct"].tolist()[:6] == pytest.approx([0.2, 0.3, -0.5, 0.06, 0.0, -0.5])
    assert t["status"].tolist()[:6] == ["off track", "off track", "on track", "at risk", "on track", "on track"]


def test_review_and_most_off_track():
    review = kpi.quarter_review(_kpis(), "Q1")
    assert review["key_result"].tolist()[:2] == ["K2", "K1"]
    assert kpi.most_off_track(_kpis(), "Q1") == "K2"
    assert kpi.most_off_track(_kpis(), "Q2") == "K1"


def test_bad_input():
    with pytest.raises(ValueError, match="better"):
        kpi.variance(_kpis().assign(better="up"))
    with pytest.raises(ValueError, match="non-zero plan"):
        kpi.variance(_kpis().assign(plan=0))
    with pytest.raises(ValueError, match="numeric"):
        kpi.variance(_kpis().assign(actual="n/a"))
    with pytest.raises(ValueError, match="No key results"):
        kpi.quarter_review(_kpis(), "Q9")
    with pytest.raises(ValueError, match="missing the columns"):
        kpi.variance(_kpis().drop(columns=["better"]))


def test_finding_the_q2_review(repo_data):
    table = repo_data("kpi_results")
    q2 = kpi.quarter_review(table, "2026Q2").set_index("key_result")
    assert q2.index[0] == "Self-serve monthly logo churn"
    assert q2.loc["Self-serve monthly logo churn", "adverse_pct"] == pytest.approx(0.36, abs=0.01)
    # the trap: change failure rate has the largest |variance| but it is favourable
    assert q2["variance_pct"].abs().idxmax() == "Change failure rate"
    assert q2.loc["Change failure rate", "status"] == "on track"
    q1 = kpi.quarter_review(table, "2026Q1").set_index("key_result")
    lead = "Trials with an onboarding call within 2 days"
    assert q1.index[0] == lead and q1.loc[lead, "kind"] == "leading"   # it warned a quarter early


def test_real_actuals_agree_with_the_other_tables():
    from ctopath.models import cohorts, dora

    mp = pytest.MonkeyPatch()
    mp.delenv("CTOPATH_DATA", raising=False)
    data.clear_cache()
    try:
        t = {n: data.load(n) for n in ("kpi_results", "deployments", "incidents", "subscriptions", "accounts",
                                        "usage_daily", "usage_monthly")}
    finally:
        mp.undo()
    actual = t["kpi_results"].set_index(["quarter", "key_result"])["actual"]
    keys = dora.four_keys(t["deployments"], t["incidents"]).set_index("period")
    for q in ("2026Q1", "2026Q2"):
        assert actual[(q, "Deployments per day")] == pytest.approx(keys.loc[q, "deploys_per_day"], abs=0.005)
        assert actual[(q, "Change failure rate")] == pytest.approx(100 * keys.loc[q, "change_failure_rate"], abs=0.005)
    months = ["2026-04", "2026-05", "2026-06"]
    churn = sum(cohorts.logo_churn(t["subscriptions"], m, t["accounts"], channel="self_serve") for m in months) / 3
    assert actual[("2026Q2", "Self-serve monthly logo churn")] == pytest.approx(100 * churn, abs=0.005)
    mrr = cohorts.mrr_by_month(t["subscriptions"])
    assert actual[("2026Q2", "Net new MRR")] == pytest.approx(mrr["2026-06"] - mrr["2026-03"])
    stick = cohorts.stickiness(t["usage_daily"], t["usage_monthly"])["smb"]
    assert actual[("2026Q2", "Back-office stickiness (DAU/MAU), small shops")] == pytest.approx(
        100 * stick[months].mean(), abs=0.005)
