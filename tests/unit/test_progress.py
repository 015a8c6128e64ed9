"""The progress store: atomic, safe with two writers, never loses a damaged file."""
import json
import multiprocessing as mp

import pandas as pd
import pytest

from ctopath.engine.exercise import Feedback
from ctopath.engine.progress import ProgressStore, jsonable, store_path

OK = Feedback("correct", 1.0, "yes")
WRONG = Feedback("incorrect", 0.0, "no")


def test_path_follows_env(store_path):
    assert store_path == __import__("ctopath.engine.progress").progress.store_path()


def test_default_path_is_in_home(monkeypatch, tmp_path):
    monkeypatch.delenv("CTOPATH_PROGRESS")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert store_path() == tmp_path / ".ctopath" / "progress.json"


def test_records_attempts_wrong_answers_hints_and_solution(store_path):
    store = ProgressStore()
    store.record_check("01.1", "12", WRONG)
    store.record_check("01.1", "12", WRONG)
    store.record_check("01.1", "13", OK)
    store.record_hint("01.1", 2)
    store.record_solution("01.1")
    rec = store.get("01.1")
    assert rec["attempts"] == 3 and rec["status"] == "correct" and rec["answer"] == "13"
    assert rec["wrong_answers"] == {'"12"': 2}
    assert rec["hints_used"] == 2 and rec["solution_revealed"] is True
    assert "correct_at" in rec and rec["best_score"] == 1.0
    # a later wrong answer does not undo having solved it
    store.record_check("01.1", "14", WRONG)
    assert store.get("01.1")["best_score"] == 1.0


def test_unreadable_input_after_a_judged_answer_keeps_its_status_and_score(store_path):
    store = ProgressStore()
    store.record_check("01.3", "0.61", OK)
    store.record_check("01.3", "abc", Feedback("invalid", 0.0, "Expected a number"))
    rec = store.get("01.3")
    assert rec["status"] == "correct" and rec["score"] == 1.0 and rec["best_score"] == 1.0
    assert rec["answer"] == "0.61" and rec["message"] == "yes" and rec["attempts"] == 2
    store.record_check("01.3", "0.5", Feedback("partial", 0.5, "close"))
    store.record_check("01.3", "", Feedback("invalid", 0.0, "The box is empty"))
    rec = store.get("01.3")
    assert (rec["status"], rec["score"], rec["answer"], rec["best_score"]) == ("partial", 0.5, "0.5", 1.0)
    # with nothing judged yet, the invalid check is what there is to show
    store.record_check("01.4", "abc", Feedback("invalid", 0.0, "Expected a number"))
    assert store.get("01.4")["status"] == "invalid"


def test_not_attempted_is_not_an_attempt_and_writes_nothing(store_path):
    store = ProgressStore()
    assert store.record_check("01.1", None, Feedback("not_attempted", 0, "blank")) is None
    assert store.get("01.1") is None and not store_path.exists()


def test_notes_round_trip(store_path):
    store = ProgressStore()
    store.set_note("self_assessment", {"delivery": 3})
    assert store.get_note("self_assessment") == {"delivery": 3}
    assert store.get_note("missing", "d") == "d"


def test_corrupt_file_is_set_aside_with_a_warning_and_work_continues(store_path):
    store_path.write_text("{ this is not json", encoding="utf-8")
    store = ProgressStore()
    with pytest.warns(UserWarning, match="moved to"):
        store.record_check("01.1", "1", OK)
    aside = list(store_path.parent.glob("progress.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == "{ this is not json"
    assert json.loads(store_path.read_text())["exercises"]["01.1"]["status"] == "correct"


def test_wrong_shape_json_is_also_set_aside(store_path):
    store_path.write_text("[1, 2, 3]", encoding="utf-8")
    with pytest.warns(UserWarning):
        assert ProgressStore().load()["exercises"] == {}


def test_writes_are_atomic_no_temp_files_left(store_path):
    store = ProgressStore()
    for i in range(5):
        store.record_check(f"01.{i}", i, OK)
    leftovers = [p.name for p in store_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def _hammer(path, worker, n):
    store = ProgressStore(path)
    for i in range(n):
        store.record_check(f"{worker}.{i}", i, OK)


def test_two_processes_writing_at_once_lose_nothing(store_path):
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_hammer, args=(str(store_path), w, 25)) for w in ("A", "B")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    records = ProgressStore(store_path).load()["exercises"]
    assert len(records) == 50


def test_jsonable_summarises_tables_and_odd_values():
    out = jsonable({"df": pd.DataFrame({"a": [1, 2]}), "nan": float("nan"), "obj": object(), "s": {3, 1}})
    assert out["df"]["__table__"] == "DataFrame" and out["df"]["shape"] == [2, 1]
    assert out["nan"] == "nan" and out["s"] == [1, 3] and out["obj"].startswith("<object")
    json.dumps(out, allow_nan=False)


def test_unwritable_location_gives_a_clear_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CTOPATH_PROGRESS", str(blocker / "sub" / "progress.json"))
    from ctopath.errors import ProgressError
    with pytest.raises(ProgressError, match="CTOPATH_PROGRESS"):
        ProgressStore().record_check("01.1", 1, OK)
