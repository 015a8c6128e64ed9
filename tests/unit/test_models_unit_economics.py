"""models.unit_economics: SaaS definitions checked against figures worked by hand."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from ctopath import data
from ctopath.models import unit_economics as ue

# ----------------------------------------------------------------------------- the formulas


def test_ltv_ratio_and_payback_by_hand():
    assert ue.ltv(1000, 0.8, 0.02) == pytest.approx(40_000)            # 1,000 × 0.8 ÷ 0.02
    assert ue.ltv_to_cac(40_000, 10_000) == 4                          # 40,000 ÷ 10,000
    assert ue.cac_payback_months(12_000, 1000, 0.8) == pytest.approx(15)  # 12,000 ÷ (1,000 × 0.8)
    assert ue.cac_payback_months(0, 1000, 0.8) == 0


@pytest.mark.parametrize("args, fragment", [
    ((1000, 0.8, 0), "no upper bound"),
    ((1000, 0.8, -0.01), "cannot be negative"),
    ((1000, 0.8, 5), "percentage"),
    ((1000, 80, 0.02), "fraction"),
    ((-5, 0.8, 0.02), "ARPA cannot be negative"),
    (("lots", 0.8, 0.02), "must be a number"),
    ((1000, 0.8, float("nan")), "finite"),
])
def test_ltv_bad_input(args, fragment):
    with pytest.raises(ValueError, match=fragment):
        ue.ltv(*args)


def test_ratio_and_payback_bad_input():
    with pytest.raises(ValueError, match="CAC must be above 0"):
        ue.ltv_to_cac(40_000, 0)
    with pytest.raises(ValueError, match="never earns"):
        ue.cac_payback_months(12_000, 0, 0.8)
    with pytest.raises(ValueError, match="never earns"):
        ue.cac_payback_months(12_000, 1000, -0.1)
    with pytest.raises(ValueError, match="CAC cannot be negative"):
        ue.cac_payback_months(-1, 1000, 0.8)


# ----------------------------------------------------------------------------- a tiny company
#
# Accounts: X (channel a, signed Jan), Y (a, Jan), Z (b, Feb), W (b, Feb). Months billed (MRR / cost):
#   2025-01: X 100/20, Y 300/60
#   2025-02: X 100/20, Z 1000/200, W 500/100          (Y lost in Feb)
#   2025-03: X 100/20, Z 1000/200                     (W lost in Mar)
#   2025-04: Z 1000/200                               (X lost in Apr)
# Spend: a Jan 1,000 + Feb 500 = 1,500; b Feb 3,000.
#
# Whole company:
#   ARPA = (100+300 + 100+1000+500 + 100+1000 + 1000) ÷ 8 account-months = 4,100 ÷ 8 = 512.5
#   gross margin = (4,100 − 820) ÷ 4,100 = 0.8
#   churn: Feb 1 lost of 2 at start; Mar 1 of 3; Apr 1 of 2 → logo = 3 ÷ 7 = 0.428571
#          MRR lost 300 + 500 + 100 = 900 of 400 + 1,600 + 1,100 = 3,100 → revenue churn 0.290323
#   from March: logo (1 + 1) ÷ (3 + 2) = 0.4; revenue (500 + 100) ÷ (1,600 + 1,100) = 0.222222
# Channel a (X, Y): new 2, CAC 1,500 ÷ 2 = 750; ARPA (100+300+100+100) ÷ 4 = 150; margin 480 ÷ 600 = 0.8;
#   churn: Feb 1 of 2, Mar 0 of 1, Apr 1 of 1 (X, after a's last month with rows) → 2 ÷ 4 = 0.5;
#   revenue churn (300 + 100) ÷ (400 + 100 + 100) = 0.666667
#   LTV = 150 × 0.8 ÷ 0.5 = 240; LTV:CAC = 240 ÷ 750 = 0.32; payback = 750 ÷ 120 = 6.25
# Channel b (Z, W): new 2, CAC 3,000 ÷ 2 = 1,500; ARPA (1000×3 + 500) ÷ 4 = 875; margin 2,800 ÷ 3,500 = 0.8;
#   churn: Feb 0 of 0, Mar 1 of 2, Apr 0 of 1 → 1 ÷ 3; revenue 500 ÷ (1,500 + 1,000) = 0.2
#   LTV = 875 × 0.8 × 3 = 2,100; LTV:CAC = 2,100 ÷ 1,500 = 1.4; payback = 1,500 ÷ 700 = 2.142857


def _tiny():
    accounts = pd.DataFrame({"merchant_id": ["X", "Y", "Z", "W"], "channel": ["a", "a", "b", "b"],
                             "signup_date": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-02-01", "2025-02-01"])})
    rows = [("2025-01-01", "X", 100, 20), ("2025-01-01", "Y", 300, 60),
            ("2025-02-01", "X", 100, 20), ("2025-02-01", "Z", 1000, 200), ("2025-02-01", "W", 500, 100),
            ("2025-03-01", "X", 100, 20), ("2025-03-01", "Z", 1000, 200),
            ("2025-04-01", "Z", 1000, 200)]
    mrr = pd.DataFrame(rows, columns=["month", "merchant_id", "mrr_cny", "cost_to_serve_cny"])
    mrr["month"] = pd.to_datetime(mrr["month"])
    mrr[["mrr_cny", "cost_to_serve_cny"]] = mrr[["mrr_cny", "cost_to_serve_cny"]].astype(float)
    spend = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-02-01"]),
                          "channel": ["a", "a", "b"], "spend_cny": [1000.0, 500.0, 3000.0]})
    return accounts, mrr, spend


def test_company_figures_by_hand():
    _, mrr, _ = _tiny()
    assert ue.arpa(mrr) == 512.5
    assert ue.gross_margin(mrr) == pytest.approx(0.8)
    ev = ue.churn_events(mrr)
    assert list(ev.accounts_at_start) == [2, 3, 2] and list(ev.accounts_lost) == [1, 1, 1]
    assert list(ev.mrr_lost) == [300, 500, 100]
    assert ue.logo_churn(mrr) == pytest.approx(3 / 7)
    assert ue.revenue_churn(mrr) == pytest.approx(900 / 3100)
    assert ue.logo_churn(mrr, start="2025-03-01") == pytest.approx(0.4)
    assert ue.revenue_churn(mrr, start="2025-03-01") == pytest.approx(600 / 2700)
    assert ue.arpa(mrr, "2025-04-01", "2025-05-01") == 1000


def test_cac_by_hand():
    accounts, _, spend = _tiny()
    assert ue.new_accounts(accounts).to_dict() == {"a": 2, "b": 2}
    assert ue.cac_by_channel(spend, accounts).to_dict() == {"a": 750.0, "b": 1500.0}
    with pytest.raises(ValueError, match="won no account"):
        ue.cac_by_channel(spend, accounts, start="2025-02-01")  # a spent 500 in Feb, won nobody


def test_channel_economics_by_hand():
    accounts, mrr, spend = _tiny()
    e = ue.channel_economics(accounts, mrr, spend).set_index("channel")
    assert e.loc["a"].tolist() == pytest.approx([2, 1500, 750, 150, 0.8, 0.5, 400 / 600, 240, 0.32, 6.25])
    assert e.loc["b"].tolist() == pytest.approx([2, 3000, 1500, 875, 0.8, 1 / 3, 0.2, 2100, 1.4, 1500 / 700])


def test_channel_without_churn_has_no_finite_ltv():
    accounts, mrr, spend = _tiny()
    mrr = pd.concat([mrr, pd.DataFrame({"month": pd.to_datetime(["2025-03-01", "2025-04-01"]), "merchant_id": ["W", "W"],
                                        "mrr_cny": [500.0, 500.0], "cost_to_serve_cny": [100.0, 100.0]})])
    e = ue.channel_economics(accounts, mrr, spend).set_index("channel")
    assert e.loc["b", "monthly_churn"] == 0 and math.isnan(e.loc["b", "ltv_cny"]) and math.isnan(e.loc["b", "ltv_to_cac"])


def test_bad_tables_are_explained():
    accounts, mrr, spend = _tiny()
    with pytest.raises(ValueError, match="missing the column"):
        ue.arpa(mrr.drop(columns="mrr_cny"))
    with pytest.raises(ValueError, match="0 accounts"):
        ue.arpa(mrr, start="2030-01-01")
    with pytest.raises(ValueError, match="DataFrame"):
        ue.logo_churn([1, 2, 3])
    with pytest.raises(ValueError, match="month like"):
        ue.arpa(mrr, start="soon")


# ----------------------------------------------------------------------------- the planted findings


@pytest.fixture(scope="module")
def econ():
    return ue.channel_economics(*ue.tables(data.load)).set_index("channel")


def test_one_account_base():
    """Module 03 reads the same accounts as modules 04/05: channels and costs refine them, nothing else."""
    acc, channels = data.load("accounts"), data.load("account_channels")
    subs, costs = data.load("subscriptions"), data.load("serving_costs")
    assert list(channels.merchant_id) == sorted(acc.merchant_id) and channels.merchant_id.is_unique
    assert set(channels.channel) == {"sales_team", "partners", "online_ads"}
    coarse = acc.merge(channels, on="merchant_id").groupby("channel").acquisition_channel.unique()
    assert set(coarse["sales_team"]) == {"sales"} and set(coarse["online_ads"]) == {"self_serve"}
    assert len(costs) == len(subs)
    assert costs[["merchant_id", "month"]].equals(subs[["merchant_id", "month"]])
    a, mrr, spend = ue.tables(data.load)
    assert len(a) == len(acc) and mrr.cost_to_serve_cny.notna().all()
    # partners' spend is the programme plus a bounty for each account they won that month
    won = a[a.channel == "partners"].assign(month=a.signup_date.dt.to_period("M").dt.to_timestamp())
    bounty = won.segment.map({"chain": 15_000, "smb": 2_500}).groupby(won.month).sum()
    paid = spend[spend.channel == "partners"].set_index("month").spend_cny - 4_000
    assert (paid == bounty.reindex(paid.index, fill_value=0)).all()


def test_planted_channels(econ):
    # quoted in 03.5–03.7: ads below 1 (about 0.78, about 14 % churn), partners above 6 and about seven months,
    # sales about two years (23.9 months) and LTV:CAC about 1.6
    assert 0.75 < econ.loc["online_ads", "ltv_to_cac"] < 0.8
    assert 0.135 < econ.loc["online_ads", "monthly_churn"] < 0.145  # "about 14 % a month"
    assert econ.loc["partners", "ltv_to_cac"] > 6 and 6.5 < econ.loc["partners", "payback_months"] < 7.5
    assert econ.ltv_to_cac.idxmax() == "partners"
    assert round(econ.loc["sales_team", "payback_months"], 1) == 23.9
    assert 1.55 < econ.loc["sales_team", "ltv_to_cac"] < 1.65
    assert econ.loc["sales_team", "cac_cny"] > 10 * econ.loc["partners", "cac_cny"]
    assert econ.ltv_cny.idxmax() == "sales_team", "the highest LTV"
    assert econ.cac_cny.idxmin() == "online_ads", "ads look cheapest per account"
    # revenue churn and logo churn differ (the notebook says which one LTV uses)
    assert econ.loc["partners", "revenue_churn"] < econ.loc["partners", "monthly_churn"]
    # the cash model's reality check: partners won about five and a half accounts a month
    channels = data.load("account_channels")
    assert 5 < (channels.channel == "partners").sum() / 24 < 6
