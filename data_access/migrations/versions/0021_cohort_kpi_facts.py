"""cohort facts per kept scope key (PLATFORM and the groups someone coaches or administers, the root's admins
excepted): each key's participants of every session with their last login, score and due flags (scope_participants),
the General section's counts per key and session (scope_session_kpis) and per key, session and block
(scope_session_blocks); filled from what is stored (imports and the xAPI fold keep them from then on)

Revision ID: 0021_cohort_kpi_facts
Revises: 0020_pace_trend_facts
Create Date: 2026-12-05 15:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_cohort_kpi_facts"
down_revision = "0020_pace_trend_facts"
branch_labels = None
depends_on = None

ID = sa.String(length=64)

# the facts of what is stored, as an import computes them (data_access/write/derive_kpis.py)
PARTICIPANTS = """    INSERT INTO scope_participants (group_id, session_id, user_id, last_login_at, score_pct, due_flags)
    SELECT k.group_id, f.session_id, f.user_id, f.last_login_at, f.score_pct, f.due_flags
    FROM at_risk_facts f JOIN scope_users k ON k.user_id = f.user_id
    WHERE k.group_id IN (SELECT m.group_id FROM memberships m JOIN groups g ON g.group_id = m.group_id WHERE m.role = 'coach' OR (m.role = 'admin' AND g.parent_id IS NOT NULL))
    ORDER BY k.group_id, f.session_id, f.user_id"""

KPIS = """    INSERT INTO scope_session_kpis (group_id, session_id, registrations, open_registrations, waiting_list, attendees,
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
             su.started AS n_att, CASE WHEN su.blocks_total > 0 AND su.blocks_completed = su.blocks_total THEN 1 ELSE 0 END AS n_done,
             CASE WHEN su.started = 1 THEN su.score_pct END AS s_score,
             CASE WHEN su.started = 1 AND su.score_pct IS NOT NULL THEN 1 ELSE 0 END AS n_scored,
             CASE WHEN su.started = 1 AND su.score_pct IS NOT NULL AND CASE WHEN su.score_pct < 20 THEN 0 WHEN su.score_pct < 40 THEN 1 WHEN su.score_pct < 60 THEN 2 WHEN su.score_pct < 80 THEN 3 ELSE 4 END = 0 THEN 1 ELSE 0 END AS l0,
             CASE WHEN su.started = 1 AND su.score_pct IS NOT NULL AND CASE WHEN su.score_pct < 20 THEN 0 WHEN su.score_pct < 40 THEN 1 WHEN su.score_pct < 60 THEN 2 WHEN su.score_pct < 80 THEN 3 ELSE 4 END = 1 THEN 1 ELSE 0 END AS l1,
             CASE WHEN su.started = 1 AND su.score_pct IS NOT NULL AND CASE WHEN su.score_pct < 20 THEN 0 WHEN su.score_pct < 40 THEN 1 WHEN su.score_pct < 60 THEN 2 WHEN su.score_pct < 80 THEN 3 ELSE 4 END = 2 THEN 1 ELSE 0 END AS l2,
             CASE WHEN su.started = 1 AND su.score_pct IS NOT NULL AND CASE WHEN su.score_pct < 20 THEN 0 WHEN su.score_pct < 40 THEN 1 WHEN su.score_pct < 60 THEN 2 WHEN su.score_pct < 80 THEN 3 ELSE 4 END = 3 THEN 1 ELSE 0 END AS l3,
             CASE WHEN su.started = 1 AND su.score_pct IS NOT NULL AND CASE WHEN su.score_pct < 20 THEN 0 WHEN su.score_pct < 40 THEN 1 WHEN su.score_pct < 60 THEN 2 WHEN su.score_pct < 80 THEN 3 ELSE 4 END = 4 THEN 1 ELSE 0 END AS l4,
             0 AS n_certs, CAST(NULL AS BIGINT) AS t_lo, CAST(NULL AS BIGINT) AS t_hi
      FROM session_users su
      JOIN enrollments e ON e.session_id = su.session_id AND e.user_id = su.user_id
      JOIN (SELECT group_id, user_id FROM scope_users WHERE group_id = '' OR group_id IN (SELECT m.group_id FROM memberships m JOIN groups g ON g.group_id = m.group_id WHERE m.role = 'coach' OR (m.role = 'admin' AND g.parent_id IS NOT NULL))) k ON k.user_id = su.user_id
      UNION ALL
      SELECT k.group_id, c.session_id, 0, 0, 0, 0, 0, NULL, 0, 0, 0, 0, 0, 0, 1, NULL, NULL
      FROM certificates c JOIN (SELECT group_id, user_id FROM scope_users WHERE group_id = '' OR group_id IN (SELECT m.group_id FROM memberships m JOIN groups g ON g.group_id = m.group_id WHERE m.role = 'coach' OR (m.role = 'admin' AND g.parent_id IS NOT NULL))) k ON k.user_id = c.user_id
      WHERE c.session_id IS NOT NULL
      UNION ALL
      SELECT group_id, session_id, 0, 0, 0, 0, 0, NULL, 0, 0, 0, 0, 0, 0, 0, MIN(CASE WHEN rn = (n + 1) / 2 THEN t END),
             MIN(CASE WHEN rn = n / 2 + 1 THEN t END)
      FROM (SELECT k.group_id, su.session_id, su.time_spent_s AS t,
                   ROW_NUMBER() OVER (PARTITION BY k.group_id, su.session_id ORDER BY su.time_spent_s) AS rn,
                   COUNT(*) OVER (PARTITION BY k.group_id, su.session_id) AS n
            FROM session_users su JOIN (SELECT group_id, user_id FROM scope_users WHERE group_id = '' OR group_id IN (SELECT m.group_id FROM memberships m JOIN groups g ON g.group_id = m.group_id WHERE m.role = 'coach' OR (m.role = 'admin' AND g.parent_id IS NOT NULL))) k ON k.user_id = su.user_id
            WHERE su.blocks_total > 0 AND su.blocks_completed = su.blocks_total) x
      GROUP BY group_id, session_id
    ) p
    GROUP BY group_id, session_id"""

BLOCKS = """    INSERT INTO scope_session_blocks (group_id, session_id, block_id, completed, score_sum, scored)
    SELECT k.group_id, br.session_id, br.block_id,
           SUM(CASE WHEN br.completed = 1 AND su.registered = 1 THEN 1 ELSE 0 END), SUM(br.score_pct),
           COUNT(br.score_pct)
    FROM block_results br
    CROSS JOIN scope_users k
    LEFT JOIN session_users su ON su.session_id = br.session_id AND su.user_id = br.user_id
    WHERE k.user_id = br.user_id AND (k.group_id = '' OR k.group_id IN (SELECT m.group_id FROM memberships m JOIN groups g ON g.group_id = m.group_id WHERE m.role = 'coach' OR (m.role = 'admin' AND g.parent_id IS NOT NULL)))
    GROUP BY k.group_id, br.session_id, br.block_id"""


def upgrade() -> None:
    op.create_table(
        "scope_participants",
        sa.Column("group_id", ID, nullable=False),
        sa.Column("session_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("last_login_at", sa.BigInteger(), nullable=True),
        sa.Column("score_pct", sa.Float(), nullable=True),
        sa.Column("due_flags", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "session_id", "user_id"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "scope_session_kpis",
        sa.Column("group_id", ID, nullable=False),
        sa.Column("session_id", ID, nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in (
            "registrations", "open_registrations", "waiting_list", "attendees", "completed")],
        sa.Column("score_sum", sa.Float(), nullable=True),
        sa.Column("scored", sa.Integer(), nullable=False),
        *[sa.Column(f"level{i}", sa.Integer(), nullable=False) for i in range(5)],
        sa.Column("certificates", sa.Integer(), nullable=False),
        sa.Column("time_lo", sa.BigInteger(), nullable=True),
        sa.Column("time_hi", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("group_id", "session_id"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "scope_session_blocks",
        sa.Column("group_id", ID, nullable=False),
        sa.Column("session_id", ID, nullable=False),
        sa.Column("block_id", ID, nullable=False),
        sa.Column("completed", sa.Integer(), nullable=False),
        sa.Column("score_sum", sa.Float(), nullable=True),
        sa.Column("scored", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "session_id", "block_id"),
        sqlite_with_rowid=False,
    )
    for sql in (PARTICIPANTS, KPIS, BLOCKS):
        op.execute(sql)
    if op.get_bind().dialect.name == "postgresql":
        for table in ("scope_participants", "scope_session_kpis", "scope_session_blocks"):
            op.execute(f"ANALYZE {table}")
    else:  # the at-risk lists' plan on SQLite needs the statistics of scope_participants
        op.execute("ANALYZE scope_participants")


def downgrade() -> None:
    for table in ("scope_session_blocks", "scope_session_kpis", "scope_participants"):
        op.drop_table(table)
