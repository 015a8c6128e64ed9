"""models.launch: the launch checklist's open gates, by hand, then on the real data."""
from __future__ import annotations

import pandas as pd
import pytest

from ctopath import data
from ctopath.models import delivery, launch as lc


def _checklist():
    return pd.DataFrame({
        "item_id": ["A", "B", "C", "D", "E"],
        "area": ["engineering", "engineering", "operations", "ceremony", "ceremony"],
        "item": ["tests pass", "rollback rehearsed", "support trained", "team demo", "thank-you"],
        "owner": ["Ann", "Ann", "Bo", "Cy", "Cy"],
        "gate": ["yes", "yes", "yes", "no", "no"],
        "status": ["done", "not_started", "in_progress", "done", "not_started"],
    })


def test_open_gates_by_hand():
    assert lc.open_gates(_checklist()).item_id.tolist() == ["B", "C"]
    verdict = lc.decision(_checklist())
    assert verdict == {"decision": "no-go", "open_gates": ["B", "C"], "owners": {"Ann": ["B"], "Bo": ["C"]}}
    assert lc.decision(_checklist().assign(status="done"))["decision"] == "go"
    areas = lc.by_area(_checklist())
    assert areas.loc["engineering"].tolist() == [2, 2, 1] and areas.loc["ceremony"].tolist() == [2, 0, 0]


def test_bad_input_is_a_sentence():
    with pytest.raises(ValueError, match="Unknown status"):
        lc.open_gates(_checklist().assign(status="nearly"))
    with pytest.raises(ValueError, match="gate must be"):
        lc.open_gates(_checklist().assign(gate="maybe"))
    with pytest.raises(ValueError, match="no items"):
        lc.open_gates(_checklist().iloc[0:0])


def test_real_checklist_agrees_with_the_readiness_data():
    checklist = data.load("launch_checklist")
    assert lc.decision(checklist)["open_gates"] == ["LC01", "LC02", "LC04", "LC07"]
    checks = delivery.readiness(data.load("load_tests"), data.load("launch_bugs"), data.load("canary"))
    status = checklist.set_index("item_id")["status"]
    latency_ok = checks[checks.check.str.startswith("latency:")].passed.all()
    assert (status["LC01"] == "done") == latency_ok
    assert (status["LC02"] == "done") == checks.set_index("check").at["open blocking bugs", "passed"]
    assert (status["LC03"] == "done") == checks.set_index("check").at["canary error rate", "passed"]
    assert (checklist.loc[checklist.area == "ceremony", "gate"] == "no").all()
