"""Benchmark: the Collaborative activity tabs, a course's page and their CSVs, cold (app cache empty) and warm, on an
existing database.

    DATABASE_URL=sqlite:///path.sqlite3 LEARNPULSE_NOW=2026-11-23T09:00:00Z python bench/collab_bench.py

Callbacks are called through Flask's test client (Dash serialisation included). The course is the one with the
most course views; its list is the people behind its most viewed activity. The CSVs are streamed from
/download/<report>.csv. A last section times the queries for an admin of a division (a fifth of the users).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashcalls import page as open_page  # noqa: E402
from dashcalls import payload, post, signed_in_client, timed  # noqa: E402
from sqlalchemy import select  # noqa: E402

from dashboard.factory import create_app  # noqa: E402
from dashboard.ids import Collaboration as ID  # noqa: E402
from dashboard.ids import CollaborationCourse as CID  # noqa: E402
from dashboard.ids import CollaborationSessions as SID  # noqa: E402
from dashboard.settings import Settings  # noqa: E402
from data_access import schema  # noqa: E402
from data_access.queries import collaboration as q  # noqa: E402
from data_access.scope import Scope, scope_for_email  # noqa: E402

REQUEST = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}


def stream(client, url: str) -> tuple[float, int, int]:
    """Median seconds of three streamed downloads, bytes and lines."""
    times, size, lines = [], 0, 0
    for _ in range(3):
        t = time.perf_counter()
        response = client.get(url, buffered=False)
        size = lines = 0
        for chunk in response.response:
            size += len(chunk)
            lines += chunk.count(b"\n")
        times.append(time.perf_counter() - t)
    return sorted(times)[1], size, lines


def query_cold(label: str, engine, fn, scope, now, **kwargs) -> None:
    runs = []
    for _ in range(3):
        with engine.connect() as conn:
            t = time.perf_counter()
            fn(conn, scope, now, **kwargs)
            runs.append((time.perf_counter() - t) * 1000)
    print(f"{label:<44} cold {statistics.median(runs):8.1f} ms")


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    svc = app.server.extensions["learnpulse"]
    now = settings.now()
    owner = Scope.owner()
    with svc.engine.connect() as conn:
        course = conn.execute(select(schema.collab_courses.c.course_id)
                              .order_by(schema.collab_courses.c.views.desc()).limit(1)).scalar_one()
        activity = max(q.course_activities(conn, owner, now, course), key=lambda a: a["views"])
        division = conn.execute(select(schema.groups.c.group_id).where(schema.groups.c.level == 1)
                                .order_by(schema.groups.c.group_id).limit(1)).scalar_one()
        u, m = schema.users, schema.memberships
        admin_email = conn.execute(select(u.c.email).join(m, m.c.user_id == u.c.user_id)
                                   .where(m.c.group_id == division, m.c.role == "admin").limit(1)).scalar()
        users = q.users_count(conn, owner, now)
    print(f"database: {settings.database_url.split('@')[-1]}   now: {now.isoformat()}")
    print(f"{users:,} current users; course {course}, activity {activity['activity_id']} "
          f"({activity['views']:,} views); division {division}")
    client = signed_in_client(app)

    def layout(tab: str, **query):
        search = ("?" + "&".join(f"{k}={v}" for k, v in query.items())) if query else ""
        return lambda: open_page(client, app, f"/collaboration/{tab}", search)

    def course_layout():
        return open_page(client, app, f"/collaboration/courses/{course}")

    def call(first_output: str, inputs: dict, state: dict | None = None):
        return lambda: post(client, payload(app, first_output, inputs, state))

    def users_rows(group=None, **request):
        return call(ID.USERS_GRID, {f"{ID.USERS_GRID}.getRowsRequest": {**REQUEST, **request}},
                    {f"{ID.GROUP}.value": group})

    timed("Users: page layout (group picker)", layout("users"), svc)
    timed("Users: count + most active (all users)", call(ID.USERS_COUNT, {f"{ID.GROUP}.value": None}), svc)
    timed("Users: first 100 rows", users_rows(), svc)
    timed("Users: rows by reactions desc", users_rows(sortModel=[{"colId": "reactions", "sort": "desc"}]), svc)
    timed("Users: rows 50,000-50,100", users_rows(startRow=50_000, endRow=50_100), svc)
    timed("Users: email contains 'lee'", users_rows(filterModel={
        "email": {"filterType": "text", "type": "contains", "filter": "lee"}}), svc)
    timed("Users: a division, count + most active", call(ID.USERS_COUNT, {f"{ID.GROUP}.value": division}), svc)
    timed("Users: a division, first 100 rows", users_rows(division), svc)
    timed("Groups: most active teams", call(ID.GROUPS_CHART, {f"{ID.GROUPS_GRID}.id": ID.GROUPS_GRID}), svc)
    timed("Groups: first 100 rows", call(ID.GROUPS_GRID, {f"{ID.GROUPS_GRID}.getRowsRequest": REQUEST}), svc)
    timed("Courses tab", call(ID.COURSES_GRID, {f"{ID.COURSES_GRID}.id": ID.COURSES_GRID}), svc)
    timed("Sessions: most active sessions", call(ID.SESSIONS_CHART, {f"{SID.GRID}.id": SID.GRID}), svc)
    timed("Sessions: first 100 rows", call(SID.GRID, {f"{SID.GRID}.getRowsRequest": REQUEST}), svc)
    timed("Sessions: rows by comments desc", call(SID.GRID, {f"{SID.GRID}.getRowsRequest": {
        **REQUEST, "sortModel": [{"colId": "comments", "sort": "desc"}]}}), svc)
    timed("Course: page layout (totals)", course_layout, svc)
    timed("Course: reactions by kind + activities", call(CID.REACTIONS_CHART, {f"{CID.ID}.data": course}), svc)
    selected = {f"{CID.SELECTED}.data": {"activity": activity["activity_id"], "action": "views"}}
    timed("Course: people who viewed, first 100", call(CID.PEOPLE_GRID, {
        f"{CID.PEOPLE_GRID}.getRowsRequest": REQUEST}, selected), svc)
    timed("Course: people who viewed, by email", call(CID.PEOPLE_GRID, {
        f"{CID.PEOPLE_GRID}.getRowsRequest": {**REQUEST, "sortModel": [{"colId": "email", "sort": "asc"}]}},
        selected), svc)
    liked = {f"{CID.SELECTED}.data": {"activity": activity["activity_id"], "action": "like"}}
    timed("Course: people who liked", call(CID.PEOPLE_GRID, {f"{CID.PEOPLE_GRID}.getRowsRequest": REQUEST}, liked),
          svc)
    for label, url in (("collab-users.csv", "/download/collab-users.csv"),
                       ("collab-users.csv, a division", f"/download/collab-users.csv?group={division}"),
                       ("collab-groups.csv", "/download/collab-groups.csv"),
                       ("courses.csv", "/download/courses.csv"),
                       ("course-activities.csv", f"/download/course-activities.csv?course={course}"),
                       ("activity-users.csv (views)",
                        f"/download/activity-users.csv?activity={activity['activity_id']}&action=views"),
                       ("session-collab.csv", "/download/session-collab.csv")):
        seconds, size, lines = stream(client, url)
        print(f"{label:<44} {seconds:6.2f} s   {lines - 1:>9,} rows   {size / 1e6:6.1f} MB")
    if admin_email:
        with svc.engine.connect() as conn:
            admin = scope_for_email(conn, admin_email)
        print(f"admin of {division} ({admin_email}), queries only:")
        for label, fn in (("users count", q.users_count), ("most active users", q.top_users),
                          ("users, first 100 rows", q.users_page), ("groups, first 100 rows", q.groups_page),
                          ("courses", q.courses_table), ("sessions, first 100 rows", q.sessions_page)):
            query_cold(f"  {label}", svc.engine, fn, admin, now)


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
