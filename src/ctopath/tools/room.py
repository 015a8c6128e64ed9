"""The room view: how a room of learners is doing, read from their progress stores.

    python -m ctopath room PATH... [--json] [--top N] [--who]

Each PATH is a progress store (``progress.json``), a learner's home folder (its
``.ctopath/progress.json`` is read) or a folder of homes such as ``/home`` on a JupyterHub
(every home in it is read; run as root there). Per exercise it prints how many learners
finished, are stuck (attempts without success) or revealed the solution, and the most common
wrong answers. In a notebook, :func:`collect` returns a report that displays itself, draws a
figure (:meth:`RoomReport.figure`) and :func:`view` gives a widget with a Refresh button.

Every store is untrusted input: it is opened without following symbolic links, must be a
regular file under 2 MB, is parsed as JSON (never evaluated), and every field is checked before
it is counted. A store that cannot be read is reported and skipped, never fatal. Nothing is
written: no lock file, no repair, no "set aside" (that is the learner's kernel's job).
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import math
import os
import re
import stat
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

STORE_DIR, STORE_NAME = ".ctopath", "progress.json"
MAX_BYTES = 2_000_000          # a real store is a few kB
MAX_RECORDS = 1_000            # exercise records read per store
MAX_WRONG_PER_RECORD = 50      # wrong-answer kinds read per record
ID_PATTERN = re.compile(r"\d{2}\.\d{1,3}")
# "saved" is a reflection that was saved: it counts as done, like "correct".
STATUSES = ("correct", "saved", "partial", "incorrect", "not_attempted", "invalid")
DONE_STATUSES = ("correct", "saved")


# ---------------------------------------------------------------------------------------------
# Reading untrusted stores
# ---------------------------------------------------------------------------------------------

class Unreadable(Exception):
    """Why a store was skipped, in words for the instructor."""


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class Learner:
    label: str
    path: str
    records: dict[str, dict]
    ignored: int = 0  # records with ids that are not exercise ids


def safe_text(value, limit: int = 80) -> str:
    """Learner text made safe for a terminal: no control or escape characters, bounded length."""
    text = value if isinstance(value, str) else str(value)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else "?" for ch in text[: limit * 2])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, not following a final symbolic link, at most MAX_BYTES."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise Unreadable("no such file") from None
    except PermissionError:
        raise Unreadable("permission denied (on a hub, run the room view as root)") from None
    except OSError as err:
        if os.path.islink(path):
            raise Unreadable("is a symbolic link; not followed") from None
        raise Unreadable(err.strerror or str(err)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("not a regular file")
        if st.st_size > MAX_BYTES:
            raise Unreadable(f"too large ({st.st_size} bytes; a progress store is a few kB)")
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:
            raise Unreadable("too large (it grew while being read)")
        return b"".join(chunks)
    except OSError as err:
        raise Unreadable(err.strerror or str(err)) from None
    finally:
        os.close(fd)


def _int(value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return low
    return max(low, min(high, value))


def _score(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return 0.0
    return max(0.0, min(1.0, float(value)))


def _moment(value) -> dt.datetime | None:
    """An ISO time written by the kernel, as an aware UTC datetime; None for anything else."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def clean_record(raw) -> dict | None:
    """The fields the room view uses, each checked; None if the record is not a dict."""
    if not isinstance(raw, dict):
        return None
    status = raw.get("status") if raw.get("status") in STATUSES else None
    wrong = {}
    raw_wrong = raw.get("wrong_answers")
    if isinstance(raw_wrong, dict):
        for key, count in list(raw_wrong.items())[:MAX_WRONG_PER_RECORD]:
            n = _int(count, 0, 1_000_000)
            if isinstance(key, str) and n > 0:
                wrong[key[:200]] = n
    attempts = _int(raw.get("attempts"), 0, 1_000_000)
    best = max(_score(raw.get("best_score")), _score(raw.get("score")) if status == "correct" else 0.0)
    return {
        "attempts": attempts,
        "status": status,
        "finished": status in DONE_STATUSES or best >= 1.0,
        "revealed": raw.get("solution_revealed") is True,
        "hints": _int(raw.get("hints_used"), 0, 100),
        "wrong": wrong,
        "last_attempt_at": _moment(raw.get("last_attempt_at")),
    }


def parse_store(data: bytes) -> tuple[dict[str, dict], int]:
    """Exercise records by id from a store's bytes, and how many records were ignored."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise Unreadable("not UTF-8 text") from None
    except (ValueError, RecursionError) as err:
        raise Unreadable(f"damaged JSON ({safe_text(err, 60)})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("exercises"), dict):
        raise Unreadable("not a progress store (no 'exercises' object)")
    records, ignored = {}, 0
    for ex_id, raw in list(doc["exercises"].items())[:MAX_RECORDS]:
        rec = clean_record(raw)
        if rec is None or not ID_PATTERN.fullmatch(ex_id):
            ignored += 1
            continue
        records[ex_id] = rec
    ignored += max(0, len(doc["exercises"]) - MAX_RECORDS)
    return records, ignored


def find_stores(paths: Iterable[str | os.PathLike]) -> tuple[list[tuple[str, Path]], list[Skipped]]:
    """(label, store path) for every store under ``paths``; problems finding them."""
    found, skipped = [], []

    def in_home(home: Path) -> Path | None:
        folder = home / STORE_DIR
        try:
            if folder.is_symlink():
                skipped.append(Skipped(str(folder), "is a symbolic link; not followed"))
                return None
            if (folder / STORE_NAME).exists() or (folder / STORE_NAME).is_symlink():
                return folder / STORE_NAME
        except PermissionError:
            skipped.append(Skipped(str(home), "permission denied (on a hub, run the room view as root)"))
            return None
        except OSError as err:
            skipped.append(Skipped(str(home), err.strerror or str(err)))
            return None
        return None

    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():  # a folder the instructor named (a symbolic link is followed here)
                store = in_home(path)
                if store is None and ((path / STORE_NAME).exists() or (path / STORE_NAME).is_symlink()):
                    store = path / STORE_NAME
                if store is not None:
                    found.append((path.name or str(path), store))
                    continue
                homes = sorted(p for p in path.iterdir() if p.is_dir() and not p.is_symlink())
                before, problems = len(found), len(skipped)
                for home in homes:
                    store = in_home(home)
                    if store is not None:
                        found.append((home.name, store))
                if len(found) == before and len(skipped) == problems:
                    skipped.append(Skipped(str(path), "no progress store found in it or in the folders inside it"))
            elif path.exists() or path.is_symlink():
                label = path.parent.parent.name if path.parent.name == STORE_DIR else path.stem
                found.append((label or str(path), path))
            else:
                skipped.append(Skipped(str(path), "no such file or folder"))
        except PermissionError:
            skipped.append(Skipped(str(path), "permission denied (on a hub, run the room view as root)"))
        except OSError as err:
            skipped.append(Skipped(str(path), err.strerror or str(err)))
    return found, skipped


def read_learners(paths) -> tuple[list[Learner], list[Skipped]]:
    stores, skipped = find_stores(paths)
    learners, seen = [], set()
    for label, store in stores:
        key = os.path.abspath(store)
        if key in seen:
            continue
        seen.add(key)
        try:
            records, ignored = parse_store(read_bytes(store))
        except Unreadable as why:
            skipped.append(Skipped(str(store), str(why)))
            continue
        learners.append(Learner(safe_text(label, 40), str(store), records, ignored))
    return learners, skipped


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------

@dataclass
class ExerciseRow:
    id: str
    module: str
    title: str
    learners: int
    started: int = 0
    finished: int = 0
    stuck: int = 0
    revealed: int = 0
    hints: int = 0
    wrong: list[tuple[str, int, int]] = field(default_factory=list)  # (answer, learners, times)
    stuck_who: list[str] = field(default_factory=list)
    known: bool = True

    @property
    def not_started(self) -> int:
        return self.learners - self.started

    def to_dict(self) -> dict:
        return {"id": self.id, "module": self.module, "title": self.title, "learners": self.learners,
                "started": self.started, "finished": self.finished, "stuck": self.stuck,
                "revealed": self.revealed, "not_started": self.not_started, "hints_used": self.hints,
                "known": self.known,
                "wrong_answers": [{"answer": a, "learners": n, "times": t} for a, n, t in self.wrong],
                "stuck_learners": self.stuck_who}


def _catalogue() -> tuple[dict[str, tuple[str, str, object]], str | None]:
    """id -> (module number, title, exercise), in teaching order, from the installed modules."""
    try:
        from ..course import all_modules

        out = {}
        for module in all_modules():
            for ex in module.exercises:
                out[ex.id] = (module.number, ex.title, ex)
        return out, None
    except Exception as err:  # a broken module must not blind the instructor
        return {}, f"the workshop's exercise list could not be loaded ({type(err).__name__}: {err})"


TABLE_KIND = re.compile(r'^\{\s*"__table__"\s*:\s*"([A-Za-z]{1,20})"')
TABLE_SHAPE = re.compile(r'"shape"\s*:\s*\[\s*(\d{1,9})\s*(?:,\s*(\d{1,9})\s*)?\]')
TABLE_PREVIEW = re.compile(r'"preview"\s*:\s*"((?:[^"\\]|\\.)*)("?)')


def _partial_json_string(body: str) -> str:
    """The text of a JSON string body that may have been cut off mid-escape."""
    for cut in range(0, 7):
        try:
            return json.loads('"' + body[: len(body) - cut] + '"')
        except ValueError:
            continue
    return body


def describe_table(key: str) -> str | None:
    """A stored table answer in words ("a Series of 5 values: a 1; b 2; ..."), or None.

    The kernel stores a DataFrame or Series as {"__table__", "shape", "preview"}; the key it
    counts wrong answers by is that JSON cut to 120 characters, so it is often not valid JSON
    any more: the parts are read one by one and whatever was cut off is marked with "…".
    """
    kind = TABLE_KIND.match(key)
    if not kind:
        return None
    shape_match = TABLE_SHAPE.search(key)
    shape = [int(n) for n in shape_match.groups() if n is not None] if shape_match else []
    preview_match = TABLE_PREVIEW.search(key)
    preview, cut = "", False
    if preview_match:
        preview = _partial_json_string(preview_match.group(1))
        cut = preview_match.group(2) != '"'
    lines = [" ".join(line.split()) for line in preview.splitlines() if line.strip()]
    name = kind.group(1)
    article = "an" if name[:1].lower() in "aeiou" else "a"
    if name == "Series" and shape:
        head = f"a Series of {shape[0]} value{'s' if shape[0] != 1 else ''}"
    elif name == "DataFrame" and len(shape) == 2:
        head = (f"a DataFrame of {shape[0]} row{'s' if shape[0] != 1 else ''} × "
                f"{shape[1]} column{'s' if shape[1] != 1 else ''}")
    else:
        head = f"{article} {name}"
    if not lines:
        return head
    body = "; ".join(lines)
    return f"{head}: {body}{' …' if cut else ''}"


def describe_answer(key: str, exercise, limit: int = 70) -> str:
    """A wrong answer as the instructor reads it: the option's label for choice questions, a
    table in words, never raw JSON."""
    options = getattr(exercise, "options", None)
    text = key
    table = describe_table(key) if isinstance(key, str) else None
    try:
        value = json.loads(key)  # keys are JSON text written by the kernel; parsed, never evaluated
    except (ValueError, RecursionError, TypeError):
        value = None
    if table is not None:
        text = table
    elif options and isinstance(value, (str, list)):
        labels = {str(o.key): o.label for o in options if hasattr(o, "key")}
        ids = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
        if ids and all(i in labels for i in ids):
            text = " + ".join(f"{i} ({labels[i][:40]})" for i in ids)
    elif isinstance(value, str):
        text = value
    return safe_text(text, limit)


# Status shapes, drawn inline (no emoji: they render as empty boxes without an emoji font). Each
# state has its own shape as well as its own colour, and is always shown with its word.
STATE_WORDS = {"done": "done", "stuck": "stuck", "revealed": "revealed the solution",
               "not_started": "not started"}
_SVG = '<svg class="ctopath-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">'
ICONS = {
    "done": _SVG + '<circle cx="8" cy="8" r="7" fill="#2e7d32"/>'
                   '<path d="M4.4 8.3l2.4 2.4 4.8-5" stroke="#fff" stroke-width="2" fill="none"/></svg>',
    "stuck": _SVG + '<path d="M8 1.2l7 13.3H1z" fill="#e65100"/>'
                    '<path d="M8 5.5v4.6M8 11.6v1.4" stroke="#fff" stroke-width="1.8"/></svg>',
    "revealed": _SVG + '<rect x="2" y="2" width="12" height="12" transform="rotate(45 8 8)" fill="#1565c0"/>'
                       '<circle cx="8" cy="8" r="2.2" fill="#fff"/></svg>',
    "not_started": _SVG + '<circle cx="8" cy="8" r="6" fill="none" stroke="#78909c" stroke-width="1.6" '
                          'stroke-dasharray="2.2 1.8"/></svg>',
}
STATE_STYLE = """<style>
.ctopath-icon { vertical-align: -2px; }
.ctopath-heatmap { border-collapse: collapse; }
.ctopath-heatmap td.cell { width: 18px; height: 18px; padding: 1px; text-align: center; }
.ctopath-heatmap td.done { background: #e8f5e9; } .ctopath-heatmap td.stuck { background: #fff3e0; }
.ctopath-heatmap td.revealed { background: #e3f2fd; } .ctopath-heatmap td.not_started { background: #fafafa; }
.ctopath-heatmap th .vertical { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal; }
.ctopath-legend .legend { margin-right: 1em; white-space: nowrap; }
</style>"""


def icon(state: str) -> str:
    return ICONS[state]


class RoomReport:
    """Per exercise: finished, stuck, revealed, and the most common wrong answers."""

    def __init__(self, learners: list[Learner], skipped: list[Skipped], top: int = 3):
        self.learners, self.skipped, self.top = learners, skipped, top
        catalogue, self.catalogue_error = _catalogue()
        ids = list(catalogue)
        extra = sorted({i for lr in learners for i in lr.records if i not in catalogue})[:200]
        self.rows: list[ExerciseRow] = []
        for ex_id in ids + extra:
            module, title, exercise = catalogue.get(ex_id, (ex_id.split(".")[0], "(not in this version of the workshop)", None))
            row = ExerciseRow(ex_id, module, safe_text(title, 60), len(learners), known=ex_id in catalogue)
            answers, times = Counter(), Counter()
            for lr in learners:
                rec = lr.records.get(ex_id)
                if not rec:
                    continue
                if rec["attempts"] > 0 or rec["finished"]:
                    row.started += 1
                if rec["finished"]:
                    row.finished += 1
                elif rec["attempts"] > 0:
                    row.stuck += 1
                    row.stuck_who.append(lr.label)
                row.revealed += rec["revealed"]
                row.hints += rec["hints"]
                for key, n in rec["wrong"].items():
                    answers[key] += 1
                    times[key] += n
            ranked = sorted(answers, key=lambda k: (-answers[k], -times[k], k))[:top]
            row.wrong = [(describe_answer(k, exercise), answers[k], times[k]) for k in ranked]
            self.rows.append(row)

    def only(self, module: str | None) -> "RoomReport":
        """The same report restricted to one module's exercises (None: all)."""
        sub = object.__new__(RoomReport)
        sub.__dict__.update(self.__dict__)
        sub.rows = [r for r in self.rows if module in (None, r.module)]
        return sub

    # -- plain data -----------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"learners": len(self.learners), "skipped": [s.__dict__ for s in self.skipped],
                "exercises": [r.to_dict() for r in self.rows],
                "heatmap": self.heatmap(), "stuck_now": self.stuck_now(),
                "notes": [self.catalogue_error] if self.catalogue_error else []}

    def table(self):
        import pandas as pd

        cols = ["id", "title", "finished", "stuck", "revealed", "not_started"]
        return pd.DataFrame([{k: r.to_dict()[k] for k in cols} for r in self.rows], columns=cols).set_index("id")

    # -- text -----------------------------------------------------------------------------
    def text(self, who: bool = False) -> str:
        n = len(self.learners)
        lines = [f"Room: {n} learner{'s' if n != 1 else ''} "
                 f"({len(self.skipped)} store{'s' if len(self.skipped) != 1 else ''} skipped)"]
        if self.catalogue_error:
            lines.append(f"Note: {self.catalogue_error}")
        if self.skipped:
            lines.append("Skipped (reported, not counted):")
            lines += [f"  {safe_text(s.path, 100)}: {s.reason}" for s in self.skipped]
        lines.append("")
        lines.append(f"{'Exercise':<9}{'Title':<42}{'Done':>5}{'Stuck':>6}{'Revealed':>9}{'Not started':>12}")
        for r in self.rows:
            mark = "" if r.known else " *"
            lines.append(f"{r.id + mark:<9}{r.title[:41]:<42}{r.finished:>5}{r.stuck:>6}{r.revealed:>9}"
                         f"{r.not_started:>12}")
        if any(not r.known for r in self.rows):
            lines.append("* not an exercise of this version of the workshop")
        wrong = [r for r in self.rows if r.wrong]
        lines.append("")
        lines.append("Most common wrong answers:" if wrong else "No wrong answers recorded yet.")
        for r in wrong:
            for answer, learners, times in r.wrong:
                lines.append(f"  {r.id:<6} {answer}  — {learners} learner{'s' if learners != 1 else ''}"
                             f" ({times} time{'s' if times != 1 else ''})")
        if who:
            stuck = [r for r in self.rows if r.stuck_who]
            if stuck:
                lines.append("")
                lines.append("Stuck (attempted, not finished):")
                for r in stuck:
                    lines.append(f"  {r.id:<6} {', '.join(r.stuck_who)}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        return f"<div class=\"ctopath-room\">{STATE_STYLE}{self.summary_html()}</div>"

    def summary_html(self) -> str:
        """The per-exercise table: counts with shape-and-word headers (no emoji, no colour alone)."""
        e = html.escape
        n = len(self.learners)
        out = [f'<p><strong>Room: {n} learner{"s" if n != 1 else ""}</strong>'
               f" ({len(self.skipped)} store{'s' if len(self.skipped) != 1 else ''} skipped)</p>"]
        if self.catalogue_error:
            out.append(f"<p>Note: {e(self.catalogue_error)}</p>")
        if self.skipped:
            out.append("<details><summary>Skipped stores</summary><ul>")
            out += [f"<li><code>{e(safe_text(s.path, 100))}</code>: {e(s.reason)}</li>" for s in self.skipped]
            out.append("</ul></details>")
        out.append('<table class="ctopath-room-summary"><thead><tr><th>Exercise</th><th>Title</th>'
                   + "".join(f"<th>{icon(state)} {STATE_WORDS[state].capitalize()}</th>"
                             for state in ("done", "stuck", "revealed", "not_started"))
                   + "<th>Most common wrong answers</th></tr></thead><tbody>")
        for r in self.rows:
            wrong = "<br>".join(f"{e(a)} — {k} learner{'s' if k != 1 else ''}" for a, k, _ in r.wrong)
            out.append(f'<tr data-exercise="{e(r.id)}"><td>{e(r.id)}</td><td>{e(r.title)}</td>'
                       f'<td class="done">{r.finished}</td><td class="stuck">{r.stuck}</td>'
                       f'<td class="revealed">{r.revealed}</td><td class="not_started">{r.not_started}</td>'
                       f"<td>{wrong}</td></tr>")
        out.append("</tbody></table>")
        return "".join(out)

    # -- learners x exercises ---------------------------------------------------------------
    def cell_state(self, learner: Learner, ex_id: str) -> str:
        """One learner on one exercise: revealed, done, stuck or not_started."""
        rec = learner.records.get(ex_id)
        if not rec:
            return "not_started"
        if rec["revealed"]:
            return "revealed"
        if rec["finished"]:
            return "done"
        if rec["attempts"] > 0:
            return "stuck"
        return "not_started"

    def active_rows(self) -> list[ExerciseRow]:
        """Exercises someone has started or revealed: the columns worth a glance."""
        return [r for r in self.rows if r.started or r.revealed]

    def heatmap(self) -> dict:
        """{"exercises": [...ids], "learners": [{"name", "cells": [state per exercise]}]}."""
        ids = [r.id for r in self.active_rows()]
        return {"exercises": ids,
                "learners": [{"name": lr.label, "cells": [self.cell_state(lr, i) for i in ids]}
                             for lr in sorted(self.learners, key=lambda lr: lr.label)]}

    def heatmap_html(self) -> str:
        e = html.escape
        grid = self.heatmap()
        if not grid["exercises"] or not grid["learners"]:
            return '<p class="ctopath-heatmap-empty">No learner has pressed Check yet.</p>'
        legend = " ".join(f'<span class="legend">{icon(s)} {STATE_WORDS[s]}</span>'
                          for s in ("done", "stuck", "revealed", "not_started"))
        out = [f'<p class="ctopath-legend">{legend}</p><table class="ctopath-heatmap"><thead><tr><th>Learner</th>']
        out += [f'<th scope="col"><span class="vertical">{e(i)}</span></th>' for i in grid["exercises"]]
        out.append("</tr></thead><tbody>")
        for row in grid["learners"]:
            name = e(row["name"])
            out.append(f'<tr data-learner="{name}"><th scope="row">{name}</th>')
            for ex_id, state in zip(grid["exercises"], row["cells"]):
                words = f"{row['name']}, {ex_id}: {STATE_WORDS[state]}"
                out.append(f'<td class="cell {state}" data-exercise="{e(ex_id)}" data-state="{state}" '
                           f'title="{e(words)}" aria-label="{e(words)}">{icon(state)}</td>')
            out.append("</tr>")
        out.append("</tbody></table>")
        return "".join(out)

    # -- who needs the instructor now -------------------------------------------------------
    def stuck_now(self, now: dt.datetime | None = None, minutes: float = 10, attempts: int = 3) -> list[dict]:
        """Learners with ``attempts`` or more tries and no success whose last try was in the last
        ``minutes``: where to walk next. Longest struggle (most attempts) first."""
        now = now or dt.datetime.now(dt.timezone.utc)
        titles = {r.id: r.title for r in self.rows}
        out = []
        for lr in self.learners:
            for ex_id, rec in lr.records.items():
                last = rec.get("last_attempt_at")
                if rec["finished"] or rec["attempts"] < attempts or last is None:
                    continue
                ago = (now - last).total_seconds() / 60
                if -1 <= ago <= minutes:  # a minute of clock skew between kernels is tolerated
                    out.append({"learner": lr.label, "exercise": ex_id, "title": titles.get(ex_id, ""),
                                "attempts": rec["attempts"], "hints": rec["hints"],
                                "revealed": rec["revealed"], "minutes_ago": max(0.0, round(ago, 1))})
        return sorted(out, key=lambda d: (-d["attempts"], d["minutes_ago"], d["learner"], d["exercise"]))

    def stuck_now_html(self, now: dt.datetime | None = None, minutes: float = 10, attempts: int = 3) -> str:
        e = html.escape
        rows = self.stuck_now(now, minutes, attempts)
        if not rows:
            return (f'<p class="ctopath-stuck-none">Nobody is stuck right now ({attempts}+ attempts without '
                    f"success in the last {minutes:g} minutes).</p>")
        out = ['<table class="ctopath-stuck-now"><thead><tr><th>Learner</th><th>Exercise</th>'
               "<th>Attempts</th><th>Hints</th><th>Last try</th></tr></thead><tbody>"]
        for r in rows:
            out.append(f'<tr data-learner="{e(r["learner"])}" data-exercise="{e(r["exercise"])}">'
                       f'<td>{icon("stuck")} {e(r["learner"])}</td><td>{e(r["exercise"])} {e(r["title"])}</td>'
                       f'<td>{r["attempts"]}</td><td>{r["hints"]}</td>'
                       f'<td>{r["minutes_ago"]:g} min ago</td></tr>')
        out.append("</tbody></table>")
        return "".join(out)

    # -- figure ---------------------------------------------------------------------------
    def figure(self, module: str | None = None):
        """Stacked bars per exercise: done, stuck, not started (hatched, not colour alone)."""
        from matplotlib.figure import Figure

        rows = self.only(module).rows
        fig = Figure(figsize=(8, max(2.0, 0.32 * len(rows) + 1.2)))
        ax = fig.add_subplot()
        labels = [r.id for r in rows][::-1]
        done = [r.finished for r in rows][::-1]
        stuck = [r.stuck for r in rows][::-1]
        idle = [max(0, r.learners - r.finished - r.stuck) for r in rows][::-1]
        ax.barh(labels, done, color="#2e7d32", label="done")
        ax.barh(labels, stuck, left=done, color="#ef6c00", hatch="//", label="stuck (attempts, no success)")
        ax.barh(labels, idle, left=[d + s for d, s in zip(done, stuck)], color="#cfd8dc", hatch="..",
                label="not started")
        for y, r in enumerate(rows[::-1]):
            if r.revealed:
                ax.annotate(f"revealed: {r.revealed}", (r.learners, y), xytext=(4, 0), textcoords="offset points",
                            va="center", fontsize=8)
        ax.set_xlabel(f"learners (of {len(self.learners)})")
        ax.set_title("The room, per exercise")
        ax.set_xlim(0, max(1, len(self.learners)) * 1.15)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.06), ncol=3, fontsize=8, frameon=False)
        fig.tight_layout()
        return fig


def collect(paths, top: int = 3) -> RoomReport:
    """Read every store under ``paths`` and summarise the room."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    learners, skipped = read_learners(paths)
    return RoomReport(learners, skipped, top=top)


def view(paths, top: int = 3):
    """A widget: Refresh button, module filter, who is stuck now, the heat map, the table and the
    figure. (On a hub, the room dashboard service shows the same, refreshing by itself.)"""
    import ipywidgets as w
    from IPython.display import display

    report = collect(paths, top)
    modules = ["all"] + sorted({r.module for r in report.rows})
    refresh = w.Button(description="Refresh", icon="refresh", tooltip="Read the progress stores again")
    pick = w.Dropdown(options=modules, value="all", description="Module")
    status = w.Label()
    out = w.Output()

    def draw(*_):
        with out:
            out.clear_output(wait=True)
            try:
                from IPython.display import HTML

                module = None if pick.value == "all" else pick.value
                display(HTML(STATE_STYLE + "<h4>Stuck right now</h4>" + report.stuck_now_html()
                             + "<h4>Learners × exercises</h4>" + report.only(module).heatmap_html()))
                display(report.only(module))
                display(report.figure(module))
                status.value = f"{len(report.learners)} learners, {len(report.skipped)} skipped"
            except Exception as err:  # shown, never lost
                print(f"The room view failed: {type(err).__name__}: {err}")

    def reload(*_):
        nonlocal report
        report = collect(paths, top)
        draw()

    refresh.on_click(reload)
    pick.observe(draw, names=["value"])
    box = w.VBox([w.HBox([refresh, pick, status]), out])
    box.add_class("ctopath-room-view")
    draw()
    return box


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ctopath room", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="a progress.json, a learner's home, or a folder of homes (e.g. /home)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--top", type=int, default=3, help="wrong answers shown per exercise (default 3)")
    parser.add_argument("--who", action="store_true", help="also list who is stuck where")
    args = parser.parse_args(argv)
    report = collect(args.paths, top=max(0, args.top))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(report.text(who=args.who))
    return 0


if __name__ == "__main__":
    sys.exit(main())
