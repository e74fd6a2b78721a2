"""Shared real-browser fixtures (headless Chromium from Debian, driven by Playwright).

conftest.py provides the `server` and `browser` fixtures to every test module: one Chromium per test run (each
test opens its own context), and for each module its own app on its own copy of a 300-learner demo built
around NOW (built once per run: `demo_template`). Open pages with `server.new_page(browser)` or
`server.new_context(browser, ...)`: they carry a signed-in viewer (the platform owner unless `email=` names
someone else), so tests run as a real user would. `goto(page, url)` opens a page and returns when Dash has
no callback left to answer (`settle`), which is sooner than waiting for the network to be idle for 500 ms.
"""

from __future__ import annotations

import io
import os
import shutil
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dashboard.core.settings import Settings
from dashboard.factory import create_app
from tests.signing import sign_in_path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the demo is built around it; CLI exports use it too


class Server(str):
    """The base URL, with the database URL, engine and Flask app behind it."""

    def __new__(cls, base: str, db_url: str, app):
        obj = super().__new__(cls, base)
        obj.db_url, obj.app = db_url, app
        obj.engine = app.server.extensions["learnpulse"].engine
        return obj

    def new_context(self, browser, email: str | None = None, **options):
        """A browser context signed in as `email` (default: the platform owner), through a one-time link."""
        context = browser.new_context(**options)
        response = context.request.get(self + sign_in_path(self.engine, email), max_redirects=0)
        assert response.status == 302, response.text()[:300]
        return context

    def new_page(self, browser, email: str | None = None, **options):
        return self.new_context(browser, email, **options).new_page()


def wait_until(page, expression: str, arg=None, timeout_s: float = 30.0) -> None:
    """Poll a JavaScript expression until it is truthy. page.wait_for_function would evaluate it with eval()
    inside the page, which the app's Content-Security-Policy forbids; page.evaluate is run by the browser's
    debugging protocol, outside the page's policy."""
    import time

    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_s:.0f} s: {expression}")
        page.wait_for_timeout(100)


# Dash's own state (the renderer's store): the app is hydrated and no callback is requested, running or waiting
IDLE_JS = """() => {
  const state = window.store && window.store.getState();
  if (!state || state.appLifecycle !== 'HYDRATED' || state.isLoading) return false;
  const callbacks = state.callbacks || {};
  const queues = ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed', 'stored'];
  return !queues.some(q => (callbacks[q] || []).length)
    && !document.querySelector('[data-dash-is-loading="true"]');
}"""


def settle(page, timeout_s: float = 60.0) -> None:
    """Wait until a Dash page has answered every callback: idle twice 100 ms apart, since an answer can start
    the next callback (a page's content, then its grids and charts). A page that is not Dash (the sign-in
    form) has settled when loaded."""
    page.wait_for_load_state()
    if not page.evaluate("() => !!document.getElementById('react-entry-point')"):
        return
    for _ in range(2):
        wait_until(page, IDLE_JS, timeout_s=timeout_s)
        page.wait_for_timeout(100)


def goto(page, url: str) -> None:
    page.goto(url)
    settle(page)


def reload(page) -> None:
    page.reload()
    settle(page)


def screenshot(page, name: str, **options) -> None:
    """Keep a screenshot for a person to look at, in the folder LEARNPULSE_SCREENSHOTS names; none is taken
    without it (a full-page screenshot takes a while, and no test reads one)."""
    folder = os.environ.get("LEARNPULSE_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), **options)


def serve(app):
    """Serve a Dash app on a free port in a thread; returns (base url, werkzeug server)."""
    srv = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{srv.server_port}", srv


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not installed at {CHROMIUM} (make test installs it)")


def _settings(folder: Path) -> Settings:
    return Settings.from_env(env={}, database_url=f"sqlite:///{folder / 'b.sqlite3'}", demo_learners=300,
                             data_dir=folder, now_override=NOW)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The database an app creates on its first start (the 300-learner demo), made once per test run."""
    require_chromium()
    from dashboard.factory import prepare_database

    folder = tmp_path_factory.mktemp("demo-template")
    engine = prepare_database(_settings(folder), out=io.StringIO())
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return folder / "b.sqlite3"


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_template):
    tmp = tmp_path_factory.mktemp("browser")
    shutil.copyfile(demo_template, tmp / "b.sqlite3")
    settings = _settings(tmp)
    url = settings.database_url
    app = create_app(settings)
    base, srv = serve(app)
    yield Server(base, url, app)
    srv.shutdown()


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
