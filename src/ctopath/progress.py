"""The learner's progress: a small JSON file the kernel writes after every check.

Where: ``$CTOPATH_PROGRESS`` if set, else ``~/.ctopath/progress.json``.
Writes are atomic (temp file + rename) and serialised with a lock file, so two
kernels checking at once cannot lose each other's records. A file that cannot
be parsed is set aside (renamed, never deleted) with a warning, and a fresh
store starts: nothing the learner did is silently lost.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any, Callable

from filelock import FileLock, Timeout

from .errors import ProgressError

SCHEMA_VERSION = 1
MAX_WRONG_KINDS = 20  # distinct wrong answers kept per exercise (for the room view)


def store_path() -> Path:
    env = os.environ.get("CTOPATH_PROGRESS")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".ctopath" / "progress.json"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def jsonable(value: Any, depth: int = 0) -> Any:
    """A JSON-safe copy of an answer. Tables are summarised, not stored whole."""
    try:
        import numpy as np
        import pandas as pd
    except ImportError:  # pragma: no cover
        np = pd = None
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if np is not None and isinstance(value, np.generic):
        return jsonable(value.item(), depth)
    if pd is not None and isinstance(value, (pd.DataFrame, pd.Series)):
        return {"__table__": type(value).__name__, "shape": list(value.shape),
                "preview": value.head(5).to_string()[:500]}
    if depth < 3 and isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [jsonable(v, depth + 1) for v in list(items)[:200]]
    if depth < 3 and isinstance(value, dict):
        return {str(k): jsonable(v, depth + 1) for k, v in list(value.items())[:200]}
    return repr(value)[:200]


def answer_key(value: Any) -> str:
    """A short, stable text for counting identical wrong answers."""
    return json.dumps(jsonable(value), sort_keys=True, ensure_ascii=False)[:120]


class ProgressStore:
    """Read and update one learner's progress file."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else store_path()
        self.lock = FileLock(str(self.path) + ".lock", timeout=10)

    # -- reading ---------------------------------------------------------
    @staticmethod
    def empty() -> dict:
        return {"version": SCHEMA_VERSION, "exercises": {}, "notes": {}}

    def _read(self, set_aside: bool) -> dict:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return self.empty()
        except OSError as err:
            raise ProgressError(f"Cannot read your progress file {self.path} ({err.strerror}). "
                                f"Check its permissions, or set CTOPATH_PROGRESS to a writable path.") from None
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or not isinstance(data.get("exercises", {}), dict):
                raise ValueError("not a progress store")
            data.setdefault("version", SCHEMA_VERSION)
            data.setdefault("exercises", {})
            data.setdefault("notes", {})
            return data
        except ValueError:
            if not set_aside:
                return self.empty()
            aside = self.path.with_name(
                f"{self.path.name}.corrupt-{_dt.datetime.now().strftime('%Y%m%dT%H%M%S')}")
            try:
                os.replace(self.path, aside)
                where = f"It was moved to {aside}; nothing was deleted."
            except OSError:
                where = "It could not be moved aside; it was left in place."
            warnings.warn(f"Your progress file {self.path} could not be read (damaged JSON). {where} "
                          f"A fresh progress record starts now.", stacklevel=3)
            return self.empty()

    def load(self) -> dict:
        """The whole store (a fresh one if missing; a damaged one is set aside)."""
        with self._locked():
            return self._read(set_aside=True)

    def _locked(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ProgressError(f"Cannot create the folder for your progress file {self.path.parent} "
                                f"({err.strerror}). Set CTOPATH_PROGRESS to a writable path.") from None
        return _Lock(self.lock, self.path)

    # -- writing ---------------------------------------------------------
    def update(self, change: Callable[[dict], None]) -> dict:
        """Read, apply ``change`` in place, write atomically — all under the lock."""
        with self._locked():
            data = self._read(set_aside=True)
            change(data)
            fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            return data

    def _exercise(self, data: dict, ex_id: str) -> dict:
        rec = data["exercises"].setdefault(ex_id, {})
        rec.setdefault("attempts", 0)
        rec.setdefault("hints_used", 0)
        rec.setdefault("solution_revealed", False)
        rec.setdefault("wrong_answers", {})
        return rec

    def record_check(self, ex_id: str, answer: Any, feedback) -> dict:
        def change(data):
            rec = self._exercise(data, ex_id)
            now = _now()
            if feedback.status != "not_attempted":
                rec["attempts"] += 1
                rec.setdefault("first_attempt_at", now)
            best = rec.get("best_score", 0.0)
            rec.update(answer=jsonable(answer), status=feedback.status, score=feedback.score,
                       message=feedback.message, last_attempt_at=now,
                       best_score=max(best, feedback.score))
            if feedback.status == "correct":
                rec.setdefault("correct_at", now)
            elif feedback.status in ("incorrect", "partial"):
                key = answer_key(answer)
                wrong = rec["wrong_answers"]
                if key in wrong or len(wrong) < MAX_WRONG_KINDS:
                    wrong[key] = wrong.get(key, 0) + 1
        return self.update(change)["exercises"][ex_id]

    def record_hint(self, ex_id: str, hints_shown: int) -> None:
        def change(data):
            rec = self._exercise(data, ex_id)
            rec["hints_used"] = max(rec["hints_used"], hints_shown)
        self.update(change)

    def record_solution(self, ex_id: str) -> None:
        def change(data):
            self._exercise(data, ex_id)["solution_revealed"] = True
        self.update(change)

    def set_note(self, key: str, value: Any) -> None:
        """Keep a learner artefact that is not an exercise (e.g. the self-assessment)."""
        def change(data):
            data["notes"][key] = {"value": jsonable(value), "saved_at": _now()}
        self.update(change)

    def get(self, ex_id: str) -> dict | None:
        return self.load()["exercises"].get(ex_id)

    def get_note(self, key: str, default: Any = None) -> Any:
        note = self.load()["notes"].get(key)
        return note["value"] if isinstance(note, dict) and "value" in note else default


class _Lock:
    """The file lock, with a learner-readable message when another kernel holds it too long."""

    def __init__(self, lock: FileLock, path: Path):
        self.lock, self.path = lock, path

    def __enter__(self):
        try:
            self.lock.acquire()
        except Timeout:
            raise ProgressError(f"Another kernel has held the lock on {self.path} for 10 s. "
                                f"Wait a moment and press Check again.") from None
        return self

    def __exit__(self, *exc):
        self.lock.release()
        return False


# ---------------------------------------------------------------------------
# What is done and what is next
# ---------------------------------------------------------------------------

class ProgressReport:
    """Per module: exercises done of total, and the next one to do."""

    def __init__(self, rows: list[dict], path: Path):
        self.rows = rows
        self.path = path

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
        lines = [f"Progress ({self.path})"]
        for r in self.rows:
            bar = "█" * r["done"] + "░" * (r["total"] - r["done"])
            nxt = f"next: {r['next']} {r['next_title']}" if r["next"] else "all done ✓"
            lines.append(f"{r['module']}  {r['title'][:38]:<38} {bar} {r['done']}/{r['total']}  {nxt}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html
        out = ['<table class="ctopath-progress"><thead><tr><th>Module</th><th>Title</th>'
               '<th>Done</th><th>Next</th></tr></thead><tbody>']
        for r in self.rows:
            pct = int(100 * r["done"] / r["total"]) if r["total"] else 100
            nxt = (f"{html.escape(r['next'])} · {html.escape(r['next_title'])}" if r["next"]
                   else "✓ all done")
            out.append(
                f"<tr><td>{r['module']}</td><td>{html.escape(r['title'])}</td>"
                f'<td><progress value="{r["done"]}" max="{r["total"]}" aria-label="{pct}% done"></progress> '
                f"{r['done']}/{r['total']}</td><td>{nxt}</td></tr>")
        out.append("</tbody></table>")
        return "".join(out)


def report(store: ProgressStore | None = None) -> ProgressReport:
    from .modules import all_modules

    store = store or ProgressStore()
    records = store.load()["exercises"]
    rows = []
    for module in all_modules():
        done, nxt = 0, None
        for ex in module.exercises:
            rec = records.get(ex.id, {})
            if rec.get("status") == "correct" or rec.get("best_score", 0) >= 1.0:
                done += 1
            elif nxt is None:
                nxt = ex
        rows.append({"module": module.number, "title": module.title, "done": done,
                     "total": len(module.exercises), "next": nxt.id if nxt else None,
                     "next_title": nxt.title if nxt else ""})
    return ProgressReport(rows, store.path)


def show(store: ProgressStore | None = None) -> ProgressReport:
    """What is done and what is next, per module (displays itself in a notebook)."""
    return report(store)
