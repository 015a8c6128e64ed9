"""Module 04's exercises on who the team works for, the redeem regression, the launch checklist
and stickiness per module (04.11–04.14): the reference is right, the worked solution computes
it, and every anticipated slip gets its own message."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ctopath import data, registry
from ctopath.tools.findings import check_findings
from ctopath.models import engagement, launch, performance, workload

NEW = ("04.11", "04.12", "04.13", "04.14")


@pytest.mark.parametrize("exercise_id", NEW)
def test_the_worked_solution_computes_the_reference(exercise_id):
    ex = registry()[exercise_id]
    scope = {"data": data, "pd": pd, "engagement": engagement, "launch": launch, "performance": performance,
             "workload": workload}
    exec(ex.solution_code, scope)  # noqa: S102 - the exercise's own published solution
    fb = ex.check(scope[ex.answer_name])
    assert fb.status == "correct" and fb.score == 1.0, fb.message


@pytest.mark.parametrize("exercise_id", NEW)
def test_every_slip_gets_its_own_message(exercise_id):
    ex = registry()[exercise_id]
    assert len(ex.slips) >= 3
    for slip in ex.slips:
        fb = ex.check(ex._lazy(slip.value))
        assert fb.status == "incorrect" and fb.message == slip.message, (slip.message, fb.message)


def test_the_slips_are_real_alternatives_on_this_data():
    """Each slip differs from the reference (a slip equal to the answer could never fire)."""
    for exercise_id in NEW:
        ex = registry()[exercise_id]
        for slip in ex.slips:
            assert ex._compare(ex._lazy(slip.value), ex.expected()) is not None, (exercise_id, slip.message)


def test_the_answers_state_the_planted_findings():
    share = registry()["04.11"].reference_answer()
    assert share.idxmax() == "sales" and share["operations"] < 0.12
    capacity = registry()["04.12"].reference_answer()
    assert capacity["2.0.0-rc3"] >= 1600 > 1200 > capacity["2.0.0-rc4"]
    assert registry()["04.13"].reference_answer() == ["LC01", "LC02", "LC04", "LC07"]
    wide = engagement.stickiness_table(registry()["04.14"].reference_answer())
    assert wide.loc["2026-04", "marketing"] < 0.6 * wide.loc[["2026-01", "2026-02", "2026-03"], "marketing"].mean()


def test_natural_learner_answers():
    """What a learner's pandas gives, not only the model's shape: Period months, a list of ids, rows."""
    daily, monthly = data.load("module_usage_daily"), data.load("module_usage_monthly")
    d, m = daily[daily.segment == "smb"], monthly[monthly.segment == "smb"]
    dau = d.groupby([d.date.dt.to_period("M").rename("month"), "module"]).daily_active_users.mean()
    mau = m.set_index([m.month.dt.to_period("M"), "module"]).monthly_active_users
    assert registry()["04.14"].check((dau / mau).reset_index(name="dau_mau")).status == "correct"
    checklist = data.load("launch_checklist")
    rows = checklist[(checklist.gate == "yes") & (checklist.status != "done")]
    assert registry()["04.13"].check(rows).status == "correct"
    assert registry()["04.13"].check(["LC01", "LC02", "LC04"]).status == "incorrect"
    runs = data.load("perf_runs")
    assert registry()["04.12"].check(runs[runs.p95_ms <= 300].groupby("build").target_rps.max()).status == "correct"


def test_a_broken_finding_is_named(tmp_path):
    """rc4 made as fast as rc3: the check names the redeem regression, in a sentence."""
    for p in data.data_dir().glob("*.csv"):
        shutil.copy(p, tmp_path / p.name)
    runs = pd.read_csv(tmp_path / "perf_runs.csv")
    rc3 = runs[runs.build == "2.0.0-rc3"].p95_ms.to_numpy()
    runs.loc[runs.build == "2.0.0-rc4", "p95_ms"] = rc3
    runs.to_csv(tmp_path / "perf_runs.csv", index=False)
    broken = check_findings(tmp_path)
    assert any(b.startswith("the redeem regression (04.12)") for b in broken), broken
