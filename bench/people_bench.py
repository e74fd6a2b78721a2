"""Benchmark: a session's learner lists (Individual results, a group's learners of a session) and Results by group,
for each kind of viewer, cold and warm, in the orders and narrowings the grids ask for.

    DATABASE_URL=postgresql://… LEARNPULSE_NOW=2026-11-23T09:00:00Z python bench/people_bench.py [ROLE…]

Viewers as in roles_bench.py (owner, admin, coach, instructor; default all four). Targets: the largest session the
viewer sees, and the sessions nearest a tenth of its size and a hundredth of it (a session small against the
platform's users), the first group of its Results by group, the viewer's first group on the
Groups page with that group's largest session. Wall clock and CPU time (this process and the PostgreSQL backends)
as roles_bench.timed prints them. BENCH_SCHEMA_AS_IS=1 reads a database whose schema is a revision behind without
migrating it (the shared 1M database, which is read-only: only queries are timed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashcalls import payload, post, signed_in_client  # noqa: E402
from roles_bench import REQUEST, timed, viewers  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from dashboard.core.ids import Group as GID  # noqa: E402
from dashboard.core.ids import ProgramSession as SID  # noqa: E402
from dashboard.core.settings import Settings  # noqa: E402
from data_access import migrate, schema  # noqa: E402
from data_access.queries import sessions as sq  # noqa: E402
from data_access.scope import Scope, scope_for_user, visible_groups, visible_sessions  # noqa: E402

ORDERS = [("by first name", [{"colId": "first_name", "sort": "asc"}]),
          ("by last name desc", [{"colId": "last_name", "sort": "desc"}]),
          ("by progress", [{"colId": "progress", "sort": "asc"}]),
          ("by score desc", [{"colId": "score", "sort": "desc"}]),
          ("by time spent desc", [{"colId": "time_spent", "sort": "desc"}]),
          ("by last activity", [{"colId": "last_activity", "sort": "asc"}])]
FILTER = {"last_name": {"filterType": "text", "type": "contains", "filter": "son"}}


def sessions_by_size(conn, scope: Scope) -> list[tuple[str, int]]:
    s, e = schema.sessions, schema.enrollments
    return conn.execute(select(s.c.session_id, func.count()).join(e, e.c.session_id == s.c.session_id)
                        .where(visible_sessions(scope, s)).group_by(s.c.session_id)
                        .order_by(func.count().desc(), s.c.session_id)).all()


def group_target(conn, scope: Scope) -> tuple[str | None, str | None]:
    """The viewer's first group (Groups page) and its session with most learners."""
    if not (scope.is_owner or scope.managed_groups):
        return None, None
    g, gs = schema.groups, schema.group_sessions
    group = conn.execute(select(g.c.group_id).where(visible_groups(scope, g.c.group_id))
                         .order_by(g.c.level, g.c.group_id).limit(1)).scalar()
    session = conn.execute(select(gs.c.session_id).where(gs.c.group_id == group)
                           .order_by(gs.c.learners.desc(), gs.c.session_id).limit(1)).scalar()
    return group, session


def bench(app, svc, role: str, user_id: str | None) -> None:
    now = svc.now()
    with svc.engine.connect() as conn:
        scope = Scope.owner() if user_id is None else scope_for_user(conn, user_id)
        email = None if user_id is None else conn.execute(
            select(schema.users.c.email).where(schema.users.c.user_id == user_id)).scalar_one()
        sizes = sessions_by_size(conn, scope)
        big, n = sizes[0]
        tenth = min(sizes, key=lambda s: abs(s[1] - n / 10))
        hundredth = min(sizes, key=lambda s: abs(s[1] - n / 100))
        first_group = (sq.results_by_group_page(conn, scope, now, big, end=1)["rows"] or [{}])[0].get("group_id")
        group, group_session = group_target(conn, scope)
    print(f"\n{role}: {email or 'platform owner'}; session {big} ({n:,} enrollments), {tenth[0]} ({tenth[1]:,}), "
          f"{hundredth[0]} ({hundredth[1]:,}); its group {first_group}; Groups page {group} / {group_session}")
    client = signed_in_client(app, email)

    def people(session: str, request: dict, narrow: dict | None = None):
        return lambda: post(client, payload(app, SID.PEOPLE_GRID, {f"{SID.PEOPLE_GRID}.getRowsRequest": request},
                                            {f"{SID.ID}.data": session, f"{SID.PEOPLE_FILTER}.data": narrow or {}}))

    def groups(request: dict):
        return lambda: post(client, payload(app, SID.GROUPS_GRID, {f"{SID.GROUPS_GRID}.getRowsRequest": request},
                                            {f"{SID.ID}.data": big}))

    timed(f"{role}: individual results, first 100", people(big, REQUEST), svc)
    timed(f"{role}: individual results, rows 5000-5100", people(big, {**REQUEST, "startRow": 5000,
                                                                        "endRow": 5100}), svc)
    for label, sort in ORDERS:
        timed(f"{role}: individual results, {label}", people(big, {**REQUEST, "sortModel": sort}), svc)
    timed(f"{role}: individual results, last name contains", people(big, {**REQUEST, "filterModel": FILTER}), svc)
    timed(f"{role}: individual results, level 80-100", people(big, REQUEST, {"band": 4}), svc)
    if first_group:
        timed(f"{role}: individual results, one group", people(big, REQUEST, {"group": first_group}), svc)
    for other, size in sorted({tenth, hundredth}, key=lambda s: -s[1]):
        timed(f"{role}: individual results, {size:,} learners", people(other, REQUEST), svc)
    timed(f"{role}: results by group, first 100", groups(REQUEST), svc)
    timed(f"{role}: results by group, by users", groups({**REQUEST, "sortModel": [{"colId": "users",
                                                                                   "sort": "desc"}]}), svc)
    if group_session:
        timed(f"{role}: Groups page, a session's learners", lambda: post(client, payload(
            app, GID.PEOPLE_GRID, {f"{GID.PEOPLE_GRID}.getRowsRequest": REQUEST},
            {f"{GID.ID}.data": group, f"{GID.SESSION}.data": group_session})), svc)


def main() -> None:
    if os.environ.get("BENCH_SCHEMA_AS_IS"):
        migrate.ensure_current = lambda engine, automatic: None
    from dashboard.factory import create_app

    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    svc = app.server.extensions["learnpulse"]
    with svc.engine.connect() as conn:
        who = viewers(conn)
        users = conn.execute(select(func.count()).select_from(schema.users)).scalar_one()
    print(f"database: {settings.database_url.split('@')[-1]}   now: {svc.now().isoformat()}   {users:,} users   "
          f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for role in sys.argv[1:] or ["owner", "admin", "coach", "instructor"]:
        if who.get(role, "") == "" and role != "owner":
            print(f"\n{role}: nobody with this role")
            continue
        bench(app, svc, role, who[role])


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
