"""Build hook: ship the company's data and the lock inside the wheel.

`data/` and `requirements.lock` stay at the top of the repository (learners and instructors read
them there); a non-editable install (`pip install .`, a built wheel) gets a copy in
``ctopath/_shipped/`` so the package works anywhere. Editable installs read the repository's files.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = {"data": ["*.csv", "README.md", "SHA256SUMS"], ".": ["requirements.lock"]}


class BuildWithData(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "ctopath" / "_shipped"
        for folder, patterns in SHIPPED.items():
            out = target / folder if folder != "." else target
            out.mkdir(parents=True, exist_ok=True)
            for pattern in patterns:
                for file in sorted((ROOT / folder).glob(pattern)):
                    shutil.copy2(file, out / file.name)
        if not list((target / "data").glob("*.csv")):
            raise SystemExit("no data/*.csv to ship: run `python -m ctopath data` first")


setup(cmdclass={"build_py": BuildWithData})
