"""digest: weekly digest subscriptions, what each period sent, and what each recipient's last digest counted

Revision ID: 0012_digest
Revises: 0011_login_days
Create Date: 2026-12-05 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012_digest'
down_revision = '0011_login_days'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('digest_subscriptions',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('weekday', sa.SmallInteger(), nullable=False),
    sa.Column('hour', sa.SmallInteger(), nullable=False),
    sa.Column('subscribed_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('digest_sends',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('period_at', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('claimed_until', sa.BigInteger(), nullable=True),
    sa.Column('attempts', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('computed_at', sa.BigInteger(), nullable=True),
    sa.Column('sent_at', sa.BigInteger(), nullable=True),
    sa.Column('at_risk', sa.Integer(), nullable=True),
    sa.Column('newly', sa.Integer(), nullable=True),
    sa.Column('recovered', sa.Integer(), nullable=True),
    sa.Column('contacts', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('user_id', 'period_at')
    )
    op.create_table('digest_at_risk',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('reasons', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'learner_id', 'session_id')
    )


def downgrade() -> None:
    op.drop_table('digest_at_risk')
    op.drop_table('digest_sends')
    op.drop_table('digest_subscriptions')
