"""models.simulation: the equations checked by hand, the three archetypes, no knife-edge, clear errors."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from ctopath.models import simulation as sim

NO_NOISE = sim.replace(sim.DEFAULT, noise=0.0)

# A small company to compute by hand: 100 small shops at 300 CNY, 10 chains at 4 000 CNY a month.
START = {"chains": 10, "smb": 100, "arpa_chain_cny": 4000.0, "arpa_smb_cny": 300.0, "mrr_cny": 70000.0,
         "arr_cny": 840000.0, "cash_cny": 1_000_000.0, "engineers": 10, "health": 50.0, "maturity": 50.0}
Q = {"features": 50, "platform": 30, "custom": 10, "growth": 10}


def _plan(first_hires=2, price=1.0):
    return [{**Q, "hires": first_hires if i == 0 else 0, "price": price} for i in range(8)]


def _row(result, quarter):
    return result.loc[result["quarter"] == quarter].iloc[0]


# ----------------------------------------------------------------------------- the starting state

def test_starting_state_by_hand_on_a_tiny_table():
    merchants = pd.DataFrame({
        "segment": ["chain", "chain", "smb", "smb", "smb", "smb"],
        "monthly_fee_cny": [4000.0, 5000.0, 200.0, 300.0, 400.0, 999.0],
        "signup_date": ["2025-01-01", "2026-06-30", "2025-05-01", "2026-01-01", "2026-02-01", "2026-07-01"],
    })
    s = sim.starting_state(merchants)
    # the 2026-07-01 shop signed up after 30 June: not a customer yet
    assert (s["chains"], s["smb"]) == (2, 3)
    assert s["arpa_chain_cny"] == 4500.0           # (4000 + 5000) / 2
    assert s["arpa_smb_cny"] == 300.0              # (200 + 300 + 400) / 3
    assert s["mrr_cny"] == 9900.0                  # 9000 + 900
    assert s["arr_cny"] == 118_800.0               # 12 × 9900


def test_starting_state_is_computed_from_the_company_data():
    s = sim.starting_state()
    # merchants.csv: 8 chains paying 4999+6999+3999+3599+4599+2999+3299+3299 = 33 792 a month;
    # 32 smb: 20 on starter (199) + 12 on growth (599) = 3 980 + 7 188 = 11 168 a month.
    assert (s["chains"], s["smb"]) == (8, 32)
    assert s["arpa_chain_cny"] == pytest.approx(33792 / 8)    # 4 224
    assert s["arpa_smb_cny"] == pytest.approx(11168 / 32)     # 349
    assert s["mrr_cny"] == pytest.approx(44960)
    t = sim.targets(s)
    assert t["arr_q8_min_cny"] == pytest.approx(3 * 12 * 44960)    # 1 618 560
    assert t["arr_q4_min_cny"] == pytest.approx(1.4 * 12 * 44960)  # 755 328


def test_starting_state_bad_input():
    with pytest.raises(ValueError, match="missing the columns"):
        sim.starting_state(pd.DataFrame({"segment": ["smb"]}))
    with pytest.raises(ValueError, match="No chain customers"):
        sim.starting_state(pd.DataFrame({"segment": ["smb"], "monthly_fee_cny": [199.0],
                                         "signup_date": ["2025-01-01"]}))
    with pytest.raises(ValueError, match="DataFrame"):
        sim.starting_state([1, 2])


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
    # 6. health = 50 + 2.5×2.4 − 1.0×4.0 − 2.5×0.8 − 0.015×110 = 50 + 6 − 4 − 2 − 1.65 = 48.35
    assert q1["health"] == pytest.approx(48.35)
    # 7. incidents = 20 × (1 − 0.4835) × √(110/110) = 10.33
    assert q1["incidents"] == pytest.approx(10.33)
    # 8. new smb = 75 × 0.5^2.5 × (1 + 0.3 × 0.8) = 75 × 0.1767767 × 1.24 = 16.44023
    assert q1["new_smb"] == pytest.approx(16.44023, rel=1e-6)
    # 9. new chains = 0.5 × (0.5 + 1.0 × 0) = 0.25: no custom work was done before quarter 1
    assert q1["new_chains"] == pytest.approx(0.25)
    # 10. churn uses last quarter's 10 incidents: 1 above the tolerance of 9
    #     smb 0.03 + 0.012 × 1 = 0.042; chains 0.01 + 0.012 / 3 × 1 = 0.014
    assert q1["churn_smb"] == pytest.approx(0.042) and q1["churn_chain"] == pytest.approx(0.014)
    # 11. smb = 100 × 0.958 + 16.44023 = 112.24023; chains = 10 × 0.986 + 0.25 = 10.11
    assert q1["smb"] == pytest.approx(112.24023) and q1["chains"] == pytest.approx(10.11)
    # 12. MRR = 112.24023 × 300 + 10.11 × 4000 = 33 672.07 + 40 440 = 74 112.07
    assert q1["mrr_cny"] == pytest.approx(74112.07, abs=0.01)
    assert q1["arr_cny"] == pytest.approx(12 * 74112.07, abs=0.1)
    # 13. revenue = 3 × (70 000 + 74 112.07) / 2 = 216 168.10
    #     costs = 60 000 × 12 + 30 000 × 2 + 250 000 + 0.25 × 216 168.10 = 1 084 042.03
    #     cash = 1 000 000 + 216 168.10 − 1 084 042.03 = 132 126.08
    assert q1["revenue_cny"] == pytest.approx(216168.10, abs=0.01)
    assert q1["costs_cny"] == pytest.approx(1084042.03, abs=0.01)
    assert q1["cash_cny"] == pytest.approx(132126.08, abs=0.02)


def test_the_lags_in_quarter_two_and_three():
    r = sim.simulate(_plan(), start=START, assumptions=NO_NOISE)
    q2, q3 = _row(r, 2), _row(r, 3)
    # the two hires of quarter 1 are 50 % productive in quarter 2, 100 % in quarter 3
    assert q2["productive"] == 11 and q3["productive"] == 12
    # speed follows health two quarters late: quarter 2 still uses today's 50, quarter 3 uses quarter 1's 48.35
    assert q2["speed"] == pytest.approx(1.0)
    assert q3["speed"] == pytest.approx(0.5 + 0.4835)
    # firefighting follows last quarter's incidents: 0.02 × 10.33 = 0.2066
    assert q2["firefighting"] == pytest.approx(0.2066)
    # custom work of quarter 1 (0.8 engineer-quarters) closes chains in quarter 2, at quarter 1's maturity:
    # 0.565 × (0.5 + 1.0 × 0.8) = 0.7345
    assert q2["new_chains"] == pytest.approx(0.7345)
    # features of quarter 1 win shops in quarter 2 through maturity 56.5
    capacity2 = 11 * 1.0 * (1 - 0.2066)                          # 8.7274
    expected = 75 * 0.565 ** 2.5 * (1 + 0.3 * 0.1 * capacity2)   # growth is 10 % of capacity
    assert q2["new_smb"] == pytest.approx(expected)


def test_price_scales_bills_wins_and_churn():
    base = sim.simulate(_plan(), start=START, assumptions=NO_NOISE)
    dear = sim.simulate(_plan(price=1.2), start=START, assumptions=NO_NOISE)
    b, d = _row(base, 1), _row(dear, 1)
    assert d["new_smb"] == pytest.approx(b["new_smb"] * 1.2 ** -1.5)        # 16.44023 × 0.7607
    assert d["churn_smb"] == pytest.approx(0.042 * 1.2 ** 1.5)               # 0.0552
    assert d["mrr_cny"] == pytest.approx(1.2 * (d["smb"] * 300 + d["chains"] * 4000))


def test_mrr_bridge_by_hand_and_it_adds_up():
    r = sim.simulate(_plan(), start=START, assumptions=NO_NOISE)
    bridge = sim.mrr_bridge(r, START)
    q1 = bridge.iloc[0]
    # new: 16.44023 × 300 + 0.25 × 4000 = 4 932.07 + 1 000 = 5 932.07
    assert q1["new_mrr_cny"] == pytest.approx(5932.07, abs=0.01)
    # churned: 100 × 0.042 × 300 + 10 × 0.014 × 4000 = 1 260 + 560 = 1 820
    assert q1["churned_mrr_cny"] == pytest.approx(1820.0)
    # 70 000 + 5 932.07 − 1 820 = 74 112.07
    assert q1["mrr_end_cny"] == pytest.approx(74112.07, abs=0.01)
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
    # at quarter 4 it is ahead by more than 5 %, and it meets the board's milestone
    assert _row(af, 4)["arr_cny"] > 1.05 * _row(bal, 4)["arr_cny"]
    assert sim.check_targets(af)["milestone"]


def test_all_features_then_collapses(runs):
    af = runs["all_features"]
    peak = int(af.loc[af.arr_cny.idxmax(), "quarter"])
    assert 5 <= peak < 8
    assert af.arr_cny.iloc[-1] < 0.95 * af.arr_cny.max()          # ARR falls in the later quarters
    assert af.health.is_monotonic_decreasing and af.health.iloc[-1] < 10
    assert af.incidents.iloc[1] > sim.DEFAULT.incident_tolerance   # the warning shows in quarter 1
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
    # no hires in phase 1: too few hands — only the quarter-8 ARR target is missed, and the notes say so
    fewer = sim.simulate(sim.plan_from_phases({**p1, "hires": 0}, p2))
    met = sim.check_targets(fewer)
    assert [k for k, ok in met.items() if not ok] == ["arr"]
    assert any("of the target" in n for n in sim.diagnose(fewer))
    # three hires every quarter: cash runs out, and the notes say when and why
    many = sim.simulate(sim.plan_from_phases({**p1, "hires": 3}, {**p2, "hires": 3}))
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
    from ctopath.explorers_m06 import simulation_dashboard

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
    af = runs["all_features"]
    played = af[af.quarter >= 1]
    assert played.incidents.iloc[0] > sim.DEFAULT.incident_tolerance       # "in the very first quarter"
    assert played.incidents.is_monotonic_increasing                         # "rose every quarter after"
    assert af.health.is_monotonic_decreasing                                # "health fell every quarter"
    assert int(af.loc[af.arr_cny.idxmax(), "quarter"]) >= 5                 # "ARR kept rising for more than a year"
    assert af.cash_cny.min() > 0                                            # "Cash stayed positive all along"
    assert int(af.loc[af.customers.idxmax(), "quarter"]) >= 6               # customers "rose for most of the two years"
    feature_work = played.features / 100 * played.capacity
    assert feature_work.iloc[-1] < 0.6 * feature_work.max()                 # feature output fell once firefighting grew
    churned = {name: sim.mrr_bridge(r).churned_mrr_cny.sum() for name, r in runs.items()}
    assert churned["all_features"] > 3 * churned["balanced"]                # "several times as much MRR to churn"
