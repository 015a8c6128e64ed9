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
    """The copy inside the package when it has one (a wheel), else ``<repo>/<relative>``.

    A checkout, an editable install and a copy of the workshop (a JupyterHub home) have no
    shipped copy and read the repository's files; a missing file is then reported where a
    learner can restore it.
    """
    shipped = Path(str(resources.files("ctopath").joinpath("_shipped", relative)))
    return shipped if shipped.exists() else REPO / relative
