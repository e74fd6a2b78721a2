"""Shared real-browser fixtures (headless Chromium from Debian, driven by Playwright).

conftest.py provides the `server` and `browser` fixtures to every test module; each module
gets its own app on a 300-learner demo built around NOW. Open pages with `server.new_page(browser)` or
`server.new_context(browser, ...)`: they carry a signed-in viewer (the platform owner unless
`email=` names someone else), so tests run as a real user would.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dashboard.factory import create_app
from dashboard.settings import Settings
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


def serve(app):
    """Serve a Dash app on a free port in a thread; returns (base url, werkzeug server)."""
    srv = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{srv.server_port}", srv


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not installed at {CHROMIUM} (make test installs it)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'b.sqlite3'}"
    settings = Settings.from_env(env={}, database_url=url, demo_learners=300, data_dir=tmp, now_override=NOW)
    app = create_app(settings)
    base, srv = serve(app)
    yield Server(base, url, app)
    srv.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
