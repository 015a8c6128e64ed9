"""A real JupyterHub room: 10 learners as real Unix users, each running the learner notebook in
their own server over the kernel websocket. What it checks is what an instructor must be able to
promise a room: every cell ran; private copies; edits survive a restart; a session opens only with
the learner's own code, only roster names get in, a name locks after three failures; HTTPS;
learners cannot reach each other or the hub's secrets; nothing listens beyond 127.0.0.1; the room
view counts what learners did without writing anything. The runaway learner, the dashboard and
nbgitpuller have their own files.
"""
import json
import os
import pwd
import re
import stat
import subprocess
import sys

import pytest
import requests

pytestmark = pytest.mark.room


def test_every_learner_ran_the_whole_notebook_in_their_own_server(room):
    assert len(room.runs) == len(room.learners) >= 10
    for name, run in room.runs.items():
        assert run["code_cells"] > 0
        assert len(run["results"]) == run["code_cells"], f"{name}: not every cell ran"
        failed = [(i, r["error"]) for i, r in enumerate(run["results"]) if r["status"] != "ok"]
        assert not failed, f"{name}: cells failed: {failed}"
        assert run["extra"]["status"] == "ok" and "progress recorded" in run["extra"]["stdout"], run["extra"]
    texts = "".join(json.dumps(o) for r in room.runs["l00"]["results"] for o in r["outputs"])
    assert "Not attempted" in texts, "the untouched starters should report 'Not attempted'"


def test_each_learner_has_a_private_copy_in_a_private_home(room):
    inodes = set()
    for name in room.learners:
        account = pwd.getpwnam(room.unix_name(name))
        assert account.pw_uid >= 1000
        home = room.home_of(name)
        st = os.stat(home)
        assert st.st_uid == account.pw_uid and stat.S_IMODE(st.st_mode) == 0o700, f"{home} is not private"
        copy = home / room.notebook_rel
        cst = os.stat(copy)
        assert cst.st_uid == account.pw_uid, f"{copy} is not owned by {name}"
        inodes.add(cst.st_ino)
        assert not (home / "coder-to-cto" / "exercises" / "answers").exists(), "answers must not be copied"
    assert len(inodes) == len(room.learners), "learners share a notebook file"


def test_servers_run_as_the_learner_with_lab_and_no_terminals(room):
    name = "l01"
    server = room.server(name)
    kernel = server.open_kernel(room.notebook_rel)
    try:
        out = kernel.execute("import os, json; print(json.dumps([os.getuid(), os.environ['HOME'], "
                             "oct(os.umask(0o077))]))")["stdout"]
    finally:
        kernel.close()
    uid, home, umask = json.loads(out)
    assert uid == pwd.getpwnam(room.unix_name(name)).pw_uid != 0
    assert home == str(room.home_of(name)) and umask == "0o77"
    assert server.request("GET", "/api/terminals").status_code == 404, "terminals must be off"
    r = server.request("GET", "/")
    assert r.status_code in (301, 302) and r.headers["Location"].split("?")[0].endswith("/lab"), r.headers.get("Location")


def test_one_learners_token_cannot_reach_another_learners_server_or_kernel(room):
    a, b = room.server("l00"), room.server("l01")
    b_kernel = room.runs["l01"]["kernel"]
    assert a.request("GET", "/api/kernels").status_code == 200  # A's own server: fine
    intruder = room.server("l01", token=a.token)
    for path in ("/api/kernels", f"/api/kernels/{b_kernel}", f"/api/contents/{room.notebook_rel}",
                 "/api/sessions"):
        assert intruder.request("GET", path).status_code == 403, f"A's token reached B's {path}"
    r = intruder.request("POST", f"/api/kernels/{b_kernel}/interrupt")
    assert r.status_code == 403
    import websocket

    url = b.base.replace("https://", "wss://") + f"/api/kernels/{b_kernel}/channels"
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(url, header=[f"Authorization: token {a.token}"], timeout=30,
                                    sslopt={"ca_certs": str(room.cert)})
    assert refused.value.status_code == 403
    # ... and through the hub's API A cannot act on B either
    assert room.api("GET", "/users/l01", token=a.token).status_code in (403, 404)
    assert room.api("POST", "/users/l01/server", token=a.token).status_code in (403, 404)


def test_learner_code_cannot_read_another_learners_files_or_the_hub_secrets(room):
    targets = {
        "B's notebook": str(room.home_of("l01") / room.notebook_rel),
        "B's progress": str(room.home_of("l01") / ".ctopath" / "progress.json"),
        "B's home": str(room.home_of("l01")),
        "B's kernel sockets": str(room.base / "run" / room.unix_name("l01")),
        "cookie secret": str(room.state / "jupyterhub_cookie_secret"),
        "hub database": str(room.state / "jupyterhub.sqlite"),
        "learner codes (hashes)": str(room.state / "learner_codes"),
        "codes to print": str(room.state / "codes-to-print.txt"),
        "TLS key": str(room.state / "room-key.pem"),
    }
    for what, path in targets.items():
        assert os.path.exists(path), f"test setup: {what} should exist at {path}"
    code = ("import os, json\nres = {}\nfor k, p in %r.items():\n"
            "    try:\n        (os.listdir(p) if os.path.isdir(p) else open(p, 'rb').read(1))\n"
            "        res[k] = 'READ'\n"
            "    except PermissionError:\n        res[k] = 'denied'\n"
            "    except Exception as e:\n        res[k] = type(e).__name__\n"
            "print(json.dumps(res))" % targets)
    kernel = room.server("l00").open_kernel(room.notebook_rel)
    try:
        result = kernel.execute(code)
    finally:
        kernel.close()
    assert result["status"] == "ok", result
    seen = json.loads(result["stdout"])
    assert seen == {k: "denied" for k in targets}, seen


def _login(room, username, password):
    s = requests.Session()  # verify= per request: a session's own verify loses to REQUESTS_CA_BUNDLE
    page = s.get(f"{room.url}/hub/login", timeout=30, verify=str(room.cert))
    xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', page.text)
    data = {"username": username, "password": password}
    if xsrf:
        data["_xsrf"] = xsrf.group(1)
    r = s.post(f"{room.url}/hub/login", data=data, allow_redirects=False, timeout=60, verify=str(room.cert))
    return r, s


def _logged_in(response, session) -> bool:
    return response.status_code == 302 and any(c.startswith("jupyterhub-hub-login") for c in session.cookies.keys())


def _refused(response, session) -> bool:
    """Refused as a wrong code is (403, no session); an error page (500) does not count."""
    return response.status_code == 403 and not any(c.startswith("jupyterhub-hub-login") for c in session.cookies.keys())


def test_a_session_opens_only_with_the_learners_own_code(room):
    right, s = _login(room, "ana", room.codes["ana"])
    assert _logged_in(right, s), right.status_code
    assert s.get(f"{room.url}/hub/api/user", timeout=30, verify=str(room.cert)).json()["name"] == "ana"
    # what an attacker in the room has: B's name, and their own code (or the instructor's)
    for stolen in ("ana", "instructor"):
        wrong, s = _login(room, "ben", room.codes[stolen])
        assert _refused(wrong, s), f"ben + {stolen}'s code: {wrong.status_code}"
    # the instructor needs the instructor's code; a learner's does not work for them
    assert _refused(*_login(room, "instructor", room.codes["ana"]))
    assert _logged_in(*_login(room, "instructor", room.codes["instructor"]))


def test_a_name_not_on_the_roster_is_refused_and_gets_no_account(room):
    for name in ("mallory", "../root", "l99"):
        assert _refused(*_login(room, name, room.codes["ana"])), name
    assert room.api("GET", "/users/mallory").status_code == 404
    with pytest.raises(KeyError):
        pwd.getpwnam(room.unix_name("mallory"))
    # there is no sign-up page to make one
    assert requests.get(f"{room.url}/hub/signup", verify=str(room.cert), timeout=30).status_code == 404


def test_a_name_is_locked_after_three_failures_even_for_the_right_code(room):
    import time

    import bcrypt

    stored = dict(line.split("\t") for line in (room.state / "learner_codes").read_text().splitlines())
    assert bcrypt.checkpw(room.codes["cai"].encode(), stored["cai"].encode()), "test setup: cai's code is right"
    t0 = time.perf_counter()
    for _ in range(3):
        assert _refused(*_login(room, "cai", "not-" + room.codes["cai"]))
    rate = 3 / (time.perf_counter() - t0)
    locked, s = _login(room, "cai", room.codes["cai"])
    assert _refused(locked, s), f"the right code after three failures: {locked.status_code}"
    print(f"3 wrong codes for one name at {rate:.1f} tries/s, then locked for 300 s")
    # the lock is per name: another learner logs in as usual
    assert _logged_in(*_login(room, "ana", room.codes["ana"]))


def test_a_reissued_code_works_at_once_and_the_old_one_no_longer(room):
    # dan: no failed log-ins before this (ben is one wrong code from the lockout by now)
    old = room.codes["dan"]
    new = room.issue_codes(reissue=("dan",))["dan"]
    assert new != old
    assert _refused(*_login(room, "dan", old))
    assert _logged_in(*_login(room, "dan", new)), "the hub did not pick up the reissued code"


def test_codes_are_stored_only_as_hashes(room):
    text = (room.state / "learner_codes").read_text()
    assert room.codes["ana"] not in text and "$2b$" in text
    assert stat.S_IMODE(os.stat(room.state / "learner_codes").st_mode) == 0o600


def test_the_room_is_served_over_https_only(room):
    assert room.url.startswith("https://127.0.0.1:")
    r = requests.get(f"{room.url}/hub/login", verify=str(room.cert), timeout=30)
    assert r.status_code == 200 and 'name="password"' in r.text
    plain = room.url.replace("https://", "http://")
    try:
        answer = requests.get(f"{plain}/hub/login", timeout=30)
    except requests.ConnectionError:
        answer = None
    assert answer is None or (answer.status_code >= 400 and 'name="password"' not in answer.text), \
        "the login page was served over plain HTTP"
    with pytest.raises(requests.exceptions.SSLError):  # an unknown certificate is not trusted silently
        requests.get(f"{room.url}/hub/login", timeout=30)


def test_everything_listens_on_loopback_only(room):
    import psutil

    pids = {p.pid for p in room.process_tree()}
    for learner_pids in room.learner_pids().values():
        pids.update(learner_pids)
    listening = [c for c in psutil.net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN and c.pid in pids]
    assert len(listening) >= 2 + len(room.learners), listening  # proxy, hub, one server each at least
    wide = [(c.pid, c.laddr) for c in listening if c.laddr.ip not in ("127.0.0.1", "::ffff:127.0.0.1")]
    assert not wide, f"listening beyond 127.0.0.1: {wide}"


def test_the_idle_culler_runs_as_a_hub_service_with_the_scopes_it_needs(room):
    names = [" ".join(p.cmdline()) for p in room.process_tree()]
    assert any("jupyterhub_idle_culler" in n for n in names), names
    assert any("configurable-http-proxy" in n for n in names), names
    log = room.log_path.read_text(errors="replace")
    assert re.search(r"200 GET /hub/api/users\S* \(idle-culler@", log), "the culler never listed the users"
    assert not re.search(r"40[13] \w+ /hub/api/\S* \(idle-culler@", log), "the culler lacks a scope"


def test_hub_secrets_are_root_only(room):
    assert stat.S_IMODE(os.stat(room.state).st_mode) == 0o700 and os.stat(room.state).st_uid == 0
    for name in ("jupyterhub_cookie_secret", "learner_codes", "codes-to-print.txt", "service_token", "room-key.pem"):
        st_ = os.stat(room.state / name)
        assert st_.st_uid == 0 and stat.S_IMODE(st_.st_mode) == 0o600, name


def test_the_room_view_counts_what_learners_did_and_writes_nothing(room):
    homes = [str(room.home_of(n)) for n in room.learners]
    broken = room.home / "broken-store"
    (broken / ".ctopath").mkdir(parents=True)
    (broken / ".ctopath" / "progress.json").write_text("{ this is not json")
    before = {p: (os.stat(p).st_mtime_ns, open(p, "rb").read())
              for h in homes for p in [os.path.join(h, ".ctopath", "progress.json")]}
    listing = {h: sorted(os.listdir(os.path.join(h, ".ctopath"))) for h in homes}
    out = subprocess.run([sys.executable, "-m", "ctopath.tools.room", *homes, str(broken), "--json"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    n = len(room.learners)
    assert report["learners"] == n
    assert [s["path"] for s in report["skipped"]] == [str(broken / ".ctopath" / "progress.json")]
    row = next(r for r in report["exercises"] if r["id"] == "00.1")
    assert row["finished"] == (n + 1) // 2 and row["stuck"] == n // 2 and row["revealed"] == 1, row
    assert row["wrong_answers"][0]["learners"] == n and "market" in row["wrong_answers"][0]["answer"]
    after = {p: (os.stat(p).st_mtime_ns, open(p, "rb").read()) for p in before}
    assert after == before, "the room view changed a learner's store"
    assert listing == {h: sorted(os.listdir(os.path.join(h, ".ctopath"))) for h in homes}


def test_an_edit_survives_a_server_restart_and_is_never_overwritten(room):
    name = "l02"
    server = room.server(name)
    nb = server.get_notebook(room.notebook_rel)
    marker = "my own notes, kept across restarts"
    nb["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": marker, "id": "learner-edit"})
    server.put_notebook(room.notebook_rel, nb)
    room.stop_server(name)
    room.request_start(name)
    room.wait_ready([name])
    again = room.server(name).get_notebook(room.notebook_rel)
    assert again["cells"][0]["source"] == marker, "the learner's edit was lost on restart"
    assert sum(c["cell_type"] == "code" for c in again["cells"]) == room.runs[name]["code_cells"]
