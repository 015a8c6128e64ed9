"""models.workload: shares of delivered work, by hand, then on the real data."""
from __future__ import annotations

import pandas as pd
import pytest

from ctopath import data
from ctopath.models import workload as w


# Two sprints. Feature points: sales 8 + 8 = 16, operations 1 + 1 + 2 = 4 → 0.8 / 0.2 by points,
# but 2 of 5 items (0.4) vs 3 of 5 (0.6) by count. Platform 10, unplanned 5 (not feature work).
def _items():
    return pd.DataFrame({
        "item_id": [f"W{i}" for i in range(1, 8)],
        "sprint_id": ["S1", "S1", "S1", "S2", "S2", "S2", "S2"],
        "kind": ["feature", "feature", "platform", "feature", "feature", "feature", "unplanned"],
        "requested_by": ["sales", "operations", "engineering", "sales", "operations", "operations", "incident"],
        "team": ["backend"] * 7,
        "points": [8, 1, 10, 8, 1, 2, 5],
    })


def test_shares_by_hand():
    share = w.work_share(_items())
    assert share.to_dict() == pytest.approx({"sales": 0.8, "operations": 0.2})
    everything = w.work_share(_items(), kind=None)
    assert everything["engineering"] == pytest.approx(10 / 35) and everything["sales"] == pytest.approx(16 / 35)
    balance = w.demand_balance(_items())
    assert balance.loc["operations", "share_of_items"] == pytest.approx(0.6)
    assert balance.loc["sales", "points_per_item"] == pytest.approx(8.0)
    assert list(balance.index) == ["sales", "operations"]


def test_points_by_sprint_by_hand():
    table = w.points_by_sprint(_items())
    assert table.loc["S1"].tolist() == [9, 10, 0] and table.loc["S2"].tolist() == [11, 0, 5]


def test_bad_input_is_a_sentence():
    with pytest.raises(ValueError, match="kind must be one of"):
        w.work_share(_items(), kind="features")
    with pytest.raises(ValueError, match="no column"):
        w.work_share(_items(), by="owner")
    with pytest.raises(ValueError, match="no rows"):
        w.work_share(_items().iloc[0:0])
    with pytest.raises(ValueError, match="0 or more"):
        w.work_share(_items().assign(points=-1))


def test_real_data_adds_up_to_the_sprints_and_leans_to_sales():
    items = data.load("work_items")
    by_sprint = w.points_by_sprint(items)
    sprints = data.load("sprints").set_index("sprint_id").loc[by_sprint.index]
    assert list(by_sprint.index) == [f"SP{i}" for i in range(40, 53)]
    for kind in w.KINDS:
        assert (by_sprint[kind] == sprints[f"{kind}_points"]).all(), kind
    share = w.work_share(items)
    assert share.idxmax() == "sales" and share["sales"] > 0.5 and share["operations"] < 0.12
    assert share.sum() == pytest.approx(1.0)
