"""baseline: the schema of the foundation, participants and program sessions

Revision ID: 0001_baseline
Revises: (none)
Create Date: 2026-11-23 16:46:37.636363
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001_baseline'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('activities',
    sa.Column('activity_id', sa.String(length=64), nullable=False),
    sa.Column('course_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('tags', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('activity_id')
    )
    op.create_index(op.f('ix_activities_course_id'), 'activities', ['course_id'], unique=False)
    op.create_table('activity_views',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('activity_id', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'activity_id', 'started_at')
    )
    op.create_index('ix_activity_views_activity', 'activity_views', ['activity_id'], unique=False)
    op.create_table('answers',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('activity_id', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.String(length=64), nullable=True),
    sa.Column('score_pct', sa.Float(), nullable=True),
    sa.Column('answered_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'activity_id', 'answered_at')
    )
    op.create_index('ix_answers_activity', 'answers', ['activity_id'], unique=False)
    op.create_table('assessment_results',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('block_id', sa.String(length=64), nullable=False),
    sa.Column('score_pct', sa.Float(), nullable=True),
    sa.Column('passed', sa.SmallInteger(), nullable=True),
    sa.Column('submitted_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'block_id')
    )
    op.create_index('ix_assessment_results_block', 'assessment_results', ['block_id'], unique=False)
    op.create_table('block_results',
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('block_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('completed', sa.SmallInteger(), nullable=False),
    sa.Column('score_pct', sa.Float(), nullable=True),
    sa.Column('time_spent_s', sa.BigInteger(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('passed', sa.SmallInteger(), nullable=True),
    sa.Column('started_at', sa.BigInteger(), nullable=True),
    sa.Column('last_activity_at', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('block_id', 'user_id')
    )
    op.create_index('ix_block_results_session_user', 'block_results', ['session_id', 'user_id'], unique=False)
    op.create_table('blocks',
    sa.Column('block_id', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('course_id', sa.String(length=64), nullable=True),
    sa.Column('due_at', sa.BigInteger(), nullable=True),
    sa.Column('tags', sa.Text(), nullable=True),
    sa.Column('passing_score_pct', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('block_id')
    )
    op.create_index(op.f('ix_blocks_course_id'), 'blocks', ['course_id'], unique=False)
    op.create_index('ix_blocks_session_position', 'blocks', ['session_id', 'position'], unique=False)
    op.create_table('certificates',
    sa.Column('certificate_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('session_id', sa.String(length=64), nullable=True),
    sa.Column('program_id', sa.String(length=64), nullable=True),
    sa.Column('delivered_at', sa.BigInteger(), nullable=True),
    sa.Column('expires_at', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('certificate_id')
    )
    op.create_index(op.f('ix_certificates_session_id'), 'certificates', ['session_id'], unique=False)
    op.create_index(op.f('ix_certificates_user_id'), 'certificates', ['user_id'], unique=False)
    op.create_table('classroom_slots',
    sa.Column('slot_id', sa.String(length=64), nullable=False),
    sa.Column('block_id', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('start_at', sa.BigInteger(), nullable=True),
    sa.Column('end_at', sa.BigInteger(), nullable=True),
    sa.Column('duration_hours', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('slot_id')
    )
    op.create_index(op.f('ix_classroom_slots_block_id'), 'classroom_slots', ['block_id'], unique=False)
    op.create_table('cohort_settings',
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('green_limit', sa.Integer(), nullable=False),
    sa.Column('yellow_limit', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('session_id')
    )
    op.create_table('course_attempts',
    sa.Column('attempt_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('course_id', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.String(length=64), nullable=True),
    sa.Column('attempt_no', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.BigInteger(), nullable=False),
    sa.Column('last_activity_at', sa.BigInteger(), nullable=True),
    sa.Column('completed_at', sa.BigInteger(), nullable=True),
    sa.Column('progress_pct', sa.Float(), nullable=True),
    sa.Column('score_pct', sa.Float(), nullable=True),
    sa.Column('time_spent_s', sa.BigInteger(), nullable=True),
    sa.Column('language', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('attempt_id')
    )
    op.create_index(op.f('ix_course_attempts_course_id'), 'course_attempts', ['course_id'], unique=False)
    op.create_index('ix_course_attempts_session_user_course', 'course_attempts', ['session_id', 'user_id', 'course_id'], unique=False)
    op.create_index('ix_course_attempts_user', 'course_attempts', ['user_id'], unique=False)
    op.create_table('courses',
    sa.Column('course_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('author_id', sa.String(length=64), nullable=False),
    sa.Column('coauthor_ids', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.BigInteger(), nullable=True),
    sa.Column('source_language', sa.Text(), nullable=True),
    sa.Column('available_languages', sa.Text(), nullable=True),
    sa.Column('unavailable_languages', sa.Text(), nullable=True),
    sa.Column('tags', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('course_id')
    )
    op.create_index(op.f('ix_courses_author_id'), 'courses', ['author_id'], unique=False)
    op.create_table('downloads',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('activity_id', sa.String(length=64), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'activity_id', 'at')
    )
    op.create_index('ix_downloads_activity', 'downloads', ['activity_id'], unique=False)
    op.create_table('enrollments',
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('group_id', sa.String(length=64), nullable=True),
    sa.Column('assigned_at', sa.BigInteger(), nullable=True),
    sa.Column('unassigned_at', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('session_id', 'user_id')
    )
    op.create_index('ix_enrollments_user', 'enrollments', ['user_id'], unique=False)
    op.create_table('group_closure',
    sa.Column('ancestor_id', sa.String(length=64), nullable=False),
    sa.Column('descendant_id', sa.String(length=64), nullable=False),
    sa.Column('depth', sa.SmallInteger(), nullable=False),
    sa.PrimaryKeyConstraint('ancestor_id', 'descendant_id')
    )
    op.create_index('ix_group_closure_descendant', 'group_closure', ['descendant_id'], unique=False)
    op.create_table('groups',
    sa.Column('group_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('parent_id', sa.String(length=64), nullable=True),
    sa.Column('level', sa.SmallInteger(), nullable=True),
    sa.PrimaryKeyConstraint('group_id')
    )
    op.create_index(op.f('ix_groups_parent_id'), 'groups', ['parent_id'], unique=False)
    op.create_table('logins',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'at')
    )
    op.create_index('ix_logins_at_user', 'logins', ['at', 'user_id'], unique=False)
    op.create_table('managers',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('manager_id', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'manager_id')
    )
    op.create_index('ix_managers_manager', 'managers', ['manager_id'], unique=False)
    op.create_table('memberships',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('group_id', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'group_id', 'role')
    )
    op.create_index('ix_memberships_group_role', 'memberships', ['group_id', 'role'], unique=False)
    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('posts',
    sa.Column('post_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('space', sa.String(length=16), nullable=False),
    sa.Column('context_id', sa.String(length=64), nullable=False),
    sa.Column('parent_id', sa.String(length=64), nullable=True),
    sa.Column('activity_id', sa.String(length=64), nullable=True),
    sa.Column('archived', sa.SmallInteger(), nullable=True),
    sa.PrimaryKeyConstraint('post_id')
    )
    op.create_index(op.f('ix_posts_activity_id'), 'posts', ['activity_id'], unique=False)
    op.create_index(op.f('ix_posts_parent_id'), 'posts', ['parent_id'], unique=False)
    op.create_index('ix_posts_space_context', 'posts', ['space', 'context_id'], unique=False)
    op.create_index(op.f('ix_posts_user_id'), 'posts', ['user_id'], unique=False)
    op.create_table('programs',
    sa.Column('program_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('program_id')
    )
    op.create_table('reactions',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('activity_id', sa.String(length=64), nullable=True),
    sa.Column('post_id', sa.String(length=64), nullable=True),
    sa.Column('target', sa.String(length=70), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'created_at', 'kind', 'target')
    )
    op.create_index(op.f('ix_reactions_activity_id'), 'reactions', ['activity_id'], unique=False)
    op.create_index(op.f('ix_reactions_post_id'), 'reactions', ['post_id'], unique=False)
    op.create_table('session_instructors',
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('session_id', 'user_id')
    )
    op.create_index('ix_session_instructors_user', 'session_instructors', ['user_id'], unique=False)
    op.create_table('session_users',
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('registered', sa.SmallInteger(), nullable=False),
    sa.Column('blocks_total', sa.Integer(), nullable=False),
    sa.Column('blocks_completed', sa.Integer(), nullable=False),
    sa.Column('progress_pct', sa.Float(), nullable=False),
    sa.Column('score_pct', sa.Float(), nullable=True),
    sa.Column('time_spent_s', sa.BigInteger(), nullable=False),
    sa.Column('started', sa.SmallInteger(), nullable=False),
    sa.Column('verified', sa.SmallInteger(), nullable=False),
    sa.Column('start_at', sa.BigInteger(), nullable=True),
    sa.Column('last_activity_at', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('session_id', 'user_id')
    )
    op.create_index('ix_session_users_user', 'session_users', ['user_id'], unique=False)
    op.create_table('sessions',
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('program_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('start_at', sa.BigInteger(), nullable=True),
    sa.Column('end_at', sa.BigInteger(), nullable=True),
    sa.Column('author_id', sa.String(length=64), nullable=False),
    sa.Column('group_id', sa.String(length=64), nullable=False),
    sa.Column('expected_duration_min', sa.Integer(), nullable=True),
    sa.Column('tags', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('session_id')
    )
    op.create_index(op.f('ix_sessions_group_id'), 'sessions', ['group_id'], unique=False)
    op.create_index(op.f('ix_sessions_program_id'), 'sessions', ['program_id'], unique=False)
    op.create_index('ix_sessions_start_end', 'sessions', ['start_at', 'end_at'], unique=False)
    op.create_table('slot_attendance',
    sa.Column('slot_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('attendance_pct', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('slot_id', 'user_id')
    )
    op.create_index('ix_slot_attendance_user', 'slot_attendance', ['user_id'], unique=False)
    op.create_table('user_fields',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('field', sa.Text(), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('user_id', 'field')
    )
    op.create_table('users',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('first_name', sa.Text(), nullable=False),
    sa.Column('last_name', sa.Text(), nullable=False),
    sa.Column('email', sa.Text(), nullable=False),
    sa.Column('email_lower', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('additional_info', sa.Text(), nullable=True),
    sa.Column('registered_at', sa.BigInteger(), nullable=True),
    sa.Column('invited_by', sa.String(length=64), nullable=True),
    sa.Column('deleted_at', sa.BigInteger(), nullable=True),
    sa.Column('auto_deletion_at', sa.BigInteger(), nullable=True),
    sa.Column('last_login_at', sa.BigInteger(), nullable=True),
    sa.Column('login_count', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('user_id'),
    sa.UniqueConstraint('email_lower')
    )
    op.create_index('ix_users_last_login_at', 'users', ['last_login_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_users_last_login_at', table_name='users')
    op.drop_table('users')
    op.drop_table('user_fields')
    op.drop_index('ix_slot_attendance_user', table_name='slot_attendance')
    op.drop_table('slot_attendance')
    op.drop_index('ix_sessions_start_end', table_name='sessions')
    op.drop_index(op.f('ix_sessions_program_id'), table_name='sessions')
    op.drop_index(op.f('ix_sessions_group_id'), table_name='sessions')
    op.drop_table('sessions')
    op.drop_index('ix_session_users_user', table_name='session_users')
    op.drop_table('session_users')
    op.drop_index('ix_session_instructors_user', table_name='session_instructors')
    op.drop_table('session_instructors')
    op.drop_index(op.f('ix_reactions_post_id'), table_name='reactions')
    op.drop_index(op.f('ix_reactions_activity_id'), table_name='reactions')
    op.drop_table('reactions')
    op.drop_table('programs')
    op.drop_index(op.f('ix_posts_user_id'), table_name='posts')
    op.drop_index('ix_posts_space_context', table_name='posts')
    op.drop_index(op.f('ix_posts_parent_id'), table_name='posts')
    op.drop_index(op.f('ix_posts_activity_id'), table_name='posts')
    op.drop_table('posts')
    op.drop_table('meta')
    op.drop_index('ix_memberships_group_role', table_name='memberships')
    op.drop_table('memberships')
    op.drop_index('ix_managers_manager', table_name='managers')
    op.drop_table('managers')
    op.drop_index('ix_logins_at_user', table_name='logins')
    op.drop_table('logins')
    op.drop_index(op.f('ix_groups_parent_id'), table_name='groups')
    op.drop_table('groups')
    op.drop_index('ix_group_closure_descendant', table_name='group_closure')
    op.drop_table('group_closure')
    op.drop_index('ix_enrollments_user', table_name='enrollments')
    op.drop_table('enrollments')
    op.drop_index('ix_downloads_activity', table_name='downloads')
    op.drop_table('downloads')
    op.drop_index(op.f('ix_courses_author_id'), table_name='courses')
    op.drop_table('courses')
    op.drop_index('ix_course_attempts_user', table_name='course_attempts')
    op.drop_index('ix_course_attempts_session_user_course', table_name='course_attempts')
    op.drop_index(op.f('ix_course_attempts_course_id'), table_name='course_attempts')
    op.drop_table('course_attempts')
    op.drop_table('cohort_settings')
    op.drop_index(op.f('ix_classroom_slots_block_id'), table_name='classroom_slots')
    op.drop_table('classroom_slots')
    op.drop_index(op.f('ix_certificates_user_id'), table_name='certificates')
    op.drop_index(op.f('ix_certificates_session_id'), table_name='certificates')
    op.drop_table('certificates')
    op.drop_index('ix_blocks_session_position', table_name='blocks')
    op.drop_index(op.f('ix_blocks_course_id'), table_name='blocks')
    op.drop_table('blocks')
    op.drop_index('ix_block_results_session_user', table_name='block_results')
    op.drop_table('block_results')
    op.drop_index('ix_assessment_results_block', table_name='assessment_results')
    op.drop_table('assessment_results')
    op.drop_index('ix_answers_activity', table_name='answers')
    op.drop_table('answers')
    op.drop_index('ix_activity_views_activity', table_name='activity_views')
    op.drop_table('activity_views')
    op.drop_index(op.f('ix_activities_course_id'), table_name='activities')
    op.drop_table('activities')
