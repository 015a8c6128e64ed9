"""models.business_plan: the 36-month cash model and the research helpers, against figures worked by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from ctopath import data
from ctopath.models import business_plan as bp

# ----------------------------------------------------------------------------- the cash model
#
# Price 1,000, hosting 100, CAC 3,000, churn 0.5, 10 new a month, team 20,000, cash 100,000:
#   m1: customers 0 × 0.5 + 10 = 10; revenue 10,000; hosting 1,000; acquisition 30,000;
#       net 10,000 − 1,000 − 30,000 − 20,000 = −41,000; cash 59,000
#   m2: churned 5; customers 15; revenue 15,000; hosting 1,500; net −36,500; cash 22,500
#   m3: churned 7.5; customers 17.5; revenue 17,500; hosting 1,750; net −34,250; cash −11,750
# Steady state 10 ÷ 0.5 = 20 customers: net 20 × 900 − 50,000 = −32,000 a month, forever.


def _losing():
    return bp.cash_plan(price=1000, cac=3000, churn=0.5, new_per_month=10, team_cost=20_000,
                        hosting_per_customer=100, starting_cash=100_000, months=6)


def test_cash_plan_by_hand():
    p = _losing()
    assert list(p.columns) == list(bp.PLAN_COLUMNS)
    assert list(p.month) == [1, 2, 3, 4, 5, 6]
    assert p.customers[:3].tolist() == [10, 15, 17.5]
    assert p.churned[:3].tolist() == [0, 5, 7.5]
    assert p.revenue[:3].tolist() == [10_000, 15_000, 17_500]
    assert p.hosting[:3].tolist() == [1_000, 1_500, 1_750]
    assert p.acquisition[:3].tolist() == [30_000] * 3
    assert p.net_cash_flow[:3].tolist() == [-41_000, -36_500, -34_250]
    assert p.cash[:3].tolist() == [59_000, 22_500, -11_750]


def test_verdict_of_a_losing_plan():
    p = _losing()
    assert bp.break_even_month(p) is None
    assert bp.runway_months(p) == 2                 # cash first goes below zero in month 3
    assert bp.lowest_cash(p) == (p.cash.iloc[-1], 6)
    assert bp.steady_state_customers(0.5, 10) == 20


# Price 1,000, nothing else but a team of 25,000, churn 0, 10 new a month, cash 50,000:
#   customers 10m; net 10,000m − 25,000: m1 −15,000 (cash 35,000), m2 −5,000 (30,000), m3 +5,000 (35,000)
#   → break-even month 3; lowest cash 30,000 in month 2.

def test_verdict_of_a_working_plan():
    p = bp.cash_plan(1000, 0, 0, 10, 25_000, 0, 50_000, months=5)
    assert p.net_cash_flow.tolist() == [-15_000, -5_000, 5_000, 15_000, 25_000]
    assert bp.break_even_month(p) == 3
    assert bp.lowest_cash(p) == (30_000, 2)
    assert bp.lowest_cash(p, starting_cash=50_000) == (30_000, 2)
    assert bp.lowest_cash(p, starting_cash=20_000) == (20_000, 0)  # the start can be the lowest point
    assert bp.runway_months(p) is None
    s = bp.summary(p, 50_000)
    assert s == {"break_even_month": 3, "lowest_cash_cny": 30_000, "lowest_cash_month": 2, "runway_months": None,
                 "customers_at_end": 50.0, "cash_at_end_cny": 75_000}


def test_break_even_must_last():
    # net −1, +1, −1, +1, +1: the first positive month does not count, the lasting run starts in month 4
    plan = pd.DataFrame({"month": [1, 2, 3, 4, 5], "net_cash_flow": [-1, 1, -1, 1, 1], "cash": [0, 1, 0, 1, 2]})
    assert bp.break_even_month(plan) == 4
    assert bp.break_even_month(plan.assign(net_cash_flow=[1, 1, 1, 1, -1])) is None
    assert bp.break_even_month(plan.assign(net_cash_flow=[0, 0, 0, 0, 0])) == 1


def test_starting_customers():
    p = bp.cash_plan(100, 0, 0.1, 0, 0, 0, 0, months=2, starting_customers=100)
    assert p.customers.tolist() == pytest.approx([90, 81])   # 100 × 0.9, then × 0.9 again


@pytest.mark.parametrize("kwargs, fragment", [
    ({"churn": -0.1}, "cannot be negative"),
    ({"churn": 5}, "percentage"),
    ({"churn": 250}, "implausibly large"),
    ({"price": "abc"}, "must be a number"),
    ({"price": float("nan")}, "finite"),
    ({"new_per_month": -1}, "cannot be negative"),
    ({"starting_cash": True}, "must be a number"),
    ({"months": 0}, "months"),
    ({"months": 2.5}, "months"),
])
def test_bad_input_is_explained(kwargs, fragment):
    args = dict(price=1000, cac=3000, churn=0.02, new_per_month=10, team_cost=20_000,
                hosting_per_customer=100, starting_cash=100_000)
    args.update(kwargs)
    with pytest.raises(ValueError, match=fragment):
        bp.cash_plan(**args)


def test_extremes_do_not_divide_by_zero():
    p = bp.cash_plan(0, 0, 1.0, 0, 0, 0, 0)          # everything at zero, churn at 100 %
    assert (p.cash == 0).all() and bp.break_even_month(p) == 1
    with pytest.raises(ValueError, match="never levels off"):
        bp.steady_state_customers(0, 10)
    with pytest.raises(ValueError, match="Expected a plan"):
        bp.break_even_month("plan")


# ----------------------------------------------------------------------------- research helpers
#
# single store: severities 5, 3 → acute (≥ 4) 1 of 2 = 50.0 %; WTP 100, 300 → median 200; pays 0, 100 → 50
# 6-30 stores:  severities 4, 4, 2 → 2 of 3 = 66.7 %; WTP 2,000, 1,000, 3,000 → median 2,000; pays 500, 700, 900 → 700

def _interviews():
    return pd.DataFrame({"interview_id": ["a", "b", "c", "d", "e"],
                         "company_size": ["6-30 stores", "single store", "6-30 stores", "single store", "6-30 stores"],
                         "pain_severity": [4, 5, 4, 3, 2],
                         "willing_to_pay_cny": [2000.0, 100.0, 1000.0, 300.0, 3000.0],
                         "pays_now_cny": [500.0, 0.0, 700.0, 100.0, 900.0]})


def test_segment_pain_by_hand():
    p = bp.segment_pain(_interviews())
    assert list(p.company_size) == ["single store", "6-30 stores"]   # natural order, not alphabetical
    assert p.interviews.tolist() == [2, 3]
    assert p.acute_pct.tolist() == [50.0, 66.7]
    assert p.median_wtp_cny.tolist() == [200.0, 2000.0]
    assert p.median_pays_now_cny.tolist() == [50.0, 700.0]
    assert bp.segment_pain(_interviews(), acute_at=5).acute_pct.tolist() == [50.0, 0.0]
    with pytest.raises(ValueError, match="zero interviews"):
        bp.segment_pain(_interviews().iloc[0:0])
    with pytest.raises(ValueError, match="missing"):
        bp.segment_pain(_interviews().drop(columns="pain_severity"))


def _competitors():
    return pd.DataFrame({"competitor": ["P", "Q", "R"], "plan": ["x", "y", "z"],
                         "target": ["6-30 stores", "6-30 stores", "31+ stores"],
                         "monthly_price_cny": [1200.0, 3200.0, 8800.0],
                         "online_ordering": [1, 1, 0], "membership_points": [1, 0, 1], "coupons_marketing": [0, 1, 1],
                         "multi_store_reports": [1, 1, 1], "open_api": [0, 0, 1], "self_serve_signup": [0, 1, 0]})


def test_price_range_and_coverage():
    assert bp.price_range(_competitors(), "6-30 stores") == (1200.0, 3200.0)
    with pytest.raises(ValueError, match="No competitor plan targets"):
        bp.price_range(_competitors(), "single store")
    cov = bp.coverage(_competitors(), ["membership_points", "coupons_marketing", "multi_store_reports"])
    assert cov.has_all.tolist() == [False, False, True]
    assert cov.lacks.tolist() == ["coupons_marketing", "membership_points", "—"]
    with pytest.raises(ValueError, match="Unknown feature"):
        bp.coverage(_competitors(), ["teleportation"])


# ----------------------------------------------------------------------------- the planted findings


def test_planted_persona_segment():
    p = bp.segment_pain(data.load("interviews")).set_index("company_size")
    assert p.interviews.sum() == 40
    assert p.acute_pct.idxmax() == "6-30 stores"                      # most acute...
    assert p.loc["6-30 stores", "median_wtp_cny"] >= 2000              # ...and paid for ("about 2,000")
    assert p.loc["single store", "acute_pct"] >= 60 and p.loc["single store", "median_wtp_cny"] <= 200  # loud, cheap
    assert p.median_wtp_cny.idxmax() == "31+ stores" and p.acute_pct.idxmin() == "31+ stores"
    i = data.load("interviews")
    mid = i[i.company_size == "6-30 stores"]
    assert set(mid.role) <= {"head of operations", "marketing manager"}
    assert set(mid.category) <= {"cafe", "bakery", "beauty"}
    assert mid.main_pain.value_counts().idxmax() == "members_do_not_return"


def test_planted_positioning_gap():
    c = data.load("competitors")
    assert bp.price_range(c, "6-30 stores") == (1200.0, 3200.0)
    cov = bp.coverage(c, ["membership_points", "coupons_marketing", "multi_store_reports"])
    assert not cov.loc[cov.target == "6-30 stores", "has_all"].any()
    full = cov[cov.has_all]
    assert list(zip(full.competitor, full.plan, full.monthly_price_cny)) == [("ChainCRM", "Enterprise", 8800.0)]


def test_the_model_exercise_has_a_solution_and_the_defaults_are_not_one():
    from ctopath.course.m03_business_plan import exercises as m

    ref = m.evaluate(m.cash_model.validate(m.REFERENCE_PLAN))
    assert all(ref.targets.values())
    default = m.evaluate(m.cash_model.validate({}))
    assert not any(list(default.targets.values())[:2])
    plan = m.plan_of(m.REFERENCE_PLAN)
    assert bp.break_even_month(plan) == 21 and 70_000 < bp.lowest_cash(plan)[0] < 80_000  # quoted in the solution
    import matplotlib.pyplot as plt
    fig = m.plot(m.REFERENCE_PLAN)
    assert fig.axes and len(fig.axes[0].lines) >= 3
    plt.close(fig)


def test_03_8_bounds_come_from_the_chains_and_the_partner_channel(repo_data):
    """Every honesty bound of 03.8, re-derived from the CSVs with pandas alone."""
    from ctopath.course.m03_business_plan import exercises as m

    c = m.constraints()
    interviews, competitors = repo_data("interviews"), repo_data("competitors")
    assert c["price_hi"] == interviews.loc[interviews.company_size == "6-30 stores", "willing_to_pay_cny"].max() == 3000
    assert c["price_lo"] == competitors.loc[competitors.target == "6-30 stores", "monthly_price_cny"].min()
    acc = repo_data("accounts").merge(repo_data("account_channels"), on="merchant_id")
    partners = acc[acc.channel == "partners"]
    assert (len(partners), (partners.segment == "smb").sum(), c["partner_chains"]) == (132, 129, 3)
    assert c["cac"] == pytest.approx(15_000) and c["cac_smb"] == pytest.approx(2_500)   # the bounties
    costs = repo_data("serving_costs").merge(acc[["merchant_id", "segment"]], on="merchant_id")
    assert c["hosting"] == pytest.approx(costs.loc[costs.segment == "chain", "cost_to_serve_cny"].mean())
    deals = repo_data("deals")
    assert c["leads_per_month"] == pytest.approx((deals.segment == "chain").sum() / 24)
    # no chain ever left: the floor is the rule of three over the chain-months at risk
    subs = repo_data("subscriptions").merge(acc[["merchant_id", "segment"]], on="merchant_id")
    chain_months = subs[(subs.segment == "chain") & (subs.month < subs.month.max())].shape[0]
    assert c["chain_lost"] == 0 and c["chain_months"] == chain_months
    assert c["churn"] == pytest.approx(3 / chain_months)


def test_03_8_the_small_shop_plan_no_longer_passes_and_the_feedback_says_why():
    from ctopath.course.m03_business_plan import exercises as m

    shop_plan = {"price": 3200, "cac": 3600, "churn_pct": 2.2, "new_per_month": 6, "team_cost": 200000,
                 "hosting": 500, "starting_cash": 3000000}
    fb = m.cash_model.check(shop_plan)
    assert fb.score < 1.0 and fb.status != "correct"
    # each broken bound is named, with the figure from the data and the reason
    assert "✗ Price" in fb.message and "no 6–30-store interviewee would pay over 3,000" in fb.message
    assert "✗ CAC" in fb.message and "129 of its 132 accounts are small shops" in fb.message
    assert "✗ Hosting" in fb.message and "700 CNY a month for each chain" in fb.message
    assert "0.125 a month" in fb.message and "48× as many" in fb.message
    assert "the pipeline creates 8.5" in fb.message            # chain leads a month, from deals
    assert "✓ Churn" in fb.message                      # 2.2 % is above the chains' floor: not flagged
    # each bound on its own: one slider past its edge fails that bound only
    ref = m.REFERENCE_PLAN
    for change, label in (({"price": 3100}, "Price"), ({"cac": 14000}, "CAC"), ({"churn_pct": 1.5}, "Churn"),
                          ({"hosting": 650}, "Hosting")):
        out = m.evaluate(m.cash_model.validate({**ref, **change}))
        failed = [t for t, ok in out.targets.items() if not ok]
        assert any(t.startswith(label) for t in failed), change
        assert all(t.startswith(label) or t.startswith("Break even") or t.startswith("Cash") for t in failed)
        assert any(n.startswith(f"Broken: {label.split()[0]}") for n in out.notes), change
    # an honest plan still scores 1.0, and it is the one the data's bounds give
    assert m.cash_model.check(ref).score == 1.0
    assert m.honest_plan() == m.cash_model.reference_answer() == ref
    assert not all(m.evaluate({**ref, "new_per_month": ref["new_per_month"] - 1}).targets.values())
