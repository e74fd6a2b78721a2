"""Participants (metrics.md, "Participants"): a cohort's activity by days since last login, the learners
behind each bar, topics due and completed, and the cohort's colour limits.

Cohort = a program session; participants = its users with a current registration (status registered,
not unassigned) who are not deleted (deleted users are never "current"). Every function takes the
viewer's scope and now; a session the viewer may not see raises LookupError.
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import Float, Numeric, and_, case, cast, func, insert, null, select, update

from data_access import (
    cohort_defaults,
    cohort_keys,
    grid_filters,
    program_session_state,
    recency,
    schema,
)
from data_access.queries import at_risk, cohort_choices
from data_access.scope import PLATFORM, Scope, require_session, session_users_probe, visible_sessions

DEFAULT_GREEN, DEFAULT_YELLOW = cohort_defaults.GREEN, cohort_defaults.YELLOW
MAX_LIMIT = 3650
WEEK_S = 7 * recency.DAY_S

RUNNING, UPCOMING, FINISHED = (program_session_state.RUNNING, program_session_state.UPCOMING,
                               program_session_state.FINISHED)


def _picker_order(s, now_s: int) -> list:
    """Running (most recently started first), upcoming (soonest first), finished (most recently ended first)."""
    upcoming, finished = s.c.start_at > now_s, s.c.end_at <= now_s
    return [case((upcoming, 1), (finished, 2), else_=0),
            case((upcoming, s.c.start_at), (finished, -s.c.end_at), else_=-s.c.start_at), s.c.name, s.c.session_id]


def cohorts(conn, scope: Scope, now: datetime, search: str | None = None, keep=(), limit: int | None = None
            ) -> list[dict]:
    """Cohorts for the picker: running (most recently started first), upcoming (soonest first), finished
    (most recently ended first); with `limit`, only the first `limit` of them whose name or id holds `search`, and
    the cohorts of `keep` (cohort_choices.choose). The viewer's sessions come from the group facts
    (scope.visible_sessions, read from the group facts), as on the Sessions list."""
    s = schema.sessions
    now_s = int(now.timestamp())
    stmt = select(s.c.session_id, s.c.name, s.c.start_at, s.c.end_at).where(visible_sessions(scope, s))
    return [{"session_id": r.session_id, "name": r.name, "start_at": r.start_at, "end_at": r.end_at,
             "state": program_session_state.state_of(r.start_at, r.end_at, now_s)}
            for r in cohort_choices.choose(conn, stmt, _picker_order(s, now_s), search, keep, limit)]


def default_cohort(cohort_list: list[dict]) -> str | None:
    """The most recently started running cohort; else the most recently finished; else the next upcoming."""
    for state in (RUNNING, FINISHED, UPCOMING):
        for c in cohort_list:
            if c["state"] == state:
                return c["session_id"]
    return None


def default_cohort_id(conn, scope: Scope, now: datetime) -> str | None:
    """default_cohort of every cohort the viewer sees, read in SQL (one row)."""
    s = schema.sessions
    now_s = int(now.timestamp())
    upcoming, finished = s.c.start_at > now_s, s.c.end_at <= now_s
    order = _picker_order(s, now_s)
    return conn.execute(select(s.c.session_id).where(visible_sessions(scope, s))
                        .order_by(case((upcoming, 2), (finished, 1), else_=0), *order[1:]).limit(1)).scalar()


def topics_due(conn, session_id: str, now: datetime) -> int:
    b = schema.blocks
    return int(conn.execute(select(func.count()).where(b.c.session_id == session_id,
                                                       b.c.due_at <= int(now.timestamp()))).scalar_one())


def _participants(conn, scope: Scope, now: datetime, session_id: str, due: int, named: bool = True):
    """One row per participant: names, email, last login, days since, bucket, completed topics that are due,
    progress (completed / due x 100; NULL when nothing is due). Read from the facts kept at import: at_risk_facts
    (the participants with their names, last login and the completion of the due-dated topics in due order, so the
    topics due by now are the first `due` flags), and for a viewer of one kept scope key the key's rows of the
    session (scope_participants); any other viewer's participants are probed one by one. named: with the names and
    emails (else NULL: only counted)."""
    f = schema.at_risk_facts
    key = cohort_keys.for_session(conn, scope, session_id)
    if key is None or key == PLATFORM:
        source, people = f, [f.c.session_id == session_id]
        if key is None:
            people.append(session_users_probe(scope, f.c.session_id, f.c.user_id))
        user, last, flags = f.c.user_id, f.c.last_login_at, f.c.due_flags
    else:
        sp = schema.scope_participants
        source = sp.outerjoin(f, and_(f.c.session_id == sp.c.session_id, f.c.user_id == sp.c.user_id)) if named else sp
        people = [sp.c.group_id == key, sp.c.session_id == session_id]
        user, last, flags = sp.c.user_id, sp.c.last_login_at, sp.c.due_flags
    now_s = int(now.timestamp())
    n_done = func.length(func.replace(func.substr(flags, 1, due), "0", ""))
    days = case((last.is_(None), None), (last >= now_s, 0), else_=(now_s - last) // recency.DAY_S)
    progress = cast(null(), Float) if not due else n_done * 100.0 / due
    names = [f.c.first_name, f.c.last_name, f.c.email] if named or source is f else \
        [null().label(n) for n in ("first_name", "last_name", "email")]
    return (select(user.label("user_id"), *names, last.label("last_login_at"),
                   days.label("days_since"), recency.bucket_expr(last, now).label("bucket"), n_done.label("done"),
                   progress.label("progress_pct"))
            .select_from(source).where(*people))


def activity(conn, scope: Scope, now: datetime, session_id: str) -> dict:
    """The chart and the summary line: participants per bucket (chart order), active in the last 7 days
    (a login within 7 x 24 h before now), never logged in, behind schedule (completed < due)."""
    require_session(conn, scope, session_id)
    due = topics_due(conn, session_id, now)
    p = _participants(conn, scope, now, session_id, due, named=False).subquery()
    now_s = int(now.timestamp())
    rows = conn.execute(select(
        p.c.bucket, func.count(),
        func.sum(case((p.c.last_login_at >= now_s - WEEK_S, 1), else_=0)),
        func.sum(case((p.c.done < due, 1), else_=0)),
    ).group_by(p.c.bucket)).all()
    by_bucket = {r[0]: r for r in rows}
    buckets = [{"bucket": label, "learners": int(by_bucket[label][1]) if label in by_bucket else 0}
               for label in recency.LABELS]
    return {
        "buckets": buckets,
        "participants": sum(b["learners"] for b in buckets),
        "active_7d": sum(int(r[2] or 0) for r in rows),
        "never": buckets[-1]["learners"],
        "behind": sum(int(r[3] or 0) for r in rows),
        "topics_due": due,
    }


def participants(conn, scope: Scope, now: datetime, session_id: str, buckets: list[str] | None = None) -> list[dict]:
    """The participants of the given buckets (all without), by last name, first name, email: the table under
    the chart, the participant-activity CSV and (with topics) the cohort progress CSV."""
    require_session(conn, scope, session_id)
    due = topics_due(conn, session_id, now)
    q = _participants(conn, scope, now, session_id, due).subquery()
    stmt = select(q).order_by(q.c.last_name, q.c.first_name, q.c.email, q.c.user_id)
    if buckets is not None:
        stmt = stmt.where(q.c.bucket.in_([recency.normalise_label(b) for b in buckets]))
    out = []
    for r in conn.execute(stmt):
        done = int(r.done)
        out.append({
            "user_id": r.user_id, "first_name": r.first_name, "last_name": r.last_name, "email": r.email,
            "last_login_at": r.last_login_at, "days_since": recency.days_since(r.last_login_at, now),
            "bucket": r.bucket, "topics_due": due, "topics_completed": done,
            "progress_pct": (100.0 * done / due) if due else None,
        })
    return out


GRID_SORT_NULLS_LOW = {"last_login", "progress"}  # never logged in = oldest login; nothing due = lowest


def _grid_columns(q) -> dict:
    """The Participants table's column ids (layouts.participants.COLUMNS) as SQL expressions."""
    return {"first_name": q.c.first_name, "last_name": q.c.last_name, "email": q.c.email,
            "last_login": q.c.last_login_at, "days_since": q.c.days_since,
            "progress": func.round(cast(q.c.progress_pct, Numeric), 1)}


def _grid_source(conn, scope, now, session_id, buckets):
    """The buckets' participants as a subquery, with the table's columns as SQL expressions."""
    require_session(conn, scope, session_id)
    p = _participants(conn, scope, now, session_id, topics_due(conn, session_id, now)).subquery()
    q = grid_filters.fenced(select(p).where(p.c.bucket.in_([recency.normalise_label(b) for b in buckets])))
    return q, _grid_columns(q), [q.c.last_name, q.c.first_name, q.c.email, q.c.user_id]


def participants_page(conn, scope: Scope, now: datetime, session_id: str, buckets: list[str],
                      sort_model: list | None = None, filter_model: dict | None = None,
                      start: int = 0, end: int = 100) -> dict:
    """One block of the table under the chart (AG Grid infinite row model): rows start..end of the given
    buckets' participants, sorted and filtered in SQL, and how many rows match in all."""
    q, columns, tiebreak = _grid_source(conn, scope, now, session_id, buckets)
    rows, total = grid_filters.fetch_page(conn, q, columns, sort_model, filter_model, start, end, tiebreak,
                                          GRID_SORT_NULLS_LOW)
    out = [{"user_id": r["user_id"], "first_name": r["first_name"], "last_name": r["last_name"],
            "email": r["email"], "last_login_at": r["last_login_at"],
            "days_since": None if r["days_since"] is None else int(r["days_since"]),
            "progress_pct": None if r["progress_pct"] is None else float(r["progress_pct"])} for r in rows]
    reasons = at_risk.reasons_for(conn, scope, now, session_id, [r["user_id"] for r in out])
    for r in out:
        r["reasons"] = reasons.get(r["user_id"], [])
    return {"rows": out, "total": total}


def participant_emails(conn, scope: Scope, now: datetime, session_id: str, buckets: list[str],
                       sort_model: list | None = None, filter_model: dict | None = None) -> list[str]:
    """Emails of every row the table lists (same buckets, filters and order), for "Copy emails"."""
    q, columns, tiebreak = _grid_source(conn, scope, now, session_id, buckets)
    stmt = (select(q.c.email).where(*grid_filters.where(columns, filter_model))
            .order_by(*grid_filters.order_by(columns, sort_model, GRID_SORT_NULLS_LOW), *tiebreak))
    return list(conn.execute(stmt).scalars())


def cohort_limits(conn, scope: Scope, now: datetime, session_id: str) -> dict:
    """The cohort's green and yellow limits in days (defaults 7 and 14 until someone changes them)."""
    require_session(conn, scope, session_id)
    return stored_limits(conn, scope, now, session_id)


def stored_limits(conn, scope: Scope, now: datetime, session_id: str) -> dict:
    """cohort_limits without the viewer check (one primary-key read): for a caller that has just checked the
    session through a cached query, so no scoped query runs uncached on every call."""
    cs = schema.cohort_settings
    row = conn.execute(select(cs.c.green_limit, cs.c.yellow_limit).where(cs.c.session_id == session_id)).first()
    if row is None:
        return {"green": DEFAULT_GREEN, "yellow": DEFAULT_YELLOW}
    return {"green": int(row.green_limit), "yellow": int(row.yellow_limit)}


def validate_limits(green, yellow) -> str | None:
    """None when the pair is usable, else the reason shown next to the inputs."""
    if green is None or yellow is None:
        return "Enter both limits in whole days."
    for value in (green, yellow):
        # only numbers (not True, "3", [1]); NaN, Infinity and 1e400 (read as Infinity) are not whole days
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
                or int(value) != value:
            return "Limits are whole days."
    if not 0 <= green <= MAX_LIMIT or not 0 <= yellow <= MAX_LIMIT:
        return f"Limits are between 0 and {MAX_LIMIT} days."
    if yellow < green:
        return "The yellow limit cannot be below the green limit."
    return None


def save_cohort_limits(conn, scope: Scope, now: datetime, session_id: str, green: int, yellow: int) -> dict:
    """Store the cohort's limits (kept for every viewer of the cohort); ValueError when they are not usable."""
    require_session(conn, scope, session_id)
    problem = validate_limits(green, yellow)
    if problem:
        raise ValueError(problem)
    cs = schema.cohort_settings
    values = {"green_limit": int(green), "yellow_limit": int(yellow), "updated_at": int(now.timestamp())}
    done = conn.execute(update(cs).where(cs.c.session_id == session_id).values(**values))
    if done.rowcount == 0:
        conn.execute(insert(cs).values(session_id=session_id, **values))
    return {"green": int(green), "yellow": int(yellow)}
