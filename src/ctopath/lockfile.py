"""environment.yml is written from requirements.lock, so conda/Binder users get the same versions.

    python -m ctopath.lockfile          rewrite environment.yml from requirements.lock
    python -m ctopath.lockfile --check  exit 1 if environment.yml differs from what the lock says
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .doctor import LOCK, locked_versions

ROOT = Path(__file__).resolve().parents[2]
ENV_FILE = ROOT / "environment.yml"

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
    "setuptools": "builds the ctopath package in editable mode",
}


def render(lock: Path = LOCK) -> str:
    pins = {}
    for raw in lock.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip()] = version.strip()
    direct = [n for n in pins if n.lower() in PURPOSE]
    rest = [n for n in pins if n.lower() not in PURPOSE]
    out = [
        "# Conda / mamba / Binder environment for Coder to CTO.",
        "# Generated from requirements.lock by `python -m ctopath.lockfile`; a test keeps them equal.",
        "# Everything comes from PyPI through pip so conda users get exactly the versions the",
        "# stored notebook outputs were made with (pandas' output differs across versions).",
        "#   conda env create -f environment.yml && conda activate ctopath",
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
    out += ["      # The workshop's own package (Binder's postBuild installs it too):",
            "      - -e ."]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ctopath.lockfile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        same = ENV_FILE.exists() and ENV_FILE.read_text(encoding="utf-8") == text
        print("environment.yml matches requirements.lock" if same else
              "environment.yml differs from requirements.lock: run `python -m ctopath.lockfile`")
        return 0 if same else 1
    ENV_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {ENV_FILE.name} ({len(locked_versions())} pins)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
