"""The per-user figures of the user CSVs (metrics.md, "Users"), as SQL built in one place.

The same statements fill the derived table user_stats at import (no window, every user) and answer the
General stats report when it has a date window or a session filter (one batch of users at a time), so
a number means the same thing whichever way it is computed.

A window is (since, until) in epoch seconds, either end None: activity at or after `since` and before
`until` counts (attempts by started_at, assessments by submitted_at, posts by created_at).
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.sql import Select

from data_access import schema

Window = tuple[int | None, int | None]


def _in_window(col, window: Window | None) -> list:
    if not window:
        return []
    since, until = window
    return ([col >= since] if since is not None else []) + ([col < until] if until is not None else [])


def _for_users(col, users) -> list:
    return [] if users is None else [col.in_(users)]


def latest_attempts(window: Window | None = None, users=None) -> Select:
    """Per user, over every (course, session) pair they played (no session = a pair of its own): the most
    recent attempt's time summed, and its scores' sum and count."""
    a = schema.course_attempts
    rn = func.row_number().over(partition_by=(a.c.user_id, a.c.course_id, a.c.session_id),
                                order_by=(func.coalesce(a.c.attempt_no, 0).desc(), a.c.started_at.desc()))
    inner = (select(a.c.user_id, a.c.score_pct, a.c.time_spent_s, rn.label("rn"))
             .where(*_in_window(a.c.started_at, window), *_for_users(a.c.user_id, users))).subquery()
    return (select(inner.c.user_id,
                   func.sum(func.coalesce(inner.c.time_spent_s, 0)).label("total_time_s"),
                   func.sum(inner.c.score_pct).label("score_sum"), func.count(inner.c.score_pct).label("score_n"))
            .where(inner.c.rn == 1).group_by(inner.c.user_id))


def assessments(window: Window | None = None, users=None) -> Select:
    r = schema.assessment_results
    return (select(r.c.user_id, func.sum(r.c.score_pct).label("score_sum"), func.count(r.c.score_pct).label("score_n"))
            .where(*_in_window(r.c.submitted_at, window), *_for_users(r.c.user_id, users)).group_by(r.c.user_id))


def messages(window: Window | None = None, users=None) -> Select:
    """Posts authored, in every space."""
    p = schema.posts
    return (select(p.c.user_id, func.count().label("posts"))
            .where(*_in_window(p.c.created_at, window), *_for_users(p.c.user_id, users)).group_by(p.c.user_id))


def programs(users=None, sessions=None) -> Select:
    """Per user: sessions of kind program / path they are currently registered in (assigned) and the ones where
    their progress is 100 (completed), whether or not they are still registered: a completion is history, so
    unassigning a learner afterwards does not undo it. With `sessions`, only those sessions count."""
    su, s, p = schema.session_users, schema.sessions, schema.programs
    complete = and_(su.c.blocks_total > 0, su.c.blocks_completed == su.c.blocks_total)

    def count(cond, kind):
        return func.sum(case((and_(cond, p.c.kind == kind), 1), else_=0))

    stmt = (select(su.c.user_id,
                   count(complete, "program").label("completed_programs"),
                   count(su.c.registered == 1, "program").label("assigned_programs"),
                   count(complete, "path").label("completed_paths"),
                   count(su.c.registered == 1, "path").label("assigned_paths"))
            .join(s, s.c.session_id == su.c.session_id).join(p, p.c.program_id == s.c.program_id)
            .where(*_for_users(su.c.user_id, users)).group_by(su.c.user_id))
    if sessions is not None:
        stmt = stmt.where(su.c.session_id.in_(sessions))
    return stmt


def report_metrics(window: Window | None = None, users=None, sessions=None, activity: bool = True,
                   program_counts: bool = True) -> Select:
    """user_id with avg_score, total_time_s and posts (activity) and the four program counts of the given users
    (None: all; a list or a select of ids). Avg score = mean of the most recent attempt's score per (course,
    session) and of assessment scores. A filtered report asks only for the part its filter changes."""
    u = schema.users
    stmt = select(u.c.user_id).where(*_for_users(u.c.user_id, users))
    if activity:
        la, asm = latest_attempts(window, users).subquery(), assessments(window, users).subquery()
        msg = messages(window, users).subquery()
        n = func.coalesce(la.c.score_n, 0) + func.coalesce(asm.c.score_n, 0)
        total = func.coalesce(la.c.score_sum, 0) + func.coalesce(asm.c.score_sum, 0)
        stmt = (stmt.add_columns(case((n > 0, total * literal(1.0) / n), else_=None).label("avg_score"),
                                 func.coalesce(la.c.total_time_s, 0).label("total_time_s"),
                                 func.coalesce(msg.c.posts, 0).label("posts"))
                .outerjoin(la, la.c.user_id == u.c.user_id).outerjoin(asm, asm.c.user_id == u.c.user_id)
                .outerjoin(msg, msg.c.user_id == u.c.user_id))
    if program_counts:
        prg = programs(users, sessions).subquery()
        stmt = (stmt.add_columns(*[func.coalesce(prg.c[c], 0).label(c) for c in PROGRAM_COUNTS])
                .outerjoin(prg, prg.c.user_id == u.c.user_id))
    return stmt


PROGRAM_COUNTS = ("completed_programs", "assigned_programs", "completed_paths", "assigned_paths")
