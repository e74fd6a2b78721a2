"""scope facts: per scope key (a group's subtree, or '' for every user) its people with their learner and deleted
flags and last login, its current learners per day of last login, and its users active per day with the gaps to
their previous login; filled from what is stored (imports and the xAPI fold keep them from then on)

Revision ID: 0017_cold_scope_users
Revises: 0016_meeting_safe
Create Date: 2026-12-05 11:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_cold_scope_users"
down_revision = "0016_meeting_safe"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scope_users",
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("learner", sa.SmallInteger(), nullable=False),
        sa.Column("deleted", sa.SmallInteger(), nullable=False),
        sa.Column("last_login_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("group_id", "user_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_scope_users_counts", "scope_users",
                    ["group_id", "deleted", "learner", "last_login_at", "user_id"], unique=False)
    op.create_index("ix_scope_users_user", "scope_users", ["user_id"], unique=False)
    op.create_table(
        "scope_recency",
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("learners", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "day"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "scope_login_days",
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("active", sa.Integer(), nullable=False),
        *[sa.Column(f"gap{k}", sa.Integer(), nullable=False) for k in range(1, 7)],
        sa.PrimaryKeyConstraint("group_id", "day"),
        sqlite_with_rowid=False,
    )
    from data_access import derive_scope  # the facts of what is stored, as an import computes them

    derive_scope.refresh(op.get_bind(), derive_scope.CHANGES_COUNTS)


def downgrade() -> None:
    op.drop_table("scope_login_days")
    op.drop_table("scope_recency")
    op.drop_index("ix_scope_users_user", table_name="scope_users")
    op.drop_index("ix_scope_users_counts", table_name="scope_users")
    op.drop_table("scope_users")
