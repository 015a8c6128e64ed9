"""Module 06 explorers: the simulation dashboard and the 90-day-plan widget.

Like :mod:`ctopath.course.explorer`, they render into HTML and Image widgets (never print), so
stored notebook outputs stay stable; the figures come from :mod:`ctopath.models.simulation`
and the plan text from :mod:`ctopath.models.plan90`.
"""
from __future__ import annotations

import datetime as _dt
import html

import ipywidgets as w
import pandas as pd

from ...engine import controls
from ...engine.i18n import Msg, tr
from ...engine.progress import ProgressStore
from ...engine.widgets import figure_png, markdown
from ...models import simulation as sim
from ..explorer import Explorer, table_html

AREA_COLOURS = {"features": "#1f5f99", "platform": "#2d6a2d", "custom": "#9a6700", "growth": "#8e44ad"}
#: The plan's columns as a learner reads them (the keys are the simulation's names).
COLUMN_NAMES = {"features": Msg("features"), "platform": Msg("platform"), "custom": Msg("custom"),
                "growth": Msg("growth"), "hires": Msg("hires")}


# ---------------------------------------------------------------------------
# Figures (matplotlib only; shared with the model exercise 06.1)
# ---------------------------------------------------------------------------


def course_outline() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The workshop's modules as the 90-day plan lists them: number, title, (id, title) of each exercise."""
    from ...course import all_modules

    return [(m.number, m.title, [(ex.id, ex.title) for ex in m.exercises]) for m in all_modules()]

def _title(ax, text):
    """A panel title drawn as plain text: much cheaper to render than ``set_title`` (no auto-placement)."""
    ax.text(0, 1.03, tr(text), fontsize=10, transform=ax.transAxes)


def _error_text(err: Exception) -> str:
    """An error's sentence in the learner's language (a ``Msg`` raised keeps its template in ``args``)."""
    return tr(err.args[0]) if len(err.args) == 1 and isinstance(err.args[0], str) else str(err)


def dashboard_figure(result: pd.DataFrame, start=None, assumptions: sim.Assumptions = sim.DEFAULT,
                     upto: int | None = None, title: str = ""):
    """Four panels: ARR against the targets, cash, health and incidents, where the capacity went.

    A plain ``Figure`` (not pyplot): it is never shown by itself, only rendered into the dashboard's image.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    t = sim.targets(start, assumptions)
    upto = sim.QUARTERS if upto is None else max(0, min(int(upto), sim.QUARTERS))
    shown = result[result["quarter"] <= upto]
    played = shown[shown["quarter"] >= 1]
    q_all = list(range(0, sim.QUARTERS + 1))
    fig = Figure(figsize=(9.5, 6.0))
    axes = fig.subplots(2, 2, sharex=True)
    (ax_arr, ax_cash), (ax_health, ax_cap) = axes

    ax_arr.plot(shown["quarter"], shown["arr_cny"] / 1e6, marker="o", color="#1f5f99", label=tr("ARR"))
    ax_arr.hlines([t["arr_q4_min_cny"] / 1e6, t["arr_q8_min_cny"] / 1e6], [3.6, 7.6], [4.4, 8.4],
                  color="#cf222e", linewidth=3, label=tr("targets (Q4 milestone, Q8)"))
    _title(ax_arr, Msg("ARR (million CNY) · red bars: the targets at Q4 and Q8"))
    ax_arr.set_ylim(0, max(t["arr_q8_min_cny"], float(result["arr_cny"].max())) / 1e6 * 1.15)

    colours = ["#cf222e" if v < 0 else "#57606a" for v in shown["cash_cny"]]
    ax_cash.bar(shown["quarter"], shown["cash_cny"] / 1e6, color=colours)
    ax_cash.axhline(0, color="black", linewidth=0.8)
    _title(ax_cash, Msg("Cash at quarter end (million CNY; red < 0)"))

    ax_health.plot(shown["quarter"], shown["health"], marker="o", color="#2d6a2d", label=tr("platform health (0–100)"))
    ax_health.axhline(t["health_q8_min"], color="#2d6a2d", linestyle=":", linewidth=1,
                      label=tr(Msg("health target (≥ {target:g})", target=t["health_q8_min"])))
    ax_health.set_ylim(0, 105)
    ax_health.set_yticks(range(0, 101, 20))
    ax_inc = ax_health.twinx()
    ax_inc.bar(shown["quarter"], shown["incidents"], color="#cf222e", alpha=0.3, width=0.5, label=tr("incidents"))
    ax_inc.axhline(t["incidents_q8_max"], color="#cf222e", linestyle="--", linewidth=1,
                   label=tr(Msg("incident limit (≤ {limit:g})", limit=t["incidents_q8_max"])))
    ax_inc.set_ylim(0, max(t["incidents_q8_max"], float(result["incidents"].max())) * 1.25)
    _title(ax_health, Msg("Health (line; dotted ≥ {target:g}) · incidents (bars; dashed ≤ {limit:g})",
                          target=t["health_q8_min"], limit=t["incidents_q8_max"]))
    ax_health.set_zorder(ax_inc.get_zorder() + 1)
    ax_health.patch.set_visible(False)

    bottom = pd.Series(0.0, index=played.index)
    for area in sim.AREAS:
        work = played[area] / 100 * played["capacity"]
        ax_cap.bar(played["quarter"], work, bottom=bottom, color=AREA_COLOURS[area], label=tr(COLUMN_NAMES[area]))
        bottom = bottom + work
    lost = played["productive"] * played["speed"] * played["firefighting"]
    ax_cap.bar(played["quarter"], lost, bottom=bottom, color="#f4c7c3", label=tr("lost to firefighting"))
    _title(ax_cap, Msg("Where the capacity went (engineer-quarters)"))
    ax_cap.legend(fontsize=7, ncol=3, loc="upper left")
    top = float((result["productive"] * result["speed"]).max()) if len(result) > 1 else 1.0
    ax_cap.set_ylim(0, (top if top == top else 1.0) * 1.45)

    ax_cap.set_xticks(q_all)
    ax_cap.set_xlim(-0.5, sim.QUARTERS + 0.5)
    for ax in (ax_arr, ax_cash, ax_cap, ax_inc):
        ax.yaxis.set_major_locator(MaxNLocator(4))
    for ax in (ax_arr, ax_cash, ax_health, ax_cap, ax_inc):
        ax.tick_params(labelsize=8)
    # (no grid, and legends only where colours need one: text is what costs time to draw)
    for ax in (ax_health, ax_cap):
        ax.set_xlabel(tr("quarter (0 = today, 30 June 2026)"), fontsize=8)
    if title:
        fig.suptitle(tr(title), fontsize=11, x=0.01, ha="left")
    fig.subplots_adjust(left=0.06, right=0.95, bottom=0.09, top=0.88 if title else 0.95, wspace=0.22, hspace=0.2)
    return fig


def compare_figure(results: dict):
    """ARR and platform health of several plans on the same axes."""
    import matplotlib.pyplot as plt

    t = sim.targets()
    fig, (ax_arr, ax_health) = plt.subplots(1, 2, figsize=(10, 3.6))
    styles = ["-o", "-s", "-^", "-d", "-v"]
    for (name, result), style in zip(results.items(), styles):
        ax_arr.plot(result["quarter"], result["arr_cny"] / 1e6, style, label=tr(name), markersize=4)
        ax_health.plot(result["quarter"], result["health"], style, label=tr(name), markersize=4)
    ax_arr.plot([4, 8], [t["arr_q4_min_cny"] / 1e6, t["arr_q8_min_cny"] / 1e6], "x", color="#cf222e",
                markersize=10, mew=2, label=tr("ARR targets"))
    ax_health.axhline(t["health_q8_min"], color="#cf222e", linestyle=":", linewidth=1, label=tr("health target"))
    _title(ax_arr, Msg("ARR (million CNY)"))
    _title(ax_health, Msg("Platform health (0–100)"))
    for ax in (ax_arr, ax_health):
        ax.set_xticks(range(0, sim.QUARTERS + 1))
        ax.set_xlabel(tr("quarter"), fontsize=8)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def _result_table(result: pd.DataFrame, upto: int) -> pd.DataFrame:
    shown = result[result["quarter"] <= upto]
    return pd.DataFrame({
        Msg("quarter"): shown["label"],
        Msg("ARR (CNY)"): shown["arr_cny"].round(0).astype("int64"),
        Msg("cash (CNY)"): shown["cash_cny"].round(0).astype("int64"),
        Msg("smb"): shown["smb"].round(0).astype("int64"),
        Msg("chains"): shown["chains"].round(1),
        Msg("health"): shown["health"].round(1),
        Msg("incidents"): shown["incidents"].round(1),
        Msg("engineers"): shown["engineers"].astype("int64"),
        Msg("capacity"): shown["capacity"].round(1).fillna(0),
    })


def _targets_html(result: pd.DataFrame) -> str:
    labels = sim.target_labels()
    met = sim.check_targets(result)
    items = "".join(f"<li>{html.escape(tr('✓ met') if met[k] else tr('✗ not met'))} — {html.escape(tr(labels[k]))}</li>"
                    for k in labels)
    notes = "".join(f"<li>{html.escape(tr(n))}</li>" for n in sim.diagnose(result))
    count = html.escape(tr(Msg("{met} of {total} targets met", met=sum(met.values()), total=len(met))))
    return (f"<p><strong>{count}</strong></p><ul>{items}</ul>"
            + (f"<p><strong>{html.escape(tr('What drove it'))}</strong></p><ul>{notes}</ul>" if notes else ""))


# ---------------------------------------------------------------------------
# The simulation dashboard: a per-quarter plan table, Run, replay
# ---------------------------------------------------------------------------

def preset_plans() -> dict:
    """Name → 8-quarter plan, for the dashboard's picker (not the winning plan: that is exercise 06.1)."""
    return {
        Msg("Status quo ({features} % features, {custom} % custom, {platform} % platform, no hires)",
            features=sim.STATUS_QUO["features"], custom=sim.STATUS_QUO["custom"],
            platform=sim.STATUS_QUO["platform"]): sim.plan_from_phases(sim.STATUS_QUO),
        Msg("All features"): sim.archetype("all_features"),
        Msg("All platform"): sim.archetype("all_platform"),
        Msg("Even split (25 % each, 1 hire a quarter)"): sim.plan_from_phases(
            {"features": 25, "platform": 25, "custom": 25, "growth": 25, "hires": 1}),
    }


def simulation_dashboard(preset: str | None = None) -> Explorer:
    """Edit the plan quarter by quarter (or pick a preset), press Run, replay the quarters."""
    presets = preset_plans()
    names = list(presets)
    picker = w.Dropdown(options=[(tr(name), name) for name in names], value=preset if preset in presets else names[0],
                        description=tr("Start from:"), style={"description_width": "initial"},
                        layout=w.Layout(width="520px"))
    columns = list(sim.AREAS) + ["hires"]
    header = [w.HTML(f"<strong>{html.escape(tr('quarter'))}</strong>")] + [
        w.HTML(f"<strong>{html.escape(tr(COLUMN_NAMES[c]))}{' %' if c in sim.AREAS else ''}</strong>") for c in columns]
    cells: dict[tuple[int, str], w.BoundedIntText] = {}
    grid_children = list(header)
    for q in range(1, sim.QUARTERS + 1):
        grid_children.append(w.HTML(f"{q} · {sim.QUARTER_LABELS[q - 1]}"))
        for c in columns:
            # The description names the box for a screen reader (the column header and the row
            # label beside it are not attached to it); at zero width it does not crowd the grid.
            box = w.BoundedIntText(value=0, min=0, max=100 if c in sim.AREAS else sim.MAX_HIRES_PER_QUARTER,
                                   step=5 if c in sim.AREAS else 1, layout=w.Layout(width="80px"),
                                   description=tr(Msg("Quarter {q}, {column} %", q=q, column=COLUMN_NAMES[c])
                                                  if c in sim.AREAS else Msg("Quarter {q}, {column}", q=q,
                                                                             column=COLUMN_NAMES[c])),
                                   style={"description_width": "0px"},
                                   tooltip=tr(Msg("quarter {q}: {column}", q=q, column=COLUMN_NAMES[c])))
            cells[(q, c)] = box
            grid_children.append(box)
    grid = w.GridBox(grid_children, layout=w.Layout(grid_template_columns="120px " + "90px " * len(columns)))
    price = controls.FloatSlider(value=1.0, min=sim.PRICE_RANGE[0], max=sim.PRICE_RANGE[1], step=0.05,
                          description=tr("Price index (1.0 = today):"), continuous_update=False,
                          style={"description_width": "initial"}, layout=w.Layout(width="520px"))
    run = w.Button(description=tr("Run"), button_style="primary", tooltip=tr("Play the eight quarters with this plan"))
    run.add_class("ctopath-run")
    replay = controls.IntSlider(value=sim.QUARTERS, min=0, max=sim.QUARTERS, description=tr("Show up to quarter:"),
                         continuous_update=False, style={"description_width": "initial"},
                         layout=w.Layout(width="520px"))
    chart = controls.Chart()
    chart.add_class("ctopath-chart")
    targets = controls.LiveHTML()
    targets.add_class("ctopath-feedback")
    table = w.HTML()
    state: dict = {"result": None}

    def fill(_=None):
        for q, row in enumerate(presets[picker.value], start=1):
            for c in columns:
                cells[(q, c)].value = int(row.get(c, 0))
        price.value = float(presets[picker.value][0].get("price", 1.0))

    def draw(_=None):
        result = state["result"]
        if result is None:
            return
        upto = replay.value
        chart.show(figure_png(dashboard_figure(result, upto=upto)),
                   tr(Msg("Dashboard charts of the simulated company up to quarter {upto}; "
                          "the same figures, quarter by quarter, are in the table below.", upto=upto)))
        shown = _result_table(result, upto).rename(columns=tr)
        shown[shown.columns[0]] = shown[shown.columns[0]].replace({"start": tr("start")})  # row 0: today
        table.value = table_html(shown, tr(Msg("Quarter by quarter, up to quarter {upto}", upto=upto)))

    def play(_=None):
        plan = [{**{c: cells[(q, c)].value for c in columns}, "price": price.value}
                for q in range(1, sim.QUARTERS + 1)]
        try:
            result = sim.simulate(plan)
        except ValueError as err:
            state["result"] = None
            targets.value = f"<p>⚠️ {html.escape(_error_text(err))}</p>"
            return
        state["result"] = result
        targets.value = _targets_html(result)
        if replay.value != sim.QUARTERS:
            replay.value = sim.QUARTERS  # redraws through the observer
        else:
            draw()

    picker.observe(fill, names=["value"])
    replay.observe(draw, names=["value"])
    run.on_click(play)
    fill()
    play()
    box = w.VBox([w.HTML(f"<h4>{html.escape(tr('The simulation dashboard: your plan, quarter by quarter'))}</h4>"
                         "<p>" + tr("Pick a starting plan, change any cell (each quarter's four shares must add up "
                                    "to 100 %), press <strong>Run</strong>; then move the quarter slider to replay.")
                         + "</p>"),
                  picker, grid, price, run, targets, replay, chart, table])
    box.add_class("ctopath-simulation-dashboard")
    return Explorer(box, tr("Simulation dashboard (a plan table, Run, and the dashboard of charts)"))


# ---------------------------------------------------------------------------
# The 90-day plan
# ---------------------------------------------------------------------------

class SavedPlan:
    """A plan that was saved: shows itself as Markdown in a notebook."""

    def __init__(self, text: str, path, note: str = ""):
        self.text, self.path, self.note = text, path, note

    def _repr_markdown_(self) -> str:
        if self.note:
            saved = Msg("_Saved to `{name}` ({note}). Reread it on day 30, 60 and 90._", name=self.path.name,
                        note=self.note)
        else:
            saved = Msg("_Saved to `{name}`. Reread it on day 30, 60 and 90._", name=self.path.name)
        return tr(saved) + "\n\n" + tr(self.text)

    def __repr__(self) -> str:
        return tr(Msg("Your 90-day plan, saved to {path}", path=str(self.path)))


def _learner_inputs(store: ProgressStore):
    """(ratings or None, progress records, saved commitments, a note) from the progress store; never raises."""
    from ...models import plan90

    try:
        data = store.load()
    except Exception as err:  # a damaged store must not stop the lesson; the doctor reports it
        return None, {}, {}, Msg("could not read your progress: {err}", err=str(err))
    notes = data.get("notes", {})
    def note(key):
        value = notes.get(key)
        return value.get("value") if isinstance(value, dict) else None
    ratings, saved = note("self_assessment"), note("plan90")
    remark = ""
    if ratings is not None:
        try:
            plan90.build_plan(ratings, {}, {}, modules=[])
        except ValueError:
            ratings, remark = None, Msg("your saved self-assessment could not be used: redo it in module 00")
    return ratings, data.get("exercises", {}), saved if isinstance(saved, dict) else {}, remark


#: The 90-day plan's text boxes, named as a learner reads them (the keys are ``plan90.COMMITMENTS``).
_BOX_NAMES = {"role": Msg("role"), "business_metric": Msg("business metric"),
              "technical_ambition": Msg("technical ambition"), "day_30": Msg("day 30"), "day_60": Msg("day 60"),
              "day_90": Msg("day 90"), "people": Msg("people")}


class NotSaved:
    """What ``save_my_plan`` returns when there is nothing to save yet."""

    message = Msg("Nothing saved yet: fill in `my_commitments` (its keys are `plan90.COMMITMENTS`) or use the widget "
                  "above. An empty plan is never saved, so it cannot overwrite the one you kept.")

    def _repr_markdown_(self) -> str:
        return "⬜ " + tr(self.message)

    def __repr__(self) -> str:
        return "⬜ " + tr(self.message).replace("`", "")


def save_my_plan(commitments: dict, store: ProgressStore | None = None, path=None,
                 today=None) -> SavedPlan | NotSaved:
    """Build your plan from your self-assessment, your progress and ``commitments``; save it; show it.

    With no commitment written yet (or the ``____`` placeholder) nothing is saved.
    """
    from ...engine.exercise import is_placeholder
    from ...models import plan90

    if commitments is None or is_placeholder(commitments) or (
            isinstance(commitments, dict) and not any(isinstance(v, str) and v.strip() for v in commitments.values())):
        return NotSaved()
    store = store or ProgressStore()
    ratings, records, _, remark = _learner_inputs(store)
    text = plan90.build_plan(ratings, records, commitments, modules=course_outline(),
                             today=today or _dt.date.today())
    where = plan90.save_plan(tr(text), path)
    try:
        store.set_note("plan90", plan90.check_commitments(commitments))
    except Exception:  # noqa: BLE001 - keeping the answers is a convenience; the file is what matters
        pass
    return SavedPlan(text, where, remark)


def plan90_widget(store: ProgressStore | None = None, path=None) -> Explorer:
    """Your self-assessment and progress, your commitments in text boxes → a Markdown plan you save."""
    from ...models import plan90

    store = store or ProgressStore()
    ratings, records, saved, load_note = _learner_inputs(store)
    boxes = {}
    rows = []
    for key, question in plan90.COMMITMENTS.items():
        start = saved.get(key, "") if isinstance(saved, dict) and isinstance(saved.get(key, ""), str) else ""
        area = w.Textarea(value=start, placeholder=tr(question), rows=2, layout=w.Layout(width="100%"),
                          description=tr(Msg("{name}:", name=_BOX_NAMES.get(key, key.replace("_", " ")))),
                          style={"description_width": "120px"})
        area.add_class(f"ctopath-plan90-{key}")
        boxes[key] = area
        rows.append(w.VBox([w.HTML(f"<small>{html.escape(tr(question))}</small>"), area]))
    preview_button = w.Button(description=tr("Preview"), tooltip=tr("Build the plan from your answers and show it"))
    save_button = w.Button(description=tr("Save my plan"), button_style="primary",
                           tooltip=tr("Write the plan to a Markdown file you keep"))
    save_button.add_class("ctopath-plan90-save")
    status = controls.LiveHTML(f"<small>⚠️ {html.escape(tr(load_note))}</small>" if load_note else
                    "<small>" + html.escape(tr("Your answers are kept in your progress file; the plan is saved as "
                                               "Markdown.")) + "</small>")
    status.add_class("ctopath-feedback")
    preview = w.HTML()
    preview.add_class("ctopath-plan90-preview")

    def answers():
        return {k: b.value for k, b in boxes.items()}

    def build():
        return plan90.build_plan(ratings, records, answers(), modules=course_outline(), today=_dt.date.today())

    def show(_=None):
        try:
            text = build()
        except ValueError as err:
            status.value = f"⚠️ {html.escape(_error_text(err))}"
            return None
        preview.value = markdown(tr(text))
        missing = plan90.missing_commitments(answers())
        status.value = html.escape(tr(Msg("🟡 Still to fill in: {missing}.", missing=", ".join(missing))) if missing
                                   else tr("✅ Every part filled in. Press Save my plan to keep it."))
        return text

    def save(_=None):
        text = show()
        if text is None:
            return
        try:
            store.set_note("plan90", answers())
        except Exception:  # noqa: BLE001 - saving the answers is a convenience; the file matters more
            pass
        try:
            where = plan90.save_plan(tr(text), path)
        except (OSError, ValueError) as err:
            status.value = f"⚠️ {html.escape(_error_text(err))}"
            return
        missing = plan90.missing_commitments(answers())
        status.value = (tr(Msg("✅ Saved to <code>{path}</code>. Reread it on day 30, 60 and 90.",
                               path=html.escape(str(where))))
                        + (html.escape(tr(Msg(" ({n} part(s) still to fill in.)", n=len(missing)))) if missing else ""))

    preview_button.on_click(show)
    save_button.on_click(save)
    show()
    found = Msg("(found ✓)") if ratings else Msg("(<strong>not found</strong>: run it in module 00 first)")
    intro = (f"<h4>{html.escape(tr('Your 90-day plan'))}</h4><p>"
             + tr(Msg("Built from your self-assessment in module 00 {found} and your progress in the workshop. "
                      "Fill in the boxes, press <strong>Preview</strong>, then <strong>Save my plan</strong>.",
                      found=found)) + "</p>")
    box = w.VBox([w.HTML(intro), *rows, w.HBox([preview_button, save_button]), status, preview])
    box.add_class("ctopath-plan90")
    return Explorer(box, tr("90-day plan (your ratings + progress + commitments → a Markdown file you keep)"))


__all__ = ["dashboard_figure", "compare_figure", "simulation_dashboard", "plan90_widget", "save_my_plan",
           "SavedPlan", "NotSaved", "preset_plans"]
