"""Collaborative activity counts (metrics.md, "Collaborative activity"), recomputed inside the import transaction
by derive.refresh, each table only when a table it is computed from changed.

At 100k learners the pages would otherwise scan 1-2M views and 0.3M posts and reactions per request; these
tables hold a few hundred thousand small rows at most (one per active user, group, course and activity).

Rules, once, here:
- Publications = top-level posts in the Messages spaces (group, session, profile).
- Comments = every post in a forum (course, learning_need, project) plus replies in the Messages spaces.
- Reactions (per user) = reactions on activities (every kind) plus likes on posts; a post reaction of another
  kind is not a like and does not count.
- Archived posts, posts of archived or deleted courses, and deleted users' posts all count (history).
- Downloads count on document and cheat sheet activities only (a question cannot be downloaded).
- A course's views are its attempts; an activity's views are its starts (activity_views rows).
"""

from __future__ import annotations

from sqlalchemy import delete, insert, inspect, select, text

from data_access import cohort_keys, schema
from data_access.bundle_spec import REACTION_KINDS
from data_access.collab_counts import live_sessions_select
from data_access.scope import Scope

CHANGES_USERS = {"posts", "reactions", "users"}
CHANGES_GROUPS = CHANGES_USERS | {"memberships", "groups"}
CHANGES_USER_COURSES = {"posts", "reactions", "activities"}
CHANGES_ACTIVITIES = {"activities", "activity_views", "posts", "reactions", "downloads"}
CHANGES_COURSES = CHANGES_ACTIVITIES | {"courses", "course_attempts"}
CHANGES_SESSIONS = {"posts", "reactions", "activities", "courses", "blocks", "sessions"}
# a kept key's sessions: its users (scope_users: groups, memberships, users), their posts and reactions, the courses
# of each session (blocks)
CHANGES_SCOPE_SESSIONS = {"posts", "reactions", "activities", "blocks", "groups", "memberships", "users"}
CHANGES_ANY = CHANGES_GROUPS | CHANGES_USER_COURSES | CHANGES_COURSES | CHANGES_SESSIONS | CHANGES_SCOPE_SESSIONS
TABLES = ("collab_users", "collab_groups", "collab_user_courses", "collab_activities", "collab_courses",
          "collab_sessions", "scope_collab_sessions")

MESSAGES = "('group', 'session', 'profile')"
FORUMS = "('course', 'learning_need', 'project')"
DOWNLOADABLE = "('document', 'cheat_sheet')"
assert schema.REACTION_COLUMNS == tuple(f"r_{kind}" for kind in REACTION_KINDS)


def refresh(conn, changed: set[str]) -> None:
    """Refresh what `changed` (bundle file names) touches. A database still at an older schema revision (only
    while a migration test imports into it) has no such tables: the 0004_collab migration fills them later."""
    if not changed & CHANGES_ANY or not inspect(conn).has_table(schema.collab_user_courses.name):
        return
    if changed & CHANGES_USERS:
        refresh_users(conn)
    if changed & CHANGES_GROUPS:
        refresh_groups(conn)
    if changed & CHANGES_USER_COURSES:
        refresh_user_courses(conn)
    if changed & CHANGES_ACTIVITIES:
        refresh_activities(conn)
    if changed & CHANGES_COURSES:
        refresh_courses(conn)
    if changed & CHANGES_SESSIONS:
        refresh_sessions(conn)
    if changed & CHANGES_SCOPE_SESSIONS and inspect(conn).has_table(schema.scope_collab_sessions.name):
        refresh_scope_sessions(conn)
    if conn.dialect.name == "postgresql":
        for table in TABLES:
            conn.execute(text(f"ANALYZE {table}"))


def refresh_all(conn) -> None:
    refresh(conn, CHANGES_ANY)


def refresh_users(conn) -> None:
    """One row per user, zeros included, with the columns the Users tab shows: it reads this one narrow table
    (sorted on its indexes) instead of joining 100k users rows."""
    conn.execute(delete(schema.collab_users))
    conn.execute(text(f"""
        INSERT INTO collab_users (user_id, first_name, last_name, email, additional_info, current,
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
        ) x ON x.user_id = u.user_id
    """))


def refresh_user_courses(conn) -> None:
    """Per user and course: posts in the course's forum and reactions on its activities."""
    conn.execute(delete(schema.collab_user_courses))
    conn.execute(text("""
        INSERT INTO collab_user_courses (user_id, course_id, comments, reactions)
        SELECT user_id, course_id, SUM(com), SUM(rea) FROM (
          SELECT user_id, context_id AS course_id, 1 AS com, 0 AS rea FROM posts WHERE space = 'course'
          UNION ALL
          SELECT r.user_id, a.course_id, 0, 1 FROM reactions r JOIN activities a ON a.activity_id = r.activity_id
        ) e GROUP BY user_id, course_id
    """))


def refresh_groups(conn) -> None:
    """Every group: the counts of the distinct users with the learner role in a group of its subtree (deleted
    included: history), and its current members of any role. Needs the group closure (derive.refresh_groups) and
    collab_users first."""
    conn.execute(delete(schema.collab_groups))
    conn.execute(text("""
        INSERT INTO collab_groups (group_id, publications, comments, reactions, members)
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
        ) x ON x.group_id = g.group_id
    """))


def _kind_sums(prefix: str = "") -> str:
    return ", ".join(f"SUM(CASE WHEN {prefix}kind = '{k}' THEN 1 ELSE 0 END) AS r_{k}" for k in REACTION_KINDS)


REACTIONS = ", ".join(schema.REACTION_COLUMNS)


def refresh_activities(conn) -> None:
    conn.execute(delete(schema.collab_activities))
    coalesced = ", ".join(f"COALESCE(r.{c}, 0)" for c in schema.REACTION_COLUMNS)
    conn.execute(text(f"""
        INSERT INTO collab_activities (activity_id, course_id, views, comments, downloads, {REACTIONS})
        SELECT a.activity_id, a.course_id, COALESCE(v.n, 0), COALESCE(c.n, 0),
               CASE WHEN a.type IN {DOWNLOADABLE} THEN COALESCE(d.n, 0) ELSE 0 END, {coalesced}
        FROM activities a
        LEFT JOIN (SELECT activity_id, COUNT(*) AS n FROM activity_views GROUP BY activity_id) v
               ON v.activity_id = a.activity_id
        LEFT JOIN (SELECT activity_id, COUNT(*) AS n FROM posts
                   WHERE space = 'course' AND activity_id IS NOT NULL GROUP BY activity_id) c
               ON c.activity_id = a.activity_id
        LEFT JOIN (SELECT activity_id, COUNT(*) AS n FROM downloads GROUP BY activity_id) d
               ON d.activity_id = a.activity_id
        LEFT JOIN (SELECT activity_id, {_kind_sums()} FROM reactions
                   WHERE activity_id IS NOT NULL GROUP BY activity_id) r
               ON r.activity_id = a.activity_id
    """))


def refresh_courses(conn) -> None:
    """Per course: attempts, posts of its forum (replies and archived included), the reactions of its
    activities and how many activities of each type. Needs collab_activities first."""
    conn.execute(delete(schema.collab_courses))
    summed = ", ".join(f"COALESCE(a.{c}, 0)" for c in schema.REACTION_COLUMNS)
    per_type = ", ".join(f"SUM(CASE WHEN ac.type = '{t}' THEN 1 ELSE 0 END) AS {t}s"
                         for t in ("document", "cheat_sheet", "question"))
    conn.execute(text(f"""
        INSERT INTO collab_courses (course_id, views, comments, {REACTIONS}, documents, cheat_sheets, questions)
        SELECT c.course_id, COALESCE(t.n, 0), COALESCE(p.n, 0), {summed},
               COALESCE(k.documents, 0), COALESCE(k.cheat_sheets, 0), COALESCE(k.questions, 0)
        FROM courses c
        LEFT JOIN (SELECT course_id, COUNT(*) AS n FROM course_attempts GROUP BY course_id) t
               ON t.course_id = c.course_id
        LEFT JOIN (SELECT context_id, COUNT(*) AS n FROM posts WHERE space = 'course' GROUP BY context_id) p
               ON p.context_id = c.course_id
        LEFT JOIN (SELECT course_id, {", ".join(f"SUM({r}) AS {r}" for r in schema.REACTION_COLUMNS)}
                   FROM collab_activities GROUP BY course_id) a
               ON a.course_id = c.course_id
        LEFT JOIN (SELECT ac.course_id, {per_type} FROM activities ac GROUP BY ac.course_id) k
               ON k.course_id = c.course_id
    """))


def refresh_sessions(conn) -> None:
    """The platform owner's per-session numbers, computed by the very query other viewers run live (one
    definition). Needs collab_courses first."""
    cs = schema.collab_sessions
    conn.execute(delete(cs))
    live = live_sessions_select(Scope.owner()).subquery()
    conn.execute(insert(cs).from_select(["session_id", "publications", "comments", "reactions"],
                                        select(live.c.session_id, live.c.publications, live.c.comments,
                                               live.c.reactions)))


# per kept key and session, what live_sessions_select counts for a viewer of that key alone: the session posts of the
# key's users (publications: top level, comments: replies) and, per course of the session, their forum posts and
# reactions on its activities (collab_user_courses); the migration carries its own copy
SCOPE_SESSIONS_SQL = f"""
    INSERT INTO scope_collab_sessions (group_id, session_id, publications, comments, reactions)
    SELECT group_id, session_id, SUM(pub), SUM(com), SUM(rea) FROM (
      SELECT k.group_id, p.context_id AS session_id, CASE WHEN p.parent_id IS NULL THEN 1 ELSE 0 END AS pub,
             CASE WHEN p.parent_id IS NOT NULL THEN 1 ELSE 0 END AS com, 0 AS rea
      FROM posts p JOIN scope_users k ON k.user_id = p.user_id
      WHERE p.space = 'session' AND k.group_id IN ({cohort_keys.KEPT_GROUPS_SQL})
      UNION ALL
      SELECT c.group_id, sc.session_id, 0, c.comments, c.reactions
      FROM (SELECT k.group_id, uc.course_id, SUM(uc.comments) AS comments, SUM(uc.reactions) AS reactions
            FROM collab_user_courses uc JOIN scope_users k ON k.user_id = uc.user_id
            WHERE k.group_id IN ({cohort_keys.KEPT_GROUPS_SQL})
            GROUP BY k.group_id, uc.course_id) c
      JOIN (SELECT DISTINCT session_id, course_id FROM blocks WHERE course_id IS NOT NULL) sc
        ON sc.course_id = c.course_id
    ) x
    GROUP BY group_id, session_id"""


def refresh_scope_sessions(conn) -> None:
    """Per kept group key and session, the numbers a viewer of that key sees (SCOPE_SESSIONS_SQL). Needs
    collab_user_courses and scope_users first."""
    conn.execute(delete(schema.scope_collab_sessions))
    conn.execute(text(SCOPE_SESSIONS_SQL))
