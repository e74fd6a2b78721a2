"""collaborative activity per session as a viewer of one kept group key sees it (the groups someone coaches or
administers, the root's admins excepted): per key and session, the session posts of the key's users and, per course
of the session, their forum posts and reactions (scope_collab_sessions); filled from what is stored (imports and the
xAPI fold keep it from then on)

Revision ID: 0024_admin_cold
Revises: 0021_cohort_kpi_facts
Create Date: 2026-12-05 16:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024_admin_cold"
down_revision = "0023_people_index"
branch_labels = None
depends_on = None

ID = sa.String(length=64)

# the fact of what is stored, as an import computes it (data_access/write/derive_collab.py)
SCOPE_SESSIONS = """
    INSERT INTO scope_collab_sessions (group_id, session_id, publications, comments, reactions)
    SELECT group_id, session_id, SUM(pub), SUM(com), SUM(rea) FROM (
      SELECT k.group_id, p.context_id AS session_id, CASE WHEN p.parent_id IS NULL THEN 1 ELSE 0 END AS pub,
             CASE WHEN p.parent_id IS NOT NULL THEN 1 ELSE 0 END AS com, 0 AS rea
      FROM posts p JOIN scope_users k ON k.user_id = p.user_id
      WHERE p.space = 'session' AND k.group_id IN (SELECT m.group_id FROM memberships m JOIN groups g ON g.group_id = m.group_id WHERE m.role = 'coach' OR (m.role = 'admin' AND g.parent_id IS NOT NULL))
      UNION ALL
      SELECT c.group_id, sc.session_id, 0, c.comments, c.reactions
      FROM (SELECT k.group_id, uc.course_id, SUM(uc.comments) AS comments, SUM(uc.reactions) AS reactions
            FROM collab_user_courses uc JOIN scope_users k ON k.user_id = uc.user_id
            WHERE k.group_id IN (SELECT m.group_id FROM memberships m JOIN groups g ON g.group_id = m.group_id WHERE m.role = 'coach' OR (m.role = 'admin' AND g.parent_id IS NOT NULL))
            GROUP BY k.group_id, uc.course_id) c
      JOIN (SELECT DISTINCT session_id, course_id FROM blocks WHERE course_id IS NOT NULL) sc
        ON sc.course_id = c.course_id
    ) x
    GROUP BY group_id, session_id"""


def upgrade() -> None:
    op.create_table(
        "scope_collab_sessions",
        sa.Column("group_id", ID, nullable=False),
        sa.Column("session_id", ID, nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False, server_default="0")
          for name in ("publications", "comments", "reactions")],
        sa.PrimaryKeyConstraint("group_id", "session_id"),
        sqlite_with_rowid=False,
    )
    op.execute(SCOPE_SESSIONS)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE scope_collab_sessions")


def downgrade() -> None:
    op.drop_table("scope_collab_sessions")
