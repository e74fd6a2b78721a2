"""Benchmark: the pages' callbacks for each kind of viewer, each inside its own scope, cold and warm.

    DATABASE_URL=sqlite:///path.sqlite3 LEARNPULSE_NOW=2026-11-23T09:00:00Z python bench/roles_bench.py [ROLE…]

Viewers (ROLE: owner, admin, coach, instructor, author, learner; default all): the platform owner, the admin of
the division (a group just under the root) with the most members, the coach of the largest team, an instructor of
the largest session, the author of the most courses who manages no group, and a learner with no other role.
For each, the targets are the largest things they see: the session with most enrollments,
the user with most answers, their first group. Callbacks go through Flask's test client signed in as that
viewer (Dash serialisation included); "cold" empties the cache before each call, "warm" is a cache hit; wall
clock and this process's CPU time are printed (see timed).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashcalls import WARM_RUNS, payload, post, signed_in_client  # noqa: E402
from dashcalls import page as open_page  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from dashboard.core import pages  # noqa: E402
from dashboard.core.ids import AtRisk as AID  # noqa: E402
from dashboard.core.ids import Collaboration as CID  # noqa: E402
from dashboard.core.ids import Group as GID  # noqa: E402
from dashboard.core.ids import Overview as OID  # noqa: E402
from dashboard.core.ids import Participants as PID  # noqa: E402
from dashboard.core.ids import ProgramSession as SID  # noqa: E402
from dashboard.core.ids import ProgramSessions as PSID  # noqa: E402
from dashboard.core.ids import Trend as TID  # noqa: E402
from dashboard.core.ids import UserPage as UID  # noqa: E402
from dashboard.core.ids import Users as USID  # noqa: E402
from dashboard.core.settings import Settings  # noqa: E402
from dashboard.factory import create_app  # noqa: E402
from data_access import schema  # noqa: E402
from data_access.scope import Scope, scope_for_user, visible_groups, visible_sessions, visible_user  # noqa: E402

REQUEST = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}


def server_cpu(svc) -> float | None:
    """PostgreSQL on this machine: the CPU time (ms) its backends serving this database have used so far, read from
    /proc (the server's work, which the wall clock mixes with the waits for a core on a shared machine); else None."""
    if svc.engine.dialect.name != "postgresql":
        return None
    with svc.engine.connect() as conn:
        pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).scalars()
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total * 1000 / os.sysconf("SC_CLK_TCK")


def timed(label: str, fn, svc) -> None:
    """Cold (median of 3, cache emptied first) and warm (mean of WARM_RUNS hits), as wall-clock time and as CPU time:
    this process's, plus on PostgreSQL its server's (server_cpu; a clock tick is 10 ms, so the server's part is a
    mean over the runs). On SQLite, which runs inside the process, CPU time is the work itself and stays comparable
    when other programs share the cores (the wall clock then also counts the waits for a core)."""
    walls, cpus, server = [], [], 0.0
    for _ in range(3):
        svc.queries.clear()
        s0 = server_cpu(svc)
        t, c = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - t) * 1000)
        cpus.append((time.process_time() - c) * 1000)
        server += 0 if s0 is None else (server_cpu(svc) - s0) / 3
    fn()
    s0 = server_cpu(svc)
    t, c = time.perf_counter(), time.process_time()
    for _ in range(WARM_RUNS):
        fn()
    warm, warm_cpu = ((time.perf_counter() - t) * 1000 / WARM_RUNS, (time.process_time() - c) * 1000 / WARM_RUNS)
    if s0 is not None:
        warm_cpu += (server_cpu(svc) - s0) / WARM_RUNS
    print(f"{label:<46} cold {statistics.median(walls):8.1f} ms (CPU {statistics.median(cpus) + server:7.1f})   "
          f"warm {warm:7.2f} ms (CPU {warm_cpu:6.2f})")


def viewers(conn) -> dict[str, str | None]:
    """role -> user id (None: the platform owner)."""
    g, m, gc, e, si = (schema.groups, schema.memberships, schema.group_closure, schema.enrollments,
                       schema.session_instructors)
    root = conn.execute(select(g.c.group_id).where(g.c.parent_id.is_(None))).scalar_one()
    size = (select(gc.c.ancestor_id, func.count().label("n")).join(m, m.c.group_id == gc.c.descendant_id)
            .group_by(gc.c.ancestor_id).subquery())

    def biggest(role: str, where) -> str | None:
        return conn.execute(select(m.c.user_id).join(g, g.c.group_id == m.c.group_id)
                            .join(size, size.c.ancestor_id == g.c.group_id)
                            .where(m.c.role == role, where)
                            .order_by(size.c.n.desc(), m.c.user_id).limit(1)).scalar()

    largest = (select(e.c.session_id).group_by(e.c.session_id).order_by(func.count().desc(), e.c.session_id)
               .limit(1)).scalar_subquery()
    c = schema.courses
    managers = select(m.c.user_id).where(m.c.role.in_(("admin", "coach")))
    author = conn.execute(select(c.c.author_id).where(c.c.author_id.not_in(managers))
                          .group_by(c.c.author_id).order_by(func.count().desc(), c.c.author_id).limit(1)).scalar()
    others = select(m.c.user_id).where(m.c.role != "learner")
    learner = conn.execute(select(m.c.user_id).where(m.c.role == "learner", m.c.user_id.not_in(others),
                                                     m.c.user_id.not_in(select(si.c.user_id)),
                                                     m.c.user_id.not_in(select(c.c.author_id)))
                           .order_by(m.c.user_id).limit(1)).scalar()
    return {"owner": None,
            "admin": biggest("admin", g.c.parent_id == root),
            "coach": biggest("coach", g.c.group_id != root),
            "instructor": conn.execute(select(si.c.user_id).where(si.c.session_id == largest)
                                       .order_by(si.c.user_id).limit(1)).scalar(),
            "author": author, "learner": learner}


def targets(conn, scope: Scope) -> dict:
    """The largest session, the busiest user and the first group this viewer sees."""
    s, e, us = schema.sessions, schema.enrollments, schema.user_stats
    session = conn.execute(select(s.c.session_id).join(e, e.c.session_id == s.c.session_id)
                           .where(visible_sessions(scope, s)).group_by(s.c.session_id)
                           .order_by(func.count().desc(), s.c.session_id).limit(1)).scalar()
    user = conn.execute(select(us.c.user_id).where(visible_user(scope, us.c.user_id), us.c.deleted == 0)
                        .order_by(us.c.answers.desc(), us.c.user_id).limit(1)).scalar()
    g = schema.groups
    group = conn.execute(select(g.c.group_id).where(visible_groups(scope, g.c.group_id))
                         .order_by(g.c.level, g.c.group_id).limit(1)).scalar() if scope.managed_groups or \
        scope.is_owner else None
    return {"session": session, "user": user, "group": group}


def bench(app, svc, role: str, user_id: str | None) -> None:
    with svc.engine.connect() as conn:
        scope = Scope.owner() if user_id is None else scope_for_user(conn, user_id)
        email = None if user_id is None else conn.execute(
            select(schema.users.c.email).where(schema.users.c.user_id == user_id)).scalar_one()
        t = targets(conn, scope)
    sections = pages.sections(scope)
    print(f"\n{role}: {email or 'platform owner'}; session {t['session']}, user {t['user']}, group {t['group']}")
    client = signed_in_client(app, email)

    def call(first_output: str, inputs: dict, state: dict | None = None):
        return lambda: post(client, payload(app, first_output, inputs, state))

    timed(f"{role}: Overview (KPIs, logins, recency)", call(OID.KPIS, {f"{OID.LOAD}.data": 1}), svc)
    timed(f"{role}: Overview at-risk card", call(OID.AT_RISK, {f"{OID.LOAD}.data": 1}), svc)
    if t["session"]:
        timed(f"{role}: Participants, load cohort", call(PID.ACTIVITY, {f"{PID.COHORT}.value": t["session"]}), svc)
        cohort = {f"{PID.COHORT}.value": t["session"]}
        timed(f"{role}: Participants, first 100 rows", call(PID.GRID, {f"{PID.GRID}.getRowsRequest": REQUEST},
                                                            {f"{PID.SELECTED}.data": [], **cohort}), svc)
        timed(f"{role}: Participants, weekly trend", call(TID.CHART, cohort), svc)
        timed(f"{role}: Participants, pace", call(TID.PACE, cohort), svc)
        timed(f"{role}: Participants, at-risk limits + contacts", call(PID.RISK_LIMITS, cohort), svc)
        timed(f"{role}: At risk, counts + reasons", call(AID.SUMMARY, {f"{AID.COHORT}.value": t["session"]}), svc)
        timed(f"{role}: At risk, first 100 rows", call(AID.GRID, {f"{AID.GRID}.getRowsRequest": REQUEST},
                                                       {f"{AID.SELECTED}.data": [],
                                                        f"{AID.COHORT}.value": t["session"]}), svc)
        sid = {f"{SID.ID}.data": t["session"]}
        timed(f"{role}: Session KPIs (General)", call(SID.KPIS, sid), svc)
        timed(f"{role}: Session results by group, 100", call(SID.GROUPS_GRID, {
            f"{SID.GROUPS_GRID}.getRowsRequest": REQUEST}, sid), svc)
        timed(f"{role}: Session by group, by users", call(SID.GROUPS_GRID, {
            f"{SID.GROUPS_GRID}.getRowsRequest": {**REQUEST, "sortModel": [{"colId": "users", "sort": "desc"}]}},
            sid), svc)
        timed(f"{role}: Session individual results", call(SID.PEOPLE_GRID, {
            f"{SID.PEOPLE_GRID}.getRowsRequest": REQUEST}, {**sid, f"{SID.PEOPLE_FILTER}.data": {}}), svc)
    if pages.PROGRAM_SESSIONS in sections:
        first = {**REQUEST, "sortModel": [{"colId": "program", "sort": "asc"}, {"colId": "start", "sort": "desc"}]}
        timed(f"{role}: Sessions list, all, first 100", call(PSID.GRID, {f"{PSID.GRID}.getRowsRequest": first},
                                                             {f"{PSID.STATUS}.value": "all",
                                                              f"{PSID.SEARCH}.value": None}), svc)
    if pages.USERS in sections:
        timed(f"{role}: Users list, first page", call(USID.GRID, {f"{USID.GRID}.getRowsRequest": REQUEST},
                                                      {f"{USID.TABS}.active_tab": "current",
                                                       f"{USID.MANAGER}.data": None}), svc)
    if t["user"]:
        def user_page(uid=t["user"]):
            open_page(client, app, f"/users/{uid}")
            return post(client, payload(app, UID.PUBLIC, {f"{UID.ID}.data": uid}))
        timed(f"{role}: User page (layout + sections)", user_page, svc)
    if pages.COLLABORATION in sections:
        timed(f"{role}: Collab users, count + most active", call(CID.USERS_COUNT, {f"{CID.GROUP}.value": None}),
              svc)
        timed(f"{role}: Collab users, first 100 rows", call(CID.USERS_GRID, {
            f"{CID.USERS_GRID}.getRowsRequest": REQUEST}, {f"{CID.GROUP}.value": None}), svc)
    if t["group"] and pages.GROUPS in sections:
        gid = {f"{GID.ID}.data": t["group"]}
        timed(f"{role}: Group rates + charts", call(GID.KPIS, gid), svc)
        timed(f"{role}: Group sessions table", call(GID.SESSIONS_GRID, {
            f"{GID.SESSIONS_GRID}.getRowsRequest": REQUEST}, gid), svc)


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    svc = app.server.extensions["learnpulse"]
    with svc.engine.connect() as conn:
        who = viewers(conn)
        users = conn.execute(select(func.count()).select_from(schema.users)).scalar_one()
    print(f"database: {settings.database_url.split('@')[-1]}   now: {svc.now().isoformat()}   {users:,} users   "
          f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for role in sys.argv[1:] or list(who):
        if who.get(role, "") == "" and role != "owner":
            print(f"\n{role}: nobody with this role")
            continue
        bench(app, svc, role, who[role])


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
