"""xapi: raw statements, the facts each contributed, and the credentials of POST /xapi/statements

Revision ID: 0006_xapi
Revises: 0005_users
Create Date: 2026-11-24 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_xapi'
down_revision = '0005_users'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # new tables only, nothing derived from existing data: a database without statements has no xAPI facts
    op.create_table('xapi_statements',
    sa.Column('statement_id', sa.String(length=36), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('timestamp', sa.BigInteger(), nullable=False),
    sa.Column('stored', sa.BigInteger(), nullable=False),
    sa.Column('verb_id', sa.Text(), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=True),
    sa.Column('course_id', sa.String(length=64), nullable=True),
    sa.Column('session_id', sa.String(length=64), nullable=True),
    sa.Column('voided', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('voids', sa.String(length=36), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('statement_id')
    )
    op.create_index('ix_xapi_statements_user_time', 'xapi_statements', ['user_id', 'timestamp'], unique=False)
    op.create_index('ix_xapi_statements_voids', 'xapi_statements', ['voids'], unique=False,
                    sqlite_where=sa.text('voids IS NOT NULL'), postgresql_where=sa.text('voids IS NOT NULL'))
    op.create_index('ix_xapi_statements_session_time', 'xapi_statements', ['session_id', 'timestamp'], unique=False,
                    sqlite_where=sa.text('voided = 0 AND voids IS NULL'),
                    postgresql_where=sa.text('voided = 0 AND voids IS NULL'))
    op.create_table('xapi_facts',
    sa.Column('statement_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('key1', sa.String(length=64), nullable=True),
    sa.Column('key2', sa.String(length=70), nullable=True),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('num1', sa.Float(), nullable=True),
    sa.Column('num2', sa.Float(), nullable=True),
    sa.Column('num3', sa.Float(), nullable=True),
    sa.Column('num4', sa.Float(), nullable=True),
    sa.Column('flag', sa.SmallInteger(), nullable=True)
    )
    op.create_index('ix_xapi_facts_statement', 'xapi_facts', ['statement_id', 'kind'], unique=False)
    op.create_index('ix_xapi_facts_kind_user', 'xapi_facts', ['kind', 'user_id', 'key2'], unique=False)
    op.create_table('xapi_credentials',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('secret_hash', sa.Text(), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('xapi_credentials')
    op.drop_index('ix_xapi_facts_kind_user', table_name='xapi_facts')
    op.drop_index('ix_xapi_facts_statement', table_name='xapi_facts')
    op.drop_table('xapi_facts')
    op.drop_index('ix_xapi_statements_session_time', table_name='xapi_statements')
    op.drop_index('ix_xapi_statements_voids', table_name='xapi_statements')
    op.drop_index('ix_xapi_statements_user_time', table_name='xapi_statements')
    op.drop_table('xapi_statements')
