"""session groups: results by group of every session (per session and group with a registered user of the session
as a direct member: users, started, progress and score sums), filled from what is stored (imports and the xAPI
fold keep them from then on)

Revision ID: 0018_sessiongroups_facts
Revises: 0017_cold_scope_users
Create Date: 2026-12-05 12:50:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_sessiongroups_facts"
down_revision = "0017_cold_scope_users"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_groups",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("users", sa.Integer(), nullable=False),
        sa.Column("started", sa.Integer(), nullable=False),
        sa.Column("progress_sum", sa.Float(), nullable=False),
        sa.Column("score_sum", sa.Float(), nullable=True),
        sa.Column("scored", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("session_id", "group_id"),
        sqlite_with_rowid=False,
    )
    # the facts of what is stored, as an import computes them (data_access/write/derive.py)
    op.execute("""INSERT INTO session_groups (session_id, group_id, users, started, progress_sum, score_sum, scored)
    SELECT su.session_id, m.group_id, COUNT(*), SUM(su.started),
           COALESCE(SUM(CASE WHEN su.started = 1 THEN su.progress_pct END), 0.0),
           SUM(CASE WHEN su.started = 1 THEN su.score_pct END),
           SUM(CASE WHEN su.started = 1 AND su.score_pct IS NOT NULL THEN 1 ELSE 0 END)
    FROM session_users su
    JOIN (SELECT DISTINCT user_id, group_id FROM memberships) m ON m.user_id = su.user_id
    WHERE su.registered = 1
    GROUP BY su.session_id, m.group_id""")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE session_groups")


def downgrade() -> None:
    op.drop_table("session_groups")
