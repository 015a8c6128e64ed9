"""Shared test setup: every test (and every kernel a test starts) writes progress to a
throw-away store, never to the tester's home."""
import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent

_session_dir = tempfile.mkdtemp(prefix="ctopath-tests-")
# Set at import, before nbval or any test starts a kernel, so kernels inherit it.
os.environ["CTOPATH_PROGRESS"] = str(Path(_session_dir) / "progress.json")
os.environ["CTOPATH_PLAN_PATH"] = str(Path(_session_dir) / "my-90-day-plan.md")  # module 06 never writes into the repo
# The English edition is checked in English whatever the tester's shell says; the Chinese
# notebooks choose their language in their first cell.
os.environ.pop("CTOPATH_LANG", None)


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    """A fresh, empty progress store for one test."""
    path = tmp_path / "progress.json"
    monkeypatch.setenv("CTOPATH_PROGRESS", str(path))
    return path


@pytest.fixture(scope="session")
def repo_data():
    """Load a table from the repository's data/, whatever CTOPATH_DATA a test sets for itself."""
    from ctopath import data

    def load(name):
        mp = pytest.MonkeyPatch()
        mp.delenv("CTOPATH_DATA", raising=False)
        try:
            data.clear_cache()
            return data.load(name)
        finally:
            mp.undo()

    return load
