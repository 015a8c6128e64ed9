"""JupyterHub configuration for a Coder to CTO room: one machine, 10-100 learners.

Start it as root (LocalProcessSpawner switches to each learner's Unix account):

    sudo CTOPATH_HUB_STATE=/srv/ctopath-hub /opt/ctopath/.venv/bin/jupyterhub \
        -f /opt/ctopath/deploy/jupyterhub/jupyterhub_config.py

``deploy/jupyterhub/setup.sh`` does that for you (systemd unit, passwords, proxy); see README.md.
Only JupyterHub's own parts are used: the shared-password authenticator (learners share one
password, the instructor has a separate admin password), LocalProcessSpawner with one real Unix
user per learner (room_spawner.py), configurable-http-proxy from npm, jupyterhub-idle-culler.

Settings come from the environment, each with a default for a real room:

  CTOPATH_HUB_STATE        folder for secrets, the database and the proxy pid (mode 0700, root)
                           [/srv/ctopath-hub]; holds user_password, admin_password, optional
                           roster.txt (one learner name a line) and service_token
  CTOPATH_HUB_BIND_URL     where learners connect [http://:8000]  (TLS: see README.md)
  CTOPATH_HUB_HUB_PORT     the hub's internal API port on 127.0.0.1 [8081]
  CTOPATH_HUB_PROXY_API_PORT  the proxy's API port on 127.0.0.1 [8001]
  CTOPATH_HUB_WORKSHOP     the workshop folder copied into each home [this repository]
  CTOPATH_HUB_PYTHON       the Python learners' servers run with [<workshop>/.venv/bin/python]
  CTOPATH_HUB_USER_PREFIX  Unix account prefix [jupyter-]
  CTOPATH_HUB_HOME_BASE    folder of the learners' homes [/home]
  CTOPATH_HUB_RUNTIME_BASE folder of the learners' Jupyter runtime folders [/run/ctopath-hub]
  CTOPATH_HUB_ADMIN        the instructor's hub user name [instructor]
  CTOPATH_HUB_IDLE_TIMEOUT seconds of inactivity before a learner's server is stopped [3600]
"""
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
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

# -- network: the public URL, everything else on loopback ------------------------------------
c.JupyterHub.bind_url = env("CTOPATH_HUB_BIND_URL", "http://:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("CTOPATH_HUB_HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(env('CTOPATH_HUB_PROXY_API_PORT', '8001'))}"
c.ConfigurableHTTPProxy.command = [str(HERE / "node" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.should_start = True

# -- who may log in: one shared learner password, a separate admin password -------------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = secret("user_password")
c.SharedPasswordAuthenticator.admin_password = secret("admin_password")
c.Authenticator.admin_users = {ADMIN}
ROSTER = secret("roster.txt", required=False)
if ROSTER:
    # Only the names on the roster (plus the instructor) may log in.
    c.Authenticator.allowed_users = {line.strip().lower() for line in ROSTER.splitlines() if line.strip()} | {ADMIN}
else:
    # JupyterHub 5+ lets nobody in without an explicit allow rule: anyone with the room password
    # may pick a name, once.
    c.Authenticator.allow_all = True
c.Authenticator.allow_existing_users = True
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
c.Spawner.ip = "127.0.0.1"
# Only what a learner's server needs from the hub's environment; never the hub's own secrets.
c.Spawner.env_keep = ["LANG", "LC_ALL", "LD_LIBRARY_PATH"]
c.Spawner.environment = {"PATH": f"{Path(LEARNER_PYTHON).parent}:/usr/local/bin:/usr/bin:/bin"}
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120
c.LocalProcessSpawner.interrupt_timeout = 10
c.LocalProcessSpawner.term_timeout = 5
c.JupyterHub.concurrent_spawn_limit = 50
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
