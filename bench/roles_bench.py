"""Benchmark: the pages' callbacks for each kind of viewer, each inside its own scope, cold and warm.

    DATABASE_URL=sqlite:///path.sqlite3 LEARNPULSE_NOW=2026-11-23T09:00:00Z python bench/roles_bench.py [ROLE…]

Viewers (ROLE: owner, admin, coach, instructor, author, learner; default all): the platform owner, the admin of
the division (a group just under the root) with the most members, the coach of the largest team, an instructor of
the largest session, the author of the most courses, the learner with the most answers. For each, the targets are
the largest things they see: the session with most enrollments, the user with most answers, their first group,
the most viewed course; each page's data callbacks run when the viewer's sections include the page.
Callbacks go through Flask's test client signed in as that
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
from sqlalchemy import func, select  # noqa: E402

from dashboard import auth  # noqa: E402
from dashboard.factory import create_app  # noqa: E402
from dashboard.ids import AtRisk as ARID  # noqa: E402
from dashboard.ids import Collaboration as CID  # noqa: E402
from dashboard.ids import CollaborationCourse as CCID  # noqa: E402
from dashboard.ids import Group as GID  # noqa: E402
from dashboard.ids import Overview as OID  # noqa: E402
from dashboard.ids import Participants as PID  # noqa: E402
from dashboard.ids import Session as SID  # noqa: E402
from dashboard.ids import Sessions as SLID  # noqa: E402
from dashboard.ids import SessionsCollab as SCID  # noqa: E402
from dashboard.ids import Trend as TID  # noqa: E402
from dashboard.ids import UserPage as UID  # noqa: E402
from dashboard.ids import Users as USID  # noqa: E402
from dashboard.settings import Settings  # noqa: E402
from data_access import schema  # noqa: E402
from data_access.scope import Scope, require_course, scope_for_user, visible_groups, visible_sessions, visible_user  # noqa: E402

REQUEST = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}


def timed(label: str, fn, svc) -> None:
    """Cold (median of 3, cache emptied first) and warm (mean of WARM_RUNS hits), as wall-clock time and as this
    process's CPU time: on SQLite, which runs inside the process, CPU time is the work itself and stays
    comparable when other programs share the cores (the wall clock then also counts the waits for a core)."""
    walls, cpus = [], []
    for _ in range(3):
        svc.queries.clear()
        t, c = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - t) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    fn()
    t, c = time.perf_counter(), time.process_time()
    for _ in range(WARM_RUNS):
        fn()
    warm, warm_cpu = ((time.perf_counter() - t) * 1000 / WARM_RUNS, (time.process_time() - c) * 1000 / WARM_RUNS)
    print(f"{label:<46} cold {statistics.median(walls):8.1f} ms (CPU {statistics.median(cpus):7.1f})   "
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
    c, us = schema.courses, schema.user_stats
    return {"owner": None,
            "admin": biggest("admin", g.c.parent_id == root),
            "coach": biggest("coach", g.c.group_id != root),
            "instructor": conn.execute(select(si.c.user_id).where(si.c.session_id == largest)
                                       .order_by(si.c.user_id).limit(1)).scalar(),
            "author": conn.execute(select(c.c.author_id).group_by(c.c.author_id)
                                   .order_by(func.count().desc(), c.c.author_id).limit(1)).scalar(),
            "learner": conn.execute(select(us.c.user_id).join(m, m.c.user_id == us.c.user_id)
                                    .where(m.c.role == "learner", us.c.deleted == 0)
                                    .order_by(us.c.answers.desc(), us.c.user_id).limit(1)).scalar()}


def targets(conn, scope: Scope) -> dict:
    """The largest session, the busiest user, the first group and the most viewed course this viewer sees."""
    s, e, us = schema.sessions, schema.enrollments, schema.user_stats
    session = conn.execute(select(s.c.session_id).join(e, e.c.session_id == s.c.session_id)
                           .where(visible_sessions(scope, s)).group_by(s.c.session_id)
                           .order_by(func.count().desc(), s.c.session_id).limit(1)).scalar()
    user = conn.execute(select(us.c.user_id).where(visible_user(scope, us.c.user_id), us.c.deleted == 0)
                        .order_by(us.c.answers.desc(), us.c.user_id).limit(1)).scalar()
    g, cc = schema.groups, schema.collab_courses
    group = conn.execute(select(g.c.group_id).where(visible_groups(scope, g.c.group_id))
                         .order_by(g.c.level, g.c.group_id).limit(1)).scalar() if scope.managed_groups or \
        scope.is_owner else None
    return {"session": session, "user": user, "group": group,
            "course": next((c for c in conn.execute(select(cc.c.course_id).order_by(cc.c.views.desc(), cc.c.course_id))
                            .scalars() if _sees_course(conn, scope, c)), None)}


def _sees_course(conn, scope: Scope, course_id: str) -> bool:
    try:
        require_course(conn, scope, course_id)
    except LookupError:
        return False
    return True


class Bench:
    """One viewer: a signed-in client, their sections and targets."""

    def __init__(self, app, svc, role: str, client, sections, t: dict):
        self.app, self.svc, self.role, self.client, self.sections, self.t = app, svc, role, client, sections, t

    def call(self, first_output: str, inputs: dict, state: dict | None = None):
        return lambda: post(self.client, payload(self.app, first_output, inputs, state))

    def time(self, label: str, fn) -> None:
        timed(f"{self.role}: {label}", fn, self.svc)


def bench(app, svc, role: str, user_id: str | None) -> None:
    with svc.engine.connect() as conn:
        scope = Scope.owner() if user_id is None else scope_for_user(conn, user_id)
        email = None if user_id is None else conn.execute(
            select(schema.users.c.email).where(schema.users.c.user_id == user_id)).scalar_one()
        t = targets(conn, scope)
    sections = auth.sections(scope)
    print(f"\n{role}: {email or 'platform owner'}; sections {', '.join(sorted(sections)) or 'none'}; session "
          f"{t['session']}, user {t['user']}, group {t['group']}, course {t['course']}")
    b = Bench(app, svc, role, signed_in_client(app, email), sections, t)
    _overview(b)
    _session(b)
    _users(b)
    _collaboration(b)
    _groups(b)
    _layouts(b)


def _overview(b: Bench) -> None:
    b.time("Overview (KPIs, logins, recency)", b.call(OID.KPIS, {f"{OID.LOAD}.data": 1}))
    b.time("Overview at-risk card", b.call(OID.AT_RISK, {f"{OID.LOAD}.data": 1}))
    if auth.SESSIONS in b.sections:
        b.time("Sessions list (all)", b.call(SLID.GRID, {f"{SLID.STATUS}.value": "all"}))
    if auth.AT_RISK in b.sections:
        b.time("At-risk count + reasons (all cohorts)", b.call(ARID.SUMMARY, {f"{ARID.COHORT}.value": None}))


def _session(b: Bench) -> None:
    session = b.t["session"]
    if not session or auth.PARTICIPANTS not in b.sections:
        return
    b.time("Participants, load cohort", b.call(PID.ACTIVITY, {f"{PID.COHORT}.value": session}))
    b.time("Participants, weekly trend", b.call(TID.CHART, {f"{PID.COHORT}.value": session}))
    b.time("Participants, pace", b.call(TID.PACE, {f"{PID.COHORT}.value": session}))
    if auth.AT_RISK in b.sections:
        b.time("At-risk count + reasons (cohort)", b.call(ARID.SUMMARY, {f"{ARID.COHORT}.value": session}))
    if auth.SESSIONS in b.sections:
        sid = {f"{SID.ID}.data": session}
        b.time("Session KPIs (General + by group)", b.call(SID.KPIS, sid))
        b.time("Session individual results", b.call(SID.PEOPLE_GRID, {
            f"{SID.PEOPLE_GRID}.getRowsRequest": REQUEST}, {**sid, f"{SID.PEOPLE_FILTER}.data": {}}))


def _users(b: Bench) -> None:
    if auth.USERS in b.sections:
        b.time("Users list, first page", b.call(USID.GRID, {f"{USID.GRID}.getRowsRequest": REQUEST},
                                                {f"{USID.TABS}.active_tab": "current", f"{USID.MANAGER}.data": None}))
    if b.t["user"] and auth.USERS in b.sections:
        def user_page(uid=b.t["user"]):
            open_page(b.client, b.app, f"/users/{uid}")
            return post(b.client, payload(b.app, UID.PUBLIC, {f"{UID.ID}.data": uid}))
        b.time("User page (layout + sections)", user_page)


def _collaboration(b: Bench) -> None:
    if auth.COLLABORATION not in b.sections:
        return
    b.time("Collab users, count + most active", b.call(CID.USERS_COUNT, {f"{CID.GROUP}.value": None}))
    b.time("Collab users, first 100 rows", b.call(CID.USERS_GRID, {
        f"{CID.USERS_GRID}.getRowsRequest": REQUEST}, {f"{CID.GROUP}.value": None}))
    b.time("Collab groups, most active teams", b.call(CID.GROUPS_CHART, {f"{CID.GROUPS_GRID}.id": CID.GROUPS_GRID}))
    b.time("Collab groups, first 100 rows", b.call(CID.GROUPS_GRID, {f"{CID.GROUPS_GRID}.getRowsRequest": REQUEST}))
    b.time("Collab courses tab", b.call(CID.COURSES_GRID, {f"{CID.COURSES_GRID}.id": CID.COURSES_GRID}))
    b.time("Collab sessions, most active", b.call(CID.SESSIONS_CHART, {f"{SCID.GRID}.id": SCID.GRID}))
    b.time("Collab sessions, first 100 rows", b.call(SCID.GRID, {f"{SCID.GRID}.getRowsRequest": REQUEST}))
    if b.t["course"]:
        b.time("Collab course, reactions + activities",
               b.call(CCID.REACTIONS_CHART, {f"{CCID.ID}.data": b.t["course"]}))


def _groups(b: Bench) -> None:
    if b.t["group"] and auth.GROUPS in b.sections:
        gid = {f"{GID.ID}.data": b.t["group"]}
        b.time("Group rates + charts", b.call(GID.KPIS, gid))
        b.time("Group sessions table", b.call(GID.SESSIONS_GRID, {f"{GID.SESSIONS_GRID}.getRowsRequest": REQUEST},
                                              gid))


def _layouts(b: Bench) -> None:
    """Each page's layout (Dash's page router), for the pages of the viewer's sections."""
    t = b.t
    pages = [(auth.OVERVIEW, "/", ""), (auth.PARTICIPANTS, "/participants", f"?session={t['session']}"),
             (auth.AT_RISK, "/at-risk", ""), (auth.SESSIONS, "/sessions", ""),
             (auth.SESSIONS, f"/sessions/{t['session']}", ""), (auth.GROUPS, "/groups", ""),
             (auth.GROUPS, f"/groups/{t['group']}", ""), (auth.USERS, "/users", ""),
             (auth.USERS, f"/users/{t['user']}", ""), (auth.COLLABORATION, "/collaboration/users", ""),
             (auth.COLLABORATION, f"/collaboration/courses/{t['course']}", "")]
    for section, path, search in pages:
        if section in b.sections and "None" not in path + search:
            b.time(f"layout {path}", lambda p=path, q=search: open_page(b.client, b.app, p, q))


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
