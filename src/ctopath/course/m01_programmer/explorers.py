"""Module 01's explorer: follow one order through the business."""
from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from ...engine.i18n import Msg, tr
from ..explorer import Explorer, table_html


def order_explorer(default_order: str | None = None) -> Explorer:
    """Pick an order; see its items, its ledger entries, its coupon and its merchant."""
    from ... import data
    from ...models import commerce

    tables = {name: data.load(name) for name in
              ("orders", "order_items", "products", "ledger_entries", "coupons", "campaigns", "merchants")}
    orders = tables["orders"]
    # A short, varied pick list: some of every status, some with coupons; any id can be typed.
    sample = pd.concat([
        orders[orders.status == "refunded"].head(3), orders[orders.status == "cancelled"].head(2),
        orders[orders.coupon_id.notna()].head(3), orders[orders.status == "paid"].head(4)]).drop_duplicates("order_id")
    picker = w.Combobox(options=list(sample.order_id), value=default_order or sample.order_id.iloc[0],
                        description=tr("Order id:"), placeholder=tr("e.g. O000123"), ensure_option=False,
                        style={"description_width": "initial"})
    out = w.HTML()
    out.add_class("ctopath-journey")

    def show(_=None):
        order_id = picker.value.strip()
        try:
            journey = commerce.order_journey(order_id, tables)
        except ValueError as err:
            message = err.args[0] if err.args and isinstance(err.args[0], str) else str(err)  # a Msg keeps its template
            out.value = f"<p>⚠️ {html.escape(tr(message))}</p>"
            return
        parts = [f"<h4>{html.escape(tr(Msg('The journey of order {order_id}', order_id=order_id)))}</h4>"]
        captions = {"order": tr("1 · The order (order transactions, 订单交易)"),
                    "items": tr("2 · What was sold (goods, 商品)"),
                    "coupon": tr("3 · The coupon behind the discount (marketing, 营销)"),
                    "ledger": tr("4 · The money (the ledger, 账务)"),
                    "merchant": tr("5 · Whose shop it was")}
        for key, caption in captions.items():
            frame = journey.get(key)
            if frame is None or frame.empty:
                parts.append(f"<p>{tr(Msg('<strong>{caption}</strong>: none', caption=html.escape(caption)))}</p>")
            else:
                parts.append(table_html(frame, caption))
        out.value = "".join(parts)

    picker.observe(show, names=["value"])
    show()
    box = w.VBox([picker, out])
    box.add_class("ctopath-order-explorer")
    return Explorer(box, tr("Order explorer (pick an order → its goods, ledger and marketing)"))
