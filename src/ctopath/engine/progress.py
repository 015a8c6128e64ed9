"""The learner's progress: a small JSON file the kernel writes after every check.

Where: ``$CTOPATH_PROGRESS`` if set, else ``~/.ctopath/progress.json``.

- Writes are atomic (temp file + ``os.replace``) and serialised with a lock file, so two
  kernels checking at once cannot lose each other's records. Temp files left by a killed
  kernel are removed on a later write (only this store's own, and only old ones).
- What is stored is bounded: an answer keeps at most ``MAX_TEXT_CHARS`` characters per text
  and about ``MAX_ANSWER_BYTES`` bytes in all, a message ``MAX_MESSAGE_CHARS``; tables,
  huge numbers and deep structures are summarised. One record stays a few kB.
- The file is untrusted input. A file that cannot be a store (not UTF-8, not JSON, too deep,
  not an object) is moved aside to ``progress.json.corrupt-<time>[-n]`` and a fresh store
  starts. A damaged record in a good file is left out and the file as it was is copied to
  ``progress.json.before-repair-<time>[-n]``; every valid record stays. A field that is
  plainly meant (``"attempts": "3"``) is repaired instead. Either way one warning
  (:class:`ProgressWarning`, a ``UserWarning``) says what happened and where the copy is.
  A set-aside name never overwrites an existing file, and nothing is ever deleted.
- Problems that stop saving raise :class:`~ctopath.errors.ProgressError` with a sentence that
  says what is wrong and how to fix it; never a bare ``OSError``.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
import sys
import tempfile
import time
import uuid
import warnings
from itertools import islice
from pathlib import Path
from typing import Any, Callable

from filelock import FileLock, Timeout

from .errors import ProgressError
from .exercise import reason
from .i18n import Msg, join, language, tr
from .exercise import DONE_STATUSES, STATUSES  # the statuses a record may hold, and which count as done

# The statuses of an answer that was judged: a later "invalid" check (input that could not be
# read) leaves such a record's answer, status and score as they are.
GRADED_STATUSES = ("correct", "partial", "incorrect", "saved")

SCHEMA_VERSION = 1
MAX_WRONG_KINDS = 20         # distinct wrong answers kept per exercise (for the room view)

MAX_TEXT_CHARS = 2_000       # one text inside an answer
MAX_ANSWER_BYTES = 8_000     # one answer in all, as UTF-8 JSON
MAX_MESSAGE_CHARS = 1_000    # the feedback message kept with a record
MAX_KEY_CHARS = 120          # a wrong answer's counting key
MAX_KEY_BYTES = 400
MAX_ITEMS = 100              # items kept from one list, set or dict
MAX_NODES = 300              # values kept from one answer in all (a self-referencing list stops here)
MAX_DEPTH = 4                # nesting kept; deeper levels are described, not kept
MAX_INT_BITS = 128           # larger integers are described (Python refuses str() past 4,300 digits)
MAX_STORE_BYTES = 20_000_000  # a real store is a few kB; a file past this cannot be one
MAX_ID_CHARS = 100
LOCK_TIMEOUT = 10            # seconds to wait for another kernel's write
STALE_TEMP_SECONDS = 60      # a write takes milliseconds; an older temp file is a killed kernel's

_FIX = Msg("set CTOPATH_PROGRESS to a file in a folder you can write to (e.g. ~/.ctopath/progress.json)")


class ProgressWarning(UserWarning):
    """A problem in the progress file that was handled; the sentence says what and where."""


def store_path() -> Path:
    env = os.environ.get("CTOPATH_PROGRESS")
    if env:
        # Absolute now, so a notebook that changes folder does not start a second store.
        return Path(env).expanduser().absolute()
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        raise ProgressError(Msg("Cannot find your home folder to keep your progress in; {fix}.", fix=_FIX)) from None
    return home / ".ctopath" / "progress.json"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


# ---------------------------------------------------------------------------
# Bounded, JSON-safe copies of whatever a learner answers
# ---------------------------------------------------------------------------

def _plain_text(text: str, limit: int) -> tuple[str, bool]:
    """``text`` as a plain str of at most ``limit`` characters (marked when cut), UTF-8 safe."""
    text = str.__str__(text)  # a str subclass cannot override what is stored
    cut = len(text) > limit
    if cut:
        marker = f"… [cut: {len(text):,} characters in all]"
        text = text[: max(0, limit - len(marker))] + marker
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates cannot be written to a UTF-8 file
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text, cut


def _type_name(value: Any) -> str:
    try:
        return type(value).__name__
    except Exception:  # pragma: no cover - a very odd type
        return "value"


def _safe_repr(value: Any, limit: int = 200) -> str:
    try:
        text = repr(value)
        if not isinstance(text, str):
            raise TypeError
    except Exception:
        text = f"<a {_type_name(value)} object that cannot be shown>"
    return _plain_text(text, limit)[0]


def _json_size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8"))


def _describe_int(value: int) -> int | str:
    if value.bit_length() <= MAX_INT_BITS:
        return int(value)
    digits = int(value.bit_length() * math.log10(2)) + 1
    sign = "a negative" if value < 0 else "an"
    return f"[{sign} integer of about {digits:,} digits; too long to keep]"


class _Walk:
    """What one jsonable pass has kept so far."""

    def __init__(self):
        self.nodes = 0
        # Bytes of JSON still free: later texts are cut to fit. The reserve is for the markers
        # that say what was left out, so the final check rarely has to flatten the answer.
        self.room = MAX_ANSWER_BYTES - 600
        self.text_cut = False
        self.active: set[int] = set()  # containers being walked, to catch self-reference


def _bounded(value: Any, walk: _Walk, depth: int) -> Any:
    walk.nodes += 1
    walk.room -= 8  # about what a number, a comma and indentation take
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        text, cut = _plain_text(value, MAX_TEXT_CHARS)
        size = _json_size(text)
        if size > walk.room:
            text, cut, size = _fit(text, max(walk.room, 80)), True, min(size, max(walk.room, 80))
        walk.room -= size
        walk.text_cut |= cut
        return text
    if isinstance(value, int):
        return _describe_int(value)
    if isinstance(value, float):
        number = float.__float__(value)
        return number if math.isfinite(number) else repr(number)
    # numpy and pandas are only looked at when the learner's code has imported them.
    np, pd = sys.modules.get("numpy"), sys.modules.get("pandas")
    if np is not None and isinstance(value, np.generic):
        item = value.item()  # a long double stays a numpy scalar: shown, not unwrapped again
        return _safe_repr(value) if isinstance(item, np.generic) else _bounded(item, walk, depth)
    if np is not None and isinstance(value, np.ndarray):
        if value.size <= MAX_ITEMS and value.ndim <= MAX_DEPTH - depth:
            return _bounded(value.tolist(), walk, depth)
        return {"__array__": [int(n) for n in value.shape], "dtype": str(value.dtype),
                "preview": _safe_repr(value, 300)}
    if pd is not None and isinstance(value, (pd.DataFrame, pd.Series)):
        try:
            preview = _plain_text(value.head(5).to_string(), 500)[0]
        except Exception:
            preview = "(no preview)"
        return {"__table__": type(value).__name__, "shape": [int(n) for n in value.shape],
                "preview": preview}
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        return _bounded_container(value, walk, depth)
    return _safe_repr(value)


def _bounded_container(value, walk: _Walk, depth: int) -> Any:
    kind = _type_name(value)
    if depth >= MAX_DEPTH:
        return f"[a {kind} nested deeper than {MAX_DEPTH} levels; not kept]"
    if id(value) in walk.active:
        return f"[this {kind} contains itself; not kept again]"
    walk.active.add(id(value))
    try:
        total = len(value)
        if isinstance(value, dict):
            out, kept = {}, 0
            for key, item in islice(value.items(), MAX_ITEMS - 1):
                if walk.nodes >= MAX_NODES or walk.room <= 0:
                    break
                name = _plain_text(key if isinstance(key, str) else _safe_repr(key, 100), 100)[0]
                walk.room -= _json_size(name)
                out[name] = _bounded(item, walk, depth + 1)
                kept += 1
            if kept < total:
                out["…"] = f"[{total - kept:,} more entries not kept]"
            return out
        items = value
        if isinstance(value, (set, frozenset)):  # sorted, so a set is stored the same way each time
            items = sorted(islice(value, MAX_ITEMS - 1), key=lambda v: _safe_repr(v, 200))
        out, kept = [], 0
        for item in islice(items, MAX_ITEMS - 1):
            if walk.nodes >= MAX_NODES or walk.room <= 0:
                break
            out.append(_bounded(item, walk, depth + 1))
            kept += 1
        if kept < total:
            out.append(f"[{total - kept:,} more items not kept]")
        return out
    finally:
        walk.active.discard(id(value))


def _fit(value: Any, limit: int) -> Any:
    """``value`` if its JSON is at most ``limit`` bytes, else a shortened text of it."""
    try:
        size = _json_size(value)
        if size <= limit:
            return value
        text = value if isinstance(value, str) else (
            "[too large to keep whole; it began:] " + json.dumps(value, ensure_ascii=False)[:MAX_TEXT_CHARS])
    except Exception:
        return "[a value that could not be saved]"
    chars = min(len(text), MAX_TEXT_CHARS, limit)
    while chars > 0:
        candidate = _plain_text(text, chars)[0]
        size = _json_size(candidate)
        if size <= limit:
            return candidate
        chars = min(chars - 1, int(chars * limit / size) - 1)  # escapes and wide characters
    return ""


def _jsonable(value: Any, depth: int = 0) -> tuple[Any, bool]:
    """The bounded copy, and whether a text the learner wrote had to be cut."""
    walk = _Walk()
    try:
        out = _bounded(value, walk, depth)
    except Exception:  # RecursionError, MemoryError, a __len__ that raises …
        out = f"[a {_type_name(value)} value that could not be saved]"
    return _fit(out, MAX_ANSWER_BYTES), walk.text_cut


def jsonable(value: Any, depth: int = 0) -> Any:
    """A JSON-safe, bounded copy of an answer; never raises.

    Texts keep ``MAX_TEXT_CHARS`` characters (marked when cut), lists/dicts ``MAX_ITEMS`` items,
    nesting ``MAX_DEPTH`` levels, ``MAX_NODES`` values in all and about ``MAX_ANSWER_BYTES`` bytes.
    Tables are summarised, NaN/inf become text, huge integers and unprintable objects a description.
    """
    return _jsonable(value, depth)[0]


def answer_key(value: Any) -> str:
    """A short, stable text for counting identical wrong answers; never raises."""
    return _key_of(jsonable(value))


def _key_of(stored: Any) -> str:
    """``answer_key`` from an answer already made JSON-safe (a table is summarised only once)."""
    try:
        text = json.dumps(stored, sort_keys=True, ensure_ascii=False)
    except Exception:  # pragma: no cover - jsonable output always dumps
        text = "[an answer that could not be saved]"
    return _fit(text[:MAX_KEY_CHARS], MAX_KEY_BYTES)


def _message(text: Any) -> str:
    text = text if isinstance(text, str) else _safe_repr(text, MAX_MESSAGE_CHARS)
    return _fit(_plain_text(text, MAX_MESSAGE_CHARS)[0], 4 * MAX_MESSAGE_CHARS)


# ---------------------------------------------------------------------------
# Checking what was read: the file is untrusted
# ---------------------------------------------------------------------------

def _show(value: Any) -> str:
    """A value as the warning quotes it."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except Exception:
        text = _safe_repr(value, 40)
    return _plain_text(text, 40)[0]


def _count(value: Any) -> int | None:
    """A whole number of attempts or hints, or None when ``value`` cannot mean one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= 10**9 else None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and 0 <= value <= 1e9:
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 9:
        return int(value.strip())
    return None


def _is_score(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and (isinstance(value, int) or math.isfinite(value)) and 0 <= value <= 1)


def _stored(value: Any, limit: int) -> tuple[Any, bool]:
    """A value read from the file: kept as it is when it is plain, bounded JSON; else bounded."""
    try:
        if _json_size(value) <= limit:
            return value, False
    except (ValueError, TypeError, RecursionError):  # NaN, or nested too deeply
        pass
    return jsonable(value), True


_COUNTS = ("attempts", "hints_used")
_SCORES = ("score", "best_score")
_TIMES = ("first_attempt_at", "last_attempt_at", "correct_at", "saved_at")


def _clean_record(raw: Any) -> tuple[dict | None, list[str], str | None]:
    """(the record to keep or None, what was repaired, why it was set aside)."""
    if not isinstance(raw, dict):
        return None, [], Msg("it is {value}, not a record", value=_show(raw))
    rec, repaired = {}, []
    for field, value in raw.items():
        if field == "status":
            if value not in STATUSES:
                return None, [], Msg("its status {value} is not one of {statuses}", value=_show(value),
                                     statuses=", ".join(STATUSES))
        elif field in _SCORES:
            if not _is_score(value):
                return None, [], Msg("its {field} {value} is not a number from 0 to 1", field=field, value=_show(value))
            value = float(value)
        elif field in _COUNTS:
            number = _count(value)
            if number is None:
                return None, [], Msg("its {field} {value} is not a whole number", field=field, value=_show(value))
            if type(value) is not int:
                repaired.append(Msg("{field} {value} read as {number}", field=field, value=_show(value), number=number))
            value = number
        elif field == "solution_revealed":
            if not isinstance(value, bool):
                return None, [], Msg("its solution_revealed {value} is not true or false", value=_show(value))
        elif field == "wrong_answers":
            if not isinstance(value, dict):
                return None, [], Msg("its wrong_answers {value} is not a table", value=_show(value))
            kept = {k[:200]: _count(n) for k, n in list(value.items())[:MAX_WRONG_KINDS]
                    if _count(n) and len(k.encode("utf-8", "replace")) <= MAX_KEY_BYTES}
            if len(kept) != len(value) or any(type(n) is not int for n in value.values()):
                repaired.append(Msg("wrong answers that were not counts were dropped"))
            value = kept
        elif field == "message":
            if not isinstance(value, str):
                return None, [], Msg("its message {value} is not text", value=_show(value))
            short = _message(value)
            if short != value:
                repaired.append(Msg("its message was shortened"))
            value = short
        elif field in _TIMES:
            if not isinstance(value, str) or len(value) > 40:
                return None, [], Msg("its {field} {value} is not a time", field=field, value=_show(value))
        elif field == "answer":
            value, changed = _stored(value, 2 * MAX_ANSWER_BYTES)
            if changed:
                repaired.append(Msg("its answer was cut to size"))
        else:  # a field of a later version: kept, bounded
            value, changed = _stored(value, MAX_ANSWER_BYTES)
            if changed:
                repaired.append(Msg("its field {name} was cut to size", name=_show(field)))
        rec[field] = value
    return rec, repaired, None


def _clean_store(doc: Any) -> tuple[dict, list[str], list[str], str | None]:
    """(the store to keep, records set aside, repairs, why the whole file cannot be a store)."""
    if not isinstance(doc, dict):
        return {}, [], [], Msg("it holds {kind} data, not a progress store", kind=_type_name(doc))
    exercises = doc.get("exercises", {})
    if not isinstance(exercises, dict):
        return {}, [], [], Msg("its 'exercises' part is not a table")
    data = {"version": SCHEMA_VERSION, "exercises": {}, "notes": {}}
    dropped, repaired = [], []
    for ex_id, raw in exercises.items():
        if len(ex_id) > MAX_ID_CHARS:
            dropped.append(Msg("a record with an id of {n:,} characters", n=len(ex_id)))
            continue
        rec, fixes, why = _clean_record(raw)
        if rec is None:
            dropped.append(Msg("{id} ({why})", id=_show(ex_id), why=why))
        else:
            data["exercises"][ex_id] = rec
            repaired += [Msg("{id}: {fix}", id=_show(ex_id), fix=fix) for fix in fixes]
    notes = doc.get("notes", {})
    if not isinstance(notes, dict):
        dropped.append(Msg("the notes (not a table)"))
        notes = {}
    for key, note in notes.items():
        if len(key) > MAX_ID_CHARS or not isinstance(note, dict) or "value" not in note:
            dropped.append(Msg("the note {key}", key=_show(key)))
            continue
        value, changed = _stored(note["value"], 2 * MAX_ANSWER_BYTES)
        saved_at = note.get("saved_at")
        data["notes"][key] = {"value": value, "saved_at": saved_at if isinstance(saved_at, str) else ""}
        if changed or not isinstance(saved_at, str):
            repaired.append(Msg("the note {key} was cut to size", key=_show(key)))
    version = doc.get("version", SCHEMA_VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and 0 < version < 1000:
        data["version"] = version
    else:
        repaired.append(Msg("its version {value} read as {version}", value=_show(version), version=SCHEMA_VERSION))
    for key, value in doc.items():  # top-level parts of a later version: kept, bounded
        if key not in data and len(key) <= MAX_ID_CHARS:
            data[key], changed = _stored(value, MAX_ANSWER_BYTES)
            if changed:
                repaired.append(Msg("its part {key} was cut to size", key=_show(key)))
    return data, dropped, repaired, None


def _listing(items: list[str], most: int = 3) -> str:
    shown = join(items[:most], "; ")
    return Msg("{items}; and {n} more", items=shown, n=len(items) - most) if len(items) > most else shown


# ---------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------

def _why(err: OSError) -> str:
    return err.strerror or type(err).__name__


class ProgressStore:
    """Read and update one learner's progress file."""

    def __init__(self, path: str | os.PathLike | None = None):
        # A store that cannot have a path still builds (a widget must draw); using it raises.
        self._unusable: ProgressError | None = None
        try:
            self.path = Path(path).expanduser().absolute() if path is not None else store_path()
        except ProgressError as err:
            self._unusable, self.path = err, Path("progress.json")
        self.lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)

    # -- reading ---------------------------------------------------------
    @staticmethod
    def empty() -> dict:
        return {"version": SCHEMA_VERSION, "exercises": {}, "notes": {}}

    def _read_bytes(self) -> bytes | None:
        try:
            with open(self.path, "rb") as fh:
                return fh.read(MAX_STORE_BYTES + 1)
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            raise ProgressError(Msg("Your progress file {path} is a folder, not a file; {fix}.",
                                    path=str(self.path), fix=_FIX)) from None
        except OSError as err:
            raise ProgressError(Msg("Cannot read your progress file {path} ({why}); check its "
                                    "permissions, or {fix}.", path=str(self.path), why=_why(err), fix=_FIX)) from None

    def _read(self) -> tuple[dict, bool]:
        """The store, and whether it must be written back (it was repaired). Call under the lock."""
        raw = self._read_bytes()
        if raw is None:
            return self.empty(), False
        doc, problem = None, None
        if len(raw) > MAX_STORE_BYTES:
            problem = Msg("it is over {n:,} bytes, far more than a progress file holds", n=MAX_STORE_BYTES)
        else:
            try:
                doc = json.loads(raw.decode("utf-8-sig"))  # -sig: an editor's byte-order mark is fine
            except UnicodeDecodeError:
                problem = Msg("it is not UTF-8 text (an editor may have re-saved it in another encoding)")
            except RecursionError:
                problem = Msg("its JSON is nested far too deeply to be a progress file")
            except ValueError as err:
                problem = Msg("it is not valid JSON ({error})", error=_plain_text(str(err), 80)[0])
        if problem is None:
            data, dropped, repaired, problem = _clean_store(doc)
        if problem is not None:
            aside = self._set_aside(raw, "corrupt", move=True, problem=problem)
            warnings.warn(ProgressWarning(Msg(
                "Your progress file {path} could not be read ({problem}), so it was moved to "
                "{aside} (nothing was deleted) and a fresh progress record starts now.",
                path=str(self.path), problem=problem, aside=str(aside))), stacklevel=4)
            return self.empty(), False
        if not (dropped or repaired):
            return data, False
        aside = self._set_aside(raw, "before-repair", move=False, problem=Msg("some records are damaged"))
        set_aside = Msg("{n} damaged record(s) were set aside: {records}", n=len(dropped), records=_listing(dropped))
        fixed = Msg("{n} field(s) were repaired: {fields}", n=len(repaired), fields=_listing(repaired))
        damage = (Msg("{set_aside} and {fixed}", set_aside=set_aside, fixed=fixed) if dropped and repaired
                  else set_aside if dropped else fixed)
        warnings.warn(ProgressWarning(Msg(
            "Your progress file {path} had damage, so {damage}; every other record "
            "is kept, and the file as it was is saved at {aside}.", path=str(self.path), damage=damage,
            aside=str(aside))), stacklevel=4)
        return data, True

    def _set_aside(self, raw: bytes, kind: str, move: bool, problem: str) -> Path:
        """Keep the file as it was under a new name that never overwrites another file."""
        stamp = _dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        names = [f"{self.path.name}.{kind}-{stamp}"] + [
            f"{self.path.name}.{kind}-{stamp}-{n}" for n in range(2, 100)] + [
            f"{self.path.name}.{kind}-{stamp}-{uuid.uuid4().hex[:8]}"]
        last_error: OSError | None = None
        for name in names:
            aside = self.path.with_name(name)
            try:
                if move and len(raw) > MAX_STORE_BYTES:  # not all read: keep the file itself
                    os.link(self.path, aside)  # fails if the name is taken, unlike a rename
                    os.unlink(self.path)
                else:
                    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(fd, "wb") as fh:
                        fh.write(raw)
                        fh.flush()
                        os.fsync(fh.fileno())
                    if move:
                        os.unlink(self.path)
                return aside
            except FileExistsError:
                continue
            except OSError as err:
                last_error = err
                break
        why = _why(last_error) if last_error else Msg("every name was taken")
        raise ProgressError(Msg(
            "Your progress file {path} needs repair ({problem}), but a copy could not be kept "
            "beside it ({why}), so nothing was changed; move the file somewhere safe, or {fix}.",
            path=str(self.path), problem=problem, why=why, fix=_FIX))

    def load(self) -> dict:
        """The whole store (a fresh one if missing; damage is set aside, see the module doc)."""
        return self.update(lambda data: None)

    def _locked(self) -> "_Lock":
        if self._unusable is not None:
            raise self._unusable
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            blocker = next((p for p in [folder, *folder.parents] if p.exists() and not p.is_dir()), None)
            why = Msg("{path} is a file, not a folder", path=str(blocker)) if blocker else _why(err)
            raise ProgressError(Msg("Cannot keep your progress at {path}: {why}; {fix}.", path=str(self.path),
                                    why=why, fix=_FIX)) from None
        # Open the lock file ourselves first: a folder we cannot write to is said at once,
        # not mistaken for another kernel holding the lock.
        lock_path = str(self.path) + ".lock"
        try:
            os.close(os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644))
        except OSError as err:
            raise ProgressError(Msg("Cannot save progress in {folder}: its lock file {lock} cannot be "
                                    "opened ({why}); make that folder writable, or {fix}.", folder=str(folder),
                                    lock=lock_path, why=_why(err), fix=_FIX)) from None
        return _Lock(self.lock, self.path)

    # -- writing ---------------------------------------------------------
    def update(self, change: Callable[[dict], None]) -> dict:
        """Read, apply ``change`` in place, write atomically if anything changed — under the lock."""
        with self._locked():
            data, repaired = self._read()
            before = _fingerprint(data)
            change(data)
            if repaired or before is None or _fingerprint(data) != before:
                self._write(data)
            return data

    def _write(self, data: dict) -> None:
        try:
            # No indent: json's C encoder, several times faster than the indenting one.
            text = json.dumps(data, ensure_ascii=False, sort_keys=True, allow_nan=False, separators=(",", ":"))
        except (ValueError, TypeError, RecursionError) as err:
            raise ProgressError(Msg("Your progress was not saved: it holds a value that is not plain JSON "
                                    "({error}); pass answers through progress.jsonable first.",
                                    error=_plain_text(str(err), 80)[0])) from None
        self._remove_stale_temps()
        folder = self.path.parent
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except OSError as err:
            if tmp:
                Path(tmp).unlink(missing_ok=True)
            raise ProgressError(Msg("Your progress could not be saved to {path} ({why}); free some "
                                    "disk space or make the folder writable, or {fix}.", path=str(self.path),
                                    why=_why(err), fix=_FIX)) from None
        except BaseException:
            if tmp:
                Path(tmp).unlink(missing_ok=True)
            raise

    def _remove_stale_temps(self) -> None:
        """Delete temp files a killed kernel left: this store's own pattern, older than a minute."""
        own = re.compile(re.escape(self.path.name) + r"\.[a-z0-9_]{6,16}\.tmp")
        cutoff = time.time() - STALE_TEMP_SECONDS
        try:
            with os.scandir(self.path.parent) as entries:
                for entry in entries:
                    try:
                        if (own.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)
                                and entry.stat(follow_symlinks=False).st_mtime < cutoff):
                            os.unlink(entry.path)
                    except OSError:
                        continue  # another kernel removed it first, or it is not ours to remove
        except OSError:
            pass  # tidying up must never stop a save

    def _exercise(self, data: dict, ex_id: str) -> dict:
        rec = data["exercises"].setdefault(ex_id, {})
        rec.setdefault("attempts", 0)
        rec.setdefault("hints_used", 0)
        rec.setdefault("solution_revealed", False)
        rec.setdefault("wrong_answers", {})
        return rec

    def record_check(self, ex_id: str, answer: Any, feedback) -> dict | None:
        """Record one check. A "not_attempted" check changes nothing: the record is returned as it is."""
        ex_id = _plain_text(str(ex_id), MAX_ID_CHARS)[0]
        status = getattr(feedback, "status", None)
        if status not in STATUSES:
            raise ProgressError(Msg("The check of {id} was not saved: its status {status} is not one "
                                    "of {statuses} (a bug in the workshop; please report it).", id=ex_id,
                                    status=_show(status), statuses=", ".join(STATUSES)))
        if status == "not_attempted":  # an untouched box or a starter with ____ must not undo work
            return self.get(ex_id)
        try:
            score = float(getattr(feedback, "score", 0.0))
        except (TypeError, ValueError, OverflowError):
            score = 0.0
        score = min(1.0, max(0.0, score)) if math.isfinite(score) else 0.0
        message = _message(getattr(feedback, "message", ""))
        stored, text_cut = _jsonable(answer)
        key = _key_of(stored) if status in ("incorrect", "partial") else None

        def change(data):
            rec = self._exercise(data, ex_id)
            now = _now()
            rec["attempts"] += 1
            rec.setdefault("first_attempt_at", now)
            if status == "invalid" and rec.get("status") in GRADED_STATUSES:
                return  # input that could not be read never replaces a judged answer, its status or score
            # message_lang: the message is in the learner's language then; a view in another one re-words it.
            rec.update(answer=stored, status=status, score=score, message=message, message_lang=language(),
                       last_attempt_at=now, best_score=max(rec.get("best_score", 0.0), score))
            if status == "correct":
                rec.setdefault("correct_at", now)
            elif status == "saved":
                rec["saved_at"] = now
            elif key is not None:
                wrong = rec["wrong_answers"]
                if key in wrong or len(wrong) < MAX_WRONG_KINDS:
                    wrong[key] = wrong.get(key, 0) + 1

        record = self.update(change)["exercises"][ex_id]
        if text_cut:
            warnings.warn(ProgressWarning(Msg(
                "Your answer was checked in full but saved shortened to {n:,} characters per "
                "text; keep a copy elsewhere if you need all of it.", n=MAX_TEXT_CHARS)), stacklevel=2)
        return record

    def record_hint(self, ex_id: str, hints_shown: int) -> None:
        shown = _count(hints_shown)
        if shown is None:
            return  # not a number of hints: nothing to record

        def change(data):
            rec = self._exercise(data, _plain_text(str(ex_id), MAX_ID_CHARS)[0])
            rec["hints_used"] = max(rec["hints_used"], shown)
        self.update(change)

    def record_solution(self, ex_id: str) -> None:
        def change(data):
            self._exercise(data, _plain_text(str(ex_id), MAX_ID_CHARS)[0])["solution_revealed"] = True
        self.update(change)

    def set_note(self, key: str, value: Any) -> None:
        """Keep a learner artefact that is not an exercise (e.g. the self-assessment)."""
        stored, text_cut = _jsonable(value)

        def change(data):
            data["notes"][_plain_text(str(key), MAX_ID_CHARS)[0]] = {"value": stored, "saved_at": _now()}
        self.update(change)
        if text_cut:
            warnings.warn(ProgressWarning(Msg(
                "Your note was saved shortened to {n:,} characters per text; keep a copy "
                "elsewhere if you need all of it.", n=MAX_TEXT_CHARS)), stacklevel=2)

    def get(self, ex_id: str) -> dict | None:
        return self.load()["exercises"].get(ex_id)

    def get_note(self, key: str, default: Any = None) -> Any:
        note = self.load()["notes"].get(key)
        return note["value"] if isinstance(note, dict) and "value" in note else default


def _fingerprint(data: dict) -> str | None:
    try:
        return json.dumps(data, sort_keys=True, default=repr)
    except Exception:  # cannot tell: treat as changed
        return None


class _Lock:
    """The file lock, with a sentence instead of a traceback when it cannot be had."""

    def __init__(self, lock: FileLock, path: Path):
        self.lock, self.path = lock, path

    def __enter__(self):
        try:
            self.lock.acquire()
        except Timeout:
            raise ProgressError(Msg("Another kernel (or program) has held the lock on {path} for "
                                    "{seconds} s while saving; wait a moment and press Check again, or "
                                    "restart the other notebook's kernel if it is stuck.", path=str(self.path),
                                    seconds=LOCK_TIMEOUT)) from None
        except OSError as err:
            raise ProgressError(Msg("Cannot lock your progress file {path} ({why}); make its "
                                    "folder writable, or {fix}.", path=str(self.path), why=_why(err),
                                    fix=_FIX)) from None
        return self

    def __exit__(self, *exc):
        try:
            self.lock.release()
        except OSError:
            pass  # the write (or its error) already happened; the OS drops the lock with the file
        return False


# ---------------------------------------------------------------------------
# What is done and what is next
# ---------------------------------------------------------------------------

class ProgressReport:
    """Per module: exercises done of total, and the next one to do; ``notes`` say what went wrong."""

    def __init__(self, rows: list[dict], path: Path, notes: list[str] | tuple = ()):
        self.rows = rows
        self.path = path
        self.notes = list(notes)

    def table(self):
        import pandas as pd
        return pd.DataFrame(self.rows).set_index("module")

    @property
    def next_exercise(self) -> str | None:
        for row in self.rows:
            if row["next"]:
                return row["next"]
        return None

    def __repr__(self) -> str:
        lines = [tr(Msg("Progress ({path})", path=str(self.path)))]
        lines += [tr(Msg("Note: {note}", note=note)) for note in self.notes]
        for r in self.rows:
            bar = "█" * r["done"] + "░" * (r["total"] - r["done"])
            nxt = (tr(Msg("next: {id} {title}", id=r["next"], title=r["next_title"])) if r["next"]
                   else tr("all done ✓"))
            title = _padded(tr(r["title"]), 38)
            lines.append(f"{r['module']}  {title} {bar} {r['done']}/{r['total']}  {nxt}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html
        out = [f'<div class="ctopath-note">ℹ️ {html.escape(tr(note))}</div>' for note in self.notes]
        heads = "".join(f"<th>{html.escape(tr(h))}</th>"
                        for h in (Msg("Module"), Msg("Title"), Msg("Done"), Msg("Next")))
        out.append(f'<table class="ctopath-progress"><thead><tr>{heads}</tr></thead><tbody>')
        for r in self.rows:
            pct = int(100 * r["done"] / r["total"]) if r["total"] else 100
            nxt = (f"{html.escape(r['next'])} · {html.escape(tr(r['next_title']))}" if r["next"]
                   else html.escape(tr("✓ all done")))
            done = html.escape(tr(Msg("{pct}% done", pct=pct)), quote=True)
            out.append(
                f"<tr><td>{r['module']}</td><td>{html.escape(tr(r['title']))}</td>"
                f'<td><progress value="{r["done"]}" max="{r["total"]}" aria-label="{done}"></progress> '
                f"{r['done']}/{r['total']}</td><td>{nxt}</td></tr>")
        out.append("</tbody></table>")
        return "".join(out)


def _padded(text: str, width: int) -> str:
    """``text`` cut and padded to ``width`` columns (a Chinese character takes two), for the text table."""
    def cols(ch):
        return 2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1
    out, used = "", 0
    for ch in text:
        if used + cols(ch) > width:
            break
        out += ch
        used += cols(ch)
    return out + " " * (width - used)


def is_done(record: Any) -> bool:
    """The one rule for "done": correct or saved, or full marks once (shared by the progress
    report, the 90-day plan and lessons that withhold a result until an exercise is done)."""
    if not isinstance(record, dict):
        return False
    best = record.get("best_score", 0)
    return record.get("status") in DONE_STATUSES or (_is_score(best) and best >= 1.0)


#: What the progress report lists: a function returning the course's modules (each with
#: ``number``, ``title`` and ``exercises``). The engine knows no course; ``ctopath`` plugs its in.
_course_modules = None


def use_course(modules) -> None:
    """Tell the report which modules exist: ``modules()`` returns them in order."""
    global _course_modules
    _course_modules = modules


def report(store: ProgressStore | None = None) -> ProgressReport:
    """Per module, what is done and what is next. Never raises for a store problem: a note says it."""
    all_modules = _course_modules or (lambda: [])
    store = store or ProgressStore()
    notes: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            records = store.load()["exercises"]
        notes += [reason(w.message) for w in caught if issubclass(w.category, ProgressWarning)]
    except ProgressError as err:
        records = {}
        notes.append(Msg("Your progress could not be read, so nothing is shown as done: {error}", error=reason(err)))
    except OSError as err:  # pragma: no cover - the store turns these into ProgressError
        records = {}
        notes.append(Msg("Your progress could not be read ({why}), so nothing is shown as done; {fix}.",
                         why=_why(err), fix=_FIX))
    rows = []
    for module in all_modules():
        done, nxt = 0, None
        for ex in module.exercises:
            if is_done(records.get(ex.id)):
                done += 1
            elif nxt is None:
                nxt = ex
        rows.append({"module": module.number, "title": module.title, "done": done,
                     "total": len(module.exercises), "next": nxt.id if nxt else None,
                     "next_title": nxt.title if nxt else ""})
    return ProgressReport(rows, store.path, notes)


def show(store: ProgressStore | None = None) -> ProgressReport:
    """What is done and what is next, per module (displays itself in a notebook)."""
    return report(store)
