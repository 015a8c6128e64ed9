"""models.performance: capacity at a latency target per build, by hand, then on the real data."""
from __future__ import annotations

import pandas as pd
import pytest

from ctopath import data
from ctopath.models import performance as p


# b1: p95 100, 200, 290 at 400 / 800 / 1200 → capacity 1200; b2: 150, 310, 500 → 400;
# b3: 320 at every step → 0. So b2 lost 800 rps against b1, the largest drop.
def _runs():
    return pd.DataFrame({
        "build": ["b1"] * 3 + ["b2"] * 3 + ["b3"] * 3,
        "target_rps": [400, 800, 1200] * 3,
        "p95_ms": [100, 200, 290, 150, 310, 500, 320, 330, 340],
        "p99_ms": [150, 310, 400, 200, 450, 700, 400, 420, 450],
        "change": ["x"] * 3 + ["y"] * 3 + ["z"] * 3,
    })


def test_capacity_by_hand():
    cap = p.capacity_by_build(_runs())
    assert cap.to_dict() == {"b1": 1200, "b2": 400, "b3": 0}
    assert list(cap.index) == ["b1", "b2", "b3"]
    assert p.capacity_by_build(_runs(), latency="p99_ms").to_dict() == {"b1": 400, "b2": 400, "b3": 0}
    # at 320 ms: b2 meets it at 800 (310), b3 at 400 only (320)
    assert p.capacity_by_build(_runs(), target_ms=320).to_dict() == {"b1": 1200, "b2": 800, "b3": 400}
    assert p.regression_build(_runs()) == "b2"
    summary = p.build_summary(_runs())
    assert summary.loc["b2", "p95@800"] == 310 and summary.loc["b3", "capacity_rps"] == 0


def test_no_regression_is_none():
    runs = _runs()[_runs().build == "b1"]
    assert p.regression_build(runs) is None


def test_bad_input_is_a_sentence():
    with pytest.raises(ValueError, match="latency must be one of"):
        p.capacity_by_build(_runs(), latency="p50_ms")
    with pytest.raises(ValueError, match="finite number"):
        p.capacity_by_build(_runs(), target_ms=float("nan"))
    with pytest.raises(ValueError, match="needs a number"):
        p.capacity_by_build(_runs().assign(p95_ms="fast"))
    with pytest.raises(ValueError, match="missing the columns"):
        p.capacity_by_build(_runs().drop(columns="target_rps"))


def test_real_data_rc4_broke_it_and_rc6_is_the_tested_build():
    runs = data.load("perf_runs")
    cap = p.capacity_by_build(runs)
    assert p.regression_build(runs) == "2.0.0-rc4"
    assert (cap.loc[:"2.0.0-rc3"] >= 1600).all() and (cap.loc["2.0.0-rc4":] < 1200).all()
    tests = data.load("load_tests")
    redeem = tests[tests.endpoint == "/member/points/redeem"].set_index("target_rps")
    rc6 = runs[runs.build == "2.0.0-rc6"].set_index("target_rps")
    for col in ("p95_ms", "p99_ms", "error_pct"):
        assert rc6[col].tolist() == redeem[col].tolist(), col
