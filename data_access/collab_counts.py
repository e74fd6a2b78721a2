"""The collaborative activity counts per course and per session as the viewer sees them, defined once for the
pages (data_access.queries.collaboration, computed live for a scoped viewer) and for the facts kept at import
(data_access.write.derive_collab fills collab_sessions with the platform owner's)."""

from __future__ import annotations

from sqlalchemy import case, func, select

from data_access import schema
from data_access.scope import Scope, visible_sessions, visible_users


def course_totals(scope: Scope):
    """Subquery (course_id, comments, reactions): posts in each course's forum and reactions on its activities,
    by the viewer's users only (the platform owner: everyone's, read from the per-course counts)."""
    if scope.is_owner:
        cc = schema.collab_courses
        return select(cc.c.course_id, cc.c.comments,
                      sum((cc.c[name] for name in schema.REACTION_COLUMNS[1:]), cc.c[schema.REACTION_COLUMNS[0]])
                      .label("reactions")).subquery()
    uc = schema.collab_user_courses
    return (select(uc.c.course_id, func.sum(uc.c.comments).label("comments"),
                   func.sum(uc.c.reactions).label("reactions"))
            .where(visible_users(scope, uc.c.user_id)).group_by(uc.c.course_id)).subquery()


def live_sessions_select(scope: Scope):
    """Per session the viewer sees: publications (top-level posts in its messages), comments (posts in the forums
    of its courses + replies in its messages), reactions (on its courses' activities), by the viewer's users.
    Course forums belong to the course, so sessions sharing a course share those counts."""
    s, b, po = schema.sessions, schema.blocks, schema.posts
    session_posts = (select(po.c.context_id.label("session_id"),
                            func.sum(case((po.c.parent_id.is_(None), 1), else_=0)).label("publications"),
                            func.sum(case((po.c.parent_id.is_not(None), 1), else_=0)).label("replies"))
                     .where(po.c.space == "session", visible_users(scope, po.c.user_id))
                     .group_by(po.c.context_id)).subquery()
    courses = course_totals(scope)
    pairs = select(b.c.session_id, b.c.course_id).where(b.c.course_id.is_not(None)).distinct().subquery()
    per_course = (select(pairs.c.session_id, func.sum(courses.c.comments).label("comments"),
                         func.sum(courses.c.reactions).label("reactions"))
                  .select_from(pairs).join(courses, courses.c.course_id == pairs.c.course_id)
                  .group_by(pairs.c.session_id)).subquery()
    publications = func.coalesce(session_posts.c.publications, 0)
    comments = func.coalesce(session_posts.c.replies, 0) + func.coalesce(per_course.c.comments, 0)
    reactions = func.coalesce(per_course.c.reactions, 0)
    return (select(s.c.session_id, s.c.name, s.c.program_id, s.c.start_at, s.c.end_at,
                   publications.label("publications"), comments.label("comments"), reactions.label("reactions"),
                   (publications + comments + reactions).label("overall"))  # not "total": fetch_page's count
            .outerjoin(session_posts, session_posts.c.session_id == s.c.session_id)
            .outerjoin(per_course, per_course.c.session_id == s.c.session_id)
            .where(visible_sessions(scope, s)))
