"""Cohort facts per kept scope key (schema.scope_participants, scope_session_kpis, scope_session_blocks; the keys:
data_access.cohort_keys): a cohort's Participants numbers, its General section and the at-risk lists of a viewer who
coaches or administers one group read that group's rows of the cohort, not every participant with a scope probe.

scope_participants follows at_risk_facts and scope_users: whole in derive.refresh (import, xAPI replay), and for the
rows and users a posted xAPI batch touched in derive.refresh_for, in the batch's transaction (as at_risk_facts).
scope_session_kpis and scope_session_blocks are rebuilt whole by refresh_kpis (derive.refresh_dependent): after a posted
batch they follow at the refresher's pass, as scope_sessions. SQL that runs unchanged on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import inspect, text

from data_access.cohort_keys import KEPT_GROUPS_SQL
from data_access.scope import PLATFORM

# scope_participants reads at_risk_facts (derive.CHANGES_RISK), scope_users and the kept keys (memberships, groups)
CHANGES_PARTICIPANTS = {"blocks", "course_attempts", "assessment_results", "classroom_slots", "slot_attendance",
                        "enrollments", "sessions", "users", "logins", "memberships", "groups"}
# the kpis read enrollments, session_users and block_results (derive.CHANGES_BLOCKS), certificates and the keys' users
CHANGES_KPIS = CHANGES_PARTICIPANTS - {"logins"} | {"certificates"}

_PARTICIPANTS = f"""
    INSERT INTO scope_participants (group_id, session_id, user_id, last_login_at, score_pct, due_flags)
    SELECT k.group_id, f.session_id, f.user_id, f.last_login_at, f.score_pct, f.due_flags
    FROM at_risk_facts f JOIN scope_users k ON k.user_id = f.user_id
    WHERE k.group_id IN ({KEPT_GROUPS_SQL}){{narrow}}
    ORDER BY k.group_id, f.session_id, f.user_id"""

# the users of every kept key, PLATFORM included: (group_id, user_id)
_KEY_USERS = (f"(SELECT group_id, user_id FROM scope_users "
              f"WHERE group_id = '{PLATFORM}' OR group_id IN ({KEPT_GROUPS_SQL}))")
_COMPLETE = "su.blocks_total > 0 AND su.blocks_completed = su.blocks_total"
_SCORED = "su.started = 1 AND su.score_pct IS NOT NULL"
_BAND = "CASE WHEN su.score_pct < 20 THEN 0 WHEN su.score_pct < 40 THEN 1 WHEN su.score_pct < 60 THEN 2 " \
        "WHEN su.score_pct < 80 THEN 3 ELSE 4 END"
_LEVELS = ",\n             ".join(f"CASE WHEN {_SCORED} AND {_BAND} = {i} THEN 1 ELSE 0 END AS l{i}" for i in range(5))
_COUNTED = "0, 0, 0, 0, 0, NULL, 0, 0, 0, 0, 0, 0"  # what the certificates and the times parts do not count

_KPIS = f"""
    INSERT INTO scope_session_kpis (group_id, session_id, registrations, open_registrations, waiting_list, attendees,
                                    completed, score_sum, scored, level0, level1, level2, level3, level4, certificates,
                                    time_lo, time_hi)
    SELECT group_id, session_id, SUM(n_reg), SUM(n_open), SUM(n_wait), SUM(n_att), SUM(n_done), SUM(s_score),
           SUM(n_scored), SUM(l0), SUM(l1), SUM(l2), SUM(l3), SUM(l4), SUM(n_certs), MAX(t_lo), MAX(t_hi)
    FROM (
      SELECT k.group_id, su.session_id,
             CASE WHEN e.status = 'registered' AND e.unassigned_at IS NULL THEN 1 ELSE 0 END AS n_reg,
             CASE WHEN e.status = 'registered' AND e.unassigned_at IS NULL AND e.source = 'catalog' THEN 1 ELSE 0 END
               AS n_open,
             CASE WHEN e.status = 'waiting_list' AND e.unassigned_at IS NULL THEN 1 ELSE 0 END AS n_wait,
             su.started AS n_att, CASE WHEN {_COMPLETE} THEN 1 ELSE 0 END AS n_done,
             CASE WHEN su.started = 1 THEN su.score_pct END AS s_score,
             CASE WHEN {_SCORED} THEN 1 ELSE 0 END AS n_scored,
             {_LEVELS},
             0 AS n_certs, CAST(NULL AS BIGINT) AS t_lo, CAST(NULL AS BIGINT) AS t_hi
      FROM session_users su
      JOIN enrollments e ON e.session_id = su.session_id AND e.user_id = su.user_id
      JOIN {_KEY_USERS} k ON k.user_id = su.user_id
      UNION ALL
      SELECT k.group_id, c.session_id, {_COUNTED}, 1, NULL, NULL
      FROM certificates c JOIN {_KEY_USERS} k ON k.user_id = c.user_id
      WHERE c.session_id IS NOT NULL
      UNION ALL
      SELECT group_id, session_id, {_COUNTED}, 0, MIN(CASE WHEN rn = (n + 1) / 2 THEN t END),
             MIN(CASE WHEN rn = n / 2 + 1 THEN t END)
      FROM (SELECT k.group_id, su.session_id, su.time_spent_s AS t,
                   ROW_NUMBER() OVER (PARTITION BY k.group_id, su.session_id ORDER BY su.time_spent_s) AS rn,
                   COUNT(*) OVER (PARTITION BY k.group_id, su.session_id) AS n
            FROM session_users su JOIN {_KEY_USERS} k ON k.user_id = su.user_id
            WHERE {_COMPLETE}) x
      GROUP BY group_id, session_id
    ) p
    GROUP BY group_id, session_id"""

# CROSS JOIN: SQLite then reads the block results once and looks up each one's keys, instead of indexing every block
# result by user for the keys' users (PostgreSQL plans it as the inner join it is)
_BLOCKS = f"""
    INSERT INTO scope_session_blocks (group_id, session_id, block_id, completed, score_sum, scored)
    SELECT k.group_id, br.session_id, br.block_id,
           SUM(CASE WHEN br.completed = 1 AND su.registered = 1 THEN 1 ELSE 0 END), SUM(br.score_pct),
           COUNT(br.score_pct)
    FROM block_results br
    CROSS JOIN scope_users k
    LEFT JOIN session_users su ON su.session_id = br.session_id AND su.user_id = br.user_id
    WHERE k.user_id = br.user_id AND (k.group_id = '{PLATFORM}' OR k.group_id IN ({KEPT_GROUPS_SQL}))
    GROUP BY k.group_id, br.session_id, br.block_id"""


def refresh_participants(conn, changed: set[str], rows: str | None = None, users: str | None = None) -> None:
    """scope_participants from at_risk_facts and scope_users (after both). rows (an SQL condition on {s} and {u}, see
    derive._narrow) and users (an SQL subquery of user ids) narrow it to those rows and those users' rows; neither:
    every row (and whole when the group tree changed). Skipped on a database at a revision without the table (the
    migration that creates it fills it)."""
    if not changed & CHANGES_PARTICIPANTS or not inspect(conn).has_table("scope_participants"):
        return
    parts = [] if "groups" in changed else [f"({rows})"] * bool(rows) + [f"{{u}} IN ({users})"] * bool(users)
    narrow = " OR ".join(parts)

    def where(s: str, u: str, word: str) -> str:
        return f" {word} (" + narrow.format(s=s, u=u) + ")" if narrow else ""

    conn.execute(text("DELETE FROM scope_participants" + where("session_id", "user_id", "WHERE")))
    conn.execute(text(_PARTICIPANTS.format(narrow=where("f.session_id", "f.user_id", "AND"))))
    if not narrow:  # SQLite too: without statistics it reads a key's every session and probes the running ones
        conn.execute(text("ANALYZE scope_participants"))


def refresh_kpis(conn, changed: set[str]) -> None:
    """scope_session_kpis and scope_session_blocks, whole (after session_users, block_results and scope_users).
    Skipped on a database at a revision without them."""
    if not changed & CHANGES_KPIS or not inspect(conn).has_table("scope_session_kpis"):
        return
    for table, sql in (("scope_session_kpis", _KPIS), ("scope_session_blocks", _BLOCKS)):
        conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text(sql))
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"ANALYZE {table}"))
