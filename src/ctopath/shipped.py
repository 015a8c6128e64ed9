"""Where the repository's files are when the package is installed without the repository.

In a checkout (and an editable install) the data and the lock are read from the repository's
top level; a wheel carries copies in ``ctopath/_shipped/`` (see setup.py), read through
importlib.resources.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def repo_or_shipped(relative: str) -> Path:
    """``<repo>/<relative>`` in a checkout, else the copy shipped inside the package."""
    in_repo = REPO / relative
    if in_repo.exists() and (REPO / "pyproject.toml").is_file():
        return in_repo
    return Path(str(resources.files("ctopath").joinpath("_shipped", relative)))
