"""05.12, 05.13 and 06.7: the reference gets full marks and every slip, computed from the data, gets its own message."""
from __future__ import annotations

import pytest

from ctopath.course import registry

NEW = ("05.12", "05.13", "06.7")


@pytest.mark.parametrize("exercise_id", NEW)
def test_reference_is_correct(exercise_id):
    ex = registry()[exercise_id]
    fb = ex.check(ex.reference_answer())
    assert fb.status == "correct" and fb.score == 1.0, fb.message


@pytest.mark.parametrize("exercise_id", NEW)
def test_each_slip_gets_its_own_message(exercise_id):
    ex = registry()[exercise_id]
    assert len(ex.slips) >= 3 and len(ex.hints) >= 2 and ex.minutes and ex.solution and ex.solution_code
    for slip in ex.slips:
        fb = ex.check(ex._lazy(slip.value))
        assert (fb.status, fb.message) == ("incorrect", slip.message)


def test_the_visit_list_names_the_stuck_chains():
    ex = registry()["05.12"]
    assert sorted(ex.reference_answer()["merchant_id"]) == ["M008", "M018", "M021", "S0026", "S0164"]
    fb = ex.check(["M008", "M018"])
    assert fb.status == "incorrect" and "You found 2 of 5" in fb.message


def test_the_generals_are_not_the_loudest():
    ex = registry()["05.13"]
    assert sorted(ex.reference_answer()["lead"]) == ["Hui", "Sun Yue"]
    assert "Seniority" in ex.check(["Guo Qiang", "Ming"]).message
    assert ex.check(["Sun Yue", "Hui"]).status == "correct"  # any order, a plain list


def test_the_online_shift_accepts_an_indexed_frame():
    ex = registry()["06.7"]
    indexed = ex.reference_answer().set_index("segment")
    assert ex.check(indexed).status == "correct"
    assert "lacks column" in ex.check(indexed.drop(columns="change_pp")).message
