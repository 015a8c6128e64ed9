"""Module 04's figures and explorers: where the sprints went, retention, the funnel.

Figures are plain functions returning a matplotlib Figure (they show nothing themselves);
explorers render into HTML and Image widgets. Nothing is loaded at import time.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd

from ...engine import controls
from ...engine.i18n import Msg, tr
from ..explorer import Explorer, percent_table, pyplot, quick_png


def allocation_figure(sprints: pd.DataFrame, window: int = 4):
    """Sprint by sprint: platform share (trailing), incidents and the share of capacity that shipped features."""
    from ...models import delivery

    plt = pyplot()
    share = delivery.trailing_share(sprints, window).to_numpy()
    own = delivery.platform_share(sprints).to_numpy()
    feat = (sprints["feature_points"] / sprints["capacity_points"]).to_numpy()
    x = np.arange(1, len(sprints) + 1)
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(10, 5.6), sharex=True)
    ax1.bar(x, 100 * own, color="#c9d8ea", label=tr("platform share, this sprint"))
    ax1.plot(x, 100 * share, color="#1f5f99", lw=2, label=tr(Msg("platform share, last {window} sprints", window=window)))
    ax1.plot(x, 100 * feat, color="#2d7d46", lw=2, ls="--", label=tr("share of capacity that shipped features"))
    ax1.axhspan(20, 30, color="#2d7d46", alpha=0.08)
    ax1.set_ylabel(tr("% of capacity"))
    ax1.legend(loc="upper right", fontsize=8, ncol=3)
    ax1.set_title(tr("Build: what the platform share did to incidents and features (sprints SP01–SP52)"), loc="left")
    ax2.bar(x, sprints["incidents"], color="#c53030", alpha=0.8)
    ax2.set_ylabel(tr("incidents"))
    ax2.set_xlabel(tr("sprint (two weeks each, July 2024 → June 2026)"))
    fig.tight_layout()
    return fig


RETENTION_TITLE = Msg("Retention by sign-up cohort (share still subscribed)")
FUNNEL_TITLE = Msg("The sales funnel")


def retention_heatmap(table: pd.DataFrame, title: str = RETENTION_TITLE, max_age: int = 12):
    """A cohort × age heat map of a retention table (fractions; NaN cells left blank; the numbers go in a table)."""
    plt = pyplot()
    shown = table.loc[:, [a for a in table.columns if a <= max_age]]
    fig, ax = plt.subplots(figsize=(8, 0.22 * len(shown) + 1.4))
    im = ax.imshow(100 * shown.to_numpy(dtype=float), cmap="YlGnBu", vmin=0, vmax=100, aspect="auto")
    ax.set_xticks(range(shown.shape[1]))
    ax.set_xticklabels([str(a) for a in shown.columns])
    ax.set_yticks(range(len(shown)))
    ax.set_yticklabels(shown.index, fontsize=8)
    ax.set_xlabel(tr("months after the sign-up month"))
    ax.set_ylabel(tr("sign-up cohort"))
    fig.colorbar(im, ax=ax, label=tr("% of cohort still subscribed"), fraction=0.03)
    ax.set_title(tr(title), loc="left")
    fig.tight_layout()
    return fig


def funnel_figure(counts: pd.Series, title: str = FUNNEL_TITLE):
    """Horizontal funnel bars: deals reaching each stage, with the step conversions."""
    plt = pyplot()
    stages = list(counts.index)
    values = counts.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(8, 3.6))
    y = np.arange(len(stages))[::-1]
    ax.barh(y, values, left=(values.max() - values) / 2, color="#1f5f99", alpha=0.85)
    for yi, v, s in zip(y, values, stages):
        ax.text(values.max() / 2, yi, f"{s}: {v:.0f}", ha="center", va="center", color="white", fontsize=9)
    for k in range(1, len(stages)):
        if values[k - 1]:
            ax.text(values.max() * 1.01, y[k] + 0.5, f"{100 * values[k] / values[k - 1]:.0f} %", va="center",
                    fontsize=8, color="#444")
    ax.set_yticks([])
    ax.set_xlim(0, values.max() * 1.12 if values.max() else 1)
    ax.set_xlabel(tr("deals"))
    ax.set_title(tr(title), loc="left")
    fig.tight_layout()
    return fig


def cohort_explorer(accounts: pd.DataFrame | None = None, subscriptions: pd.DataFrame | None = None):
    """Pick who to look at (channel, segment) → the retention heat map and the table behind it."""
    import ipywidgets as w

    from ... import data
    from ...models import cohorts

    accounts = data.load("accounts") if accounts is None else accounts
    subscriptions = data.load("subscriptions") if subscriptions is None else subscriptions
    who = w.Dropdown(options=[(tr("self-serve sign-ups"), ("self_serve", None)),
                              (tr("sales-led accounts"), ("sales", None)),
                              (tr("every account"), (None, None)), (tr("small shops (smb)"), (None, "smb"))],
                     value=("self_serve", None), description=tr("Accounts:"), style={"description_width": "initial"})
    age = controls.IntSlider(value=12, min=3, max=23, description=tr("Months shown:"), continuous_update=False,
                      style={"description_width": "initial"})
    chart = controls.Chart()
    table = w.HTML()
    status = controls.LiveHTML()
    status.add_class("ctopath-feedback")

    def draw(_=None):
        channel, segment = who.value
        try:
            ret = cohorts.retention_table(accounts, subscriptions, channel=channel, segment=segment)
        except ValueError as err:
            status.value = f"⚠️ {html.escape(tr(err.args[0] if len(err.args) == 1 else str(err)))}"
            return
        label = dict((v, k) for k, v in who.options)[who.value]
        chart.show(quick_png(retention_heatmap(ret, Msg("Retention by sign-up cohort — {label}", label=label),
                                               age.value)),
                   tr(Msg("Heat map of retention for {n} sign-up cohorts of {label} over {months} months; "
                          "the numbers behind it are in the table below (up to month 12).",
                          n=len(ret), label=label, months=age.value)))
        m3 = ret[3].dropna() if 3 in ret.columns else pd.Series(dtype=float)
        summary = Msg("{n} cohorts. Month-3 retention ranges from {low:.0f} % to {high:.0f} %.",
                      n=len(ret), low=100 * m3.min(), high=100 * m3.max()) if len(m3) else ""
        status.value = f"<p>{html.escape(tr(summary))}</p>" if len(m3) else ""
        table.value = percent_table(ret.loc[:, [a for a in ret.columns if a <= min(age.value, 12)]],
                                  tr("The numbers behind the map (share still subscribed)"), "{:.0%}")

    who.observe(draw, names=["value"])
    age.observe(draw, names=["value"])
    draw()
    box = w.VBox([w.HBox([who, age]), status, chart, table])
    box.add_class("ctopath-cohort-explorer")
    return Explorer(box, tr("Cohort explorer (accounts by channel or segment → retention heat map)"))


def _deal_count(deals: pd.DataFrame, closed_only: bool) -> str:
    """The deals the funnel chart counts, in words: closed ones only, or all of them."""
    open_deals = int((deals["status"] == "open").sum())
    if closed_only:
        return Msg("{closed} closed deals; {open} open ones not counted", closed=len(deals) - open_deals,
                   open=open_deals)
    return Msg("{n} deals, {open} of them still open", n=len(deals), open=open_deals)


def funnel_explorer(deals: pd.DataFrame | None = None):
    """Pick a channel, a segment or an owner → the funnel, its step conversions and the leaking step."""
    import ipywidgets as w

    from ... import data
    from ...models import funnel

    deals = data.load("deals") if deals is None else deals
    options = [(tr("all deals"), ("all", None))]
    labels = {"channel": lambda v: Msg("channel: {value}", value=v), "segment": lambda v: Msg("segment: {value}", value=v),
              "owner": lambda v: Msg("owner: {value}", value=v)}
    for col in ("channel", "segment", "owner"):
        options += [(tr(labels[col](v)), (col, v)) for v in sorted(deals[col].unique())]
    pick = w.Dropdown(options=options, value=("all", None), description=tr("Deals:"),
                      style={"description_width": "initial"}, layout=w.Layout(width="360px"))
    # The default checkbox is 300 px wide and cuts a long label: let it take the width its label needs.
    closed = w.Checkbox(value=True, description=tr("closed deals only (open ones are still moving)"), indent=False,
                        style={"description_width": "initial"}, layout=w.Layout(width="auto"))
    chart = controls.Chart()
    out = controls.LiveHTML()
    out.add_class("ctopath-feedback")

    def draw(_=None):
        col, value = pick.value
        subset = deals if col == "all" else deals[deals[col] == value]
        try:
            counts = funnel.stage_counts(subset, closed_only=closed.value)
            conv = funnel.stage_conversion(subset, closed_only=closed.value)
        except ValueError as err:
            out.value = f"⚠️ {html.escape(tr(err.args[0] if len(err.args) == 1 else str(err)))}"
            return
        label = dict((v, k) for k, v in pick.options)[pick.value]
        chart.show(quick_png(funnel_figure(counts, Msg("The sales funnel — {label}", label=label))),
                   tr(Msg("Funnel of {label}: {counts} deals; each step's conversion is in the table below.",
                          label=label, counts=", ".join(f"{k} {int(v)}" for k, v in counts.items()))))
        worst = conv.dropna().idxmin() if conv.notna().any() else tr("n/a")
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{'' if pd.isna(v) else f'{100 * v:.0f} %'}</td></tr>"
                       for k, v in conv.items())
        out.value = (f"<table class='ctopath-table'><tr><th>{html.escape(tr('step'))}</th>"
                     f"<th>{html.escape(tr('conversion'))}</th></tr>{rows}</table>"
                     + "<p>" + tr(Msg("Leaking step: <strong>{step}</strong> ({deals}).", step=html.escape(worst),
                                      deals=_deal_count(subset, closed.value))) + "</p>")

    pick.observe(draw, names=["value"])
    closed.observe(draw, names=["value"])
    draw()
    box = w.VBox([w.HBox([pick, closed], layout=w.Layout(flex_flow="row wrap", align_items="center")), chart, out])
    box.add_class("ctopath-funnel-explorer")
    return Explorer(box, tr("Funnel explorer (deals by channel, segment or owner → funnel and leaking step)"))
