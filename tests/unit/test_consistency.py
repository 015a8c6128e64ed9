"""One company: a metric that two modules both show gives the same number in each.

Every check compares what *different* modules (or a module and the data it reviews) compute or
state, through each module's own reference functions, exercises' reference answers and the
helpers the notebooks call — never one function against itself. Where a module's stored figure
(kpi_results, a prompt's text) states a number, the number is checked against the computation.
"""
from __future__ import annotations

import pandas as pd
import pytest

from ctopath import data
from ctopath.models import cohorts, delivery, dora, kpi, simulation as sim, unit_economics as ue
from ctopath.course.m03_business_plan import exercises as m03
from ctopath.course.m04_build_launch_operate import exercises as m04
from ctopath.course.m05_four_duties import exercises as m05
from ctopath.course.m06_capstone import exercises as m06

Q2 = ("2026-04-01", "2026-07-01")   # the quarter that ends on the capstone's start, 30 June 2026


@pytest.fixture(scope="module")
def start():
    return sim.starting_state()


@pytest.fixture(scope="module")
def kpis():
    return kpi.quarter_review(data.load("kpi_results"), "2026Q2").set_index("key_result")


def _pooled(subs, accounts, months, ids=None, channel=None):
    """Pooled monthly logo churn with module 04's month-by-month function (cohorts.logo_churn)."""
    if channel is not None:
        ids = accounts.loc[accounts["acquisition_channel"] == channel, "merchant_id"]
    if ids is not None:
        subs = subs[subs["merchant_id"].isin(ids)]
    before = pd.to_datetime(subs["month"]).dt.to_period("M")
    lost = base = 0.0
    for month in months:
        n = subs.loc[before == pd.Period(month) - 1, "merchant_id"].nunique()
        if n:
            lost += cohorts.logo_churn(subs, month) * n
            base += n
    return lost / base


# ----------------------------------------------------------------------------- MRR, ARR, customers

def test_june_mrr_and_arr_are_the_same_in_modules_04_05_and_06(start, kpis):
    subs = data.load("subscriptions")
    june_05 = m05._june_mrr()                                        # 05.8–05.10's accounts and MRR
    by_month_04 = cohorts.mrr_by_month(subs)                         # 04 / 05's MRR trend (results dashboard)
    assert start["mrr_cny"] == pytest.approx(june_05.sum()) == pytest.approx(by_month_04.loc["2026-06"])
    assert start["mrr_cny"] == pytest.approx(161_459)
    # the board's targets in 06 sit on that ARR
    assert sim.targets()["arr_q8_min_cny"] == pytest.approx(sim.DEFAULT.arr_target_multiple * 12 * june_05.sum())
    assert sim.targets()["arr_q4_min_cny"] == pytest.approx(sim.DEFAULT.arr_milestone_multiple * 12 * june_05.sum())
    # 05.11's net new MRR for 2026Q2 is June's MRR minus March's, on the same base
    net_new = by_month_04.loc["2026-06"] - by_month_04.loc["2026-03"]
    assert kpis.loc["Net new MRR", "actual"] == pytest.approx(net_new)
    # the capstone's quarter 0 is the same company
    r0 = sim.simulate(sim.archetype("balanced")).iloc[0]
    assert r0["mrr_cny"] == pytest.approx(june_05.sum())


def test_customers_and_arpa_by_segment_match_module_05(start):
    june = m05._june_mrr()
    segment = data.load("accounts").set_index("merchant_id")["segment"]
    by_seg = june.groupby(june.index.map(segment)).agg(["size", "sum"])
    assert (start["smb"], start["chains"]) == (by_seg.loc["smb", "size"], by_seg.loc["chain", "size"]) == (177, 18)
    assert start["arpa_smb_cny"] == pytest.approx(by_seg.loc["smb", "sum"] / 177)
    # 05.9's coverage model counts the same paying accounts
    cov = m05.coverage_outcome(m05.ground_air.reference_answer())
    assert sum(v for k, v in cov.metrics.items() if k.startswith("accounts with")) == len(june)
    # and 06.1's prompt states the same figures
    prompt = m06.simulation.prompt
    assert f"{start['smb']} small shops, {start['chains']} chains" in prompt


def test_new_chains_in_2026q2_match_the_kpi_review(start, kpis):
    assert kpis.loc["New chain contracts", "actual"] == start["new_chains"] == 2


# ----------------------------------------------------------------------------- churn by segment and channel

def test_self_serve_churn_is_the_same_in_module_05_and_the_unit_economics_of_03(kpis):
    accounts, mrr, _ = ue.tables(data.load)
    ids = accounts.loc[accounts["acquisition_channel"] == "self_serve", "merchant_id"]
    span = (pd.to_datetime(mrr["month"]).min(), pd.to_datetime(mrr["month"]).max())
    by_03 = ue.logo_churn(mrr[mrr["merchant_id"].isin(ids)], *Q2, months=span)          # 03's definition
    by_04 = _pooled(data.load("subscriptions"), data.load("accounts"), ["2026-04", "2026-05", "2026-06"],
                    channel="self_serve")                                                 # 04's function
    assert 100 * by_03 == pytest.approx(kpis.loc["Self-serve monthly logo churn", "actual"], abs=0.005)  # 05.11
    assert by_04 == pytest.approx(by_03)
    assert round(100 * by_03, 1) == 5.7


def test_online_ads_churn_of_03_5_matches_module_04s_function():
    acc = data.load("accounts").merge(data.load("account_channels"), on="merchant_id")
    ads = acc.loc[acc["channel"] == "online_ads", "merchant_id"]
    months = [str(p) for p in pd.period_range("2024-08", "2026-06", freq="M")]
    by_04 = _pooled(data.load("subscriptions"), data.load("accounts"), months, ids=ads)
    assert m03.economics().loc["online_ads", "monthly_churn"] == pytest.approx(by_04)
    assert round(100 * by_04, 1) == 13.9


def test_the_capstones_churn_per_segment_matches_module_04_and_03_8(start):
    acc = data.load("accounts")
    subs = data.load("subscriptions")
    months = ["2026-04", "2026-05", "2026-06"]
    for seg in ("smb", "chain"):
        ids = acc.loc[acc["segment"] == seg, "merchant_id"]
        assert start[f"churn_{seg}_month"] == pytest.approx(_pooled(subs, acc, months, ids=ids))
    # no chain ever left: 03.8's floor rests on the same zero
    assert start["churn_chain_month"] == 0.0 and m03.constraints()["chain_lost"] == 0
    # the simulation's first quarter, at today's incident level, churns exactly the measured rate
    r = sim.simulate(sim.plan_from_phases(sim.STATUS_QUO), assumptions=sim.replace(sim.DEFAULT, noise=0.0))
    assert r.loc[1, "churn_smb"] == pytest.approx(start["churn_smb_quarter"])


# ----------------------------------------------------------------------------- platform share

def test_todays_platform_share_is_the_same_in_modules_04_and_06(start):
    sprints = data.load("sprints")
    share_04 = delivery.platform_share(sprints).tail(13).mean()              # module 04's model
    assert start["platform_share"] == pytest.approx(share_04)
    assert round(100 * share_04, 1) == 23.7
    # 04.2 teaches "about a quarter": its right option is the capstone's habit on the sliders
    right = [o.key for o in m04.allocation.options if o.correct]
    assert right == [str(sim.STATUS_QUO["platform"])] == ["25"]
    # the 06.1 sliders start at that habit
    defaults = m06.simulation.defaults()
    assert (defaults["p1"], defaults["p2"]) == (25, 25)
    # and the trailing share today sits in 04.1's 20–30 % band
    assert delivery.share_bands(sprints).iloc[-1] == "20-30%"


# ----------------------------------------------------------------------------- delivery

def test_deploys_and_failure_rate_are_the_same_in_05_1_and_the_kpi_review(kpis):
    keys = m05.four_keys().set_index("quarter")                              # 05.1's reference answer
    assert kpis.loc["Deployments per day", "actual"] == pytest.approx(keys.loc["2026Q2", "deploys_per_day"], abs=0.005)
    assert kpis.loc["Change failure rate", "actual"] == pytest.approx(
        100 * keys.loc["2026Q2", "change_failure_rate"], abs=0.005)
    # 05.2 rates per service: the same table the lesson and dora.levels use
    lv = dora.levels(dora.four_keys(data.load("deployments"), data.load("incidents"))).set_index("period")
    assert keys.loc["2026Q2", "deploys_per_service_day"] == pytest.approx(
        keys.loc["2026Q2", "deploys_per_day"] / data.load("deployments")["service"].nunique())
    assert lv.loc["2026Q2", "deploys_per_service_day"] == "high"


# ----------------------------------------------------------------------------- acquisition

def test_partner_figures_are_the_same_in_03_4_03_7_and_03_8():
    c = m03.constraints()
    assert c["partner_cac"] == pytest.approx(m03.cac()["partners"])           # 03.4's reference answer
    assert c["partner_cac"] == pytest.approx(m03.economics().loc["partners", "cac_cny"])   # 03.5–03.7
    assert c["partner_churn"] == pytest.approx(m03.economics().loc["partners", "monthly_churn"])
    channels = data.load("account_channels").merge(data.load("accounts"), on="merchant_id")
    partners = channels[channels["channel"] == "partners"]
    assert c["partner_accounts"] == len(partners) and c["partner_chains"] == (partners["segment"] == "chain").sum()
