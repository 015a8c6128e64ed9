"""The room view: counts what learners did, treats every store as untrusted, writes nothing."""
import json
import os
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctopath import exercise, registry
from ctopath.tools import room
from ctopath.engine.progress import ProgressStore

ROOT = Path(__file__).resolve().parents[2]


def _store(home: Path) -> ProgressStore:
    return ProgressStore(home / ".ctopath" / "progress.json")


@pytest.fixture
def homes(tmp_path):
    """A folder of homes: four real learners (written by the real ProgressStore) and bad stores."""
    base = tmp_path / "home"
    duty, stores = exercise("00.1"), exercise("00.3")
    for i in range(4):
        s = _store(base / f"learner{i}")
        s.record_check("00.1", "market", duty.check("market"))
        if i % 2 == 0:
            s.record_check("00.1", "chassis", duty.check("chassis"))
        if i == 1:
            s.record_hint("00.1", 2)
            s.record_solution("00.1")
        if i < 3:
            s.record_check("00.3", 287, stores.check(287))
            s.record_check("00.3", 287, stores.check(287))
        if i == 3:
            s.record_check("00.3", 8, stores.check(8))
    for name, content in {
        "damaged": "{ not json",
        "notastore": "[1, 2, 3]",
        "nested": "[" * 50_000,
        "binary": b"\xff\xfe\x00garbage",
        "huge": " " * (room.MAX_BYTES + 10),
    }.items():
        (base / name / ".ctopath").mkdir(parents=True)
        path = base / name / ".ctopath" / "progress.json"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    (base / "symlink" / ".ctopath").mkdir(parents=True)
    os.symlink(base / "learner0" / ".ctopath" / "progress.json", base / "symlink" / ".ctopath" / "progress.json")
    (base / "fifo" / ".ctopath").mkdir(parents=True)
    os.mkfifo(base / "fifo" / ".ctopath" / "progress.json")
    (base / "nothing-yet").mkdir()
    return base


def snapshot(folder: Path) -> dict:
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st_ = os.lstat(p)
            body = p.read_bytes() if p.is_file() and not p.is_symlink() else None
            out[str(p)] = (st_.st_mode, st_.st_mtime_ns, st_.st_size, body)
    return out


def test_counts_finished_stuck_revealed_and_wrong_answers(homes):
    report = room.collect([homes])
    assert len(report.learners) == 4
    rows = {r.id: r for r in report.rows}
    duty = rows["00.1"]
    assert (duty.finished, duty.stuck, duty.revealed, duty.not_started) == (2, 2, 1, 0)
    assert duty.hints == 2
    answer, learners, times = duty.wrong[0]
    assert learners == 4 and times == 4 and "market" in answer and "go to the market" in answer
    stores = rows["00.3"]
    assert (stores.finished, stores.stuck) == (0, 4)
    assert [(w[1], w[2]) for w in stores.wrong] == [(3, 6), (1, 1)]  # most learners first
    assert stores.wrong[0][0] == "287"
    assert rows["00.2"].not_started == 4
    assert sorted(stores.stuck_who) == [f"learner{i}" for i in range(4)]


def test_every_bad_store_is_reported_and_skipped_never_fatal(homes):
    report = room.collect([homes])
    reasons = {Path(s.path).parent.parent.name: s.reason for s in report.skipped}
    assert set(reasons) == {"damaged", "notastore", "nested", "binary", "huge", "symlink", "fifo"}
    assert "damaged JSON" in reasons["damaged"]
    assert "not a progress store" in reasons["notastore"]
    assert "not UTF-8" in reasons["binary"]
    assert "too large" in reasons["huge"]
    assert "symbolic link" in reasons["symlink"]
    assert "not a regular file" in reasons["fifo"]
    text = report.text()
    for name in reasons:
        assert name in text


def test_missing_and_unreadable_paths_are_reported(tmp_path):
    report = room.collect([tmp_path / "nope", tmp_path])
    assert len(report.learners) == 0
    assert [s.reason for s in report.skipped][0] == "no such file or folder"
    assert "no progress store" in report.skipped[1].reason


def test_a_store_it_may_not_read_is_skipped(tmp_path, monkeypatch):
    s = _store(tmp_path / "a")
    s.record_hint("00.1", 1)
    real_open = os.open

    def denied(path, *args, **kw):  # as root every file is readable, so refuse this one by hand
        if str(path) == str(s.path):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kw)

    monkeypatch.setattr(os, "open", denied)
    report = room.collect([tmp_path / "a"])
    assert not report.learners and "permission denied" in report.skipped[0].reason


def test_the_room_view_writes_nothing(homes, capsys):
    before = snapshot(homes)
    room.collect([homes]).text()
    room.main([str(homes), "--json"])
    room.main([str(homes / "learner0"), str(homes / "damaged" / ".ctopath" / "progress.json"), "--who"])
    capsys.readouterr()
    assert snapshot(homes) == before, "the room view created, changed or moved a file"


def test_fields_of_the_wrong_type_are_not_counted(tmp_path):
    path = tmp_path / "odd" / ".ctopath" / "progress.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"exercises": {
        "00.1": {"attempts": True, "status": "correct!", "best_score": float("nan") if False else "1",
                 "solution_revealed": "yes", "hints_used": -5,
                 "wrong_answers": {"a": "many", "b": -1, "c": 2, "d": True}},
        "00.2": {"attempts": 10**30, "status": "incorrect"},
        "00.3": ["not", "a", "record"],
        "not an id": {"attempts": 3},
        "<script>": {"attempts": 3},
    }}))
    report = room.collect([path])
    rows = {r.id: r for r in report.rows}
    duty = rows["00.1"]
    assert (duty.finished, duty.stuck, duty.revealed, duty.hints) == (0, 0, 0, 0)
    assert [w[0] for w in duty.wrong] == ["c"]
    assert rows["00.2"].stuck == 1
    assert report.learners[0].ignored == 3
    assert "<script>" not in {r.id for r in report.rows}


def test_learner_text_cannot_drive_the_terminal_or_the_page(tmp_path):
    path = tmp_path / "x" / ".ctopath" / "progress.json"
    path.parent.mkdir(parents=True)
    evil = '"\x1b[2J\x1b]0;pwned\x07<img src=x onerror=alert(1)>"'
    path.write_text(json.dumps({"exercises": {"00.3": {"attempts": 1, "status": "incorrect",
                                                        "wrong_answers": {evil: 1}}}}))
    report = room.collect([path])
    text = report.text()
    assert "\x1b" not in text and "\x07" not in text
    page = report._repr_html_()
    assert "<img" not in page and "&lt;img" in page


def test_exercise_ids_come_from_the_modules_not_a_list_in_the_room_view(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"exercises": {"09.4": {"attempts": 2, "status": "incorrect"}}}))
    report = room.collect([path])
    ids = [r.id for r in report.rows]
    assert ids[: len(registry())] == list(registry())
    extra = report.rows[-1]
    assert extra.id == "09.4" and not extra.known and extra.stuck == 1
    assert "not in this version" in report.text()


def test_the_command_line(homes, capsys):
    assert room.main([str(homes), "--who"]) == 0
    out = capsys.readouterr().out
    assert "Room: 4 learners (7 stores skipped)" in out
    assert "Most common wrong answers" in out and "Stuck (attempted, not finished)" in out
    assert room.main([str(homes), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["learners"] == 4 and len(data["skipped"]) == 7


def test_figure_and_widget(homes):
    report = room.collect([homes])
    fig = report.figure()
    assert len(fig.axes) == 1 and len(fig.axes[0].patches) == 3 * len(report.rows)
    assert len(report.figure("00").axes[0].patches) == 3 * len([r for r in report.rows if r.module == "00"])
    box = room.view([homes])
    assert "ctopath-room-view" in box._dom_classes


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=30)


@settings(max_examples=200, deadline=None)
@given(exercises=st.dictionaries(st.sampled_from(["00.1", "00.3", "01.2", "xx", "99.9"]), json_values, max_size=5),
       top=json_values)
def test_any_json_is_read_or_refused_never_crashes(exercises, top):
    for doc in ({"exercises": exercises}, top, {"exercises": top}):
        try:
            data = json.dumps(doc, allow_nan=True).encode()
        except (ValueError, RecursionError):
            continue
        try:
            records, _ = room.parse_store(data)
        except room.Unreadable:
            continue
        report = room.RoomReport([room.Learner("x", "x", records)], [])
        report.text()
        report._repr_html_()


def test_the_instructor_notebook_runs_on_fake_stores(homes, monkeypatch, execute_notebook):
    """docs/room-view.ipynb (not checked by nbval) is executed here, on the fixture's stores."""
    monkeypatch.setenv("CTOPATH_ROOM_PATHS", str(homes))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend, as in JupyterLab
    nb = execute_notebook(nbformat.read(ROOT / "docs" / "room-view.ipynb", as_version=4), ROOT / "docs")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "Room: 4 learners" in html and "go to the market" in html
    assert any("image/png" in o.get("data", {}) for o in outputs), "the figure was not drawn"
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


# -- the live room: "saved", tables in words, shapes not emoji, heat map, stuck right now ----------

def _write(path: Path, exercises: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"exercises": exercises}))
    return path


def test_a_saved_reflection_counts_as_done(tmp_path):
    path = _write(tmp_path / "a" / ".ctopath" / "progress.json",
                  {"00.5": {"attempts": 1, "status": "saved", "score": 1.0}})
    report = room.collect([path])
    row = next(r for r in report.rows if r.id == "00.5")
    assert (row.finished, row.stuck) == (1, 0)
    assert report.cell_state(report.learners[0], "00.5") == "done"


def test_table_answers_read_as_words_never_as_json(tmp_path):
    import pandas as pd

    from ctopath.engine.progress import answer_key

    series = answer_key(pd.Series([10, 20, 30, 40, 50], index=list("abcde")))
    frame = answer_key(pd.DataFrame({"gmv": [1.5, 2.5], "orders": [3, 4]}))
    assert len(series) <= 120 and len(frame) <= 120  # the kernel cuts keys to 120 characters
    spec = '{"__table__": "Series", "shape": [5, 1], "preview": "a    10\\nb    20"}'  # the new store's form
    cut = series[:60]  # cut mid-preview: no longer valid JSON
    path = _write(tmp_path / "a" / ".ctopath" / "progress.json", {"01.2": {
        "attempts": 4, "status": "incorrect",
        "wrong_answers": {series: 1, frame: 1, spec: 1, cut: 1}}})
    report = room.collect([path])
    texts = [w[0] for w in next(r for r in report.rows if r.id == "01.2").wrong]
    page = report._repr_html_() + report.text()
    assert "__table__" not in page and '{"' not in page
    assert room.describe_answer(series, None, 200) == "a Series of 5 values: a 10; b 20; c 30; d 40; e 50"
    assert room.describe_answer(frame, None, 200) == "a DataFrame of 2 rows × 2 columns: gmv orders; 0 1.5 3; 1 2.5 4"
    assert room.describe_answer(spec, None, 200) == "a Series of 5 values: a 10; b 20"
    assert room.describe_answer(cut, None, 200).startswith("a Series: a 10; b 20") and "…" in room.describe_answer(cut, None, 200)
    assert len(texts) == 3  # top 3 of 4


def test_no_emoji_anywhere_in_the_instructors_views(homes):
    report = room.collect([homes])
    page = report._repr_html_() + report.heatmap_html() + report.stuck_now_html() + report.text(who=True)
    assert not [ch for ch in page if 0x1F000 <= ord(ch) <= 0x1FAFF or 0x2600 <= ord(ch) <= 0x27BF or ord(ch) == 0xFE0F]
    assert "<svg" in report.summary_html() and "Done" in report.summary_html()  # a shape and a word


def test_heat_map_is_learners_by_exercises_with_a_state_each(homes):
    report = room.collect([homes])
    grid = report.heatmap()
    assert grid["exercises"] == ["00.1", "00.3"]  # only exercises someone started
    cells = {row["name"]: dict(zip(grid["exercises"], row["cells"])) for row in grid["learners"]}
    assert cells["learner0"] == {"00.1": "done", "00.3": "stuck"}
    assert cells["learner1"]["00.1"] == "revealed"
    assert cells["learner3"] == {"00.1": "stuck", "00.3": "stuck"}
    page = report.heatmap_html()
    assert page.count('class="cell ') == 4 * 2 and 'aria-label="learner1, 00.1: revealed the solution"' in page


def test_stuck_right_now_needs_several_recent_attempts_without_success(tmp_path):
    import datetime as dt

    now = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone.utc)
    minutes_ago = lambda m: (now - dt.timedelta(minutes=m)).isoformat()  # noqa: E731
    base = tmp_path / "home"
    _write(base / "now" / ".ctopath" / "progress.json",
           {"00.3": {"attempts": 4, "status": "incorrect", "last_attempt_at": minutes_ago(2), "hints_used": 1}})
    _write(base / "long-ago" / ".ctopath" / "progress.json",
           {"00.3": {"attempts": 9, "status": "incorrect", "last_attempt_at": minutes_ago(45)}})
    _write(base / "two-tries" / ".ctopath" / "progress.json",
           {"00.3": {"attempts": 2, "status": "partial", "last_attempt_at": minutes_ago(1)}})
    _write(base / "solved" / ".ctopath" / "progress.json",
           {"00.3": {"attempts": 5, "status": "correct", "last_attempt_at": minutes_ago(1)}})
    _write(base / "bad-time" / ".ctopath" / "progress.json",
           {"00.3": {"attempts": 5, "status": "incorrect", "last_attempt_at": "yesterday-ish"}})
    report = room.collect([base])
    stuck = report.stuck_now(now=now, minutes=10, attempts=3)
    assert [(s["learner"], s["exercise"], s["attempts"], s["hints"], s["minutes_ago"]) for s in stuck] == \
        [("now", "00.3", 4, 1, 2.0)]
    assert "2 min ago" in report.stuck_now_html(now=now)
    assert "Nobody is stuck" in room.collect([base / "solved"]).stuck_now_html(now=now)


def test_the_dashboard_reads_learner_homes_by_prefix_and_counts_homes_without_a_store(tmp_path):
    from ctopath.tools import dashboard

    base = tmp_path / "home"
    ProgressStore(base / "jupyter-ana" / ".ctopath" / "progress.json").record_check(
        "00.1", "chassis", exercise("00.1").check("chassis"))
    (base / "jupyter-ben").mkdir()            # logged in, no Check yet
    (base / "someone-else" / ".ctopath").mkdir(parents=True)  # not a learner of this hub
    (base / "jupyter-eve" / ".ctopath").mkdir(parents=True)
    (base / "jupyter-eve" / ".ctopath" / "progress.json").write_text("{ damaged")
    settings = dashboard.Settings(home_base=base, prefix="jupyter-")
    report = dashboard.gather(settings)
    assert sorted(lr.label for lr in report.learners) == ["ana", "ben"]
    assert [Path(s.path).parent.parent.name for s in report.skipped] == ["jupyter-eve"]
    page = dashboard.fragment_html(report, settings)
    assert 'data-learner="ana"' in page and "Stuck right now" in page and "Room: 2 learners" in page
    assert dashboard.main() == 2  # outside the hub it explains itself instead of failing
