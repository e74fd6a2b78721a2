"""Real-browser smoke test in headless Chromium (Debian's, driven by Playwright): every page opens
with no error in the browser console and no request to another host."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dashboard.factory import create_app
from dashboard.settings import Settings
from layouts.common import NAV

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]

pytestmark = pytest.mark.browser
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the demo is built around it; CLI exports use it too


class Server(str):
    """The base URL, with the database URL and engine of the app behind it."""

    def __new__(cls, base: str, db_url: str, engine):
        obj = super().__new__(cls, base)
        obj.db_url, obj.engine = db_url, engine
        return obj


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not installed at {CHROMIUM} (make test installs it)")
    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'b.sqlite3'}"
    settings = Settings.from_env(env={}, database_url=url, demo_learners=300, data_dir=tmp, now_override=NOW)
    app = create_app(settings)
    srv = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield Server(f"http://127.0.0.1:{srv.server_port}", url, app.server.extensions["learnpulse"].engine)
    srv.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("module", list(NAV))
def test_page_opens_without_console_errors(server, browser, module):
    path, name, _ = NAV[module]
    page = browser.new_page()
    errors, foreign = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(server) else None)
    page.goto(server + path, wait_until="networkidle")
    page.wait_for_selector("h2.lp-title")
    assert page.locator("h2.lp-title").inner_text() == name
    # every section is in the navigation bar
    for _p, label, _o in NAV.values():
        assert page.get_by_role("link", name=label, exact=True).count() == 1
    page.wait_for_timeout(300)
    assert errors == []
    assert foreign == [], "the app must work offline: no CSS, font or script from another host"
    page.close()


def test_overview_shows_living_numbers(server, browser):
    page = browser.new_page()
    page.goto(server + "/", wait_until="networkidle")
    page.wait_for_selector(".kpi-value")
    values = page.locator(".kpi-value").all_inner_texts()
    assert len(values) == 5
    assert int(values[0].replace(",", "")) > 200  # learners from the 300-learner demo
    assert page.locator("#overview-recency-chart .bar").count() >= 1 or \
        page.locator("#overview-recency-chart g.point").count() == 7
    page.close()


def test_empty_database_says_how_to_get_data(browser, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    settings = Settings.from_env(env={}, database_url=f"sqlite:///{tmp_path / 'e.sqlite3'}",
                                 seed_demo_on_empty=False, data_dir=tmp_path)
    srv = make_server("127.0.0.1", 0, create_app(settings).server, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{srv.server_port}/", wait_until="networkidle")
        page.wait_for_selector(".lp-empty")
        assert "No data yet." in page.locator(".lp-empty").inner_text()
        page.close()
    finally:
        srv.shutdown()
