"""Scope facts (schema.scope_users, scope_recency, scope_login_days, scope_sessions): per scope key (a group's
subtree, or PLATFORM: every user) the people it holds and the Overview's counts over them, so a viewer's Overview and
users-list counts read their own scope's few hundred rows instead of joining memberships, the closure, users, logins
and registrations per request.

Kept by derive.refresh (import, xAPI replay) and derive.refresh_dependent (the xAPI fold's refresher) whole, and by
derive.refresh_for for the users a posted batch touched (refresh_people: their memberships and last logins, at once,
since scope.visible_users reads scope_users). scope_sessions is rebuilt whole by refresh_sessions (from
derive.refresh_dependent): a batch's registrations count there a moment after it, as in group_sessions.
SQL that runs unchanged on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import inspect, text

from data_access.scope import PLATFORM

DAY_S = 86_400
# scope_login_days covers the last LOGIN_FACT_DAYS days up to the latest login stored: the Overview's 12 weeks with
# room for a `now` up to months after the last import; a span it does not cover is read from login_days.
LOGIN_FACT_DAYS = 200
# scope_users reads the closure, memberships and users (deleted_at, last_login_at); the counts read it and logins
CHANGES_USERS = {"groups", "memberships", "users"}
CHANGES_COUNTS = CHANGES_USERS | {"logins"}

_USERS = f"""
    INSERT INTO scope_users (group_id, user_id, learner, deleted, last_login_at)
    SELECT p.group_id, p.user_id,
           CASE WHEN EXISTS (SELECT 1 FROM memberships l WHERE l.user_id = p.user_id AND l.role = 'learner')
                THEN 1 ELSE 0 END,
           CASE WHEN u.deleted_at IS NULL THEN 0 ELSE 1 END, u.last_login_at
    FROM (SELECT DISTINCT gc.ancestor_id AS group_id, m.user_id
          FROM memberships m JOIN group_closure gc ON gc.descendant_id = m.group_id {{members}}
          UNION SELECT '{PLATFORM}', user_id FROM users {{users}}) p
    JOIN users u ON u.user_id = p.user_id
    ORDER BY p.group_id, p.user_id"""

_RECENCY = f"""
    INSERT INTO scope_recency (group_id, day, learners)
    SELECT group_id, COALESCE(last_login_at / {DAY_S}, -1), COUNT(*) FROM scope_users
    WHERE deleted = 0 AND learner = 1
    GROUP BY group_id, COALESCE(last_login_at / {DAY_S}, -1)"""

_GAPS = ",\n           ".join(
    f"SUM(CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / {DAY_S} > {k} THEN 1 ELSE 0 END)" for k in range(1, 7))
_LOGIN_DAYS = f"""
    INSERT INTO scope_login_days (group_id, day, active, gap1, gap2, gap3, gap4, gap5, gap6)
    SELECT su.group_id, ld.day, COUNT(*),
           {_GAPS}
    FROM login_days ld JOIN scope_users su ON su.user_id = ld.user_id
    WHERE ld.day >= (SELECT MAX(day) FROM login_days) - {LOGIN_FACT_DAYS - 1}
    GROUP BY su.group_id, ld.day"""

_SESSIONS = """
    INSERT INTO scope_sessions (group_id, session_id, registered, progress_sum)
    SELECT su.group_id, r.session_id, COUNT(*), SUM(r.progress_pct)
    FROM scope_users su JOIN session_users r ON r.user_id = su.user_id
    WHERE r.registered = 1
    GROUP BY su.group_id, r.session_id"""
# no ORDER BY: PostgreSQL then hash-aggregates the 1.2 M joined rows at 100k instead of sorting them on disk (4.5 ->
# 1.8 s); SQLite's GROUP BY sorts them anyway


def refresh(conn, changed: set[str]) -> None:
    """Every scope fact the changed tables feed. Skipped on a database at a revision without them (0017 fills)."""
    if not changed & CHANGES_COUNTS or not inspect(conn).has_table("scope_users"):
        return
    if changed & CHANGES_USERS:
        conn.execute(text("DELETE FROM scope_users"))
        conn.execute(text(_USERS.format(members="", users="")))
    else:
        refresh_logins(conn)
    for table, sql in (("scope_recency", _RECENCY), ("scope_login_days", _LOGIN_DAYS)):
        conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text(sql))
    if conn.dialect.name == "postgresql":
        for table in ("scope_users", "scope_recency", "scope_login_days"):
            conn.execute(text(f"ANALYZE {table}"))


def refresh_people(conn, changed: set[str], users: str) -> None:
    """scope_users of the users of the SQL subquery `users` (derive.refresh_for: a posted xAPI batch), in the same
    transaction as their new memberships and logins, so that the scope rules reading it (scope.visible_users) see
    them at once: whole when the group tree changed. The per-day counts follow at the next refresh()."""
    if not changed & CHANGES_COUNTS or not inspect(conn).has_table("scope_users"):
        return
    if "groups" in changed:
        conn.execute(text("DELETE FROM scope_users"))
        conn.execute(text(_USERS.format(members="", users="")))
        return
    conn.execute(text(f"DELETE FROM scope_users WHERE user_id IN ({users})"))
    conn.execute(text(_USERS.format(members=f"WHERE m.user_id IN ({users})", users=f"WHERE user_id IN ({users})")))


def refresh_logins(conn) -> None:
    """scope_users.last_login_at from users.last_login_at (after derive.refresh_last_login)."""
    conn.execute(text("UPDATE scope_users SET last_login_at = (SELECT u.last_login_at FROM users u "
                      "WHERE u.user_id = scope_users.user_id)"))


def refresh_sessions(conn) -> None:
    """scope_sessions from scope_users and session_users (after both). Skipped on a database at a revision without
    it (the migration that creates it fills it)."""
    if not inspect(conn).has_table("scope_sessions"):
        return
    conn.execute(text("DELETE FROM scope_sessions"))
    conn.execute(text(_SESSIONS))
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE scope_sessions"))
