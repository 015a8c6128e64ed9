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


def _start_lab(base, folders, settings_files=(), extra_env=None):
    """JupyterLab on a scratch root holding copies of ``folders`` (repository paths) and the given settings."""
    root, home = base / "root", base / "home"
    for folder in folders:
        (root / folder).mkdir(parents=True, exist_ok=True)
        for nb in (ROOT / folder).glob("*.ipynb"):
            shutil.copy(nb, root / folder / nb.name)
    settings = home / "lab-settings"
    files = [("@jupyterlab/apputils-extension/notification.jupyterlab-settings",
              {"fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True}), *settings_files]
    for rel, content in files:
        (settings / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings / rel).write_text(json.dumps(content))
    port, token = _free_port(), secrets.token_hex(16)
    progress = base / "progress.json"
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTERLAB_WORKSPACES_DIR": str(home / "ws"),
           "CTOPATH_PROGRESS": str(progress), **(extra_env or {})}
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
    return proc, log, {"url": url, "token": token, "root": root, "progress": progress}


def _stop_lab(proc, log):
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """JupyterLab serving a scratch folder with copies of the learner notebooks (and the lessons,
    for the accessibility check)."""
    _require_browser()
    proc, log, info = _start_lab(tmp_path_factory.mktemp("lab"), ("exercises", "notebooks"))
    yield info
    _stop_lab(proc, log)


@pytest.fixture(scope="session")
def lab_zh(tmp_path_factory):
    """JupyterLab as `ctopath lab --lang zh` starts it: the Chinese edition, the interface in Chinese."""
    _require_browser()
    from ctopath.cli import interface_settings

    base = tmp_path_factory.mktemp("lab-zh")
    settings = interface_settings(base / "made", "zh")
    files = [(str(f.relative_to(settings)), json.loads(f.read_text())) for f in settings.rglob("*.jupyterlab-settings")]
    proc, log, info = _start_lab(base, ("zh/exercises", "zh/notebooks"), files, {"CTOPATH_LANG": "zh"})
    yield info
    _stop_lab(proc, log)


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Notebook:
    """The JupyterLab gestures the tests need, with selectors that held in JupyterLab 4.6."""

    #: JupyterLab's own words, in English; the Chinese interface's are in ``ChineseNotebook``.
    IDLE, RUN, RUN_ALL = "Idle", "Run", "Run All Cells"
    KERNEL, RESTART_RUN_ALL = "Kernel", "Restart Kernel and Run All Cells…"

    def __init__(self, page, lab, name):
        self.page = page
        self.name = name.rsplit("/", 1)[-1]
        page.set_default_timeout(60_000)
        # ?reset: start from an empty workspace, so tabs restored from earlier tests can't steal focus.
        page.goto(f"{lab['url']}/lab/tree/{name}?reset&token={lab['token']}")
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
        self.wait_idle()

    def wait_idle(self):
        self.page.wait_for_function(
            "idle => { const s = document.querySelector('#jp-main-statusbar');"
            " return s && s.textContent.includes(idle); }", arg=self.IDLE)

    def focus(self):
        """Make this notebook's tab the current one: menus act on the current tab."""
        self.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=self.name).first.click()
        self.page.wait_for_function(
            "name => { const t = document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current');"
            " return t && t.textContent.includes(name); }", arg=self.name)

    def menu(self, top, item):
        self.focus()
        self.page.get_by_role("menuitem", name=top, exact=True).click()
        self.page.get_by_role("menuitem", name=item, exact=True).click()

    def wait_all_ran(self):
        self.page.wait_for_function(
            "() => { const ps = [...document.querySelectorAll("
            "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')];"
            " return ps.length > 0 && ps.every(p => /\\[\\d+\\]/.test(p.textContent)); }")
        self.wait_idle()

    def run_all(self):
        self.menu(self.RUN, self.RUN_ALL)
        self.wait_all_ran()

    def restart_and_run_all(self):
        self.menu(self.KERNEL, self.RESTART_RUN_ALL)
        self.page.get_by_role("button", name="Confirm Kernel Restart").or_(
            self.page.locator(".jp-Dialog-button.jp-mod-accept")).first.click()
        self.page.wait_for_timeout(500)
        self.wait_all_ran()

    @staticmethod
    def selector(ex_id) -> str:
        return f".ctopath-ex-{ex_id.replace('.', '-')}"

    def exercise(self, ex_id):
        """The exercise's widget, scrolled into view (JupyterLab renders only cells near the viewport)."""
        sel = self.selector(ex_id)
        for _ in range(200):
            if self.page.locator(sel).count():
                break
            self.page.evaluate("() => document.querySelector("
                               "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer').scrollTop += 600")
            self.page.wait_for_timeout(100)
        box = self.page.locator(sel).last
        box.scroll_into_view_if_needed()
        return box

    def press(self, ex_id, button):
        self.exercise(ex_id).get_by_role("button", name=button, exact=True).click()

    def press_with_keyboard(self, ex_id, button):
        self.exercise(ex_id).get_by_role("button", name=button, exact=True).focus()
        self.page.keyboard.press("Enter")

    def type_answer(self, ex_id, text):
        box = self.exercise(ex_id).locator("input[type=text]").first
        box.fill(text)  # the box syncs on every keystroke (pressing Enter would already check)

    def slider_readout(self, ex_id, label):
        """The number box beside a slider (named after the slider's label)."""
        return self.exercise(ex_id).locator(".ctopath-slider", has_text=label).first.locator(
            ".ctopath-slider-readout")

    def set_slider(self, ex_id, label, value):
        """Type a value into a slider's number box (what a keyboard user does) and press Enter."""
        readout = self.slider_readout(ex_id, label)
        readout.fill(str(value))
        readout.press("Enter")
        self.page.wait_for_function(
            "([el, v]) => Math.abs(parseFloat(el.value.replace(/,/g, '')) - v) < 1e-6",
            arg=[readout.element_handle(), float(value)])

    def metrics(self, ex_id) -> str:
        """The model's figures and targets, once drawn (textContent: reads even while off-screen)."""
        self.exercise(ex_id)
        sel = f"{self.selector(ex_id)} .ctopath-metrics"
        self.page.wait_for_function(
            "sel => { const e = [...document.querySelectorAll(sel)].pop(); return e && e.textContent.trim(); }", arg=sel)
        return self.page.evaluate("sel => [...document.querySelectorAll(sel)].pop().textContent", sel)

    def feedback(self, ex_id) -> str:
        return self.exercise(ex_id).locator(".ctopath-feedback").inner_text()

    def wait_feedback(self, ex_id, text):
        """Wait until the feedback contains ``text``; return it (read even while off-screen)."""
        sel = f"{self.selector(ex_id)} .ctopath-feedback"
        self.page.wait_for_function(
            "([sel, text]) => [...document.querySelectorAll(sel)].some(e => e.textContent.includes(text))",
            arg=[sel, text])
        return self.page.evaluate(
            "([sel, text]) => [...document.querySelectorAll(sel)].map(e => e.textContent)"
            ".find(t => t.includes(text))", [sel, text])


class ChineseNotebook(Notebook):
    """The same gestures in JupyterLab's Chinese interface (the zh-CN language pack's words)."""

    IDLE, RUN, RUN_ALL = "空闲", "运行", "运行所有单元格"
    KERNEL, RESTART_RUN_ALL = "内核", "重启内核 和 运行所有单元格…"  # as the Kernel menu shows it


@pytest.fixture
def open_notebook_zh(lab_zh, browser):
    pages = []

    def _open(name):
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        pages.append(page)
        return ChineseNotebook(page, lab_zh, name)

    yield _open
    for p in pages:
        p.close()


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
