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
    for sql in FILL:
        op.execute(sql)


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


# The counts as this revision defines them (frozen here: the live derivation may change with later revisions).
# Publications: top-level posts in the Messages spaces; comments: forum posts plus replies in the Messages
# spaces; reactions: on activities (any kind) plus likes on posts.
MESSAGES = "('group', 'session', 'profile')"
FORUMS = "('course', 'learning_need', 'project')"
KINDS = tuple(r[2:] for r in REACTIONS)
_KIND_SUMS = ", ".join(f"SUM(CASE WHEN kind = '{k}' THEN 1 ELSE 0 END) AS r_{k}" for k in KINDS)
FILL = (
    f"""INSERT INTO collab_users (user_id, first_name, last_name, email, additional_info, current,
                                 publications, comments, reactions, total)
    SELECT u.user_id, u.first_name, u.last_name, u.email, u.additional_info,
           CASE WHEN u.deleted_at IS NULL THEN 1 ELSE 0 END,
           COALESCE(x.pub, 0), COALESCE(x.com, 0), COALESCE(x.rea, 0), COALESCE(x.pub + x.com + x.rea, 0)
    FROM users u LEFT JOIN (
      SELECT user_id, SUM(pub) AS pub, SUM(com) AS com, SUM(rea) AS rea FROM (
        SELECT user_id,
               CASE WHEN space IN {MESSAGES} AND parent_id IS NULL THEN 1 ELSE 0 END AS pub,
               CASE WHEN space IN {FORUMS} OR parent_id IS NOT NULL THEN 1 ELSE 0 END AS com,
               0 AS rea
        FROM posts
        UNION ALL
        SELECT user_id, 0, 0, 1 FROM reactions WHERE activity_id IS NOT NULL OR kind = 'like'
      ) e GROUP BY user_id
    ) x ON x.user_id = u.user_id""",
    # per group, over the learners of its subtree (deleted included: history), and its current members
    """INSERT INTO collab_groups (group_id, publications, comments, reactions, members)
    SELECT g.group_id, COALESCE(x.pub, 0), COALESCE(x.com, 0), COALESCE(x.rea, 0), COALESCE(x.members, 0)
    FROM groups g
    LEFT JOIN (
      SELECT p.group_id,
             SUM(CASE WHEN p.learner = 1 THEN cu.publications ELSE 0 END) AS pub,
             SUM(CASE WHEN p.learner = 1 THEN cu.comments ELSE 0 END) AS com,
             SUM(CASE WHEN p.learner = 1 THEN cu.reactions ELSE 0 END) AS rea,
             SUM(cu.current) AS members
      FROM (SELECT gc.ancestor_id AS group_id, m.user_id,
                   MAX(CASE WHEN m.role = 'learner' THEN 1 ELSE 0 END) AS learner
            FROM memberships m JOIN group_closure gc ON gc.descendant_id = m.group_id
            GROUP BY gc.ancestor_id, m.user_id) p
      JOIN collab_users cu ON cu.user_id = p.user_id
      GROUP BY p.group_id
    ) x ON x.group_id = g.group_id""",
    """INSERT INTO collab_user_courses (user_id, course_id, comments, reactions)
    SELECT user_id, course_id, SUM(com), SUM(rea) FROM (
      SELECT user_id, context_id AS course_id, 1 AS com, 0 AS rea FROM posts WHERE space = 'course'
      UNION ALL
      SELECT r.user_id, a.course_id, 0, 1 FROM reactions r JOIN activities a ON a.activity_id = r.activity_id
    ) e GROUP BY user_id, course_id""",
    # downloads count on documents and cheat sheets only
    f"""INSERT INTO collab_activities (activity_id, course_id, views, comments, downloads, {", ".join(REACTIONS)})
    SELECT a.activity_id, a.course_id, COALESCE(v.n, 0), COALESCE(c.n, 0),
           CASE WHEN a.type IN ('document', 'cheat_sheet') THEN COALESCE(d.n, 0) ELSE 0 END,
           {", ".join(f"COALESCE(r.{c}, 0)" for c in REACTIONS)}
    FROM activities a
    LEFT JOIN (SELECT activity_id, COUNT(*) AS n FROM activity_views GROUP BY activity_id) v
           ON v.activity_id = a.activity_id
    LEFT JOIN (SELECT activity_id, COUNT(*) AS n FROM posts
               WHERE space = 'course' AND activity_id IS NOT NULL GROUP BY activity_id) c
           ON c.activity_id = a.activity_id
    LEFT JOIN (SELECT activity_id, COUNT(*) AS n FROM downloads GROUP BY activity_id) d
           ON d.activity_id = a.activity_id
    LEFT JOIN (SELECT activity_id, {_KIND_SUMS} FROM reactions
               WHERE activity_id IS NOT NULL GROUP BY activity_id) r
           ON r.activity_id = a.activity_id""",
    f"""INSERT INTO collab_courses (course_id, views, comments, {", ".join(REACTIONS)}, documents, cheat_sheets,
                                   questions)
    SELECT c.course_id, COALESCE(t.n, 0), COALESCE(p.n, 0), {", ".join(f"COALESCE(a.{c}, 0)" for c in REACTIONS)},
           COALESCE(k.documents, 0), COALESCE(k.cheat_sheets, 0), COALESCE(k.questions, 0)
    FROM courses c
    LEFT JOIN (SELECT course_id, COUNT(*) AS n FROM course_attempts GROUP BY course_id) t
           ON t.course_id = c.course_id
    LEFT JOIN (SELECT context_id, COUNT(*) AS n FROM posts WHERE space = 'course' GROUP BY context_id) p
           ON p.context_id = c.course_id
    LEFT JOIN (SELECT course_id, {", ".join(f"SUM({r}) AS {r}" for r in REACTIONS)}
               FROM collab_activities GROUP BY course_id) a
           ON a.course_id = c.course_id
    LEFT JOIN (SELECT ac.course_id, SUM(CASE WHEN ac.type = 'document' THEN 1 ELSE 0 END) AS documents,
                      SUM(CASE WHEN ac.type = 'cheat_sheet' THEN 1 ELSE 0 END) AS cheat_sheets,
                      SUM(CASE WHEN ac.type = 'question' THEN 1 ELSE 0 END) AS questions
               FROM activities ac GROUP BY ac.course_id) k
           ON k.course_id = c.course_id""",
    # per session: publications and replies in its messages, plus the comments and reactions of its courses
    f"""INSERT INTO collab_sessions (session_id, publications, comments, reactions)
    SELECT s.session_id, COALESCE(sp.publications, 0), COALESCE(sp.replies, 0) + COALESCE(pc.comments, 0),
           COALESCE(pc.reactions, 0)
    FROM sessions s
    LEFT JOIN (SELECT context_id AS session_id, SUM(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END) AS publications,
                      SUM(CASE WHEN parent_id IS NOT NULL THEN 1 ELSE 0 END) AS replies
               FROM posts WHERE space = 'session' GROUP BY context_id) sp
           ON sp.session_id = s.session_id
    LEFT JOIN (SELECT pairs.session_id, SUM(cc.comments) AS comments, SUM({" + ".join(f"cc.{r}" for r in REACTIONS)})
                      AS reactions
               FROM (SELECT DISTINCT session_id, course_id FROM blocks WHERE course_id IS NOT NULL) pairs
               JOIN collab_courses cc ON cc.course_id = pairs.course_id
               GROUP BY pairs.session_id) pc
           ON pc.session_id = s.session_id""",
)
