"""JupyterHub configuration for a Coder to CTO room: one machine, 10-100 learners.

Start it as root (LocalProcessSpawner switches to each learner's Unix account):

    sudo CTOPATH_HUB_STATE=/srv/ctopath-hub /opt/ctopath/.venv/bin/jupyterhub \
        -f /opt/ctopath/deploy/jupyterhub/jupyterhub_config.py

``deploy/jupyterhub/setup.sh`` does that for you (systemd unit, roster and codes, proxy); see
README.md. Only maintained JupyterHub parts are used: jupyterhub-nativeauthenticator (one code per
learner from the instructor's roster, lockout after failed log-ins; room_auth.py), LocalProcessSpawner
with one real Unix user per learner and resource limits (room_spawner.py), configurable-http-proxy
from npm, jupyterhub-idle-culler, nbgitpuller, and the room dashboard service (ctopath.tools.dashboard).

Settings come from the environment, each with a default for a real room:

  CTOPATH_HUB_STATE        folder for secrets, the database and the proxy pid (mode 0700, root)
                           [/srv/ctopath-hub]; holds learner_codes (python -m ctopath roster)
                           and optionally service_token
  CTOPATH_HUB_BIND_URL     where learners connect [http://127.0.0.1:8000: this machine only].
                           Any other address needs HTTPS (below) or CTOPATH_HUB_ALLOW_HTTP=1
  CTOPATH_HUB_SSL_CERT, CTOPATH_HUB_SSL_KEY  certificate chain and key for https:// (README.md)
  CTOPATH_HUB_FAILED_LOGINS  wrong codes in a row before a name is locked [3]
  CTOPATH_HUB_LOCKOUT_SECONDS how long it stays locked [300]
  CTOPATH_HUB_MEM_LIMIT    memory per learner process (RLIMIT_DATA) [2G]
  CTOPATH_HUB_CPU_SECONDS  CPU seconds per learner process before it is stopped [1200]
  CTOPATH_HUB_MAX_PROCESSES processes + threads per learner [128]
  CTOPATH_HUB_PULL_REPO    a git URL: every log-in pulls it with nbgitpuller instead of copying
  CTOPATH_HUB_PULL_BRANCH  its branch [main]
  CTOPATH_HUB_SAFE_GIT_REPOS  more local (root-owned) repositories learners may pull, ':'-separated
  CTOPATH_HUB_HUB_PORT     the hub's internal API port on 127.0.0.1 [8081]
  CTOPATH_HUB_PROXY_API_PORT  the proxy's API port on 127.0.0.1 [8001]
  CTOPATH_HUB_DASHBOARD_PORT  the room dashboard service's port on 127.0.0.1 [8002]
  CTOPATH_HUB_DASHBOARD_REFRESH  seconds between the dashboard's refreshes [3]
  CTOPATH_HUB_WORKSHOP     the workshop folder copied into each home [this repository]
  CTOPATH_HUB_PYTHON       the Python learners' servers run with [<workshop>/.venv/bin/python]
  CTOPATH_HUB_USER_PREFIX  Unix account prefix [jupyter-]
  CTOPATH_HUB_HOME_BASE    folder of the learners' homes [/home]
  CTOPATH_HUB_RUNTIME_BASE folder of the learners' Jupyter runtime folders [/run/ctopath-hub]
  CTOPATH_HUB_ADMIN        the instructor's hub user name [instructor]
  CTOPATH_HUB_IDLE_TIMEOUT seconds of inactivity before a learner's server is stopped [3600]
"""
import ipaddress
import os
import sys
from pathlib import Path
from urllib.parse import quote, urlparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from room_auth import RosterAuthenticator  # noqa: E402
from room_spawner import RoomSpawner  # noqa: E402

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)


def env(name: str, default: str) -> str:
    return os.environ.get(name) or default


STATE = Path(env("CTOPATH_HUB_STATE", "/srv/ctopath-hub"))
WORKSHOP = Path(env("CTOPATH_HUB_WORKSHOP", str(HERE.parents[1])))
LEARNER_PYTHON = env("CTOPATH_HUB_PYTHON", str(WORKSHOP / ".venv" / "bin" / "python"))
ADMIN = env("CTOPATH_HUB_ADMIN", "instructor")


# -- hub secrets: readable by root only ------------------------------------------------------
def secret(name: str, required: bool = True) -> str | None:
    path = STATE / name
    try:
        st = path.stat()
    except FileNotFoundError:
        if required:
            sys.exit(f"{path} is missing: run deploy/jupyterhub/setup.sh (or write it, mode 0600, root).")
        return None
    if st.st_mode & 0o077 or st.st_uid != os.getuid():
        sys.exit(f"{path} must be owned by {os.getuid()} and readable by its owner only (chmod 600).")
    return path.read_text(encoding="utf-8").strip()


STATE.mkdir(mode=0o700, parents=True, exist_ok=True)
os.chmod(STATE, 0o700)
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# -- network: loopback unless the instructor opts in; anything wider needs HTTPS ------------------
BIND_URL = env("CTOPATH_HUB_BIND_URL", "http://127.0.0.1:8000")


def is_loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""  # "http://:8000" has no host: every interface
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


c.JupyterHub.bind_url = BIND_URL
SSL_CERT, SSL_KEY = os.environ.get("CTOPATH_HUB_SSL_CERT"), os.environ.get("CTOPATH_HUB_SSL_KEY")
if urlparse(BIND_URL).scheme == "https":
    if not (SSL_CERT and SSL_KEY):
        sys.exit("CTOPATH_HUB_BIND_URL is https:// but CTOPATH_HUB_SSL_CERT / CTOPATH_HUB_SSL_KEY are not set "
                 "(deploy/jupyterhub/README.md, 'HTTPS').")
    for path in (SSL_CERT, SSL_KEY):
        if not Path(path).is_file():
            sys.exit(f"{path} does not exist (certificate or key for HTTPS).")
    c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key = SSL_CERT, SSL_KEY
elif not is_loopback(BIND_URL) and os.environ.get("CTOPATH_HUB_ALLOW_HTTP") != "1":
    sys.exit(f"{BIND_URL} would send learners' codes over the network unencrypted. Serve https:// with a "
             "certificate (CTOPATH_HUB_SSL_CERT/KEY; setup.sh --tls-cert or --self-signed), or put a TLS "
             "proxy in front of http://127.0.0.1:8000. Set CTOPATH_HUB_ALLOW_HTTP=1 only on a network "
             "that is yours alone.")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("CTOPATH_HUB_HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(env('CTOPATH_HUB_PROXY_API_PORT', '8001'))}"
c.ConfigurableHTTPProxy.command = [str(HERE / "node" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.should_start = True

# -- who may log in: the names on the roster, each with the code on their own slip --------------
# jupyterhub-nativeauthenticator, sign-up off, accounts from learner_codes (room_auth.py).
c.JupyterHub.authenticator_class = RosterAuthenticator
CODES = STATE / "learner_codes"
if not CODES.exists():
    sys.exit(f"{CODES} is missing: give the hub a roster with "
             f"`python -m ctopath roster --state {STATE} names.txt` (setup.sh --roster does it).")
secret("learner_codes")  # refuses a codes file others can read
c.RosterAuthenticator.codes_file = str(CODES)
c.NativeAuthenticator.enable_signup = False
c.NativeAuthenticator.allowed_failed_logins = int(env("CTOPATH_HUB_FAILED_LOGINS", "3"))
c.NativeAuthenticator.seconds_before_next_try = int(env("CTOPATH_HUB_LOCKOUT_SECONDS", "300"))
c.Authenticator.admin_users = {ADMIN}
c.Authenticator.allow_existing_users = False  # the roster decides, not who logged in before
# Names become Unix accounts (prefix + name): lower-case letters, digits, - and _ only.
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{0,19}$"

# -- the learners' servers: a real Unix user each --------------------------------------------
c.JupyterHub.spawner_class = RoomSpawner
c.RoomSpawner.unix_prefix = env("CTOPATH_HUB_USER_PREFIX", "jupyter-")
c.RoomSpawner.home_base = env("CTOPATH_HUB_HOME_BASE", "/home")
c.RoomSpawner.workshop_dir = str(WORKSHOP)
c.RoomSpawner.seed_python = LEARNER_PYTHON
c.Spawner.cmd = [LEARNER_PYTHON, "-m", "jupyterhub.singleuser"]
c.RoomSpawner.runtime_base = env("CTOPATH_HUB_RUNTIME_BASE", "/run/ctopath-hub")
# No terminals; kernels reached over Unix sockets in the learner's private runtime folder, so no
# kernel port is open to other learners (and 30 kernels starting at once cannot race for ports).
c.Spawner.args = ["--ServerApp.terminals_enabled=False", "--KernelManager.transport=ipc"]
c.Spawner.default_url = "/lab"
PULL_REPO = os.environ.get("CTOPATH_HUB_PULL_REPO")
SAFE_GIT_REPOS = [p for p in os.environ.get("CTOPATH_HUB_SAFE_GIT_REPOS", "").split(":") if p]
if PULL_REPO:
    # nbgitpuller: every log-in lands on git-pull, which clones the workshop into ~/coder-to-cto the
    # first time and merges later commits after that, the learner's changes winning (README.md).
    c.RoomSpawner.workshop_dir = ""
    if PULL_REPO.startswith("file://"):
        SAFE_GIT_REPOS.insert(0, urlparse(PULL_REPO).path)
    c.Spawner.default_url = (f"/git-pull?repo={quote(PULL_REPO, safe='')}"
                             f"&branch={quote(env('CTOPATH_HUB_PULL_BRANCH', 'main'), safe='')}"
                             f"&targetpath=coder-to-cto&urlpath={quote('lab/tree/coder-to-cto', safe='')}")
c.RoomSpawner.git_safe_directories = SAFE_GIT_REPOS  # root-owned repositories learners may pull from
c.Spawner.ip = "127.0.0.1"
# Only what a learner's server needs from the hub's environment; never the hub's own secrets.
c.Spawner.env_keep = ["LANG", "LC_ALL", "LD_LIBRARY_PATH"]
c.Spawner.environment = {
    "PATH": f"{Path(LEARNER_PYTHON).parent}:/usr/local/bin:/usr/bin:/bin",
    # One thread per numeric library: on a shared machine more threads only add memory and contention.
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
}
# Half of a learner server's start-up CPU was one optional import; learner-site/ skips it (see there).
LEARNER_SITE = WORKSHOP / "deploy" / "jupyterhub" / "learner-site"
if (LEARNER_SITE / "rfc3987_syntax.py").is_file():
    c.Spawner.environment["PYTHONPATH"] = str(LEARNER_SITE)
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120
c.LocalProcessSpawner.interrupt_timeout = 10
c.LocalProcessSpawner.term_timeout = 5
c.JupyterHub.concurrent_spawn_limit = 50
# Limits per learner (room_spawner.py: hard setrlimit + nice; no cgroup controllers needed).
c.Spawner.mem_limit = env("CTOPATH_HUB_MEM_LIMIT", "2G")
c.RoomSpawner.cpu_seconds = int(env("CTOPATH_HUB_CPU_SECONDS", "1200"))
c.RoomSpawner.max_processes = int(env("CTOPATH_HUB_MAX_PROCESSES", "128"))
c.RoomSpawner.niceness = 10
c.JupyterHub.admin_access = False  # the instructor cannot open learners' servers
c.JupyterHub.cleanup_servers = True

# -- services: the idle culler, and an optional token for scripted user management -----------
services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={int(env('CTOPATH_HUB_IDLE_TIMEOUT', '3600'))}", "--cull-every=300"],
}]
roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
# The room dashboard (ctopath.tools.dashboard): runs as root to read learners' stores; admins only (the hub
# gives access:services to its admin role and to no learner; the service checks admin again).
DASHBOARD_PORT = int(env("CTOPATH_HUB_DASHBOARD_PORT", "8002"))
services.append({
    "name": "room-dashboard",
    "url": f"http://127.0.0.1:{DASHBOARD_PORT}",
    "command": [sys.executable, "-m", "ctopath.tools.dashboard"],
    "oauth_no_confirm": True,
    "display": True,
    "environment": {
        "CTOPATH_DASHBOARD_HOME_BASE": env("CTOPATH_HUB_HOME_BASE", "/home"),
        "CTOPATH_DASHBOARD_PREFIX": env("CTOPATH_HUB_USER_PREFIX", "jupyter-"),
        "CTOPATH_DASHBOARD_REFRESH": env("CTOPATH_HUB_DASHBOARD_REFRESH", "3"),
    },
})
SERVICE_TOKEN = secret("service_token", required=False)
if SERVICE_TOKEN:
    services.append({"name": "room-admin", "api_token": SERVICE_TOKEN})
    roles.append({
        "name": "room-admin",
        "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users"],
        "services": ["room-admin"],
    })
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
