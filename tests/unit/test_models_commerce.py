"""models.commerce: figures computed by hand on a tiny frame, then the planted findings on the real data."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from ctopath import data
from ctopath.models import commerce as c

# ----------------------------------------------------------------------------- a tiny hand-made shop
#
# M1 bakery, smb, platform fee 1.0 %      M2 fashion, chain, platform fee 0.5 %
# P1 M1 price 20 cost 11 · P2 M1 price 40 cost 22 · P3 M2 price 200 cost 90 · P4 M2 price 100 cost 50
#
# order  merchant created            status     lines              items  disc  paid  coupon
# O1     M1       2026-03-01 10:00   paid       P1×1 + P2×2 = 100    100     0   100
# O2     M1       2026-03-15 12:00   refunded   P2×1 + P1×3 = 100    100    50    50  K3 (CP1, 50 % off)
# O3     M2       2026-03-20 09:00   cancelled  P3×1 + P4×1 = 300    300     0   300
# O4     M2       2026-03-31 23:59   paid       P3×2        = 400    400    40   360  K2 (CP2, 40 off)
# O5     M2       2026-04-01 00:00   paid       P3×1        = 200    200     0   200
# O6     M1       2026-02-28 18:00   paid       P2×2        =  80     80    40    40  K1 (CP1, 50 % off)
#
# Ledger: every paid/refunded order has payment, platform_fee, payment_fee — except O6 (never booked);
# O2 also a refund of −50.


def _frames():
    merchants = pd.DataFrame({
        "merchant_id": ["M1", "M2"], "merchant_name": ["Tiny Bakery", "Tiny Threads"],
        "segment": ["smb", "chain"], "category": ["bakery", "fashion"], "platform_fee_rate": [0.010, 0.005],
    })
    products = pd.DataFrame({
        "product_id": ["P1", "P2", "P3", "P4"], "merchant_id": ["M1", "M1", "M2", "M2"],
        "product_name": ["Egg Tart", "Sourdough Loaf", "Trench Coat", "Hoodie"],
        "unit_price_cny": [20.0, 40.0, 200.0, 100.0], "unit_cost_cny": [11.0, 22.0, 90.0, 50.0],
    })
    orders = pd.DataFrame({
        "order_id": ["O1", "O2", "O3", "O4", "O5", "O6"],
        "merchant_id": ["M1", "M1", "M2", "M2", "M2", "M1"],
        "consumer_id": ["C1", "C2", "C3", "C4", "C3", "C1"],
        "created_at": pd.to_datetime(["2026-03-01 10:00", "2026-03-15 12:00", "2026-03-20 09:00",
                                      "2026-03-31 23:59", "2026-04-01 00:00", "2026-02-28 18:00"]),
        "channel": ["mini_program", "pos", "app", "mini_program", "pos", "mini_program"],
        "status": ["paid", "refunded", "cancelled", "paid", "paid", "paid"],
        "items_amount_cny": [100.0, 100.0, 300.0, 400.0, 200.0, 80.0],
        "discount_cny": [0.0, 50.0, 0.0, 40.0, 0.0, 40.0],
        "paid_amount_cny": [100.0, 50.0, 300.0, 360.0, 200.0, 40.0],
        "coupon_id": [None, "K3", None, "K2", None, "K1"],
    })
    items = pd.DataFrame({
        "order_id": ["O1", "O1", "O2", "O2", "O3", "O3", "O4", "O5", "O6"],
        "line_no": [1, 2, 1, 2, 1, 2, 1, 1, 1],
        "product_id": ["P1", "P2", "P2", "P1", "P3", "P4", "P3", "P3", "P2"],
        "quantity": [1, 2, 1, 3, 1, 1, 2, 1, 2],
    })
    # fees: O1 100×1 % = 1.00, 100×0.38 % = 0.38; O2 50×1 % = 0.50, 50×0.38 % = 0.19;
    #       O4 360×0.5 % = 1.80, 360×0.38 % = 1.368 → 1.37; O5 200×0.5 % = 1.00, 200×0.38 % = 0.76
    ledger = pd.DataFrame([
        ("E01", "M1", "O1", "2026-03-01 10:00", "payment", 100.0),
        ("E02", "M1", "O1", "2026-03-01 10:00", "platform_fee", -1.00),
        ("E03", "M1", "O1", "2026-03-01 10:00", "payment_fee", -0.38),
        ("E04", "M1", "O2", "2026-03-15 12:00", "payment", 50.0),
        ("E05", "M1", "O2", "2026-03-15 12:00", "platform_fee", -0.50),
        ("E06", "M1", "O2", "2026-03-15 12:00", "payment_fee", -0.19),
        ("E07", "M1", None, "2026-03-16 10:00", "settlement", -148.93),
        ("E08", "M1", "O2", "2026-03-20 12:00", "refund", -50.0),
        ("E09", "M2", "O4", "2026-03-31 23:59", "payment", 360.0),
        ("E10", "M2", "O4", "2026-03-31 23:59", "platform_fee", -1.80),
        ("E11", "M2", "O4", "2026-03-31 23:59", "payment_fee", -1.37),
        ("E12", "M2", "O5", "2026-04-01 00:00", "payment", 200.0),
        ("E13", "M2", "O5", "2026-04-01 00:00", "platform_fee", -1.00),
        ("E14", "M2", "O5", "2026-04-01 00:00", "payment_fee", -0.76),
    ], columns=["entry_id", "merchant_id", "order_id", "entry_time", "entry_type", "amount_cny"])
    ledger["entry_time"] = pd.to_datetime(ledger["entry_time"])
    campaigns = pd.DataFrame({
        "campaign_id": ["CP2", "CP1"], "merchant_id": ["M2", "M1"],
        "campaign_name": ["Forty Off", "Half Price"], "coupon_kind": ["amount_off", "percent_off"],
        "coupon_value": [40.0, 50.0], "coupons_issued": [2, 3],
    })
    coupons = pd.DataFrame({
        "coupon_id": ["K1", "K2", "K3", "K4", "K5"], "campaign_id": ["CP1", "CP2", "CP1", "CP1", "CP2"],
        "consumer_id": ["C1", "C4", "C2", "C9", "C8"],
        "redeemed_order_id": ["O6", "O4", "O2", None, None],
    })
    return dict(merchants=merchants, products=products, orders=orders, order_items=items,
                ledger_entries=ledger, campaigns=campaigns, coupons=coupons)


@pytest.fixture
def f():
    return _frames()


MARCH = ("2026-03-01", "2026-04-01")


def test_gmv(f):
    o = f["orders"]
    # March: O1 100 + O2 50 (refunded still counts) + O4 360; O3 cancelled, O5 is April → 510
    assert c.gmv(o, *MARCH) == 510.0
    # all time: 100 + 50 + 360 + 200 + 40 = 750
    assert c.gmv(o) == 750.0
    assert c.gmv(o, pd.Timestamp("2026-04-01")) == 200.0  # O5 only: start is inclusive
    assert c.gmv(o, end="2026-03-31 23:59") == 190.0  # O6 40 + O1 100 + O2 50: end is exclusive


def test_gmv_accepts_string_dates_in_the_frame(f):
    o = f["orders"].assign(created_at=f["orders"]["created_at"].dt.strftime("%Y-%m-%d %H:%M"))
    assert c.gmv(o, *MARCH) == 510.0


def test_net_gmv(f):
    # 510 − refund of O2 (50) = 460; the refund is booked 2026-03-20 but would count for March anyway
    assert c.net_gmv(f["orders"], f["ledger_entries"], *MARCH) == 460.0
    assert c.net_gmv(f["orders"], f["ledger_entries"], "2026-04-01") == 200.0


def test_gmv_by(f):
    # bakery: O1 100 + O2 50 + O6 40 = 190; fashion: O4 360 + O5 200 = 560
    s = c.gmv_by(f["orders"], f["merchants"])
    assert s.name == "gmv_cny" and s.index.name == "category"
    assert s.to_dict() == {"fashion": 560.0, "bakery": 190.0}
    assert list(s.index) == ["fashion", "bakery"]
    # March by segment: chain O4 360; smb O1 100 + O2 50 = 150
    assert c.gmv_by(f["orders"], f["merchants"], by="segment", start=MARCH[0], end=MARCH[1]).to_dict() == {
        "chain": 360.0, "smb": 150.0}
    assert c.gmv_by(f["orders"], f["merchants"], by="channel").to_dict() == {
        "mini_program": 500.0, "pos": 250.0}  # 100+360+40 ; 50+200


def test_take_rate_is_a_fraction_of_platform_fees_only(f):
    # March platform fees: 1.00 + 0.50 + 1.80 = 3.30 (payment fees 0.38+0.19+1.37 are NOT revenue)
    # 3.30 / 510 = 0.0064705...
    assert c.take_rate(f["orders"], f["ledger_entries"], *MARCH) == pytest.approx(3.30 / 510)
    assert math.isnan(c.take_rate(f["orders"], f["ledger_entries"], "2027-01-01"))


def test_refund_rate(f):
    # March by value: O2 50 / 510; by count: 1 refunded of 3 paid-or-refunded (O1, O2, O4)
    assert c.refund_rate(f["orders"], *MARCH) == pytest.approx(50 / 510)
    assert c.refund_rate(f["orders"], *MARCH, by="count") == pytest.approx(1 / 3)
    assert c.refund_rate(f["orders"]) == pytest.approx(50 / 750)
    with pytest.raises(ValueError, match="value"):
        c.refund_rate(f["orders"], by="percent")


def test_unreconciled_orders(f):
    u = c.unreconciled_orders(f["orders"], f["ledger_entries"])
    assert list(u.columns) == ["order_id", "merchant_id", "created_at", "channel", "paid_amount_cny"]
    assert u["order_id"].tolist() == ["O6"] and u.index.tolist() == [0]
    assert u.at[0, "paid_amount_cny"] == 40.0


def test_fee_cny_rounds_half_up():
    assert c.fee_cny(360, 0.0038) == 1.37  # 1.368
    assert c.fee_cny(1.25, 0.1) == 0.13  # 0.125 → half up
    assert c.fee_cny(50, 0.0038) == 0.19  # 0.19
    assert c.fee_cny(pd.Series([100.0, 40.0]), 0.010).tolist() == [1.0, 0.4]


def test_campaign_pnl(f):
    pnl = c.campaign_pnl(f["campaigns"], f["coupons"], f["orders"], f["order_items"], f["products"], f["merchants"])
    assert list(pnl.columns) == list(c.CAMPAIGN_PNL_COLUMNS)
    assert pnl["campaign_id"].tolist() == ["CP1", "CP2"] and pnl.index.tolist() == [0, 1]
    cp1, cp2 = pnl.iloc[0], pnl.iloc[1]
    # CP1: issued 3, redeemed K1 (O6, paid) and K3 (O2, refunded → not in the P&L) → 2 redemptions, 2/3.
    #   O6 only: revenue 80, discount 40, cogs 2×22 = 44,
    #   fees 40×1 % = 0.40 + 40×0.38 % = 0.152 → 0.15 ⇒ 0.55; profit 80 − 40 − 44 − 0.55 = −4.55; per redemption −2.275
    assert (cp1["coupons_issued"], cp1["redemptions"]) == (3, 2)
    assert cp1["redemption_rate"] == pytest.approx(2 / 3)
    assert (cp1["revenue_cny"], cp1["discount_cny"], cp1["cogs_cny"], cp1["fees_cny"]) == (80.0, 40.0, 44.0, 0.55)
    assert cp1["gross_profit_cny"] == pytest.approx(-4.55)
    assert cp1["profit_per_redemption_cny"] == pytest.approx(-2.275, abs=0.006)
    # CP2: issued 2, redeemed K2 (O4, paid) → 1, 0.5.
    #   revenue 400, discount 40, cogs 2×90 = 180, fees 1.80 + 1.37 = 3.17; profit 400 − 40 − 180 − 3.17 = 176.83
    assert (cp2["coupons_issued"], cp2["redemptions"], cp2["redemption_rate"]) == (2, 1, 0.5)
    assert (cp2["revenue_cny"], cp2["discount_cny"], cp2["cogs_cny"], cp2["fees_cny"]) == (400.0, 40.0, 180.0, 3.17)
    assert cp2["gross_profit_cny"] == pytest.approx(176.83)
    assert cp2["profit_per_redemption_cny"] == pytest.approx(176.83)


def test_order_journey(f):
    j = c.order_journey("O4", f)
    assert set(j) == {"order", "items", "ledger", "coupon", "merchant"}
    assert j["order"]["order_id"].tolist() == ["O4"]
    assert j["items"][["product_name", "quantity", "unit_cost_cny"]].values.tolist() == [["Trench Coat", 2, 90.0]]
    assert j["ledger"]["entry_type"].tolist() == ["payment", "platform_fee", "payment_fee"]
    assert j["ledger"]["amount_cny"].sum() == pytest.approx(360 - 1.80 - 1.37)
    assert j["coupon"]["coupon_id"].tolist() == ["K2"] and j["coupon"]["campaign_name"].tolist() == ["Forty Off"]
    assert j["merchant"]["merchant_name"].tolist() == ["Tiny Threads"]
    plain = c.order_journey("O1", f)
    assert plain["coupon"].empty and len(plain["items"]) == 2
    assert c.order_journey("O6", f)["ledger"].empty  # the unbooked order


def test_order_journey_unknown_id(f):
    with pytest.raises(ValueError, match="O999"):
        c.order_journey("O999", f)
    with pytest.raises(ValueError, match="ledger_entries"):
        c.order_journey("O1", {k: v for k, v in f.items() if k != "ledger_entries"})


def test_inputs_are_not_modified(f):
    before = {k: v.copy() for k, v in f.items()}
    c.campaign_pnl(f["campaigns"], f["coupons"], f["orders"], f["order_items"], f["products"], f["merchants"])
    c.take_rate(f["orders"], f["ledger_entries"], *MARCH)
    c.gmv_by(f["orders"], f["merchants"])
    for k in f:
        pd.testing.assert_frame_equal(f[k], before[k])


@pytest.mark.parametrize("call", [
    lambda f: c.gmv(f["orders"].drop(columns=["paid_amount_cny"])),
    lambda f: c.take_rate(f["orders"], f["ledger_entries"].drop(columns=["entry_type"])),
    lambda f: c.gmv_by(f["orders"], f["merchants"].drop(columns=["category"])),
    lambda f: c.campaign_pnl(f["campaigns"], f["coupons"], f["orders"], f["order_items"],
                             f["products"].drop(columns=["unit_cost_cny"]), f["merchants"]),
])
def test_missing_columns_are_named(f, call):
    with pytest.raises(ValueError) as exc:
        call(f)
    msg = str(exc.value)
    assert "missing the columns" in msg and "table" in msg
    assert any(col in msg for col in ("paid_amount_cny", "entry_type", "category", "unit_cost_cny"))


def test_not_a_dataframe_and_bad_dates(f):
    with pytest.raises(ValueError, match="DataFrame"):
        c.gmv([1, 2, 3])
    with pytest.raises(ValueError, match="date"):
        c.gmv(f["orders"], "March")


# ----------------------------------------------------------------------------- the planted findings, real data


@pytest.fixture(scope="module")
def real(repo_data):
    return {name: repo_data(name) for name in data.tables()}


def test_finding_payment_callback_outage(real):
    u = c.unreconciled_orders(real["orders"], real["ledger_entries"])
    assert len(u) == 23
    assert (u["channel"] == "mini_program").all()
    assert u["created_at"].min() >= pd.Timestamp("2026-04-17 14:00")
    assert u["created_at"].max() < pd.Timestamp("2026-04-17 16:30")
    assert u["merchant_id"].nunique() >= 3
    assert u["paid_amount_cny"].sum() == pytest.approx(1699.50)
    # the outage orders have no ledger entries at all; every other paid/refunded order reconciles
    assert not real["ledger_entries"]["order_id"].isin(u["order_id"]).any()
    o = real["orders"]
    outage = (o["created_at"] >= "2026-04-17 14:00") & (o["created_at"] < "2026-04-17 16:30") & (
        o["channel"] == "mini_program") & o["status"].isin(c.PAID_STATUSES)
    assert outage.sum() == 23


def test_finding_losing_campaign(real):
    pnl = c.campaign_pnl(real["campaigns"], real["coupons"], real["orders"], real["order_items"],
                         real["products"], real["merchants"]).set_index("campaign_id")
    losers = pnl.index[pnl["gross_profit_cny"] < 0].tolist()
    assert losers == ["CP03"]
    assert pnl.at["CP03", "gross_profit_cny"] == pytest.approx(-702.54)
    cp = real["campaigns"].set_index("campaign_id")
    assert (cp.at["CP03", "coupon_kind"], cp.at["CP03", "coupon_value"]) == ("percent_off", 50.0)
    # the distractor: the lowest redemption rate, under 10 %, yet profitable
    low = pnl["redemption_rate"].idxmin()
    assert low == "CP04" and pnl.at[low, "redemption_rate"] < 0.10 and pnl.at[low, "gross_profit_cny"] > 0


def test_finding_chains_carry_most_gmv(real):
    by = c.gmv_by(real["orders"], real["merchants"], by="merchant_id")
    chains = real["merchants"].loc[real["merchants"]["segment"] == "chain", "merchant_id"]
    assert by[by.index.isin(chains)].sum() / by.sum() >= 0.70
    seg = c.gmv_by(real["orders"], real["merchants"], by="segment")
    assert seg.index[0] == "chain"


def test_finding_fashion_refunds(real):
    o = real["orders"].merge(real["merchants"][["merchant_id", "category"]], on="merchant_id")
    overall = c.refund_rate(o)
    rates = {cat: c.refund_rate(g) for cat, g in o.groupby("category")}
    assert max(rates, key=rates.get) == "fashion"
    assert rates["fashion"] >= 3 * overall


def test_reference_figures(real):
    o, ledger = real["orders"], real["ledger_entries"]
    assert c.gmv(o, "2026-03-01", "2026-04-01") == pytest.approx(93175.75)
    assert c.take_rate(o, ledger, "2026-01-01", "2026-04-01") == pytest.approx(0.0060728, abs=5e-7)
    assert c.gmv(o) == c.gmv_by(o, real["merchants"]).sum().round(2)
    assert c.net_gmv(o, ledger) < c.gmv(o)
