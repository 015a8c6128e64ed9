"""models.leads (05.13): the squads' record and the generals who can fight — by hand, then on the company's data."""
from __future__ import annotations

import pandas as pd
import pytest

from ctopath import data
from ctopath.models import leads


# squad  milestone  planned     delivered   on time?  goal met  points
# A      1          2026-01-10  2026-01-10  yes (=)   yes       10
# A      2          2026-02-10  2026-02-01  yes       yes       10
# B      3          2026-01-10  2026-01-20  no        yes       50
# B      4          2026-02-10  2026-02-09  yes       no        50
# → A: on time 1.0, goal 1.0, 20 points; B: on time 0.5, goal 0.5, 100 points
def _milestones():
    return pd.DataFrame({
        "squad": ["A", "A", "B", "B"],
        "planned_date": pd.to_datetime(["2026-01-10", "2026-02-10", "2026-01-10", "2026-02-10"]),
        "delivered_date": pd.to_datetime(["2026-01-10", "2026-02-01", "2026-01-20", "2026-02-09"]),
        "story_points": [10, 10, 50, 50],
        "goal_met": ["yes", "yes", "yes", "no"],
    })


def _squads():
    return pd.DataFrame({"squad": ["A", "B"], "lead": ["Ann", "Bo"], "lead_years": [1, 9]})


def test_scorecard_by_hand():
    card = leads.scorecard(_milestones(), _squads()).set_index("squad")
    assert card.loc["A", ["on_time_share", "goal_met_share", "story_points"]].tolist() == [1.0, 1.0, 20]
    assert card.loc["B", ["on_time_share", "goal_met_share", "story_points"]].tolist() == [0.5, 0.5, 100]
    assert card.loc["B", "lead"] == "Bo" and card.loc["B", "lead_years"] == 9


def test_generals_by_hand():
    assert leads.generals(_milestones(), _squads())["lead"].tolist() == ["Ann"]
    assert leads.generals(_milestones(), _squads(), min_on_time=0.5, min_goal_met=0.5)["lead"].tolist() == ["Ann", "Bo"]


def test_bad_input_is_a_sentence():
    with pytest.raises(ValueError, match="goal_met must be"):
        leads.scorecard(_milestones().assign(goal_met="maybe"), _squads())
    with pytest.raises(ValueError, match="between 0 and 1"):
        leads.generals(_milestones(), _squads(), min_on_time=80)
    with pytest.raises(ValueError, match="story_points"):
        leads.scorecard(_milestones().drop(columns="story_points"), _squads())


def test_the_companys_generals():
    ms, squads = data.load("squad_milestones"), data.load("squads")
    assert sorted(leads.generals(ms, squads)["lead"]) == ["Hui", "Sun Yue"]
    card = leads.scorecard(ms, squads).set_index("lead")
    assert card["story_points"].idxmax() == "Ming"
    assert squads.set_index("lead")["lead_years"].idxmax() == "Guo Qiang"
    assert card.loc["He Ping", "on_time_share"] >= leads.MIN_ON_TIME
    assert card.loc["He Ping", "goal_met_share"] < leads.MIN_GOAL_MET
    assert card.loc["Ma Lin", "goal_met_share"] >= leads.MIN_GOAL_MET
    assert card.loc["Ma Lin", "on_time_share"] < leads.MIN_ON_TIME
    assert (ms.delivered_date <= pd.Timestamp("2026-06-30")).all()
