"""scope facts: per scope key and session, the registrations of the key's users and the sum of their progress (the
Overview's "Registered in running sessions"); filled from what is stored (imports and the xAPI fold keep it)

Revision ID: 0019_adminoverview_regs
Revises: 0017_cold_scope_users
Create Date: 2026-12-05 12:45:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_adminoverview_regs"
down_revision = "0018_sessiongroups_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scope_sessions",
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("registered", sa.Integer(), nullable=False),
        sa.Column("progress_sum", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "session_id"),
        sqlite_with_rowid=False,
    )
    # the fact of what is stored, as an import computes it (data_access/write/derive_scope.py)
    op.execute("""INSERT INTO scope_sessions (group_id, session_id, registered, progress_sum)
    SELECT su.group_id, r.session_id, COUNT(*), SUM(r.progress_pct)
    FROM scope_users su JOIN session_users r ON r.user_id = su.user_id
    WHERE r.registered = 1
    GROUP BY su.group_id, r.session_id""")


def downgrade() -> None:
    op.drop_table("scope_sessions")
