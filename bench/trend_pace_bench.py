"""Benchmark: the weekly trend and the pace of the largest cohort (Participants), cold and warm, per viewer.

    DATABASE_URL=postgresql://…/db LEARNPULSE_NOW=2026-11-23T09:00:00Z python bench/trend_pace_bench.py [ROLE…]

ROLE: owner, admin, coach, instructor (default owner admin coach), chosen as bench/roles_bench.py chooses them (the
division admin and the coach of the most members, an instructor of the largest session). For each: the trend
callback (chart, table, links), the pace sentence, the list behind it ("List them") and the two CSVs, each through
Flask's test client signed in as that viewer (Dash serialisation included). Timing as roles_bench.timed: cold (median
of 3, cache emptied first) and warm, wall clock and CPU time of this process plus, on PostgreSQL, its backends.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashcalls import payload, post, signed_in_client  # noqa: E402
from roles_bench import targets, timed, viewers  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from dashboard.core.ids import Participants as P  # noqa: E402
from dashboard.core.ids import Trend as T  # noqa: E402
from dashboard.core.settings import Settings  # noqa: E402
from dashboard.factory import create_app  # noqa: E402
from data_access import schema  # noqa: E402
from data_access.queries import trends as q  # noqa: E402
from data_access.scope import Scope, scope_for_user  # noqa: E402


def bench(app, svc, role: str, user_id: str | None) -> None:
    now, tz = svc.now(), svc.settings.timezone
    with svc.engine.connect() as conn:
        scope = Scope.owner() if user_id is None else scope_for_user(conn, user_id)
        email = None if user_id is None else conn.execute(
            select(schema.users.c.email).where(schema.users.c.user_id == user_id)).scalar_one()
        session = targets(conn, scope)["session"]
        if session is None:
            print(f"\n{role}: sees no session")
            return
        trend = q.activity_trend(conn, scope, now, session_id=session, tz=tz)
        pace = q.pace_summary(conn, scope, now, session_id=session)
    print(f"\n{role}: {email or 'platform owner'}; cohort {session}: {trend['participants']:,} participants, "
          f"{len(trend['weeks'])} weeks, {pace['behind']:,} behind pace, {pace['finished']:,} finished")
    client = signed_in_client(app, email)
    cohort = {f"{P.COHORT}.value": session}
    timed(f"{role}: weekly trend", lambda: post(client, payload(app, T.CHART, cohort)), svc)
    timed(f"{role}: pace", lambda: post(client, payload(app, T.PACE, cohort)), svc)
    hidden = {f"{T.PACE_LIST}.style": {"display": "none"}, **cohort}
    timed(f"{role}: pace, List them", lambda: post(client, payload(app, T.PACE_LIST, {f"{T.PACE_SHOW}.n_clicks": 1},
                                                                   hidden)), svc)
    timed(f"{role}: activity-trend.csv",
          lambda: len(client.get(f"/download/activity-trend.csv?session={session}").data), svc)
    timed(f"{role}: pace.csv", lambda: len(client.get(f"/download/pace.csv?session={session}").data), svc)


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    svc = app.server.extensions["learnpulse"]
    with svc.engine.connect() as conn:
        who = viewers(conn)
        users = conn.execute(select(func.count()).select_from(schema.users)).scalar_one()
    print(f"database: {settings.database_url.split('@')[-1]}   now: {svc.now().isoformat()}   {users:,} users   "
          f"time zone: {settings.timezone}   load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for role in sys.argv[1:] or ["owner", "admin", "coach"]:
        if who.get(role, "") == "" and role != "owner":
            print(f"\n{role}: nobody with this role")
            continue
        bench(app, svc, role, who[role])


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
