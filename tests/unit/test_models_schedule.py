"""models.schedule: the critical path, calendars and the simulation, against figures worked by hand."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ctopath import data
from ctopath.models import schedule as s

# ----------------------------------------------------------------------------- a tiny network
#
#   A (2 days) ──> B (3) ──┐
#        └──────> C (1) ──┴──> D (4)
#
# Forward pass:  A 0→2; B 2→5; C 2→3; D starts at max(5, 3) = 5 → 9. Project: 9 days.
# Backward pass: D LF 9, LS 5; B LF 5, LS 2; C LF 5, LS 4 → slack 4 − 2 = 2; A LF min(2, 4) = 2, LS 0.
# Critical (slack 0): A, B, D.


def _tiny(**override):
    tasks = pd.DataFrame({
        "task_id": ["A", "B", "C", "D"],
        "depends_on": [np.nan, "A", "A", "B;C"],
        "optimistic_days": [2, 3, 1, 4],
        "likely_days": [2, 3, 1, 4],
        "pessimistic_days": [2, 3, 1, 4],
    })
    for col, values in override.items():
        tasks[col] = values
    return tasks


def test_forward_and_backward_pass():
    cpm = s.critical_path_table(_tiny()).set_index("task_id")
    assert cpm.loc["A", ["earliest_start", "earliest_finish", "latest_start", "latest_finish"]].tolist() == [0, 2, 0, 2]
    assert cpm.loc["B", ["earliest_start", "earliest_finish", "latest_start", "latest_finish"]].tolist() == [2, 5, 2, 5]
    assert cpm.loc["C", ["earliest_start", "earliest_finish", "latest_start", "latest_finish"]].tolist() == [2, 3, 4, 5]
    assert cpm.loc["D", ["earliest_start", "earliest_finish", "latest_start", "latest_finish"]].tolist() == [5, 9, 5, 9]
    assert cpm["slack"].tolist() == [0, 0, 2, 0]
    assert cpm["critical"].tolist() == [True, True, False, True]


def test_duration_and_path():
    assert s.project_duration(_tiny()) == 9
    assert s.critical_path(_tiny()) == ["A", "B", "D"]


def test_durations_from_a_dict_change_the_path():
    # C takes 5 instead of 1: A 0→2, C 2→7, B 2→5, D 7→11; B now has slack 7 − 5 = 2.
    d = {"A": 2, "B": 3, "C": 5, "D": 4}
    assert s.project_duration(_tiny(), d) == 11
    assert s.critical_path(_tiny(), d) == ["A", "C", "D"]
    assert s.critical_path_table(_tiny(), d).set_index("task_id").loc["B", "slack"] == 2


def test_dependencies_and_order():
    assert s.dependencies(_tiny()) == {"A": [], "B": ["A"], "C": ["A"], "D": ["B", "C"]}
    assert s.topological_order(_tiny().iloc[::-1]) == ["A", "C", "B", "D"]


@pytest.mark.parametrize("tasks, fragment", [
    (_tiny(depends_on=[np.nan, "A", "A", "B;X"]), "not a task"),
    (_tiny(depends_on=["D", "A", "A", "B;C"]), "cycle"),
    (_tiny(depends_on=[np.nan, "B", "A", "B;C"]), "itself"),
    (_tiny(likely_days=[2, -3, 1, 4]), "negative"),
    (_tiny(likely_days=[2, "three", 1, 4]), "not a number"),
    (_tiny(task_id=["A", "A", "C", "D"]), "unique"),
    (_tiny().drop(columns="depends_on"), "missing the column"),
    (_tiny().iloc[0:0], "no rows"),
    ("not a frame", "DataFrame"),
])
def test_bad_networks_are_explained(tasks, fragment):
    with pytest.raises(ValueError, match=fragment):
        s.critical_path_table(tasks)


def test_finish_date_counts_working_days():
    # Monday 6 July 2026 is day 1: 5 days → Friday 10 July; 36 days = 7 weeks (35) + Monday → 24 August.
    assert s.finish_date("2026-07-06", 1) == pd.Timestamp("2026-07-06")
    assert s.finish_date("2026-07-06", 5) == pd.Timestamp("2026-07-10")
    assert s.finish_date("2026-07-06", 6) == pd.Timestamp("2026-07-13")
    assert s.finish_date("2026-07-06", 36) == pd.Timestamp("2026-08-24")
    assert s.finish_date("2026-07-06", 40) == pd.Timestamp("2026-08-28")
    assert s.finish_date("2026-07-06", 2.1) == pd.Timestamp("2026-07-08")  # 2.1 days occupy a third day


def test_finish_date_skips_holidays():
    # Mon 28 Sep, Tue 29, Wed 30 (days 1-3); 1-2 Oct are holidays; Mon 5 Oct day 4, Tue 6 Oct day 5.
    assert s.finish_date("2026-09-28", 5, holidays=["2026-10-01", "2026-10-02"]) == pd.Timestamp("2026-10-06")


@pytest.mark.parametrize("start, days, fragment", [
    ("2026-07-04", 5, "working day"), ("2026-07-06", 0, "more than 0"), ("2026-07-06", -3, "more than 0"),
    ("2026-07-06", "x", "number"), ("someday", 3, "date"), ("2026-07-06", math.inf, "plausible"),
])
def test_finish_date_bad_input(start, days, fragment):
    with pytest.raises(ValueError, match=fragment):
        s.finish_date(start, days)


def test_working_days_between_is_the_inverse():
    assert s.working_days_between("2026-07-06", "2026-07-10") == 5
    assert s.working_days_between("2026-07-06", "2026-08-28") == 40


def test_with_extra_people():
    assert s.with_extra_people(10, 0) == 10
    assert s.with_extra_people(10, 1) == pytest.approx(7.75)       # 2 + 10/2 × 1.15
    assert s.with_extra_people(10, 2) == pytest.approx(6.3333333)  # 2 + 10/3 × 1.30
    assert s.with_extra_people(3, 1) == pytest.approx(3.725)       # 2 + 3/2 × 1.15: longer than alone
    for bad in (-1, 1.5, "two"):
        with pytest.raises(ValueError):
            s.with_extra_people(10, bad)


def test_triangular_quantile_by_hand():
    # low 2, mode 3, high 5: F(mode) = (3 − 2)/(5 − 2) = 1/3.
    # u = 1/12 < 1/3 → 2 + sqrt(1/12 × 3 × 1) = 2 + 0.5 = 2.5
    # u = 1/2 > 1/3  → 5 − sqrt(1/2 × 3 × 2) = 5 − sqrt(3) = 3.26795
    got = s.triangular_quantile(np.array([0.0, 1 / 12, 1 / 3, 0.5, 1.0]), 2, 3, 5)
    assert got == pytest.approx([2.0, 2.5, 3.0, 5 - math.sqrt(3), 5.0])
    assert s.triangular_quantile(np.array([0.1, 0.9]), 4, 4, 4) == pytest.approx([4.0, 4.0])  # fixed estimate


def test_simulation_of_fixed_estimates_is_the_plan():
    d = s.simulate_durations(_tiny(), runs=50, seed=1)
    assert d.shape == (50,) and np.all(d == 9)


def test_simulation_is_reproducible_and_draws_in_table_order():
    tasks = pd.DataFrame({"task_id": ["X"], "depends_on": [np.nan], "optimistic_days": [2],
                          "likely_days": [3], "pessimistic_days": [5]})
    u = np.random.default_rng(7).random((4, 1))[:, 0]
    expected = s.triangular_quantile(u, 2, 3, 5)
    assert s.simulate_durations(tasks, runs=4, seed=7) == pytest.approx(expected)
    assert not np.allclose(s.simulate_durations(tasks, runs=4, seed=8), expected)
    # the triangular mean is (2 + 3 + 5)/3 = 3.333…
    assert s.simulate_durations(tasks, runs=20_000, seed=1).mean() == pytest.approx(10 / 3, abs=0.03)


def test_percentile_and_on_time_probability_by_hand():
    d = np.arange(1, 11)  # 1..10
    assert s.percentile(d, 50) == 5    # 5 of 10 runs are ≤ 5
    assert s.percentile(d, 85) == 9    # 8.5 runs needed → the 9th smallest
    assert s.percentile(d, 100) == 10
    assert s.on_time_probability(d, 7) == 0.7
    for bad in (0, 101, "x"):
        with pytest.raises(ValueError):
            s.percentile(d, bad)
    with pytest.raises(ValueError, match="No simulated"):
        s.percentile([], 50)


@pytest.mark.parametrize("runs", [0, -5, 2.5, "many", True])
def test_bad_runs(runs):
    with pytest.raises(ValueError, match="runs"):
        s.simulate_durations(_tiny(), runs=runs)


def test_estimates_must_be_ordered():
    with pytest.raises(ValueError, match="optimistic ≤ likely ≤ pessimistic"):
        s.simulate_durations(_tiny(optimistic_days=[3, 3, 1, 4]), runs=10)


# ----------------------------------------------------------------------------- the planted findings


@pytest.fixture(scope="module")
def tasks():
    return data.load("project_tasks")


def test_planted_plan(tasks):
    assert s.critical_path(tasks) == ["T01", "T02", "T03", "T04", "T05", "T09", "T11"]
    assert s.project_duration(tasks) == 36                    # 3 + 4 + 8 + 5 + 6 + 5 + 5
    assert s.finish_date("2026-07-06", 36) == pd.Timestamp("2026-08-24")
    assert s.critical_path_table(tasks).set_index("task_id").loc["T07", "slack"] == 5  # quoted in 02.1
    assert int(tasks.likely_days.sum()) == 54


def test_planted_risk(tasks):
    d = s.simulate_durations(tasks, runs=2000, seed=2026)
    p50, p85 = s.percentile(d, 50), s.percentile(d, 85)
    assert 40 < p50 < p85                                      # the deadline (40 days) is below the median
    assert math.ceil(p85) == 45 and 44 < p85 < 44.5            # the 02.2 hint quotes "44.2 days"
    assert s.on_time_probability(d, 36) < 0.05                 # the single-number plan almost never happens
    assert 0.2 < s.on_time_probability(d, 40) < 0.45
