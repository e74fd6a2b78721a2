"""xapi: a covering index of learners' live statements for the fold

Revision ID: 0008_xapi_user_live
Revises: 0007_xapi_pending
Create Date: 2026-11-23 21:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008_xapi_user_live'
down_revision = '0007_xapi_pending'
branch_labels = None
depends_on = None

LIVE = 'voided = 0 AND voids IS NULL'


def upgrade() -> None:
    op.create_index('ix_xapi_statements_user_live', 'xapi_statements',
                    ['user_id', 'timestamp', 'session_id', 'course_id', 'statement_id', 'voided', 'voids'],
                    unique=False, sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))


def downgrade() -> None:
    op.drop_index('ix_xapi_statements_user_live', table_name='xapi_statements')
