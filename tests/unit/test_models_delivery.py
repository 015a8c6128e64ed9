"""models.delivery: capacity allocation bands and launch readiness, by hand, then on the real data."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from ctopath.models import delivery as d


# Six sprints of 100 points each (shares are platform ÷ 100):
# sprint platform feature unplanned incidents lead   own share   trailing (window 2)
# S1       40      60       0         0        2.0    0.40        –
# S2       32      50      18         1        4.0    0.32        (0.40+0.32)/2 = 0.36 → 30%+
# S3       24      60      16         0        3.0    0.24        (0.32+0.24)/2 = 0.28 → 20-30%
# S4        8      62      30         3        6.0    0.08        (0.24+0.08)/2 = 0.16 → 10-20%
# S5        4      40      56         6       10.0    0.04        (0.08+0.04)/2 = 0.06 → 0-10%
# S6       20      50      30         4        8.0    0.20        (0.04+0.20)/2 = 0.12 → 10-20%
def _sprints():
    return pd.DataFrame({
        "sprint_id": [f"S{i}" for i in range(1, 7)],
        "capacity_points": [100] * 6,
        "platform_points": [40, 32, 24, 8, 4, 20],
        "feature_points": [60, 50, 60, 62, 40, 50],
        "unplanned_points": [0, 18, 16, 30, 56, 30],
        "incidents": [0, 1, 0, 3, 6, 4],
        "lead_time_days": [2.0, 4.0, 3.0, 6.0, 10.0, 8.0],
    })


def test_platform_and_trailing_share():
    s = _sprints()
    assert d.platform_share(s).tolist() == pytest.approx([0.40, 0.32, 0.24, 0.08, 0.04, 0.20])
    t = d.trailing_share(s, window=2)
    assert math.isnan(t.iloc[0])
    assert t.iloc[1:].tolist() == pytest.approx([0.36, 0.28, 0.16, 0.06, 0.12])
    assert d.share_bands(s, 2).astype(str).tolist()[1:] == ["30%+", "20-30%", "10-20%", "0-10%", "10-20%"]


def test_by_share_band_by_hand():
    t = d.by_share_band(_sprints(), window=2).set_index("band")
    assert list(t.index) == ["0-10%", "10-20%", "20-30%", "30%+"]
    # 10-20% holds S4 and S6: incidents (3 + 4)/2 = 3.5; features (0.62 + 0.50)/2 = 0.56;
    # unplanned (0.30 + 0.30)/2 = 0.30; lead time (6 + 8)/2 = 7.0
    assert t.loc["10-20%"].tolist() == pytest.approx([2, 3.5, 0.56, 0.30, 7.0])
    assert t.loc["0-10%", "incidents_per_sprint"] == 6 and t.loc["20-30%", "incidents_per_sprint"] == 0
    assert t.loc["30%+", "feature_share"] == pytest.approx(0.50)
    assert d.incidents_by_band(_sprints(), 2).to_dict() == {"0-10%": 6.0, "10-20%": 3.5, "20-30%": 0.0, "30%+": 1.0}


def test_own_share_bands_include_the_lower_edge():
    # window 1: S1 0.40, S2 0.32 → 30%+ (0 + 1)/2 = 0.5; S3 0.24, S6 0.20 → 20-30% (0 + 4)/2 = 2.0;
    # S4 0.08, S5 0.04 → 0-10% (3 + 6)/2 = 4.5; no sprint in 10-20%
    assert d.incidents_by_band(_sprints(), 1).to_dict() == {"0-10%": 4.5, "20-30%": 2.0, "30%+": 0.5}


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "4"])
def test_bad_window(bad):
    with pytest.raises(ValueError, match="window"):
        d.trailing_share(_sprints(), bad)


def test_bad_sprints():
    with pytest.raises(ValueError, match="capacity_points"):
        d.platform_share(_sprints().assign(capacity_points=0))
    with pytest.raises(ValueError, match="missing the columns"):
        d.by_share_band(_sprints().drop(columns=["incidents"]))
    with pytest.raises(ValueError, match="no rows"):
        d.platform_share(_sprints().iloc[0:0])


# ----------------------------------------------------------------------------- readiness

def _launch(canary_errors=3):
    load = pd.DataFrame({"endpoint": ["/a", "/a", "/b", "/c"], "target_rps": [1200, 2000, 1200, 800],
                         "p95_ms": [250, 500, 301, 100]})
    bugs = pd.DataFrame({"bug_id": ["B1", "B2", "B3"], "severity": ["S1", "S2", "S3"],
                         "status": ["fixed", "open", "open"], "title": ["crash", "double charge", "typo"]})
    # baseline 30 / 10,000 = 0.30 %; canary 3 / 1,000 = 0.30 % → +0.00 pp; with 6 errors 0.60 % → +0.30 pp
    canary = pd.DataFrame({"group": ["baseline", "canary", "baseline", "canary"],
                           "requests": [6000, 600, 4000, 400], "errors": [20, 2, 10, canary_errors - 2]})
    return load, bugs, canary


def test_readiness_by_hand():
    checks = d.readiness(*_launch()).set_index("check")
    assert checks.loc["latency:/a", "passed"] and checks.loc["latency:/a", "value"] == 250  # 2000 rps ignored
    assert not checks.loc["latency:/b", "passed"]                      # 301 > 300
    assert not checks.loc["latency:/c", "passed"] and "not load-tested" in checks.loc["latency:/c", "detail"]
    assert not checks.loc["open blocking bugs", "passed"] and "B2" in checks.loc["open blocking bugs", "detail"]
    assert checks.loc["canary error rate", "passed"]
    assert checks.loc["canary error rate", "value"] == pytest.approx(0.0, abs=1e-12)
    verdict = d.go_no_go(checks.reset_index())
    assert verdict["decision"] == "no-go" and verdict["blockers"] == ["latency:/b", "latency:/c", "open blocking bugs"]


def test_canary_over_the_limit():
    checks = d.readiness(*_launch(canary_errors=6)).set_index("check")
    assert checks.loc["canary error rate", "value"] == pytest.approx(0.30)
    assert not checks.loc["canary error rate", "passed"]


def test_go_when_everything_passes():
    load, bugs, canary = _launch()
    checks = d.readiness(load[load.endpoint == "/a"], bugs.assign(status="fixed"), canary)
    assert d.go_no_go(checks) == {"decision": "go", "blockers": [], "reasons": []}


def test_readiness_bad_input():
    load, bugs, canary = _launch()
    with pytest.raises(ValueError, match="both groups"):
        d.readiness(load, bugs, canary[canary.group == "canary"])
    with pytest.raises(ValueError, match="positive"):
        d.readiness(load, bugs, canary, target_rps=0)
    with pytest.raises(ValueError, match="launch_bugs"):
        d.readiness(load, bugs.drop(columns=["severity"]), canary)


def test_inputs_not_modified():
    s = _sprints()
    before = s.copy()
    d.by_share_band(s)
    pd.testing.assert_frame_equal(s, before)


# ----------------------------------------------------------------------------- the planted findings


@pytest.fixture(scope="module")
def real(repo_data):
    return {n: repo_data(n) for n in ("sprints", "load_tests", "launch_bugs", "canary")}


def test_finding_starving_the_platform(real):
    t = d.by_share_band(real["sprints"]).set_index("band")
    assert list(t.index) == ["0-10%", "10-20%", "20-30%", "30%+"]
    best = t.loc["20-30%"]
    # the 20-30% band is best on incidents, feature share and lead time at once
    assert best.incidents_per_sprint == t.incidents_per_sprint.min()
    assert best.feature_share == t.feature_share.max()
    assert best.lead_time_days == t.lead_time_days.min()
    assert t.loc["0-10%", "incidents_per_sprint"] > 4 * best.incidents_per_sprint
    assert t.loc["0-10%", "feature_share"] < best.feature_share - 0.2
    # judged by its own share, the squeeze looks harmless: the reason for the trailing window
    own = d.incidents_by_band(real["sprints"], 1)
    assert own["10-20%"] < own["20-30%"] + 0.5


def test_finding_launch_is_no_go(real):
    verdict = d.go_no_go(d.readiness(real["load_tests"], real["launch_bugs"], real["canary"]))
    assert verdict["decision"] == "no-go"
    assert verdict["blockers"] == ["latency:/member/points/redeem", "open blocking bugs"]
    assert "BUG-031" in verdict["reasons"][1]
    canary = d.canary_by_hour(real["canary"])
    assert canary["canary"].max() > 1.0  # the one bad hour is there, but the window passes
