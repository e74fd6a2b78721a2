"""groups: derived group statistics facts (group_sessions, group_counts), filled for the data already stored

Revision ID: 0003_groups
Revises: 0002_signin
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_groups"
down_revision = "0002_signin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("group_sessions",
    sa.Column("group_id", sa.String(length=64), nullable=False),
    sa.Column("session_id", sa.String(length=64), nullable=False),
    sa.Column("learners", sa.Integer(), nullable=False),
    sa.Column("started", sa.Integer(), nullable=False),
    sa.Column("completed", sa.Integer(), nullable=False),
    sa.Column("verified", sa.Integer(), nullable=False),
    sa.Column("progress_sum", sa.Float(), nullable=False),
    sa.Column("score_sum", sa.Float(), nullable=True),
    sa.Column("scored", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("group_id", "session_id")
    )
    op.create_index("ix_group_sessions_session", "group_sessions", ["session_id"], unique=False)
    op.create_table("group_counts",
    sa.Column("group_id", sa.String(length=64), nullable=False),
    sa.Column("members", sa.Integer(), nullable=False),
    sa.Column("learners", sa.Integer(), nullable=False),
    sa.Column("sessions", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("group_id")
    )
    # derived facts: computed now for the data already stored (later imports keep them current)
    op.execute(GROUP_SESSIONS)
    op.execute(GROUP_COUNTS)


def downgrade() -> None:
    op.drop_table("group_counts")
    op.drop_index("ix_group_sessions_session", table_name="group_sessions")
    op.drop_table("group_sessions")


# The facts as this revision defines them (frozen here: the live derivation may change with later revisions).
# One row per (group G, G's session): sessions of G's subtree's catalog or with an enrollment in it; the sums over
# G's learners (role learner in the subtree, deleted included, each once) currently registered in the session.
GROUP_SESSIONS = """
    INSERT INTO group_sessions (group_id, session_id, learners, started, completed, verified, progress_sum,
                                score_sum, scored)
    SELECT p.group_id, p.session_id, COALESCE(x.learners, 0), COALESCE(x.started, 0),
           COALESCE(x.completed, 0), COALESCE(x.verified, 0), COALESCE(x.progress_sum, 0.0),
           x.score_sum, COALESCE(x.scored, 0)
    FROM (
      SELECT gc.ancestor_id AS group_id, s.session_id
      FROM sessions s JOIN group_closure gc ON gc.descendant_id = s.group_id
      UNION
      SELECT gc.ancestor_id, e.session_id
      FROM (SELECT DISTINCT session_id, group_id FROM enrollments WHERE group_id IS NOT NULL) e
      JOIN group_closure gc ON gc.descendant_id = e.group_id
    ) p
    LEFT JOIN (
      SELECT lg.group_id, su.session_id, COUNT(*) AS learners, SUM(su.started) AS started,
             SUM(CASE WHEN su.blocks_total > 0 AND su.blocks_completed = su.blocks_total THEN 1 ELSE 0 END)
               AS completed,
             SUM(su.verified) AS verified, SUM(su.progress_pct) AS progress_sum, SUM(su.score_pct) AS score_sum,
             COUNT(su.score_pct) AS scored
      FROM session_users su
      JOIN (SELECT DISTINCT gc.ancestor_id AS group_id, m.user_id
            FROM memberships m JOIN group_closure gc ON gc.descendant_id = m.group_id
            WHERE m.role = 'learner') lg ON lg.user_id = su.user_id
      WHERE su.registered = 1
      GROUP BY lg.group_id, su.session_id
    ) x ON x.group_id = p.group_id AND x.session_id = p.session_id
"""
# Per group, over its subtree: current members (any role) and learners, each user once; the group's sessions.
GROUP_COUNTS = """
    INSERT INTO group_counts (group_id, members, learners, sessions)
    SELECT g.group_id, COALESCE(mc.members, 0), COALESCE(mc.learners, 0), COALESCE(sc.n, 0)
    FROM groups g
    LEFT JOIN (
      SELECT t.group_id, COUNT(*) AS members, SUM(t.learner) AS learners
      FROM (SELECT gc.ancestor_id AS group_id, m.user_id,
                   MAX(CASE WHEN m.role = 'learner' THEN 1 ELSE 0 END) AS learner
            FROM memberships m
            JOIN group_closure gc ON gc.descendant_id = m.group_id
            JOIN users u ON u.user_id = m.user_id
            WHERE u.deleted_at IS NULL
            GROUP BY gc.ancestor_id, m.user_id) t
      GROUP BY t.group_id
    ) mc ON mc.group_id = g.group_id
    LEFT JOIN (SELECT group_id, COUNT(*) AS n FROM group_sessions GROUP BY group_id) sc
           ON sc.group_id = g.group_id
"""
