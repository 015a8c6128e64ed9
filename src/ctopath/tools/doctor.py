"""Preflight check: is this machine ready for the workshop?

    python -m ctopath doctor [--quiet]

Checks Python and every locked package version, the JupyterLab widget
extension, the data files and their checksums, and that the progress store is
writable. Prints a plain report in the learner's language (``CTOPATH_LANG``, ``set_language``);
exits 1 when something needs fixing.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..engine.i18n import Msg, join, tr
from ..shipped import REPO, repo_or_shipped

ROOT = REPO
LOCK = repo_or_shipped("requirements.lock")


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        """The check in the current language: mark, name, detail, and the fix when it failed."""
        mark = "✓" if self.ok else "✗"
        tail = "\n    " + tr(Msg("fix: {fix}", fix=self.fix)) if (self.fix and not self.ok) else ""
        return f"{mark} {tr(Msg('{name}: {detail}', name=self.name, detail=self.detail))}{tail}"


def locked_versions(lock: Path = LOCK) -> dict[str, str]:
    """``{normalised name: version}`` of every ``name==version`` line (hash lines are skipped)."""
    pins = {}
    for raw in lock.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip().rstrip("\\").strip()
        if "==" in line and not line.startswith("--"):
            name, version = line.split("==", 1)
            pins[canonical(name)] = version.strip()
    return pins


def canonical(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(".", "-")


def needed_packages(extras: tuple[str, ...] = ("lab",), root: str = "ctopath") -> tuple[set[str], set[str]]:
    """What ``root[extras]`` needs, from installed metadata: ``(installed names, missing names)``.

    The workshop's kernel needs the package's plain dependencies; a learner also needs ``lab``.
    Test and room packages are in the lock too but are not needed to take the workshop.
    """
    from packaging.requirements import Requirement

    found, missing, done = set(), set(), set()
    todo = [(canonical(root), frozenset(extras))]
    while todo:
        name, wanted = todo.pop()
        if (name, wanted) in done:
            continue
        done.add((name, wanted))
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            missing.add(name)
            continue
        found.add(name)
        for text in requires:
            req = Requirement(text)
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in (*wanted, "")):
                todo.append((canonical(req.name), frozenset(req.extras)))
    return found - {canonical(root)}, missing


def check_python() -> Check:
    v = sys.version_info
    ok = v >= (3, 11)
    return Check("Python", ok, Msg("{version} at {path}", version=f"{v.major}.{v.minor}.{v.micro}",
                                   path=sys.executable),
                 Msg("install Python 3.11 or newer, then `make clean lab`"))


def check_packages() -> Check:
    if not LOCK.exists():
        return Check(Msg("Packages"), False, Msg("{file} not found", file=LOCK.name),
                     Msg("run from a full checkout of the workshop"))
    pins = locked_versions()
    needed, missing = needed_packages()
    wrong, optional = [], 0
    for name, want in pins.items():
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            if name in needed:
                missing.add(name)
            else:
                optional += 1  # test or room packages: not needed to take the workshop
            continue
        if have != want:
            wrong.append(f"{name} {have} (lock: {want})")
    missing = sorted(missing)
    ok = not wrong and not missing
    extra = Msg("; {n} more for tests or the room not installed", n=optional) if optional else ""
    detail = (Msg("all {n} installed locked packages at their locked versions{extra}", n=len(pins) - optional,
                  extra=extra) if ok
              else join(([Msg("missing: {names}", names=", ".join(missing[:8]))] if missing else [])
                        + ([Msg("different: {names}", names=", ".join(wrong[:8]))] if wrong else []), "; "))
    return Check(Msg("Packages"), ok, detail, Msg("run `make venv` (it installs exactly requirements.lock)"))


def check_widgets_extension() -> Check:
    from jupyter_core.paths import jupyter_path

    # The workshop's named controls (sliders, radio groups, live feedback) need anywidget's frontend too.
    wanted = {"@jupyter-widgets/jupyterlab-manager": "jupyterlab_widgets", "anywidget": "anywidget"}
    found = {}
    for base in jupyter_path("labextensions"):
        for ext in wanted:
            if ext not in found and (Path(base) / ext / "package.json").exists():
                found[ext] = Path(base)
    if len(found) == len(wanted):
        return Check(Msg("JupyterLab widgets"), True, Msg("extension found in {folder}",
                                                     folder=str(found["@jupyter-widgets/jupyterlab-manager"])))
    missing = [ext for ext in wanted if ext not in found]
    return Check(Msg("JupyterLab widgets"), False, Msg("the {names} extension is not installed", names=", ".join(missing)),
                 Msg("run `make venv` ({packages} ships the extension), then restart JupyterLab",
                     packages=", ".join(wanted[m] for m in missing)))


def check_data() -> Check:
    from .. import data

    problems = data.verify()
    if problems:
        return Check(Msg("Data"), False, join(problems[:5], "; "), Msg("run `python -m ctopath data` (or `make data`)"))
    return Check(Msg("Data"), True, Msg("{n} files in {folder} match their checksums", n=len(data.checksums()),
                                   folder=str(data.data_dir())))


def check_progress() -> Check:
    from ..engine.progress import ProgressStore

    store = ProgressStore()
    try:
        store.path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=store.path.parent, prefix=".doctor-", delete=True):
            pass
        store.load()
    except Exception as err:  # any failure here is what the learner needs to hear about
        return Check(Msg("Progress store"), False, Msg("{path}: {error}", path=str(store.path), error=str(err)),
                     Msg("set CTOPATH_PROGRESS to a file in a folder you can write"))
    return Check(Msg("Progress store"), True, Msg("writable at {path}", path=str(store.path)))


def run_checks() -> list[Check]:
    checks = []
    for fn in (check_python, check_packages, check_widgets_extension, check_data, check_progress):
        try:
            checks.append(fn())
        except Exception as err:  # a broken check is itself a finding, never a crash
            checks.append(Check(fn.__name__.removeprefix("check_"), False, Msg("could not check: {error}", error=str(err))))
    return checks


class Report:
    def __init__(self, checks: list[Check]):
        self.checks = checks

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def __repr__(self) -> str:
        head = tr("Ready for the workshop.") if self.ok else tr("Something needs fixing before the workshop:")
        return "\n".join([head, *(c.line() for c in self.checks)])


def report() -> Report:
    """The preflight report (displays itself in a notebook)."""
    return Report(run_checks())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ctopath doctor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quiet", action="store_true", help="print only problems")
    parser.add_argument("--lang", help="the language of the report: en or zh (default: CTOPATH_LANG, else en)")
    args = parser.parse_args(argv)
    if args.lang:
        from ..engine.i18n import set_language

        try:
            set_language(args.lang)
        except ValueError as err:
            parser.error(str(err))
    rep = report()
    if args.quiet:
        for c in rep.checks:
            if not c.ok:
                print(c.line())
    else:
        print(rep)
    return 0 if rep.ok else 1


if __name__ == "__main__":
    sys.exit(main())
