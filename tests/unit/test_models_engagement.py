"""models.engagement: DAU/MAU per module, by hand, then on the real data (and the same number
as cohorts.stickiness where the two meet)."""
from __future__ import annotations

import pandas as pd
import pytest

from ctopath import data
from ctopath.models import cohorts, engagement as e


# Two modules over two months of small shops.
# January: orders DAU 10, 20, 30 (mean 20) of MAU 40 → 0.5; marketing 2, 4, 6 (mean 4) of 20 → 0.2
# February: orders 30, 30 (mean 30) of 60 → 0.5; marketing 3, 5 (mean 4) of 50 → 0.08
def _tables():
    days = ["2026-01-01", "2026-01-02", "2026-01-03", "2026-02-01", "2026-02-02"]
    daily = pd.DataFrame({
        "date": pd.to_datetime(days * 2),
        "segment": ["smb"] * 10,
        "module": ["orders"] * 5 + ["marketing"] * 5,
        "daily_active_users": [10, 20, 30, 30, 30, 2, 4, 6, 3, 5],
    })
    monthly = pd.DataFrame({
        "month": pd.to_datetime(["2026-01-01", "2026-02-01"] * 2),
        "segment": ["smb"] * 4,
        "module": ["orders", "orders", "marketing", "marketing"],
        "monthly_active_users": [40, 60, 20, 50],
    })
    return daily, monthly


def test_stickiness_by_hand():
    out = e.module_stickiness(*_tables(), "smb").set_index(["month", "module"])["dau_mau"]
    assert out[("2026-01", "orders")] == pytest.approx(0.5)
    assert out[("2026-01", "marketing")] == pytest.approx(0.2)
    assert out[("2026-02", "orders")] == pytest.approx(0.5)
    assert out[("2026-02", "marketing")] == pytest.approx(0.08)
    wide = e.stickiness_table(e.module_stickiness(*_tables(), "smb"))
    assert list(wide.columns) == ["marketing", "orders"] and list(wide.index) == ["2026-01", "2026-02"]


def test_change_after_by_hand():
    long = e.module_stickiness(*_tables(), "smb")
    change = e.change_after(long, "marketing", "2026-02")
    assert change["mau_ratio"] == pytest.approx(2.5)
    assert change["stickiness_before"] == pytest.approx(0.2) and change["stickiness_after"] == pytest.approx(0.08)
    assert change["stickiness_ratio"] == pytest.approx(0.4)
    with pytest.raises(ValueError, match="first month"):
        e.change_after(long, "marketing", "2026-01")


def test_bad_input_is_a_sentence():
    daily, monthly = _tables()
    with pytest.raises(ValueError, match="missing the columns"):
        e.stickiness_by(daily.drop(columns="module"), monthly)
    with pytest.raises(ValueError, match="above zero"):
        e.stickiness_by(daily, monthly.assign(monthly_active_users=0))
    with pytest.raises(ValueError, match="segments are smb"):
        e.module_stickiness(daily, monthly, "chain")
    with pytest.raises(ValueError, match="pandas DataFrame"):
        e.stickiness_by(None, monthly)


def test_per_segment_is_cohorts_stickiness():
    """One company, one number: summed over nothing, the same definition gives the lesson's figures."""
    segment = e.stickiness_by(data.load("usage_daily"), data.load("usage_monthly"), "segment")
    wide = segment.pivot(index="month", columns="segment", values="dau_mau")
    expected = cohorts.stickiness(data.load("usage_daily"), data.load("usage_monthly"))
    pd.testing.assert_frame_equal(wide.rename_axis(None, axis=1), expected, check_names=False)


def test_real_data_marketing_after_group_buy():
    smb = e.module_stickiness(data.load("module_usage_daily"), data.load("module_usage_monthly"), "smb")
    change = e.change_after(smb, "marketing", "2026-04")
    assert change["mau_ratio"] > 2 and change["stickiness_ratio"] < 0.6
    assert e.stickiness_table(smb).idxmax(axis=1).eq("orders").all()
