"""users: indexes in name order (last name, first name, user id; first name, last name, user id), so a large
session's learners are listed by walking one and probing each user in the session instead of sorting every one of
the session's rows

Revision ID: 0023_people_index
Revises: 0022_field_names
Create Date: 2026-12-05 16:00:00
"""
from __future__ import annotations

from alembic import op

revision = "0023_people_index"
down_revision = "0022_field_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_users_name", "users", ["last_name", "first_name", "user_id"], unique=False)
    op.create_index("ix_users_first_name", "users", ["first_name", "last_name", "user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_users_first_name", table_name="users")
    op.drop_index("ix_users_name", table_name="users")
