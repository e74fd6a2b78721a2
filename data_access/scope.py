"""Who is viewing: the explicit permission argument of every query function (metrics.md, "Who sees what").

Platform owners see everything. Admins and coaches see the users of the groups where they hold
that role and of those groups' descendants; instructors see their sessions; authors see their
courses. Decision: an admin of the root (platform) group is a platform owner.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select, true
from sqlalchemy.sql import ColumnElement

from data_access import schema


class UnknownViewer(LookupError):
    pass


@dataclass(frozen=True)
class Scope:
    user_id: str | None = None  # None: the platform owner
    admin_groups: tuple[str, ...] = ()
    coach_groups: tuple[str, ...] = ()
    instructor_sessions: tuple[str, ...] = ()
    author_courses: tuple[str, ...] = ()

    @classmethod
    def owner(cls) -> Scope:
        return cls()

    @property
    def is_owner(self) -> bool:
        return self.user_id is None

    @property
    def managed_groups(self) -> tuple[str, ...]:
        """Groups whose users (with descendants) this viewer sees: admin or coach role."""
        return tuple(sorted(set(self.admin_groups) | set(self.coach_groups)))

    def cache_key(self) -> str:
        if self.is_owner:
            return "owner"
        return "|".join([self.user_id or "", ",".join(self.managed_groups), ",".join(self.instructor_sessions),
                         ",".join(self.author_courses)])


def scope_for_email(conn, email: str) -> Scope:
    """The scope of the user with this email (case-insensitive); UnknownViewer if none."""
    u = schema.users
    row = conn.execute(select(u.c.user_id, u.c.deleted_at).where(u.c.email_lower == email.strip().lower())).first()
    if row is None:
        raise UnknownViewer(f"no user with email {email!r}")
    uid = row.user_id
    m = schema.memberships
    roles = conn.execute(select(m.c.group_id, m.c.role).where(m.c.user_id == uid)).all()
    root = conn.execute(select(schema.groups.c.group_id).where(schema.groups.c.parent_id.is_(None))).scalar()
    if any(r.role == "admin" and r.group_id == root for r in roles):
        return Scope.owner()
    sessions = conn.execute(select(schema.session_instructors.c.session_id)
                            .where(schema.session_instructors.c.user_id == uid)).scalars().all()
    courses = conn.execute(select(schema.courses.c.course_id).where(schema.courses.c.author_id == uid)).scalars().all()
    return Scope(
        user_id=uid,
        admin_groups=tuple(sorted({r.group_id for r in roles if r.role == "admin"})),
        coach_groups=tuple(sorted({r.group_id for r in roles if r.role == "coach"})),
        instructor_sessions=tuple(sorted(sessions)),
        author_courses=tuple(sorted(courses)),
    )


def visible_users(scope: Scope, user_col) -> ColumnElement[bool]:
    """SQL condition: the user in user_col is inside the viewer's scope."""
    if scope.is_owner:
        return true()
    m, gc = schema.memberships, schema.group_closure
    members = (select(m.c.user_id)
               .join(gc, gc.c.descendant_id == m.c.group_id)
               .where(gc.c.ancestor_id.in_(scope.managed_groups)))
    return user_col.in_(members)


def visible_sessions(scope: Scope, session_table) -> ColumnElement[bool]:
    """SQL condition: sessions of the viewer's groups (and descendants) or that they instruct."""
    if scope.is_owner:
        return true()
    gc = schema.group_closure
    in_groups = session_table.c.group_id.in_(
        select(gc.c.descendant_id).where(gc.c.ancestor_id.in_(scope.managed_groups)))
    if scope.instructor_sessions:
        return in_groups | session_table.c.session_id.in_(scope.instructor_sessions)
    return and_(in_groups)


def session_users_condition(scope: Scope, session_col, user_col) -> ColumnElement[bool]:
    """SQL condition: a session's user the viewer sees. Instructors see every user of the sessions they
    teach; admins and coaches the users of their groups (with descendants)."""
    if scope.is_owner:
        return true()
    if scope.instructor_sessions:
        return visible_users(scope, user_col) | session_col.in_(scope.instructor_sessions)
    return visible_users(scope, user_col)


def require_session(conn, scope: Scope, session_id: str, condition: ColumnElement[bool] | None = None) -> None:
    """LookupError (one message everywhere) unless the session exists and the viewer may see it:
    visible_sessions, or the given wider condition over schema.sessions."""
    s = schema.sessions
    seen = condition if condition is not None else visible_sessions(scope, s)
    if conn.execute(select(s.c.session_id).where(s.c.session_id == session_id, seen)).first() is None:
        raise LookupError(f"no program session {session_id!r}" + ("" if scope.is_owner else " visible to this user"))
