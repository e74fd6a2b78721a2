"""login_days: a covering index by user (user, day, first, previous and last login), so the weekly active learners
of some users (a division admin's Overview) read each user's days from the index alone

Revision ID: 0015_risk_index
Revises: 0014_xapi_stored
Create Date: 2026-12-05 10:10:00
"""
from __future__ import annotations

from alembic import op

revision = "0015_risk_index"
down_revision = "0014_xapi_stored"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_login_days_user_days", "login_days", ["user_id", "day", "first_at", "prev_at", "last_at"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_login_days_user_days", table_name="login_days")
