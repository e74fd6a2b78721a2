"""login_days: logins per (user, UTC day) with the day's first and last login and the one before, filled from
the logins stored; block_results.completed_at: when a completed block was completed

Revision ID: 0011_login_days
Revises: 0010_at_risk
Create Date: 2026-12-05 08:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_login_days"
down_revision = "0010_at_risk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_days",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("logins", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.BigInteger(), nullable=False),
        sa.Column("last_at", sa.BigInteger(), nullable=False),
        sa.Column("prev_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", "day"),
    )
    op.create_index("ix_login_days_day", "login_days", ["day", "first_at", "prev_at", "last_at", "user_id"], unique=False)
    # the logins already stored (imports keep the table from then on)
    op.execute("INSERT INTO login_days (user_id, day, logins, first_at, last_at, prev_at) "
               "SELECT user_id, day, n, first_at, last_at, LAG(last_at) OVER (PARTITION BY user_id ORDER BY day) "
               "FROM (SELECT user_id, at / 86400 AS day, COUNT(*) AS n, MIN(at) AS first_at, MAX(at) AS last_at "
               "FROM logins GROUP BY user_id, at / 86400) d")
    op.add_column("block_results", sa.Column("completed_at", sa.BigInteger(), nullable=True))
    # course: the earliest completed_at of the learner's attempts in the session on the course; assessment: the
    # result's submitted_at; classroom: the first attended slot's start (both already in started_at)
    op.execute("UPDATE block_results SET completed_at = CASE kind "
               "WHEN 'course' THEN (SELECT MIN(ca.completed_at) FROM course_attempts ca JOIN blocks b "
               "ON b.block_id = block_results.block_id WHERE ca.session_id = block_results.session_id "
               "AND ca.user_id = block_results.user_id AND ca.course_id = b.course_id) "
               "ELSE started_at END WHERE completed = 1")


def downgrade() -> None:
    op.drop_column("block_results", "completed_at")
    op.drop_index("ix_login_days_day", table_name="login_days")
    op.drop_table("login_days")
