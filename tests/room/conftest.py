"""The room fixture: a real JupyterHub (deploy/jupyterhub/jupyterhub_config.py) on 127.0.0.1 with
10 learners, each a real Unix user running the learner notebook in their own server.

Runs only when asked (`make test-room` sets CTOPATH_ROOM_TESTS=1) and only as root; otherwise
every test here skips with the reason. With CTOPATH_REQUIRE_ROOM=1 (CI) a skip is a failure.
Everything the room creates — processes, Unix users, homes, the hub's state — is removed in the
fixture's teardown, even when a test or the start-up fails.
"""
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import room_harness as rh  # noqa: E402

LEARNERS = [f"l{i:02d}" for i in range(int(os.environ.get("CTOPATH_ROOM_LEARNERS", "10")))]
# On the roster but never started by the fixture: the login tests use them.
SPARE = ["ana", "ben", "cai", "dan"]
# Limits small enough to test quickly; the defaults for a real room are in jupyterhub_config.py.
ROOM_ENV = {
    "CTOPATH_HUB_MEM_LIMIT": "1G",
    "CTOPATH_HUB_CPU_SECONDS": "30",
    "CTOPATH_HUB_FAILED_LOGINS": "3",
    "CTOPATH_HUB_LOCKOUT_SECONDS": "300",
}

# After the notebook, every learner answers 00.1 wrong ("market"); the even ones then answer it
# right; learner 03 reveals the solution. The room view must count exactly that.
PROGRESS_CELL = """
import ctopath
_ex = ctopath.exercise("00.1")
_ = _ex.submit("market")
if {even}:
    _ = _ex.submit("chassis")
if {reveal}:
    from ctopath.engine.progress import ProgressStore
    ProgressStore().record_solution("00.1")
print("progress recorded")
"""


def _skip_or_fail(reason: str):
    if os.environ.get("CTOPATH_REQUIRE_ROOM") == "1":
        pytest.fail(f"ROOM TESTS REQUIRED but cannot run: {reason}", pytrace=False)
    pytest.skip(f"ROOM TESTS SKIPPED: {reason}")


def run_learner(room: rh.Room, name: str, index: int) -> dict:
    server = room.server(name)
    nb = server.get_notebook(room.notebook_rel)
    kernel = server.open_kernel(room.notebook_rel)
    t0 = time.perf_counter()
    try:
        results = kernel.run_notebook(nb)
        seconds = time.perf_counter() - t0
        extra = kernel.execute(PROGRESS_CELL.format(even=index % 2 == 0, reveal=index == 3))
    finally:
        kernel.close()
    return {"name": name, "kernel": kernel.id, "results": results, "extra": extra, "seconds": seconds,
            "code_cells": sum(1 for c in nb["cells"] if c["cell_type"] == "code")}


@pytest.fixture(scope="session")
def room():
    if os.environ.get("CTOPATH_ROOM_TESTS") != "1" and os.environ.get("CTOPATH_REQUIRE_ROOM") != "1":
        pytest.skip("ROOM TESTS SKIPPED: they create real Unix users; run them with `make test-room` (as root)")
    missing = rh.missing_requirements()
    if missing:
        _skip_or_fail("; ".join(missing))
    strays = rh.remove_strays()
    if strays:
        print(f"removed leftovers of an earlier room test: {strays}")
    room = rh.Room(roster=LEARNERS + SPARE, extra_env=ROOM_ENV)
    room.extra_env["CTOPATH_HUB_SAFE_GIT_REPOS"] = str(room.base / "upstream.git")  # test_room_pull.py
    try:
        room.start()
        room.create_learners(LEARNERS)
        room.spawn_seconds = room.start_all(LEARNERS)
        with ThreadPoolExecutor(max_workers=len(LEARNERS)) as pool:
            runs = list(pool.map(lambda a: run_learner(room, *a), [(n, i) for i, n in enumerate(LEARNERS)]))
        room.runs = {r["name"]: r for r in runs}
        yield room
    except rh.RoomError as err:
        pytest.fail(f"the room did not come up: {err}", pytrace=False)
    finally:
        room.close()
        leftovers = [a.pw_name for a in rh.room_accounts(room.prefix)]
        assert not leftovers, f"Unix users left behind: {leftovers}"
        assert not room.base.exists(), f"{room.base} left behind"
