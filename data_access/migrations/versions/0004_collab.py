"""collaborative activity counts per user, group, activity and course (derived at import), filled for the data
already stored

Revision ID: 0004_collab
Revises: 0003_groups
Create Date: 2026-11-23 18:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004_collab'
down_revision = '0003_groups'
branch_labels = None
depends_on = None

REACTIONS = ('r_like', 'r_learned_something', 'r_outdated', 'r_have_a_question', 'r_useful', 'r_irrelevant',
             'r_didnt_get_it')


USER_COUNTS = ('publications', 'comments', 'reactions', 'total')
PEOPLE_INDEXES = (('ix_activity_views_activity_started', 'activity_views', ['activity_id', 'started_at']),
                  ('ix_reactions_activity_kind_created', 'reactions', ['activity_id', 'kind', 'created_at']),
                  ('ix_downloads_activity_at', 'downloads', ['activity_id', 'at']))


def _counts(*names):
    return [sa.Column(name, sa.Integer(), server_default='0', nullable=False) for name in names]


def upgrade() -> None:
    op.create_table('collab_users',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('first_name', sa.Text(), nullable=False),
    sa.Column('last_name', sa.Text(), nullable=False),
    sa.Column('email', sa.Text(), nullable=False),
    sa.Column('additional_info', sa.Text(), nullable=True),
    sa.Column('current', sa.SmallInteger(), nullable=False),
    *_counts('publications', 'comments', 'reactions', 'total'),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_index('ix_collab_users_order', 'collab_users', ['current', 'last_name', 'first_name', 'email', 'user_id'],
                    unique=False)
    for name in USER_COUNTS:
        op.create_index(f'ix_collab_users_{name}', 'collab_users', ['current', name], unique=False)
    op.create_index('ix_memberships_group_user', 'memberships', ['group_id', 'user_id'], unique=False)
    for name, table, columns in PEOPLE_INDEXES:
        op.create_index(name, table, columns, unique=False)
    op.create_table('collab_user_courses',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('course_id', sa.String(length=64), nullable=False),
    *_counts('comments', 'reactions'),
    sa.PrimaryKeyConstraint('user_id', 'course_id')
    )
    op.create_index('ix_collab_user_courses_cover', 'collab_user_courses', ['user_id', 'course_id', 'comments',
                                                                           'reactions'], unique=False)
    op.create_table('collab_groups',
    sa.Column('group_id', sa.String(length=64), nullable=False),
    *_counts('publications', 'comments', 'reactions', 'members'),
    sa.PrimaryKeyConstraint('group_id')
    )
    op.create_table('collab_sessions',
    sa.Column('session_id', sa.String(length=64), nullable=False),
    *_counts('publications', 'comments', 'reactions'),
    sa.PrimaryKeyConstraint('session_id')
    )
    op.create_table('collab_activities',
    sa.Column('activity_id', sa.String(length=64), nullable=False),
    sa.Column('course_id', sa.String(length=64), nullable=False),
    *_counts('views', 'comments', 'downloads', *REACTIONS),
    sa.PrimaryKeyConstraint('activity_id')
    )
    op.create_index('ix_collab_activities_course', 'collab_activities', ['course_id'], unique=False)
    op.create_table('collab_courses',
    sa.Column('course_id', sa.String(length=64), nullable=False),
    *_counts('views', 'comments', *REACTIONS, 'documents', 'cheat_sheets', 'questions'),
    sa.PrimaryKeyConstraint('course_id')
    )
    # derived facts: computed now for the data already stored (later imports keep them up to date)
    from data_access import derive_collab

    derive_collab.refresh_all(op.get_bind())


def downgrade() -> None:
    op.drop_table('collab_courses')
    op.drop_index('ix_collab_activities_course', table_name='collab_activities')
    op.drop_table('collab_activities')
    op.drop_table('collab_groups')
    op.drop_table('collab_sessions')
    op.drop_index('ix_collab_user_courses_cover', table_name='collab_user_courses')
    op.drop_table('collab_user_courses')
    op.drop_index('ix_memberships_group_user', table_name='memberships')
    for name, table, _columns in PEOPLE_INDEXES:
        op.drop_index(name, table_name=table)
    for name in USER_COUNTS:
        op.drop_index(f'ix_collab_users_{name}', table_name='collab_users')
    op.drop_index('ix_collab_users_order', table_name='collab_users')
    op.drop_table('collab_users')
