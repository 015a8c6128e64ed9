"""The progress store meets hostile files and answers: never a traceback, one sentence that says
what happened and where the copy is, every valid record kept, everything stored bounded."""
import datetime
import json
import os
import time
import types
import warnings

import pytest

from ctopath import progress
from ctopath.errors import ProgressError
from ctopath.engine.exercise import Feedback
from ctopath.engine.progress import ProgressStore

OK = Feedback("correct", 1.0, "yes")
WRONG = Feedback("incorrect", 0.0, "no")
GOOD = {"answer": "13", "attempts": 2, "best_score": 1.0, "correct_at": "2026-01-01T10:00:00+00:00",
        "hints_used": 1, "message": "yes", "score": 1.0, "solution_revealed": False, "status": "correct",
        "wrong_answers": {'"12"': 1}}


def _run(action):
    """Run ``action``; return (result, the warnings it raised). Any exception fails the test."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = action()
    return result, [str(w.message) for w in caught]


def _store_with(path, bad_record_text: str) -> bytes:
    """A store holding the good record 01.1 and, as raw JSON text, a record 01.2."""
    good = json.dumps(GOOD)
    raw = ('{"version": 1, "notes": {"self": {"value": {"delivery": 3}, "saved_at": "t"}}, '
           f'"exercises": {{"01.1": {good}, "01.2": {bad_record_text}}}}}').encode("utf-8")
    path.write_bytes(raw)
    return raw


def _asides(path, kind):
    return sorted(path.parent.glob(f"{path.name}.{kind}-*"))


# -- a whole file that cannot be a store: moved aside, a fresh store starts --------------------

WHOLE_FILE = {
    "binary junk": (bytes(range(256)) * 8, "not UTF-8"),
    "GBK-encoded file": ('{"exercises": {"01.1": {"answer": "云雀零售云的答案", "status": "correct"}}}'
                         .encode("gbk"), "not UTF-8"),
    "100,000-deep JSON": (b"[" * 100_000 + b"]" * 100_000, "nested far too deeply"),
    "not JSON": (b"{ this is not json", "not valid JSON"),
    "JSON that is not an object": (b"[1, 2, 3]", "not a progress store"),
    "exercises not a table": (b'{"exercises": [1, 2]}', "not a table"),
    "a huge integer": (b'{"exercises": {"01.1": {"answer": ' + b"9" * 5000 + b"}}}", "not valid JSON"),
}


@pytest.mark.parametrize("name", WHOLE_FILE)
def test_a_file_that_cannot_be_a_store_is_moved_aside_with_one_sentence(store_path, name):
    raw, why = WHOLE_FILE[name]
    store_path.write_bytes(raw)
    store = ProgressStore()
    record, said = _run(lambda: store.record_check("01.1", "13", OK))
    assert len(said) == 1 and why in said[0] and "moved to" in said[0] and "\n" not in said[0]
    (aside,) = _asides(store_path, "corrupt")
    assert str(aside) in said[0] and aside.read_bytes() == raw  # kept byte for byte
    assert record["status"] == "correct"  # work continues in a fresh store
    assert json.loads(store_path.read_text("utf-8"))["exercises"]["01.1"]["answer"] == "13"


def test_a_byte_order_mark_is_not_damage(store_path):
    store_path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"exercises": {"01.1": GOOD}}).encode())
    rec, said = _run(lambda: ProgressStore().get("01.1"))
    assert said == [] and rec == GOOD


# -- a bad record in a good file: only it is set aside (or repaired); the rest survives ---------

BAD_RECORDS = {
    # name: (raw JSON of record 01.2, words the sentence has, the record kept after, or None)
    "record is an int": ("5", "not a record", None),
    "record is a list": ('[1, 2]', "not a record", None),
    "bogus status": ('{"status": "bogus", "attempts": 1}', 'status "bogus"', None),
    "score 2": ('{"status": "partial", "score": 2}', "score 2 is not a number from 0 to 1", None),
    "NaN score": ('{"status": "partial", "score": NaN}', "score", None),
    "Infinity best_score": ('{"best_score": Infinity}', "best_score", None),
    "hints_used x": ('{"hints_used": "x"}', 'hints_used "x" is not a whole number', None),
    "solution_revealed yes": ('{"solution_revealed": "yes"}', "solution_revealed", None),
    "message not text": ('{"message": [1]}', "message", None),
    "attempts \"3\" is repaired": ('{"status": "incorrect", "attempts": "3"}', 'attempts "3" read as 3',
                                   {"status": "incorrect", "attempts": 3}),
    "NaN answer is repaired": ('{"status": "incorrect", "answer": NaN}', "answer was cut to size",
                               {"status": "incorrect", "answer": "nan"}),
    "1 MB answer is cut": ('{"status": "incorrect", "answer": "' + "x" * 1_000_000 + '"}', "answer",
                           None),
}


@pytest.mark.parametrize("name", BAD_RECORDS)
def test_a_bad_record_is_set_aside_alone_and_every_valid_record_survives(store_path, name):
    bad, words, kept = BAD_RECORDS[name]
    raw = _store_with(store_path, bad)
    store = ProgressStore()
    data, said = _run(store.load)
    assert len(said) == 1 and words in said[0] and '"01.2"' in said[0] and "\n" not in said[0]
    (copy,) = _asides(store_path, "before-repair")
    assert str(copy) in said[0] and copy.read_bytes() == raw  # the file as it was
    assert data["exercises"]["01.1"] == GOOD and data["notes"]["self"]["value"] == {"delivery": 3}
    if kept is not None:
        assert data["exercises"]["01.2"] == kept
    elif name == "1 MB answer is cut":
        assert len(data["exercises"]["01.2"]["answer"]) <= progress.MAX_TEXT_CHARS
    else:
        assert "01.2" not in data["exercises"]
    # repaired once: the next read is quiet, and later saves work (a NaN no longer blocks them)
    _, said_again = _run(lambda: store.record_check("01.3", 7, WRONG))
    assert said_again == [] and len(_asides(store_path, "before-repair")) == 1
    json.loads(store_path.read_text("utf-8"), parse_constant=lambda c: pytest.fail(f"{c} written"))
    assert store.get("01.1") == GOOD


def test_many_bad_records_make_one_sentence(store_path):
    exercises = {f"02.{i}": {"status": "bogus"} for i in range(6)} | {"01.1": GOOD}
    store_path.write_text(json.dumps({"exercises": exercises}))
    data, said = _run(ProgressStore().load)
    assert len(said) == 1 and "6 damaged record(s)" in said[0] and "3 more" in said[0]
    assert data["exercises"] == {"01.1": GOOD}


# -- hostile answers: stored bounded, no traceback ----------------------------------------------

def _deep_list(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


def _self_list():
    value = [1]
    value.append(value)
    return value


class _BadRepr:
    def __repr__(self):
        raise RuntimeError("no repr")


HOSTILE_ANSWERS = {
    "10**5000": (10**5000, "integer of about 5,001 digits"),
    "-10**5000": (-10**5000, "a negative integer"),
    "3,000-deep list": (_deep_list(3000), "nested deeper than"),
    "self-referencing list": (_self_list(), "contains itself"),
    "object whose repr raises": (_BadRepr(), "cannot be shown"),
    "NaN": (float("nan"), "nan"),
    "a million-item list": (list(range(1_000_000)), "more items not kept"),
    "a huge dict": ({i: "x" * 5000 for i in range(5000)}, "more entries not kept"),
}


@pytest.mark.parametrize("name", HOSTILE_ANSWERS)
def test_a_hostile_answer_is_stored_bounded(store_path, name):
    answer, described = HOSTILE_ANSWERS[name]
    store = ProgressStore()
    store.record_check("01.1", "13", OK)
    start = time.monotonic()
    rec, _ = _run(lambda: store.record_check("01.2", answer, WRONG))
    assert time.monotonic() - start < 5
    assert described in json.dumps(rec["answer"], ensure_ascii=False)
    assert store_path.stat().st_size < 16_000 and store.get("01.1")["answer"] == "13"
    assert len(next(iter(rec["wrong_answers"]))) <= progress.MAX_KEY_CHARS


def test_a_1_mb_string_is_cut_with_a_sentence_and_its_echo_too(store_path):
    huge = "é" * 1_000_000
    store = ProgressStore()
    rec, said = _run(lambda: store.record_check("01.1", huge, Feedback("incorrect", 0, f"Not {huge}.")))
    assert len(said) == 1 and "saved shortened" in said[0] and "checked in full" in said[0]
    assert len(rec["answer"]) <= progress.MAX_TEXT_CHARS and "cut: 1,000,000 characters" in rec["answer"]
    assert len(rec["message"]) <= progress.MAX_MESSAGE_CHARS
    assert store_path.stat().st_size < 16_000


def test_one_record_stays_a_few_kb_at_worst(store_path):
    # control characters are escaped six bytes each; wide characters take three
    nasty = {f"k{i}": ("\x01" * 3000 if i % 2 else "云" * 3000) for i in range(200)}
    store = ProgressStore()
    for i in range(30):  # fill the wrong-answer table too
        _run(lambda: store.record_check("01.1", {**nasty, "i": i}, Feedback("incorrect", 0, "\x02" * 10**6)))
    assert store_path.stat().st_size < 20_000


# -- temp files from killed kernels ----------------------------------------------------------------

def test_stale_temp_files_of_this_store_are_cleaned_and_nothing_else(store_path):
    folder = store_path.parent
    old = time.time() - 3600
    names = {"progress.json.abcd1234.tmp": old, "progress.json.k_9zq0x1.tmp": old,
             "progress.json.fresh123.tmp": time.time(),  # a write in progress elsewhere
             "other.json.abcd1234.tmp": old, "progress.json.notes.tmp.txt": old, "mine.tmp": old}
    for name, mtime in names.items():
        (folder / name).write_text("x")
        os.utime(folder / name, (mtime, mtime))
    ProgressStore().record_check("01.1", 1, OK)
    left = sorted(p.name for p in folder.iterdir())
    assert "progress.json.abcd1234.tmp" not in left and "progress.json.k_9zq0x1.tmp" not in left
    for name in ("progress.json.fresh123.tmp", "other.json.abcd1234.tmp", "progress.json.notes.tmp.txt",
                 "mine.tmp"):
        assert name in left


# -- set-aside names never overwrite ----------------------------------------------------------------

class _FrozenClock(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.datetime(2026, 3, 1, 9, 30, 0, tzinfo=tz)


def test_two_corruptions_in_one_second_keep_both_copies(store_path, monkeypatch):
    monkeypatch.setattr(progress, "_dt", types.SimpleNamespace(datetime=_FrozenClock,
                                                               timezone=datetime.timezone))
    store = ProgressStore()
    said = []
    for junk in (b"first junk", b"second junk", b"third junk"):
        store_path.write_bytes(junk)
        said += _run(store.load)[1]
    asides = _asides(store_path, "corrupt")
    assert sorted(p.read_bytes() for p in asides) == [b"first junk", b"second junk", b"third junk"]
    assert len(said) == 3 and all(str(p) in " ".join(said) for p in asides)
    # record-level copies are just as careful
    for status in ("bogus", "wrong"):
        _store_with(store_path, json.dumps({"status": status}))
        _run(store.load)
    assert len(_asides(store_path, "before-repair")) == 2


def test_when_no_copy_can_be_kept_the_damaged_file_is_left_untouched(store_path, monkeypatch):
    store_path.write_bytes(b"junk")
    real_open = os.open

    def no_copies(path, flags, *args):
        if ".corrupt-" in str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(progress.os, "open", no_copies)
    with pytest.raises(ProgressError, match="nothing was changed.*CTOPATH_PROGRESS"):
        ProgressStore().record_check("01.1", 1, OK)
    assert store_path.read_bytes() == b"junk"


# -- impossible paths fail at once, with a sentence ----------------------------------------------

def _under_a_file(tmp_path):
    (tmp_path / "afile").write_text("x")
    return tmp_path / "afile" / "sub" / "progress.json", "afile is a file, not a folder"


def _store_is_a_folder(tmp_path):
    (tmp_path / "progress.json").mkdir()
    return tmp_path / "progress.json", "is a folder, not a file"


def _lock_is_a_folder(tmp_path):
    (tmp_path / "progress.json.lock").mkdir()
    return tmp_path / "progress.json", "lock file"


def _read_only_folder(tmp_path, monkeypatch=None):
    return tmp_path / "ro" / "progress.json", "Permission denied"


IMPOSSIBLE = {"under a regular file": _under_a_file, "store path is a folder": _store_is_a_folder,
              "lock path is a folder": _lock_is_a_folder, "read-only folder": _read_only_folder}


@pytest.mark.parametrize("name", IMPOSSIBLE)
def test_an_impossible_store_path_fails_at_once_with_a_sentence(tmp_path, monkeypatch, name):
    path, words = IMPOSSIBLE[name](tmp_path)
    if name == "read-only folder":  # tests run as root, who may write anywhere: pretend
        real_open = os.open

        def read_only(p, flags, *args):
            if str(p).startswith(str(path.parent)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                raise PermissionError(13, "Permission denied")
            return real_open(p, flags, *args)
        monkeypatch.setattr(progress.os, "open", read_only)
    monkeypatch.setenv("CTOPATH_PROGRESS", str(path))
    store = ProgressStore()
    for action in (lambda: store.record_check("01.1", 1, OK), store.load, lambda: store.get("01.1")):
        start = time.monotonic()
        with pytest.raises(ProgressError) as err:
            action()
        assert time.monotonic() - start < 1
        message = str(err.value)
        assert words in message and "CTOPATH_PROGRESS" in message and "Another kernel" not in message


def test_only_a_lock_really_held_waits_and_says_so(store_path, monkeypatch):
    from filelock import FileLock

    monkeypatch.setattr(progress, "LOCK_TIMEOUT", 0.3)
    store = ProgressStore()
    store.record_check("01.1", 1, OK)
    held = FileLock(str(store_path) + ".lock")
    held.acquire()  # flock is per open file: this holds against the store's own lock object
    try:
        with pytest.raises(ProgressError, match="Another kernel .* held the lock"):
            store.record_check("01.1", 2, OK)
    finally:
        held.release()
    assert store.get("01.1")["answer"] == 1


def test_no_home_folder_is_a_sentence_not_a_crash(monkeypatch):
    monkeypatch.delenv("CTOPATH_PROGRESS")
    monkeypatch.setattr(progress.Path, "home", classmethod(lambda cls: (_ for _ in ()).throw(RuntimeError())))
    store = ProgressStore()  # builds: a widget must still draw
    with pytest.raises(ProgressError, match="home folder.*CTOPATH_PROGRESS"):
        store.get("01.1")


# -- show() and report() never show a raw error --------------------------------------------------

def test_show_without_a_lock_gives_a_sentence(tmp_path, monkeypatch):
    path, _ = _lock_is_a_folder(tmp_path)
    monkeypatch.setenv("CTOPATH_PROGRESS", str(path))
    shown = progress.show()
    text, page = repr(shown), shown._repr_html_()
    assert "could not be read" in text and "CTOPATH_PROGRESS" in text and "Traceback" not in text
    assert "could not be read" in page and shown.rows and all(r["done"] == 0 for r in shown.rows)


def test_show_reports_a_set_aside_file_in_its_notes(store_path):
    store_path.write_bytes(b"\xff\xfe junk")
    shown, said = _run(progress.show)
    assert said == [] and len(shown.notes) == 1 and "moved to" in shown.notes[0]
    assert "moved to" in repr(shown)


# -- the lead's semantics: not_attempted never changes a record; "saved" counts as done ----------

@pytest.mark.parametrize("answer", ["____", None, "", [], {"price": 1.0}])
def test_a_not_attempted_check_leaves_the_record_byte_identical(store_path, answer):
    store = ProgressStore()
    store.record_check("01.1", "12", WRONG)
    store.record_hint("01.1", 1)
    before = store_path.read_bytes()
    mtime = store_path.stat().st_mtime_ns
    time.sleep(0.01)
    rec, said = _run(lambda: store.record_check("01.1", answer, Feedback("not_attempted", 0, "blank")))
    assert said == [] and store_path.read_bytes() == before and store_path.stat().st_mtime_ns == mtime
    assert rec == json.loads(before)["exercises"]["01.1"] and rec["answer"] == "12"


def test_nothing_changed_means_nothing_written(store_path):
    store = ProgressStore()
    store.record_hint("01.1", 2)
    mtime = store_path.stat().st_mtime_ns
    time.sleep(0.01)
    store.record_hint("01.1", 1)  # fewer hints than already recorded
    store.load()
    assert store_path.stat().st_mtime_ns == mtime


def test_saved_is_a_status_and_counts_as_done(store_path):
    saved = types.SimpleNamespace(status="saved", score=0.0, message="Saved; compare with the model answer.")
    store = ProgressStore()
    rec = store.record_check("00.5", "My reflection.", saved)
    assert rec["status"] == "saved" and rec["attempts"] == 1 and "saved_at" in rec
    assert rec["wrong_answers"] == {}
    row = next(r for r in progress.report(store).rows if r["module"] == "00")
    assert row["done"] == 1
    _, said = _run(store.load)  # a stored "saved" record is valid on reading
    assert said == []


def test_an_unknown_status_is_a_sentence_not_a_corrupt_store(store_path):
    with pytest.raises(ProgressError, match="status \"weird\""):
        ProgressStore().record_check("01.1", 1, types.SimpleNamespace(status="weird", score=1, message=""))
    assert not store_path.exists()


def test_a_file_too_large_to_be_a_store_is_moved_aside_whole(store_path, monkeypatch):
    monkeypatch.setattr(progress, "MAX_STORE_BYTES", 1_000)
    raw = json.dumps({"exercises": {"01.1": GOOD}, "padding": "p" * 5_000}).encode()
    store_path.write_bytes(raw)
    _, said = _run(ProgressStore().load)
    (aside,) = _asides(store_path, "corrupt")
    assert "far more than a progress file holds" in said[0] and aside.read_bytes() == raw
    assert not store_path.exists()


def test_the_room_view_reads_a_repaired_store(store_path):
    from ctopath.tools import room

    _store_with(store_path, '{"status": "bogus"}')
    _run(lambda: ProgressStore().record_check("01.3", "x", WRONG))
    records, ignored = room.parse_store(room.read_bytes(store_path))
    assert ignored == 0 and records["01.1"]["finished"] and records["01.3"]["wrong"] == {'"x"': 1}


@pytest.mark.parametrize("ex_id", ["00.1", "00.3", "00.5"])
def test_hostile_answers_through_the_widget_leave_no_traceback(store_path, ex_id):
    from ctopath import exercise
    from ctopath.engine.widgets import ExerciseView

    view = ExerciseView(exercise(ex_id))
    for answer in HOSTILE_ANSWERS.values():
        view.submit(answer[0])
    view.submit("x" * 1_000_000)
    assert view.errors.outputs == () and "Traceback" not in view.feedback.value
    assert store_path.stat().st_size < 16_000
