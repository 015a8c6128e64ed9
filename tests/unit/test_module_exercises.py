"""Every exercise of every module: reference accepted, plausible wrong answers explained,
bad input never raises."""
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ctopath import ____, registry
from ctopath.engine.exercise import KINDS, Feedback

EXERCISES = list(registry().values())
IDS = [ex.id for ex in EXERCISES]


def test_registry_is_not_empty_and_ids_are_well_formed():
    assert len(EXERCISES) >= 8
    assert all(re.fullmatch(r"\d\d\.\d+", ex.id) for ex in EXERCISES)


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_exercise_is_complete(ex):
    assert ex.kind in KINDS and ex.title and ex.prompt and ex.solution
    assert len(ex.hints) >= 2 and 1 <= ex.minutes <= 30
    if ex.kind in ("choice", "multi"):
        assert ex.options and all(o.feedback for o in ex.options), "every option explains itself"


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_reference_answer_gets_full_marks(ex):
    fb = ex.check(ex.reference_answer())
    done = "saved" if ex.kind == "reflection" else "correct"  # a reflection is saved, never graded
    assert fb.status == done and fb.score == 1.0, fb.message


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_plausible_wrong_answers_are_rejected_with_a_reason(ex):
    assert len(ex.wrong_examples) >= 2, f"{ex.id}: give at least two plausible wrong answers"
    for wrong in ex.wrong_examples:
        fb = ex.check(wrong.value)
        if ex.kind == "reflection" and isinstance(wrong.value, str):
            # Any text is saved (never graded by length), but a thin one gets a nudge.
            assert fb.status == "saved", f"{ex.id}: {wrong.value!r} should be saved, got {fb.status}"
        else:
            assert fb.status not in ("correct", "saved", "not_attempted"), f"{ex.id} accepted {wrong.value!r}"
        assert wrong.says in fb.message, f"{ex.id}: for {wrong.value!r} expected {wrong.says!r} in {fb.message!r}"


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_placeholder_is_not_attempted(ex):
    assert ex.check(____).status == "not_attempted"


BAD = [None, "", "abc", float("nan"), np.inf, -1, 10**12, True, [], {}, [None], {"x": "y"},
       pd.DataFrame(), pd.DataFrame({"wrong": [1]}), pd.Series(dtype=float), object()]


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_bad_input_gives_feedback_not_an_exception(ex):
    for bad in BAD:
        fb = ex.check(bad)
        assert isinstance(fb, Feedback) and fb.status != "correct", (ex.id, bad)


values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40),
                   st.lists(st.text(max_size=6), max_size=5),
                   st.dictionaries(st.text(max_size=8), st.floats(), max_size=4))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=values)
def test_any_input_to_any_exercise_returns_feedback(answer):
    for ex in EXERCISES:
        fb = ex.check(answer)
        assert isinstance(fb, Feedback) and 0.0 <= fb.score <= 1.0 and fb.message
