"""A real JupyterHub room on 127.0.0.1, for the room tests and `make bench-room`.

It starts JupyterHub with deploy/jupyterhub/jupyterhub_config.py, as root, with real Unix users
named ``ctolrn<run>-<name>`` (so strays are easy to find), in a staging folder
``$TMPDIR/ctolrn-<run>/`` that it creates and removes:

    workshop/  what learners read: src/, data/, notebooks/, exercises/ (root-owned, world-readable)
    py/        the base interpreter's stdlib, hard-linked, when the original is not world-readable
               (pyenv under /root, a CI clone in a private temp folder, ...)
    venv/      the project's .venv, hard-linked, re-pointed at py/ and workshop/src
    home/      the learners' homes (each 0700, owned by its learner)
    state/     the hub's secrets (learner codes from the real `python -m ctopath roster`, the
               service token, a self-signed certificate: the room is served over HTTPS), the
               database and the log (0700, root)

Everything it creates it removes in :meth:`Room.close`, even after a failure: processes (by pid),
Unix accounts, folders.
"""
from __future__ import annotations

import datetime
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "jupyterhub"
CONFIG = DEPLOY / "jupyterhub_config.py"
PROXY = DEPLOY / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
PREFIX = "ctolrn"
LEARNER_COMMENT = "ctopath learner"
WORKSHOP_FOLDER = "coder-to-cto"


class RoomError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# What is needed, and why a room cannot run here
# ---------------------------------------------------------------------------------------------

def missing_requirements() -> list[str]:
    why = []
    if os.name != "posix" or not hasattr(os, "geteuid"):
        why.append("needs Linux")
    elif os.geteuid() != 0:
        why.append("needs root (it creates real Unix users; run `sudo make test-room`)")
    for tool, package in (("useradd", "passwd"), ("userdel", "passwd"), ("git", "git")):
        if not shutil.which(tool, path="/usr/sbin:/usr/bin:/sbin:/bin"):
            why.append(f"needs {tool} (package {package})")
    if not PROXY.exists():
        why.append(f"needs configurable-http-proxy at {PROXY.relative_to(ROOT)} (make test-room installs it)")
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        why.append("needs jupyterhub (make venv installs requirements.lock)")
    return why


def learner_notebook() -> Path:
    """The learner notebook every learner runs: module 01's, else module 00's."""
    override = os.environ.get("CTOPATH_ROOM_NOTEBOOK")
    if override:
        return Path(override).resolve()
    for name in ("01-programmer-exercises.ipynb", "00-orientation-exercises.ipynb"):
        if (ROOT / "exercises" / name).exists():
            return ROOT / "exercises" / name
    raise RoomError("no learner notebook in exercises/ (expected 01-programmer-exercises.ipynb or "
                    "00-orientation-exercises.ipynb; run `make release`)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def world_readable(path: Path) -> bool:
    """Could an unprivileged user reach and read ``path``?"""
    path = Path(os.path.realpath(path))
    for parent in [*reversed(path.parents), path]:
        mode = parent.stat().st_mode
        if stat.S_ISDIR(mode) and not mode & stat.S_IXOTH:
            return False
    return bool(path.stat().st_mode & stat.S_IROTH)


def link_tree(src: Path, dst: Path, skip: set[str] = frozenset()) -> None:
    """Copy a tree by hard links (same file system) or by copying; symlinks stay symlinks."""
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = [d for d in dirnames if d not in skip]
        rel = Path(dirpath).relative_to(src)
        out = dst / rel
        out.mkdir(parents=True, exist_ok=True)
        os.chmod(out, 0o755)
        for d in dirnames:
            if (Path(dirpath) / d).is_symlink():
                os.symlink(os.readlink(Path(dirpath) / d), out / d)
        dirnames[:] = [d for d in dirnames if not (Path(dirpath) / d).is_symlink()]
        for name in filenames:
            s, d = Path(dirpath) / name, out / name
            if s.is_symlink():
                os.symlink(os.readlink(s), d)
                continue
            try:
                os.link(s, d)
            except OSError:
                shutil.copy2(s, d)


def write_self_signed(cert_path: Path, key_path: Path, host: str = "127.0.0.1") -> None:
    """A self-signed certificate for ``host`` (what a laptop-hosted room uses; see the README)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    for path, data in ((key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption())),
                       (cert_path, cert.public_bytes(serialization.Encoding.PEM))):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)


def replace_file(path: Path, text: str) -> None:
    """Write ``path`` as a new file (never through a hard link shared with the original)."""
    path.unlink(missing_ok=True)
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o644)


# ---------------------------------------------------------------------------------------------
# Processes and accounts we created
# ---------------------------------------------------------------------------------------------

def kill_pids(pids, timeout: float = 10) -> None:
    import psutil

    procs = []
    for pid in pids:
        try:
            p = psutil.Process(pid)
            p.terminate()
            procs.append(p)
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=5)


def pids_of_uid(uid: int) -> list[int]:
    import psutil

    out = []
    for p in psutil.process_iter(["uids"]):
        try:
            if p.info["uids"] and uid in (p.info["uids"].real, p.info["uids"].effective):
                out.append(p.pid)
        except psutil.Error:
            pass
    return out


def room_accounts(prefix: str = PREFIX) -> list[pwd.struct_passwd]:
    """Unix accounts a room test made (name prefix and comment both match)."""
    return [a for a in pwd.getpwall() if a.pw_name.startswith(prefix) and a.pw_gecos == LEARNER_COMMENT]


def remove_account(name: str) -> None:
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        return
    kill_pids(pids_of_uid(account.pw_uid))
    subprocess.run(["userdel", name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})


def _live_runs() -> set[str]:
    """Run ids of rooms whose owner (a test or bench process) is still running."""
    live = set()
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}-*"):
        try:
            os.kill(int((folder / "owner.pid").read_text()), 0)
            live.add(folder.name.split("-")[1])
        except (OSError, ValueError, IndexError):
            pass
    return live


def remove_strays() -> list[str]:
    """Accounts and staging folders left by a room that was killed before it cleaned up
    (never those of a room that is still running)."""
    live, removed = _live_runs(), []
    for account in room_accounts():
        if account.pw_name[len(PREFIX):len(PREFIX) + 4] in live:
            continue
        remove_account(account.pw_name)
        removed.append(account.pw_name)
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}-*"):
        parts = folder.name.split("-")
        if len(parts) > 1 and parts[1] in live:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(str(folder))
    return removed


# ---------------------------------------------------------------------------------------------
# The room
# ---------------------------------------------------------------------------------------------

class Room:
    """Stage the workshop, start the hub, manage learners; ``close()`` undoes all of it."""

    def __init__(self, notebook: Path | None = None, idle_timeout: int = 3600, roster: list[str] = (),
                 extra_env: dict | None = None):
        self.run_id = uuid.uuid4().hex[:4]
        self.prefix = f"{PREFIX}{self.run_id}-"
        self.base = Path(tempfile.mkdtemp(prefix=f"{PREFIX}-{self.run_id}-"))
        os.chmod(self.base, 0o755)
        (self.base / "owner.pid").write_text(str(os.getpid()))  # marks this room as alive
        self.workshop = self.base / "workshop"
        self.home = self.base / "home"
        self.state = self.base / "state"
        self.venv = self.base / "venv"
        self.py = self.base / "py"
        self.notebook_src = notebook or learner_notebook()
        self.notebook_rel = f"{WORKSHOP_FOLDER}/exercises/{self.notebook_src.name}"
        self.idle_timeout = idle_timeout
        self.proc: subprocess.Popen | None = None
        self.learners: dict[str, dict] = {}
        self.roster = list(roster)
        self.admin = "instructor"
        self.codes: dict[str, str] = {}
        self.service_token = secrets.token_hex(32)
        self.ld_library_path = ""
        self.extra_env = dict(extra_env or {})
        self.port, self.hub_port, self.api_port, self.dashboard_port = (free_port() for _ in range(4))
        self.url = f"https://127.0.0.1:{self.port}"
        self.cert = self.state / "room-cert.pem"
        self._lock = threading.Lock()

    # -- staging --------------------------------------------------------------------------
    def stage(self) -> None:
        for d in (self.workshop, self.home):
            d.mkdir(mode=0o755)
        self.state.mkdir(mode=0o700)
        for part in ("src", "data", "notebooks"):
            if (ROOT / part).exists():
                shutil.copytree(ROOT / part, self.workshop / part,
                                ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints"))
        shutil.copytree(DEPLOY / "learner-site", self.workshop / "deploy" / "jupyterhub" / "learner-site",
                        ignore=shutil.ignore_patterns("__pycache__"))
        (self.workshop / "exercises").mkdir()
        for nb in (ROOT / "exercises").glob("*.ipynb"):
            shutil.copy(nb, self.workshop / "exercises" / nb.name)
        shutil.copy(self.notebook_src, self.workshop / "exercises" / self.notebook_src.name)
        for dirpath, dirnames, filenames in os.walk(self.workshop):
            for name in dirnames:
                os.chmod(Path(dirpath) / name, 0o755)
            for name in filenames:
                os.chmod(Path(dirpath) / name, 0o644)
        self._stage_python()

    def _stage_python(self) -> None:
        venv = ROOT / ".venv"
        if not (venv / "pyvenv.cfg").exists():
            raise RoomError(f"no virtual environment at {venv} (run `make venv`)")
        link_tree(venv, self.venv)
        base_python = Path(os.path.realpath(venv / "bin" / "python3"))
        base_prefix = Path(sys.base_prefix)
        if not world_readable(base_python) or not world_readable(base_prefix / "lib"):
            # Learners cannot reach this interpreter (e.g. pyenv under /root): hard-link its
            # binary, shared library and standard library (not its own site-packages).
            (self.py / "bin").mkdir(parents=True)
            os.chmod(self.py, 0o755)
            os.chmod(self.py / "bin", 0o755)
            os.link(base_python, self.py / "bin" / base_python.name)
            libdir = self.py / "lib"
            libdir.mkdir(mode=0o755)
            for item in (base_prefix / "lib").iterdir():
                if item.name.startswith("libpython") and not item.is_dir():
                    if item.is_symlink():
                        os.symlink(os.readlink(item), libdir / item.name)
                    else:
                        os.link(item, libdir / item.name)
            stdlib = f"python{sys.version_info.major}.{sys.version_info.minor}"
            link_tree(base_prefix / "lib" / stdlib, libdir / stdlib, skip={"site-packages", "test"})
            (libdir / stdlib / "site-packages").mkdir(exist_ok=True)
            base_python = self.py / "bin" / base_python.name
            self.ld_library_path = str(libdir)
        for name in ("python", "python3", f"python{sys.version_info.major}.{sys.version_info.minor}"):
            link = self.venv / "bin" / name
            link.unlink(missing_ok=True)
            os.symlink(base_python, link)
        cfg = (venv / "pyvenv.cfg").read_text(encoding="utf-8").splitlines()
        cfg = [f"home = {base_python.parent}" if line.startswith("home") else line
               for line in cfg if not line.startswith(("executable", "command"))]
        replace_file(self.venv / "pyvenv.cfg", "\n".join(cfg) + "\n")
        for pth in self.venv.glob("lib/python*/site-packages/*.pth"):
            text = pth.read_text(encoding="utf-8", errors="replace")
            if str(ROOT) in text:
                replace_file(pth, text.replace(str(ROOT / "src"), str(self.workshop / "src"))
                             .replace(str(ROOT), str(self.workshop)))

    @property
    def learner_python(self) -> Path:
        return self.venv / "bin" / "python"

    # -- the hub --------------------------------------------------------------------------
    def env(self) -> dict:
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "LANG": "C.UTF-8",
            "HOME": str(self.state),
            "CTOPATH_HUB_STATE": str(self.state),
            "CTOPATH_HUB_BIND_URL": self.url,
            "CTOPATH_HUB_SSL_CERT": str(self.cert),
            "CTOPATH_HUB_SSL_KEY": str(self.state / "room-key.pem"),
            "CTOPATH_HUB_DASHBOARD_PORT": str(self.dashboard_port),
            "CTOPATH_HUB_DASHBOARD_REFRESH": "1",
            "CTOPATH_HUB_HUB_PORT": str(self.hub_port),
            "CTOPATH_HUB_PROXY_API_PORT": str(self.api_port),
            "CTOPATH_HUB_WORKSHOP": str(self.workshop),
            "CTOPATH_HUB_PYTHON": str(self.learner_python),
            "CTOPATH_HUB_USER_PREFIX": self.prefix,
            "CTOPATH_HUB_HOME_BASE": str(self.home),
            "CTOPATH_HUB_RUNTIME_BASE": str(self.base / "run"),
            "CTOPATH_HUB_IDLE_TIMEOUT": str(self.idle_timeout),
        }
        if self.ld_library_path:
            env["LD_LIBRARY_PATH"] = self.ld_library_path
        env.update(self.extra_env)
        return env

    def write_secrets(self) -> None:
        path = self.state / "service_token"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(self.service_token + "\n")
        self.issue_codes()
        write_self_signed(self.cert, self.state / "room-key.pem")

    def issue_codes(self, reissue: tuple[str, ...] = ()) -> dict[str, str]:
        """Run the real roster tool on the roster; keep the codes it printed for the slips."""
        roster = self.state / "names.txt"
        roster.write_text("".join(f"{n}\n" for n in self.roster))
        out = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "ctopath.tools.roster", "--state",
                              str(self.state), str(roster), "--admin", self.admin, *(["--reissue", *reissue] if reissue else [])],
                             capture_output=True, text=True, timeout=120)
        if out.returncode:
            raise RoomError(f"ctopath.tools.roster failed: {out.stderr[-500:]}")
        slips = (self.state / "codes-to-print.txt").read_text()
        issued = dict(re.findall(r"name: (\S+)\n  code: (\S+)", slips))
        self.codes.update(issued)
        return issued

    def start(self, timeout: float = 90) -> None:
        self.stage()
        self.write_secrets()
        self.log_path = self.state / "jupyterhub.log"
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "python"), "-m", "jupyterhub", "-f", str(CONFIG)],
            cwd=self.state, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RoomError(f"JupyterHub exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                if self.api("GET", "/").status_code == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RoomError(f"JupyterHub did not answer in {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except (OSError, AttributeError):
            return "(no log)"

    # -- REST API (service token) ---------------------------------------------------------
    def api(self, method: str, path: str, token: str | None = None, **kw):
        import requests

        headers = {"Authorization": f"token {token or self.service_token}"}
        return requests.request(method, f"{self.url}/hub/api{path}", headers=headers, timeout=60,
                                verify=str(self.cert), **kw)

    def unix_name(self, name: str) -> str:
        return self.prefix + name

    def create_learners(self, names: list[str]) -> None:
        # names on the roster already exist: the hub adds its allowed users at start-up
        r = self.api("POST", "/users", json={"usernames": names})
        if r.status_code not in (201, 409):
            raise RoomError(f"creating users failed: {r.status_code} {r.text[:300]}")
        for name in names:
            self.learners[name] = {"name": name}

    def token_for(self, name: str) -> str:
        r = self.api("POST", f"/users/{name}/tokens", json={"expires_in": 3600, "note": "room test"})
        if r.status_code not in (200, 201):
            raise RoomError(f"token for {name}: {r.status_code} {r.text[:300]}")
        token = r.json()["token"]
        self.learners[name]["token"] = token
        return token

    def request_start(self, name: str) -> int:
        r = self.api("POST", f"/users/{name}/server")
        if r.status_code not in (201, 202, 400):  # 201 ready, 202 pending, 400 already running
            raise RoomError(f"starting {name}'s server: {r.status_code} {r.text[:300]}")
        return r.status_code

    def wait_ready(self, names, timeout: float = 180, t0: float | None = None) -> dict[str, float]:
        """Seconds from ``t0`` until each server was ready (polled every 0.25 s)."""
        t0 = time.perf_counter() if t0 is None else t0
        ready, pending = {}, set(names)
        while pending and time.perf_counter() - t0 < timeout:
            for name in sorted(pending):
                model = self.api("GET", f"/users/{name}").json()
                server = (model.get("servers") or {}).get("")
                if server and server.get("ready"):
                    ready[name] = time.perf_counter() - t0
                    pending.discard(name)
            if pending:
                time.sleep(0.25)
        if pending:
            raise RoomError(f"servers not ready after {timeout:.0f} s: {sorted(pending)}\n{self.log_tail()}")
        return ready

    def stop_server(self, name: str, timeout: float = 60) -> None:
        self.api("DELETE", f"/users/{name}/server")
        deadline = time.time() + timeout
        while time.time() < deadline:
            model = self.api("GET", f"/users/{name}").json()
            if not (model.get("servers") or {}).get(""):
                return
            time.sleep(0.25)
        raise RoomError(f"{name}'s server did not stop in {timeout:.0f} s")

    def start_all(self, names, workers: int = 10) -> dict[str, float]:
        """Ask for every server at once; seconds from the request until each was ready."""
        t0, ready = time.perf_counter(), {}

        def start(name):
            if self.request_start(name) == 201:  # the hub answered once the server was up
                ready[name] = time.perf_counter() - t0

        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(start, names))
        ready.update(self.wait_ready([n for n in names if n not in ready], t0=t0))
        return ready

    # -- a learner's own server -----------------------------------------------------------
    def server(self, name: str, token: str | None = None) -> "LearnerServer":
        return LearnerServer(self, name, token or self.learners[name].get("token") or self.token_for(name))

    def home_of(self, name: str) -> Path:
        return Path(pwd.getpwnam(self.unix_name(name)).pw_dir)

    # -- processes ------------------------------------------------------------------------
    def process_tree(self):
        import psutil

        if not self.proc:
            return []
        try:
            hub = psutil.Process(self.proc.pid)
            return [hub, *hub.children(recursive=True)]
        except psutil.Error:
            return []

    def learner_pids(self) -> dict[str, list[int]]:
        out = {}
        for name in self.learners:
            try:
                out[name] = pids_of_uid(pwd.getpwnam(self.unix_name(name)).pw_uid)
            except KeyError:
                out[name] = []
        return out

    # -- cleanup --------------------------------------------------------------------------
    def close(self) -> None:
        """Stop the hub, its proxy and every learner process; remove accounts and folders."""
        tree = [p.pid for p in self.process_tree()]
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the hub stops the servers and the proxy
            try:
                self.proc.wait(45)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        kill_pids([pid for pid in tree if pid != (self.proc.pid if self.proc else None)], timeout=5)
        keep = os.environ.get("CTOPATH_ROOM_KEEP_LOG")  # a path: keep the hub's log for a post-mortem
        if keep:
            try:
                shutil.copy(self.log_path, keep)
                os.chmod(keep, 0o600)
            except (OSError, AttributeError):
                pass
        for account in room_accounts(self.prefix):
            remove_account(account.pw_name)
        shutil.rmtree(self.base, ignore_errors=True)


class LearnerServer:
    """A learner's single-user server, reached through the proxy with one token."""

    def __init__(self, room: Room, name: str, token: str):
        self.room, self.name, self.token = room, name, token
        self.base = f"{room.url}/user/{name}"

    def request(self, method: str, path: str, **kw):
        import requests

        return requests.request(method, f"{self.base}{path}", timeout=60, allow_redirects=False,
                                verify=str(self.room.cert), headers={"Authorization": f"token {self.token}"}, **kw)

    def get_notebook(self, rel: str) -> dict:
        r = self.request("GET", f"/api/contents/{rel}", params={"content": "1"})
        if r.status_code != 200:
            raise RoomError(f"{self.name}: GET {rel}: {r.status_code} {r.text[:200]}")
        return r.json()["content"]

    def put_notebook(self, rel: str, nb: dict) -> None:
        r = self.request("PUT", f"/api/contents/{rel}", json={"type": "notebook", "format": "json", "content": nb})
        if r.status_code not in (200, 201):
            raise RoomError(f"{self.name}: PUT {rel}: {r.status_code} {r.text[:200]}")

    def open_kernel(self, rel: str) -> "Kernel":
        r = self.request("POST", "/api/sessions", json={"path": rel, "type": "notebook", "name": "",
                                                         "kernel": {"name": "python3"}})
        if r.status_code not in (200, 201):
            raise RoomError(f"{self.name}: new session: {r.status_code} {r.text[:200]}")
        return Kernel(self, r.json()["kernel"]["id"])


class Kernel:
    """Execute code over the kernel websocket (Jupyter messaging protocol, JSON frames)."""

    def __init__(self, server: LearnerServer, kernel_id: str):
        import websocket

        self.server, self.id = server, kernel_id
        self.session = uuid.uuid4().hex
        url = server.base.replace("https://", "wss://") + f"/api/kernels/{kernel_id}/channels?session_id={self.session}"
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {server.token}"], timeout=180,
                                              sslopt={"ca_certs": str(server.room.cert)})

    def send_execute(self, code: str) -> str:
        """Ask for one cell to run and return at once (its message id)."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.server.name, "session": self.session,
                       "msg_type": "execute_request", "version": "5.3",
                       "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        return msg_id

    def execute(self, code: str, timeout: float = 180) -> dict:
        """Run one cell; returns {'status', 'outputs', 'stdout', 'error'}."""
        msg_id = self.send_execute(code)
        reply, idle, outputs, stdout, error = None, False, [], [], None
        deadline = time.time() + timeout
        while not (reply and idle):
            if time.time() > deadline:
                raise RoomError(f"{self.server.name}: cell did not finish in {timeout:.0f} s")
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if msg.get("channel") == "shell" and kind == "execute_reply":
                reply = msg["content"]
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
            elif kind == "stream":
                stdout.append(msg["content"].get("text", ""))
            elif kind == "error":
                error = f"{msg['content'].get('ename')}: {msg['content'].get('evalue')}"
            elif kind in ("execute_result", "display_data"):
                outputs.append(msg["content"].get("data", {}))
        return {"status": reply.get("status"), "outputs": outputs, "stdout": "".join(stdout),
                "error": error or (f"{reply.get('ename')}: {reply.get('evalue')}" if reply.get("status") == "error" else None)}

    def run_notebook(self, nb: dict) -> list[dict]:
        results = []
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            results.append(self.execute(source))
        return results

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:
            pass
