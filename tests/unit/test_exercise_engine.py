"""The exercise core: each kind accepts right answers, explains wrong ones, never raises."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from ctopath import ____
from ctopath.engine.exercise import (
    ChoiceExercise, DataExercise, Feedback, ModelExercise, ModelOutcome, MultiExercise,
    NumberExercise, Option, Param, RankingExercise, ReflectionExercise, Slip, is_placeholder,
    parse_number,
)

COMMON = dict(hints=["first hint", "second hint"], solution="the solution", minutes=3)


def number(**kw):
    return NumberExercise("99.1", "A number", "How many?", answer=kw.pop("answer", 1234.5), **COMMON, **kw)


# -- Feedback ---------------------------------------------------------------

def test_feedback_states_status_in_words_and_rejects_bad_fields():
    fb = Feedback("partial", 0.5, "half way")
    assert "Partly correct" in repr(fb) and "Partly correct" in fb._repr_html_()
    assert 'role="status"' in fb._repr_html_()
    with pytest.raises(ValueError):
        Feedback("great", 1, "x")
    with pytest.raises(ValueError):
        Feedback("correct", 1.5, "x")


def test_exercise_needs_two_hints():
    with pytest.raises(ValueError):
        NumberExercise("99.1", "t", "p", answer=1, hints=["only one"], solution="s", minutes=1)


# -- placeholder ------------------------------------------------------------

def test_placeholder_runs_in_starter_code_and_reads_as_not_attempted():
    share = ____ / 100 + 3
    assert share is ____ and is_placeholder([1, ____]) and is_placeholder({"a": ____})
    assert number().check(share).status == "not_attempted"
    assert repr(____) == "____"


# -- number -----------------------------------------------------------------

@pytest.mark.parametrize("text", ["1234.5", "1,234.5", "¥1234.50", " 1234.5 ", 1234.5, np.float64(1234.5), "1 234.5"])
def test_number_accepts_the_same_value_written_many_ways(text):
    assert number().check(text).status == "correct"


@pytest.mark.parametrize("bad, says", [
    ("abc", "Expected a number"), ("", "empty"), (float("nan"), "NaN"), (math.inf, "infinity"),
    (True, "True/False"), ([1, 2], "single number"), (pd.DataFrame({"a": [1, 2]}), "single number"),
])
def test_number_bad_input_is_invalid_with_a_sentence(bad, says):
    fb = number().check(bad)
    assert fb.status == "invalid" and says in fb.message


def test_number_diagnoses_percent_fraction_and_units():
    pct = number(answer=2.5, percent=True)
    assert "fraction" in pct.check(0.025).message
    assert "100 times" in pct.check(250).message
    frac = number(answer=0.025)
    assert "100 times too large" in frac.check(2.5).message
    money = number(answer=1234.5, unit="CNY")
    for value, size in ((123450, "large"), (12.345, "small")):
        message = money.check(value).message
        assert f"100 times too {size}" in message and "unit" in message and "CNY" in message
        assert "percentage" not in message
    big = number(answer=1_234_500)
    assert "thousand" in big.check(1234.5).message
    assert "万" in big.check(123.45).message


def test_number_slips_and_partial_credit():
    ex = number(answer=100.0, slips=[Slip(lambda: 120.0, "You included cancelled orders.")],
                partial_rel_tol=0.05, partial_message="Close.")
    assert ex.check(120).message == "You included cancelled orders."
    fb = ex.check(103)
    assert fb.status == "partial" and 0 < fb.score < 1 and "3.0% above" in fb.message
    assert ex.check(150).status == "incorrect" and "too high" in ex.check(150).message


def test_parse_number_reports_percent_sign():
    assert parse_number("12.5%") == (12.5, True)


# -- choice and multi -------------------------------------------------------

OPTIONS = [Option("a", "Alpha", True, "Alpha is right because…"),
           Option("b", "Beta", False, "Beta ignores the cost."),
           Option("c", "Gamma", False, "Gamma is defensible but weaker.", score=0.5)]


def test_choice_feedback_per_option():
    ex = ChoiceExercise("99.2", "Pick", "Which?", options=OPTIONS, **COMMON)
    assert ex.reference_answer() == "a" and ex.check("a").correct
    assert ex.check("Alpha").correct  # the label works too
    assert ex.check("b").message == "Beta ignores the cost."
    assert ex.check("c").status == "partial"
    fb = ex.check("z")
    assert fb.status == "invalid" and "'a'" in fb.message
    assert ex.check(3).status == "invalid"


def test_choice_definition_must_have_one_right_option():
    with pytest.raises(ValueError):
        ChoiceExercise("99.2", "t", "p", options=[Option("a", "A"), Option("b", "B")], **COMMON)


def test_multi_scores_right_minus_wrong_and_counts_what_was_missed_without_naming_it():
    opts = [Option("a", "A", True, "A matters."), Option("b", "Bee option", True, "B matters."),
            Option("c", "C", False, "C is a vanity metric.")]
    ex = MultiExercise("99.3", "Multi", "Which?", options=opts, **COMMON)
    assert ex.check(["a", "b"]).correct
    half = ex.check(["a"])
    assert half.status == "partial" and half.score == 0.5 and "1 right option is not ticked yet" in half.message
    # One wrong Check must not list the answer: neither the missed option's text nor its feedback.
    assert "Bee option" not in half.message and "B matters" not in half.message
    wrong = ex.check(["a", "c"])
    assert wrong.status == "incorrect" and "vanity" in wrong.message
    assert ex.check([]).status == "not_attempted"
    assert ex.check(["a", "zz"]).status == "invalid"


def test_multi_can_make_a_missed_right_option_cost_more_than_a_wrong_tick():
    opts = [Option("a", "A", True, "A blocks."), Option("b", "B", True, "B blocks."),
            Option("c", "C", False, "C does not block.")]
    ex = MultiExercise("99.3", "Go?", "What blocks?", options=opts, missed_cost=0.5,
                       missed_note="A missed blocker ships a failing criterion.", **COMMON)
    missed, extra = ex.check(["a"]), ex.check(["a", "b", "c"])
    assert missed.score == 0.25 and "missed blocker" in missed.message
    assert extra.score == 0.5 and "missed blocker" not in extra.message and "does not block" in extra.message


# -- ranking ----------------------------------------------------------------

def test_ranking_partial_credit_by_pairs_in_order():
    ex = RankingExercise("99.4", "Rank", "Order them", items={"x": "X", "y": "Y", "z": "Z", "w": "W"},
                         order=lambda: ["x", "y", "z", "w"], **COMMON)
    assert ex.check(["x", "y", "z", "w"]).correct
    near = ex.check(["x", "y", "w", "z"])
    assert near.status == "partial" and near.score == pytest.approx(5 / 6, abs=0.01)
    assert ex.check(["w", "z", "y", "x"]).status == "incorrect"
    assert "once" in ex.check(["x", "x", "z", "w"]).message
    assert "missing" in ex.check(["x", "y", "z"]).message


def test_ranking_slip_explains_a_known_wrong_order():
    ex = RankingExercise("99.4", "Rank", "Order them", items={"x": "X", "y": "Y", "z": "Z"},
                         order=["x", "y", "z"], slips=[Slip(["z", "y", "x"], "That is ranked by loudness.")], **COMMON)
    fb = ex.check(["z", "y", "x"])
    assert fb.status == "incorrect" and fb.message.startswith("That is ranked by loudness.") and "0 of 3" in fb.message


def test_ranking_with_scores_says_why_the_first_wrong_item_is_out_of_place():
    ex = RankingExercise("99.4", "Rank", "Order them", items={"x": "X", "y": "Y", "z": "Z"},
                         order=["x", "y", "z"], scores=lambda: {"x": 30, "y": 21.3, "z": 2}, score_name="RICE score",
                         **COMMON)
    fb = ex.check(["y", "x", "z"])
    assert "position 1" in fb.message and "RICE score is 21.3, but 'X' has 30" in fb.message


# -- data -------------------------------------------------------------------

def frame():
    return pd.DataFrame({"order_id": ["O1", "O2", "O3"], "amount": [10.0, 20.0, 30.0]})


def test_data_scalar_with_slips_and_percent():
    ex = DataExercise("99.5", "Sum", "Total", expected=lambda: 60.0, answer_name="total",
                      slips=[Slip(lambda: 50.0, "You dropped the refunds.")], **COMMON)
    assert ex.check(np.float64(60.0)).correct
    assert ex.check(50).message == "You dropped the refunds."
    assert "too low" in ex.check(10).message
    pct = DataExercise("99.5", "Share", "Share", expected=lambda: 12.5, answer_name="share", share="percent",
                       **COMMON)
    assert "fraction" in pct.check(0.125).message
    assert pct.check(pd.Series([1, 2])).status == "invalid"
    frac = DataExercise("99.5", "Share", "Share", expected=lambda: 0.125, answer_name="share", share="fraction",
                        **COMMON)
    assert "divide by 100" in frac.check(12.5).message
    # an amount (no share): a factor of 100 is a unit slip, never "a percentage"
    for value, size in ((6000, "large"), (0.6, "small")):
        message = ex.check(value).message
        assert f"100 times too {size}" in message and "percentage" not in message
    with pytest.raises(ValueError):
        DataExercise("99.5", "Share", "Share", expected=lambda: 1.0, answer_name="share", share="pct", **COMMON)


def test_data_series_ignores_order_and_diagnoses_labels():
    expected = pd.Series({"cafe": 10.0, "bakery": 5.0}, name="gmv")
    ex = DataExercise("99.6", "By cat", "By category", expected=lambda: expected, answer_name="by_cat", **COMMON)
    assert ex.check(pd.Series({"bakery": 5.0, "cafe": 10.0})).correct
    assert "missing label" in ex.check(pd.Series({"cafe": 10.0})).message
    assert "differ" in ex.check(pd.Series({"cafe": 10.0, "bakery": 6.0})).message
    assert "100 times too small" in ex.check(pd.Series({"cafe": 0.10, "bakery": 0.05})).message
    shares = DataExercise("99.6", "By cat", "By category", expected=lambda: expected, answer_name="by_cat",
                          share="percent", **COMMON)
    assert "fractions" in shares.check(pd.Series({"cafe": 0.10, "bakery": 0.05})).message
    assert ex.check("cafe").status == "invalid"


def test_data_frame_checks_columns_and_rows():
    ex = DataExercise("99.7", "Rows", "Rows", expected=frame, answer_name="rows",
                      columns=["order_id", "amount"], key=["order_id"], **COMMON)
    assert ex.check(frame().iloc[::-1]).correct
    fb = ex.check(frame().rename(columns={"amount": "amt"}))
    assert fb.status == "invalid" and "amount" in fb.message
    assert "1 row(s) missing" in ex.check(frame().iloc[:2]).message
    changed = frame().assign(amount=[10.0, 20.0, 31.0])
    assert "column 'amount'" in ex.check(changed).message
    assert "empty" in ex.check(frame().iloc[:0]).message


def test_data_ids_accept_many_containers():
    ex = DataExercise("99.8", "Ids", "Which orders", expected=frame, answer_name="ids", id_column="order_id", **COMMON)
    for ok in (["O3", "O1", "O2"], {"O1", "O2", "O3"}, frame().order_id, frame(), frame().set_index("order_id")):
        assert ex.check(ok).correct
    fb = ex.check(["O1", "O2", "O9"])
    assert "2 of 3" in fb.message and "O3" in fb.message and "O9" in fb.message
    assert ex.check(pd.DataFrame({"id": ["O1"]})).status == "invalid"


def test_data_ids_can_say_why_each_id_belongs():
    ex = DataExercise("99.8", "Ids", "Which orders", expected=frame, answer_name="ids", id_column="order_id",
                      id_notes=lambda: {"O3": "paid, no ledger entry", "O9": "cancelled"}, **COMMON)
    fb = ex.check(["O1", "O2", "O9"])
    assert "O3 (paid, no ledger entry)" in fb.message and "O9 (cancelled)" in fb.message


# -- model ------------------------------------------------------------------

def _evaluate(p):
    if p["price"] == 0:
        raise ValueError("A price of zero earns nothing: raise the price.")
    revenue = p["price"] * p["units"]
    return ModelOutcome({"revenue": revenue}, {"revenue ≥ 1000": revenue >= 1000, "price ≤ 50": p["price"] <= 50})


def model():
    return ModelExercise("99.9", "Model", "Reach the target",
                         params=[Param("price", "Price", 0, 100, 1, 10), Param("units", "Units", 0, 100, 1, 10)],
                         evaluate=_evaluate, reference={"price": 20, "units": 50}, **COMMON)


def test_model_targets_ranges_and_model_errors():
    ex = model()
    assert ex.check(ex.reference_answer()).correct
    fb = ex.check({"price": 20, "units": 10})
    assert fb.status == "partial" and "✗ revenue" in fb.message
    assert "between 0 and 100" in ex.check({"price": 200, "units": 1}).message
    priced = ModelExercise("99.9", "Model", "p", params=[Param("price", "Price", 1, 10, 1, 2, unit="CNY")],
                           evaluate=_evaluate, reference={"price": 5}, **COMMON)
    assert "between 1 and 10 CNY; got 20 CNY" in priced.check({"price": 20}).message
    assert "price of zero" in ex.check({"price": 0, "units": 10}).message
    assert ex.check({"price": "ten"}).status == "invalid"
    assert ex.check({"bogus": 1}).status == "invalid"
    assert ex.check([1, 2]).status == "invalid"


# -- reflection -------------------------------------------------------------

def test_reflection_saves_and_shows_model_answer():
    ex = ReflectionExercise("99.10", "Reflect", "Think", model_answer="A model answer.", min_words=5, **COMMON)
    assert ex.check("").status == "not_attempted"
    short = ex.check("too short")
    assert short.status == "saved" and "A few more sentences" in short.message
    fb = ex.check("I would spend a week with the sales team first.")
    assert fb.status == "saved" and fb.label == "Saved" and "A model answer." in fb.message
    assert not fb.correct and "orrect" not in repr(fb)  # saved, never graded
    assert ex.word_count("我想先和销售一起") == 8
    assert ex.check(42).status == "invalid"


# -- never raises -----------------------------------------------------------

ANYTHING = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
) | st.builds(lambda cols: pd.DataFrame({c: [1, None] for c in cols}),
              st.lists(st.text(min_size=1, max_size=6), max_size=3, unique=True)) \
  | st.builds(lambda xs: pd.Series(xs, dtype=float), st.lists(st.floats(), max_size=4))

ENGINE_EXERCISES = [
    number(), number(answer=2.5, percent=True),
    ChoiceExercise("99.2", "Pick", "Which?", options=OPTIONS, **COMMON),
    MultiExercise("99.3", "Multi", "Which?", options=OPTIONS, **COMMON),
    RankingExercise("99.4", "Rank", "Order", items={"x": "X", "y": "Y"}, order=["x", "y"], **COMMON),
    DataExercise("99.5", "Sum", "Total", expected=lambda: 60.0, answer_name="t", **COMMON),
    DataExercise("99.7", "Rows", "Rows", expected=frame, answer_name="r", columns=["order_id", "amount"], **COMMON),
    DataExercise("99.8", "Ids", "Ids", expected=frame, answer_name="i", id_column="order_id", **COMMON),
    model(),
    ReflectionExercise("99.10", "Reflect", "Think", model_answer="m", **COMMON),
]


@settings(max_examples=60, deadline=None)
@given(answer=ANYTHING)
def test_no_input_makes_any_kind_raise(answer):
    for ex in ENGINE_EXERCISES:
        fb = ex.check(answer)
        assert isinstance(fb, Feedback) and 0 <= fb.score <= 1 and fb.message
