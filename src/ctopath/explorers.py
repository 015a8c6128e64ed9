"""Interactive explorers for the lessons. They display and collect; the figures come from models.

Each explorer renders into HTML and Image widgets (never print), so a stored
notebook output stays stable and nothing leaks into the cell's text output.
"""
from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from .engine import controls
from .engine.progress import ProgressStore
from .engine.widgets import figure_png

_WIDE = w.Layout(width="100%")


class Explorer:
    """A widget box with a fixed text fallback for static views and stored outputs."""

    def __init__(self, box: w.Widget, name: str):
        self.box = box
        self.name = name

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.box._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/plain"] = f"{self.name} — interactive: run this notebook in JupyterLab to use it."
        return bundle


def _table_html(df: pd.DataFrame, caption: str = "") -> str:
    cap = f"<caption style='text-align:left'><strong>{html.escape(caption)}</strong></caption>" if caption else ""
    return df.to_html(index=False, border=0, classes="ctopath-table").replace("<thead>", cap + "<thead>", 1)


# ---------------------------------------------------------------------------
# Module 00: the self-assessment
# ---------------------------------------------------------------------------

def self_assessment(store: ProgressStore | None = None) -> Explorer:
    """Rate eight skills 1–5 → radar chart and a suggested route; saved to your progress."""
    from . import charts
    from .models import career
    from .modules import all_modules

    store = store or ProgressStore()
    try:
        saved = store.get_note("self_assessment") or {}
    except Exception:  # a damaged store must not stop the lesson; the doctor reports it
        saved = {}
    sliders = {}
    rows = []
    for key, (statement, module) in career.SKILLS.items():
        start = saved.get(key, 3) if isinstance(saved.get(key, 3), int) and 1 <= saved.get(key, 3) <= 5 else 3
        slider = controls.IntSlider(value=start, min=1, max=5, description=f"{key.replace('_', ' ')}:",
                             style={"description_width": "initial"}, layout=w.Layout(width="360px"),
                             continuous_update=False)
        sliders[key] = slider
        rows.append(w.HBox([slider, w.HTML(f"<span>{html.escape(statement)} <small>(module {module})</small></span>")]))
    save = w.Button(description="Save and draw", button_style="primary",
                    tooltip="Save your ratings and draw your radar chart and route")
    chart = controls.Chart()
    route = w.HTML()
    status = controls.LiveHTML("<small>1 = never done it · 3 = done it with help · 5 = could teach it</small>")
    status.add_class("ctopath-feedback")
    modules = [(m.number, m.title) for m in all_modules()]

    def draw(_=None, persist=True):
        scores = {k: s.value for k, s in sliders.items()}
        ratings = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in scores.items())
        chart.show(figure_png(charts.radar(scores)),
                   f"Radar chart of your self-assessment: {ratings} (1 to 5; the same ratings as the sliders above).")
        table = career.suggest_route(scores, modules)
        stage = dict((k, en) for k, _, en, _ in career.STAGES)[career.current_stage(scores)]
        route.value = (f"<p>Your ratings look most like the <strong>{html.escape(stage)}</strong> stage.</p>"
                       + _table_html(table, "Your suggested route"))
        if persist:
            try:
                store.set_note("self_assessment", scores)
                status.value = "✅ Saved to your progress. Module 06 uses it for your 90-day plan."
            except Exception as err:
                status.value = f"⚠️ Drawn, but not saved: {html.escape(str(err))}"

    save.on_click(draw)
    if saved:
        draw(persist=False)
        status.value = "↩︎ Restored your saved ratings. Move a slider and press Save and draw to update."
    box = w.VBox([w.HTML("<h4>Self-assessment: where are you on the path?</h4>"), *rows, save, status, chart, route])
    box.add_class("ctopath-self-assessment")
    return Explorer(box, "Self-assessment (eight sliders → radar chart and route)")


# ---------------------------------------------------------------------------
# Module 01: follow one order
# ---------------------------------------------------------------------------

def order_explorer(default_order: str | None = None) -> Explorer:
    """Pick an order; see its items, its ledger entries, its coupon and its merchant."""
    from . import data
    from .models import commerce

    tables = {name: data.load(name) for name in
              ("orders", "order_items", "products", "ledger_entries", "coupons", "campaigns", "merchants")}
    orders = tables["orders"]
    # A short, varied pick list: some of every status, some with coupons; any id can be typed.
    sample = pd.concat([
        orders[orders.status == "refunded"].head(3), orders[orders.status == "cancelled"].head(2),
        orders[orders.coupon_id.notna()].head(3), orders[orders.status == "paid"].head(4)]).drop_duplicates("order_id")
    picker = w.Combobox(options=list(sample.order_id), value=default_order or sample.order_id.iloc[0],
                        description="Order id:", placeholder="e.g. O000123", ensure_option=False,
                        style={"description_width": "initial"})
    out = w.HTML()
    out.add_class("ctopath-journey")

    def show(_=None):
        order_id = picker.value.strip()
        try:
            journey = commerce.order_journey(order_id, tables)
        except ValueError as err:
            out.value = f"<p>⚠️ {html.escape(str(err))}</p>"
            return
        parts = [f"<h4>The journey of order {html.escape(order_id)}</h4>"]
        captions = {"order": "1 · The order (order transactions, 订单交易)",
                    "items": "2 · What was sold (goods, 商品)",
                    "coupon": "3 · The coupon behind the discount (marketing, 营销)",
                    "ledger": "4 · The money (the ledger, 账务)",
                    "merchant": "5 · Whose shop it was"}
        for key, caption in captions.items():
            frame = journey.get(key)
            if frame is None or frame.empty:
                parts.append(f"<p><strong>{html.escape(caption)}</strong>: none</p>")
            else:
                parts.append(_table_html(frame, caption))
        out.value = "".join(parts)

    picker.observe(show, names=["value"])
    show()
    box = w.VBox([picker, out])
    box.add_class("ctopath-order-explorer")
    return Explorer(box, "Order explorer (pick an order → its goods, ledger and marketing)")
