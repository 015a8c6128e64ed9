"""Module 03's explorer: unit economics on sliders."""
from __future__ import annotations

import html

import ipywidgets as w

from ...engine import controls
from ..explorer import STYLE as _STYLE, Explorer


def unit_economics_explorer() -> Explorer:
    """Start from a channel's measured figures, move ARPA, margin, churn and CAC; see LTV, LTV:CAC and payback."""
    from ... import data
    from ...models import unit_economics as ue

    econ = ue.channel_economics(*ue.tables(data.load)).set_index("channel")
    channel = w.Dropdown(options=list(econ.index), value="online_ads", description="Start from channel:",
                         style=_STYLE)
    arpa = controls.FloatSlider(min=100, max=8000, step=50, description="ARPA (CNY / month):", style=_STYLE,
                         continuous_update=False, layout=w.Layout(width="420px"))
    margin = controls.FloatSlider(min=10, max=95, step=1, description="Gross margin (%):", style=_STYLE,
                           continuous_update=False, layout=w.Layout(width="420px"))
    churn = controls.FloatSlider(min=0.1, max=15, step=0.1, description="Monthly logo churn (%):", style=_STYLE,
                          continuous_update=False, layout=w.Layout(width="420px"))
    cac = controls.FloatSlider(min=500, max=200_000, step=500, description="CAC (CNY):", style=_STYLE,
                        continuous_update=False, layout=w.Layout(width="420px"))
    out = w.HTML()
    out.add_class("ctopath-unit-economics")
    busy = {"on": False}

    def load(_=None):
        busy["on"] = True
        row = econ.loc[channel.value]
        arpa.value = round(float(row.arpa_cny) / 50) * 50
        margin.value = round(100 * float(row.gross_margin))
        churn.value = round(100 * float(row.monthly_churn), 1)
        cac.value = round(float(row.cac_cny) / 500) * 500
        busy["on"] = False
        draw()

    def draw(_=None):
        if busy["on"]:
            return
        try:
            value = ue.ltv(arpa.value, margin.value / 100, churn.value / 100)
            ratio = ue.ltv_to_cac(value, cac.value)
            payback = ue.cac_payback_months(cac.value, arpa.value, margin.value / 100)
        except ValueError as err:
            out.value = f"<p>⚠️ {html.escape(str(err))}</p>"
            return
        life = 100 / churn.value
        ok_ratio = "✅ above 3" if ratio >= 3 else "⚠️ below 3"
        ok_payback = "✅ under 12 months" if payback <= 12 else "⚠️ over 12 months"
        warn = (" <strong>An average account leaves before it has paid back its CAC.</strong>"
                if payback > life else "")
        out.value = (f"<table class='ctopath-table'>"
                     f"<tr><td>Expected lifetime (1 ÷ churn)</td><td>{life:,.1f} months</td></tr>"
                     f"<tr><td>LTV = ARPA × margin ÷ churn</td><td>{value:,.0f} CNY</td></tr>"
                     f"<tr><td>LTV : CAC</td><td>{ratio:,.2f} ({ok_ratio})</td></tr>"
                     f"<tr><td>CAC payback = CAC ÷ (ARPA × margin)</td><td>{payback:,.1f} months "
                     f"({ok_payback})</td></tr></table><p>{warn}</p>")

    channel.observe(load, names=["value"])
    for s in (arpa, margin, churn, cac):
        s.observe(draw, names=["value"])
    load()
    box = w.VBox([w.HTML("<h4>Unit economics explorer</h4>"), channel, arpa, margin, churn, cac, out])
    box.add_class("ctopath-unit-economics-explorer")
    return Explorer(box, "Unit economics explorer (ARPA, margin, churn, CAC → LTV, LTV:CAC, payback)")
