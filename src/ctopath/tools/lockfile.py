"""One lock, hashed; environment.yml and the installer's bootstrap are written from it.

    python -m ctopath lock                 rewrite environment.yml and requirements-bootstrap.lock
    python -m ctopath lock --check         exit 1 if either differs from what the lock says
    python -m ctopath lock --lock [--upgrade PKG ...]
                                               re-resolve requirements.lock from pyproject.toml with uv,
                                               keeping every locked version unless upgraded, with hashes
                                               for every platform's files (then run `make outputs`)

requirements.lock holds everything (runtime, lab, tools, tests, the room, and the installers pip
and uv); `make venv` installs it with ``--require-hashes``. environment.yml (Binder, conda) holds
only what a learner needs: the package's runtime dependencies and JupyterLab.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from ..shipped import REPO

from .doctor import LOCK, canonical, locked_versions, needed_packages

ROOT = REPO
ENV_FILE = ROOT / "environment.yml"
BOOTSTRAP = ROOT / "requirements-bootstrap.lock"
#: Installed by the lock too, so their versions are exact: the installers and the build backend.
INSTALLERS = ("pip", "uv", "setuptools")
LOCK_HEADER = """\
# Exact versions, with hashes, of every package the workshop, its tools, tests and room use.
# Written by `python -m ctopath lock --lock` (uv pip compile) from pyproject.toml; `make venv`
# installs it with --require-hashes. A version bump means regenerating stored notebook outputs in
# the same commit (`make outputs`). Deliberately absent: pyarrow (it changes pandas' string dtype).
"""

# What each direct dependency is for (the rest are their dependencies).
PURPOSE = {
    "jupyterlab": "the workshop's interface",
    "ipykernel": "runs the notebooks' Python",
    "ipywidgets": "exercise widgets: inputs, Check / Hint / Show solution / Reset",
    "anywidget": "the controls ipywidgets cannot name for a screen reader (sliders, radio groups, live feedback, chart text)",
    "pandas": "the company's data and the learners' answers",
    "numpy": "numbers under pandas; the data generator",
    "matplotlib": "charts in lessons and explorers",
    "mistune": "renders exercise prompts and hints (Markdown → HTML)",
    "filelock": "safe progress writes when two kernels check at once",
    "nbformat": "reads and writes notebooks (release tool)",
    "nbclient": "runs notebooks headless (release tool, tests, benchmark)",
    "psutil": "benchmark and preflight figures",
    "pytest": "tests",
    "nbval": "checks stored notebook outputs against a fresh run",
    "hypothesis": "property tests: no input makes a checker raise",
    "playwright": "drives Chromium through JupyterLab in the browser tests",
    "axe-playwright-python": "axe-core, the accessibility check in the browser tests",
    "jupyterhub": "the multi-learner room (deploy/jupyterhub)",
    "jupyterhub-idle-culler": "the room: stops servers idle for an hour",
    "jupyterhub-nativeauthenticator": "the room: a secret per learner, lockout after failed logins",
    "nbgitpuller": "the room: pulls the workshop into each home, merges later updates",
    "setuptools": "builds the ctopath package",
    "pip": "the installer Binder and conda use",
    "uv": "the installer `make venv` uses (fast, checks every hash)",
}


def _pin_names(lock: Path) -> dict[str, str]:
    """``{name as written: version}`` in the lock's order."""
    pins = {}
    for raw in lock.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip().rstrip("\\").strip()
        if "==" in line and not line.startswith("--"):
            name, version = line.split("==", 1)
            pins[name.strip()] = version.strip()
    return pins


def render(lock: Path = LOCK) -> str:
    """environment.yml: the lock's pins of what a learner needs (runtime + JupyterLab)."""
    needed, missing = needed_packages(("lab",))
    if missing:
        raise SystemExit(f"cannot tell what a learner needs: not installed: {', '.join(sorted(missing))}. "
                         "Run `make venv` first.")
    pins = {n: v for n, v in _pin_names(lock).items() if canonical(n) in needed or canonical(n) == "pip"}
    direct = [n for n in pins if n.lower() in PURPOSE]
    rest = [n for n in pins if n.lower() not in PURPOSE]
    out = [
        "# Binder / conda environment for Coder to CTO: what a learner needs (the workshop's runtime",
        "# and JupyterLab), nothing for tests or the room. Written from requirements.lock by",
        "# `python -m ctopath lock`; a test keeps them equal. Everything comes from PyPI through pip",
        "# so conda users get exactly the versions the stored outputs were made with.",
        "#   conda env create -f environment.yml && conda activate ctopath",
        "#   pip install --no-deps .   # the workshop's own package (Binder's postBuild does this)",
        "#   jupyter lab notebooks/00-orientation.ipynb",
        "name: ctopath",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - pip:",
        "      # What the workshop uses directly:",
    ]
    out += [f"      - {n}=={pins[n]}  # {PURPOSE[n.lower()]}" for n in direct]
    out += ["      # What those need, pinned as in requirements.lock:"]
    out += [f"      - {n}=={pins[n]}" for n in rest]
    return "\n".join(out) + "\n"


def render_bootstrap(lock: Path = LOCK) -> str:
    """The uv block of the lock, hashes included: what the venv's own pip installs first."""
    blocks = re.findall(r"^(uv==[^\n]*(?:\n[ \t]+--hash=[^\n]*)*)", lock.read_text(encoding="utf-8"), re.M)
    if not blocks:
        raise SystemExit("requirements.lock has no uv pin: run `python -m ctopath lock --lock`")
    return ("# The installer, installed by the venv's own pip before everything else (`make venv`).\n"
            "# Written from requirements.lock by `python -m ctopath lock`; a test keeps them equal.\n"
            + blocks[0] + "\n")


def relock(upgrade: list[str]) -> None:
    """Re-resolve requirements.lock with uv, keeping today's versions unless named in ``upgrade``."""
    uv = Path(sys.executable).with_name("uv")
    if not uv.exists():
        raise SystemExit("uv is not in this venv: run `make venv` first")
    current = _pin_names(LOCK) if LOCK.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        installers = Path(tmp, "installers.in")
        installers.write_text("".join(f"{n}=={current[n]}\n" if n in current else f"{n}\n" for n in INSTALLERS))
        keep = Path(tmp, "keep.txt")
        keep.write_text("".join(f"{n}=={v}\n" for n, v in current.items()
                                if canonical(n) not in {canonical(u) for u in upgrade}))
        cmd = [str(uv), "pip", "compile", str(ROOT / "pyproject.toml"), str(installers), "--all-extras",
               "--generate-hashes", "--python-version", "3.11", "--no-header", "--no-annotate",
               "--constraints", str(keep), "-o", str(Path(tmp, "lock.txt"))]
        cmd += [a for u in upgrade for a in ("--upgrade-package", u)]
        subprocess.run(cmd, check=True)
        body = Path(tmp, "lock.txt").read_text(encoding="utf-8")
    if re.search(r"^pyarrow==", body, re.M):
        raise SystemExit("pyarrow came into the lock: it changes pandas' output; find who pulls it in")
    LOCK.write_text(LOCK_HEADER + body, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ctopath lock", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if a file written from the lock is stale")
    parser.add_argument("--lock", action="store_true", help="re-resolve requirements.lock (needs the registry)")
    parser.add_argument("--upgrade", nargs="*", default=[], metavar="PKG", help="with --lock: let these move")
    args = parser.parse_args(argv)
    if args.lock:
        relock(args.upgrade)
        print(f"wrote {LOCK.name} ({len(locked_versions())} pins); now `make venv` and `make outputs`")
    files = {ENV_FILE: render(), BOOTSTRAP: render_bootstrap()}
    if args.check:
        stale = [f.name for f, text in files.items() if not f.exists() or f.read_text(encoding="utf-8") != text]
        print(f"{', '.join(stale)} differ from requirements.lock: run `python -m ctopath lock`" if stale
              else "environment.yml and requirements-bootstrap.lock match requirements.lock")
        return 1 if stale else 0
    for file, text in files.items():
        file.write_text(text, encoding="utf-8")
        print(f"wrote {file.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
