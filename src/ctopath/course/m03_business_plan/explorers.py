"""Module 03's explorer: unit economics on sliders."""
from __future__ import annotations

import html

import ipywidgets as w

from ...engine import controls
from ...engine.i18n import Msg, tr
from ..explorer import STYLE as _STYLE, Explorer


def unit_economics_explorer() -> Explorer:
    """Start from a channel's measured figures, move ARPA, margin, churn and CAC; see LTV, LTV:CAC and payback."""
    from ... import data
    from ...models import unit_economics as ue

    econ = ue.channel_economics(*ue.tables(data.load)).set_index("channel")
    channel = w.Dropdown(options=list(econ.index), value="online_ads", description=tr("Start from channel:"),
                         style=_STYLE)
    arpa = controls.FloatSlider(min=100, max=8000, step=50, description=tr("ARPA (CNY / month):"), style=_STYLE,
                         continuous_update=False, layout=w.Layout(width="420px"))
    margin = controls.FloatSlider(min=10, max=95, step=1, description=tr("Gross margin (%):"), style=_STYLE,
                           continuous_update=False, layout=w.Layout(width="420px"))
    churn = controls.FloatSlider(min=0.1, max=15, step=0.1, description=tr("Monthly logo churn (%):"), style=_STYLE,
                          continuous_update=False, layout=w.Layout(width="420px"))
    cac = controls.FloatSlider(min=500, max=200_000, step=500, description=tr("CAC (CNY):"), style=_STYLE,
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
        ok_ratio = tr("✅ above 3") if ratio >= 3 else tr("⚠️ below 3")
        ok_payback = tr("✅ under 12 months") if payback <= 12 else tr("⚠️ over 12 months")
        warn = (" <strong>" + html.escape(tr("An average account leaves before it has paid back its CAC."))
                + "</strong>" if payback > life else "")
        rows = [(tr("Expected lifetime (1 ÷ churn)"), tr(Msg("{life:,.1f} months", life=life))),
                (tr("LTV = ARPA × margin ÷ churn"), tr(Msg("{value:,.0f} CNY", value=value))),
                (tr("LTV : CAC"), f"{ratio:,.2f} ({ok_ratio})"),
                (tr("CAC payback = CAC ÷ (ARPA × margin)"),
                 tr(Msg("{payback:,.1f} months ({verdict})", payback=payback, verdict=ok_payback)))]
        out.value = ("<table class='ctopath-table'>"
                     + "".join(f"<tr><td>{html.escape(label)}</td><td>{html.escape(shown)}</td></tr>"
                               for label, shown in rows)
                     + f"</table><p>{warn}</p>")

    channel.observe(load, names=["value"])
    for s in (arpa, margin, churn, cac):
        s.observe(draw, names=["value"])
    load()
    box = w.VBox([w.HTML("<h4>" + html.escape(tr("Unit economics explorer")) + "</h4>"), channel, arpa, margin, churn, cac, out])
    box.add_class("ctopath-unit-economics-explorer")
    return Explorer(box, tr("Unit economics explorer (ARPA, margin, churn, CAC → LTV, LTV:CAC, payback)"))
