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
    # the facts of what is stored, as an import computes them (data_access/write/derive_scope.py)
    op.execute("""INSERT INTO scope_users (group_id, user_id, learner, deleted, last_login_at)
    SELECT p.group_id, p.user_id,
           CASE WHEN EXISTS (SELECT 1 FROM memberships l WHERE l.user_id = p.user_id AND l.role = 'learner')
                THEN 1 ELSE 0 END,
           CASE WHEN u.deleted_at IS NULL THEN 0 ELSE 1 END, u.last_login_at
    FROM (SELECT DISTINCT gc.ancestor_id AS group_id, m.user_id
          FROM memberships m JOIN group_closure gc ON gc.descendant_id = m.group_id
          UNION SELECT '', user_id FROM users) p
    JOIN users u ON u.user_id = p.user_id
    ORDER BY p.group_id, p.user_id""")
    op.execute("""INSERT INTO scope_recency (group_id, day, learners)
    SELECT group_id, COALESCE(last_login_at / 86400, -1), COUNT(*) FROM scope_users
    WHERE deleted = 0 AND learner = 1
    GROUP BY group_id, COALESCE(last_login_at / 86400, -1)""")
    op.execute("""INSERT INTO scope_login_days (group_id, day, active, gap1, gap2, gap3, gap4, gap5, gap6)
    SELECT su.group_id, ld.day, COUNT(*),
           SUM(CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / 86400 > 1 THEN 1 ELSE 0 END),
           SUM(CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / 86400 > 2 THEN 1 ELSE 0 END),
           SUM(CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / 86400 > 3 THEN 1 ELSE 0 END),
           SUM(CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / 86400 > 4 THEN 1 ELSE 0 END),
           SUM(CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / 86400 > 5 THEN 1 ELSE 0 END),
           SUM(CASE WHEN ld.prev_at IS NULL OR ld.day - ld.prev_at / 86400 > 6 THEN 1 ELSE 0 END)
    FROM login_days ld JOIN scope_users su ON su.user_id = ld.user_id
    WHERE ld.day >= (SELECT MAX(day) FROM login_days) - 199
    GROUP BY su.group_id, ld.day""")


def downgrade() -> None:
    op.drop_table("scope_login_days")
    op.drop_table("scope_recency")
    op.drop_index("ix_scope_users_user", table_name="scope_users")
    op.drop_index("ix_scope_users_counts", table_name="scope_users")
    op.drop_table("scope_users")
