"""user preferences: the meeting-safe mode, kept per person across pages and sign-ins

Revision ID: 0016_meeting_safe
Revises: 0015_risk_index
Create Date: 2026-12-05 09:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016_meeting_safe'
down_revision = '0015_risk_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('user_preferences',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('meeting_safe', sa.SmallInteger(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('user_id')
    )


def downgrade() -> None:
    op.drop_table('user_preferences')
