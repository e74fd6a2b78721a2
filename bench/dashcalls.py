"""Helpers for benchmarks that call a Dash app's callbacks the way the browser does."""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, datetime

from data_access import accounts
from tests.dashcalls import payload  # noqa: F401 - the benchmarks call it from here

WARM_RUNS = 20


def signed_in_client(app, email: str | None = None):
    """A Flask test client signed in (one-time link) as `email`, default the platform owner: benchmarks
    measure what a signed-in viewer gets, sign-in included."""
    client = app.server.test_client()
    with app.server.extensions["learnpulse"].engine.begin() as conn:
        token = accounts.issue_sign_in(conn, datetime.now(UTC), email)
    assert client.get(f"/login/token/{token}").status_code == 302
    return client


def page(client, app, path: str, search: str = "") -> int:
    """Open a page as the browser does on navigation: Dash's page router builds its layout for the signed-in
    viewer. Returns the response size."""
    return post(client, payload(app, "_pages_content", {"_pages_location.pathname": path,
                                                        "_pages_location.search": search}))


def post(client, body: dict) -> int:
    response = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 204), response.data[:500]
    return len(response.data)


def timed(label: str, fn, svc) -> None:
    colds = []
    for _ in range(3):
        svc.queries.clear()
        t = time.perf_counter()
        size = fn()
        colds.append((time.perf_counter() - t) * 1000)
    fn()
    t = time.perf_counter()
    for _ in range(WARM_RUNS):
        fn()
    warm = (time.perf_counter() - t) * 1000 / WARM_RUNS
    print(f"{label:<44} cold {statistics.median(colds):8.1f} ms   warm {warm:7.2f} ms   response {size:>10,} B")
