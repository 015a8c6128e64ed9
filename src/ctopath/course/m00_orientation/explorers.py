"""Module 00's explorer: the self-assessment (eight sliders → radar chart and route)."""
from __future__ import annotations

import html

import ipywidgets as w

from ...engine import controls
from ...engine.i18n import Msg, join, tr
from ...engine.widgets import figure_png
from ...engine.progress import ProgressStore
from ..explorer import Explorer, table_html


#: Each skill's short name on its slider (its key in words).
SKILL_NAMES = {"whole_business": Msg("whole business"), "delivery": Msg("delivery"),
               "requirements": Msg("requirements"), "business_plan": Msg("business plan"),
               "operations": Msg("operations"), "chassis": Msg("chassis"), "customers": Msg("customers"),
               "results": Msg("results")}


def _skill_name(key: str) -> str:
    return SKILL_NAMES.get(key, key.replace("_", " "))


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
        slider = controls.IntSlider(value=start, min=1, max=5, description=tr(Msg("{skill}:", skill=_skill_name(key))),
                             style={"description_width": "initial"}, layout=w.Layout(width="360px"),
                             continuous_update=False)
        sliders[key] = slider
        module_note = tr(Msg("(module {module})", module=module))
        label = f"<span>{html.escape(tr(statement))} <small>{html.escape(module_note)}</small></span>"
        rows.append(w.HBox([slider, w.HTML(label)]))
    save = w.Button(description=tr("Save and draw"), button_style="primary",
                    tooltip=tr("Save your ratings and draw your radar chart and route"))
    chart = controls.Chart()
    route = w.HTML()
    scale = tr("1 = never done it · 3 = done it with help · 5 = could teach it")
    status = controls.LiveHTML(f"<small>{html.escape(scale)}</small>")
    status.add_class("ctopath-feedback")
    modules = [(m.number, m.title) for m in all_modules()]

    def draw(_=None, persist=True):
        scores = {k: s.value for k, s in sliders.items()}
        ratings = join([Msg("{skill} {rating}", skill=_skill_name(k), rating=v) for k, v in scores.items()], ", ")
        chart.show(figure_png(charts.radar(scores)),
                   tr(Msg("Radar chart of your self-assessment: {ratings} (1 to 5; the same ratings as the sliders above).",
                          ratings=ratings)))
        table = career.suggest_route(scores, modules)
        for column in ("title", "route", "why"):  # the route's words, in the learner's language
            table[column] = table[column].map(tr)
        stage = dict((k, en) for k, _, en, _ in career.STAGES)[career.current_stage(scores)]
        looks_like = Msg("Your ratings look most like the <strong>{stage}</strong> stage.", stage=html.escape(tr(stage)))
        route.value = (f"<p>{tr(looks_like)}</p>"
                       + table_html(table, tr("Your suggested route")))
        if persist:
            try:
                store.set_note("self_assessment", scores)
                status.value = html.escape(tr("✅ Saved to your progress. Module 06 uses it for your 90-day plan."))
            except Exception as err:
                status.value = tr(Msg("⚠️ Drawn, but not saved: {error}", error=html.escape(str(err))))

    save.on_click(draw)
    if saved:
        draw(persist=False)
        status.value = html.escape(tr("↩︎ Restored your saved ratings. Move a slider and press Save and draw to update."))
    heading = tr("Self-assessment: where are you on the path?")
    box = w.VBox([w.HTML(f"<h4>{html.escape(heading)}</h4>"), *rows, save, status, chart, route])
    box.add_class("ctopath-self-assessment")
    return Explorer(box, tr("Self-assessment (eight sliders → radar chart and route)"))
