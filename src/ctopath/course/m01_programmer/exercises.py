"""Module 01 — The programmer who sees the whole business.

Builds on the article's first stage (普通程序员 / 技术经理): if you build order
transactions (订单交易), learn how goods (商品), the ledger (账务) and marketing (营销)
work too. Every reference answer is computed by ``ctopath.models.commerce`` from
the data; the slips are the mistakes a programmer new to the business makes.
"""
from __future__ import annotations

from typing import Callable

import pandas as pd

from ... import data
from ...engine.exercise import ChoiceExercise, DataExercise, NumberExercise, Option, Slip, WrongExample
from ...models import commerce
from .. import Module

MARCH = ("2026-03-01", "2026-04-01")
Q1 = ("2026-01-01", "2026-04-01")
LOSING_CAMPAIGN = "CP03"


def _t(name):
    return data.load(name)


def _window(orders, start, end):
    return orders[(orders.created_at >= start) & (orders.created_at < end)]


# -- 01.1 GMV in March --------------------------------------------------------

def gmv_march() -> float:
    return commerce.gmv(_t("orders"), *MARCH)


def _march_all_statuses() -> float:
    return float(_window(_t("orders"), *MARCH).paid_amount_cny.sum())


def _march_paid_only() -> float:
    o = _window(_t("orders"), *MARCH)
    return float(o.loc[o.status == "paid", "paid_amount_cny"].sum())


def _march_list_price() -> float:
    o = _window(_t("orders"), *MARCH)
    return float(o.loc[o.status.isin(commerce.PAID_STATUSES), "items_amount_cny"].sum())


def _gmv_month(start, end):
    return lambda: commerce.gmv(_t("orders"), start, end)


gmv = DataExercise(
    "01.1", "GMV in March",
    "GMV (gross merchandise value) is the value of goods sold through the platform **before refunds and "
    "fees**. In this workshop it is the `paid_amount_cny` (what buyers paid, after coupon discounts) of "
    "orders whose status is `paid` or `refunded` — a refunded order was sold first. Cancelled orders never "
    "took money. **Compute `gmv_march`: Larkspur's GMV for March 2026, in CNY.**",
    expected=gmv_march, answer_name="gmv_march", rel_tol=1e-6,
    unit="CNY",
    slips=[Slip(_march_all_statuses, "You counted cancelled orders too. No money changed hands on them, so they are not GMV."),
           Slip(_march_paid_only, "You left out refunded orders. GMV is measured before refunds (they were sold, then "
                                  "refunded); subtracting them gives net GMV, a different metric."),
           Slip(_march_list_price, "You used items_amount_cny, the list price before coupon discounts. Here GMV is what "
                                   "buyers actually paid (paid_amount_cny)."),
           Slip(_gmv_month("2026-02-01", "2026-03-01"), "That is February's GMV: check the date filter "
                                                        "(created_at ≥ 2026-03-01 and < 2026-04-01)."),
           Slip(_gmv_month("2026-04-01", "2026-05-01"), "That is April's GMV: check the date filter "
                                                        "(created_at ≥ 2026-03-01 and < 2026-04-01)."),
           Slip(_gmv_month("2026-03-01", "2026-03-31"), "You dropped 31 March: `< \"2026-03-31\"` stops at midnight "
                                                        "before the last day. Use `< \"2026-04-01\"`.")],
    hints=["Two filters: the date (March 2026) and the status (`paid` or `refunded`).",
           "`orders.created_at.between(...)` is inclusive at both ends; `>= '2026-03-01'` and `< '2026-04-01'` is safer.",
           "`orders.loc[in_march & orders.status.isin([\"paid\", \"refunded\"]), \"paid_amount_cny\"].sum()`"],
    solution="Keep March's orders whose status is paid or refunded and sum what buyers paid.",
    solution_code=('orders = data.load("orders")\n'
                   'in_march = (orders.created_at >= "2026-03-01") & (orders.created_at < "2026-04-01")\n'
                   'sold = orders.status.isin(["paid", "refunded"])\n'
                   'gmv_march = orders.loc[in_march & sold, "paid_amount_cny"].sum()'),
    minutes=6,
    wrong_examples=[WrongExample(_march_all_statuses, "cancelled"),
                    WrongExample(_march_paid_only, "net GMV"),
                    WrongExample(_gmv_month("2026-02-01", "2026-03-01"), "February")],
)


# -- 01.2 GMV by category -----------------------------------------------------

def gmv_by_category():
    return commerce.gmv_by(_t("orders"), _t("merchants"), by="category")


def _by_category_all_statuses():
    o = _t("orders").merge(_t("merchants")[["merchant_id", "category"]], on="merchant_id")
    return o.groupby("category")["paid_amount_cny"].sum()


def _by_category_sold(statuses, column="paid_amount_cny"):
    def value():
        o = _t("orders").merge(_t("merchants")[["merchant_id", "category"]], on="merchant_id")
        return o[o.status.isin(statuses)].groupby("category")[column].sum()
    return value


def _by_category_counts():
    o = _t("orders").merge(_t("merchants")[["merchant_id", "category"]], on="merchant_id")
    return o[o.status.isin(commerce.PAID_STATUSES)].groupby("category").size()


by_category = DataExercise(
    "01.2", "GMV by merchant category",
    "Orders do not carry a category; merchants do. **Compute `gmv_by_category`: a Series of GMV (CNY) for the "
    "whole period (Jan–Jun 2026), indexed by merchant category.** Same GMV definition as 01.1. Order does not matter.",
    expected=gmv_by_category, answer_name="gmv_by_category", rel_tol=1e-6,
    slips=[Slip(_by_category_all_statuses, "Your sums include cancelled orders; keep only paid and refunded ones."),
           Slip(_by_category_counts, "Those are numbers of orders per category; GMV sums paid_amount_cny."),
           Slip(_by_category_sold(commerce.PAID_STATUSES, "items_amount_cny"),
                "You summed items_amount_cny, the list price before coupon discounts. GMV here is what buyers "
                "paid (paid_amount_cny), as in 01.1."),
           Slip(_by_category_sold(["paid"]),
                "You left out refunded orders. GMV is measured before refunds (they were sold first), as in 01.1; "
                "without them it is net GMV.")],
    hints=["Join orders to merchants on `merchant_id` to bring in `category`.",
           "Filter to paid and refunded orders, then `groupby(\"category\")[\"paid_amount_cny\"].sum()`."],
    solution="Merge, filter to sold orders, group by category, sum the paid amount.",
    solution_code=('orders, merchants = data.load("orders"), data.load("merchants")\n'
                   'sold = orders[orders.status.isin(["paid", "refunded"])]\n'
                   'gmv_by_category = (sold.merge(merchants[["merchant_id", "category"]], on="merchant_id")\n'
                   '                   .groupby("category")["paid_amount_cny"].sum())'),
    minutes=7,
    wrong_examples=[WrongExample(_by_category_all_statuses, "cancelled"),
                    WrongExample(_by_category_counts, "numbers of orders")],
)


# -- 01.3 take rate -----------------------------------------------------------

def take_rate_q1_pct() -> float:
    return 100 * commerce.take_rate(_t("orders"), _t("ledger_entries"), *Q1)


def _take_rate_with_processor_fees_pct() -> float:
    o, ledger = _t("orders"), _t("ledger_entries")
    ids = set(_window(o, *Q1).order_id)
    fees = ledger[ledger.order_id.isin(ids) & ledger.entry_type.isin(["platform_fee", "payment_fee"])]
    return 100 * -fees.amount_cny.sum() / commerce.gmv(o, *Q1)


def _platform_fees(start, end) -> float:
    o, ledger = _t("orders"), _t("ledger_entries")
    ids = set(_window(o, start, end).order_id)
    return float(-ledger.loc[ledger.order_id.isin(ids) & (ledger.entry_type == "platform_fee"), "amount_cny"].sum())


def _whole_period_take_rate_pct() -> float:
    o = _t("orders")
    start, end = str(o.created_at.min().date()), str(o.created_at.max().normalize().date() + pd.Timedelta(days=1))
    return 100 * commerce.take_rate(o, _t("ledger_entries"), start, end)


def _take_rate_over_every_order_pct() -> float:
    return 100 * _platform_fees(*Q1) / float(_window(_t("orders"), *Q1).paid_amount_cny.sum())


def _mean_contract_rate_pct() -> float:
    return 100 * float(_t("merchants").platform_fee_rate.mean())


take_rate = NumberExercise(
    "01.3", "Larkspur's take rate",
    "The take rate is the share of GMV a platform keeps as its own transaction revenue. Larkspur's revenue per "
    "order is the `platform_fee` entry in the ledger. The `payment_fee` is what the payment processor charges; "
    "Larkspur passes it on, so it is not Larkspur's revenue. **What was Larkspur's take rate in Q1 2026 "
    "(orders created January–March), in percent?** Two decimals are enough.",
    answer=take_rate_q1_pct, percent=True, rel_tol=0.01, decimals=2,
    slips=[Slip(_take_rate_with_processor_fees_pct,
                "You counted the payment processor's fee as revenue. It passes through Larkspur to the processor; "
                "only platform_fee is Larkspur's.", rel_tol=0.01),
           Slip(_whole_period_take_rate_pct,
                "That is the take rate over the whole period (January–June). The question asks for Q1: orders "
                "created January–March, for the fees and for GMV.", rel_tol=0.01),
           Slip(_take_rate_over_every_order_pct,
                "Your GMV includes cancelled orders, so the rate comes out too low. Divide by Q1 GMV: paid and "
                "refunded orders only (01.1).", rel_tol=0.01),
           Slip(_mean_contract_rate_pct,
                "That is the average of the merchants' contract rates (`platform_fee_rate`). The take rate is what "
                "Larkspur earned on its GMV, and the big merchants, on lower rates, weigh more: fees ÷ GMV.",
                rel_tol=0.01)],
    hints=["Revenue: minus the sum of `platform_fee` entries for Q1 orders (ledger amounts are negative for fees).",
           "Divide by Q1 GMV (same definition as 01.1), then multiply by 100 for a percentage."],
    solution="Platform fees on Q1 orders ÷ Q1 GMV × 100.",
    solution_code=('ledger, orders = data.load("ledger_entries"), data.load("orders")\n'
                   'q1 = orders[(orders.created_at >= "2026-01-01") & (orders.created_at < "2026-04-01")]\n'
                   'gmv_q1 = q1.loc[q1.status.isin(["paid", "refunded"]), "paid_amount_cny"].sum()\n'
                   'fees = ledger[(ledger.entry_type == "platform_fee") & ledger.order_id.isin(q1.order_id)]\n'
                   '100 * -fees.amount_cny.sum() / gmv_q1'),
    minutes=6,
    wrong_examples=[WrongExample(lambda: take_rate_q1_pct() / 100, "fraction"),
                    WrongExample(_take_rate_with_processor_fees_pct, "payment processor")],
)


# -- 01.4 refund rate ----------------------------------------------------------

def refund_rate_pct() -> float:
    return 100 * commerce.refund_rate(_t("orders"), by="value")


def _refund_rate_count_pct() -> float:
    return 100 * commerce.refund_rate(_t("orders"), by="count")


def _refunded_over(denominator) -> Callable[[], float]:
    def value():
        o = _t("orders")
        refunded = o.loc[o.status == "refunded", "paid_amount_cny"].sum()
        base = {"all_orders": o.paid_amount_cny.sum(),
                "paid_only": o.loc[o.status == "paid", "paid_amount_cny"].sum()}[denominator]
        return 100 * float(refunded / base)
    return value


refund_rate = NumberExercise(
    "01.4", "Refund rate by value",
    "Finance asks: **what share of GMV was refunded over the whole period (Jan–Jun 2026), in percent?** "
    "Measure it by value: the paid amount of refunded orders ÷ GMV.",
    answer=refund_rate_pct, percent=True, rel_tol=0.01, decimals=2,
    slips=[Slip(_refund_rate_count_pct, "That is the share of orders refunded (by count). By value, expensive refunded "
                                        "orders weigh more: divide refunded amounts by GMV.", rel_tol=0.01),
           Slip(_refunded_over("all_orders"), "Your denominator includes cancelled orders. GMV counts paid and "
                                              "refunded orders only: cancelled ones never took money.", rel_tol=0.002),
           Slip(_refunded_over("paid_only"), "You divided by the paid orders only. The refunded orders are part of "
                                             "GMV (they were sold first): divide by paid + refunded.", rel_tol=0.002)],
    hints=["Numerator: `paid_amount_cny` of orders with status `refunded`.",
           "Denominator: GMV (paid + refunded). Multiply by 100."],
    solution="Refunded orders' paid amount ÷ GMV × 100.",
    solution_code=('orders = data.load("orders")\n'
                   'sold = orders[orders.status.isin(["paid", "refunded"])]\n'
                   '100 * sold.loc[sold.status == "refunded", "paid_amount_cny"].sum() / sold.paid_amount_cny.sum()'),
    minutes=5,
    wrong_examples=[WrongExample(_refund_rate_count_pct, "by count"),
                    WrongExample(lambda: refund_rate_pct() / 100, "fraction")],
)


# -- 01.5 reconciliation ---------------------------------------------------------

def missing_orders():
    return commerce.unreconciled_orders(_t("orders"), _t("ledger_entries"))


def _no_entry_any_status():
    o, ledger = _t("orders"), _t("ledger_entries")
    return o.loc[~o.order_id.isin(ledger.order_id.dropna()), ["order_id"]]


def _cancelled_without_entry():
    o, ledger = _t("orders"), _t("ledger_entries")
    return o.loc[(o.status == "cancelled") & ~o.order_id.isin(ledger.order_id.dropna()), ["order_id"]]


def _sold_without(entry_type):
    def value():
        o, ledger = _t("orders"), _t("ledger_entries")
        sold = o[o.status.isin(commerce.PAID_STATUSES)]
        return sold.loc[~sold.order_id.isin(ledger.loc[ledger.entry_type == entry_type, "order_id"].dropna()),
                        ["order_id"]]
    return value


reconcile = DataExercise(
    "01.5", "Paid, but not in the ledger",
    "Every paid or refunded order should have a `payment` entry in the ledger: that is the money Larkspur holds "
    "for the merchant until settlement. **Compute `missing_orders`: the orders that were paid (status `paid` or "
    "`refunded`) but have no `payment` entry.** A DataFrame with an `order_id` column, a Series or a list of ids "
    "all work.",
    expected=missing_orders, answer_name="missing_orders", id_column="order_id",
    slips=[Slip(_no_entry_any_status, "Your list includes cancelled orders. They never took money, so having no ledger "
                                      "entry is correct for them; keep only paid and refunded orders."),
           Slip(_cancelled_without_entry, "Those are the cancelled orders: they never took money, so no ledger entry "
                                          "is right for them. Look at the paid and refunded orders instead."),
           Slip(_sold_without("settlement"), "That is every sold order: `settlement` entries are the payouts to each "
                                             "merchant and carry no order_id. Look for the `payment` entry of each "
                                             "order.")],
    hints=["Collect the order ids that have a `payment` entry in the ledger.",
           "Keep paid/refunded orders whose `order_id` is **not** in that set: `~orders.order_id.isin(paid_ids)`."],
    solution="Anti-join the sold orders against the ledger's payment entries.",
    solution_code=('orders, ledger = data.load("orders"), data.load("ledger_entries")\n'
                   'paid_ids = ledger.loc[ledger.entry_type == "payment", "order_id"]\n'
                   'sold = orders[orders.status.isin(["paid", "refunded"])]\n'
                   'missing_orders = sold[~sold.order_id.isin(paid_ids)]'),
    minutes=8,
    wrong_examples=[WrongExample(_no_entry_any_status, "cancelled"),
                    WrongExample(lambda: missing_orders().head(10), "missing")],
)

cause = ChoiceExercise(
    "01.6", "Why are they missing?",
    "Look at the orders you found in 01.5: when were they created, through which channel, for which merchants? "
    "**What most likely happened?**",
    options=[
        Option("callback", "A payment-callback outage: payments succeeded but the notifications never reached the ledger", True,
               "Yes: all of them fall in one afternoon (17 April, about 14:00–16:30), all through the mini-program, "
               "spread over many merchants. One integration failed for a while. Fix: replay the callbacks, add an "
               "alert on 'paid orders without a payment entry', and tell finance the 20 April settlements were short."),
        Option("fraud", "One merchant faked orders", False,
               "The orders are spread across about a dozen merchants, not one. Fraud by a single merchant would cluster "
               "by merchant, not by time and channel."),
        Option("refunds", "Refunds were not recorded", False,
               "These orders are missing their *payment* entries. A missing refund would leave the payment in place "
               "and only the refund absent."),
        Option("timezone", "A timezone cut-off moved them into another day", False,
               "A timezone slip would shift orders near midnight, and their entries would exist on another date. "
               "These have no entries at all, and they cluster mid-afternoon.", score=None),
    ],
    hints=["Group the missing orders by date, hour, channel and merchant.",
           "`missing_orders.groupby([missing_orders.created_at.dt.date, \"channel\"]).size()` — how many groups?"],
    solution="A time-boxed failure in one channel's payment callback: the only explanation that fits one afternoon, "
             "one channel and many merchants.",
    minutes=5,
    wrong_examples=[WrongExample("fraud", "dozen merchants"), WrongExample("refunds", "payment* entries")],
)


# -- 01.7 / 01.8 campaigns -----------------------------------------------------

def _pnl():
    return commerce.campaign_pnl(_t("campaigns"), _t("coupons"), _t("orders"), _t("order_items"),
                                 _t("products"), _t("merchants")).set_index("campaign_id")


def losing_profit() -> float:
    return float(_pnl().loc[LOSING_CAMPAIGN, "gross_profit_cny"])


def _col(column, sign=1.0):
    return lambda: sign * float(_pnl().loc[LOSING_CAMPAIGN, column])


def _profit_without_fees() -> float:
    p = _pnl().loc[LOSING_CAMPAIGN]
    return float(p.revenue_cny - p.discount_cny - p.cogs_cny)


def _profit_without_cogs() -> float:
    p = _pnl().loc[LOSING_CAMPAIGN]
    return float(p.revenue_cny - p.discount_cny - p.fees_cny)


campaign_profit = NumberExercise(
    "01.7", "What did the half-price weekend really earn?",
    "Campaign **CP03**, *Weekend Half-Price Pastries*, gave 50 % off at Golden Wheat Bakery. The merchant sees "
    "the discount as its marketing cost — but each coupon order also has goods that cost money and fees. "
    "**What was CP03's gross profit in CNY?** Count the paid orders that redeemed a CP03 coupon (leave out "
    "refunded and cancelled ones): list-price revenue (`items_amount_cny`) − discount − cost of goods "
    "(quantity × `unit_cost_cny`) − fees (platform fee at the merchant's `platform_fee_rate` plus the 0.38 % "
    "payment fee, each on the paid amount and rounded half up to 0.01 CNY per order, as the ledger does). A loss "
    "is a negative number. (Like the merchant's own report, this counts every coupon order as if the coupon "
    "made it; some of those customers would have bought anyway, at full price.)",
    answer=losing_profit, rel_tol=0.01, decimals=2,
    slips=[Slip(_col("discount_cny", -1), "That is only the discount. The real cost also includes the goods given "
                                          "away at half price and the fees; the revenue offsets some of it."),
           Slip(_profit_without_cogs, "You left out the cost of goods (quantity × unit_cost_cny). At 50 % off, the "
                                      "goods' cost is what turns the campaign into a loss."),
           Slip(_profit_without_fees, "Close: you left out the fees (platform fee + 0.38 % payment fee on the paid "
                                      "amount).", rel_tol=0.005),
           Slip(_col("revenue_cny"), "That is the revenue at list price; subtract discount, cost of goods and fees.")],
    hints=["Redeemed coupons point to orders (`coupons.redeemed_order_id`); keep CP03's, and only paid orders.",
           "Cost of goods: join order_items to products and sum quantity × unit_cost_cny.",
           "`commerce.campaign_pnl(...)` computes every campaign at once — check your figure against it."],
    solution="Revenue − discount − cost of goods − fees on CP03's paid coupon orders: a loss. This is the profit "
             "*on the coupon orders*, not the profit the campaign *added*: without a holdout group that got no "
             "coupon, nobody knows how many of these orders would have come anyway at full price. Each of those "
             "lost its discount for nothing, so the campaign's true result is lower still (Kohavi, Tang & Xu, "
             "*Trustworthy Online Controlled Experiments*, 2020, on measuring an effect against a control group).",
    solution_code=('from ctopath.models import commerce\n'
                   'pnl = commerce.campaign_pnl(*(data.load(t) for t in ("campaigns", "coupons", "orders",\n'
                   '                                                      "order_items", "products", "merchants")))\n'
                   'pnl.set_index("campaign_id").loc["CP03", "gross_profit_cny"]'),
    minutes=10,
    wrong_examples=[WrongExample(_col("discount_cny", -1), "only the discount"),
                    WrongExample(_profit_without_cogs, "cost of goods")],
)

which_campaign = ChoiceExercise(
    "01.8", "Which campaign should not run again?",
    "Here is every campaign's result (from `commerce.campaign_pnl`). The merchant's marketing lead says CP04 "
    "was the worst because almost nobody used its coupons. **Which campaign should not run again as it was?** "
    "(The table counts every coupon order as made by the coupon. The data has no holdout group, so the true "
    "effect of each campaign is lower than its row says — lower for all, which can only deepen a loss.)",
    options=[
        Option("CP03", "CP03 — Weekend Half-Price Pastries", True,
               "Yes: it lost money on every redemption. Half price is deeper than a bakery's gross margin (about "
               "45 %), so each extra sale made things worse. A smaller discount, or one on high-margin items, could work."),
        Option("CP04", "CP04 — Spring Wardrobe 30 Off (lowest redemption rate)", False,
               "Few coupons were used (low reach), but each order that used one made money: CP04 earned a healthy "
               "gross profit. Low redemption is a targeting problem, not a loss."),
        Option("CP01", "CP01 — New Year Latte Voucher (second-most redemptions)", False,
               "Many redemptions, and each was profitable at a café's high margin. Popularity is not the problem "
               "here: the only campaign with more redemptions is the one that lost money."),
        Option("none", "None: every campaign brought in revenue", False,
               "Revenue is not profit. One campaign brought revenue and still lost money once goods and fees are counted."),
    ],
    hints=["Compare gross_profit_cny, not redemptions or revenue.",
           "Which campaign's discount is larger than its category's gross margin?"],
    solution="CP03: negative gross profit. Marketing cost is not the discount alone; the goods given away count too.",
    minutes=5,
    wrong_examples=[WrongExample("CP04", "targeting problem"), WrongExample("none", "Revenue is not profit")],
)

MODULE = Module(
    number="01", slug="programmer", title="The programmer who sees the whole business",
    teaching_minutes=25,
    article_passage="Stage 1, 普通程序员 / 技术经理: beyond your own code, learn how goods (商品), the ledger (账务) "
                    "and marketing (营销) work around the order transactions (订单交易) you build.",
    exercises=[gmv, by_category, take_rate, refund_rate, reconcile, cause, campaign_profit, which_campaign],
    # for a room short of time: GMV, reconciling against the ledger, and what a campaign really cost
    core=['01.1', '01.5', '01.6', '01.7'],
    discussion=[
        "Which table in your own company's system would surprise you most if you followed one order into it?",
        "Who in finance or operations would you ask about the ledger, and what would you bring them?",
        "A campaign 'worked' by the number of coupons used. Who in your company would have defended it, and why?",
    ],
)
