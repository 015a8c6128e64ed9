"""Benchmark (not a test): a real JupyterHub room with N learners on this machine.

    make bench-room N=30        (root; creates and removes N Unix users)

Prints, as Markdown: the time to spawn N servers at once, the time for all N learners to run the
learner notebook at once (each in their own kernel, over the websocket), and memory as PSS
(proportional set size: shared pages split between the processes that share them) per learner
(server + kernel) and in total (learners + hub + proxy + culler + dashboard).
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import room_harness as rh  # noqa: E402


def pss_mib(pids) -> float:
    import psutil

    total = 0
    for pid in pids:
        try:
            total += psutil.Process(pid).memory_full_info().pss
        except psutil.Error:
            pass
    return total / 2**20


def run_one(room: rh.Room, name: str) -> float:
    server = room.server(name)
    nb = server.get_notebook(room.notebook_rel)
    t0 = time.perf_counter()
    kernel = server.open_kernel(room.notebook_rel)
    try:
        results = kernel.run_notebook(nb)
    finally:
        kernel.close()
    bad = [r["error"] for r in results if r["status"] != "ok"]
    if bad:
        raise rh.RoomError(f"{name}: {bad[:2]}")
    return time.perf_counter() - t0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", "-n", type=int, default=30)
    args = parser.parse_args(argv)
    missing = rh.missing_requirements()
    if missing:
        print("bench-room cannot run: " + "; ".join(missing), file=sys.stderr)
        return 2
    import psutil

    rh.remove_strays()
    names = [f"b{i:03d}" for i in range(args.learners)]
    room = rh.Room()
    try:
        room.start()
        room.create_learners(names)
        for name in names:
            room.token_for(name)
        t0 = time.perf_counter()
        ready = room.start_all(names, workers=min(32, len(names)))
        spawn_all = time.perf_counter() - t0
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(names)) as pool:
            runs = list(pool.map(lambda n: run_one(room, n), names))
        run_all = time.perf_counter() - t0
        time.sleep(2)  # let kernels settle after their last reply
        per_learner = [pss_mib(pids) for pids in room.learner_pids().values()]
        hub_side = pss_mib(p.pid for p in room.process_tree()
                           if p.uids().real == 0)  # hub, proxy, culler, dashboard (learner processes are counted above)
        total = hub_side + sum(per_learner)
        mem = psutil.virtual_memory()
        n = len(names)
        print(f"## Room benchmark: {n} learners on one machine\n")
        print(f"{os.cpu_count()} CPUs, {mem.total / 2**30:.1f} GiB RAM, {platform.platform()}, "
              f"Python {platform.python_version()}; notebook: exercises/{room.notebook_src.name}\n")
        print("| measure | value |\n|---|---:|")
        print(f"| spawn {n} servers at once: until all are ready | {spawn_all:.1f} s |")
        print(f"| ... one server ready after (median / slowest) | {statistics.median(ready.values()):.1f} s "
              f"/ {max(ready.values()):.1f} s |")
        print(f"| all {n} run the notebook at once: until all finished | {run_all:.1f} s |")
        print(f"| ... one learner's run (median / slowest) | {statistics.median(runs):.1f} s / {max(runs):.1f} s |")
        print(f"| memory per learner, server + kernel (PSS, median / max) | {statistics.median(per_learner):.0f} MiB "
              f"/ {max(per_learner):.0f} MiB |")
        print(f"| hub + proxy + idle culler + dashboard (PSS) | {hub_side:.0f} MiB |")
        print(f"| total for the room (PSS) | {total:.0f} MiB ({total / 1024:.1f} GiB) |")
        return 0
    finally:
        room.close()


if __name__ == "__main__":
    sys.exit(main())
