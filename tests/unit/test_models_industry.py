"""models.industry (06.7): pooled online share before and after, in percentage points — by hand, then the data."""
from __future__ import annotations

import pandas as pd
import pytest

from ctopath import data
from ctopath.models import industry


# before: chain K1 100 orders, 30 online; chain K2 300 orders, 150 online → pooled 180/400 = 45 %
#         (a mean of shares would say (30 % + 50 %) / 2 = 40 %); shop S1 50 orders, 0 online → 0 %
# after (April): K1 app + pos, K2 mini_program + mini_program → 3/4 = 75 %; S1 app → 100 %
def _tables():
    before = pd.DataFrame({"merchant_id": ["K1", "K2", "S1"], "monthly_orders": [100, 300, 50],
                           "online_orders": [30, 150, 0]})
    orders = pd.DataFrame({
        "merchant_id": ["K1", "K1", "K2", "K2", "S1", "S1"],
        "created_at": pd.to_datetime(["2026-04-02 10:00", "2026-04-03 11:00", "2026-06-30 23:59",
                                      "2026-05-01 09:00", "2026-04-09 12:00", "2026-03-31 12:00"]),
        "channel": ["app", "pos", "mini_program", "mini_program", "app", "pos"],
    })
    merchants = pd.DataFrame({"merchant_id": ["K1", "K2", "S1"], "segment": ["chain", "chain", "smb"]})
    return before, orders, merchants


def test_online_shift_by_hand():
    t = industry.online_shift(*_tables()).set_index("segment")
    assert t.loc["chain"].tolist() == pytest.approx([45.0, 75.0, 30.0])
    assert t.loc["smb"].tolist() == pytest.approx([0.0, 100.0, 100.0])  # S1's March order is outside Q2


def test_period_and_channels():
    t = industry.online_shift(*_tables(), start="2026-03-01", online=("app",)).set_index("segment")
    assert t.loc["smb", "after_pct"] == pytest.approx(50.0)
    assert t.loc["chain", "after_pct"] == pytest.approx(25.0)


def test_bad_input_is_a_sentence():
    before, orders, merchants = _tables()
    with pytest.raises(ValueError, match="before start"):
        industry.online_shift(before, orders, merchants, start="2026-06-01", end="2026-05-01")
    with pytest.raises(ValueError, match="No orders"):
        industry.online_shift(before, orders, merchants, start="2027-01-01", end="2027-02-01")
    with pytest.raises(ValueError, match="dates like"):
        industry.online_shift(before, orders, merchants, start="soon")
    with pytest.raises(ValueError, match="online_orders"):
        industry.online_shift(before.drop(columns="online_orders"), orders, merchants)


def test_the_companys_shift():
    t = industry.online_shift(data.load("before_larkspur"), data.load("orders"), data.load("merchants"))
    t = t.set_index("segment").round(1)
    assert t.loc["chain"].tolist() == [32.8, 60.6, 27.8]
    assert t.loc["smb"].tolist() == [5.3, 60.1, 54.9]
    before = data.load("before_larkspur")
    assert list(before.merchant_id) == list(data.load("merchants").merchant_id)
    assert (before.online_orders <= before.monthly_orders).all()
