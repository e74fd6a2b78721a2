"""Derived facts, recomputed inside the import transaction (see schema.py, "Derived facts").

All in SQL that runs unchanged on SQLite and PostgreSQL, except the group closure, which is small
(groups number in the thousands at most) and computed in Python.
"""

from __future__ import annotations

from sqlalchemy import case, delete, func, insert, inspect, select, text

from data_access import schema, user_metrics
from data_access.write import bulk, derive_cohort, derive_collab, derive_kpis, derive_scope

DAY_S = 86_400
CHANGES_BLOCKS = {"blocks", "course_attempts", "assessment_results", "classroom_slots", "slot_attendance",
                  "enrollments", "sessions"}
# at_risk_facts read session_users, block_results, blocks and users (names, deleted, last login)
CHANGES_RISK = CHANGES_BLOCKS | {"users", "logins"}
# group_sessions / group_counts read the closure, memberships, users (deleted_at) and session_users
CHANGES_GROUP_FACTS = CHANGES_BLOCKS | {"groups", "memberships", "users"}
# read by the pages through covering indexes: vacuumed after an import (db.vacuum)
VACUUMED = ["users", "memberships", "group_closure", "enrollments", "logins", "login_days", "block_results",
            "session_users", "at_risk_facts", "user_stats", "group_sessions", "group_counts", "session_groups",
            "scope_users", "scope_recency", "scope_login_days", "scope_sessions", "cohort_scopes", "cohort_days",
            "scope_participants", "scope_session_kpis", "scope_session_blocks"]


def refresh(conn, changed: set[str]) -> None:
    if "groups" in changed:
        refresh_groups(conn)
    if "logins" in changed:
        refresh_last_login(conn)
        refresh_login_days(conn)
    if changed & CHANGES_BLOCKS:
        refresh_block_results(conn)
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE block_results"))
        refresh_session_users(conn)
        if conn.dialect.name == "postgresql":  # the at-risk facts join it to every block of its session
            conn.execute(text("ANALYZE session_users"))
    if changed & CHANGES_RISK:
        refresh_risk_facts(conn)
    refresh_dependent(conn, changed)
    derive_kpis.refresh_participants(conn, changed)  # after at_risk_facts and scope_users
    if conn.dialect.name == "postgresql":
        for table in ("users", "groups", "group_closure", "session_users"):
            conn.execute(text(f"ANALYZE {table}"))


def refresh_dependent(conn, changed: set[str]) -> None:
    """The facts built over whole tables on top of session_users: the Users pages' (user_stats, user_tags),
    the Overview's scope facts, the group statistics' and the collaborative activity counts, each for the tables it
    depends on."""
    refresh_user_facts(conn, changed)
    derive_scope.refresh(conn, changed)  # the Overview's per-scope people and counts
    if changed & (CHANGES_BLOCKS | derive_scope.CHANGES_USERS):
        derive_scope.refresh_sessions(conn)  # registrations per scope key and session: session_users, scope_users
    derive_kpis.refresh_kpis(conn, changed)  # the General section per kept scope key: session_users, scope_users
    if changed & CHANGES_GROUP_FACTS:
        refresh_group_facts(conn)
    derive_cohort.refresh(conn, changed)  # a large cohort's weekly trend: after scope_users and session_users
    derive_collab.refresh(conn, changed)  # collaborative activity counts, with their own changed-tables sets


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
        for part in bulk.chunks(gids, 500):
            conn.execute(schema.groups.update().where(schema.groups.c.group_id.in_(part)).values(level=lv))


def refresh_last_login(conn, users: str | None = None) -> None:
    """users: optionally an SQL subquery of the user ids to refresh (refresh_for)."""
    conn.execute(text("""
        UPDATE users SET
          last_login_at = (SELECT MAX(l.at) FROM logins l WHERE l.user_id = users.user_id),
          login_count = (SELECT COUNT(*) FROM logins l WHERE l.user_id = users.user_id)
    """ + (f" WHERE user_id IN ({users})" if users else "")))


def refresh_login_days(conn, users: str | None = None) -> None:
    """schema.login_days from logins: per user and UTC day (at // 86400), the count, the first and last login
    and the user's latest login before the day (prev_at). users: optionally an SQL subquery of the user ids to
    refresh (refresh_for: each of their days, as prev_at chains them). Skipped on a database still at a revision
    without the table: the migration that creates it (0011_login_days) fills it."""
    if not inspect(conn).has_table("login_days"):
        return
    where = f" WHERE user_id IN ({users})" if users else ""
    conn.execute(text("DELETE FROM login_days" + where))
    conn.execute(text(f"""
        INSERT INTO login_days (user_id, day, logins, first_at, last_at, prev_at)
        SELECT user_id, day, n, first_at, last_at, LAG(last_at) OVER (PARTITION BY user_id ORDER BY day)
        FROM (SELECT user_id, at / {DAY_S} AS day, COUNT(*) AS n, MIN(at) AS first_at, MAX(at) AS last_at
              FROM logins{where} GROUP BY user_id, at / {DAY_S}) d
    """))
    if conn.dialect.name == "postgresql" and not users:
        conn.execute(text("ANALYZE login_days"))


def _narrow(rows: str | None, session_col: str, user_col: str, word: str = "AND") -> str:
    """rows: an SQL condition on {s} (a session id) and {u} (a user id) naming the rows to refresh (refresh_for)."""
    return f" {word} " + rows.format(s=session_col, u=user_col) if rows else ""


def refresh_block_results(conn, rows: str | None = None) -> None:
    """rows: optionally only some (session, user) rows, see _narrow. completed_at is left out on a database still
    at a revision without it (an import run before migrating): the migration that adds it (0011_login_days)
    fills it."""
    done = any(c["name"] == "completed_at" for c in inspect(conn).get_columns("block_results"))

    def when(sql: str) -> str:
        """The completed_at column and its value, or nothing at an older revision."""
        return sql if done else ""

    if rows:
        conn.execute(text("DELETE FROM block_results" + _narrow(rows, "session_id", "user_id", "WHERE")))
    else:
        conn.execute(delete(schema.block_results))
    _course_results(conn, rows, when)
    _assessment_results(conn, rows, when)
    _classroom_results(conn, rows, when)


def _insert_into(when) -> str:
    return ("INSERT INTO block_results (session_id, block_id, user_id, kind, completed, score_pct, time_spent_s, "
            "attempts, passed, started_at, last_activity_at" + when(", completed_at") + ")")


def _course_results(conn, rows: str | None, when) -> None:
    """Course blocks: the most recent attempt in the session decides (metrics.md)."""
    conn.execute(text(_insert_into(when) + """
        SELECT b.session_id, b.block_id, a.user_id, 'course',
               CASE WHEN a.completed_at IS NOT NULL THEN 1 ELSE 0 END,
               a.score_pct, a.time_spent_s, a.n,
               CASE WHEN b.passing_score_pct IS NULL THEN NULL
                    WHEN a.score_pct IS NOT NULL AND a.score_pct >= b.passing_score_pct THEN 1 ELSE 0 END,
               a.first_start, a.last_act""" + when(", CASE WHEN a.completed_at IS NOT NULL THEN a.first_completed END")
                      + """
        FROM blocks b
        JOIN (
          SELECT user_id, course_id, session_id, completed_at, score_pct, time_spent_s,
                 ROW_NUMBER() OVER (PARTITION BY session_id, user_id, course_id
                                    ORDER BY COALESCE(attempt_no, 0) DESC, started_at DESC) AS rn,
                 COUNT(*) OVER (PARTITION BY session_id, user_id, course_id) AS n,
                 MIN(started_at) OVER (PARTITION BY session_id, user_id, course_id) AS first_start,
                 MAX(last_activity_at) OVER (PARTITION BY session_id, user_id, course_id) AS last_act,
                 MIN(completed_at) OVER (PARTITION BY session_id, user_id, course_id) AS first_completed
          FROM course_attempts WHERE session_id IS NOT NULL""" + _narrow(rows, "session_id", "user_id") + """
        ) a ON a.session_id = b.session_id AND a.course_id = b.course_id AND a.rn = 1
        WHERE b.kind = 'course'
    """))


def _assessment_results(conn, rows: str | None, when) -> None:
    conn.execute(text(_insert_into(when) + """
        SELECT b.session_id, b.block_id, r.user_id, 'assessment', 1, r.score_pct, NULL, 1,
               CASE WHEN r.passed = 0 THEN 0
                    WHEN b.passing_score_pct IS NOT NULL
                         AND (r.score_pct IS NULL OR r.score_pct < b.passing_score_pct) THEN 0
                    WHEN r.passed = 1 OR b.passing_score_pct IS NOT NULL THEN 1
                    ELSE NULL END,
               r.submitted_at, r.submitted_at""" + when(", r.submitted_at") + """
        FROM blocks b JOIN assessment_results r ON r.block_id = b.block_id
        WHERE b.kind = 'assessment'
    """ + _narrow(rows, "b.session_id", "r.user_id")))


def _classroom_results(conn, rows: str | None, when) -> None:
    conn.execute(text(_insert_into(when) + """
        SELECT b.session_id, b.block_id, sa.user_id, 'classroom',
               MAX(CASE WHEN sa.attendance_pct > 0 THEN 1 ELSE 0 END), NULL, NULL,
               SUM(CASE WHEN sa.attendance_pct > 0 THEN 1 ELSE 0 END), NULL,
               MIN(CASE WHEN sa.attendance_pct > 0 THEN cs.start_at END),
               MAX(CASE WHEN sa.attendance_pct > 0 THEN cs.end_at END)"""
                      + when(", MIN(CASE WHEN sa.attendance_pct > 0 THEN cs.start_at END)") + """
        FROM blocks b
        JOIN classroom_slots cs ON cs.block_id = b.block_id
        JOIN slot_attendance sa ON sa.slot_id = cs.slot_id
        WHERE b.kind = 'classroom'""" + _narrow(rows, "b.session_id", "sa.user_id") + """
        GROUP BY b.session_id, b.block_id, sa.user_id
    """))


def refresh_session_users(conn, rows: str | None = None) -> None:
    """rows: optionally only some (session, user) rows, see _narrow."""
    if rows:
        conn.execute(text("DELETE FROM session_users" + _narrow(rows, "session_id", "user_id", "WHERE")))
    else:
        conn.execute(delete(schema.session_users))
    first_col, first_value = _first_activity(conn)
    conn.execute(text("""
        INSERT INTO session_users (session_id, user_id, registered, blocks_total, blocks_completed,
                                   progress_pct, score_pct, time_spent_s, started, verified,
                                   start_at, last_activity_at""" + first_col + """)
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
               r.start_at, r.last_act""" + first_value + """
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
                 MAX(CASE WHEN kind <> 'classroom' THEN last_activity_at END) AS last_act,
                 MIN(started_at) AS first_at
          FROM block_results""" + _narrow(rows, "session_id", "user_id", "WHERE") + """
          GROUP BY session_id, user_id
        ) r ON r.session_id = e.session_id AND r.user_id = e.user_id
    """ + _narrow(rows, "e.session_id", "e.user_id", "WHERE")))


def _first_activity(conn) -> tuple[str, str]:
    """The column session_users.first_activity_at (the pace's start: the earliest started_at of the learner's
    block_results in the session) and its value, for refresh_session_users; nothing at a revision without it (an
    import run before migrating: 0020_pace_trend_facts fills it)."""
    if not any(c["name"] == "first_activity_at" for c in inspect(conn).get_columns("session_users")):
        return "", ""
    return ", first_activity_at", ", r.first_at"


def refresh_for(conn, changed: set[str], rows: str, users: str) -> None:
    """refresh() narrowed to some (session, user) rows (an SQL condition on {s} and {u}, see _narrow) and users
    (an SQL subquery of their ids), for small increments such as a batch posted to /xapi/statements: the same
    rows as a full refresh, without recomputing every session. The facts built on these over whole tables
    (refresh_dependent: the Users, Groups and Collaborative activity pages') are the caller's to refresh, at
    once or a moment later (data_access.write.xapi.folder)."""
    if "groups" in changed:
        refresh_groups(conn)
    if "logins" in changed:
        refresh_last_login(conn, users)
        refresh_login_days(conn, users)
    if changed & CHANGES_BLOCKS:
        refresh_block_results(conn, rows)
        refresh_session_users(conn, rows)
    derive_scope.refresh_people(conn, changed, users)  # the scope rules read it: at once, not a moment later
    if changed & CHANGES_RISK:
        refresh_risk_facts(conn, rows if changed & CHANGES_BLOCKS else None, users)
    derive_kpis.refresh_participants(conn, changed, rows if changed & CHANGES_BLOCKS else None, users)


def refresh_risk_facts(conn, rows: str | None = None, users: str | None = None) -> None:
    """schema.at_risk_facts: one row per participant (registered, not deleted) with names, last login, Session
    score and the completion flags of the session's blocks that have a due date, in due order. After
    session_users. rows (see _narrow) and users (an SQL subquery of user ids) narrow it to those rows and those
    users' rows; neither: every row. Skipped on a database at a revision without the table (0010_at_risk fills
    it)."""
    if not inspect(conn).has_table("at_risk_facts"):
        return
    parts = []
    if rows:
        parts.append("(" + rows.format(s="{s}", u="{u}") + ")")
    if users:
        parts.append("{u} IN (" + users + ")")
    narrow = " OR ".join(parts)

    def where(s: str, u: str, word: str = "WHERE") -> str:
        return f" {word} (" + narrow.format(s=s, u=u) + ")" if narrow else ""

    conn.execute(text("DELETE FROM at_risk_facts" + where("session_id", "user_id")))
    concat = "string_agg" if conn.dialect.name == "postgresql" else "group_concat"
    conn.execute(text(f"""
        INSERT INTO at_risk_facts (session_id, user_id, first_name, last_name, email, last_login_at, score_pct,
                                   due_flags)
        SELECT su.session_id, su.user_id, u.first_name, u.last_name, u.email, u.last_login_at, su.score_pct,
               COALESCE(f.flags, '')
        FROM session_users su
        JOIN users u ON u.user_id = su.user_id
        LEFT JOIN (
          SELECT session_id, user_id, MAX(flags) AS flags FROM (
            SELECT b.session_id, p.user_id,
                   {concat}(CASE WHEN br.completed = 1 THEN '1' ELSE '0' END, '')
                     OVER (PARTITION BY b.session_id, p.user_id ORDER BY b.due_at, b.block_id
                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS flags
            FROM blocks b
            JOIN session_users p ON p.session_id = b.session_id AND p.registered = 1
            LEFT JOIN block_results br ON br.block_id = b.block_id AND br.user_id = p.user_id
            WHERE b.due_at IS NOT NULL""" + where("p.session_id", "p.user_id", "AND") + """
          ) x GROUP BY session_id, user_id
        ) f ON f.session_id = su.session_id AND f.user_id = su.user_id
        WHERE su.registered = 1 AND u.deleted_at IS NULL""" + where("su.session_id", "su.user_id", "AND")
        # in key order: PostgreSQL then reads a session's rows from a few pages (its planner sees the correlation)
        + " ORDER BY su.session_id, su.user_id"))
    if conn.dialect.name == "postgresql" and not narrow:
        conn.execute(text("ANALYZE at_risk_facts"))


def refresh_group_facts(conn) -> None:
    """Group statistics facts (schema.group_sessions, schema.group_counts): after the closure and session_users.
    Skipped on a database still at a revision without these tables: migration 0003_groups fills them."""
    if not inspect(conn).has_table("group_counts"):
        return
    refresh_group_sessions(conn)
    refresh_group_counts(conn)
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE group_sessions"))
        conn.execute(text("ANALYZE group_counts"))
    if inspect(conn).has_table("session_groups"):
        refresh_session_groups(conn)


SESSION_GROUPS_SQL = """
    INSERT INTO session_groups (session_id, group_id, users, started, progress_sum, score_sum, scored)
    SELECT su.session_id, m.group_id, COUNT(*), SUM(su.started),
           COALESCE(SUM(CASE WHEN su.started = 1 THEN su.progress_pct END), 0.0),
           SUM(CASE WHEN su.started = 1 THEN su.score_pct END),
           SUM(CASE WHEN su.started = 1 AND su.score_pct IS NOT NULL THEN 1 ELSE 0 END)
    FROM session_users su
    JOIN (SELECT DISTINCT user_id, group_id FROM memberships) m ON m.user_id = su.user_id
    WHERE su.registered = 1
    GROUP BY su.session_id, m.group_id
"""


def refresh_session_groups(conn) -> None:
    """Results by group of every session (schema.session_groups): per (session, group with a registered user of
    the session as a direct member, any role), over those users each once: how many, how many started, the sums
    of the progress of those who started and of the score of those who started and have one (metrics.md)."""
    conn.execute(delete(schema.session_groups))
    conn.execute(text(SESSION_GROUPS_SQL))
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE session_groups"))


def refresh_group_sessions(conn) -> None:
    """One row per (G, G's session): G's sessions are those whose group_id is in G's subtree (its catalog) or
    that have an enrollment whose group_id is in it; the sums are over G's learners (role learner in the
    subtree, deleted included, each once) currently registered in the session (metrics.md). The pairs are the
    sessions an admin or coach of G sees (scope.visible_sessions reads them)."""
    conn.execute(delete(schema.group_sessions))
    conn.execute(text("""
        INSERT INTO group_sessions (group_id, session_id, learners, started, completed, verified, progress_sum,
                                    score_sum, scored)
        SELECT p.group_id, p.session_id, COALESCE(x.learners, 0), COALESCE(x.started, 0),
               COALESCE(x.completed, 0), COALESCE(x.verified, 0), COALESCE(x.progress_sum, 0.0),
               x.score_sum, COALESCE(x.scored, 0)
        FROM (
          SELECT gc.ancestor_id AS group_id, s.session_id
          FROM sessions s JOIN group_closure gc ON gc.descendant_id = s.group_id
          UNION
          SELECT gc.ancestor_id, e.session_id
          FROM (SELECT DISTINCT session_id, group_id FROM enrollments WHERE group_id IS NOT NULL) e
          JOIN group_closure gc ON gc.descendant_id = e.group_id
        ) p
        LEFT JOIN (
          SELECT lg.group_id, su.session_id, COUNT(*) AS learners, SUM(su.started) AS started,
                 SUM(CASE WHEN su.blocks_total > 0 AND su.blocks_completed = su.blocks_total THEN 1 ELSE 0 END)
                   AS completed,
                 SUM(su.verified) AS verified, SUM(su.progress_pct) AS progress_sum, SUM(su.score_pct) AS score_sum,
                 COUNT(su.score_pct) AS scored
          FROM session_users su
          JOIN (SELECT DISTINCT gc.ancestor_id AS group_id, m.user_id
                FROM memberships m JOIN group_closure gc ON gc.descendant_id = m.group_id
                WHERE m.role = 'learner') lg ON lg.user_id = su.user_id
          WHERE su.registered = 1
          GROUP BY lg.group_id, su.session_id
        ) x ON x.group_id = p.group_id AND x.session_id = p.session_id
    """))


def refresh_group_counts(conn) -> None:
    """Per group, over its subtree: current members (any role) and learners, each user once; G's sessions."""
    conn.execute(delete(schema.group_counts))
    conn.execute(text("""
        INSERT INTO group_counts (group_id, members, learners, sessions)
        SELECT g.group_id, COALESCE(mc.members, 0), COALESCE(mc.learners, 0), COALESCE(sc.n, 0)
        FROM groups g
        LEFT JOIN (
          SELECT t.group_id, COUNT(*) AS members, SUM(t.learner) AS learners
          FROM (SELECT gc.ancestor_id AS group_id, m.user_id,
                       MAX(CASE WHEN m.role = 'learner' THEN 1 ELSE 0 END) AS learner
                FROM memberships m
                JOIN group_closure gc ON gc.descendant_id = m.group_id
                JOIN users u ON u.user_id = m.user_id
                WHERE u.deleted_at IS NULL
                GROUP BY gc.ancestor_id, m.user_id) t
          GROUP BY t.group_id
        ) mc ON mc.group_id = g.group_id
        LEFT JOIN (SELECT group_id, COUNT(*) AS n FROM group_sessions GROUP BY group_id) sc
               ON sc.group_id = g.group_id
    """))


# --- Users pages: tags of items, tag scores per user, per-user statistics ----------------
CHANGES_ITEM_TAGS = {"activities", "blocks"}
CHANGES_USER_TAGS = CHANGES_ITEM_TAGS | {"answers", "assessment_results"}
CHANGES_USER_STATS = CHANGES_BLOCKS | {"users", "managers", "answers", "posts", "programs"}
USER_LIST_TABLES = ["user_stats", "managers", "memberships", "group_closure"]


def refresh_user_facts(conn, changed: set[str]) -> None:
    """After block_results and session_users (user_stats reads session_users). A database still at an older
    schema revision (an import run by code that does not migrate first) has none of these tables yet: the
    migration that creates them (0005_users, 0022_field_names) fills them."""
    if "user_fields" in changed and inspect(conn).has_table("user_field_names"):
        refresh_field_names(conn)
    if not inspect(conn).has_table("user_stats"):
        return
    if changed & CHANGES_ITEM_TAGS:
        refresh_item_tags(conn)
    if changed & CHANGES_USER_TAGS:
        refresh_user_tags(conn)
    if changed & CHANGES_USER_STATS:
        refresh_user_stats(conn)
        # statistics for the planner: with them SQLite drives a coach's or a manager's list from their few
        # thousand users instead of walking every user (PostgreSQL's importer analyses the bundle tables)
        tables = ["user_stats"] if conn.dialect.name == "postgresql" else USER_LIST_TABLES
        for table in tables:
            conn.execute(text(f"ANALYZE {table}"))


def refresh_field_names(conn) -> None:
    """The distinct custom field names of user_fields (which only an import writes)."""
    uf, names = schema.user_fields, schema.user_field_names
    conn.execute(delete(names))
    conn.execute(insert(names).from_select(["field"], select(uf.c.field).distinct()))


def split_tags(cell: str | None) -> list[str]:
    """The distinct tags of a '|' list cell, in order."""
    return sorted({t.strip() for t in (cell or "").split("|") if t.strip()})


def refresh_item_tags(conn) -> None:
    """Question activities' and assessment blocks' tags, one row per tag (the only tags tag statistics
    count, bundle-format.md). Thousands of items at most, so split in Python."""
    a, b, it = schema.activities, schema.blocks, schema.item_tags
    rows = []
    for kind, stmt in (("activity", select(a.c.activity_id, a.c.tags).where(a.c.type == "question")),
                       ("block", select(b.c.block_id, b.c.tags).where(b.c.kind == "assessment"))):
        for item_id, cell in conn.execute(stmt.where(stmt.selected_columns[1].is_not(None))):
            rows += [{"kind": kind, "item_id": item_id, "tag": tag} for tag in split_tags(cell)]
    conn.execute(delete(it))
    bulk.insert_batches(conn, it, rows)


def refresh_user_tags(conn) -> None:
    """Training score = mean of the user's answer scores on questions tagged T; assessment score = mean of
    their assessment scores on blocks tagged T; with how many answers and assessments (metrics.md, Tags)."""
    conn.execute(delete(schema.user_tags))
    conn.execute(text("""
        INSERT INTO user_tags (user_id, tag, training_score, answers, assessment_score, assessments)
        SELECT user_id, tag, AVG(training), SUM(n_answers), AVG(assessment), SUM(n_assessments)
        FROM (
          SELECT a.user_id, t.tag, a.score_pct AS training, 1 AS n_answers,
                 CAST(NULL AS FLOAT) AS assessment, 0 AS n_assessments
          FROM answers a JOIN item_tags t ON t.kind = 'activity' AND t.item_id = a.activity_id
          UNION ALL
          SELECT r.user_id, t.tag, CAST(NULL AS FLOAT), 0, r.score_pct, 1
          FROM assessment_results r JOIN item_tags t ON t.kind = 'block' AND t.item_id = r.block_id
        ) x
        GROUP BY user_id, tag
    """))


def refresh_user_stats(conn) -> None:
    """One row per user: the users list's names, time spent, last activity and direct reports (current users
    they manage), answers and posts, and the unfiltered figures of the user CSVs (data_access.user_metrics)."""
    ca, m, u, an, sa, us = (schema.course_attempts, schema.managers, schema.users, schema.answers,
                            schema.slot_attendance, schema.user_stats)
    attempts = (select(ca.c.user_id, func.sum(func.coalesce(ca.c.time_spent_s, 0)).label("time_s"),
                       func.max(ca.c.last_activity_at).label("last_at"),
                       func.count(func.distinct(case((ca.c.completed_at.is_not(None), ca.c.course_id))))
                       .label("courses"))
                .group_by(ca.c.user_id)).subquery()
    reports = (select(m.c.manager_id, func.count().label("n")).join(u, u.c.user_id == m.c.user_id)
               .where(u.c.deleted_at.is_(None)).group_by(m.c.manager_id)).subquery()
    answered = select(an.c.user_id, func.count().label("n"), func.avg(an.c.score_pct).label("score")) \
        .group_by(an.c.user_id).subquery()
    attended = (select(sa.c.user_id, func.count().label("n")).where(sa.c.attendance_pct > 0)
                .group_by(sa.c.user_id)).subquery()
    rm = user_metrics.report_metrics().subquery()
    stmt = (select(rm.c.user_id, u.c.first_name, u.c.last_name, u.c.email,
                   case((u.c.deleted_at.is_(None), 0), else_=1), func.coalesce(attempts.c.time_s, 0),
                   attempts.c.last_at, func.coalesce(attempts.c.last_at, 0), func.coalesce(reports.c.n, 0),
                   func.coalesce(answered.c.n, 0), answered.c.score, rm.c.posts, rm.c.total_time_s,
                   rm.c.avg_score, func.coalesce(attempts.c.courses, 0),
                   func.coalesce(attended.c.n, 0), *[rm.c[c] for c in user_metrics.PROGRAM_COUNTS])
            .join(u, u.c.user_id == rm.c.user_id)
            .outerjoin(attempts, attempts.c.user_id == rm.c.user_id)
            .outerjoin(reports, reports.c.manager_id == rm.c.user_id)
            .outerjoin(answered, answered.c.user_id == rm.c.user_id)
            .outerjoin(attended, attended.c.user_id == rm.c.user_id))
    conn.execute(delete(us))
    conn.execute(insert(us).from_select(
        ["user_id", "first_name", "last_name", "email", "deleted", "time_spent_s", "last_activity_at",
         "last_activity_key", "direct_reports", "answers", "answer_score", "posts",
         "total_time_s", "avg_score", "completed_courses", "attended_classrooms", *user_metrics.PROGRAM_COUNTS],
        stmt))
