"""models.plan90: the 90-day plan from ratings + progress + commitments; saving it; the widget."""
from __future__ import annotations

import pytest

from ctopath.models import career, plan90
from ctopath.engine.progress import ProgressStore

# Two tiny modules so the progress part can be checked by hand.
MODULES = [("02", "The manager", [("02.1", "Critical path"), ("02.2", "Pseudo-requirement")]),
           ("05", "The four duties", [("05.1", "DORA keys")])]
RECORDS = {"02.1": {"status": "correct", "best_score": 1.0},       # done
           "02.2": {"status": "partial", "best_score": 0.5},       # not done: next
           "05.1": {"status": "incorrect", "best_score": 0.0}}     # not done: next
# Everything 3, except delivery 1 and three skills at 2: the lowest three are delivery (1), then the
# first two 2s in the order of career.SKILLS: chassis before customers (results, also 2, is fourth).
RATINGS = {k: 3 for k in career.SKILLS} | {"delivery": 1, "chassis": 2, "customers": 2, "results": 2,
                                           "whole_business": 5, "operations": 4}
MINE = {"role": "backend engineer", "business_metric": "activation of new shops from 40 % to 50 %",
        "technical_ambition": "one deployment pipeline for every service",
        "day_30": "learn the onboarding funnel\nwith the operations lead",
        "day_60": "ship the onboarding checklist", "day_90": "lead the weekly activation review",
        "people": "three shop owners and our sales lead"}


def test_module_progress_by_hand():
    rows = plan90.module_progress(RECORDS, MODULES)
    assert rows[0] == {"module": "02", "title": "The manager", "done": 1, "total": 2,
                       "next": "02.2", "next_title": "Pseudo-requirement"}
    assert rows[1]["done"] == 0 and rows[1]["next"] == "05.1"
    assert plan90.module_progress({}, MODULES)[0]["done"] == 0
    assert plan90.module_progress(None, MODULES)[1]["total"] == 1


def test_focus_skills_are_the_lowest_three_in_skill_order():
    assert plan90.focus_skills(RATINGS) == ["delivery", "chassis", "customers"]


def test_the_plan_uses_ratings_progress_and_commitments():
    text = plan90.build_plan(RATINGS, RECORDS, MINE, modules=MODULES, today="2026-07-01", name="Li Wei")
    assert text.startswith("# My 90-day plan — Li Wei\n")
    assert "on 2026-07-01" in text and "Role today: backend engineer" in text
    # where I am: every skill with its rating; the stage from career.current_stage
    stage = {k: en for k, _, en, _ in career.STAGES}[career.current_stage(RATINGS)]
    assert f"look most like the **{stage}** stage" in text
    assert "| I can plan a project, find its critical path and promise a date I then keep | 1 / 5 | 02 |" in text
    # where I will grow: the three lowest, each with its module's progress and one action
    grow = text.split("## Where I will grow")[1].split("##")[0]
    assert grow.count("\n- **") == 3
    assert "module 02 (The manager): 1 of 2 exercises done; next: 02.2 Pseudo-requirement" in grow
    assert "module 05 (The four duties): 0 of 1 exercises done; next: 05.1 DORA keys" in grow
    assert plan90.ACTIONS["delivery"] in grow and plan90.ACTIONS["results"] not in grow
    # strengths: rated 4 or 5
    strengths = text.split("## Strengths I will lend to others")[1].split("##")[0]
    assert career.SKILLS["whole_business"][0] + " (5 / 5)" in strengths
    assert career.SKILLS["operations"][0] + " (4 / 5)" in strengths
    # the commitments, multi-line answers kept inside their list item
    assert "The business number I will help move: activation of new shops from 40 % to 50 %" in text
    assert "- **By day 30 — learn:** learn the onboarding funnel\n  with the operations lead" in text
    assert "| 02 | The manager | 1 / 2 | 02.2 Pseudo-requirement |" in text
    assert "帮助业务先赢" in text and "保持技术追求" in text and "CC BY-SA 4.0" in text
    assert plan90.TO_FILL not in text


def test_the_plan_is_pure_and_dated_only_when_asked():
    a = plan90.build_plan(RATINGS, RECORDS, MINE, modules=MODULES)
    b = plan90.build_plan(RATINGS, RECORDS, MINE, modules=MODULES)
    assert a == b and " on 20" not in a.splitlines()[2]


def test_without_a_self_assessment_or_commitments_it_is_a_template():
    text = plan90.build_plan(None, {}, {}, modules=MODULES)
    assert "No self-assessment saved yet" in text and "module 00" in text
    assert "## Where I will grow" not in text
    assert text.count(plan90.TO_FILL) == len(plan90.COMMITMENTS)
    assert plan90.missing_commitments({}) == list(plan90.COMMITMENTS)
    assert plan90.missing_commitments(MINE) == []


def test_nobody_rated_four_or_more():
    low = {k: 2 for k in career.SKILLS}
    assert "None rated 4 or 5 yet" in plan90.build_plan(low, {}, {}, modules=MODULES)


def test_the_course_outline_is_the_workshops():
    from ctopath.course.m06_capstone.explorers import course_outline

    text = plan90.build_plan(None, {}, {}, modules=course_outline())
    assert "| 00 |" in text and "| 06 | Capstone: help the business win first |" in text


@pytest.mark.parametrize("ratings,records,commitments,fragment", [
    ({"delivery": 3}, {}, {}, "Redo it in module 00"),
    ({k: 9 for k in career.SKILLS}, {}, {}, "1 to 5"),
    (None, [1, 2], {}, "exercise id"),
    (None, {}, {"salary": "more"}, "Unknown commitment"),
    (None, {}, {"role": 42}, "as text"),
    (None, {}, {"role": "x" * 1001}, "under 1000 characters"),
    (None, {}, "be better", "must be a dict"),
])
def test_bad_input_gets_a_clear_message(ratings, records, commitments, fragment):
    with pytest.raises(ValueError, match=fragment):
        plan90.build_plan(ratings, records, commitments, modules=MODULES)


def test_broken_records_are_not_done():
    rows = plan90.module_progress({"02.1": "garbage", "02.2": {"best_score": "x"}}, MODULES)
    assert rows[0]["done"] == 0


# ----------------------------------------------------------------------------- saving

def test_save_plan_where(tmp_path, monkeypatch):
    text = plan90.build_plan(None, {}, MINE, modules=MODULES)
    explicit = plan90.save_plan(text, tmp_path / "a" / "plan.md")
    assert explicit.read_text(encoding="utf-8") == text + ("" if text.endswith("\n") else "\n")
    monkeypatch.setenv("CTOPATH_PLAN_PATH", str(tmp_path / "env.md"))
    assert plan90.save_plan(text) == tmp_path / "env.md"
    monkeypatch.delenv("CTOPATH_PLAN_PATH")
    monkeypatch.chdir(tmp_path)
    assert plan90.save_plan(text) == tmp_path / "my-90-day-plan.md"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "env.md", "my-90-day-plan.md"]  # no temp files left


def test_save_plan_errors(tmp_path):
    with pytest.raises(ValueError, match="no plan to save"):
        plan90.save_plan("   ", tmp_path / "x.md")
    with pytest.raises(OSError, match="Could not save your plan"):
        plan90.save_plan("# plan", tmp_path)   # a folder, not a file


def test_the_conftest_keeps_plans_out_of_the_repo():
    import os
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    assert os.environ.get("CTOPATH_PLAN_PATH")
    assert root not in Path(os.environ["CTOPATH_PLAN_PATH"]).resolve().parents


# ----------------------------------------------------------------------------- the widget

def test_the_widget_builds_and_saves_the_plan(store_path, tmp_path):
    from ctopath.course.m06_capstone.explorers import plan90_widget

    store = ProgressStore(store_path)
    store.set_note("self_assessment", RATINGS)
    target = tmp_path / "plan.md"
    explorer = plan90_widget(store=store, path=target)
    assert "interactive" in explorer._repr_mimebundle_()["text/plain"]
    box = explorer.box
    areas = [c for row in box.children[1:1 + len(plan90.COMMITMENTS)] for c in row.children if hasattr(c, "rows")]
    for area, key in zip(areas, plan90.COMMITMENTS):
        area.value = MINE[key]
    save = next(b for b in box.children[1 + len(plan90.COMMITMENTS)].children if b.description == "Save my plan")
    save.click()
    text = target.read_text(encoding="utf-8")
    assert "activation of new shops" in text and "Where I will grow" in text
    assert store.get_note("plan90")["role"] == "backend engineer"
    # reopened, the answers come back from the progress store
    again = plan90_widget(store=store, path=target)
    areas = [c for row in again.box.children[1:1 + len(plan90.COMMITMENTS)] for c in row.children
             if hasattr(c, "rows")]
    assert areas[0].value == "backend engineer"


def test_the_widget_survives_a_damaged_self_assessment(store_path, tmp_path):
    from ctopath.course.m06_capstone.explorers import plan90_widget

    store = ProgressStore(store_path)
    store.set_note("self_assessment", {"delivery": "lots"})
    explorer = plan90_widget(store=store, path=tmp_path / "p.md")
    assert "not found" in explorer.box.children[0].value


def test_save_my_plan_reads_the_store_and_saves(store_path, tmp_path):
    from ctopath.course.m06_capstone.explorers import save_my_plan

    store = ProgressStore(store_path)
    store.set_note("self_assessment", RATINGS)
    saved = save_my_plan(MINE, store=store, path=tmp_path / "mine.md", today="2026-07-01")
    assert saved.path.read_text(encoding="utf-8").startswith("# My 90-day plan")
    assert "on 2026-07-01" in saved.text and "Where I will grow" in saved.text
    assert saved._repr_markdown_().startswith("_Saved to `mine.md`")
    assert store.get_note("plan90")["day_60"] == "ship the onboarding checklist"
    store.set_note("self_assessment", {"delivery": 7})
    again = save_my_plan({"role": "tech lead"}, store=store, path=tmp_path / "mine.md")
    assert "redo it in module 00" in again._repr_markdown_() and "No self-assessment saved yet" in again.text


def test_save_my_plan_never_saves_an_empty_plan(store_path, tmp_path):
    from ctopath import ____
    from ctopath.course.m06_capstone.explorers import NotSaved, save_my_plan

    target = tmp_path / "kept.md"
    target.write_text("my real plan", encoding="utf-8")
    for empty in ({}, {k: "" for k in plan90.COMMITMENTS}, {"role": "   "}, ____, None):
        result = save_my_plan(empty, store=ProgressStore(store_path), path=target)
        assert isinstance(result, NotSaved) and "Nothing saved yet" in repr(result)
    assert target.read_text(encoding="utf-8") == "my real plan"
