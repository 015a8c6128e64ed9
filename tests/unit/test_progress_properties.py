"""Properties of what the store keeps: jsonable and answer_key never raise and stay bounded,
whatever a learner's code hands them."""
import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from ctopath import progress
from ctopath.engine.progress import answer_key, jsonable


class _Odd:
    """An object whose repr misbehaves in the given way."""

    def __init__(self, how):
        self.how = how

    def __repr__(self):
        if self.how == "raises":
            raise ValueError("no repr")
        if self.how == "not text":
            return 42
        return "r" * 100_000


def _self_referencing(items):
    items = list(items)
    items.append(items)
    return items


scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(),
    # huge integers, built inside the strategy: even hypothesis cannot print 10**5000
    st.tuples(st.sampled_from([1, -1]), st.integers(30, 6000)).map(lambda sn: sn[0] * 10 ** sn[1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(), st.text(alphabet=st.characters(categories=["Cc", "Lo"]), max_size=50),
    st.text(max_size=5).map(lambda t: t + "\ud800" + t),  # a lone surrogate, as from a bad decode
    st.text(min_size=2500, max_size=3000),
    st.binary(max_size=50),
    st.sampled_from(["raises", "not text", "huge"]).map(_Odd),
)
hashable = st.one_of(st.none(), st.integers(), st.text(max_size=20), st.floats(allow_nan=False))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=8), st.tuples(inner, inner),
        st.frozensets(hashable, max_size=8), st.sets(hashable, max_size=8),
        st.dictionaries(st.one_of(st.text(max_size=10), st.integers(), st.none()), inner, max_size=8),
        st.lists(inner, max_size=3).map(_self_referencing),
    ),
    max_leaves=40,
)


def _nested(depth):
    value = ["bottom"]
    for _ in range(depth):
        value = [value, {"d": depth}]
    return value


def _plain(value):
    """True when ``value`` is plain JSON data with finite numbers only."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) for k in value) and all(_plain(v) for v in value.values())
    return value is None or isinstance(value, (bool, int, str))


def _depth(value):
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(st.one_of(values, st.integers(0, 3000).map(_nested)))
def test_jsonable_never_raises_and_stays_bounded(value):
    kept = jsonable(value)
    assert _plain(kept) and _depth(kept) <= progress.MAX_DEPTH + 1
    text = json.dumps(kept, ensure_ascii=False, allow_nan=False)
    text.encode("utf-8")  # no lone surrogates: the file can always be written
    assert len(text.encode("utf-8")) <= progress.MAX_ANSWER_BYTES
    assert jsonable(value) == kept  # the same answer is kept the same way


@settings(max_examples=300, deadline=None)
@given(st.one_of(values, st.integers(0, 3000).map(_nested)))
def test_answer_key_never_raises_and_stays_short(value):
    key = answer_key(value)
    assert isinstance(key, str) and len(key) <= progress.MAX_KEY_CHARS
    assert len(key.encode("utf-8")) <= progress.MAX_KEY_BYTES
    assert answer_key(value) == key  # stable, so identical wrong answers are counted together


@settings(max_examples=150, deadline=None)
@given(st.text(), st.integers(0, 10**6))
def test_stored_texts_are_bounded_and_say_when_they_were_cut(text, extra):
    long = text + "x" * extra
    kept = jsonable(long)
    assert len(kept) <= progress.MAX_TEXT_CHARS
    if len(long) > progress.MAX_TEXT_CHARS:
        assert f"cut: {len(long):,} characters in all" in kept


def test_numpy_values_are_unwrapped_or_summarised():
    import numpy as np

    kept = jsonable([np.longdouble(1.5), np.float64("nan"), np.int64(7), np.arange(3), np.zeros((200, 200))])
    assert kept[0].startswith("np.longdouble") and kept[1:4] == ["nan", 7, [0, 1, 2]]
    assert kept[4]["__array__"] == [200, 200] and kept[4]["dtype"] == "float64"
