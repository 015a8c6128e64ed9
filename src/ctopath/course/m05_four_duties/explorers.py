"""Module 05's figures and explorers: DORA's four keys, coverage, the board's dashboard, error budgets.

Figures are plain functions returning a matplotlib Figure; explorers render into widgets.
Nothing is loaded at import time.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...engine import controls
from ...engine.i18n import Msg, tr
from ..explorer import Explorer, pyplot, quick_png


_STATUS_COLOURS = {"on track": "#2d7d46", "at risk": "#b7791f", "off track": "#c53030"}


# kpi_results' key results, by their English names in the data
_KEY_RESULTS = {str(name): name for name in (
    Msg("Net new MRR"), Msg("New chain contracts"), Msg("Self-serve monthly logo churn"),
    Msg("7-day activation, self-serve sign-ups"), Msg("Trials with an onboarding call within 2 days"),
    Msg("Back-office stickiness (DAU/MAU), small shops"), Msg("Deployments per day"), Msg("Change failure rate"))}

_LEVEL_COLOURS = {"elite": "#1f6f43", "high": "#4f9d69", "medium": "#d69e2e", "low": "#c53030", "n/a": "#999999"}


def dora_figure(keys: pd.DataFrame):
    """The four keys per period (deployment frequency per service), each panel coloured by its DORA level."""
    from ...models import dora

    plt = pyplot()
    levels = dora.levels(keys)
    titles = {"deploys_per_service_day": tr("Deploys per service per day"),
              "lead_time_hours": tr("Lead time for changes (h)"),
              "change_failure_rate": tr("Change failure rate (%)"), "restore_hours": tr("Time to restore (h)")}
    level_names = [tr("elite"), tr("high"), tr("medium"), tr("low")]  # the order of _LEVEL_COLOURS
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.2))
    for ax, key in zip(axes, dora.KEYS):
        vals = keys[key].to_numpy(dtype=float) * (100 if key == "change_failure_rate" else 1)
        colours = [_LEVEL_COLOURS[lv] for lv in levels[key]]
        ax.bar(range(len(vals)), vals, color=colours)
        ax.set_xticks(range(len(vals)))
        ax.set_xticklabels(keys["period"], rotation=60, fontsize=7)
        ax.set_title(titles[key], fontsize=9)
        if key in ("lead_time_hours", "restore_hours"):
            ax.set_yscale("log")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in list(_LEVEL_COLOURS.values())[:4]]
    fig.legend(handles, level_names, loc="upper right", ncol=4, fontsize=8,
               title=tr(Msg("level ({report})", report=dora.REPORT)), title_fontsize=8)
    fig.suptitle(tr("Stabilise the chassis: DORA's four keys per period"), x=0.01, ha="left", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.86))
    return fig


def coverage_figure(mrr: pd.Series, threshold: float, ops_per_account: float, targets: dict | None = None):
    """Ground vs air: the Pareto curve with the line drawn at ``threshold``, and the costs against their targets."""
    from ...models import segmentation

    plt = pyplot()
    curve = segmentation.pareto(mrr)
    result = segmentation.coverage(mrr, threshold, ops_per_account)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    x = 100 * curve["account_share"].to_numpy()
    y = 100 * curve["cumulative_share"].to_numpy()
    ax1.plot(np.r_[0, x], np.r_[0, y], color="#1f5f99", lw=2)
    n = result["accounts_ground"]
    if n:
        ax1.fill_between(np.r_[0, x[:n]], np.r_[0, y[:n]], color="#7a4b00", alpha=0.25,
                         label=tr(Msg("ground: {n} accounts, {coverage:.0f} % of MRR", n=n,
                                      coverage=100 * result["coverage"])))
    ax1.fill_between(x[max(n - 1, 0):], y[max(n - 1, 0):], color="#1f5f99", alpha=0.12,
                     label=tr(Msg("air: {n} accounts", n=result["accounts_air"])))
    ax1.set_xlabel(tr("% of paying accounts, largest MRR first"))
    ax1.set_ylabel(tr("cumulative % of MRR"))
    ax1.set_title(tr(Msg("Where the line is drawn: MRR ≥ ¥{threshold:,.0f} → sales", threshold=threshold)),
                  loc="left", fontsize=10)
    ax1.legend(loc="lower right", fontsize=8)
    ax1.set_xlim(0, 100)
    ax1.set_ylim(0, 100)
    names = [tr("coverage"), tr("sales cost\n÷ covered MRR"), tr("long-tail\nchurn ×10"), tr("total cost\n÷ MRR")]
    vals = [100 * result["coverage"], 100 * result["ground_cost_ratio"] if n else 0.0,
            1000 * result["air_churn"] if result["accounts_air"] else 0.0, 100 * result["total_cost_ratio"]]
    ax2.bar(range(4), vals, color=["#7a4b00", "#7a4b00", "#1f5f99", "#555555"])
    if targets:
        for i, key in enumerate(("coverage", "ground_cost_ratio", "air_churn", "total_cost_ratio")):
            if key in targets:
                t = targets[key] * (1000 if key == "air_churn" else 100)
                ax2.plot([i - 0.4, i + 0.4], [t, t], color="black", lw=2)
    ax2.set_xticks(range(4))
    ax2.set_xticklabels(names, fontsize=8)
    ax2.set_ylabel(tr("%  (black line: target)"))
    ax2.set_title(tr(Msg("Operations spend ¥{spend:,.0f} per long-tail account a month", spend=ops_per_account)),
                  loc="left", fontsize=10)
    fig.tight_layout()
    return fig


def results_dashboard(kpis: pd.DataFrame, quarter: str, mrr_by_segment: pd.DataFrame, keys: pd.DataFrame,
                      conversion: pd.Series):
    """A one-page results dashboard for a board: key results, MRR, delivery and the funnel."""
    from ...models import kpi

    plt = pyplot()
    review = kpi.quarter_review(kpis, quarter)
    last_month = str(pd.Period(quarter, freq="Q").end_time.to_period("M"))
    mrr_by_segment = mrr_by_segment[mrr_by_segment.index.astype(str) <= last_month]
    keys = keys[keys["period"].astype(str) <= quarter]

    def fmt(v):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.4g}"

    fig = plt.figure(figsize=(11, 6.2))
    grid = fig.add_gridspec(2, 2, width_ratios=(1.2, 1), hspace=0.45, wspace=0.35, left=0.27, right=0.95)
    ax = fig.add_subplot(grid[:, 0])
    rows = review.iloc[::-1]
    y = np.arange(len(rows))
    ax.barh(y, 100 * rows["adverse_pct"].clip(-0.6, 0.6), color=[_STATUS_COLOURS[s] for s in rows["status"]])
    ax.axvline(0, color="black", lw=1)
    ax.axvline(10, color="#b7791f", lw=1, ls=":")
    ax.set_yticks(y)
    # the key results' names and kinds come from the data: named here so the catalog can translate them
    kinds = {"leading": tr("lead."), "lagging": tr("lagg.")}
    statuses = {"on track": tr("on track"), "at risk": tr("at risk"), "off track": tr("off track")}
    ax.set_yticklabels([tr(Msg("{key_result} ({kind})", key_result=_KEY_RESULTS.get(k, k),
                               kind=kinds.get(kind, kind[:4] + ".")))
                        for k, kind in zip(rows["key_result"], rows["kind"])], fontsize=8)
    for yi, (_, r) in zip(y, rows.iterrows()):
        ax.text(61, yi, tr(Msg("{actual} vs {plan}\n{status}", actual=fmt(r["actual"]), plan=fmt(r["plan"]),
                               status=statuses.get(r["status"], r["status"]))), va="center", fontsize=7.5)
    ax.set_xlim(-60, 110)
    ax.set_xlabel(tr("adverse variance, % of plan (right of 0 = worse than plan; dotted line: off track)"))
    ax.set_title(tr(Msg("{quarter} key results: actual vs plan", quarter=quarter)), loc="left", fontsize=10)
    ax2 = fig.add_subplot(grid[0, 1])
    segments = {"chain": tr("chain"), "smb": tr("smb")}
    x = np.arange(len(mrr_by_segment))
    ax2.stackplot(x, *[mrr_by_segment[c].to_numpy(dtype=float) for c in mrr_by_segment.columns],
                  labels=[segments.get(c, c) for c in mrr_by_segment.columns], colors=["#7a4b00", "#1f5f99"], alpha=0.7)
    ticks = x[::6]
    ax2.set_xticks(ticks)
    ax2.set_xticklabels([mrr_by_segment.index[i] for i in ticks], fontsize=7)
    ax2.legend(loc="upper left", fontsize=8)
    ax2.set_title(tr("MRR by segment (CNY)"), loc="left", fontsize=10)
    ax3 = fig.add_subplot(grid[1, 1])
    ax3.plot(keys["period"], keys["deploys_per_day"], marker="o", color="#2d7d46", label=tr("deploys per day (all services)"))
    ax3b = ax3.twinx()
    ax3b.plot(keys["period"], 100 * keys["change_failure_rate"], marker="s", color="#c53030", label=tr("change failure %"))
    ax3.set_title(tr("Delivery: faster and safer"), loc="left", fontsize=10)
    ax3.tick_params(axis="x", labelsize=7, rotation=45)
    ax3.set_ylabel(tr("deploys / day"), color="#2d7d46")
    ax3b.set_ylabel(tr("change failure %"), color="#c53030")
    fig.suptitle(tr(Msg("Larkspur Retail Cloud — results, {quarter} (fictional data)", quarter=quarter)),
                 x=0.01, ha="left", fontsize=13)
    steps = " · ".join(f"{k} {100 * v:.0f}%" for k, v in conversion.items())  # stage names and figures
    fig.text(0.01, 0.01, tr(Msg("Sales funnel conversion: {steps}", steps=steps)), fontsize=8, color="#444")
    return fig


def budget_explorer(availability: pd.DataFrame | None = None, slos: pd.DataFrame | None = None):
    """Pick a service → how its Q2 error budget burnt down, day by day."""
    import ipywidgets as w

    from ... import data
    from ...models import dora

    availability = data.load("availability") if availability is None else availability
    slos = data.load("slos") if slos is None else slos
    pick = w.Dropdown(options=list(slos["service"]), value=list(slos["service"])[0], description=tr("Service:"),
                      style={"description_width": "initial"})
    chart = controls.Chart()
    out = controls.LiveHTML()
    out.add_class("ctopath-feedback")

    def draw(_=None):
        plt = pyplot()
        burn = dora.budget_burn(availability, slos, pick.value)
        fig, ax = plt.subplots(figsize=(9, 3.2))
        ax.plot(pd.to_datetime(burn["date"]), burn["budget_used_pct"], color="#1f5f99", lw=2)
        ax.axhline(100, color="#c53030", ls="--", lw=1)
        ax.set_ylabel(tr("% of the quarter's error budget used"))
        slo = float(slos.set_index("service").at[pick.value, "slo_pct"])
        ax.set_title(tr(Msg("{service}: SLO {slo:g} %, Q2 2026", service=pick.value, slo=slo)), loc="left")
        fig.tight_layout()
        used = float(burn['budget_used_pct'].iloc[-1])
        chart.show(quick_png(fig), tr(Msg("Line chart of {service}'s error budget used day by day in Q2 2026, "
                                          "ending at {used:.1f} % of the budget (the dashed line is 100 %); "
                                          "what is left and the worst day are in the text below.",
                                          service=pick.value, used=used)))
        left = 100 - float(burn["budget_used_pct"].iloc[-1])
        jump = burn["budget_used_pct"].diff().fillna(burn["budget_used_pct"])
        worst = burn.loc[jump.idxmax(), "date"]
        out.value = "<p>" + tr(Msg("Budget left at the end of June: <strong>{left:.1f} %</strong>. The worst day "
                                   "was {worst} ({jump:.1f} % of the budget in one day).", left=left,
                                   worst=f"{pd.Timestamp(worst):%Y-%m-%d}", jump=jump.max())) + "</p>"

    pick.observe(draw, names=["value"])
    draw()
    box = w.VBox([pick, chart, out])
    box.add_class("ctopath-budget-explorer")
    return Explorer(box, tr("Error-budget explorer (a service → its budget burning down over Q2)"))


def coverage_explorer(mrr: pd.Series | None = None):
    """Move the ground/air line and the operations spend → the Pareto picture and the costs."""
    import ipywidgets as w

    from ... import data
    from ...models import segmentation

    mrr = segmentation.mrr_in(data.load("subscriptions")) if mrr is None else mrr
    line = controls.FloatLogSlider(value=2000, base=10, min=2, max=4, step=0.05, description=tr("Sales line (MRR ≥ ¥):"),
                            continuous_update=False, style={"description_width": "initial"},
                            layout=w.Layout(width="480px"))
    spend = controls.FloatSlider(value=60, min=0, max=150, step=5, description=tr("Ops ¥ per long-tail account:"),
                          continuous_update=False, style={"description_width": "initial"},
                          layout=w.Layout(width="480px"))
    chart = controls.Chart()
    out = controls.LiveHTML()
    out.add_class("ctopath-feedback")

    def draw(_=None):
        r = segmentation.coverage(mrr, line.value, spend.value)
        chart.show(quick_png(coverage_figure(mrr, line.value, spend.value)),
                   tr(Msg("Pareto chart of {n} accounts' MRR, largest first: the {ground} above the sales line "
                          "hold {coverage:.1f} % of MRR (the costs are in the text above).", n=len(mrr),
                          ground=r["accounts_ground"], coverage=100 * r["coverage"])))
        churn = tr("n/a") if math.isnan(r["air_churn"]) else f"{100 * r['air_churn']:.2f} %"
        out.value = "<p>" + tr(Msg("{ground} accounts with sales ({reps} rep(s), ¥{ground_cost:,.0f}/month) cover "
                                   "{coverage:.1f} % of MRR; {air} accounts with operations (¥{air_cost:,.0f}/month, "
                                   "long-tail churn {churn}).", ground=r["accounts_ground"], reps=r["reps"],
                                   ground_cost=r["ground_cost"], coverage=100 * r["coverage"],
                                   air=r["accounts_air"], air_cost=r["air_cost"], churn=churn)) + "</p>"

    line.observe(draw, names=["value"])
    spend.observe(draw, names=["value"])
    draw()
    box = w.VBox([line, spend, out, chart])
    box.add_class("ctopath-coverage-explorer")
    return Explorer(box, tr("Ground vs air explorer (move the sales line and the operations spend)"))
