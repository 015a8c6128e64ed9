"""Feedback for the mistakes learners actually make: every number and data exercise knows at least
three likely wrong answers, each computed from the data, each recognised with its own message; and a
factor of 100 on an amount or a count is called a unit slip, not a percentage."""
import math

import pandas as pd
import pytest

from ctopath import registry
from ctopath.engine.exercise import DataExercise, NumberExercise, RankingExercise

COMPUTED = [ex for ex in registry().values() if isinstance(ex, (NumberExercise, DataExercise))]
COMPUTED_IDS = [ex.id for ex in COMPUTED]
GENERIC = ("is too high", "is too low", "Not yet:", "The hints can help")


@pytest.mark.parametrize("ex", COMPUTED, ids=COMPUTED_IDS)
def test_at_least_three_slips_each_computed_from_the_data(ex):
    assert len(ex.slips) >= 3, f"{ex.id}: diagnose at least three likely wrong answers"
    for slip in ex.slips:
        assert callable(slip.value), f"{ex.id}: a slip value is a function of the data, not a constant"
        assert len(slip.message) >= 30 and not slip.message.startswith(GENERIC), (ex.id, slip.message)


@pytest.mark.parametrize("ex", COMPUTED, ids=COMPUTED_IDS)
def test_each_slip_gets_its_own_message(ex):
    for slip in ex.slips:
        value = ex._lazy(slip.value)
        fb = ex.check(value.copy() if hasattr(value, "copy") else value)
        assert fb.status == "incorrect", f"{ex.id}: slip {slip.message[:50]!r} judged {fb.status}"
        assert fb.message == slip.message, (
            f"{ex.id}: the slip {slip.message[:60]!r} got another message: {fb.message[:100]!r}")


NUMBERS = [ex for ex in COMPUTED if isinstance(ex, NumberExercise)]


def _as_typed(value: float, decimals: int) -> float:
    """A slip as a learner types it: to the decimals the question asks for (3 figures if that leaves fewer)."""
    return round(value, decimals) if abs(value) >= 10 ** (1 - decimals) else float(f"{value:.3g}")


@pytest.mark.parametrize("ex", NUMBERS, ids=[ex.id for ex in NUMBERS])
def test_each_slip_is_recognised_as_typed_to_the_decimals_asked(ex):
    for slip in ex.slips:
        typed = _as_typed(float(ex._lazy(slip.value)), max(ex.decimals, 1))
        fb = ex.check(typed)
        assert fb.message == slip.message, f"{ex.id}: {typed} should get {slip.message[:60]!r}, got {fb.message[:80]!r}"


def _differs(ex, value, reference) -> bool:
    if isinstance(ex, NumberExercise):
        return not math.isclose(float(value), float(reference), rel_tol=ex.rel_tol, abs_tol=ex.abs_tol)
    return ex._compare(value, reference) is not None


@pytest.mark.parametrize("ex", COMPUTED, ids=COMPUTED_IDS)
def test_each_slip_differs_from_the_answer_beyond_the_tolerance(ex):
    reference = ex.reference_answer()
    for slip in ex.slips:
        assert _differs(ex, ex._lazy(slip.value), reference), (
            f"{ex.id}: the slip {slip.message[:60]!r} is within the tolerance of the right answer")


def _scalar_reference(ex):
    ref = ex.reference_answer()
    if isinstance(ref, (pd.Series, pd.DataFrame)) or getattr(ex, "id_column", None):
        return None
    return float(ref)


PLAIN = [ex for ex in COMPUTED if _scalar_reference(ex) is not None
         and not getattr(ex, "percent", False) and getattr(ex, "share", None) is None]


@pytest.mark.parametrize("ex", PLAIN, ids=[ex.id for ex in PLAIN])
def test_a_factor_of_100_on_an_amount_or_count_is_a_unit_slip(ex):
    ref = _scalar_reference(ex)
    for factor, size in ((100, "large"), (0.01, "small")):
        fb = ex.check(ref * factor)
        assert fb.status == "incorrect"
        if any(math.isclose(ref * factor, float(ex._lazy(s.value)), rel_tol=ex.rel_tol) for s in ex.slips):
            continue  # a slip of this exercise names that exact mistake
        assert f"100 times too {size}" in fb.message and "unit" in fb.message, (ex.id, fb.message)
        assert "like a percentage" not in fb.message, (ex.id, fb.message)


PERCENT = [ex for ex in COMPUTED if isinstance(ex, NumberExercise) and ex.percent]


@pytest.mark.parametrize("ex", PERCENT, ids=[ex.id for ex in PERCENT])
def test_a_share_given_as_a_fraction_is_named(ex):
    fb = ex.check(_scalar_reference(ex) / 100)
    assert fb.status == "incorrect" and ("fraction" in fb.message or "100 times" in fb.message), fb.message


def test_the_p85_must_be_rounded_up():
    from ctopath.course.m02_manager import exercises as m02_manager

    ex = registry()["02.2"]
    raw = m02_manager.p85_unrounded()
    assert ex.check(ex.reference_answer()).correct and ex.reference_answer() == math.ceil(raw)
    if raw != math.ceil(raw):  # the data's P85 is not a whole number: the raw figure is not a date to promise
        fb = ex.check(round(raw, 1))
        assert fb.status == "incorrect" and "round" in fb.message.lower(), fb.message


def test_unpooled_cohorts_are_a_diagnosed_slip():
    fb = registry()["04.7"].check(registry()["04.7"]._lazy(
        next(s.value for s in registry()["04.7"].slips if "pool" in s.message.lower())))
    assert fb.status == "incorrect" and "pool" in fb.message.lower()


def test_missing_a_launch_blocker_scores_below_adding_a_non_blocker():
    ex = registry()["04.3"]
    missed, added = ex.check(["redeem"]), ex.check(["redeem", "bug031", "canary"])
    assert missed.score < added.score
    assert "blocker" in missed.message and "does not block" in added.message


def test_a_wrong_ranking_says_why_with_the_scores():
    ex = registry()["02.5"]
    assert isinstance(ex, RankingExercise)
    ref = ex.reference_answer()
    swapped = [ref[1], ref[0], *ref[2:]]
    fb = ex.check(swapped)
    assert fb.status != "correct" and "RICE" in fb.message and "comes first" in fb.message, fb.message


def test_a_missing_critical_task_is_named_with_its_slack():
    ex = registry()["02.1"]
    ref = list(ex.reference_answer())
    fb = ex.check(ref[1:])
    assert fb.status == "incorrect" and "slack" in fb.message, fb.message
