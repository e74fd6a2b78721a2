"""users: derived facts of the Users pages (item_tags, user_tags, user_stats), filled for
existing data; indexes for the public statistics

Revision ID: 0005_users
Revises: 0004_collab
Create Date: 2026-11-24 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_users"
down_revision = "0004_collab"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_tags",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("tag", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "item_id", "tag"),
    )
    op.create_table(
        "user_tags",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("tag", sa.Text(), nullable=False),
        sa.Column("training_score", sa.Float(), nullable=True),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("assessment_score", sa.Float(), nullable=True),
        sa.Column("assessments", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "tag"),
    )
    op.create_table(
        "user_stats",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("last_name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("deleted", sa.SmallInteger(), nullable=False),
        sa.Column("time_spent_s", sa.BigInteger(), nullable=False),
        sa.Column("last_activity_at", sa.BigInteger(), nullable=True),
        sa.Column("last_activity_key", sa.BigInteger(), nullable=False),
        sa.Column("direct_reports", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("answer_score", sa.Float(), nullable=True),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("total_time_s", sa.BigInteger(), nullable=False),
        sa.Column("avg_score", sa.Float(), nullable=True),
        sa.Column("completed_courses", sa.Integer(), nullable=False),
        sa.Column("attended_classrooms", sa.Integer(), nullable=False),
        sa.Column("completed_programs", sa.Integer(), nullable=False),
        sa.Column("assigned_programs", sa.Integer(), nullable=False),
        sa.Column("completed_paths", sa.Integer(), nullable=False),
        sa.Column("assigned_paths", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    for name, columns in INDEXES:
        op.create_index(name, "user_stats", columns, unique=False)
    for name, table, columns in EVENT_INDEXES:
        op.create_index(name, table, columns, unique=False)
    # a database that already holds data gets its facts now (the importer keeps them from then on)
    fill_item_tags(op.get_bind())
    op.execute(USER_TAGS)
    op.execute(USER_STATS)


def downgrade() -> None:
    for name, table, _columns in EVENT_INDEXES:
        op.drop_index(name, table_name=table)
    for name, _columns in INDEXES:
        op.drop_index(name, table_name="user_stats")
    op.drop_table("user_stats")
    op.drop_table("user_tags")
    op.drop_table("item_tags")


INDEXES = [
    ("ix_user_stats_name", ["deleted", "last_name", "first_name", "email", "user_id"]),
    ("ix_user_stats_email", ["deleted", "email"]),
    ("ix_user_stats_time_spent", ["deleted", "time_spent_s"]),
    ("ix_user_stats_last_activity", ["deleted", "last_activity_key"]),
    ("ix_user_stats_direct_reports", ["deleted", "direct_reports"]),
]
# an author's public statistics count their courses' views and reactions of the last 90 days in these
# (activity_views(activity_id, started_at) serves them too; 0004_collab made it)
EVENT_INDEXES = [
    ("ix_reactions_activity_created", "reactions", ["activity_id", "created_at", "kind"]),
]


# The facts as this revision defines them (frozen here: the live derivation may change with later revisions).
def fill_item_tags(conn) -> None:
    """Question activities' and assessment blocks' tags, one row per distinct tag of their '|' list."""
    rows = []
    for kind, sql in (("activity", "SELECT activity_id, tags FROM activities WHERE type = 'question' "
                                   "AND tags IS NOT NULL"),
                      ("block", "SELECT block_id, tags FROM blocks WHERE kind = 'assessment' AND tags IS NOT NULL")):
        for item_id, cell in conn.execute(sa.text(sql)):
            tags = sorted({t.strip() for t in (cell or "").split("|") if t.strip()})
            rows += [{"kind": kind, "item_id": item_id, "tag": tag} for tag in tags]
    if rows:
        conn.execute(sa.text("INSERT INTO item_tags (kind, item_id, tag) VALUES (:kind, :item_id, :tag)"), rows)


# training score: mean of the user's answer scores on questions tagged T; assessment score: mean of their
# assessment scores on blocks tagged T
USER_TAGS = """
    INSERT INTO user_tags (user_id, tag, training_score, answers, assessment_score, assessments)
    SELECT user_id, tag, AVG(training), SUM(n_answers), AVG(assessment), SUM(n_assessments)
    FROM (
      SELECT a.user_id, t.tag, a.score_pct AS training, 1 AS n_answers,
             CAST(NULL AS FLOAT) AS assessment, 0 AS n_assessments
      FROM answers a JOIN item_tags t ON t.kind = 'activity' AND t.item_id = a.activity_id
      UNION ALL
      SELECT r.user_id, t.tag, CAST(NULL AS FLOAT), 0, r.score_pct, 1
      FROM assessment_results r JOIN item_tags t ON t.kind = 'block' AND t.item_id = r.block_id
    ) x
    GROUP BY user_id, tag
"""
# One row per user. avg_score: the mean of the most recent attempt's score per (course, session) and of the
# assessment scores; programs and paths: assigned (registered now) and completed (progress 100).
USER_STATS = """
    INSERT INTO user_stats (user_id, first_name, last_name, email, deleted, time_spent_s, last_activity_at,
                            last_activity_key, direct_reports, answers, answer_score, posts, total_time_s, avg_score,
                            completed_courses, attended_classrooms, completed_programs, assigned_programs,
                            completed_paths, assigned_paths)
    SELECT u.user_id, u.first_name, u.last_name, u.email, CASE WHEN u.deleted_at IS NULL THEN 0 ELSE 1 END,
           COALESCE(ca.time_s, 0), ca.last_at, COALESCE(ca.last_at, 0), COALESCE(rep.n, 0), COALESCE(ans.n, 0),
           ans.score, COALESCE(msg.posts, 0), COALESCE(la.total_time_s, 0),
           CASE WHEN COALESCE(la.score_n, 0) + COALESCE(asm.score_n, 0) > 0
                THEN (COALESCE(la.score_sum, 0) + COALESCE(asm.score_sum, 0)) * 1.0
                     / (COALESCE(la.score_n, 0) + COALESCE(asm.score_n, 0)) END,
           COALESCE(ca.courses, 0), COALESCE(att.n, 0), COALESCE(prg.completed_programs, 0),
           COALESCE(prg.assigned_programs, 0), COALESCE(prg.completed_paths, 0), COALESCE(prg.assigned_paths, 0)
    FROM users u
    LEFT JOIN (SELECT user_id, SUM(COALESCE(time_spent_s, 0)) AS time_s, MAX(last_activity_at) AS last_at,
                      COUNT(DISTINCT CASE WHEN completed_at IS NOT NULL THEN course_id END) AS courses
               FROM course_attempts GROUP BY user_id) ca ON ca.user_id = u.user_id
    LEFT JOIN (SELECT m.manager_id, COUNT(*) AS n FROM managers m JOIN users mu ON mu.user_id = m.user_id
               WHERE mu.deleted_at IS NULL GROUP BY m.manager_id) rep ON rep.manager_id = u.user_id
    LEFT JOIN (SELECT user_id, COUNT(*) AS n, AVG(score_pct) AS score FROM answers GROUP BY user_id) ans
           ON ans.user_id = u.user_id
    LEFT JOIN (SELECT user_id, COUNT(*) AS n FROM slot_attendance WHERE attendance_pct > 0 GROUP BY user_id) att
           ON att.user_id = u.user_id
    LEFT JOIN (SELECT user_id, SUM(COALESCE(time_spent_s, 0)) AS total_time_s, SUM(score_pct) AS score_sum,
                      COUNT(score_pct) AS score_n
               FROM (SELECT user_id, score_pct, time_spent_s,
                            ROW_NUMBER() OVER (PARTITION BY user_id, course_id, session_id
                                               ORDER BY COALESCE(attempt_no, 0) DESC, started_at DESC) AS rn
                     FROM course_attempts) latest
               WHERE rn = 1 GROUP BY user_id) la ON la.user_id = u.user_id
    LEFT JOIN (SELECT user_id, SUM(score_pct) AS score_sum, COUNT(score_pct) AS score_n
               FROM assessment_results GROUP BY user_id) asm ON asm.user_id = u.user_id
    LEFT JOIN (SELECT user_id, COUNT(*) AS posts FROM posts GROUP BY user_id) msg ON msg.user_id = u.user_id
    LEFT JOIN (SELECT su.user_id,
                      SUM(CASE WHEN su.blocks_total > 0 AND su.blocks_completed = su.blocks_total
                               AND p.kind = 'program' THEN 1 ELSE 0 END) AS completed_programs,
                      SUM(CASE WHEN su.registered = 1 AND p.kind = 'program' THEN 1 ELSE 0 END) AS assigned_programs,
                      SUM(CASE WHEN su.blocks_total > 0 AND su.blocks_completed = su.blocks_total
                               AND p.kind = 'path' THEN 1 ELSE 0 END) AS completed_paths,
                      SUM(CASE WHEN su.registered = 1 AND p.kind = 'path' THEN 1 ELSE 0 END) AS assigned_paths
               FROM session_users su JOIN sessions s ON s.session_id = su.session_id
               JOIN programs p ON p.program_id = s.program_id
               GROUP BY su.user_id) prg ON prg.user_id = u.user_id
"""
