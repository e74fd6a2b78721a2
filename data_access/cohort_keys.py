"""Which scope keys the cohort facts are kept for (schema.scope_participants, scope_session_kpis,
scope_session_blocks; data_access.write.derive_kpis), and which key a viewer reads.

Kept: PLATFORM (every user: the platform owner's and an instructor's view of their session) and every group someone
coaches or administers (the key of their scope: the users of its subtree, scope.visible_users), except for the admins
of the root group, who are platform owners. A viewer whose scope is exactly one kept key reads that key's rows; any
other viewer (several managed groups, or some managed groups and some taught sessions) is counted as before, user by
user.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from data_access import schema
from data_access.scope import PLATFORM, Scope

# the group keys kept (SQL shared by the derivation; the migration carries its own copy)
KEPT_GROUPS_SQL = ("SELECT m.group_id FROM memberships m JOIN groups g ON g.group_id = m.group_id "
                   "WHERE m.role = 'coach' OR (m.role = 'admin' AND g.parent_id IS NOT NULL)")


def kept(conn, group_id: str) -> bool:
    """Whether the cohort facts hold the group key's rows (someone coaches it, or administers it below the root)."""
    m, g = schema.memberships, schema.groups
    return conn.execute(select(m.c.group_id).join(g, g.c.group_id == m.c.group_id).where(
        m.c.group_id == group_id,
        or_(m.c.role == "coach", and_(m.c.role == "admin", g.c.parent_id.is_not(None)))).limit(1)).first() is not None


def for_session(conn, scope: Scope, session_id: str) -> str | None:
    """The key whose rows are exactly the users of the session the viewer sees (scope.session_users_probe): PLATFORM
    for the owner and the session's instructors, the one managed group when it is kept; None otherwise."""
    if scope.is_owner or session_id in scope.instructor_sessions:
        return PLATFORM
    return _one_group(conn, scope)


def for_running(conn, scope: Scope) -> str | None:
    """The key whose rows are exactly the participants the viewer sees in every session they see (the at-risk lists):
    PLATFORM for the owner and for an instructor who manages no group (they see their sessions whole), the one
    managed group of a viewer who teaches no session when it is kept; None otherwise."""
    if scope.is_owner or not scope.managed_groups:
        return PLATFORM
    return None if scope.instructor_sessions else _one_group(conn, scope)


def _one_group(conn, scope: Scope) -> str | None:
    groups = scope.managed_groups
    return groups[0] if len(groups) == 1 and kept(conn, groups[0]) else None
