"""xapi_pending: the keys POST /xapi/statements left for the background fold

Revision ID: 0007_xapi_pending
Revises: 0006_xapi
Create Date: 2026-11-23 20:45:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007_xapi_pending'
down_revision = '0006_xapi'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # empty at first: statements stored before this revision were folded inside their own transaction
    op.create_table('xapi_pending',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False)
    )  # no unique key: see schema.xapi_pending


def downgrade() -> None:
    op.drop_table('xapi_pending')
