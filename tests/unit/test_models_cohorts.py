"""models.cohorts: cohorts, activation, stickiness, churn, MRR, repeat purchase — by hand, then the real data."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from ctopath.models import cohorts as c


# account signed up   channel     months subscribed (the data ends 2025-04)   mrr
# A1      2025-01-10  self_serve  Jan Feb Mar Apr                              100
# A2      2025-01-20  self_serve  Jan Feb                                      200
# A3      2025-02-05  self_serve  Feb                                           50
# A4      2025-02-28  sales       Feb Mar Apr                                 1000
# A5      2025-03-15  self_serve  Mar Apr                                      100
#
# cohort counts by age:  2025-01: 2 2 1 1 · 2025-02: 2 1 1 – · 2025-03: 1 1 – –   (– not reached)
def _frames():
    accounts = pd.DataFrame({
        "merchant_id": ["A1", "A2", "A3", "A4", "A5"],
        "signup_date": pd.to_datetime(["2025-01-10", "2025-01-20", "2025-02-05", "2025-02-28", "2025-03-15"]),
        "acquisition_channel": ["self_serve", "self_serve", "self_serve", "sales", "self_serve"],
        "segment": ["smb", "smb", "smb", "chain", "smb"],
    })
    months = {"A1": ["01", "02", "03", "04"], "A2": ["01", "02"], "A3": ["02"], "A4": ["02", "03", "04"],
              "A5": ["03", "04"]}
    mrr = {"A1": 100.0, "A2": 200.0, "A3": 50.0, "A4": 1000.0, "A5": 100.0}
    subs = pd.DataFrame([(m, pd.Timestamp(f"2025-{mm}-01"), mrr[m]) for m, ms in months.items() for mm in ms],
                        columns=["merchant_id", "month", "mrr_cny"])
    # A1 set up after 7 days (and again later: the first counts), A2 after 8, A3 never, A4 on day 0, A5 after 1
    events = pd.DataFrame({
        "merchant_id": ["A1", "A1", "A2", "A4", "A5", "A3"],
        "event_date": pd.to_datetime(["2025-01-17", "2025-03-01", "2025-01-28", "2025-02-28", "2025-03-16",
                                      "2025-02-05"]),
        "event": ["setup_completed", "setup_completed", "setup_completed", "setup_completed", "setup_completed",
                  "signed_up"],
    })
    return accounts, subs, events


def test_cohort_counts_by_hand():
    a, s, _ = _frames()
    t = c.cohort_counts(a, s)
    assert list(t.index) == ["2025-01", "2025-02", "2025-03"] and list(t.columns) == [0, 1, 2, 3]
    assert t.loc["2025-01"].tolist() == [2, 2, 1, 1]
    assert t.loc["2025-02"].tolist()[:3] == [2, 1, 1] and math.isnan(t.loc["2025-02", 3])
    assert t.loc["2025-03"].tolist()[:2] == [1, 1] and t.loc["2025-03", [2, 3]].isna().all()


def test_retention_by_hand():
    a, s, _ = _frames()
    r = c.retention_table(a, s)
    assert r.loc["2025-01"].tolist() == [1.0, 1.0, 0.5, 0.5]
    assert r.loc["2025-02"].tolist()[:3] == [1.0, 0.5, 0.5]
    assert c.retention_at(a, s, 2).to_dict() == {"2025-01": 0.5, "2025-02": 0.5}
    # self-serve only: the 2025-02 cohort is A3 alone, gone after its first month
    assert c.retention_at(a, s, 1, channel="self_serve").to_dict() == {"2025-01": 1.0, "2025-02": 0.0, "2025-03": 1.0}


def test_pooled_retention_and_lift():
    a, s, _ = _frames()
    # month 1, cohorts 01..02: (2 + 1) / (2 + 2) = 0.75; month 2 over 01..03: 03 has not reached it → (1 + 1)/(2 + 2)
    assert c.pooled_retention(a, s, 1, "2025-01", "2025-02") == pytest.approx(0.75)
    assert c.pooled_retention(a, s, 2, "2025-01", "2025-03") == pytest.approx(0.5)
    # change in 2025-02, month 1: before 2/2 = 1.0; after (1 + 1)/(2 + 1) = 2/3 → −33.3 points
    lift = c.retention_lift(a, s, "2025-02", 1)
    assert lift["before"] == pytest.approx(1.0) and lift["after"] == pytest.approx(2 / 3)
    assert lift["lift_pp"] == pytest.approx(-100 / 3)


def test_activation_by_hand():
    a, _, e = _frames()
    # 7 days: 2025-01 A1 yes (7 days), A2 no (8 days) → 0.5; 2025-02 A3 no, A4 yes → 0.5; 2025-03 A5 yes → 1.0
    assert c.activation_rate(a, e, 7, as_of="2025-04-30").to_dict() == {"2025-01": 0.5, "2025-02": 0.5, "2025-03": 1.0}
    assert c.activation_rate(a, e, 8, as_of="2025-04-30").to_dict()["2025-01"] == 1.0
    assert c.activation_rate(a, e, 7, "2025-04-30", channel="self_serve").to_dict()["2025-02"] == 0.0


def test_activation_counts_only_sign_ups_whose_window_has_passed():
    a, _, e = _frames()
    # The data ends on the last event, 2025-03-16: A5 (signed up 03-15) has had 1 day of its 7, so
    # its cohort is left out rather than counted; by 2025-03-22 it has had all 7.
    assert c.activation_rate(a, e, 7).to_dict() == {"2025-01": 0.5, "2025-02": 0.5}
    assert c.activation_rate(a, e, 7, as_of="2025-03-22").to_dict()["2025-03"] == 1.0
    assert "2025-03" not in c.activation_rate(a, e, 7, as_of="2025-03-21")
    # A4 signed up 02-28: its window has passed on 03-07 (A3's, from 02-05, long before)
    assert c.activation_rate(a, e, 7, as_of="2025-03-07").to_dict()["2025-02"] == 0.5
    assert c.activation_rate(a, e, 7, as_of="2025-03-06").to_dict()["2025-02"] == 0.0  # A3 alone, never set up
    assert c.activation_window_end(e) == pd.Timestamp("2025-03-09")
    with pytest.raises(ValueError, match="has had its 7 days"):
        c.activation_rate(a, e, 7, as_of="2025-01-12")


def test_stickiness_by_hand():
    daily = pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-01-02"] * 2),
                          "segment": ["chain", "chain", "smb", "smb"], "daily_active_users": [10, 20, 4, 6]})
    monthly = pd.DataFrame({"month": pd.to_datetime(["2026-01-01"] * 2), "segment": ["chain", "smb"],
                            "monthly_active_users": [50, 25]})
    # chain mean DAU 15 / MAU 50 = 0.30; smb 5 / 25 = 0.20
    assert c.stickiness(daily, monthly).loc["2026-01"].to_dict() == pytest.approx({"chain": 0.30, "smb": 0.20})
    with pytest.raises(ValueError, match="above zero"):
        c.stickiness(daily, monthly.assign(monthly_active_users=0))


def test_churn_and_mrr_by_hand():
    a, s, _ = _frames()
    # Feb: A1 A2 A3 A4; March keeps A1 A4 → lost 2 of 4
    assert c.logo_churn(s, "2025-03") == 0.5
    assert c.logo_churn(s, "2025-02") == 0.0
    # self-serve, Feb A1 A2 A3 → March A1 only (A5 is new) → 2 of 3
    assert c.logo_churn(s, "2025-03", a, channel="self_serve") == pytest.approx(2 / 3)
    # Jan 100 + 200 = 300; Feb 100 + 200 + 50 + 1000 = 1350; Mar and Apr 100 + 1000 + 100 = 1200
    assert c.mrr_by_month(s).to_dict() == {"2025-01": 300, "2025-02": 1350, "2025-03": 1200, "2025-04": 1200}
    assert c.mrr_by_month(s, a, "segment").loc["2025-02"].to_dict() == {"chain": 1000, "smb": 350}
    with pytest.raises(ValueError, match="undefined"):
        c.logo_churn(s, "2024-06")


def test_repeat_purchase_by_hand():
    # C1: paid + refunded at M1 (2 purchases) · C2: paid at M2 + a cancelled order (1) · C3: cancelled only (0)
    # C4: 2 paid at M1, 1 at M2 (3). Purchasers C1 C2 C4; repeat C1 C4 → 2/3.
    orders = pd.DataFrame({
        "order_id": [f"O{i}" for i in range(1, 9)],
        "consumer_id": ["C1", "C1", "C2", "C2", "C3", "C4", "C4", "C4"],
        "merchant_id": ["M1", "M1", "M2", "M2", "M1", "M1", "M1", "M2"],
        "status": ["paid", "refunded", "paid", "cancelled", "cancelled", "paid", "paid", "paid"],
    })
    merchants = pd.DataFrame({"merchant_id": ["M1", "M2"], "category": ["cafe", "fashion"]})
    assert c.repeat_purchase_rate(orders) == pytest.approx(2 / 3)
    # by category: cafe C1 (2), C4 (2) → 1.0; fashion C2 (1), C4 (1) → 0.0
    assert c.repeat_purchase_rate(orders, "category", merchants).to_dict() == {"cafe": 1.0, "fashion": 0.0}
    with pytest.raises(ValueError, match="no paid"):
        c.repeat_purchase_rate(orders[orders.status == "cancelled"])


def test_bad_input():
    a, s, e = _frames()
    with pytest.raises(ValueError, match="channel"):
        c.cohort_counts(a, s, channel="partners")
    with pytest.raises(ValueError, match="age"):
        c.retention_at(a, s, -1)
    with pytest.raises(ValueError, match="months old"):
        c.retention_at(a, s, 9)
    with pytest.raises(ValueError, match="month like"):
        c.retention_lift(a, s, "September")
    with pytest.raises(ValueError, match="change_month"):
        c.retention_lift(a, s, "2025-01")
    with pytest.raises(ValueError, match="days"):
        c.activation_rate(a, e, -3)
    with pytest.raises(ValueError, match="missing the columns"):
        c.cohort_counts(a.drop(columns=["signup_date"]), s)


# ----------------------------------------------------------------------------- the planted findings


@pytest.fixture(scope="module")
def real(repo_data):
    return {n: repo_data(n) for n in ("accounts", "subscriptions", "account_events", "usage_daily",
                                     "usage_monthly", "orders", "merchants")}


def test_finding_onboarding_change(real):
    a, s, e = real["accounts"], real["subscriptions"], real["account_events"]
    act = c.activation_rate(a, e, 7, channel="self_serve")
    before, after = act[act.index < "2025-09"], act[(act.index >= "2025-09") & (act.index <= "2026-05")]
    # the last cohort counts only the sign-ups that have had their 7 days by the data's last day
    end = c.activation_window_end(e)
    june = a[(a.acquisition_channel == "self_serve") & (a.signup_date >= "2026-06-01")]
    assert end == pd.Timestamp("2026-06-23") and (june.signup_date > end).any()
    eligible = june[june.signup_date <= end].merchant_id
    first_setup = e[e.event == "setup_completed"].groupby("merchant_id").event_date.min()
    took = (eligible.map(first_setup) - june.set_index("merchant_id").signup_date.reindex(eligible).to_numpy()).dt.days
    assert act["2026-06"] == pytest.approx((took <= 7).sum() / len(eligible))
    assert before.max() < 0.45 and after.min() > 0.6          # a clean step at 2025-09
    lift = c.retention_lift(a, s, "2025-09", 3, channel="self_serve")
    assert lift["lift_pp"] == pytest.approx(16.97, abs=0.01)  # 54.6 % → 71.6 %
    m3 = c.retention_at(a, s, 3, channel="self_serve")
    assert list(m3.index)[0] == "2024-07" and list(m3.index)[-1] == "2026-03"
    assert m3[m3.index >= "2025-09"].mean() > m3[m3.index < "2025-09"].mean() + 0.1


def test_real_tables_agree(real):
    a, s, e = real["accounts"], real["subscriptions"], real["account_events"]
    core = real["merchants"].set_index("merchant_id")
    acc = a.set_index("merchant_id")
    for col in ("merchant_name", "segment", "category", "city", "signup_date"):
        assert (acc.loc[core.index, col] == core[col]).all(), col
    june = set(s.loc[s.month == "2026-06-01", "merchant_id"])
    assert set(core.index) <= june                       # the 40 core merchants all pay in June
    assert set(e.event) == {"setup_completed", "upgraded", "cancelled"}
    last_month = s.groupby("merchant_id").month.max()
    cancelled = e[e.event == "cancelled"].set_index("merchant_id").event_date
    assert (last_month[cancelled.index] == cancelled.dt.to_period("M").dt.start_time).all()
    assert (last_month.drop(cancelled.index) == pd.Timestamp("2026-06-01")).all()
    assert (pd.to_datetime(a.last_active_date) >= pd.to_datetime(a.signup_date)).all()


def test_real_stickiness_and_repeat(real):
    st = c.stickiness(real["usage_daily"], real["usage_monthly"])
    assert (st["chain"] > 0.4).all() and (st["smb"] < 0.3).all()
    assert c.repeat_purchase_rate(real["orders"]) == pytest.approx(0.4873, abs=5e-4)
    by_cat = c.repeat_purchase_rate(real["orders"], "category", real["merchants"])
    assert by_cat.idxmax() == "cafe" and by_cat.idxmin() == "fashion"
