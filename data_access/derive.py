"""Derived facts, recomputed inside the import transaction (see schema.py, "Derived facts").

All in SQL that runs unchanged on SQLite and PostgreSQL, except the group closure, which is small
(groups number in the thousands at most) and computed in Python.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select, text

from data_access import schema

CHANGES_BLOCKS = {"blocks", "course_attempts", "assessment_results", "classroom_slots", "slot_attendance",
                  "enrollments", "sessions"}


def refresh(conn, changed: set[str]) -> None:
    if "groups" in changed:
        refresh_groups(conn)
    if "logins" in changed:
        refresh_last_login(conn)
    if changed & CHANGES_BLOCKS:
        refresh_block_results(conn)
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE block_results"))
        refresh_session_users(conn)
    if conn.dialect.name == "postgresql":
        for table in ("users", "groups", "group_closure", "session_users"):
            conn.execute(text(f"ANALYZE {table}"))


def refresh_groups(conn) -> None:
    rows = conn.execute(select(schema.groups.c.group_id, schema.groups.c.parent_id)).all()
    parent = dict(rows)
    closure = []
    level = {}
    for gid in parent:
        node, depth = gid, 0
        while node is not None:
            closure.append({"ancestor_id": node, "descendant_id": gid, "depth": depth})
            node = parent.get(node)
            depth += 1
        level[gid] = depth - 1
    conn.execute(delete(schema.group_closure))
    if closure:
        conn.execute(insert(schema.group_closure), closure)
    by_level: dict[int, list[str]] = {}
    for gid, lv in level.items():
        by_level.setdefault(lv, []).append(gid)
    for lv, gids in by_level.items():
        for i in range(0, len(gids), 500):
            conn.execute(schema.groups.update().where(schema.groups.c.group_id.in_(gids[i:i + 500]))
                         .values(level=lv))


def refresh_last_login(conn) -> None:
    conn.execute(text("""
        UPDATE users SET
          last_login_at = (SELECT MAX(l.at) FROM logins l WHERE l.user_id = users.user_id),
          login_count = (SELECT COUNT(*) FROM logins l WHERE l.user_id = users.user_id)
    """))


def refresh_block_results(conn) -> None:
    conn.execute(delete(schema.block_results))
    # course blocks: the most recent attempt in the session decides (metrics.md)
    conn.execute(text("""
        INSERT INTO block_results (session_id, block_id, user_id, kind, completed, score_pct, time_spent_s,
                                   attempts, passed, started_at, last_activity_at)
        SELECT b.session_id, b.block_id, a.user_id, 'course',
               CASE WHEN a.completed_at IS NOT NULL THEN 1 ELSE 0 END,
               a.score_pct, a.time_spent_s, a.n,
               CASE WHEN b.passing_score_pct IS NULL THEN NULL
                    WHEN a.score_pct IS NOT NULL AND a.score_pct >= b.passing_score_pct THEN 1 ELSE 0 END,
               a.first_start, a.last_act
        FROM blocks b
        JOIN (
          SELECT user_id, course_id, session_id, completed_at, score_pct, time_spent_s,
                 ROW_NUMBER() OVER (PARTITION BY session_id, user_id, course_id
                                    ORDER BY COALESCE(attempt_no, 0) DESC, started_at DESC) AS rn,
                 COUNT(*) OVER (PARTITION BY session_id, user_id, course_id) AS n,
                 MIN(started_at) OVER (PARTITION BY session_id, user_id, course_id) AS first_start,
                 MAX(last_activity_at) OVER (PARTITION BY session_id, user_id, course_id) AS last_act
          FROM course_attempts WHERE session_id IS NOT NULL
        ) a ON a.session_id = b.session_id AND a.course_id = b.course_id AND a.rn = 1
        WHERE b.kind = 'course'
    """))
    conn.execute(text("""
        INSERT INTO block_results (session_id, block_id, user_id, kind, completed, score_pct, time_spent_s,
                                   attempts, passed, started_at, last_activity_at)
        SELECT b.session_id, b.block_id, r.user_id, 'assessment', 1, r.score_pct, NULL, 1,
               CASE WHEN r.passed = 0 THEN 0
                    WHEN b.passing_score_pct IS NOT NULL
                         AND (r.score_pct IS NULL OR r.score_pct < b.passing_score_pct) THEN 0
                    WHEN r.passed = 1 OR b.passing_score_pct IS NOT NULL THEN 1
                    ELSE NULL END,
               r.submitted_at, r.submitted_at
        FROM blocks b JOIN assessment_results r ON r.block_id = b.block_id
        WHERE b.kind = 'assessment'
    """))
    conn.execute(text("""
        INSERT INTO block_results (session_id, block_id, user_id, kind, completed, score_pct, time_spent_s,
                                   attempts, passed, started_at, last_activity_at)
        SELECT b.session_id, b.block_id, sa.user_id, 'classroom',
               MAX(CASE WHEN sa.attendance_pct > 0 THEN 1 ELSE 0 END), NULL, NULL,
               SUM(CASE WHEN sa.attendance_pct > 0 THEN 1 ELSE 0 END), NULL,
               MIN(CASE WHEN sa.attendance_pct > 0 THEN cs.start_at END),
               MAX(CASE WHEN sa.attendance_pct > 0 THEN cs.end_at END)
        FROM blocks b
        JOIN classroom_slots cs ON cs.block_id = b.block_id
        JOIN slot_attendance sa ON sa.slot_id = cs.slot_id
        WHERE b.kind = 'classroom'
        GROUP BY b.session_id, b.block_id, sa.user_id
    """))


def refresh_session_users(conn) -> None:
    conn.execute(delete(schema.session_users))
    conn.execute(text("""
        INSERT INTO session_users (session_id, user_id, registered, blocks_total, blocks_completed,
                                   progress_pct, score_pct, time_spent_s, started, verified,
                                   start_at, last_activity_at)
        SELECT e.session_id, e.user_id,
               CASE WHEN e.status = 'registered' AND e.unassigned_at IS NULL THEN 1 ELSE 0 END,
               COALESCE(bt.n, 0),
               COALESCE(r.n_completed, 0),
               CASE WHEN COALESCE(bt.n, 0) = 0 THEN 0.0 ELSE 100.0 * COALESCE(r.n_completed, 0) / bt.n END,
               r.score,
               COALESCE(r.time_s, 0),
               COALESCE(r.started, 0),
               CASE WHEN COALESCE(bt.n, 0) > 0 AND COALESCE(r.n_completed, 0) = bt.n
                         AND COALESCE(r.n_failed, 0) = 0 THEN 1 ELSE 0 END,
               r.start_at, r.last_act
        FROM enrollments e
        LEFT JOIN (SELECT session_id, COUNT(*) AS n FROM blocks GROUP BY session_id) bt
               ON bt.session_id = e.session_id
        LEFT JOIN (
          SELECT session_id, user_id,
                 SUM(completed) AS n_completed,
                 AVG(score_pct) AS score,
                 SUM(CASE WHEN kind = 'course' THEN COALESCE(time_spent_s, 0) ELSE 0 END) AS time_s,
                 MAX(CASE WHEN kind = 'classroom' THEN completed ELSE 1 END) AS started,
                 SUM(CASE WHEN passed = 0 THEN 1 ELSE 0 END) AS n_failed,
                 MIN(CASE WHEN kind = 'course' THEN started_at END) AS start_at,
                 MAX(CASE WHEN kind <> 'classroom' THEN last_activity_at END) AS last_act
          FROM block_results GROUP BY session_id, user_id
        ) r ON r.session_id = e.session_id AND r.user_id = e.user_id
    """))
