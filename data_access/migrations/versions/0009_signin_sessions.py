"""sign-in sessions: revocable server-side records of signed-in browsers and their "keep me signed in" tokens

Revision ID: 0009_signin_sessions
Revises: 0008_xapi_user_live
Create Date: 2026-12-05 08:50:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009_signin_sessions'
down_revision = '0008_xapi_user_live'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signin_sessions',
    sa.Column('session_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('remember_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('expires_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('session_hash')
    )
    with op.batch_alter_table('signin_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_signin_sessions_user_id', ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signin_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_signin_sessions_user_id')
    op.drop_table('signin_sessions')
