"""groups: derived group statistics facts (group_sessions, group_counts), filled for the data already stored

Revision ID: 0003_groups
Revises: 0002_signin
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_groups"
down_revision = "0002_signin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("group_sessions",
    sa.Column("group_id", sa.String(length=64), nullable=False),
    sa.Column("session_id", sa.String(length=64), nullable=False),
    sa.Column("learners", sa.Integer(), nullable=False),
    sa.Column("started", sa.Integer(), nullable=False),
    sa.Column("completed", sa.Integer(), nullable=False),
    sa.Column("verified", sa.Integer(), nullable=False),
    sa.Column("progress_sum", sa.Float(), nullable=False),
    sa.Column("score_sum", sa.Float(), nullable=True),
    sa.Column("scored", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("group_id", "session_id")
    )
    op.create_index("ix_group_sessions_session", "group_sessions", ["session_id"], unique=False)
    op.create_table("group_counts",
    sa.Column("group_id", sa.String(length=64), nullable=False),
    sa.Column("members", sa.Integer(), nullable=False),
    sa.Column("learners", sa.Integer(), nullable=False),
    sa.Column("sessions", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("group_id")
    )
    # derived facts: computed now for the data already stored (later imports keep them current)
    from data_access.derive import refresh_group_facts

    refresh_group_facts(op.get_bind())


def downgrade() -> None:
    op.drop_table("group_counts")
    op.drop_index("ix_group_sessions_session", table_name="group_sessions")
    op.drop_table("group_sessions")
