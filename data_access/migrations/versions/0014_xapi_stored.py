"""xapi: an index of live statements in stored order, for reading them back page by page

Revision ID: 0014_xapi_stored
Revises: 0012_digest
Create Date: 2026-12-05 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014_xapi_stored'
down_revision = '0012_digest'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_xapi_statements_stored', 'xapi_statements', ['stored', 'statement_id'], unique=False,
                    sqlite_where=sa.text('voided = 0'), postgresql_where=sa.text('voided = 0'))


def downgrade() -> None:
    op.drop_index('ix_xapi_statements_stored', table_name='xapi_statements')
