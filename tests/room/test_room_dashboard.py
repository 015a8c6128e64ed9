"""The room dashboard in a real browser (Debian's Chromium driven by Playwright): the instructor
logs in with their code, opens /services/room-dashboard/ and sees learners' Checks appear by
themselves within seconds, with no reload; a learner who opens it gets 403.
"""
import os
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.room

CHROMIUM = os.environ.get("CTOPATH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]

@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CTOPATH_REQUIRE_ROOM") == "1":
            pytest.fail(f"no Chromium at {CHROMIUM} (apt-get install chromium)", pytrace=False)
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _login(browser, room, name):
    context = browser.new_context(ignore_https_errors=True)  # the test room's self-signed certificate
    page = context.new_page()
    page.goto(f"{room.url}/hub/login?next=%2Fhub%2Fhome")  # home, not spawn: no server needed here
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", room.codes[name])
    page.click("#login_submit")
    page.wait_for_load_state()
    return context, page


def test_the_admin_sees_checks_appear_live_and_readably(browser, room):
    context, page = _login(browser, room, "instructor")
    try:
        response = page.goto(f"{room.url}/services/room-dashboard/")
        assert response.status == 200, response.status
        page.wait_for_selector("#heatmap table.ctopath-heatmap", timeout=30_000)
        # what the fixture's learners did is there: l00 finished 00.1, l01 is stuck on it, l03 revealed it
        assert page.locator('tr[data-learner="l00"] td[data-exercise="00.1"]').get_attribute("data-state") == "done"
        assert page.locator('tr[data-learner="l01"] td[data-exercise="00.1"]').get_attribute("data-state") == "stuck"
        assert page.locator('tr[data-learner="l03"] td[data-exercise="00.1"]').get_attribute("data-state") == "revealed"
        text = page.inner_text("body")
        assert "__table__" not in text and "{" not in page.inner_text("#exercises")
        assert not any(0x1F300 <= ord(ch) <= 0x1FAFF or 0x2600 <= ord(ch) <= 0x27BF for ch in text), "emoji on the page"
        assert page.locator("#heatmap svg.ctopath-icon").count() > 0
        assert 'data-learner="l08"' not in page.inner_html("#stuck-now")

        # now learner l08 presses Check: one exercise wrong three times
        kernel = room.server("l08").open_kernel(room.notebook_rel)
        try:
            out = kernel.execute("import ctopath\nfor _a in (1, 2, 3):\n    _ = ctopath.exercise('00.3').submit(_a)\n"
                                 "_ = ctopath.exercise('00.1').submit('chassis')\nprint('checked')")
        finally:
            kernel.close()
        assert out["status"] == "ok" and "checked" in out["stdout"], out
        t0 = time.perf_counter()
        page.wait_for_selector('#stuck-now tr[data-learner="l08"][data-exercise="00.3"]', timeout=30_000)
        seen_after = time.perf_counter() - t0
        cell = page.locator('tr[data-learner="l08"] td[data-exercise="00.1"]')
        assert cell.get_attribute("data-state") == "done"
        assert "l08, 00.1: done" == cell.get_attribute("aria-label")
        assert page.url.endswith("/services/room-dashboard/"), "the page navigated instead of refreshing in place"
        print(f"the dashboard showed l08's checks {seen_after:.1f} s after they were recorded")
        assert seen_after < 10
    finally:
        context.close()


def test_a_learner_gets_403_on_the_dashboard(browser, room):
    context, page = _login(browser, room, "ana")
    try:
        assert page.url.startswith(f"{room.url}/hub/home"), page.url
        for path in ("/services/room-dashboard/", "/services/room-dashboard/fragment",
                     "/services/room-dashboard/api/report"):
            response = page.goto(f"{room.url}{path}")
            assert response.status == 403, (path, response.status)
            assert 'data-learner="l00"' not in page.content()
    finally:
        context.close()
