"""Platform overview (home page): headline numbers, learners by login recency (the weekly active learners are
data_access.queries.trends.weekly_active_learners)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select

from data_access import program_session_state, recency, schema
from data_access.scope import Scope, visible_sessions, visible_users, visible_users_probe


def _learners(scope: Scope):
    """Current (not deleted) users with a learner role, inside the scope. The role is probed per user (EXISTS):
    listing every learner first made a scoped viewer's count walk every learner of the platform."""
    u, m = schema.users, schema.memberships
    return (select(u.c.user_id, u.c.last_login_at)
            .where(u.c.deleted_at.is_(None),
                   select(m.c.user_id).where(m.c.user_id == u.c.user_id, m.c.role == "learner").exists(),
                   visible_users(scope, u.c.user_id)))


def kpis(conn, scope: Scope, now: datetime) -> dict:
    now_s = int(now.timestamp())
    learners = _learners(scope).subquery()
    row = conn.execute(select(
        func.count(),
        func.sum(case((learners.c.last_login_at >= now_s - 7 * 86_400, 1), else_=0)),
        func.sum(case((learners.c.last_login_at >= now_s - 30 * 86_400, 1), else_=0)),
        func.sum(case((learners.c.last_login_at.is_(None), 1), else_=0)),
    ).select_from(learners)).one()
    s = schema.sessions
    srow = conn.execute(select(
        func.sum(case((program_session_state.running(s, now_s), 1), else_=0)),
        func.sum(case((program_session_state.upcoming(s, now_s), 1), else_=0)),
        func.sum(case((program_session_state.finished(s, now_s), 1), else_=0)),
    ).where(visible_sessions(scope, s))).one()
    su = schema.session_users
    running = select(s.c.session_id).where(program_session_state.running(s, now_s), visible_sessions(scope, s))
    enrolled = conn.execute(select(func.count(), func.avg(su.c.progress_pct))
                            .where(su.c.registered == 1, su.c.session_id.in_(running),
                                   visible_users_probe(scope, su.c.user_id))).one()
    total = row[0] or 0
    return {
        "learners": total,
        "active_7d": int(row[1] or 0),
        "active_30d": int(row[2] or 0),
        "never": int(row[3] or 0),
        "sessions_running": int(srow[0] or 0),
        "sessions_upcoming": int(srow[1] or 0),
        "sessions_finished": int(srow[2] or 0),
        "registered_running": int(enrolled[0] or 0),
        "avg_progress_running": None if enrolled[1] is None else float(enrolled[1]),
    }


def learners_by_recency(conn, scope: Scope, now: datetime) -> list[dict]:
    """Current learners per days-since-last-login bucket, in chart order."""
    learners = _learners(scope).subquery()
    bucket = recency.bucket_expr(learners.c.last_login_at, now).label("bucket")
    rows = dict(conn.execute(select(bucket, func.count()).select_from(learners).group_by(bucket)).all())
    return [{"bucket": label, "learners": int(rows.get(label, 0))} for label in recency.LABELS]
