"""users: derived facts of the Users pages (item_tags, user_tags, user_stats), filled for
existing data; indexes for the public statistics

Revision ID: 0005_users
Revises: 0004_collab
Create Date: 2026-11-24 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_users"
down_revision = "0004_collab"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_tags",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("tag", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "item_id", "tag"),
    )
    op.create_table(
        "user_tags",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("tag", sa.Text(), nullable=False),
        sa.Column("training_score", sa.Float(), nullable=True),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("assessment_score", sa.Float(), nullable=True),
        sa.Column("assessments", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "tag"),
    )
    op.create_table(
        "user_stats",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("last_name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("deleted", sa.SmallInteger(), nullable=False),
        sa.Column("time_spent_s", sa.BigInteger(), nullable=False),
        sa.Column("last_activity_at", sa.BigInteger(), nullable=True),
        sa.Column("last_activity_key", sa.BigInteger(), nullable=False),
        sa.Column("direct_reports", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("answer_score", sa.Float(), nullable=True),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("total_time_s", sa.BigInteger(), nullable=False),
        sa.Column("avg_score", sa.Float(), nullable=True),
        sa.Column("completed_courses", sa.Integer(), nullable=False),
        sa.Column("attended_classrooms", sa.Integer(), nullable=False),
        sa.Column("completed_programs", sa.Integer(), nullable=False),
        sa.Column("assigned_programs", sa.Integer(), nullable=False),
        sa.Column("completed_paths", sa.Integer(), nullable=False),
        sa.Column("assigned_paths", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    for name, columns in INDEXES:
        op.create_index(name, "user_stats", columns, unique=False)
    for name, table, columns in EVENT_INDEXES:
        op.create_index(name, table, columns, unique=False)
    # a database that already holds data gets its facts now (the importer keeps them from then on)
    from data_access import derive

    derive.refresh_user_facts(op.get_bind(), derive.CHANGES_USER_TAGS | derive.CHANGES_USER_STATS)


def downgrade() -> None:
    for name, table, _columns in EVENT_INDEXES:
        op.drop_index(name, table_name=table)
    for name, _columns in INDEXES:
        op.drop_index(name, table_name="user_stats")
    op.drop_table("user_stats")
    op.drop_table("user_tags")
    op.drop_table("item_tags")


INDEXES = [
    ("ix_user_stats_name", ["deleted", "last_name", "first_name", "email", "user_id"]),
    ("ix_user_stats_email", ["deleted", "email"]),
    ("ix_user_stats_time_spent", ["deleted", "time_spent_s"]),
    ("ix_user_stats_last_activity", ["deleted", "last_activity_key"]),
    ("ix_user_stats_direct_reports", ["deleted", "direct_reports"]),
]
# an author's public statistics count their courses' views and reactions of the last 90 days in these
# (activity_views(activity_id, started_at) serves them too; 0004_collab made it)
EVENT_INDEXES = [
    ("ix_reactions_activity_created", "reactions", ["activity_id", "created_at", "kind"]),
]
