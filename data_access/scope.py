"""Who is viewing: the explicit permission argument of every query function (metrics.md, "Who sees what").

Platform owners see everything. Admins and coaches see the users of the groups where they hold
that role and of those groups' descendants; instructors see their sessions; authors see their
courses. Decision: an admin of the root (platform) group is a platform owner.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, or_, select, true
from sqlalchemy.sql import ColumnElement

from data_access import schema

PLATFORM = ""  # the scope key of the platform owner in the scope facts (schema.scope_users): every user


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
    uid = conn.execute(select(u.c.user_id).where(u.c.email_lower == email.strip().lower())).scalar()
    if uid is None:
        raise UnknownViewer(f"no user with email {email!r}")
    return scope_for_user(conn, uid)


def scope_for_user(conn, uid: str) -> Scope:
    """What this user sees, from their roles: an admin of the root group is a platform owner; admin and
    coach roles give their groups; instructors their sessions; authors their courses (main author)."""
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
    """SQL condition: the user in user_col is inside the viewer's scope: a user with a membership of any role in the
    subtree of a group they administer or coach, read from schema.scope_users (one index range per group)."""
    if scope.is_owner:
        return true()
    su = schema.scope_users
    return user_col.in_(select(su.c.user_id).where(su.c.group_id.in_(scope.managed_groups)))


def visible_users_probe(scope: Scope, user_col) -> ColumnElement[bool]:
    """visible_users written as a probe per row (EXISTS on scope_users' primary key): for rows already narrowed by
    something else (the registrations of one session), where listing every member of the viewer's groups first
    made SQLite probe every (session, member) pair."""
    if scope.is_owner:
        return true()
    if not scope.managed_groups:
        return false()
    su = schema.scope_users
    return select(su.c.user_id).where(su.c.group_id.in_(scope.managed_groups), su.c.user_id == user_col).exists()


def _group_sessions(scope: Scope):
    """The session ids of the viewer's managed groups, from the group facts (schema.group_sessions)."""
    gs = schema.group_sessions
    return select(gs.c.session_id).where(gs.c.group_id.in_(scope.managed_groups))


def _instructed(scope: Scope, session_table) -> ColumnElement[bool]:
    return session_table.c.session_id.in_(scope.instructor_sessions) if scope.instructor_sessions else false()


def visible_sessions(scope: Scope, session_table) -> ColumnElement[bool]:
    """SQL condition: the sessions of the viewer's groups, i.e. whose group_id is in the subtree of a group
    they administer or coach (the group's catalog) or with an enrollment whose group_id is in it (assigned
    through the group), and the sessions they instruct.

    The groups' part is read from the group facts: schema.group_sessions holds one row per (group, session of the
    group) by exactly this rule (derive.refresh_group_sessions, rebuilt at import whenever sessions, enrollments or
    groups change, and by the xAPI fold's refresher), so it is an index range per managed group instead of every
    enrollment of the viewer's subtree (300,000 for a division at 1M learners, more than PostgreSQL hashes, which
    then scanned them again for each session). A session a posted xAPI batch adds to a group's catalog (or whose
    enrollments it changes) follows at the refresher's pass, seconds later, as in the group statistics."""
    if scope.is_owner:
        return true()
    in_groups = session_table.c.session_id.in_(_group_sessions(scope)) if scope.managed_groups else false()
    return or_(in_groups, _instructed(scope, session_table))


def visible_session(scope: Scope, session_table) -> ColumnElement[bool]:
    """visible_sessions written for a few sessions at a time (one session's page, a template's sessions): each
    session is probed in the group facts (EXISTS over their (group, session) key) instead of listing every session
    of the viewer's groups first."""
    if scope.is_owner:
        return true()
    gs = schema.group_sessions
    in_groups = select(gs.c.session_id).where(gs.c.session_id == session_table.c.session_id,
                                              gs.c.group_id.in_(scope.managed_groups)).exists()
    return or_(in_groups if scope.managed_groups else false(), _instructed(scope, session_table))


def session_users_condition(scope: Scope, session_col, user_col) -> ColumnElement[bool]:
    """SQL condition: a session's user the viewer sees. Instructors see every user of the sessions they
    teach; admins and coaches the users of their groups (with descendants)."""
    if scope.is_owner:
        return true()
    if scope.instructor_sessions:
        return visible_users(scope, user_col) | session_col.in_(scope.instructor_sessions)
    return visible_users(scope, user_col)


def session_users_probe(scope: Scope, session_col, user_col) -> ColumnElement[bool]:
    """session_users_condition written for the rows of one session (or a few): each row's user is probed
    (visible_users_probe), so the cost follows the session's size, not the size of the viewer's groups (listing
    a division's 20,000 members first cost SQLite 30-100 ms per statement)."""
    if scope.is_owner:
        return true()
    if scope.instructor_sessions:
        return visible_users_probe(scope, user_col) | session_col.in_(scope.instructor_sessions)
    return visible_users_probe(scope, user_col)


def sees_every_user_of(scope: Scope, session_id: str) -> bool:
    """The owner and a session's instructors see every user of it."""
    return scope.is_owner or session_id in scope.instructor_sessions


def one_session_users_probe(scope: Scope, session_id: str, user_col) -> ColumnElement[bool]:
    """session_users_probe for the rows of one known session, decided here rather than in SQL: no condition for
    those who see every user of it, the users of their groups (probed) for anyone else. An OR of the two made
    PostgreSQL probe the viewer's groups for each of a 100,000-learner session's rows."""
    if sees_every_user_of(scope, session_id):
        return true()
    return visible_users_probe(scope, user_col)


def require_session(conn, scope: Scope, session_id: str, condition: ColumnElement[bool] | None = None) -> None:
    """LookupError (one message everywhere) unless the session exists and the viewer may see it:
    visible_sessions, or the given wider condition over schema.sessions."""
    s = schema.sessions
    seen = condition if condition is not None else visible_session(scope, s)
    if conn.execute(select(s.c.session_id).where(s.c.session_id == session_id, seen)).first() is None:
        raise LookupError(f"no program session {session_id!r}" + ("" if scope.is_owner else " visible to this user"))


def require_program(conn, scope: Scope, program_id: str) -> None:
    """LookupError (one message everywhere) unless the program template exists and the viewer sees at least
    one of its sessions (a template is known through its sessions)."""
    p, s = schema.programs, schema.sessions
    seen = select(s.c.session_id).where(s.c.program_id == p.c.program_id, visible_session(scope, s)).exists()
    found = conn.execute(select(p.c.program_id).where(p.c.program_id == program_id,
                                                      true() if scope.is_owner else seen)).first()
    if found is None:
        raise LookupError(f"no program template {program_id!r}" + ("" if scope.is_owner else " visible to this user"))

def visible_groups(scope: Scope, group_col) -> ColumnElement[bool]:
    """SQL condition: the group in group_col is one the viewer may open: every group for the platform owner,
    else the groups they administer or coach and those groups' descendants (instructors and authors: none)."""

    if scope.is_owner:
        return true()
    gc = schema.group_closure
    return group_col.in_(select(gc.c.descendant_id).where(gc.c.ancestor_id.in_(scope.managed_groups)))


def require_group(conn, scope: Scope, group_id: str) -> None:
    """LookupError (one message for a missing group and one the viewer may not open) unless visible_groups."""
    g = schema.groups
    if conn.execute(select(g.c.group_id).where(g.c.group_id == group_id, visible_groups(scope, g.c.group_id))
                    ).first() is None:
        raise LookupError(f"no group {group_id!r}" + ("" if scope.is_owner else " visible to this user"))


def visible_courses(scope: Scope, course_table) -> ColumnElement[bool]:
    """SQL condition: courses the viewer authored, and (admins, coaches) courses whose main author is one of
    their groups' users: a course belongs to its main author's groups, as the Courses CSV's Group column says."""
    if scope.is_owner:
        return true()
    by_group = visible_users(scope, course_table.c.author_id)
    if scope.author_courses:
        return by_group | course_table.c.course_id.in_(scope.author_courses)
    return by_group


def require_course(conn, scope: Scope, course_id: str) -> None:
    """LookupError (one message whether missing or out of scope) unless the viewer sees the course."""
    c = schema.courses
    if conn.execute(select(c.c.course_id).where(c.c.course_id == course_id, visible_courses(scope, c))
                    ).first() is None:
        raise LookupError(f"no course {course_id!r}" + ("" if scope.is_owner else " visible to this user"))


# --- Users pages --------------------------------------------------------------------------------
def visible_user(scope: Scope, user_col) -> ColumnElement[bool]:
    """SQL condition: a user whose own page the viewer may open: the users they see (visible_users), every
    user of a session they instruct, and themselves (a learner with no group sees only their own page)."""
    if scope.is_owner:
        return true()
    # written for one user at a time (require_user): each branch probes that user's memberships or
    # enrollments (EXISTS) instead of listing every member or learner first (PostgreSQL hashed them all)
    cond = user_col == scope.user_id
    if scope.managed_groups:
        cond = cond | visible_users_probe(scope, user_col)
    if scope.instructor_sessions:
        e = schema.enrollments
        cond = cond | (select(e.c.user_id).where(e.c.user_id == user_col,
                                                 e.c.session_id.in_(scope.instructor_sessions)).exists())
    return cond


def require_user(conn, scope: Scope, user_id: str) -> None:
    """LookupError (one message whether the user is missing or out of scope) unless visible_user."""
    u = schema.users
    seen = select(u.c.user_id).where(u.c.user_id == user_id, visible_user(scope, u.c.user_id))
    if conn.execute(seen).first() is None:
        raise LookupError(f"no user {user_id!r}" + ("" if scope.is_owner else " visible to this user"))


def may_see_registrations(scope: Scope) -> bool:
    """Registrations (account creation, invited by, auto deletion) are for admins and the owner only."""
    return scope.is_owner or bool(scope.admin_groups)


def administered_users(scope: Scope, user_col) -> ColumnElement[bool]:
    """SQL condition: users with a membership in a group the viewer administers (with descendants)."""
    if scope.is_owner:
        return true()
    su = schema.scope_users
    return user_col.in_(select(su.c.user_id).where(su.c.group_id.in_(scope.admin_groups)))
