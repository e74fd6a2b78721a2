"""Benchmark: the Users pages and the user CSVs, cold (app cache empty) and warm, on an existing database.

    DATABASE_URL=sqlite:///path.sqlite3 LEARNPULSE_NOW=2026-11-23T09:00:00Z python bench/users_bench.py

Callbacks are called through Flask's test client (Dash serialisation included), as the browser calls them; a
coach's list is timed on the query (the web app's viewer is the owner until sign-in lands). The CSVs are
streamed from /download/<report>.csv chunk by chunk; a second download samples the memory in use after
chunks (flat memory = the samples stay level while the file grows).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashcalls import page as open_page  # noqa: E402
from dashcalls import payload, post, signed_in_client, timed  # noqa: E402
from sqlalchemy import text  # noqa: E402

from dashboard.core.ids import GeneralStats as GID  # noqa: E402
from dashboard.core.ids import UserPage as UID  # noqa: E402
from dashboard.core.ids import Users as ID  # noqa: E402
from dashboard.core.settings import Settings  # noqa: E402
from dashboard.factory import create_app  # noqa: E402
from data_access.queries import users as q  # noqa: E402
from data_access.scope import scope_for_email  # noqa: E402


def stream_csv(client, url: str) -> tuple[float, float, int, int, list[float]]:
    """Seconds (median of three; wall clock and this process's CPU, which is what the wall clock comes down to
    on a machine nobody else uses), bytes and lines of a streamed download, then the Python memory in use after
    chunks of a fourth one under tracemalloc (which slows Python down, so it is not timed)."""
    def download(sample=None) -> tuple[int, int]:
        response = client.get(url, buffered=False)
        assert response.status_code == 200, response.status_code
        size = lines = 0
        for chunk in response.response:
            size += len(chunk)
            lines += chunk.count(b"\r\n")
            if sample is not None:
                sample.append(tracemalloc.get_traced_memory()[0] / 1e6)
        return size, lines

    times, cpu = [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        size, lines = download()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    samples: list[float] = []
    tracemalloc.start()
    download(samples)
    tracemalloc.stop()
    return statistics.median(times), statistics.median(cpu), size, lines, samples


def timed_query(label: str, fn) -> None:
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    print(f"{label:<44} cold {statistics.median(runs):8.1f} ms   (query, no cache)")


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    svc = app.server.extensions["learnpulse"]
    now = settings.now()
    with svc.engine.connect() as conn:
        one = conn.execute(text("SELECT COUNT(*) FROM users")).scalar_one()
        answers = conn.execute(text("SELECT COUNT(*) FROM answers")).scalar_one()
        attempts = conn.execute(text("SELECT COUNT(*) FROM course_attempts")).scalar_one()
        manager = conn.execute(text("SELECT manager_id FROM managers GROUP BY manager_id "
                                    "ORDER BY COUNT(*) DESC, manager_id LIMIT 1")).scalar_one()
        busy = conn.execute(text("SELECT user_id FROM user_stats WHERE deleted = 0 "
                                 "ORDER BY answers DESC, user_id LIMIT 1")).scalar_one()
        author = conn.execute(text("SELECT author_id FROM courses GROUP BY author_id "
                                   "ORDER BY COUNT(*) DESC, author_id LIMIT 1")).scalar_one()
        coach_email = conn.execute(text("SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.user_id "
                                        "WHERE m.role = 'coach' ORDER BY u.user_id LIMIT 1")).scalar_one()
        coach = scope_for_email(conn, coach_email)
        group = conn.execute(text("SELECT group_id FROM groups WHERE level = 1 ORDER BY group_id")).scalar()
    print(f"database: {settings.database_url.split('@')[-1]}   now: {now.isoformat()}   "
          f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{one:,} users, {answers:,} answers, {attempts:,} course attempts")
    client = signed_in_client(app)

    def rows(label, tab="current", manager=None, sort=(), filters=None, start=0):
        request = {"startRow": start, "endRow": start + 100, "sortModel": list(sort), "filterModel": filters or {}}
        body = payload(app, ID.GRID, {f"{ID.GRID}.getRowsRequest": request},
                       {f"{ID.TABS}.active_tab": tab, f"{ID.MANAGER}.data": manager})
        timed(label, lambda: post(client, body), svc)

    rows("users list, first page")
    rows("users list, by time spent (desc)", sort=[{"colId": "time_spent", "sort": "desc"}])
    rows("users list, by last activity (desc)", sort=[{"colId": "last_activity", "sort": "desc"}])
    rows("users list, rows 50,000-50,100 by email", sort=[{"colId": "email", "sort": "asc"}], start=50_000)
    rows("users list, last name contains 'son'",
         filters={"last_name": {"filterType": "text", "type": "contains", "filter": "son"}})
    rows("deleted tab, first page", tab="deleted")
    rows(f"team of {manager} (largest team)", manager=manager)
    with svc.engine.connect() as conn:
        timed_query(f"coach's list ({coach_email.split('@')[0]})", lambda: q.users_page(conn, coach, now))
        timed_query("coach's list, by time spent", lambda: q.users_page(
            conn, coach, now, sort_model=[{"colId": "time_spent", "sort": "desc"}]))

    for label, uid in ((f"user page {busy} (most answers)", busy), (f"user page {author} (author)", author)):
        def page(uid=uid):
            open_page(client, app, f"/users/{uid}")
            return post(client, payload(app, UID.PUBLIC, {f"{UID.ID}.data": uid}))
        timed(label + ": layout + sections", page, svc)

    filters = {f"{GID.GROUPS}.value": None, f"{GID.USERS}.value": None, f"{GID.SESSIONS}.value": None,
               f"{GID.DATES}.start_date": None, f"{GID.DATES}.end_date": None}
    timed("general stats panel: count + preview", lambda: post(client, payload(app, GID.SUMMARY, filters)), svc)
    timed("general stats panel, one division + dates", lambda: post(client, payload(app, GID.SUMMARY, {
        **filters, f"{GID.GROUPS}.value": [group], f"{GID.DATES}.start_date": "2026-06-01",
        f"{GID.DATES}.end_date": "2026-11-23"})), svc)

    for label, url in (("Users CSV", "/download/users.csv"),
                       ("General stats CSV", "/download/general-stats.csv"),
                       ("General stats CSV, since 2026-06-01", "/download/general-stats.csv?since=2026-06-01"),
                       ("Registrations CSV", "/download/registrations.csv"),
                       ("user-stats CSV", f"/download/user-stats.csv?user={busy}")):
        seconds, cpu, size, lines, samples = stream_csv(client, url)
        step = max(1, len(samples) // 6)
        print(f"{label:<36} {seconds:6.2f} s (CPU {cpu:5.2f} s)  {lines - 1:>8,} lines  {size / 1e6:6.1f} MB in "
              f"{len(samples):>4} chunks; memory after chunks (MB): " + ", ".join(f"{m:.1f}" for m in samples[::step]))


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
