"""at risk: per-cohort overdue and score limits, contacts, and the at-risk facts (filled for existing data)

Revision ID: 0010_at_risk
Revises: 0009_signin_sessions
Create Date: 2026-12-05 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_at_risk"
down_revision = "0009_signin_sessions"
branch_labels = None
depends_on = None

FILL = """
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
        WHERE b.due_at IS NOT NULL
      ) x GROUP BY session_id, user_id
    ) f ON f.session_id = su.session_id AND f.user_id = su.user_id
    WHERE su.registered = 1 AND u.deleted_at IS NULL
    ORDER BY su.session_id, su.user_id
"""


def upgrade() -> None:
    with op.batch_alter_table("cohort_settings") as batch:
        batch.add_column(sa.Column("overdue_limit", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("score_limit", sa.Integer(), nullable=True))
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_contacts_user_session", "contacts", ["user_id", "session_id", "recorded_at"], unique=False)
    op.create_index("ix_contacts_session_recorded", "contacts", ["session_id", "recorded_at"], unique=False)
    op.create_index("ix_contacts_recorded", "contacts", ["recorded_at"], unique=False)
    op.create_table(
        "at_risk_facts",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("last_name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("last_login_at", sa.BigInteger(), nullable=True),
        sa.Column("score_pct", sa.Float(), nullable=True),
        sa.Column("due_flags", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("session_id", "user_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_at_risk_facts_user", "at_risk_facts", ["user_id"], unique=False)
    bind = op.get_bind()
    concat = "string_agg" if bind.dialect.name == "postgresql" else "group_concat"
    bind.execute(sa.text(FILL.format(concat=concat)))


def downgrade() -> None:
    op.drop_index("ix_at_risk_facts_user", table_name="at_risk_facts")
    op.drop_table("at_risk_facts")
    op.drop_index("ix_contacts_recorded", table_name="contacts")
    op.drop_index("ix_contacts_session_recorded", table_name="contacts")
    op.drop_index("ix_contacts_user_session", table_name="contacts")
    op.drop_table("contacts")
    with op.batch_alter_table("cohort_settings") as batch:
        batch.drop_column("score_limit")
        batch.drop_column("overdue_limit")
