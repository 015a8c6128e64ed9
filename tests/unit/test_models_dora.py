"""models.dora: the four keys, DORA levels (per service) and error budgets — by hand, then the planted findings."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from ctopath.models import dora


# 2025Q3 (92 days): X1 lead 24 h · X2 12 h · X3 48 h          → 3/92 per day, median lead 24 h
# 2025Q4 (92 days): X4 1 h · X5 3 h                           → 2/92 per day, median lead 2 h
# incidents: I1 from X2 (Q3, 2 h) · I2 no deployment (Q3, 24 h) · I3 from X4 (Q4, 0.5 h) ·
#            I4 from X3, but it *starts* in Q4 (4 h)
# failed deployments: Q3 X2, X3 → 2/3; Q4 X4 → 1/2.
# restore (deployment-caused incidents by the quarter they start): Q3 I1 → 2 h; Q4 I3, I4 → (0.5 + 4)/2 = 2.25 h
def _frames():
    dep = pd.DataFrame({
        "deploy_id": ["X1", "X2", "X3", "X4", "X5"],
        "first_commit_at": pd.to_datetime(["2025-07-09 12:00", "2025-07-31 22:00", "2025-09-28 18:00",
                                           "2025-10-02 09:00", "2025-12-31 17:00"]),
        "deployed_at": pd.to_datetime(["2025-07-10 12:00", "2025-08-01 10:00", "2025-09-30 18:00",
                                       "2025-10-02 10:00", "2025-12-31 20:00"]),
    })
    inc = pd.DataFrame({
        "incident_id": ["I1", "I2", "I3", "I4"],
        "started_at": pd.to_datetime(["2025-08-01 11:00", "2025-09-01 00:00", "2025-10-02 11:00", "2025-10-01 01:00"]),
        "restored_at": pd.to_datetime(["2025-08-01 13:00", "2025-09-02 00:00", "2025-10-02 11:30", "2025-10-01 05:00"]),
        "deploy_id": ["X2", None, "X4", "X3"],
    })
    return dep, inc


def test_four_keys_by_hand():
    k = dora.four_keys(*_frames()).set_index("period")
    assert list(k.index) == ["2025Q3", "2025Q4"]
    # no service column: one service, so per service = the platform's total
    assert k.loc["2025Q3"].tolist() == pytest.approx([3, 3 / 92, 1, 3 / 92, 24.0, 2 / 3, 2.0])
    assert k.loc["2025Q4"].tolist() == pytest.approx([2, 2 / 92, 1, 2 / 92, 2.0, 1 / 2, 2.25])


def test_frequency_is_rated_per_service():
    dep, inc = _frames()
    dep = dep.assign(service=["a", "a", "b", "b", "c"])
    k = dora.four_keys(dep, inc).set_index("period")
    # three services on the platform: Q4's two deployments are 2/92 a day in all, 2/92/3 per service
    assert k.loc["2025Q4", ["deploys_per_day", "services", "deploys_per_service_day"]].tolist() == \
        pytest.approx([2 / 92, 3, 2 / 92 / 3])
    per = dora.four_keys(dep, inc, by="service").set_index(["service", "period"])
    assert per.loc[("a", "2025Q3"), "deployments"] == 2
    assert per.loc[("b", "2025Q3"), "change_failure_rate"] == pytest.approx(1.0)   # X3 caused I4
    assert per.loc[("c", "2025Q4"), "deploys_per_service_day"] == pytest.approx(1 / 92)
    assert list(dora.levels(dora.four_keys(dep, inc, by="service")).columns)[:2] == ["service", "period"]
    with pytest.raises(ValueError, match="by must be"):
        dora.four_keys(dep, inc, by="team")
    # many services each deploying twice a week are not one elite service: 16 services × 26 in the quarter
    many = pd.DataFrame({"deploy_id": [f"D{i}" for i in range(16 * 26)],
                         "service": [f"s{i % 16}" for i in range(16 * 26)],
                         "first_commit_at": pd.Timestamp("2025-07-01"),
                         "deployed_at": [pd.Timestamp("2025-07-01 12:00") + pd.Timedelta(hours=84 * (i // 16))
                                         for i in range(16 * 26)]})
    keys = dora.four_keys(many, inc.iloc[0:0])
    assert dora.rate("deploys_per_service_day", keys.loc[0, "deploys_per_day"]) == "elite"
    assert dora.levels(keys).loc[0, "deploys_per_service_day"] == "high"


def test_monthly_periods():
    k = dora.four_keys(*_frames(), freq="M").set_index("period")
    # July: X1 only, 1/31 per day; August: X2, failed, restored in 2 h
    assert k.loc["2025-07", "deploys_per_day"] == pytest.approx(1 / 31)
    assert k.loc["2025-08", ["change_failure_rate", "restore_hours"]].tolist() == [1.0, 2.0]
    assert math.isnan(k.loc["2025-07", "restore_hours"])


def test_levels_by_hand():
    k = dora.four_keys(*_frames())
    lv = dora.levels(k).set_index("period")
    # Q3: 3/92 = 0.0326 < 1/30 → low; 24 h is not "less than a day" → high; 2/3 → low; 2 h → high
    assert lv.loc["2025Q3"].tolist() == ["low", "high", "low", "high"]
    assert lv.loc["2025Q4"].tolist() == ["low", "elite", "low", "high"]
    assert dora.payoff_period(k) is None
    assert dora.payoff_period(k, "low") == "2025Q3"


@pytest.mark.parametrize("key, value, level", [
    ("deploys_per_service_day", 1.0, "elite"), ("deploys_per_service_day", 1 / 7, "high"),
    ("deploys_per_service_day", 0.14, "medium"),
    ("deploys_per_service_day", 1 / 30, "medium"), ("deploys_per_service_day", 0.03, "low"),
    ("lead_time_hours", 23.9, "elite"), ("lead_time_hours", 24, "high"), ("lead_time_hours", 168, "medium"),
    ("lead_time_hours", 720, "low"),
    ("change_failure_rate", 0.05, "elite"), ("change_failure_rate", 0.0501, "high"),
    ("change_failure_rate", 0.15, "medium"), ("change_failure_rate", 0.64, "low"),
    ("restore_hours", 0.99, "elite"), ("restore_hours", 1.0, "high"), ("restore_hours", 30, "medium"),
    ("restore_hours", 168, "low"), ("restore_hours", float("nan"), "n/a"),
])
def test_rate_thresholds(key, value, level):
    assert dora.rate(key, value) == level


def test_rate_bad_input():
    with pytest.raises(ValueError, match="key"):
        dora.rate("mttr", 1)
    with pytest.raises(ValueError, match="negative"):
        dora.rate("lead_time_hours", -1)
    with pytest.raises(ValueError, match="number"):
        dora.rate("lead_time_hours", "fast")
    with pytest.raises(ValueError, match="at_least"):
        dora.payoff_period(dora.four_keys(*_frames()), "great")


def test_four_keys_bad_input():
    dep, inc = _frames()
    with pytest.raises(ValueError, match="freq"):
        dora.four_keys(dep, inc, freq="W")
    with pytest.raises(ValueError, match="before their first commit"):
        dora.four_keys(dep.assign(first_commit_at=dep.deployed_at + pd.Timedelta(hours=1)), inc)
    with pytest.raises(ValueError, match="missing the columns"):
        dora.four_keys(dep.drop(columns=["first_commit_at"]), inc)
    with pytest.raises(ValueError, match="no rows"):
        dora.four_keys(dep.iloc[0:0], inc)


# P: SLO 99.9 %, 2 days × 1,000,000 requests, 300 + 500 failed → budget 0.001 × 2,000,000 = 2,000;
#    used 800 / 2,000 = 40 % → 60 % left; availability 100 × (1 − 800/2,000,000) = 99.96 %
# R: SLO 99 %, 10,000 requests, 150 failed → budget 100 → used 150 % → −50 % left
def _availability():
    av = pd.DataFrame({"date": pd.to_datetime(["2026-04-01", "2026-04-02", "2026-04-01"]),
                       "service": ["P", "P", "R"], "requests": [1_000_000, 1_000_000, 10_000],
                       "failed_requests": [300, 500, 150]})
    slos = pd.DataFrame({"service": ["P", "R"], "slo_pct": [99.9, 99.0]})
    return av, slos


def test_error_budget_by_hand():
    t = dora.error_budget(*_availability()).set_index("service")
    assert t.loc["P", ["budget_requests", "budget_used_pct", "budget_left_pct"]].tolist() == pytest.approx([2000, 40, 60])
    assert t.loc["P", "availability_pct"] == pytest.approx(99.96)
    assert t.loc["R", "budget_left_pct"] == pytest.approx(-50)
    # the first day only: P 300 / (0.001 × 1,000,000) = 30 % used
    assert dora.error_budget(*_availability(), end="2026-04-01").set_index("service").loc["P", "budget_used_pct"] == \
        pytest.approx(30)
    assert dora.budget_burn(*_availability(), "P")["budget_used_pct"].tolist() == pytest.approx([15, 40])


def test_error_budget_bad_input():
    av, slos = _availability()
    with pytest.raises(ValueError, match="strictly between"):
        dora.error_budget(av, slos.assign(slo_pct=100.0))
    with pytest.raises(ValueError, match="No availability"):
        dora.error_budget(av, slos, start="2027-01-01")
    with pytest.raises(ValueError, match="no requests"):
        dora.error_budget(av.assign(requests=0), slos)
    with pytest.raises(ValueError, match="No SLO"):
        dora.budget_burn(av, slos, "Q")


# ----------------------------------------------------------------------------- the planted findings


@pytest.fixture(scope="module")
def real(repo_data):
    return {n: repo_data(n) for n in ("deployments", "incidents", "availability", "slos")}


def test_finding_investment_paid_off_in_2025q4(real):
    keys = dora.four_keys(real["deployments"], real["incidents"])
    assert keys["period"].tolist() == ["2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2"]
    assert dora.payoff_period(keys) == "2025Q4"
    lv = dora.levels(keys).set_index("period")
    assert lv.loc["2025Q3", "change_failure_rate"] == "low"           # the J-curve
    k = keys.set_index("period")
    assert k.loc["2025Q3", "change_failure_rate"] > k.loc["2025Q2", "change_failure_rate"]
    # rated per service, as DORA does: the platform deploys 1.6 times a day, its busiest service 0.29 times
    assert lv.loc["2026Q2"].tolist() == ["high", "elite", "elite", "elite"]
    assert k.loc["2026Q2", "deploys_per_day"] >= 1.0
    per = dora.four_keys(real["deployments"], real["incidents"], by="service")
    assert per["deploys_per_service_day"].max() == pytest.approx(26 / 91)
    assert set(dora.levels(per)["deploys_per_service_day"]) <= {"high", "medium", "low"}
    # non-deployment incidents exist and take longer: leaving them out matters
    assert real["incidents"]["deploy_id"].isna().sum() == 24


def test_finding_error_budgets(real):
    t = dora.error_budget(real["availability"], real["slos"]).set_index("service")
    assert t.loc["payments", "budget_left_pct"] == pytest.approx(13.8, abs=0.05)
    assert t.loc["reporting", "budget_left_pct"] < 0
    burn = dora.budget_burn(real["availability"], real["slos"], "payments")
    jump = burn["budget_used_pct"].diff()
    assert pd.Timestamp(burn.loc[jump.idxmax(), "date"]) == pd.Timestamp("2026-04-17")
