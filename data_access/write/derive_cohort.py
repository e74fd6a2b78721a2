"""Cohort facts (schema.cohort_scopes, cohort_days): a large cohort's weekly trend per scope key, so that its cold
trend reads a few rows per day of the cohort instead of every participant's logins and completions.

Kept for the shares of at least MIN_PARTICIPANTS participants (registered, not deleted) that a scope key holds of a
session: PLATFORM (every participant) and each group an admin or a coach manages (its subtree's people, from
scope_users). A smaller share is counted from login_days per request, which is as quick (data_access.cohort_counts).
Rebuilt whole by derive.refresh_dependent (import, xAPI replay, the xAPI fold's refresher) after scope_users,
login_days and block_results. SQL that runs unchanged on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import inspect, text

DAY_S = 86_400
MIN_PARTICIPANTS = 200
LAST_DAY = 2**31 - 1  # (day is an Integer column)
# the facts read session_users, users (deleted), scope_users (memberships, groups), login_days, block_results
CHANGES = {"groups", "memberships", "users", "logins", "blocks", "course_attempts", "assessment_results",
           "classroom_slots", "slot_attendance", "enrollments", "sessions"}

# the sessions kept: those with at least MIN_PARTICIPANTS registered users (each then read with its id written out, so
# that the planner knows how many rows it has)
SESSIONS_SQL = """
    SELECT s.session_id, s.start_at, s.end_at FROM sessions s
    WHERE s.start_at IS NOT NULL AND s.session_id IN (SELECT session_id FROM session_users WHERE registered = 1
                                                      GROUP BY session_id HAVING COUNT(*) >= {n})
    ORDER BY s.session_id"""


def days_of(start_at: int, end_at: int | None) -> dict:
    """The UTC days whose logins the session's weeks may count: from a week before its start to a week after its end
    (a week holding either starts or ends up to 6 days away), or on without an end."""
    return {"first_day": start_at // DAY_S - 7, "last_day": LAST_DAY if end_at is None else end_at // DAY_S + 7}

# a session's participants in each key (scope_users' deleted flag is the user's: no need to read users)
SCOPES_SQL = """
    INSERT INTO cohort_scopes (session_id, group_id, participants)
    SELECT su.session_id, k.group_id, COUNT(*)
    FROM session_users su
    JOIN scope_users k ON k.user_id = su.user_id
    WHERE su.session_id = :s AND su.registered = 1 AND k.deleted = 0
      AND (k.group_id = '' OR k.group_id || '' IN (SELECT group_id FROM memberships WHERE role IN ('admin', 'coach')))
    GROUP BY su.session_id, k.group_id
    HAVING COUNT(*) >= {n}"""

_GAPS = ",\n               ".join(
    f"CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / {DAY_S} > {k} THEN 1 ELSE 0 END AS gap{k}"
    for k in range(1, 7))
# the session's participants in the keys kept, each of their login days in the session's weeks and each block they
# completed
_SHARES = """
        SELECT su.session_id, k.group_id, su.user_id
        FROM session_users su
        JOIN scope_users k ON k.user_id = su.user_id
        WHERE su.session_id = :s AND su.registered = 1 AND k.deleted = 0
          AND k.group_id || '' IN (SELECT group_id FROM cohort_scopes WHERE session_id = :s)"""
DAYS_SQL = f"""
    INSERT INTO cohort_days (session_id, group_id, day, active, gap1, gap2, gap3, gap4, gap5, gap6, completed, last_at)
    SELECT session_id, group_id, day, SUM(active), SUM(gap1), SUM(gap2), SUM(gap3), SUM(gap4), SUM(gap5), SUM(gap6),
           SUM(completed), MAX(last_at)
    FROM (
        SELECT p.session_id, p.group_id, ld.day, 1 AS active,
               {_GAPS},
               0 AS completed, ld.last_at
        FROM ({_SHARES}) p
        JOIN login_days ld ON ld.user_id = p.user_id AND ld.day BETWEEN :first_day AND :last_day
        UNION ALL
        SELECT p.session_id, p.group_id, (br.completed_at - 1) / {DAY_S}, 0, 0, 0, 0, 0, 0, 0, 1, br.completed_at
        FROM ({_SHARES}) p
        JOIN block_results br ON br.session_id = p.session_id AND br.user_id = p.user_id
        WHERE br.completed = 1 AND br.completed_at IS NOT NULL
    ) x
    GROUP BY session_id, group_id, day"""


def refresh(conn, changed: set[str]) -> None:
    """Both tables, when a table they read changed. Skipped on a database at a revision without them (the migration
    that creates them fills them)."""
    if not changed & CHANGES or not inspect(conn).has_table("cohort_days"):
        return
    for table in ("cohort_days", "cohort_scopes"):
        conn.execute(text(f"DELETE FROM {table}"))
    for session_id, start_at, end_at in conn.execute(text(SESSIONS_SQL.format(n=MIN_PARTICIPANTS))).all():
        conn.execute(text(SCOPES_SQL.format(n=MIN_PARTICIPANTS)), {"s": session_id})
        conn.execute(text(DAYS_SQL), {"s": session_id, **days_of(start_at, end_at)})
    if conn.dialect.name == "postgresql":
        for table in ("cohort_scopes", "cohort_days"):
            conn.execute(text(f"ANALYZE {table}"))
