"""Commerce metrics of the platform: GMV, take rate, refunds, reconciliation, campaign P&L.

Plain functions: DataFrames shaped like ``ctopath.data.load(...)`` in, numbers or
DataFrames out; nothing is displayed and no input is modified. Dates may be given as
strings (``"2026-03-01"``) or Timestamps; windows are half-open, ``[start, end)``, on the
order's ``created_at``. Amounts are CNY; rates are fractions (0.05, not 5).

Definitions (and where they come from):

- GMV, gross merchandise value: the value of goods sold through the platform *before*
  refunds, fees and returns — Investopedia, "Gross Merchandise Value (GMV)",
  https://www.investopedia.com/terms/g/gross-merchandise-value.asp . Here: the paid
  amount (after coupon discounts, i.e. money that actually changed hands) of orders whose
  status is ``paid`` or ``refunded``; cancelled orders never took money.
- Take rate: the platform's transaction revenue as a share of GMV — Andreessen Horowitz
  (a16z), "13 Metrics for Marketplace Companies",
  https://a16z.com/13-metrics-for-marketplace-companies/ , metric "take rate". Here the
  revenue is the platform fee only; the payment processor's fee is a pass-through cost,
  not Larkspur's revenue.
- Gross profit = revenue − cost of goods sold (and here also the discount and the
  per-order fees the merchant pays) — Investopedia, "Gross Profit".
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..engine.i18n import Msg
from .checks import require_columns

#: Order statuses where money changed hands (a refunded order was paid first).
PAID_STATUSES = ("paid", "refunded")

#: The payment processor's charge on every paid amount (a pass-through cost).
PAYMENT_FEE_RATE = 0.0038

ORDER_COLUMNS = ("order_id", "merchant_id", "created_at", "status", "paid_amount_cny")
LEDGER_COLUMNS = ("order_id", "entry_type", "amount_cny")


# ----------------------------------------------------------------------------- helpers


_require = require_columns  # the shared check, under the name this module uses


def _ts(value, what: str):
    if value is None:
        return None
    try:  # strings must be ISO dates ("2026-03-01", "2026-03-01 14:00"): "March" is ambiguous
        ts = pd.to_datetime(value, format="ISO8601") if isinstance(value, str) else pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(f"{what} must be a date like '2026-03-01' or a Timestamp, got {value!r}.") from None
    if pd.isna(ts):
        raise ValueError(f"{what} must be a date like '2026-03-01' or a Timestamp, got {value!r}.")
    return ts


def in_window(times: pd.Series, start=None, end=None) -> pd.Series:
    """Boolean mask: ``start <= times < end`` (either bound may be None = open)."""
    t = pd.to_datetime(times)
    mask = pd.Series(True, index=times.index)
    s, e = _ts(start, "start"), _ts(end, "end")
    if s is not None:
        mask &= t >= s
    if e is not None:
        mask &= t < e
    return mask


def fee_cny(amount, rate):
    """A per-order fee: ``amount × rate`` rounded half up to the fen (0.01 CNY).

    This is how the ledger computes ``platform_fee`` and ``payment_fee`` entries.
    Works on numbers and on Series/arrays.
    """
    cents = np.round(np.asarray(amount, dtype="float64") * 100)
    fee = np.floor(cents * np.asarray(rate, dtype="float64") + 0.5 + 1e-9) / 100
    if isinstance(amount, pd.Series):
        return pd.Series(fee, index=amount.index)
    return float(fee) if np.ndim(fee) == 0 else fee


def _paid_orders(orders, start=None, end=None) -> pd.DataFrame:
    _require(orders, ORDER_COLUMNS, "orders")
    mask = orders["status"].isin(PAID_STATUSES) & in_window(orders["created_at"], start, end)
    return orders.loc[mask]


def _money(x) -> float:
    return float(round(float(x), 2))


# ----------------------------------------------------------------------------- metrics


def gmv(orders: pd.DataFrame, start=None, end=None) -> float:
    """GMV in CNY: sum of ``paid_amount_cny`` of paid or refunded orders created in [start, end).

    Before refunds and fees (the common definition: Investopedia, "Gross Merchandise
    Value"). Cancelled orders are excluded: no money moved.
    """
    return _money(_paid_orders(orders, start, end)["paid_amount_cny"].sum())


def net_gmv(orders: pd.DataFrame, ledger: pd.DataFrame, start=None, end=None) -> float:
    """GMV minus refunds, in CNY.

    Refunds are the ``refund`` ledger entries of the orders *created* in [start, end),
    whenever the refund itself happened (cohort view: a March order refunded on 2 April
    lowers March's net GMV). This keeps net GMV ≤ GMV for every window; a cash view would
    instead count refunds by ``entry_time``.
    """
    _require(ledger, LEDGER_COLUMNS, "ledger_entries")
    paid = _paid_orders(orders, start, end)
    refunds = ledger.loc[(ledger["entry_type"] == "refund") & ledger["order_id"].isin(paid["order_id"])]
    # refund entries are negative (they reduce what is owed to the merchant)
    return _money(paid["paid_amount_cny"].sum() + refunds["amount_cny"].sum())


def gmv_by(orders: pd.DataFrame, merchants: pd.DataFrame, by: str = "category", start=None, end=None) -> pd.Series:
    """GMV (CNY) per value of ``by``, largest first; a Series named ``gmv_cny``, index named ``by``.

    ``by`` is a merchants column (category, segment, city, plan, merchant_id, merchant_name)
    or an orders column (channel, status...).
    """
    paid = _paid_orders(orders, start, end)
    if by in paid.columns:
        keyed = paid
    else:
        _require(merchants, ("merchant_id", by), "merchants")
        keyed = paid.merge(merchants[["merchant_id", by]], on="merchant_id", how="left")
    out = keyed.groupby(by)["paid_amount_cny"].sum().round(2)
    out = out.sort_values(ascending=False, kind="stable")
    out.name = "gmv_cny"
    out.index.name = by
    return out


def take_rate(orders: pd.DataFrame, ledger: pd.DataFrame, start=None, end=None) -> float:
    """Platform fee revenue ÷ GMV, as a fraction (0.006 means 0.6 %).

    Revenue = −(sum of ``platform_fee`` ledger entries of orders created in [start, end)).
    Payment-processor fees (``payment_fee``) are a pass-through cost, NOT revenue.
    NaN when the window has no GMV.
    """
    _require(ledger, LEDGER_COLUMNS, "ledger_entries")
    total = gmv(orders, start, end)
    if total == 0:
        return math.nan
    _require(orders, ORDER_COLUMNS, "orders")
    window_ids = orders.loc[in_window(orders["created_at"], start, end), "order_id"]
    fees = ledger.loc[(ledger["entry_type"] == "platform_fee") & ledger["order_id"].isin(window_ids), "amount_cny"]
    return float(-fees.sum() / total)


def gmv_by_month(orders: pd.DataFrame, ledger: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """GMV, GMV per day and take rate (%) of each calendar month from ``first`` to ``last`` ("YYYY-MM").

    Index: month ("YYYY-MM"). Columns gmv_cny, days (days in the month), gmv_per_day_cny and
    take_rate_pct. Months differ in length — February has 28 days, March 31 — so compare
    months by GMV per day before reading a short month's lower total as a dip.
    """
    months = pd.period_range(first, last, freq="M")
    rows = []
    for m in months:
        start, end = m.start_time, (m + 1).start_time
        total = gmv(orders, start, end)
        rows.append({"gmv_cny": total, "days": int(m.days_in_month), "gmv_per_day_cny": total / m.days_in_month,
                     "take_rate_pct": 100 * take_rate(orders, ledger, start, end)})
    return pd.DataFrame(rows, index=pd.Index(months.astype(str), name="month"))


def refund_rate(orders: pd.DataFrame, start=None, end=None, by: str = "value") -> float:
    """Share of GMV refunded, as a fraction.

    ``by="value"``: paid amount of refunded orders ÷ GMV (both over paid + refunded orders
    created in [start, end)). ``by="count"``: refunded orders ÷ (paid + refunded) orders.
    NaN when there is no paid order in the window.
    """
    if by not in ("value", "count"):
        raise ValueError(f"by must be 'value' or 'count', got {by!r}.")
    paid = _paid_orders(orders, start, end)
    refunded = paid["status"] == "refunded"
    if by == "count":
        return float(refunded.sum() / len(paid)) if len(paid) else math.nan
    total = paid["paid_amount_cny"].sum()
    return float(paid.loc[refunded, "paid_amount_cny"].sum() / total) if total else math.nan


def unreconciled_orders(orders: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """Paid or refunded orders with no ``payment`` entry in the ledger.

    Columns order_id, merchant_id, created_at, channel, paid_amount_cny; sorted by
    order_id. Every such order is money the platform took but does not owe the merchant
    on its books — a reconciliation break.
    """
    _require(orders, ORDER_COLUMNS + ("channel",), "orders")
    _require(ledger, LEDGER_COLUMNS, "ledger_entries")
    paid = _paid_orders(orders)
    booked = ledger.loc[ledger["entry_type"] == "payment", "order_id"].dropna()
    out = paid.loc[~paid["order_id"].isin(booked),
                   ["order_id", "merchant_id", "created_at", "channel", "paid_amount_cny"]]
    return out.sort_values("order_id", kind="stable").reset_index(drop=True)


CAMPAIGN_PNL_COLUMNS = (
    "campaign_id", "campaign_name", "merchant_id", "coupons_issued", "redemptions",
    "redemption_rate", "revenue_cny", "discount_cny", "cogs_cny", "fees_cny",
    "gross_profit_cny", "profit_per_redemption_cny",
)


def campaign_pnl(campaigns, coupons, orders, order_items, products, merchants) -> pd.DataFrame:
    """The merchant's profit and loss of each coupon campaign, one row per campaign.

    - coupons_issued: from the campaigns table; redemptions: coupons with a
      ``redeemed_order_id`` (whatever became of the order); redemption_rate = redemptions
      ÷ coupons_issued (fraction).
    - The money columns count only redeemed orders whose status is ``paid``: refunded
      and cancelled orders are EXCLUDED from the P&L (their goods came back or never left).
    - revenue_cny: sum of ``items_amount_cny`` (list price, before the discount);
      discount_cny: sum of ``discount_cny``; cogs_cny: sum of quantity × unit_cost_cny;
      fees_cny: platform fee (merchant's ``platform_fee_rate``) + payment fee (0.38 %) on
      each paid amount, rounded per order as the ledger does.
    - gross_profit_cny = revenue − discount − cogs − fees;
      profit_per_redemption_cny = gross_profit ÷ redemptions (NaN if none).

    Sorted by campaign_id, index reset.
    """
    _require(campaigns, ("campaign_id", "campaign_name", "merchant_id", "coupons_issued"), "campaigns")
    _require(coupons, ("coupon_id", "campaign_id", "redeemed_order_id"), "coupons")
    _require(orders, ("order_id", "merchant_id", "status", "items_amount_cny", "discount_cny",
                      "paid_amount_cny"), "orders")
    _require(order_items, ("order_id", "product_id", "quantity"), "order_items")
    _require(products, ("product_id", "unit_cost_cny"), "products")
    _require(merchants, ("merchant_id", "platform_fee_rate"), "merchants")

    redeemed = coupons.loc[coupons["redeemed_order_id"].notna(), ["campaign_id", "redeemed_order_id"]]
    redemptions = redeemed.groupby("campaign_id").size()

    paid = redeemed.merge(orders, left_on="redeemed_order_id", right_on="order_id", how="inner")
    paid = paid.loc[paid["status"] == "paid"]
    paid = paid.merge(merchants[["merchant_id", "platform_fee_rate"]], on="merchant_id", how="left")
    paid["fees"] = fee_cny(paid["paid_amount_cny"], paid["platform_fee_rate"]) + fee_cny(
        paid["paid_amount_cny"], PAYMENT_FEE_RATE)

    lines = order_items.loc[order_items["order_id"].isin(paid["order_id"]), ["order_id", "product_id", "quantity"]]
    lines = lines.merge(products[["product_id", "unit_cost_cny"]], on="product_id", how="left")
    lines["cogs"] = lines["quantity"] * lines["unit_cost_cny"]
    cogs_by_order = lines.groupby("order_id")["cogs"].sum()
    paid["cogs"] = paid["order_id"].map(cogs_by_order).fillna(0.0)

    sums = paid.groupby("campaign_id")[["items_amount_cny", "discount_cny", "cogs", "fees"]].sum()

    out = campaigns[["campaign_id", "campaign_name", "merchant_id", "coupons_issued"]].copy()
    out = out.sort_values("campaign_id", kind="stable").reset_index(drop=True)
    out["coupons_issued"] = out["coupons_issued"].astype("int64")
    out["redemptions"] = out["campaign_id"].map(redemptions).fillna(0).astype("int64")
    issued = out["coupons_issued"].where(out["coupons_issued"] > 0)
    out["redemption_rate"] = (out["redemptions"] / issued).astype("float64")
    for src, dst in (("items_amount_cny", "revenue_cny"), ("discount_cny", "discount_cny"),
                     ("cogs", "cogs_cny"), ("fees", "fees_cny")):
        out[dst] = out["campaign_id"].map(sums[src]).fillna(0.0).astype("float64").round(2)
    out["gross_profit_cny"] = (out["revenue_cny"] - out["discount_cny"] - out["cogs_cny"] - out["fees_cny"]).round(2)
    out["profit_per_redemption_cny"] = (
        out["gross_profit_cny"] / out["redemptions"].where(out["redemptions"] > 0)).round(2)
    return out[list(CAMPAIGN_PNL_COLUMNS)]


JOURNEY_TABLES = ("orders", "order_items", "products", "ledger_entries", "coupons", "campaigns", "merchants")


def order_journey(order_id: str, tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Everything the platform recorded about one order, table by table.

    ``tables`` maps table names to frames (``{name: data.load(name) for name in ...}``) and
    needs orders, order_items, products, ledger_entries, coupons, campaigns, merchants.
    Returns ``{"order", "items", "ledger", "coupon", "merchant"}``: the order row; its
    lines with product_name and unit_cost_cny; its ledger entries by entry_id; the coupon
    used joined with its campaign (empty frame if none); the merchant row.
    Unknown order id → ValueError.
    """
    if not isinstance(tables, Mapping):
        raise ValueError("tables must be a dict of table name → DataFrame, e.g. {'orders': data.load('orders'), ...}.")
    missing = [t for t in JOURNEY_TABLES if t not in tables]
    if missing:
        raise ValueError(f"tables is missing {', '.join(missing)}; order_journey needs {', '.join(JOURNEY_TABLES)}.")
    orders = _require(tables["orders"], ("order_id", "merchant_id", "coupon_id"), "orders")
    items = _require(tables["order_items"], ("order_id", "line_no", "product_id"), "order_items")
    products = _require(tables["products"], ("product_id", "product_name", "unit_cost_cny"), "products")
    ledger = _require(tables["ledger_entries"], ("entry_id", "order_id"), "ledger_entries")
    coupons = _require(tables["coupons"], ("coupon_id", "campaign_id"), "coupons")
    campaigns = _require(tables["campaigns"], ("campaign_id",), "campaigns")
    merchants = _require(tables["merchants"], ("merchant_id",), "merchants")

    order = orders.loc[orders["order_id"] == order_id].reset_index(drop=True)
    if order.empty:
        sample = ", ".join(orders["order_id"].head(2).astype(str))
        raise ValueError(Msg("No order with order_id {order_id!r}; order ids look like {sample}.",
                             order_id=order_id, sample=sample))
    merchant_id = order.at[0, "merchant_id"]
    lines = items.loc[items["order_id"] == order_id].sort_values("line_no", kind="stable")
    lines = lines.merge(products[["product_id", "product_name", "unit_cost_cny"]], on="product_id", how="left")
    entries = ledger.loc[ledger["order_id"] == order_id].sort_values("entry_id", kind="stable")
    coupon_id = order.at[0, "coupon_id"]
    coupon = coupons.loc[coupons["coupon_id"] == coupon_id] if pd.notna(coupon_id) else coupons.iloc[0:0]
    coupon = coupon.merge(campaigns, on="campaign_id", how="left", suffixes=("", "_campaign"))
    return {
        "order": order,
        "items": lines.reset_index(drop=True),
        "ledger": entries.reset_index(drop=True),
        "coupon": coupon.reset_index(drop=True),
        "merchant": merchants.loc[merchants["merchant_id"] == merchant_id].reset_index(drop=True),
    }
