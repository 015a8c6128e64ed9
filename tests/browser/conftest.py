"""A real JupyterLab on 127.0.0.1, driven by Playwright in Debian's Chromium.

Without a browser these tests skip with a loud reason; with CTOPATH_REQUIRE_BROWSER=1
(as in CI) a missing browser is a failure. Never `playwright install`: there is no
internet; we use /usr/bin/chromium.
"""
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CTOPATH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--disable-quic"]


def _require_browser():
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the playwright package is not installed (make venv)")
    if missing:
        reason = "BROWSER TESTS SKIPPED: " + "; ".join(missing)
        if os.environ.get("CTOPATH_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " — and CTOPATH_REQUIRE_BROWSER=1 requires them", pytrace=False)
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """JupyterLab serving a scratch folder with copies of the learner notebooks."""
    _require_browser()
    base = tmp_path_factory.mktemp("lab")
    root, home = base / "root", base / "home"
    (root / "exercises").mkdir(parents=True)
    for nb in (ROOT / "exercises").glob("*.ipynb"):
        shutil.copy(nb, root / "exercises" / nb.name)
    settings = home / "lab-settings"
    notif = settings / "@jupyterlab" / "apputils-extension"
    notif.mkdir(parents=True)
    (notif / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True}))
    port, token = _free_port(), secrets.token_hex(16)
    progress = base / "progress.json"
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTERLAB_WORKSPACES_DIR": str(home / "ws"),
           "CTOPATH_PROGRESS": str(progress)}
    log = open(base / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--allow-root"], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    else:
        proc.terminate()
        pytest.fail(f"JupyterLab did not start; see {base / 'lab.log'}")
    if proc.poll() is not None:
        pytest.fail("JupyterLab exited:\n" + (base / "lab.log").read_text()[-3000:])
    yield {"url": url, "token": token, "root": root, "progress": progress}
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Notebook:
    """The few JupyterLab gestures the tests need, with selectors that held in JupyterLab 4.6."""

    def __init__(self, page, lab, name):
        self.page = page
        page.set_default_timeout(60_000)
        page.goto(f"{lab['url']}/lab/tree/{name}?token={lab['token']}")
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
        self.wait_idle()

    def wait_idle(self):
        self.page.wait_for_function(
            "() => { const s = document.querySelector('#jp-main-statusbar');"
            " return s && s.textContent.includes('Idle'); }")

    def menu(self, top, item):
        self.page.get_by_role("menuitem", name=top, exact=True).click()
        self.page.get_by_role("menuitem", name=item, exact=True).click()

    def wait_all_ran(self):
        self.page.wait_for_function(
            "() => { const ps = [...document.querySelectorAll("
            "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')];"
            " return ps.length > 0 && ps.every(p => /\\[\\d+\\]/.test(p.textContent)); }")
        self.wait_idle()

    def run_all(self):
        self.menu("Run", "Run All Cells")
        self.wait_all_ran()

    def restart_and_run_all(self):
        self.menu("Kernel", "Restart Kernel and Run All Cells…")
        self.page.get_by_role("button", name="Confirm Kernel Restart").or_(
            self.page.locator(".jp-Dialog-button.jp-mod-accept")).first.click()
        self.page.wait_for_timeout(500)
        self.wait_all_ran()

    def exercise(self, ex_id):
        box = self.page.locator(f".ctopath-ex-{ex_id.replace('.', '-')}").last
        box.scroll_into_view_if_needed()
        return box

    def feedback(self, ex_id) -> str:
        return self.exercise(ex_id).locator(".ctopath-feedback").inner_text()

    def wait_feedback(self, ex_id, text):
        sel = f".ctopath-ex-{ex_id.replace('.', '-')} .ctopath-feedback"
        self.page.wait_for_function(
            "([sel, text]) => [...document.querySelectorAll(sel)].some(e => e.textContent.includes(text))",
            arg=[sel, text])
        return self.feedback(ex_id)


@pytest.fixture
def open_notebook(lab, browser):
    pages = []

    def _open(name):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        pages.append(page)
        return Notebook(page, lab, name)

    yield _open
    for p in pages:
        p.close()
