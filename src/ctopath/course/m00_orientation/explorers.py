"""Module 00's explorer: the self-assessment (eight sliders → radar chart and route)."""
from __future__ import annotations

import html

import ipywidgets as w

from ...engine import controls
from ...engine.widgets import figure_png
from ...engine.progress import ProgressStore
from ..explorer import Explorer, table_html


def self_assessment(store: ProgressStore | None = None) -> Explorer:
    """Rate eight skills 1–5 → radar chart and a suggested route; saved to your progress."""
    from ... import charts
    from ...models import career
    from ...course import all_modules

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
                       + table_html(table, "Your suggested route"))
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
