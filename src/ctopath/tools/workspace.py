"""The learner's own copies: ``my-work/`` (git-ignored), made by ``ctopath lab`` on first run.

A learner's notebooks change as they work (answers, outputs), so working in the repository's
notebooks would make every ``git pull`` of the next workshop version conflict. ``prepare``
copies the lessons and the learner notebooks into ``my-work/`` and records what each copy was
made from. Later, when the workshop's version of a notebook changes:

- a copy the learner never changed is replaced by the new version;
- a copy the learner changed is kept, and the new version is put beside it as
  ``<name> (new version).ipynb`` — nothing the learner did is overwritten.
Progress lives in the progress store, not in the notebooks, so it carries over either way.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..engine.i18n import Msg, tr
from ..shipped import REPO

# The Chinese edition (zh/) is copied too, so switching language never needs a new setup.
FOLDERS = ("notebooks", "exercises", "zh/notebooks", "zh/exercises")
RECORD = ".made-from.json"
README = Msg("""\
# my-work: your own copies of the workshop

`make lab` made these from the workshop's `notebooks/` (lessons) and `exercises/` (your exercises).
Work here: git ignores this folder, so updating the workshop (`git pull`) never conflicts with your work.
When a new version of a notebook arrives, a copy you never changed is replaced; a copy you changed is
kept and the new version is put beside it as "... (new version).ipynb". Your progress is kept in
~/.ctopath/progress.json, not in the notebooks, so it is never lost.
""")


def _digest(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


@dataclass
class Prepared:
    folder: Path
    copied: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    beside: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """What ``make lab`` tells the learner about ``my-work/``, in the current language."""
        lines = []
        if self.copied:
            lines.append(Msg("Made your own copies of {n} notebooks in {folder}/ (git ignores it).",
                             n=len(self.copied), folder=str(self.folder)))
        if self.updated:
            lines.append(Msg("Updated {n} notebooks you had not changed: {names}.", n=len(self.updated),
                             names=", ".join(self.updated)))
        for name in self.beside:
            lines.append(Msg("A new version of {name} is beside your copy as {stem} (new version).ipynb; "
                             "your copy is unchanged.", name=name, stem=Path(name).stem))
        return "\n".join(tr(line) for line in lines)


def prepare(repo: Path = REPO, target: Path | None = None) -> Prepared:
    """Make or refresh ``target`` (default ``<repo>/my-work``) from the repository's notebooks."""
    target = target or repo / "my-work"
    target.mkdir(parents=True, exist_ok=True)
    record_file = target / RECORD
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
        record = record if isinstance(record, dict) else {}
    except (OSError, ValueError):
        record = {}  # a lost or damaged record only means copies are treated as the learner's own
    done = Prepared(target)
    for folder in FOLDERS:
        for source in sorted((repo / folder).glob("*.ipynb")):
            rel = f"{folder}/{source.name}"
            copy = target / rel
            new = _digest(source)
            made_from = record.get(rel)
            if not copy.exists():
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)
                done.copied.append(rel)
            elif made_from == new:
                continue
            elif isinstance(made_from, str) and _digest(copy) == made_from:
                shutil.copy2(source, copy)
                done.updated.append(rel)
            else:
                beside = copy.with_name(f"{copy.stem} (new version).ipynb")
                if not beside.exists() or _digest(beside) != new:
                    shutil.copy2(source, beside)
                    done.beside.append(rel)
                continue  # the learner's copy stays what it was made from
            record[rel] = new
    if not (target / "README.md").exists():
        (target / "README.md").write_text(tr(README), encoding="utf-8")
    record_file.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
    return done
