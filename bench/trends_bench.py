"""Benchmark: the trends' server time, cold (app cache empty) and warm, on an existing database, for the platform
owner and for an admin of a division (a group just below the root).

    DATABASE_URL=sqlite:///path.sqlite3 LEARNPULSE_NOW=2026-12-01T09:00:00Z python bench/trends_bench.py [SESSION]

Each callback is called the way the browser calls it (POST /_dash-update-component through Flask's test
client, Dash's serialisation included): the trend section of Participants (weekly trend and pace), the
comparison of the cohort with the previous sessions of its template (up to 5 cohorts), the Overview (headline
numbers, weekly active learners, recency), and the query of the weekly active learners alone. SESSION defaults
to the cohort Participants preselects. "cold" clears the cache before every call (median of 3).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashcalls import WARM_RUNS, signed_in_client  # noqa: E402
from dashcalls import payload as _payload  # noqa: E402
from dashcalls import post as _post  # noqa: E402
from sqlalchemy import select  # noqa: E402

from dashboard.core.ids import Compare as C  # noqa: E402
from dashboard.core.ids import Overview as O  # noqa: E402
from dashboard.core.ids import Participants as P  # noqa: E402
from dashboard.core.ids import Trend as T  # noqa: E402
from dashboard.core.settings import Settings  # noqa: E402
from dashboard.factory import create_app  # noqa: E402
from data_access import schema  # noqa: E402
from data_access.queries import participants as pq  # noqa: E402
from data_access.queries import trends as q  # noqa: E402
from data_access.scope import Scope, scope_for_user  # noqa: E402


def timed(label: str, fn, svc) -> None:
    """Cold (cache cleared, median of 3) and warm (cached, mean of 20): wall-clock and this process's CPU time.
    On SQLite the query runs in this process, so CPU time is the work done even on a machine busy with other
    jobs, where wall-clock time also counts waiting for a core."""
    walls, cpus = [], []
    for _ in range(3):
        svc.queries.clear()
        t, c = time.perf_counter(), time.process_time()
        size = fn()
        walls.append((time.perf_counter() - t) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    fn()
    t = time.perf_counter()
    for _ in range(WARM_RUNS):
        fn()
    warm = (time.perf_counter() - t) * 1000 / WARM_RUNS
    print(f"{label:<44} cold {statistics.median(walls):7.1f} ms (cpu {statistics.median(cpus):6.1f})   "
          f"warm {warm:6.2f} ms   response {size:>8,} B")


def division_admin(conn) -> str | None:
    """An admin of a group whose parent is the root (the largest such group)."""
    g, m, gc = schema.groups, schema.memberships, schema.group_counts
    root = select(g.c.group_id).where(g.c.parent_id.is_(None)).scalar_subquery()
    return conn.execute(select(m.c.user_id).join(g, g.c.group_id == m.c.group_id)
                        .join(gc, gc.c.group_id == g.c.group_id)
                        .where(m.c.role == "admin", g.c.parent_id == root)
                        .order_by(gc.c.learners.desc(), m.c.user_id).limit(1)).scalar()


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    svc = app.server.extensions["learnpulse"]
    now, tz = settings.now(), settings.timezone
    with svc.engine.connect() as conn:
        session = sys.argv[1] if len(sys.argv) > 1 else pq.default_cohort(pq.cohorts(conn, Scope.owner(), now))
        admin = division_admin(conn)
        viewers = [("owner", None, Scope.owner())]
        if admin:
            viewers.append((f"division admin {admin}", admin, scope_for_user(conn, admin)))
        emails = {uid: conn.execute(select(schema.users.c.email).where(schema.users.c.user_id == uid)).scalar()
                  for _, uid, _ in viewers if uid}
    print(f"database: {settings.database_url.split('@')[-1]}   now: {now.isoformat()}   time zone: {tz}")
    for label, uid, scope in viewers:
        with svc.engine.connect() as conn:
            try:
                trend = q.activity_trend(conn, scope, now, session_id=session, tz=tz)
                chosen = q.default_comparison(conn, scope, now, session_id=session)
            except LookupError:
                print(f"{label}: does not see {session}")
                continue
        print(f"\n{label}: cohort {session}, {trend['participants']:,} participants, {len(trend['weeks'])} weeks; "
              f"comparison of {len(chosen)} cohorts {chosen}")
        client = signed_in_client(app, emails.get(uid))
        cohort = {f"{P.COHORT}.value": session}
        timed("participants: weekly trend", lambda c=client, i=cohort: _post(c, _payload(app, T.CHART, i)), svc)
        timed("participants: pace", lambda c=client, i=cohort: _post(c, _payload(app, T.PACE, i)), svc)
        pick = {f"{C.PICK}.value": chosen}
        if len(chosen) >= 2:
            timed(f"compare: {len(chosen)} cohorts", lambda c=client, i=pick: _post(c, _payload(app, C.CHART, i)), svc)
        timed("overview: page (cards, weekly active, recency)",
              lambda c=client: _post(c, _payload(app, O.KPIS, {f"{O.LOAD}.data": True})), svc)
        timed("overview: weekly active learners (query)",
              lambda s=scope: len(svc.queries.run(q.weekly_active_learners, s, now, tz=tz)), svc)
        timed("download activity-trend.csv",
              lambda c=client: len(c.get(f"/download/activity-trend.csv?session={session}").data), svc)


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
