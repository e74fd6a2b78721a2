"""pace and trend facts: session_users.first_activity_at (a participant's earliest activity in the session, the pace's
start) and the cohort facts of large cohorts' weekly trends (cohort_scopes, cohort_days), filled from what is stored
(imports and the xAPI fold keep them from then on)

Revision ID: 0020_pace_trend_facts
Revises: 0019_adminoverview_regs
Create Date: 2026-12-05 15:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_pace_trend_facts"
down_revision = "0019_adminoverview_regs"
branch_labels = None
depends_on = None

# the facts of what is stored, as an import computes them (data_access/write/derive.py, derive_cohort.py), for the
# shares of at least 200 participants of a session
FIRST_ACTIVITY = """
    UPDATE session_users SET first_activity_at = f.first_at
    FROM (SELECT session_id, user_id, MIN(started_at) AS first_at FROM block_results
          GROUP BY session_id, user_id) f
    WHERE session_users.session_id = f.session_id AND session_users.user_id = f.user_id"""

SESSIONS = """
    SELECT s.session_id, s.start_at, s.end_at FROM sessions s
    WHERE s.start_at IS NOT NULL AND s.session_id IN (SELECT session_id FROM session_users WHERE registered = 1
                                                      GROUP BY session_id HAVING COUNT(*) >= 200)
    ORDER BY s.session_id"""

COHORT_SCOPES = """
    INSERT INTO cohort_scopes (session_id, group_id, participants)
    SELECT su.session_id, k.group_id, COUNT(*)
    FROM session_users su
    JOIN scope_users k ON k.user_id = su.user_id
    WHERE su.session_id = :s AND su.registered = 1 AND k.deleted = 0
      AND (k.group_id = '' OR k.group_id || '' IN (SELECT group_id FROM memberships WHERE role IN ('admin', 'coach')))
    GROUP BY su.session_id, k.group_id
    HAVING COUNT(*) >= 200"""

SHARES = """
        SELECT su.session_id, k.group_id, su.user_id
        FROM session_users su
        JOIN scope_users k ON k.user_id = su.user_id
        WHERE su.session_id = :s AND su.registered = 1 AND k.deleted = 0
          AND k.group_id || '' IN (SELECT group_id FROM cohort_scopes WHERE session_id = :s)"""

COHORT_DAYS = f"""
    INSERT INTO cohort_days (session_id, group_id, day, active, gap1, gap2, gap3, gap4, gap5, gap6, completed, last_at)
    SELECT session_id, group_id, day, SUM(active), SUM(gap1), SUM(gap2), SUM(gap3), SUM(gap4), SUM(gap5), SUM(gap6),
           SUM(completed), MAX(last_at)
    FROM (
        SELECT p.session_id, p.group_id, ld.day, 1 AS active,
               CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / 86400 > 1 THEN 1 ELSE 0 END AS gap1,
               CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / 86400 > 2 THEN 1 ELSE 0 END AS gap2,
               CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / 86400 > 3 THEN 1 ELSE 0 END AS gap3,
               CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / 86400 > 4 THEN 1 ELSE 0 END AS gap4,
               CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / 86400 > 5 THEN 1 ELSE 0 END AS gap5,
               CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / 86400 > 6 THEN 1 ELSE 0 END AS gap6,
               0 AS completed, ld.last_at
        FROM ({SHARES}) p
        JOIN login_days ld ON ld.user_id = p.user_id AND ld.day BETWEEN :first_day AND :last_day
        UNION ALL
        SELECT p.session_id, p.group_id, (br.completed_at - 1) / 86400, 0, 0, 0, 0, 0, 0, 0, 1, br.completed_at
        FROM ({SHARES}) p
        JOIN block_results br ON br.session_id = p.session_id AND br.user_id = p.user_id
        WHERE br.completed = 1 AND br.completed_at IS NOT NULL
    ) x
    GROUP BY session_id, group_id, day"""


def upgrade() -> None:
    op.add_column("session_users", sa.Column("first_activity_at", sa.BigInteger(), nullable=True))
    op.create_table(
        "cohort_scopes",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("session_id", "group_id"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "cohort_days",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("active", sa.Integer(), nullable=False),
        *[sa.Column(f"gap{k}", sa.Integer(), nullable=False) for k in range(1, 7)],
        sa.Column("completed", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("session_id", "group_id", "day"),
        sqlite_with_rowid=False,
    )
    op.execute(FIRST_ACTIVITY)
    conn = op.get_bind()
    for session_id, start_at, end_at in conn.execute(sa.text(SESSIONS)).all():
        # the logins of the session's weeks: from a week before its start to a week after its end (or on)
        days = {"first_day": start_at // 86400 - 7, "last_day": 2**31 - 1 if end_at is None else end_at // 86400 + 7}
        conn.execute(sa.text(COHORT_SCOPES), {"s": session_id})
        conn.execute(sa.text(COHORT_DAYS), {"s": session_id, **days})
    if op.get_bind().dialect.name == "postgresql":
        for table in ("session_users", "cohort_scopes", "cohort_days"):
            op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    op.drop_table("cohort_days")
    op.drop_table("cohort_scopes")
    op.drop_column("session_users", "first_activity_at")
