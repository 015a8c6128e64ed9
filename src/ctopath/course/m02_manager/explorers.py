"""Module 02's figures and explorers: the plan, its critical path and the risk of a promise."""
from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from ...engine import controls
from ...engine.i18n import Msg, tr
from ...engine.widgets import figure_png
from ..explorer import STYLE as _STYLE, Explorer, table_html

PROJECT_START = "2026-07-06"
DEADLINE = "2026-08-28"


def gantt_figure(cpm: pd.DataFrame, names: dict | None = None, title: str = Msg("The plan")):
    """Bars from earliest start to earliest finish; critical tasks dark, the rest light with their slack."""
    import matplotlib.pyplot as plt

    rows = cpm.iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(rows) + 1.2))
    for y, r in enumerate(rows.itertuples(index=False)):
        colour = "#cf222e" if r.critical else "#8fb3d9"
        ax.barh(y, r.duration, left=r.earliest_start, color=colour, edgecolor="#333", linewidth=0.4)
        if not r.critical and r.slack > 0:
            ax.barh(y, r.slack, left=r.earliest_finish, color="none", edgecolor="#8fb3d9", hatch="//",
                    linewidth=0.4)
    labels = [f"{t} {names.get(t, '')[:28]}" if names else t for t in rows.task_id]
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(labels, fontsize=7)
    ax.set_xlabel(tr("working days from the start"))
    ax.set_title(tr(Msg("{title}  (red = critical, hatched = slack)", title=title)), fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def finish_histogram(durations, promise: float, deadline: float | None = None):
    """The simulated project durations, with P50, P85 and a promised number of days."""
    import matplotlib.pyplot as plt
    import numpy as np

    from ...models import schedule

    d = np.asarray(durations)
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.hist(d, bins=np.arange(np.floor(d.min()), np.ceil(d.max()) + 1, 1.0), color="#8fb3d9", edgecolor="white")
    for q, style in ((50, ":"), (85, "--")):
        x = schedule.percentile(d, q)
        ax.axvline(x, color="#333", linestyle=style, linewidth=1, label=tr(Msg("P{q}: {x:.1f} days", q=q, x=x)))
    if deadline is not None:
        ax.axvline(deadline, color="#9a6700", linewidth=1, label=tr(Msg("deadline: {deadline:g} days", deadline=deadline)))
    ax.axvline(promise, color="#cf222e", linewidth=2, label=tr(Msg("your promise: {promise:g} days", promise=promise)))
    ax.set_xlabel(tr("project duration (working days)"))
    ax.set_ylabel(tr("simulated runs"))
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def schedule_explorer() -> Explorer:
    """Change a task's estimate, or put more people on it, and see the new critical path and finish date."""
    from ... import data
    from ...models import schedule

    tasks = data.load("project_tasks")
    names = dict(zip(tasks.task_id, tasks.task_name))
    base = dict(zip(tasks.task_id, tasks.likely_days.astype(float)))
    estimates = dict(base)
    extra = dict.fromkeys(base, 0)
    deadline_days = schedule.working_days_between(PROJECT_START, DEADLINE)

    picker = w.Dropdown(options=[(f"{t} · {names[t]}", t) for t in tasks.task_id], value="T03",
                        description=tr("Task:"), style=_STYLE, layout=w.Layout(width="420px"))
    estimate = controls.IntSlider(value=int(base["T03"]), min=1, max=30, description=tr("Estimate (working days):"),
                           style=_STYLE, continuous_update=False, layout=w.Layout(width="420px"))
    people = controls.IntSlider(value=0, min=0, max=3, description=tr("Extra people on it:"), style=_STYLE,
                         continuous_update=False, layout=w.Layout(width="420px"))
    reset = w.Button(description=tr("Back to the plan"), tooltip=tr("Restore every task's likely estimate"))
    summary = w.HTML()
    summary.add_class("ctopath-schedule-summary")
    chart = controls.Chart()
    changed = w.HTML()
    busy = {"on": False}

    def durations():
        return {t: schedule.with_extra_people(estimates[t], extra[t]) for t in estimates}

    def draw(_=None):
        d = durations()
        cpm = schedule.critical_path_table(tasks, d)
        days = float(cpm.earliest_finish.max())
        finish = schedule.finish_date(PROJECT_START, days)
        margin = deadline_days - int(-(-days // 1))
        verdict = (Msg("{margin} working day(s) before the deadline", margin=margin) if margin > 0 else
                   Msg("on the deadline itself") if margin == 0 else Msg("{late} working day(s) late", late=-margin))
        path = " → ".join(schedule.critical_path(tasks, d))
        # the template keeps its <strong> and <br>; the values filled in are escaped first
        summary.value = "<p>" + tr(Msg("<strong>Finish: {finish:%A %d %B %Y}</strong> — {days:.2f} working days, "
                                       "{verdict} ({deadline}).<br>Critical path: {path}",
                                       finish=finish, days=days, verdict=html.escape(tr(verdict)),
                                       deadline=DEADLINE, path=html.escape(path))) + "</p>"
        diff = [(t, names[t], base[t], estimates[t], extra[t], round(d[t], 2)) for t in estimates
                if estimates[t] != base[t] or extra[t]]
        columns = [tr("task"), tr("name"), tr("plan"), tr("your estimate"), tr("extra people"), tr("duration used")]
        changed.value = (table_html(pd.DataFrame(diff, columns=columns),
                                    tr("What you changed (Brooks's law: a new person needs 2 days to ramp up, "
                                       "and each adds 15 % coordination)"))
                         if diff else "<p><em>" + html.escape(tr("No changes yet: this is the plan with the likely "
                                                                 "estimates.")) + "</em></p>")
        chart.show(figure_png(gantt_figure(cpm, names, Msg("Points at checkout"))),
                   tr(Msg("Gantt chart of the {n} tasks: the project finishes after {days:.2f} working days, "
                          "critical path {path} (the finish date and path are also in the text above).",
                          n=len(cpm), days=days, path=path)))

    def pick(_=None):
        busy["on"] = True
        estimate.value = int(estimates[picker.value])
        people.value = extra[picker.value]
        busy["on"] = False

    def change(_=None):
        if busy["on"]:
            return
        estimates[picker.value] = float(estimate.value)
        extra[picker.value] = int(people.value)
        draw()

    def restore(_=None):
        estimates.update(base)
        extra.update(dict.fromkeys(base, 0))
        pick()
        draw()

    picker.observe(pick, names=["value"])
    estimate.observe(change, names=["value"])
    people.observe(change, names=["value"])
    reset.on_click(restore)
    draw()
    box = w.VBox([w.HTML("<h4>" + html.escape(tr("Schedule explorer: change an estimate, add a person")) + "</h4>"),
                  picker, estimate, people, reset, summary, changed, chart])
    box.add_class("ctopath-schedule-explorer")
    return Explorer(box, tr("Schedule explorer (change an estimate or add a person → new critical path and date)"))


def finish_risk_explorer(runs: int = 2000, seed: int = 2026) -> Explorer:
    """Pick a number of working days to promise; see how often the simulated project makes it."""
    from ... import data
    from ...models import schedule

    tasks = data.load("project_tasks")
    d = schedule.simulate_durations(tasks, runs=runs, seed=seed)
    deadline_days = schedule.working_days_between(PROJECT_START, DEADLINE)
    plan = schedule.project_duration(tasks)
    promise = controls.IntSlider(value=deadline_days, min=int(plan) - 2, max=int(d.max()) + 1,
                          description=tr("Promise (working days):"), style=_STYLE, continuous_update=False,
                          layout=w.Layout(width="420px"))
    text = w.HTML()
    text.add_class("ctopath-risk-summary")
    chart = controls.Chart()

    def draw(_=None):
        p = schedule.on_time_probability(d, promise.value)
        date = schedule.finish_date(PROJECT_START, promise.value)
        late = Msg("one time in {every:.1f}", every=1 / (1 - p)) if p < 1 else Msg("never")
        text.value = "<p>" + tr(Msg("Promise <strong>{date:%a %d %b %Y}</strong> ({days} working days): "
                                    "on time in <strong>{p:.0%}</strong> of {runs:,} simulated projects — late "
                                    "{late}.<br>The single-number plan says {plan:g} days; P50 {p50:.1f}, "
                                    "P85 {p85:.1f}.", date=date, days=promise.value, p=p, runs=runs, late=late,
                                    plan=plan, p50=schedule.percentile(d, 50),
                                    p85=schedule.percentile(d, 85))) + "</p>"
        chart.show(figure_png(finish_histogram(d, promise.value, deadline_days)),
                   tr(Msg("Histogram of {runs:,} simulated finish times, from {low:.0f} to {high:.0f} working days; "
                          "{p:.0%} of them finish within the promise of {days} days.", runs=runs,
                          low=float(min(d)), high=float(max(d)), p=p, days=promise.value)))

    promise.observe(draw, names=["value"])
    draw()
    box = w.VBox([w.HTML("<h4>" + html.escape(tr("Which date do you promise?")) + "</h4>"), promise, text, chart])
    box.add_class("ctopath-risk-explorer")
    return Explorer(box, tr("Finish-date risk explorer (choose a promise → chance of being on time)"))
