"""Groups (metrics.md, "Group statistics"): the group tree of the viewer's scope and one group's statistics:
ongoing sessions per month, blended learning, attendance / completion / success rates over the last 12 months,
the sessions table and, per session, the group's learners and their blocks.

Everything reads the facts kept at import (schema.group_sessions: per group and session, the sums over the
group's learners currently registered; schema.group_counts), so the platform group (every session) costs
the same few milliseconds as a team. A group the viewer may open (data_access.scope.visible_groups) holds
only users they see (its subtree is inside theirs), so its numbers are the same for every viewer who may
open it; a group they may not open raises LookupError, exactly as a missing one.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, func, select

from data_access import grid_filters, schema
from data_access.queries import sessions as session_queries
from data_access.scope import Scope, require_group, visible_groups

DAY = 86_400
YEAR_S = 365 * DAY  # "last 12 months" = in progress at some time in the 365 days before now
MONTHS = 12


def _counts(g):
    gc = schema.group_counts
    return (func.coalesce(gc.c.members, 0).label("members"), func.coalesce(gc.c.learners, 0).label("learners"),
            func.coalesce(gc.c.sessions, 0).label("sessions")), g.outerjoin(gc, gc.c.group_id == g.c.group_id)


def group_tree(conn, scope: Scope, now: datetime) -> list[dict]:
    """Every group the viewer may open, by name: id, name, parent (None at the top of what they see), level,
    current members (any role) and learners of its subtree, and its sessions (catalog + assigned)."""
    g = schema.groups
    counts, source = _counts(g)
    rows = conn.execute(select(g.c.group_id, g.c.name, g.c.parent_id, g.c.level, *counts).select_from(source)
                        .where(visible_groups(scope, g.c.group_id)).order_by(g.c.name, g.c.group_id)).all()
    seen = {r.group_id for r in rows}
    return [{"group_id": r.group_id, "name": r.name, "parent_id": r.parent_id if r.parent_id in seen else None,
             "level": int(r.level or 0), "members": int(r.members), "learners": int(r.learners),
             "sessions": int(r.sessions)} for r in rows]


def group_info(conn, scope: Scope, now: datetime, group_id: str) -> dict:
    """One group: name, level, counts, its path from the highest group the viewer may open (breadcrumbs) and
    its direct sub-groups; LookupError when it does not exist or the viewer may not open it."""
    require_group(conn, scope, group_id)
    g, gc = schema.groups, schema.group_closure
    counts, source = _counts(g)
    row = conn.execute(select(g.c.group_id, g.c.name, g.c.level, *counts).select_from(source)
                       .where(g.c.group_id == group_id)).one()
    path = conn.execute(select(g.c.group_id, g.c.name).join(gc, gc.c.ancestor_id == g.c.group_id)
                        .where(gc.c.descendant_id == group_id, gc.c.depth > 0, visible_groups(scope, g.c.group_id))
                        .order_by(gc.c.depth.desc())).all()
    children = conn.execute(select(g.c.group_id, g.c.name, *counts).select_from(source)
                            .where(g.c.parent_id == group_id).order_by(g.c.name, g.c.group_id)).all()
    return {"group_id": row.group_id, "name": row.name, "level": int(row.level or 0), "members": int(row.members),
            "learners": int(row.learners), "sessions": int(row.sessions),
            "path": [{"group_id": p.group_id, "name": p.name} for p in path],
            "children": [{"group_id": c.group_id, "name": c.name, "members": int(c.members),
                          "learners": int(c.learners), "sessions": int(c.sessions)} for c in children]}


def month_starts(now: datetime, tz: str) -> list[datetime]:
    """The starts of the 12 calendar months ending with the current one, and of the month after, in tz."""
    local = now.astimezone(ZoneInfo(tz))
    index = local.year * 12 + local.month - 1 - (MONTHS - 1)
    return [datetime(i // 12, i % 12 + 1, 1, tzinfo=local.tzinfo) for i in range(index, index + MONTHS + 1)]


def _pct(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def group_statistics(conn, scope: Scope, now: datetime, group_id: str, tz: str = "UTC") -> dict:
    """Ongoing sessions per month (12 calendar months in tz), blended learning and the three rates over the
    last 12 months, in one pass over the group's sessions."""
    require_group(conn, scope, group_id)
    gs, s, b = schema.group_sessions, schema.sessions, schema.blocks
    now_s = int(now.timestamp())
    bounds = [int(m.timestamp()) for m in month_starts(now, tz)]
    last12 = and_(s.c.start_at <= now_s, s.c.end_at > now_s - YEAR_S)
    blended = s.c.session_id.in_(select(b.c.session_id).where(b.c.kind == "classroom"))

    def count_if(cond, value=1):
        return func.coalesce(func.sum(case((cond, value), else_=0)), 0)

    months = [count_if(and_(s.c.start_at < hi, s.c.end_at > lo)) for lo, hi in zip(bounds, bounds[1:], strict=False)]
    row = conn.execute(
        select(func.count(), count_if(last12), count_if(and_(last12, blended)), count_if(last12, gs.c.learners),
               count_if(last12, gs.c.started), count_if(last12, gs.c.completed), count_if(last12, gs.c.verified),
               *months)
        .select_from(gs).join(s, s.c.session_id == gs.c.session_id).where(gs.c.group_id == group_id)).one()
    total, n12, n_blended, pairs, started, completed, verified = (int(v) for v in row[:7])
    starts = month_starts(now, tz)[:MONTHS]
    return {
        "sessions": total,
        "months": [{"month": m.strftime("%Y-%m"), "label": m.strftime("%b %Y"), "sessions": int(n)}
                   for m, n in zip(starts, row[7:], strict=True)],
        "sessions_12": n12, "blended": n_blended, "online": n12 - n_blended,
        "pairs": pairs, "started": started, "completed": completed, "verified": verified,
        "attendance_pct": _pct(started, pairs), "completion_pct": _pct(completed, pairs),
        "success_pct": _pct(verified, pairs),
    }


def _sessions_select(group_id: str, session_id: str | None = None):
    """The group's sessions (or one of them) with the table's columns, as a fenced subquery (paged for the screen,
    whole for the CSV): Learners, Attendance (how many of them started), Progress (mean progress of the learners),
    Score (mean session score of those who have one)."""
    gs, s = schema.group_sessions, schema.sessions
    one = [] if session_id is None else [gs.c.session_id == session_id]
    return grid_filters.fenced(
        select(s.c.session_id, s.c.name, s.c.start_at, s.c.end_at, gs.c.learners, gs.c.started.label("attendance"),
               case((gs.c.learners > 0, gs.c.progress_sum / gs.c.learners)).label("progress"),
               case((gs.c.scored > 0, gs.c.score_sum / gs.c.scored)).label("score"))
        .join(s, s.c.session_id == gs.c.session_id).where(gs.c.group_id == group_id, *one))


def _default_order(q) -> list:
    """Most recent start first (metrics.md), then name and id so equal starts keep one order everywhere."""
    return [q.c.start_at.desc().nulls_last(), q.c.name, q.c.session_id]


def _session_row(r) -> dict:
    return {"session_id": r["session_id"], "name": r["name"], "start_at": r["start_at"], "end_at": r["end_at"],
            "learners": int(r["learners"]), "attendance": int(r["attendance"]),
            "progress": None if r["progress"] is None else float(r["progress"]),
            "score": None if r["score"] is None else float(r["score"])}


SESSION_NULLS_LOW = {"progress", "score"}


def sessions_page(conn, scope: Scope, now: datetime, group_id: str, sort_model: list | None = None,
                  filter_model: dict | None = None, start: int = 0, end: int = 100) -> dict:
    """A block of the group's sessions table, sorted and filtered in SQL (the platform group lists every
    session of the platform)."""
    require_group(conn, scope, group_id)
    q = _sessions_select(group_id)
    columns = {"name": q.c.name, "start": q.c.start_at, "end": q.c.end_at, "learners": q.c.learners,
               "attendance": q.c.attendance, "progress": q.c.progress, "score": q.c.score}
    rows, total = grid_filters.fetch_page(conn, q, columns, sort_model, filter_model, start, end,
                                          _default_order(q), SESSION_NULLS_LOW)
    return {"total": total, "rows": [_session_row(r) for r in rows]}


def sessions_rows(conn, scope: Scope, now: datetime, group_id: str) -> list[dict]:
    """Every line of the group's sessions table in its order (the group-sessions CSV)."""
    require_group(conn, scope, group_id)
    q = _sessions_select(group_id)
    return [_session_row(r) for r in conn.execute(select(q).order_by(*_default_order(q))).mappings()]


def group_session(conn, scope: Scope, now: datetime, group_id: str, session_id: str) -> dict:
    """One line of the group's sessions table; LookupError unless the session is one of the group's."""
    require_group(conn, scope, group_id)
    row = conn.execute(select(_sessions_select(group_id, session_id))).mappings().first()  # its key, not all of them
    if row is None:
        raise LookupError(f"no program session {session_id!r} in group {group_id!r}")
    return _session_row(row)


def _learner_of(group_id: str):
    """A condition on a user id column: the user has role learner in a group of G's subtree (deleted users
    included: history). Correlated on the memberships key, so the platform group does not list 100k ids."""
    m, gc = schema.memberships, schema.group_closure

    def condition(user_col):  # a join, not IN (closure): SQLite re-ran the IN list per row (1.2 s vs 34 ms at 9k)
        return exists(select(m.c.user_id).join(gc, gc.c.descendant_id == m.c.group_id)
                      .where(m.c.user_id == user_col, m.c.role == "learner", gc.c.ancestor_id == group_id))

    return condition


def session_learners_page(conn, scope: Scope, now: datetime, group_id: str, session_id: str,
                          sort_model: list | None = None, filter_model: dict | None = None, start: int = 0,
                          end: int = 100) -> dict:
    """The group's learners currently registered in one of its sessions (the line's Learners), with the
    session page's Individual results columns; sorted, filtered and paged in SQL."""
    group_session(conn, scope, now, group_id, session_id)
    q = session_queries.individual_select(scope, session_id, registered_if=_learner_of(group_id))
    return session_queries.people_page(conn, q, sort_model, filter_model, start, end)


def learner_blocks(conn, scope: Scope, now: datetime, group_id: str, session_id: str, user_id: str) -> dict:
    """A learner of the group in one of its sessions with their results per block (the session page's
    dialog). Access is checked here in group terms: the session may be one the group reaches only through
    an enrollment's group_id."""
    group_session(conn, scope, now, group_id, session_id)
    su = schema.session_users
    found = conn.execute(select(su.c.user_id).where(su.c.session_id == session_id, su.c.user_id == user_id,
                                                    su.c.registered == 1, _learner_of(group_id)(su.c.user_id))).first()
    if found is None:
        raise LookupError(f"no learner {user_id!r} of group {group_id!r} in session {session_id!r}")
    return session_queries.blocks_of_learner(conn, scope, session_id, user_id)
