"""The room's spawner: JupyterHub's LocalProcessSpawner with one real Unix user per learner.

This is how The Littlest JupyterHub isolates learners on one machine:

* hub user ``alice`` runs as Unix user ``<prefix>alice`` (default ``jupyter-alice``), created on
  her first start with ``useradd``. The prefix means no learner name, not even ``root``, can ever
  map onto an existing system account; accounts below ``UID_MIN`` are refused outright.
* her home is ``<home_base>/<prefix>alice``, mode 0700 (re-tightened at every start), and her
  server runs with umask 077;
* the workshop's learner notebooks are copied into ``~/coder-to-cto`` on every start, *only where a
  file does not exist yet*: a learner's edits are never overwritten, and notebooks added to the
  workshop later still arrive. The copy runs as the learner (never as root), so a symlink a
  learner plants in her home cannot make root write anywhere.
* limits, set before the server starts as her and inherited by every kernel it starts. They are
  *hard* limits, so nothing she runs (not even her own Jupyter config) can raise them. This
  machine class has no cgroup controllers, so the limits are what setrlimit(2) and nice(2) give:
  - memory per process: RLIMIT_DATA = ``Spawner.mem_limit`` (private memory: the heap, every
    anonymous mapping; a 20 GB allocation fails at once with MemoryError) and RLIMIT_AS =
    ``mem_limit`` + ``address_space_headroom`` (everything mapped, libraries included);
  - processes and threads per learner: RLIMIT_NPROC = ``max_processes`` (counted per Unix user,
    so it is per learner; stops a fork bomb and bounds how many cores one learner can keep busy);
  - CPU: every learner process runs at ``niceness`` (the hub and the proxy keep priority over
    learners), and RLIMIT_CPU = ``cpu_seconds`` per process: a kernel that spins forever is
    killed after that much CPU time (Jupyter then restarts the kernel; her files are untouched).

Everything here runs inside the hub (as root). Nothing a learner wrote is evaluated.
"""
from __future__ import annotations

import asyncio
import os
import pwd
import re
import resource
import subprocess

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from jupyterhub.utils import random_port
from traitlets import Integer, List, Unicode, default

LEARNER_COMMENT = "ctopath learner"

# Runs as the learner (python -I -S -c SEED_CODE SRC DST PATTERN...), stdlib only.
# Copies each matching file from SRC into DST unless DST already has that name.
SEED_CODE = r"""
import glob, os, sys
src, dst, patterns = sys.argv[1], sys.argv[2], sys.argv[3:]
os.umask(0o077)
copied = 0
for pattern in patterns:
    for path in sorted(glob.glob(os.path.join(src, pattern))):
        if not os.path.isfile(path):
            continue
        rel = os.path.relpath(path, src)
        target = os.path.join(dst, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            out = open(target, "xb")          # exclusive: never replaces an existing file
        except FileExistsError:
            continue
        with out, open(path, "rb") as inp:
            out.write(inp.read())
        copied += 1
print(f"copied {copied} new file(s) into {dst}")
"""


class RoomSpawner(LocalProcessSpawner):
    """LocalProcessSpawner + a Unix account per learner, created on first start."""

    unix_prefix = Unicode(
        "jupyter-", config=True,
        help="Prefix of the Unix account of every hub user (hub 'alice' -> Unix 'jupyter-alice').")
    home_base = Unicode("/home", config=True, help="Folder that holds the learners' home folders.")
    min_uid = Integer(1000, config=True, help="Refuse to run a server as any account below this uid.")
    workshop_dir = Unicode(
        "", config=True,
        help="The workshop folder (readable by learners) that holds notebooks/ and exercises/.")
    workshop_patterns = List(
        Unicode(), ["notebooks/*.ipynb", "exercises/*.ipynb"], config=True,
        help="Files copied into each learner's home (never exercises/answers/).")
    workshop_folder = Unicode("coder-to-cto", config=True,
                              help="Name of the workshop folder inside each learner's home.")
    seed_python = Unicode("", config=True,
                          help="A Python the learner can run, used to copy the workshop as the learner.")
    address_space_headroom = Integer(
        2 * 1024**3, config=True,
        help="RLIMIT_AS is mem_limit plus this: room for shared libraries and thread stacks.")
    max_processes = Integer(
        128, config=True, help="RLIMIT_NPROC: processes + threads one learner may have at once (0: no limit).")
    cpu_seconds = Integer(
        1200, config=True,
        help="RLIMIT_CPU per learner process (server and each kernel): CPU seconds before it is stopped "
             "(0: no limit). A notebook of this workshop uses a few seconds.")
    niceness = Integer(10, config=True, help="nice(2) increment of every learner process (hub and proxy stay at 0).")
    git_safe_directories = List(
        Unicode(), [], config=True,
        help="Root-owned git repositories learners may pull from (nbgitpuller, file://). Git refuses a "
             "repository another user owns ('dubious ownership') unless a protected config names it; "
             "the spawner writes such a config (root-owned) and points GIT_CONFIG_SYSTEM at it.")
    runtime_base = Unicode(
        "/run/ctopath-hub", config=True,
        help="Folder of the learners' Jupyter runtime folders (one per learner, 0700). Kernels talk to "
             "their server over Unix sockets there (KernelManager.transport=ipc), not TCP ports.")

    # One useradd at a time: concurrent useradd calls fight over /etc/passwd's lock.
    _accounts_lock: asyncio.Lock | None = None
    # Ports given to servers of this hub. LocalProcessSpawner picks each with bind(0)-and-close;
    # with 30 spawns at once two learners once got the same port, and the hub's readiness check
    # accepted the other learner's server (any HTTP answer counts): b025's route led to b015.
    _ports_held: set[int] = set()

    @default("seed_python")
    def _default_seed_python(self):
        return self.cmd[0] if self.cmd else "python3"

    # -- who the learner is on this machine ------------------------------------
    @property
    def unix_name(self) -> str:
        return self.unix_prefix + self.user.name

    def _account(self) -> pwd.struct_passwd:
        account = pwd.getpwnam(self.unix_name)
        if account.pw_uid < self.min_uid or account.pw_uid == 0:
            raise RuntimeError(f"refusing to run a learner server as system account {self.unix_name} "
                               f"(uid {account.pw_uid} < {self.min_uid})")
        return account

    def resource_limits(self) -> dict[int, tuple[int, int]]:
        """{RLIMIT_*: (soft, hard)} for a learner's processes; a learner can lower them, never raise."""
        limits = {}
        if self.mem_limit:
            limits[resource.RLIMIT_DATA] = (self.mem_limit, self.mem_limit)
            address = self.mem_limit + self.address_space_headroom
            limits[resource.RLIMIT_AS] = (address, address)
        if self.max_processes:
            limits[resource.RLIMIT_NPROC] = (self.max_processes, self.max_processes)
        if self.cpu_seconds:
            # SIGXCPU at the soft limit (ends a Python process), SIGKILL 5 s later if it is ignored
            limits[resource.RLIMIT_CPU] = (self.cpu_seconds, self.cpu_seconds + 5)
        return limits

    def make_preexec_fn(self, name):
        setuid = set_user_setuid(self.unix_name)
        limits = self.resource_limits()
        niceness = self.niceness

        def preexec():
            # In the child, before exec: nothing here may allocate much or take locks.
            if niceness:
                os.nice(niceness)
            for which, pair in limits.items():
                resource.setrlimit(which, pair)
            setuid()
            os.umask(0o077)

        return preexec

    @property
    def runtime_dir(self) -> str:
        return os.path.join(self.runtime_base, self.unix_name)

    def user_env(self, env):
        account = self._account()
        env["USER"] = self.unix_name
        env["HOME"] = account.pw_dir
        env["SHELL"] = account.pw_shell or "/bin/sh"
        env["JUPYTER_RUNTIME_DIR"] = self.runtime_dir
        if self.git_safe_directories:
            env["GIT_CONFIG_SYSTEM"] = self.learner_gitconfig()
        return env

    def learner_gitconfig(self) -> str:
        """A root-owned git config for learners: the system one, plus the workshop repositories as
        safe. (GIT_CONFIG_COUNT would not do: git drops it when it runs upload-pack in a local
        repository; GIT_CONFIG_SYSTEM is kept.)"""
        path = os.path.join(self.runtime_base, "learner-gitconfig")
        lines = ["[include]", "\tpath = /etc/gitconfig", "[safe]"]
        for repo in self.git_safe_directories:
            repo = repo.rstrip("/")
            lines += [f"\tdirectory = {repo}", f"\tdirectory = {repo}/.git"]  # bare, or a work tree
        text = "\n".join(lines) + "\n"
        self._private_dir(self.runtime_base, 0, 0, 0o755)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        return path

    async def _run(self, *cmd: str) -> None:
        proc = await asyncio.create_subprocess_exec(
            *cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await proc.communicate()
        if proc.returncode:
            raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {out.decode(errors='replace')[-500:]}")

    async def ensure_account(self) -> pwd.struct_passwd:
        name = self.unix_name
        if not re.fullmatch(r"[a-z_][a-z0-9_-]{0,31}", name):
            raise RuntimeError(f"{name!r} is not a valid Unix user name")
        if RoomSpawner._accounts_lock is None:
            RoomSpawner._accounts_lock = asyncio.Lock()
        async with RoomSpawner._accounts_lock:
            try:
                pwd.getpwnam(name)
            except KeyError:
                home = os.path.join(self.home_base, name)
                self.log.info("Creating Unix account %s with home %s", name, home)
                await self._run("useradd", "--no-create-home", "--home-dir", home, "--shell", "/usr/sbin/nologin",
                                "--user-group", "--comment", LEARNER_COMMENT, name)
        account = self._account()
        home = account.pw_dir
        os.makedirs(self.home_base, mode=0o755, exist_ok=True)
        try:
            os.mkdir(home, 0o700)
            os.chown(home, account.pw_uid, account.pw_gid)
        except FileExistsError:
            st = os.lstat(home)
            if not os.path.isdir(home) or os.path.islink(home) or st.st_uid != account.pw_uid:
                raise RuntimeError(f"{home} exists but is not {name}'s own folder; refusing to start")
        os.chmod(home, 0o700)  # readable by its owner only, even if the learner loosened it
        self._private_dir(self.runtime_base, 0, 0, 0o755)
        self._private_dir(self.runtime_dir, account.pw_uid, account.pw_gid, 0o700)
        # kernel-<uuid>-ipc-<n>: a Unix socket path must stay under 108 bytes
        if len(os.path.join(self.runtime_dir, "kernel-" + "0" * 36 + "-ipc-5")) > 107:
            raise RuntimeError(f"runtime folder {self.runtime_dir} is too long for kernel sockets; "
                               "set RoomSpawner.runtime_base to a shorter path")
        return account

    @staticmethod
    def _private_dir(path: str, uid: int, gid: int, mode: int) -> None:
        """Create ``path`` owned by uid:gid with ``mode``, refusing anything but a real folder."""
        try:
            os.mkdir(path, mode)
            os.chown(path, uid, gid)
        except FileExistsError:
            st = os.lstat(path)
            if os.path.islink(path) or not os.path.isdir(path) or st.st_uid != uid:
                raise RuntimeError(f"{path} exists but is not a folder owned by uid {uid}; refusing to start")
        os.chmod(path, mode)

    async def seed_workshop(self, account: pwd.struct_passwd) -> None:
        if not self.workshop_dir:
            return
        dst = os.path.join(account.pw_dir, self.workshop_folder)
        cmd = [self.seed_python, "-I", "-S", "-c", SEED_CODE, self.workshop_dir, dst, *self.workshop_patterns]
        preexec = self.make_preexec_fn(self.unix_name)
        loop = asyncio.get_running_loop()

        def copy():
            return subprocess.run(cmd, preexec_fn=preexec, cwd=account.pw_dir, env={"PATH": "/usr/bin:/bin"},
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)

        done = await loop.run_in_executor(None, copy)
        text = done.stdout.decode(errors="replace").strip()
        if done.returncode:
            raise RuntimeError(f"copying the workshop into {dst} failed: {text[-500:]}")
        self.log.info("%s: %s", self.unix_name, text)

    def _fresh_port(self) -> int:
        while True:
            port = random_port()
            if port not in RoomSpawner._ports_held:
                RoomSpawner._ports_held.add(port)
                return port

    async def start(self):
        account = await self.ensure_account()
        await self.seed_workshop(account)
        self.port = self._fresh_port()
        try:
            return await super().start()
        except BaseException:
            RoomSpawner._ports_held.discard(self.port)
            raise

    async def stop(self, now=False):
        try:
            return await super().stop(now=now)
        finally:
            RoomSpawner._ports_held.discard(self.port)
