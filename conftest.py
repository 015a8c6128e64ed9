"""Shared test setup: every test (and every kernel a test starts) writes progress to a
throw-away store, never to the tester's home."""
import functools
import os
import tempfile
import time
from pathlib import Path
from queue import Empty

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



@functools.cache
def _notebook_client():
    """nbclient's NotebookClient without its stall on widget cells; imported only when first used."""
    from nbclient import NotebookClient

    class Client(NotebookClient):
        # nbclient's stand-in for an ipywidgets Output widget sends on the shell socket while nbclient
        # awaits the execute reply on that socket; the reply's wake-up can then be lost, and the cell
        # ends only when the whole timeout has run out (jupyter/nbclient#312: 120 s for the room view).
        # Waiting in half-second slices picks up a reply that has already arrived; a reply that never
        # comes still times out as before.
        async def async_start_new_kernel_client(self):
            kc = await super().async_start_new_kernel_client()
            get_msg = kc.shell_channel.get_msg

            async def get_msg_in_slices(timeout=None):
                deadline = None if timeout is None else time.monotonic() + timeout
                while True:
                    left = None if deadline is None else max(0.0, deadline - time.monotonic())
                    try:
                        return await get_msg(timeout=0.5 if left is None else min(0.5, left))
                    except Empty:
                        if left is not None and left <= 0.5:
                            raise

            kc.shell_channel.get_msg = get_msg_in_slices
            return kc

    return Client


@pytest.fixture(scope="session")
def execute_notebook():
    """Run a notebook top to bottom in a fresh python3 kernel, in folder ``cwd``; returns it with its
    outputs. Other keyword arguments go to nbclient's NotebookClient (e.g. allow_errors=True)."""

    def execute(nb, cwd=None, timeout=120, **options):
        resources = {"metadata": {"path": str(cwd)}} if cwd is not None else {}
        return _notebook_client()(nb, timeout=timeout, kernel_name="python3", resources=resources,
                                  **options).execute()

    return execute


# Files whose every test runs whole notebooks and needs nothing an earlier test of the file left.
EACH_TEST_ON_ANY_WORKER = {"tests/browser/test_accessibility.py", "tests/notebooks/test_learner_notebooks.py",
                           "tests/notebooks/test_learner_record.py"}


def pytest_xdist_make_scheduler(config, log):
    """`make test` runs two workers with --dist loadfile: each file's tests run together, in order, on
    one worker (a notebook's cells in one kernel under nbval, a module's fixtures built once), except
    in EACH_TEST_ON_ANY_WORKER, whose tests are handed out one by one. Each worker runs its share in
    the order of a serial run."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class FilesAndSpreadTests(LoadFileScheduling):
        def _split_scope(self, nodeid):
            file = super()._split_scope(nodeid)
            return nodeid if file in EACH_TEST_ON_ANY_WORKER else file

    return FilesAndSpreadTests(config, log)
