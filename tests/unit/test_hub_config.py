"""deploy/jupyterhub/jupyterhub_config.py, loaded as JupyterHub loads it: loopback unless the
instructor opts in, HTTPS or an explicit opt-out for anything wider, the roster authenticator
with a lockout, limits on every learner, the dashboard as an admin-only service."""
import os
import runpy
from pathlib import Path

import pytest

pytest.importorskip("jupyterhub")
pytest.importorskip("nativeauthenticator")
from traitlets.config import Config  # noqa: E402

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub" / "jupyterhub_config.py"


def load(tmp_path, monkeypatch, **env):
    state = tmp_path / "state"
    state.mkdir(mode=0o700, exist_ok=True)
    codes = state / "learner_codes"
    if not codes.exists():
        fd = os.open(codes, os.O_WRONLY | os.O_CREAT, 0o600)
        os.write(fd, b"instructor\t$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\n")
        os.close(fd)
    for key in [k for k in os.environ if k.startswith("CTOPATH_HUB_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("CTOPATH_HUB_STATE", str(state))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    c = Config()
    runpy.run_path(str(CONFIG), init_globals={"get_config": lambda: c})
    return c


def test_by_default_the_hub_listens_on_loopback_only(tmp_path, monkeypatch):
    c = load(tmp_path, monkeypatch)
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8000"
    assert c.JupyterHub.hub_ip == "127.0.0.1" and c.Spawner.ip == "127.0.0.1"


def test_every_interface_over_plain_http_is_refused_unless_asked_for(tmp_path, monkeypatch):
    with pytest.raises(SystemExit) as refused:
        load(tmp_path, monkeypatch, CTOPATH_HUB_BIND_URL="http://:8000")
    assert "unencrypted" in str(refused.value)
    c = load(tmp_path, monkeypatch, CTOPATH_HUB_BIND_URL="http://:8000", CTOPATH_HUB_ALLOW_HTTP="1")
    assert c.JupyterHub.bind_url == "http://:8000"


def test_https_needs_a_certificate_and_a_key(tmp_path, monkeypatch):
    with pytest.raises(SystemExit) as refused:
        load(tmp_path, monkeypatch, CTOPATH_HUB_BIND_URL="https://:8443")
    assert "CTOPATH_HUB_SSL_CERT" in str(refused.value)
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("x")
    key.write_text("x")
    c = load(tmp_path, monkeypatch, CTOPATH_HUB_BIND_URL="https://:8443",
             CTOPATH_HUB_SSL_CERT=str(cert), CTOPATH_HUB_SSL_KEY=str(key))
    assert (c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key) == (str(cert), str(key))


def test_roster_authenticator_lockout_limits_and_the_admin_only_dashboard(tmp_path, monkeypatch):
    c = load(tmp_path, monkeypatch)
    assert c.JupyterHub.authenticator_class.__name__ == "RosterAuthenticator"
    assert c.NativeAuthenticator.enable_signup is False
    assert c.NativeAuthenticator.allowed_failed_logins == 3 and c.NativeAuthenticator.seconds_before_next_try == 300
    assert c.Authenticator.allow_existing_users is False
    assert c.Spawner.mem_limit == "2G" and c.RoomSpawner.cpu_seconds == 1200 and c.RoomSpawner.niceness == 10
    dashboard = next(s for s in c.JupyterHub.services if s["name"] == "room-dashboard")
    assert dashboard["url"].startswith("http://127.0.0.1:")
    granted = [r for r in c.JupyterHub.load_roles if any("access:services" in s for s in r.get("scopes", []))]
    assert not granted, "no role may give learners access to services; the admin role has it built in"


def test_a_missing_roster_is_explained(tmp_path, monkeypatch):
    (tmp_path / "state").mkdir(mode=0o700)
    monkeypatch.setenv("CTOPATH_HUB_STATE", str(tmp_path / "state"))
    c = Config()
    with pytest.raises(SystemExit) as refused:
        runpy.run_path(str(CONFIG), init_globals={"get_config": lambda: c})
    assert "python -m ctopath roster" in str(refused.value)


def test_nbgitpuller_link_when_a_repository_is_given(tmp_path, monkeypatch):
    c = load(tmp_path, monkeypatch, CTOPATH_HUB_PULL_REPO="file:///srv/ctopath-workshop.git")
    assert c.Spawner.default_url.startswith("/git-pull?repo=file%3A%2F%2F%2Fsrv%2Fctopath-workshop.git&branch=main")
    assert c.RoomSpawner.workshop_dir == ""
    assert c.RoomSpawner.git_safe_directories == ["/srv/ctopath-workshop.git"]
