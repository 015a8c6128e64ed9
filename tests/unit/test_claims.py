"""What the lessons and exercises say about the data is what the data shows.

Each test recomputes one sentence's claim from data/*.csv, so a change to the data or the
wording that makes a sentence false fails here.
"""
import re

import pytest

from ctopath import data
from ctopath.models import business_plan as bp
from ctopath.models import commerce, funnel
from ctopath.course import registry


def _option(ex_id, key):
    return next(o for o in registry()[ex_id].options if o.key == key)


@pytest.fixture(scope="module")
def pnl():
    return commerce.campaign_pnl(*(data.load(t) for t in ("campaigns", "coupons", "orders", "order_items",
                                                           "products", "merchants"))).set_index("campaign_id")


def test_february_sells_more_per_day_than_january_its_total_is_lower_because_it_is_shorter():
    monthly = commerce.gmv_by_month(data.load("orders"), data.load("ledger_entries"), "2026-01", "2026-06")
    jan, feb, mar = (monthly.loc[m] for m in ("2026-01", "2026-02", "2026-03"))
    assert feb.gmv_cny < jan.gmv_cny and feb.gmv_cny < mar.gmv_cny         # the lower bar
    assert feb.gmv_per_day_cny > jan.gmv_per_day_cny and feb.gmv_per_day_cny > mar.gmv_per_day_cny
    assert (feb.days, jan.days) == (28, 31)
    assert monthly.gmv_cny.sum() == pytest.approx(commerce.gmv(data.load("orders"), "2026-01-01", "2026-07-01"))


def test_01_8_option_texts_match_the_campaigns(pnl):
    by_redemptions = pnl.redemptions.sort_values(ascending=False).index.tolist()
    assert "second-most redemptions" in _option("01.8", "CP01").label and by_redemptions[1] == "CP01"
    assert by_redemptions[0] == "CP03", "CP01's feedback: the only campaign with more redemptions lost money"
    assert pnl.loc["CP01", "profit_per_redemption_cny"] > 0
    assert "lowest redemption rate" in _option("01.8", "CP04").label
    assert pnl.redemption_rate.idxmin() == "CP04" and pnl.loc["CP04", "gross_profit_cny"] > 0
    assert (pnl.gross_profit_cny < 0).tolist() == [c == "CP03" for c in pnl.index]  # CP03 alone loses
    assert (pnl.revenue_cny > 0).all()                                            # "every campaign brought in revenue"
    products = data.load("products")
    bakery = products[products.category == "bakery"]
    margin = (1 - bakery.unit_cost_cny / bakery.unit_price_cny).mean()
    assert "about 45 %" in _option("01.8", "CP03").feedback and 0.40 <= margin < 0.50  # below the 50 % off


def test_the_campaign_exercises_say_the_profit_is_on_the_coupon_orders_not_incremental():
    for ex_id in ("01.7", "01.8"):
        ex = registry()[ex_id]
        text = " ".join([ex.prompt, ex.solution])
        assert re.search(r"anyway|holdout", text), f"{ex_id} treats every coupon order as made by the coupon"


def test_03_1_single_stores_would_pay_about_one_eighteenth():
    pain = bp.segment_pain(data.load("interviews"), decimals=None).set_index("company_size")
    ratio = pain.loc["6-30 stores", "median_wtp_cny"] / pain.loc["single store", "median_wtp_cny"]
    assert round(ratio) == 18
    solution = registry()["03.1"].solution
    assert "one eighteenth" in solution and f"{pain.loc['single store', 'median_wtp_cny']:,.0f} CNY" in solution


def test_03_3_prices_are_the_competitors_and_the_interviewees_own():
    competitors, interviews = data.load("competitors"), data.load("interviews")
    listed = competitors.loc[competitors.target == "6-30 stores", "monthly_price_cny"]
    mid = interviews[interviews.company_size == "6-30 stores"]
    label = _option("03.3", "mid").label
    assert f"{listed.min():,.0f}–{listed.max():,.0f} CNY competitors list" in label
    assert f"would pay ({mid.willing_to_pay_cny.min():,.0f}–{mid.willing_to_pay_cny.max():,.0f} CNY" in label
    assert f"today they pay {mid.pays_now_cny.min():,.0f}–{mid.pays_now_cny.max():,.0f}" in label


@pytest.fixture(scope="module")
def negative_customers():
    notes = data.load("field_notes").merge(data.load("accounts")[["merchant_id", "segment"]])
    return notes, notes[notes.sentiment == "negative"].groupby("theme").merchant_id.nunique()


def test_05_7_counts_customers_not_repeated_notes(negative_customers):
    notes, by_theme = negative_customers
    assert notes.note.duplicated().sum() > len(notes) / 3, "the notes repeat stock sentences: the prompt says so"
    assert "distinct `merchant_id`" in registry()["05.7"].prompt
    top = by_theme.sort_values(ascending=False)
    assert set(top.index[:3]) == {"pos_integration", "menu_import", "trial_support"}
    assert top.iloc[2] >= 5 and top.iloc[3] <= 3  # the hint: five or more each; no other theme above three
    assert "five or more customers each; no other theme has more than three" in registry()["05.7"].hints[1]


def test_05_7_ai_and_price_feedback_counts_the_customers(negative_customers):
    notes, by_theme = negative_customers
    ai = notes[notes.note.str.contains(r"\bAI\b")]
    assert ai.merchant_id.nunique() == 2 and set(ai.sentiment) == {"neutral"}
    assert _option("05.7", "ai").feedback.startswith("Two customers asked, as a neutral question")
    pricing = notes[notes.theme == "pricing"]
    negative = pricing[pricing.sentiment == "negative"]
    assert negative.merchant_id.nunique() == 3 and set(negative.segment) == {"smb"}
    assert (pricing.sentiment != "negative").sum() == 2 and pricing[pricing.sentiment != "negative"].note.str.contains(
        "annual plan").all()
    assert _option("05.7", "price").feedback.startswith("Three small shops find it expensive, and two other")


def test_the_funnel_explorer_counts_the_deals_its_chart_shows():
    from ctopath.course.m04_build_launch_operate.explorers import funnel_explorer

    deals = data.load("deals")
    explorer = funnel_explorer(deals)
    (_pick, closed), _, out = explorer.box.children[0].children, *explorer.box.children[1:]
    shown = int(funnel.stage_counts(deals, closed_only=True).iloc[0])
    n_open = int((deals.status == "open").sum())
    assert closed.value is True and n_open > 0
    assert f"({shown} closed deals; {n_open} open ones not counted)" in out.value
    closed.value = False
    assert f"({int(funnel.stage_counts(deals).iloc[0])} deals, {n_open} of them still open)" in out.value
    assert closed.layout.width == "auto" and closed.style.description_width == "initial" and not closed.indent


def test_the_sales_led_slip_says_what_the_data_shows():
    from ctopath.models import cohorts

    m3 = cohorts.retention_at(data.load("accounts"), data.load("subscriptions"), 3, channel="sales")
    assert (m3 == 1).all()  # "none has left by month 3"
    slip = next(s for s in registry()["04.5"].slips if "sales-led" in s.message)
    assert "none has left by month 3" in slip.message and "hardly" not in slip.message


def test_the_kpi_tables_activation_is_the_lessons_activation():
    """One company: Q2's reported 7-day activation pools the cohorts that cohorts.activation_rate measures."""
    from ctopath.models import cohorts

    accounts, events = data.load("accounts"), data.load("account_events")
    rates = cohorts.activation_rate(accounts, events, 7, channel="self_serve")
    end = cohorts.activation_window_end(events, 7)
    ss = accounts[(accounts.acquisition_channel == "self_serve") & (accounts.signup_date <= end)]
    counted = ss.signup_date.dt.to_period("M").astype(str).value_counts()
    q2 = ["2026-04", "2026-05", "2026-06"]
    pooled = 100 * sum(rates[m] * counted[m] for m in q2) / sum(counted[m] for m in q2)
    kpis = data.load("kpi_results")
    row = kpis[(kpis.quarter == "2026Q2") & kpis.key_result.str.startswith("7-day activation")].iloc[0]
    assert row.actual == pytest.approx(pooled, abs=0.005)


def test_no_lesson_or_answer_notebook_stores_a_warning():
    """A warning stored with the outputs would pass strict nbval (stored and fresh agree): fail here instead."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    paths = sorted(root.glob("notebooks/*.ipynb")) + sorted(root.glob("exercises/answers/*.ipynb"))
    assert paths
    found = [f"{p.relative_to(root)} cell {i}: {''.join(o.get('text', ''))[:120]}"
             for p in paths for i, cell in enumerate(json.loads(p.read_text(encoding="utf-8"))["cells"])
             for o in cell.get("outputs", []) if o.get("name") == "stderr"]
    assert not found, "\n".join(found)
