"""models.architecture: co-change by hand, then the planted boundaries."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from ctopath.models import architecture as a


# commit → services:  c1 a,b · c2 a,b · c3 a · c4 b,c · c5 c · c6 a,b,c (and a duplicate row c6/a)
# revisions: a 4 (c1 c2 c3 c6), b 4 (c1 c2 c4 c6), c 3 (c4 c5 c6)
# pairs: a-b 3 shared → 3 / ((4 + 4)/2) = 0.75 ; b-c 2 → 2 / 3.5 = 0.5714 ; a-c 1 → 1 / 3.5 = 0.2857
def _commits():
    rows = [("c1", "a"), ("c1", "b"), ("c2", "b"), ("c2", "a"), ("c3", "a"), ("c4", "b"), ("c4", "c"),
            ("c5", "c"), ("c6", "a"), ("c6", "b"), ("c6", "c"), ("c6", "a")]
    return pd.DataFrame(rows, columns=["commit_id", "service"])


def test_revisions():
    assert a.revisions(_commits()).to_dict() == {"a": 4, "b": 4, "c": 3}


def test_co_change_by_hand():
    t = a.co_change(_commits())
    assert list(t.columns) == list(a.CO_CHANGE_COLUMNS)
    assert t[["service_a", "service_b", "shared_commits"]].values.tolist() == [["a", "b", 3], ["b", "c", 2], ["a", "c", 1]]
    assert t["degree"].tolist() == pytest.approx([0.75, 2 / 3.5, 1 / 3.5])
    assert len(a.co_change(_commits(), min_shared=2)) == 2


def test_matrix_is_symmetric():
    m = a.coupling_matrix(_commits())
    assert m.loc["a", "b"] == m.loc["b", "a"] == 0.75 and math.isnan(m.loc["c", "c"])


def test_bad_input():
    with pytest.raises(ValueError, match="min_shared"):
        a.co_change(_commits(), min_shared=0)
    with pytest.raises(ValueError, match="missing the columns"):
        a.co_change(_commits().rename(columns={"service": "svc"}))
    with pytest.raises(ValueError, match="no rows"):
        a.co_change(_commits().iloc[0:0])


def test_finding_boundaries(repo_data):
    t = a.co_change(repo_data("commit_services"))
    top, second = t.iloc[0], t.iloc[1]
    assert {top.service_a, top.service_b} == {"orders", "order-pricing"} and top.degree > 0.7
    assert {second.service_a, second.service_b} == {"membership", "marketing"} and 0.3 < second.degree < 0.5
    assert (t.degree.iloc[2:] < 0.15).all()
