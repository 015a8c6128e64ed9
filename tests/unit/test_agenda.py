"""The agenda is generated from the module metadata, and the committed copies agree with it."""
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from ctopath.tools import agenda
from ctopath.course import all_modules, registry

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "instructor-guide.md"


def test_committed_agenda_and_guide_agree_with_the_module_metadata():
    stale = agenda.stale()
    assert not stale, f"{stale} disagree with the module metadata: run `make agenda` and commit the result"


def test_the_full_day_has_every_lesson_and_fits_the_day():
    slots = agenda.schedule(agenda.FULL_DAY)
    for a, b in zip(slots, slots[1:]):
        assert a.start + a.minutes == b.start, "the day has a gap or an overlap"
    modules = all_modules()
    assert sum(s.minutes for s in slots if s.kind == "lesson") == sum(m.teaching_minutes for m in modules)
    for m in modules:
        assert any(s.module.startswith(m.number + " ") and s.kind == "exercises" for s in slots), m.number
    assert slots[0].kind == "opening" and slots[-1].kind == "closing"
    assert slots[-1].start + slots[-1].minutes <= agenda._parse(agenda.FULL_DAY.end)
    kept = agenda.in_room(agenda.FULL_DAY)
    in_room = sum(ex.minutes for exs in kept.values() for ex in exs)
    assert sum(s.minutes for s in slots if s.kind == "exercises") == in_room
    for m in modules:  # the room does each module's core exercises first, then the others in order
        order = m.room_order()
        assert sorted(order[: len(kept[m.number])], key=m.exercises.index) == kept[m.number]
        assert all(ex in m.exercises for ex in kept[m.number])


def test_core_exercises_exist_and_come_first():
    for m in all_modules():
        assert m.core, f"module {m.number} names no core exercises for the room"
        assert [ex.id for ex in m.room_order()[: len(m.core)]] == m.core
        kept = agenda.in_room(agenda.FULL_DAY)[m.number]
        assert m.core[0] in [ex.id for ex in kept], f"module {m.number}: its first core exercise is not in the day"


def test_the_half_day_keeps_the_spine_only():
    numbers = {s.module.split(" ")[0] for s in agenda.schedule(agenda.HALF_DAY) if s.module}
    assert numbers == {m.number for m in all_modules()} & set(agenda.HALF_DAY.modules)
    assert "00" in numbers
    slots = agenda.schedule(agenda.HALF_DAY)
    assert slots[-1].start + slots[-1].minutes <= agenda._parse(agenda.HALF_DAY.end)


def _fake(number, teaching, exercise_minutes, prompts=2):
    exercises = [SimpleNamespace(id=f"{number}.{i + 1}", minutes=m) for i, m in enumerate(exercise_minutes)]
    return SimpleNamespace(number=number, title=f"Module {number}", teaching_minutes=teaching,
                           exercises=exercises, exercise_minutes=sum(exercise_minutes),
                           discussion=["?"] * prompts)


def test_when_everything_fits_every_exercise_is_done_in_the_room():
    modules = [_fake(f"{i:02d}", 20, [10, 10, 10]) for i in range(6)]  # 330 min: fits a day
    slots = agenda.schedule(agenda.FULL_DAY, modules)
    assert sum(s.minutes for s in slots if s.kind == "exercises") == 6 * 30
    assert not any("self-paced" in s.what for s in slots)


def test_breaks_land_near_their_target_and_never_split_off_a_discussion():
    modules = [_fake(f"{i:02d}", 25, [10, 10, 10, 10]) for i in range(7)]  # too long: trimmed
    slots = agenda.schedule(agenda.FULL_DAY, modules)
    breaks = [s for s in slots if s.kind == "break"]
    assert [b.what for b in breaks] == ["Morning break", "Lunch", "Afternoon break"]
    for b, (_, length, target) in zip(breaks, agenda.FULL_DAY.breaks):
        assert b.minutes == length
        assert abs(b.start - agenda._parse(target)) <= 30, f"{b.what} at {agenda._clock(b.start)}, target {target}"
    for before, after in zip(slots, slots[1:]):
        assert not (before.kind == "break" and after.kind == "discussion")
    assert any("self-paced" in s.what for s in slots)
    short = agenda.schedule(agenda.FULL_DAY, modules[:1])
    assert [s.what for s in short if s.kind == "break"] == [], "no lunch after the last module"


def test_the_agenda_block_shows_minutes_per_module_and_breaks():
    block = agenda.agenda_block()
    for m in all_modules():
        assert re.search(rf"\| {m.number} .*\| {m.teaching_minutes} \| {m.exercise_minutes} ", block), m.number
    assert "### Full day" in block and "### Half day" in block


def test_the_guide_has_facilitation_notes_for_every_module():
    text = GUIDE.read_text(encoding="utf-8")
    for m in all_modules():
        assert re.search(rf"^### Module {m.number}\b", text, re.M), f"instructor guide lacks notes for {m.number}"
    for heading in ("Say in five minutes", "Where rooms get stuck"):
        assert text.count(heading) >= len(all_modules())
    assert "python -m ctopath doctor" in text and "make test-room" in text


def test_the_generated_reference_lists_prompts_and_wrong_answers():
    text = agenda.render()
    for m in all_modules():
        for prompt in m.discussion:
            assert " ".join(prompt.split()) in text
        for ex in m.exercises:
            assert f"**{ex.id} " in text


def _two_day_ids(modules=None):
    return [i for day in agenda.two_day_schedule(modules) for s in day for i in s.exercises]


def test_the_two_days_hold_every_exercise_of_every_module_once_in_teaching_order():
    expected = list(registry())  # from the module registry: exercises added later are included too
    assert _two_day_ids() == expected
    days = agenda.two_day_schedule()
    for m in all_modules():  # every lesson and every discussion too
        slots = [s for day in days for s in day if s.module.startswith(m.number + " ")]
        assert [s.minutes for s in slots if s.kind == "lesson"] == [m.teaching_minutes]
        assert sum(s.kind == "discussion" for s in slots) == (1 if m.discussion else 0)
        assert sum(s.minutes for s in slots if s.kind == "exercises") == m.exercise_minutes
    assert "self-paced" not in agenda.two_day_table()


def test_each_of_the_two_days_is_a_realistic_day():
    for plan, slots in zip(agenda.TWO_DAYS, agenda.two_day_schedule()):
        for a, b in zip(slots, slots[1:]):
            assert a.start + a.minutes == b.start, "the day has a gap or an overlap"
        assert slots[0].kind == "opening" and slots[-1].kind == "closing"
        start, end = slots[0].start, slots[-1].start + slots[-1].minutes
        assert start == agenda._parse(plan.start) and end <= agenda._parse(plan.end)
        assert end - start >= 6 * 60, "a day of a two-day workshop shorter than six hours wastes the second day"
        breaks = [s for s in slots if s.kind == "break"]
        assert [b.what for b in breaks] == ["Morning break", "Lunch", "Afternoon break"]
        for b, (_, length, target) in zip(breaks, plan.breaks):
            assert abs(b.start - agenda._parse(target)) <= 45, f"{b.what} at {agenda._clock(b.start)}, target {target}"
        stretch = 0  # nobody works two hours without a break
        for s in slots:
            stretch = 0 if s.kind == "break" else stretch + s.minutes
            assert stretch <= 120, f"{plan.name}: {stretch} min without a break at {agenda._clock(s.start)}"


def test_the_two_days_pick_up_new_exercises_and_cut_inside_a_module_when_they_must():
    modules = [_fake(f"{i:02d}", 30, [10] * 11) for i in range(5)]  # 5 × 145 = 725 min: no cut between modules fits
    ids = _two_day_ids(modules)
    assert ids == [ex.id for m in modules for ex in m.exercises]
    day1, day2 = agenda.two_day_schedule(modules)
    assert any("the rest on day 2" in s.what for s in day1)
    assert day2[1].kind == "exercises" and "continued from day 1" in day2[1].what
    for slots in (day1, day2):
        assert slots[-1].start + slots[-1].minutes <= agenda._parse("17:30")
    too_much = [_fake(f"{i:02d}", 30, [10] * 12) for i in range(7)]
    with pytest.raises(ValueError, match="no longer fits two days"):
        agenda.two_day_parts(too_much)


def test_the_guide_and_readme_name_the_three_formats():
    block = agenda.agenda_block()
    assert "### Two days" in block and "#### Day 1" in block and "#### Day 2" in block
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "two-day" in readme


# -- the Chinese agenda: the same schedule, in the words of locale/zh/ ----------------------------

ZH_GUIDE = ROOT / "docs" / "zh" / "instructor-guide.md"


def _times(block):
    """Every row's time and minutes, in order: the schedule itself, whatever the language."""
    return re.findall(r"^\| (\d\d:\d\d) \| (\d+) \|", block, re.M)


def test_the_chinese_agenda_is_the_same_schedule_in_chinese():
    en, zh = agenda.agenda_block(), agenda.agenda_block(lang="zh")
    assert _times(zh) == _times(en) and _times(en)
    for heading in ("### 全天：", "### 半天：", "### 两天：所有课程和所有练习", "#### 第 1 天：", "#### 第 2 天："):
        assert heading in zh, heading
    assert "| 时间 | 分钟 | 模块 | 内容 |" in zh and "| 模块 | 课程 | 练习 | 讨论 | 合计 | 全天 | 半天 | 两天 |" in zh
    for m in all_modules():
        assert re.search(rf"\| {m.number} .*\| {m.teaching_minutes} \| {m.exercise_minutes} ", zh), m.number
    for word in ("**上午茶歇**", "**午餐**", "**下午茶歇**", "课程讲解与示例", "课后自学", "开场：", "总结："):
        assert word in zh, word
    for english in ("Lesson and worked examples", "self-paced", "Morning break", "Lunch", "Discussion (", "Exercises "):
        assert english not in zh, f"{english!r} is left untranslated in the Chinese agenda"


def test_the_chinese_agenda_keeps_its_figures():
    zh = agenda.agenda_block(lang="zh")
    slots = agenda.schedule(agenda.FULL_DAY)
    work = sum(s.minutes for s in slots if s.kind in ("lesson", "exercises", "discussion"))
    h, m = divmod(work, 60)
    assert f"课程、练习和讨论共 {h} 小时 {m:02d} 分钟" in zh
    kept = sum(len(v) for v in agenda.in_room(agenda.FULL_DAY).values())
    assert f"课堂上完成 {sum(len(x.exercises) for x in all_modules())} 道练习中的 {kept} 道" in zh
    assert f"全部 {len(registry())} 道练习都在课堂上完成" in zh


def test_the_chinese_two_days_say_where_a_module_is_cut():
    modules = [_fake(f"{i:02d}", 30, [10] * 11) for i in range(5)]
    days = agenda.two_day_schedule(modules)
    from ctopath.engine.i18n import tr
    day1 = [tr(s.what, "zh") for s in days[0]]
    day2 = [tr(s.what, "zh") for s in days[1]]
    assert any("其余留到第 2 天" in w for w in day1)
    assert "接第 1 天" in day2[1] and day2[1].startswith("练习 ")
    assert day2[0].startswith("第 2 天：回顾第 1 天")


def test_the_chinese_reference_lists_every_exercise_and_prompt():
    from ctopath.engine.i18n import tr

    text = agenda.render("zh")
    assert text.startswith("# 议程与带课参考\n") and "[instructor-guide.md](instructor-guide.md)" in text
    for m in all_modules():
        assert f"### {m.number} {tr(m.title, 'zh')}" in text
        for prompt in m.discussion:
            assert " ".join(tr(prompt, "zh").split()) in text
        for ex in m.exercises:
            assert f"**{ex.id} {tr(ex.title, 'zh')}** (" in text


def test_the_chinese_guide_has_the_same_notes_and_the_agenda():
    text = ZH_GUIDE.read_text(encoding="utf-8")
    assert agenda.START in text and agenda.END in text
    for m in all_modules():
        assert re.search(rf"^### 模块 {m.number} — ", text, re.M), f"the Chinese guide lacks notes for {m.number}"
    for heading in ("五分钟讲什么", "教室常在哪里卡住"):
        assert text.count(heading) >= len(all_modules())
    english = GUIDE.read_text(encoding="utf-8")
    assert re.findall(r"^##+ ", text, re.M) == re.findall(r"^##+ ", english, re.M), "the two guides' outlines differ"
    assert "python -m ctopath doctor" in text and "make test-room" in text
    for link in re.findall(r"\]\(([^)#]+)", text):  # every relative link resolves from docs/zh/
        if not link.startswith("http"):
            assert (ZH_GUIDE.parent / link).exists(), link


def test_write_and_check_cover_both_languages(tmp_path, monkeypatch):
    docs = {lang: (tmp_path / sub / "agenda.md", tmp_path / sub / "instructor-guide.md")
            for lang, sub in (("en", "docs"), ("zh", "docs/zh"))}
    for lang, (_, guide) in docs.items():
        guide.parent.mkdir(parents=True, exist_ok=True)
        guide.write_text(f"# guide\n\n{agenda.START}\n{agenda.END}\n", encoding="utf-8")
    monkeypatch.setattr(agenda, "DOCS", docs)
    monkeypatch.setattr(agenda, "ROOT", tmp_path)
    assert len(agenda.stale()) == 4
    assert agenda.main(["--write"]) == 0
    assert agenda.stale() == [] and agenda.main(["--check"]) == 0
    assert docs["zh"][0].read_text(encoding="utf-8") == agenda.render("zh")
    assert "### 全天：" in docs["zh"][1].read_text(encoding="utf-8")
    assert "### Full day:" in docs["en"][1].read_text(encoding="utf-8")
    docs["zh"][0].write_text("old", encoding="utf-8")
    assert agenda.stale() == ["docs/zh/agenda.md"] and agenda.main(["--check"]) == 1
