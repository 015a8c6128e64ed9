"""models.simulation: the equations checked by hand, the three archetypes, no knife-edge, clear errors."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from ctopath.models import simulation as sim

NO_NOISE = sim.replace(sim.DEFAULT, noise=0.0)

# A small company to compute by hand: 100 small shops at 300 CNY, 10 chains at 4 000 CNY a month.
START = {"chains": 10, "smb": 100, "arpa_chain_cny": 4000.0, "arpa_smb_cny": 300.0, "mrr_cny": 70000.0,
         "arr_cny": 840000.0, "cash_cny": 1_000_000.0, "engineers": 10, "health": 50.0, "maturity": 50.0,
         "churn_smb_quarter": 0.03, "churn_chain_quarter": 0.01, "cost_to_serve": 0.25, "incidents": 9,
         "new_smb": 16}
Q = {"features": 50, "platform": 30, "custom": 10, "growth": 10}


def _plan(first_hires=2, price=1.0):
    return [{**Q, "hires": first_hires if i == 0 else 0, "price": price} for i in range(8)]


def _row(result, quarter):
    return result.loc[result["quarter"] == quarter].iloc[0]


# ----------------------------------------------------------------------------- the starting state

def _tiny_company():
    """Two chains, four small shops, April–June 2026, by hand."""
    accounts = pd.DataFrame({"merchant_id": ["C1", "C2", "S1", "S2", "S3", "S4"],
                             "segment": ["chain", "chain", "smb", "smb", "smb", "smb"],
                             "signup_date": pd.to_datetime(["2025-01-01", "2026-05-10", "2025-05-01", "2026-01-01",
                                                            "2026-02-01", "2026-04-20"])})
    rows = [("C1", m, 4000.0) for m in ("2026-03", "2026-04", "2026-05", "2026-06")]
    rows += [("C2", m, 5000.0) for m in ("2026-05", "2026-06")]
    rows += [("S1", m, 200.0) for m in ("2026-03", "2026-04", "2026-05", "2026-06")]
    rows += [("S2", m, 300.0) for m in ("2026-03", "2026-04")]                   # lost in May
    rows += [("S3", m, 400.0) for m in ("2026-03", "2026-04", "2026-05", "2026-06")]
    rows += [("S4", m, 500.0) for m in ("2026-04", "2026-05", "2026-06")]
    subs = pd.DataFrame(rows, columns=["merchant_id", "month", "mrr_cny"]).assign(active_days=20)
    subs["month"] = pd.to_datetime(subs["month"])
    costs = subs[["merchant_id", "month"]].assign(cost_to_serve_cny=subs["mrr_cny"] * 0.2)
    tables = {
        "accounts": accounts, "subscriptions": subs, "serving_costs": costs,
        "account_channels": accounts[["merchant_id"]].assign(channel="partners"),
        "acquisition_spend": pd.DataFrame({"month": pd.to_datetime(["2026-04-01"]), "channel": ["partners"],
                                           "spend_cny": [1000.0]}),
        "sprints": pd.DataFrame({"sprint_id": [f"SP{i}" for i in range(14)], "engineers": [9] * 13 + [11],
                                 "capacity_points": [100] * 14, "feature_points": [70] * 14,
                                 "platform_points": [10] + [30] * 13, "unplanned_points": [0] * 14,
                                 "incidents": [0] * 14, "lead_time_days": [1.0] * 14}),
        "incidents": pd.DataFrame({"incident_id": ["I1", "I2", "I3"],
                                   "started_at": pd.to_datetime(["2026-03-30", "2026-04-02", "2026-06-29"]),
                                   "restored_at": pd.to_datetime(["2026-03-31", "2026-04-03", "2026-06-30"]),
                                   "deploy_id": [None, None, None]}),
    }
    return tables.__getitem__


def test_starting_state_by_hand_on_tiny_tables():
    s = sim.starting_state(_tiny_company())
    # billed in June 2026: C1, C2 · S1, S3, S4
    assert (s["chains"], s["smb"]) == (2, 3)
    assert s["arpa_chain_cny"] == 4500.0                    # (4000 + 5000) / 2
    assert s["arpa_smb_cny"] == pytest.approx(1100 / 3)     # (200 + 400 + 500) / 3
    assert s["mrr_cny"] == 10_100.0 and s["arr_cny"] == 121_200.0
    # small shops at the start of April, May, June: 3, 4, 3; lost: S2 in May → 1 / 10 a month
    assert s["churn_smb_month"] == pytest.approx(0.1)
    assert s["churn_smb_quarter"] == pytest.approx(1 - 0.9 ** 3)
    assert s["churn_chain_month"] == 0.0
    assert s["cost_to_serve"] == pytest.approx(0.2)
    assert s["engineers"] == 11
    assert s["platform_share"] == pytest.approx(0.30)      # the last 13 sprints, not the first one
    assert s["incidents"] == 2                              # I2 and I3 started in the quarter; I1 in March
    assert s["health"] == pytest.approx(100 * (1 - 2 / sim.DEFAULT.incidents_at_zero_health))
    assert (s["new_smb"], s["new_chains"]) == (1, 1)        # S4 and C2 signed up in the quarter


def test_starting_state_re_derived_from_the_csvs(repo_data):
    """The start, from the CSVs with pandas alone (no ctopath model): the company modules 03–05 measure."""
    acc, subs = repo_data("accounts"), repo_data("subscriptions")
    costs, sprints, incidents = repo_data("serving_costs"), repo_data("sprints"), repo_data("incidents")
    month = pd.to_datetime(subs["month"])
    june = subs[month == "2026-06-01"].merge(acc[["merchant_id", "segment"]], on="merchant_id")
    by_seg = june.groupby("segment")["mrr_cny"].agg(["size", "sum"])
    s = sim.starting_state()
    assert (s["chains"], s["smb"]) == (by_seg.loc["chain", "size"], by_seg.loc["smb", "size"]) == (18, 177)
    assert s["mrr_cny"] == pytest.approx(june["mrr_cny"].sum()) == pytest.approx(161_459)
    assert s["arr_cny"] == pytest.approx(12 * 161_459)
    assert s["arpa_smb_cny"] == pytest.approx(by_seg.loc["smb", "sum"] / 177)     # about 446
    assert s["arpa_chain_cny"] == pytest.approx(by_seg.loc["chain", "sum"] / 18)
    # monthly logo churn per segment, April–June 2026, pooled: lost ÷ billed the month before
    for seg in ("smb", "chain"):
        ids = set(acc.loc[acc["segment"] == seg, "merchant_id"])
        billed = {m: set(subs.loc[(month == m) & subs["merchant_id"].isin(ids), "merchant_id"])
                  for m in pd.date_range("2026-03-01", "2026-06-01", freq="MS")}
        months = sorted(billed)
        lost = sum(len(billed[p] - billed[c]) for p, c in zip(months, months[1:]))
        base = sum(len(billed[p]) for p in months[:-1])
        assert s[f"churn_{seg}_month"] == pytest.approx(lost / base)
    assert s["churn_chain_month"] == 0.0                    # no chain ever left
    assert s["churn_smb_quarter"] == pytest.approx(1 - (1 - s["churn_smb_month"]) ** 3)
    q2 = subs[(month >= "2026-04-01") & (month < "2026-07-01")].merge(costs, on=["merchant_id", "month"])
    assert s["cost_to_serve"] == pytest.approx(q2["cost_to_serve_cny"].sum() / q2["mrr_cny"].sum())
    assert s["engineers"] == sprints["engineers"].iloc[-1] == 14
    last13 = sprints.tail(13)
    assert s["platform_share"] == pytest.approx((last13["platform_points"] / last13["capacity_points"]).mean())
    assert round(100 * s["platform_share"], 1) == 23.7
    started = pd.to_datetime(incidents["started_at"])
    assert s["incidents"] == ((started >= "2026-04-01") & (started < "2026-07-01")).sum()
    t = sim.targets(s)
    assert t["arr_q4_min_cny"] == pytest.approx(1.4 * 12 * 161_459)
    assert t["arr_q8_min_cny"] == pytest.approx(3 * 12 * 161_459)
    # today's habit on the sliders is today's platform share, to the slider's 5-point step
    assert sim.STATUS_QUO == sim.todays_allocation(s)
    assert sim.STATUS_QUO["platform"] == 25


def test_starting_state_bad_input():
    with pytest.raises(ValueError, match="loads a table"):
        sim.starting_state([1, 2])
    tables = _tiny_company()

    def no_chains(name):
        t = tables(name)
        if name == "subscriptions":
            return t[~t["merchant_id"].str.startswith("C")]
        return t
    with pytest.raises(ValueError, match="No chain customers"):
        sim.starting_state(no_chains)


# ----------------------------------------------------------------------------- the equations by hand

def test_quarter_one_by_hand():
    r = sim.simulate(_plan(), start=START, assumptions=NO_NOISE)
    q1 = _row(r, 1)
    # 1. 10 + 2 hires = 12 engineers; the 2 new ones are 0 % productive → 10 productive
    assert q1["engineers"] == 12 and q1["productive"] == 10
    # 2. speed = 0.5 + 50/100 = 1.0;  3. incidents today = 20 × (1 − 0.5) = 10 → fire = 0.02 × 10 = 0.2
    assert q1["speed"] == pytest.approx(1.0) and q1["firefighting"] == pytest.approx(0.2)
    # 4. capacity = 10 × 1.0 × 0.8 = 8 engineer-quarters: F 4.0, P 2.4, U 0.8, G 0.8
    assert q1["capacity"] == pytest.approx(8.0)
    # 5. maturity = 50 + 5 × 4.0 × (100 − 50)/100 − 3.5 = 56.5
    assert q1["maturity"] == pytest.approx(56.5)
    # 6. health = 50 + 2.5×2.4 − 1.0×4.0 − 2.5×0.8 − 0.002×110 = 50 + 6 − 4 − 2 − 0.22 = 49.78
    assert q1["health"] == pytest.approx(49.78)
    # 7. incidents = 20 × (1 − 0.4978) × √(110/110) = 10.044
    assert q1["incidents"] == pytest.approx(10.044)
    # 8. new smb = last quarter's 16 × (50/50)^1.5 × (1 + 0.1 × 0.8) = 17.28
    assert q1["new_smb"] == pytest.approx(17.28, rel=1e-9)
    # 9. new chains = 0.5 × (3.0 + 1.0 × 0) = 1.5: no custom work was done before quarter 1
    assert q1["new_chains"] == pytest.approx(1.5)
    # 10. churn uses last quarter's 10 incidents: 1 above today's 9 (START["incidents"])
    #     smb 0.03 + 0.012 × 1 = 0.042; chains 0.01 + 0.012 / 3 × 1 = 0.014
    assert q1["churn_smb"] == pytest.approx(0.042) and q1["churn_chain"] == pytest.approx(0.014)
    # 11. smb = 100 × 0.958 + 17.28 = 113.08; chains = 10 × 0.986 + 1.5 = 11.36
    assert q1["smb"] == pytest.approx(113.08) and q1["chains"] == pytest.approx(11.36)
    # 12. MRR = 113.08 × 300 + 11.36 × 4000 = 33 924 + 45 440 = 79 364
    assert q1["mrr_cny"] == pytest.approx(79364.0, abs=0.01)
    assert q1["arr_cny"] == pytest.approx(12 * 79364.0, abs=0.1)
    # 13. revenue = 3 × (70 000 + 79 364) / 2 = 224 046
    #     costs = 60 000 × 12 + 30 000 × 2 + 250 000 + 0.25 (START's cost to serve) × 224 046 = 1 086 011.5
    #     cash = 1 000 000 + 224 046 − 1 086 011.5 = 138 034.5
    assert q1["revenue_cny"] == pytest.approx(224046.0, abs=0.01)
    assert q1["costs_cny"] == pytest.approx(1086011.5, abs=0.01)
    assert q1["cash_cny"] == pytest.approx(138034.5, abs=0.02)


def test_the_lags_in_quarter_two_and_three():
    r = sim.simulate(_plan(), start=START, assumptions=NO_NOISE)
    q2, q3 = _row(r, 2), _row(r, 3)
    # the two hires of quarter 1 are 50 % productive in quarter 2, 100 % in quarter 3
    assert q2["productive"] == 11 and q3["productive"] == 12
    # speed follows health two quarters late: quarter 2 still uses today's 50, quarter 3 uses quarter 1's 49.78
    assert q2["speed"] == pytest.approx(1.0)
    assert q3["speed"] == pytest.approx(0.5 + 0.4978)
    # firefighting follows last quarter's incidents: 0.02 × 10.044 = 0.20088
    assert q2["firefighting"] == pytest.approx(0.20088)
    # custom work of quarter 1 (0.8 engineer-quarters) closes chains in quarter 2, at quarter 1's maturity:
    # 0.565 × (3.0 + 1.0 × 0.8) = 2.147
    assert q2["new_chains"] == pytest.approx(2.147)
    # features of quarter 1 win shops in quarter 2 through maturity 56.5 (today 50)
    capacity2 = 11 * 1.0 * (1 - 0.20088)
    expected = 16 * (56.5 / 50) ** 1.5 * (1 + 0.1 * 0.1 * capacity2)   # growth is 10 % of capacity
    assert q2["new_smb"] == pytest.approx(expected)


def test_price_scales_bills_wins_and_churn():
    base = sim.simulate(_plan(), start=START, assumptions=NO_NOISE)
    dear = sim.simulate(_plan(price=1.2), start=START, assumptions=NO_NOISE)
    b, d = _row(base, 1), _row(dear, 1)
    assert d["new_smb"] == pytest.approx(b["new_smb"] * 1.2 ** -1.5)        # 17.28 × 0.7607
    assert d["churn_smb"] == pytest.approx(0.042 * 1.2 ** 1.5)               # 0.0552
    assert d["mrr_cny"] == pytest.approx(1.2 * (d["smb"] * 300 + d["chains"] * 4000))


def test_mrr_bridge_by_hand_and_it_adds_up():
    r = sim.simulate(_plan(), start=START, assumptions=NO_NOISE)
    bridge = sim.mrr_bridge(r, START)
    q1 = bridge.iloc[0]
    # new: 17.28 × 300 + 1.5 × 4000 = 5 184 + 6 000 = 11 184
    assert q1["new_mrr_cny"] == pytest.approx(11184.0, abs=0.01)
    # churned: 100 × 0.042 × 300 + 10 × 0.014 × 4000 = 1 260 + 560 = 1 820
    assert q1["churned_mrr_cny"] == pytest.approx(1820.0)
    # 70 000 + 11 184 − 1 820 = 79 364
    assert q1["mrr_end_cny"] == pytest.approx(79364.0, abs=0.01)
    for price in (1.0, 0.8, 1.3):
        b = sim.mrr_bridge(sim.simulate(sim.plan_from_phases(Q, {**Q, "price": price})))
        total = b.mrr_start_cny + b.new_mrr_cny - b.churned_mrr_cny + b.repricing_mrr_cny
        assert total.to_numpy() == pytest.approx(b.mrr_end_cny.to_numpy())
    assert len(bridge) == 8


def test_seeded_and_deterministic():
    plan = sim.archetype("balanced")
    a, b = sim.simulate(plan), sim.simulate(plan)
    pd.testing.assert_frame_equal(a, b)
    c = sim.simulate(plan, seed=7)
    assert not math.isclose(a.arr_cny.iloc[-1], c.arr_cny.iloc[-1])
    # the wobble is the same for every plan: two plans face the same market
    assert list(sim.market_noise(7)) == list(sim.market_noise(7))
    assert all(0.8 <= x <= 1.2 for x in sim.market_noise(3))


def test_a_dataframe_plan_is_the_same_as_a_list():
    plan = sim.archetype("balanced")
    pd.testing.assert_frame_equal(sim.simulate(plan), sim.simulate(pd.DataFrame(plan)))


# ----------------------------------------------------------------------------- the three archetypes

@pytest.fixture(scope="module")
def runs():
    return {name: sim.simulate(sim.archetype(name)) for name in sim.ARCHETYPES}


def test_all_features_wins_early(runs):
    af, bal = runs["all_features"], runs["balanced"]
    for q in (2, 3, 4):
        assert _row(af, q)["arr_cny"] > _row(bal, q)["arr_cny"], f"quarter {q}"
    # at quarter 4 it is ahead by more than 2 %, and it meets the board's milestone
    assert _row(af, 4)["arr_cny"] > 1.02 * _row(bal, 4)["arr_cny"]
    assert sim.check_targets(af)["milestone"]


def test_all_features_then_collapses(runs):
    af = runs["all_features"]
    peak = int(af.loc[af.arr_cny.idxmax(), "quarter"])
    assert 5 <= peak < 8
    assert af.arr_cny.iloc[-1] < 0.96 * af.arr_cny.max()          # ARR falls in the later quarters
    assert af.health.is_monotonic_decreasing and af.health.iloc[-1] < 10
    assert af.incidents.iloc[1] > sim.starting_state()["incidents"]   # the warning shows in quarter 1
    met = sim.check_targets(af)
    assert not met["arr"] and not met["incidents"] and not met["health"]
    assert any("peaked in quarter" in note for note in sim.diagnose(af))


def test_all_platform_starves_the_business(runs):
    ap = runs["all_platform"]
    met = sim.check_targets(ap)
    assert not met["arr"] and not met["milestone"]
    assert met["incidents"] and met["health"] and met["cash"]
    assert ap.arr_cny.iloc[-1] < 0.5 * sim.targets()["arr_q8_min_cny"]
    assert ap.maturity.iloc[-1] < ap.maturity.iloc[0]
    assert any("maturity slid" in note for note in sim.diagnose(ap))


def test_the_balanced_plan_that_shifts_with_the_phase_meets_every_target_with_room(runs):
    bal = runs["balanced"]
    assert all(sim.check_targets(bal).values())
    t = sim.targets()
    last = bal.iloc[-1]
    assert last.arr_cny > 1.1 * t["arr_q8_min_cny"]
    assert _row(bal, 4)["arr_cny"] > 1.05 * t["arr_q4_min_cny"]
    assert bal.cash_cny.min() > 1_000_000
    assert last.incidents < t["incidents_q8_max"] - 3 and last.health > t["health_q8_min"] + 10
    assert sim.diagnose(bal) == []
    # it overtakes all-features in the second phase
    assert _row(bal, 5)["arr_cny"] > _row(runs["all_features"], 5)["arr_cny"]


def test_shifting_with_the_phase_matters():
    p1, p2 = sim.BALANCED_PHASES
    shifted = sim.simulate(sim.plan_from_phases(p1, p2)).arr_cny.iloc[-1]
    flat = sim.simulate(sim.plan_from_phases({k: (p1[k] + p2[k]) / 2 for k in p1})).arr_cny.iloc[-1]
    reversed_ = sim.simulate(sim.plan_from_phases(p2, p1))
    assert shifted > 1.1 * flat                     # the same average effort, not shifted: ~16 % less ARR
    assert not sim.check_targets(reversed_)["arr"]  # growth before the product is ready: misses ARR


# ----------------------------------------------------------------------------- no knife-edge

def _nudged():
    p1, p2 = sim.BALANCED_PHASES
    for phase in (0, 1):
        for src in sim.AREAS:
            for dst in sim.AREAS:
                phases = [dict(p1), dict(p2)]
                if src == dst or phases[phase][src] < 5:
                    continue
                phases[phase][src] -= 5
                phases[phase][dst] += 5
                yield f"phase {phase + 1}: 5 points {src}→{dst}", phases


@pytest.mark.parametrize("label,phases", list(_nudged()), ids=[label for label, _ in _nudged()])
def test_moving_five_points_anywhere_still_wins(label, phases):
    assert all(sim.check_targets(sim.simulate(sim.plan_from_phases(*phases))).values()), label


@pytest.mark.parametrize("price", [0.9, 1.0, 1.1, 1.2, 1.3])
def test_a_moderate_price_change_still_wins(price):
    assert all(sim.check_targets(sim.simulate(sim.plan_from_phases(*sim.BALANCED_PHASES, price=price))).values())


@pytest.mark.parametrize("seed", range(20))
def test_another_market_wobble_still_wins(seed):
    assert all(sim.check_targets(sim.simulate(sim.archetype("balanced"), seed=seed)).values())


def test_hiring_changes_fail_for_a_stated_reason():
    p1, p2 = sim.BALANCED_PHASES
    # one more hire a quarter in either phase: still wins (and ARR is higher)
    for phases in ([{**p1, "hires": 2}, p2], [p1, {**p2, "hires": 2}]):
        assert all(sim.check_targets(sim.simulate(sim.plan_from_phases(*phases))).values())
    fewer = sim.simulate(sim.plan_from_phases({**p1, "hires": 0}, p2))
    # no hires in phase 1: the 14 engineers the sprints show today are enough for this plan
    assert all(sim.check_targets(fewer).values())
    # four hires every quarter: cash runs out, and the notes say when and why
    many = sim.simulate(sim.plan_from_phases({**p1, "hires": 4}, {**p2, "hires": 4}))
    met = sim.check_targets(many)
    assert not met["cash"]
    assert any(n.startswith("Cash ran out in quarter") for n in sim.diagnose(many))


# ----------------------------------------------------------------------------- clear errors

@pytest.mark.parametrize("change,fragment", [
    ({"features": 45}, "add up to 90 %, under 100 %"),   # quarter 3 is phase 1: 45+40+5+0
    ({"features": 60}, "add up to 105 %, over 100 %"),
    ({"features": 0, "platform": 0, "custom": 0, "growth": 0}, "every share is zero"),
    ({"features": 0.5, "platform": 0.3, "custom": 0.1, "growth": 0.1}, "add up to 1"),
    ({"features": 60, "custom": -10}, "cannot be negative"),
    ({"hires": -1}, "hires cannot be negative"),
    ({"hires": 1.5}, "whole number"),
    ({"hires": 11}, "at most 10"),
    ({"price": 2.0}, "between 0.7 and 1.5"),
    ({"price": float("nan")}, "finite number"),
    ({"features": "lots"}, "must be a number"),
    ({"overtime": 10}, "unknown setting"),
])
def test_bad_quarters_get_a_clear_message(change, fragment):
    plan = sim.archetype("balanced")
    plan[2] = {**plan[2], **change}
    with pytest.raises(ValueError, match=fragment) as err:
        sim.simulate(plan)
    assert "Quarter 3" in str(err.value)


@pytest.mark.parametrize("plan,fragment", [
    ([{"features": 100}] * 7, "exactly 8 quarters"),
    ("all features", "list of 8 dicts"),
    ([1] * 8, "expected a dict"),
    (None, "list of 8 dicts"),
])
def test_bad_plans_get_a_clear_message(plan, fragment):
    with pytest.raises(ValueError, match=fragment):
        sim.simulate(plan)


def test_plan_from_phases_checks_each_phase():
    with pytest.raises(ValueError, match="Phase 2: every share is zero"):
        sim.plan_from_phases({"features": 100}, {"features": 0})
    with pytest.raises(ValueError, match="Phase 1 must be a dict"):
        sim.plan_from_phases([100, 0, 0, 0])
    assert sim.plan_from_phases({"features": 100})[7]["features"] == 100   # phase 2 defaults to phase 1
    with pytest.raises(ValueError, match="Unknown plan"):
        sim.archetype("yolo")


# ----------------------------------------------------------------------------- the dashboard explorer

def test_the_dashboard_runs_replays_and_explains_bad_plans():
    from ctopath.course.m06_capstone.explorers import simulation_dashboard

    explorer = simulation_dashboard()
    box = explorer.box
    picker, grid, price, run, targets, replay, chart, table = box.children[1:]
    assert "targets met" in targets.value and chart.value and "Q2 2028" in table.value
    replay.value = 2
    assert "Q4 2026" in table.value and "Q1 2027" not in table.value
    picker.value = "All features"
    run.click()
    assert "peaked in quarter" in targets.value and replay.value == 8
    cells = [c for c in grid.children if hasattr(c, "max") and c.max == 100]
    cells[0].value = 0                       # quarter 1 features: the shares now add up to 0 %
    run.click()
    assert "every share is zero" in targets.value


def test_what_the_feedback_of_06_3_and_06_4_says_is_true(runs):
    """The option texts of 06.4 and the solution of 06.3 state facts about the all-features plan: check them."""
    af, bal = runs["all_features"], runs["balanced"]
    played = af[af.quarter >= 1]
    assert played.incidents.iloc[0] > sim.starting_state()["incidents"]     # "in the very first quarter"
    assert played.incidents.iloc[:6].is_monotonic_increasing                # "rose for six quarters"
    assert af.health.is_monotonic_decreasing                                # "health fell every quarter"
    assert int(af.loc[af.arr_cny.idxmax(), "quarter"]) >= 5                 # "ARR kept rising for more than a year"
    assert af.cash_cny.min() > 0                                            # "Cash stayed positive all along"
    assert int(af.loc[af.customers.idxmax(), "quarter"]) >= 5               # customers "rose for five quarters"
    feature_work = played.features / 100 * played.capacity
    assert feature_work.iloc[-1] < 0.6 * feature_work.max()                 # feature output fell once firefighting grew
    churned = {name: sim.mrr_bridge(r).churned_mrr_cny.sum() for name, r in runs.items()}
    assert churned["all_features"] > 1.7 * churned["balanced"]              # "nearly twice as much MRR to churn"
    assert churned["all_features"] < 2 * churned["balanced"]
    assert bal.customers.iloc[-1] > 2 * af.customers.iloc[-1]               # "far more customers to lose"
