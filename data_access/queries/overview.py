"""Platform overview (home page): headline numbers, learners by login recency (the weekly active learners are
data_access.queries.trends.weekly_active_learners)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select

from data_access import program_session_state, recency, schema, scope_counts
from data_access.scope import Scope, visible_sessions, visible_users_probe

DAY_S = 86_400


def kpis(conn, scope: Scope, now: datetime) -> dict:
    """Learners are current users with a learner role in the scope, registrations in the running sessions
    it sees (scope_counts: read from the scope facts)."""
    now_s = int(now.timestamp())
    total, never, (active_7d, active_30d) = scope_counts.learners_since(conn, scope, [now_s - 7 * 86_400,
                                                                                      now_s - 30 * 86_400])
    s = schema.sessions
    srow = conn.execute(select(
        func.sum(case((program_session_state.running(s, now_s), 1), else_=0)),
        func.sum(case((program_session_state.upcoming(s, now_s), 1), else_=0)),
        func.sum(case((program_session_state.finished(s, now_s), 1), else_=0)),
    ).where(visible_sessions(scope, s))).one()
    running = select(s.c.session_id).where(program_session_state.running(s, now_s),
                                           visible_sessions(scope, s))
    enrolled = scope_counts.registered_in(conn, scope, running) or _registered(conn, scope, running)
    return {
        "learners": total,
        "active_7d": active_7d,
        "active_30d": active_30d,
        "never": never,
        "sessions_running": int(srow[0] or 0),
        "sessions_upcoming": int(srow[1] or 0),
        "sessions_finished": int(srow[2] or 0),
        "registered_running": int(enrolled[0] or 0),
        "avg_progress_running": None if enrolled[1] is None else float(enrolled[1]),
    }


def _registered(conn, scope: Scope, running) -> tuple[int, float | None]:
    """Registrations of the viewer's users in the sessions of `running` and their average progress, probed per
    registration: for a viewer with several scope keys (scope_counts.registered_in reads one key's facts)."""
    su = schema.session_users
    n, avg = conn.execute(select(func.count(), func.avg(su.c.progress_pct))
                          .where(su.c.registered == 1, su.c.session_id.in_(running),
                                 visible_users_probe(scope, su.c.user_id))).one()
    return int(n or 0), avg


def learners_by_recency(conn, scope: Scope, now: datetime) -> list[dict]:
    """Current learners per days-since-last-login bucket, in chart order (recency.bucket_expr's limits: a bucket
    holds the learners whose last login is after its highest day's limit and not after the previous one's)."""
    now_s = int(now.timestamp())
    highs = [hi for _label, _lo, hi in recency.BUCKETS if hi is not None]
    total, never, since = scope_counts.learners_since(conn, scope, [now_s - (hi + 1) * DAY_S + 1 for hi in highs])
    tops = [0, *since, total - never]
    counts = [tops[i + 1] - tops[i] for i in range(len(recency.BUCKETS))] + [never]
    return [{"bucket": label, "learners": n} for label, n in zip(recency.LABELS, counts, strict=True)]
