"""One learner cannot take the room down: a kernel that allocates without end gets MemoryError at
the learner's memory limit, a kernel that spins forever is stopped by its CPU limit, and all the
while another learner's cells run and the hub answers. The limits are the spawner's hard
setrlimit + nice (this machine has no cgroup controllers); the test room sets 1 GiB of memory and
30 CPU seconds per process (conftest.ROOM_ENV).
"""
import threading
import time

import pytest

pytestmark = pytest.mark.room

GIB = 2**30


def _status(pid: int) -> dict:
    with open(f"/proc/{pid}/status") as fh:
        return dict(line.split(":", 1) for line in fh)


def _kernel_pid(room, name: str, kernel) -> int:
    out = kernel.execute("import os; print(os.getpid())")
    assert out["status"] == "ok", out
    return int(out["stdout"])


def _meanwhile(room, name: str, stop: threading.Event, seconds: list) -> threading.Thread:
    """Another learner keeps running small cells; the time of each is recorded."""
    def work():
        kernel = room.server(name).open_kernel(room.notebook_rel)
        try:
            while not stop.is_set():
                t0 = time.perf_counter()
                out = kernel.execute("sum(range(100_000))", timeout=60)
                assert out["status"] == "ok", out
                seconds.append(time.perf_counter() - t0)
                time.sleep(0.2)
        finally:
            kernel.close()
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_the_limits_are_hard_and_the_learner_cannot_raise_them(room):
    kernel = room.server("l04").open_kernel(room.notebook_rel)
    try:
        out = kernel.execute(
            "import resource, os\n"
            "print(resource.getrlimit(resource.RLIMIT_DATA), resource.getrlimit(resource.RLIMIT_CPU),\n"
            "      resource.getrlimit(resource.RLIMIT_NPROC), os.nice(0))\n"
            "try:\n    resource.setrlimit(resource.RLIMIT_DATA, (resource.RLIM_INFINITY,) * 2)\n"
            "    print('raised')\nexcept (ValueError, OSError) as e:\n    print('refused', type(e).__name__)\n")
    finally:
        kernel.close()
    assert out["status"] == "ok", out
    assert out["stdout"].splitlines() == [f"({GIB}, {GIB}) (30, 35) (128, 128) 10", "refused ValueError"], out["stdout"]


def test_a_runaway_allocation_is_stopped_at_the_limit_while_others_keep_working(room):
    stop, others = threading.Event(), []
    helper = _meanwhile(room, "l05", stop, others)
    kernel = room.server("l04").open_kernel(room.notebook_rel)
    try:
        pid = _kernel_pid(room, "l04", kernel)
        t0 = time.perf_counter()
        out = kernel.execute("chunks = []\nwhile len(chunks) < 20 * 16:  # 20 GB in 64 MiB steps\n"
                             "    chunks.append(bytearray(64 * 2**20))\n", timeout=120)
        seconds = time.perf_counter() - t0
        peak_kib = int(_status(pid)["VmHWM"].split()[0])
        after = kernel.execute("del chunks\nprint('still here')")
    finally:
        stop.set()
        helper.join(60)
        kernel.close()
    assert out["status"] == "error" and out["error"].startswith("MemoryError"), out
    assert peak_kib * 1024 < 1.2 * GIB, f"the kernel reached {peak_kib // 1024} MiB"
    assert after["stdout"].strip() == "still here", "the learner's kernel should survive its MemoryError"
    assert others and max(others) < 5, f"the other learner waited {max(others or [0]):.1f} s for a cell"
    print(f"runaway allocation stopped after {seconds:.1f} s at {peak_kib // 1024} MiB peak; "
          f"the other learner's {len(others)} cells took at most {max(others):.2f} s")


def test_a_kernel_that_spins_forever_is_stopped_while_others_keep_working(room):
    import psutil

    stop, others = threading.Event(), []
    helper = _meanwhile(room, "l07", stop, others)
    server = room.server("l06")
    kernel = server.open_kernel(room.notebook_rel)
    try:
        pid = _kernel_pid(room, "l06", kernel)
        assert psutil.Process(pid).nice() == 10
        t0 = time.perf_counter()
        kernel.send_execute("while True:\n    pass\n")
        deadline = time.time() + 120
        while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE and time.time() < deadline:
            time.sleep(0.5)
        seconds = time.perf_counter() - t0
        api = room.api("GET", "/users/l06")
    finally:
        stop.set()
        helper.join(60)
        kernel.close()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, \
        "the spinning kernel was not stopped"
    assert api.status_code == 200, "the hub stopped answering"
    assert others and max(others) < 5, f"the other learner waited {max(others or [0]):.1f} s for a cell"
    print(f"spinning kernel stopped after {seconds:.0f} s; the other learner's {len(others)} cells "
          f"took at most {max(others):.2f} s")
