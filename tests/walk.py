"""A walk through every page of the 300-learner demo for the Chromium tests (tests.browser): the paths of the
pages with real ids, and waiting until a page has finished loading its data."""

from __future__ import annotations

from sqlalchemy import select

from data_access import schema
from tests.browser import settle  # noqa: F401 - where the walking tests have always found it


def walk_paths(server) -> list[str]:
    with server.engine.connect() as conn:
        session_id = conn.execute(select(schema.sessions.c.session_id).order_by(schema.sessions.c.session_id)).scalar()
        program_id = conn.execute(select(schema.sessions.c.program_id).where(
            schema.sessions.c.session_id == session_id)).scalar()
        group_id = conn.execute(select(schema.groups.c.group_id).where(
            schema.groups.c.parent_id.is_not(None)).order_by(schema.groups.c.group_id)).scalar()
        user_id = conn.execute(select(schema.session_users.c.user_id).where(
            schema.session_users.c.session_id == session_id).order_by(schema.session_users.c.user_id)).scalar()
        course_id = conn.execute(select(schema.courses.c.course_id).order_by(schema.courses.c.course_id)).scalar()
    return ["/", f"/participants?session={session_id}&bucket=0-1,2-3,4-7,8-14,15-30,31%2B,Never", "/at-risk",
            f"/compare?program={program_id}", "/sessions",
            f"/sessions/{session_id}", f"/sessions/program/{program_id}", "/groups", f"/groups/{group_id}",
            "/users", "/users?tab=deleted", "/users?tab=general", f"/users/{user_id}", "/collaboration",
            "/collaboration/users", "/collaboration/groups", "/collaboration/courses", "/collaboration/sessions",
            f"/collaboration/courses/{course_id}", "/view-as", "/digest"]
