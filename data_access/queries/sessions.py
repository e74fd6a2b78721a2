"""Program sessions (metrics.md, "Program sessions"): the sessions table, one session's General section,
results by group and individual results. Reads the derived facts session_users and block_results.

Registered users = enrollments registered and not unassigned (deleted users included: registrations are
the session's history); users of any enrollment = every enrollment row of the session.
"""

from __future__ import annotations

import statistics
from datetime import datetime

from sqlalchemy import and_, case, false, func, or_, select

from data_access import cohort_keys, grid_filters, program_session_state, schema
from data_access.queries import session_people
from data_access.scope import (
    Scope,
    one_session_users_probe,
    require_program,
    require_session,
    session_users_condition,
    session_users_probe,
    visible_sessions,
)

IN_PROGRESS, FINISHED, ALL = "in-progress", "finished", "all"
LEVEL_BANDS = ["0–20", "20–40", "40–60", "60–80", "80–100"]


# the Sessions table's wording of a session's state
STATE_LABEL = {program_session_state.RUNNING: "in progress", program_session_state.UPCOMING: "upcoming",
               program_session_state.FINISHED: "finished"}


def _status_condition(status: str, now_s: int):
    s = schema.sessions
    if status == IN_PROGRESS:
        return program_session_state.running(s, now_s)
    if status == FINISHED:
        return program_session_state.finished(s, now_s)
    if status == ALL:
        return None
    raise ValueError(f"unknown status {status!r} (expected in-progress, finished or all)")


def _complete(su):
    """A session user with every block completed (progress 100): the Sessions table's Completion."""
    return and_(su.c.blocks_total > 0, su.c.blocks_completed == su.c.blocks_total)


def _counts(scope: Scope, sessions: list[str] | None = None, detail: bool = False):
    """Per session: registered users and completions among the users the viewer sees, over every session (the
    viewer's users, scope.session_users_condition), or only the listed sessions (read along the key); with
    detail, also how many started and the sum and count of their session scores."""
    su = schema.session_users
    seen = session_users_condition(scope, su.c.session_id, su.c.user_id) if sessions is None \
        else _seen_in(scope, sessions)
    started = su.c.started == 1
    more = [func.sum(su.c.started).label("started"),
            func.sum(case((started, su.c.score_pct))).label("score_sum"),
            func.count(case((started, su.c.score_pct))).label("scored")] if detail else []
    return (select(su.c.session_id, func.sum(su.c.registered).label("registered"),
                   func.sum(case((_complete(su), 1), else_=0)).label("completed"), *more)
            .where(seen).group_by(su.c.session_id))


def _seen_in(scope: Scope, sessions: list[str]):
    """scope.session_users_probe for the users of the listed sessions, written so each session is a range of the key:
    a session the viewer instructs needs no probe (every user of it is seen), one IN list per kind of session."""
    su = schema.session_users
    taught = set(scope.instructor_sessions)
    mine, others = [i for i in sessions if i in taught], [i for i in sessions if i not in taught]
    parts = [su.c.session_id.in_(mine)] if mine else []
    if others:
        parts.append(and_(su.c.session_id.in_(others), session_users_probe(scope, su.c.session_id, su.c.user_id)))
    return or_(*parts) if parts else false()


def _with_counts(conn, scope: Scope, rows: list[dict], detail: bool = False) -> list[dict]:
    """The session rows (dicts with a session_id) with their counts (_counts) and instructors, read for them alone."""
    ids = [r["session_id"] for r in rows]
    if not ids:
        return rows
    figures = {r["session_id"]: r for r in conn.execute(_counts(scope, ids, detail)).mappings()}
    instructors = dict(conn.execute(_instructor_counts(ids)).all())
    names = ("registered", "completed", *(("started", "score_sum", "scored") if detail else ()))
    for r in rows:
        f = figures.get(r["session_id"], {})
        r.update({name: f.get(name) or 0 for name in names}, instructors=instructors.get(r["session_id"], 0))
    return rows


def _instructor_counts(sessions=None):
    si = schema.session_instructors
    stmt = select(si.c.session_id, func.count().label("n")).group_by(si.c.session_id)
    return stmt if sessions is None else stmt.where(si.c.session_id.in_(sessions))


def _sessions_select(scope: Scope, now_s: int, status: str, program_id: str | None = None):
    """The sessions the viewer sees with their program template, of one status (and one template). Which sessions
    are read from the group facts (scope.visible_sessions: an index range per managed group), not from every
    enrollment of the viewer's groups, which PostgreSQL could not hash for a division of a million learners (300k
    enrollments) and probed once per session (34 s)."""
    s, p = schema.sessions, schema.programs
    stmt = (select(s.c.session_id, s.c.name, s.c.program_id, p.c.name.label("program"), s.c.start_at, s.c.end_at)
            .join(p, p.c.program_id == s.c.program_id).where(visible_sessions(scope, s)))
    cond = _status_condition(status, now_s)
    if cond is not None:
        stmt = stmt.where(cond)
    return stmt if program_id is None else stmt.where(s.c.program_id == program_id)


def _table_row(r, now_s: int) -> dict:
    return {"session_id": r["session_id"], "name": r["name"], "program_id": r["program_id"], "program": r["program"],
            "start_at": r["start_at"], "end_at": r["end_at"],
            "state": STATE_LABEL[program_session_state.state_of(r["start_at"], r["end_at"], now_s)],
            "registered": int(r["registered"] or 0), "completed": int(r["completed"] or 0),
            "instructors": int(r["instructors"] or 0)}


def sessions_table(conn, scope: Scope, now: datetime, status: str = ALL) -> list[dict]:
    """One line per session: id, name, program template, start, end, registered, completion (users with
    progress 100), instructors (counts); most recent start first."""
    now_s = int(now.timestamp())
    counts, inst = _counts(scope).subquery(), _instructor_counts().subquery()
    base = _sessions_select(scope, now_s, status).subquery()
    stmt = (select(base, counts.c.registered, counts.c.completed, inst.c.n.label("instructors"))
            .outerjoin(counts, counts.c.session_id == base.c.session_id)
            .outerjoin(inst, inst.c.session_id == base.c.session_id)
            .order_by(base.c.start_at.desc(), base.c.name, base.c.session_id))
    return [_table_row(r, now_s) for r in conn.execute(stmt).mappings()]


def _search(words: list[str], columns: list):
    """Each word of a search in one of the columns (the search box of the Sessions list)."""
    return [or_(*[grid_filters.contains(col, word) for col in columns]) for word in words]


COUNTED = ("registered", "completed", "instructors")
MAX_SEARCH_WORDS = 10


def _asked(sort_model, filter_model) -> set[str]:
    """The colIds a grid request sorts or filters on (read_request checked their shape)."""
    sort = {item.get("colId") for item in sort_model or [] if isinstance(item, dict)}
    return sort | set(filter_model if isinstance(filter_model, dict) else {})


def _every_count(conn, scope: Scope):
    """Registered and Completion of every session the viewer sees: read from the cohort facts kept for the viewer's
    scope key (schema.scope_session_kpis: the same two counts over the same users, one row per session) when the
    viewer's users are exactly one kept key's (cohort_keys.for_running: the owner, an instructor who manages no
    group, the admin or coach of one kept group), else counted over session_users (_counts)."""
    key = cohort_keys.for_running(conn, scope)
    if key is None:
        return _counts(scope)
    k = schema.scope_session_kpis
    return select(k.c.session_id, k.c.registrations.label("registered"), k.c.completed).where(k.c.group_id == key)


def _list_source(scope: Scope, now_s: int, status: str, search: str | None, counts=None):
    """The Sessions list as a fenced subquery: the sessions of the status matching the search, with their state
    label; with their counts (`counts`, a select of every session's: _every_count) only when the grid sorts or
    filters on one of them."""
    s = schema.sessions
    state = case((s.c.start_at > now_s, STATE_LABEL[program_session_state.UPCOMING]),
                 (s.c.end_at <= now_s, STATE_LABEL[program_session_state.FINISHED]),
                 else_=STATE_LABEL[program_session_state.RUNNING])
    stmt = _sessions_select(scope, now_s, status).add_columns(state.label("state"))
    words = (search or "").replace("\x00", "").split()[:MAX_SEARCH_WORDS]
    stmt = stmt.where(*_search(words, [schema.programs.c.name, s.c.name, s.c.session_id, state]))
    if counts is not None:
        counts, inst = counts.subquery(), _instructor_counts().subquery()
        stmt = (stmt.add_columns(func.coalesce(counts.c.registered, 0).label("registered"),
                                 func.coalesce(counts.c.completed, 0).label("completed"),
                                 func.coalesce(inst.c.n, 0).label("instructors"))
                .outerjoin(counts, counts.c.session_id == s.c.session_id)
                .outerjoin(inst, inst.c.session_id == s.c.session_id))
    return grid_filters.fenced(stmt)


def sessions_page(conn, scope: Scope, now: datetime, status: str = ALL, search: str | None = None, tz: str = "UTC",
                  sort_model: list | None = None, filter_model: dict | None = None, start: int = 0,
                  end: int = 100) -> dict:
    """A block of the Sessions list (sessions_table's lines), sorted, filtered and paged in SQL; most recent start
    first unless the grid sorts. `search`: each of its words in the template, name, id or status; date filters
    count days in tz. Registered, Completion and Instructors are counted for the block's sessions only, unless
    the grid sorts or filters on one of them (then for every session the viewer sees)."""
    now_s = int(now.timestamp())
    counted = bool(_asked(sort_model, filter_model) & set(COUNTED))
    q = _list_source(scope, now_s, status, search, _every_count(conn, scope) if counted else None)
    columns = {"program": q.c.program, "name": q.c.name, "session_id": q.c.session_id, "start": q.c.start_at,
               "end": q.c.end_at, "state": q.c.state, **({c: q.c[c] for c in COUNTED} if counted else {})}
    rows, total = grid_filters.fetch_page(conn, q, columns, sort_model, filter_model, start, end,
                                          [q.c.start_at.desc(), q.c.name, q.c.session_id], tz=tz)
    rows = [dict(r) for r in rows]
    if not counted:
        _with_counts(conn, scope, rows)
    return {"total": total, "rows": [_table_row(r, now_s) for r in rows]}


def session_info(conn, scope: Scope, now: datetime, session_id: str) -> dict:
    """The session's own facts (name, program, dates, instructors); LookupError when not visible."""
    s, p, u, si = schema.sessions, schema.programs, schema.users, schema.session_instructors
    require_session(conn, scope, session_id)
    row = conn.execute(select(s, p.c.name.label("program")).join(p, p.c.program_id == s.c.program_id)
                       .where(s.c.session_id == session_id)).mappings().one()
    instructors = conn.execute(select(u.c.first_name, u.c.last_name).join(si, si.c.user_id == u.c.user_id)
                               .where(si.c.session_id == session_id).order_by(u.c.last_name, u.c.first_name)).all()
    b = schema.blocks
    blocks = conn.execute(select(b.c.block_id, b.c.position, b.c.kind, b.c.title)
                          .where(b.c.session_id == session_id).order_by(b.c.position)).mappings().all()
    state = STATE_LABEL[program_session_state.state_of(row["start_at"], row["end_at"], int(now.timestamp()))]
    return {"session_id": session_id, "name": row["name"], "program_id": row["program_id"],
            "program": row["program"], "start_at": row["start_at"], "end_at": row["end_at"], "state": state,
            "instructors": [f"{i.first_name} {i.last_name}" for i in instructors],
            "blocks": [dict(blk) for blk in blocks]}


def general(conn, scope: Scope, now: datetime, session_id: str) -> dict:
    """The General section: KPIs, progress by course, score by block, distribution of levels. A viewer of one kept
    scope key (cohort_keys: the owner, the session's instructors, the coach or admin of one group) reads the key's
    counts kept at import (scope_session_kpis, scope_session_blocks); any other viewer's are counted user by user."""
    require_session(conn, scope, session_id)
    key = cohort_keys.for_session(conn, scope, session_id)
    counts, per_block = _counted_general(conn, scope, session_id) if key is None else \
        _kept_general(conn, key, session_id)
    registered = counts["registrations"]
    b = schema.blocks
    blocks = []
    for blk in conn.execute(select(b.c.block_id, b.c.position, b.c.kind, b.c.title)
                            .where(b.c.session_id == session_id).order_by(b.c.position)):
        r = per_block.get(blk.block_id)
        blocks.append({"block_id": blk.block_id, "position": blk.position, "kind": blk.kind, "title": blk.title,
                       "completed": r[0] if r else 0,
                       "completed_pct": (100.0 * r[0] / registered) if r and registered else (
                           0.0 if registered else None),
                       "score": r[1] if r else None})
    return {**counts, "blocks": blocks}


def _kept_general(conn, key: str, session_id: str) -> tuple[dict, dict]:
    """The General section's counts and {block id: (completed by registered users, mean score or None)} of the
    users of a kept scope key, from the facts (no row: nobody of the key in the session)."""
    k, kb = schema.scope_session_kpis, schema.scope_session_blocks
    row = conn.execute(select(k).where(k.c.group_id == key, k.c.session_id == session_id)).mappings().first()
    row = row or {"registrations": 0, "open_registrations": 0, "waiting_list": 0, "attendees": 0, "completed": 0,
                  "score_sum": None, "scored": 0, "certificates": 0, "time_lo": None, "time_hi": None,
                  **{f"level{i}": 0 for i in range(len(LEVEL_BANDS))}}
    done = int(row["completed"])
    median = None if not done else int(row["time_lo"]) if done % 2 else (int(row["time_lo"]) + int(row["time_hi"])) / 2
    counts = {
        "registrations": int(row["registrations"]), "open_registrations": int(row["open_registrations"]),
        "waiting_list": int(row["waiting_list"]), "attendees": int(row["attendees"]), "completed": done,
        "median_time_s": median,
        "average_score": float(row["score_sum"]) / int(row["scored"]) if row["scored"] else None,
        "certificates": int(row["certificates"]),
        "levels": [{"band": band, "learners": int(row[f"level{i}"])} for i, band in enumerate(LEVEL_BANDS)]}
    per_block = {r.block_id: (int(r.completed), float(r.score_sum) / int(r.scored) if r.scored else None)
                 for r in conn.execute(select(kb.c.block_id, kb.c.completed, kb.c.score_sum, kb.c.scored)
                                       .where(kb.c.group_id == key, kb.c.session_id == session_id))}
    return counts, per_block


def _counted_general(conn, scope: Scope, session_id: str) -> tuple[dict, dict]:
    """_kept_general counted over the session's users the viewer sees, each probed (scope.session_users_probe)."""
    e, su, br = schema.enrollments, schema.session_users, schema.block_results
    in_scope = session_users_probe(scope, su.c.session_id, su.c.user_id)
    enr = conn.execute(select(
        func.sum(case((and_(e.c.status == "registered", e.c.unassigned_at.is_(None)), 1), else_=0)),
        func.sum(case((and_(e.c.status == "registered", e.c.unassigned_at.is_(None), e.c.source == "catalog"), 1),
                      else_=0)),
        func.sum(case((and_(e.c.status == "waiting_list", e.c.unassigned_at.is_(None)), 1), else_=0)),
    ).where(e.c.session_id == session_id, session_users_probe(scope, e.c.session_id, e.c.user_id))).one()
    complete = and_(su.c.blocks_total > 0, su.c.blocks_completed == su.c.blocks_total)
    scored = and_(su.c.started == 1, su.c.score_pct.is_not(None))
    # the attendees' level bands counted with the other figures (one statement, one scope check): level_band in SQL
    band = case(*[(su.c.score_pct < 20 * (i + 1), i) for i in range(len(LEVEL_BANDS) - 1)],
                else_=len(LEVEL_BANDS) - 1)
    att = conn.execute(select(
        func.sum(su.c.started), func.sum(case((complete, 1), else_=0)),
        func.avg(case((su.c.started == 1, su.c.score_pct))),
        *[func.sum(case((and_(scored, band == i), 1), else_=0)) for i in range(len(LEVEL_BANDS))],
    ).where(su.c.session_id == session_id, in_scope)).one()
    times = conn.execute(select(su.c.time_spent_s).where(su.c.session_id == session_id, complete, in_scope)).scalars()
    times = [int(t) for t in times]
    certificates = conn.execute(select(func.count()).select_from(schema.certificates)
                                .where(schema.certificates.c.session_id == session_id,
                                       session_users_probe(scope, schema.certificates.c.session_id,
                                                           schema.certificates.c.user_id))).scalar_one()
    # per block: completions among registered users, mean block score over users who have one
    registered_user = and_(su.c.session_id == br.c.session_id, su.c.user_id == br.c.user_id)
    per_block = {r.block_id: (int(r.done), None if r.score is None else float(r.score)) for r in conn.execute(
        select(br.c.block_id,
               func.sum(case((and_(br.c.completed == 1, su.c.registered == 1), 1), else_=0)).label("done"),
               func.avg(br.c.score_pct).label("score"))
        .select_from(br.outerjoin(su, registered_user))
        .where(br.c.session_id == session_id, session_users_probe(scope, br.c.session_id, br.c.user_id))
        .group_by(br.c.block_id))}
    counts = {
        "registrations": int(enr[0] or 0), "open_registrations": int(enr[1] or 0), "waiting_list": int(enr[2] or 0),
        "attendees": int(att[0] or 0), "completed": int(att[1] or 0),
        "median_time_s": statistics.median(times) if times else None,
        "average_score": None if att[2] is None else float(att[2]),
        "certificates": int(certificates),
        "levels": [{"band": band, "learners": int(n or 0)} for band, n in zip(LEVEL_BANDS, att[3:], strict=True)],
    }
    return counts, per_block


def level_band(score: float) -> int:
    """Index of the 20% band of a score: [0,20), [20,40), [40,60), [60,80), [80,100]."""
    return min(4, max(0, int(score // 20)))


def _group_figures(g, users, started, progress, score):
    """The results-by-group columns over per-group counts and means."""
    attendance = case((users > 0, 100.0 * started / users))
    return select(g.c.group_id, g.c.name.label("group"), g.c.level, users.label("users"),
                  attendance.label("attendance_pct"), progress.label("progress"), score.label("score"))


def _kept_groups(session_id: str):
    """Results by group from the facts kept at import (schema.session_groups): every registered user counted."""
    sg, g = schema.session_groups, schema.groups
    progress = case((sg.c.started > 0, sg.c.progress_sum / sg.c.started))
    score = case((sg.c.scored > 0, sg.c.score_sum / sg.c.scored))
    return grid_filters.fenced(_group_figures(g, sg.c.users, sg.c.started, progress, score)
                               .select_from(sg.join(g, g.c.group_id == sg.c.group_id))
                               .where(sg.c.session_id == session_id))


def _counted_groups(scope: Scope, session_id: str):
    """Results by group counted over the registered users of the session this viewer sees (each once per group:
    a member with two roles in a group is one pair). Those users are read first (fenced) with their figures, then
    their memberships: PostgreSQL otherwise joined every membership of the platform with the viewer's people
    before narrowing to the session (a coach of 50,000 people: 576 ms instead of 66 ms at 1M learners)."""
    su, m, g = schema.session_users, schema.memberships, schema.groups
    seen = grid_filters.fenced(select(su.c.user_id, su.c.started, su.c.progress_pct, su.c.score_pct)
                               .where(su.c.session_id == session_id, su.c.registered == 1,
                                      one_session_users_probe(scope, session_id, su.c.user_id)))
    pairs = (select(m.c.group_id, seen.c.user_id, seen.c.started, seen.c.progress_pct, seen.c.score_pct).distinct()
             .join(m, m.c.user_id == seen.c.user_id)).subquery()
    started = pairs.c.started == 1
    per_group = (select(pairs.c.group_id, func.count().label("users"), func.sum(pairs.c.started).label("started"),
                        func.avg(case((started, pairs.c.progress_pct))).label("progress"),
                        func.avg(case((started, pairs.c.score_pct))).label("score"))
                 .group_by(pairs.c.group_id)).subquery()
    return grid_filters.fenced(_group_figures(g, per_group.c.users, per_group.c.started, per_group.c.progress,
                                              per_group.c.score)
                               .select_from(per_group.join(g, g.c.group_id == per_group.c.group_id)))


def _groups_source(scope: Scope, session_id: str):
    """The owner and the session's instructors see every user of it: their figures are the kept facts."""
    if scope.is_owner or session_id in scope.instructor_sessions:
        return _kept_groups(session_id)
    return _counted_groups(scope, session_id)


def results_by_group_page(conn, scope: Scope, now: datetime, session_id: str, sort_model: list | None = None,
                          filter_model: dict | None = None, start: int = 0, end: int = 100) -> dict:
    """Results by group: one line per group with at least one registered user of the session (that the viewer
    sees) as a direct member, any role; by level, then name unless the grid sorts; filtered and paged in SQL."""
    require_session(conn, scope, session_id)
    q = _groups_source(scope, session_id)
    columns = {"group": q.c.group, "users": q.c.users, "attendance": q.c.attendance_pct, "progress": q.c.progress,
               "score": q.c.score, "level": q.c.level}
    rows, total = grid_filters.fetch_page(conn, q, columns, sort_model, filter_model, start, end,
                                          [q.c.level, q.c.group, q.c.group_id], {"progress", "score"})
    return {"total": total, "rows": [{
        "group_id": r["group_id"], "group": r["group"], "level": int(r["level"] or 0), "users": int(r["users"]),
        "attendance_pct": None if r["attendance_pct"] is None else float(r["attendance_pct"]),
        "progress": None if r["progress"] is None else float(r["progress"]),
        "score": None if r["score"] is None else float(r["score"])} for r in rows]}


def results_by_group(conn, scope: Scope, now: datetime, session_id: str) -> list[dict]:
    """Every line of results_by_group_page, by level then name."""
    return results_by_group_page(conn, scope, now, session_id, end=1_000_000)["rows"]


def group_of_session(conn, scope: Scope, now: datetime, session_id: str, group_id: str) -> str:
    """The name of a group listed in the session's results by group for this viewer; LookupError otherwise."""
    require_session(conn, scope, session_id)
    su, m, g = schema.session_users, schema.memberships, schema.groups
    member = (select(su.c.user_id).join(m, m.c.user_id == su.c.user_id)
              .where(m.c.group_id == group_id, su.c.session_id == session_id, su.c.registered == 1,
                     session_users_probe(scope, su.c.session_id, su.c.user_id)).exists())
    name = conn.execute(select(g.c.name).where(g.c.group_id == group_id, member)).scalar()
    if name is None:
        raise LookupError(f"no group {group_id!r} in session {session_id!r}")
    return name


def individual_select(scope: Scope, session_id: str, group_id: str | None = None, band: int | None = None,
                      user_id: str | None = None, registered_if=None) -> session_people.SessionPeople:
    """The session's users the viewer sees (every enrollment), for people_page; narrowed to one group's registered
    members (any role), one level band's attendees, one user, or the registered users meeting
    registered_if(user id column) (the Groups page: the learners of a group's subtree)."""
    return session_people.SessionPeople(scope, session_id, group_id, band, user_id, registered_if)


def individual_page(conn, scope: Scope, now: datetime, session_id: str, sort_model: list | None = None,
                    filter_model: dict | None = None, start: int = 0, end: int = 100,
                    group_id: str | None = None, band: int | None = None, user_id: str | None = None) -> dict:
    """A block of Individual results (every user of any enrollment), optionally only one group's registered
    learners or one level band's attendees; sorted, filtered and paged in SQL."""
    require_session(conn, scope, session_id)
    return people_page(conn, individual_select(scope, session_id, group_id, band, user_id), sort_model,
                       filter_model, start, end)


def people_page(conn, people: session_people.SessionPeople, sort_model: list | None, filter_model: dict | None,
                start: int, end: int) -> dict:
    """Rows start..end of an individual_select, sorted and filtered as the grid asks (session_people.page), shaped
    for the Individual results table (also the Groups page's learners of a session). The caller checked access."""
    rows, total = session_people.page(conn, people, sort_model, filter_model, start, end)
    return {"total": total, "rows": [{
        "user_id": r["user_id"], "first_name": r["first_name"], "last_name": r["last_name"],
        "registered": bool(r["registered"]), "deleted": r["deleted_at"] is not None,
        "unassigned": r["unassigned_at"] is not None, "waiting_list": r["status"] == "waiting_list",
        "progress": float(r["progress_pct"]), "score": None if r["score_pct"] is None else float(r["score_pct"]),
        "time_spent_s": int(r["time_spent_s"] or 0), "last_activity_at": r["last_activity_at"],
    } for r in rows]}


def learner_blocks(conn, scope: Scope, now: datetime, session_id: str, user_id: str) -> dict:
    """One learner of the session (first and last name) with their per-block status, score, time and
    attempts on every block; LookupError when the viewer may not see them there."""
    require_session(conn, scope, session_id)
    return blocks_of_learner(conn, scope, session_id, user_id)


def blocks_of_learner(conn, scope: Scope, session_id: str, user_id: str) -> dict:
    """learner_blocks once the caller checked the viewer may open the session (the session page, or the
    Groups page for a session of a group); the learner must still be one of the session's users they see."""
    su, u, b, br = schema.session_users, schema.users, schema.blocks, schema.block_results
    person = conn.execute(select(u.c.first_name, u.c.last_name).join(su, su.c.user_id == u.c.user_id).where(
        su.c.session_id == session_id, su.c.user_id == user_id,
        session_users_probe(scope, su.c.session_id, su.c.user_id))).first()
    if person is None:
        raise LookupError(f"no learner {user_id!r} in session {session_id!r}")
    rows = conn.execute(
        select(b.c.block_id, b.c.position, b.c.kind, b.c.title, _block_status(br).label("status"), br.c.score_pct,
               br.c.time_spent_s, br.c.attempts)
        .select_from(b).outerjoin(br, and_(br.c.block_id == b.c.block_id, br.c.user_id == user_id))
        .where(b.c.session_id == session_id).order_by(b.c.position)).all()
    return {"first_name": person.first_name, "last_name": person.last_name, "blocks": [
        {"block_id": r.block_id, "position": r.position, "kind": r.kind, "title": r.title, "status": r.status,
         "score": None if r.score_pct is None else float(r.score_pct),
         "time_spent_s": None if r.time_spent_s is None else int(r.time_spent_s),
         "attempts": int(r.attempts or 0)} for r in rows]}


def _block_status(br):
    """A learner's status on a block from their block_results row (outer-joined: NULL = no row)."""
    return case((br.c.completed.is_(None), "Not started"),
                (and_(br.c.completed == 1, br.c.passed == 0), "Failed"),
                (br.c.completed == 1, "Completed"),
                (br.c.attempts > 0, "In progress"), else_="Not started")


def block_detail_page(conn, scope: Scope, now: datetime, session_id: str, block_id: str,
                      sort_model: list | None = None, filter_model: dict | None = None,
                      start: int = 0, end: int = 100) -> dict:
    """Detailed results of one block: every user of any enrollment with their status, score, time and
    attempts on it; sorted, filtered and paged in SQL."""
    require_session(conn, scope, session_id)
    su, u, b, br = schema.session_users, schema.users, schema.blocks, schema.block_results
    if conn.execute(select(b.c.block_id).where(b.c.block_id == block_id, b.c.session_id == session_id)).first() is None:
        raise LookupError(f"no block {block_id!r} in session {session_id!r}")
    q = (select(u.c.user_id, u.c.first_name, u.c.last_name, su.c.registered, _block_status(br).label("status"),
                br.c.score_pct, br.c.time_spent_s, func.coalesce(br.c.attempts, 0).label("attempts"))
         .select_from(su).join(u, u.c.user_id == su.c.user_id)
         .outerjoin(br, and_(br.c.block_id == block_id, br.c.user_id == su.c.user_id))
         .where(su.c.session_id == session_id, session_users_probe(scope, su.c.session_id, su.c.user_id)))
    q = grid_filters.fenced(q)
    columns = {"first_name": q.c.first_name, "last_name": q.c.last_name, "status": q.c.status,
               "score": q.c.score_pct, "time_spent": q.c.time_spent_s, "attempts": q.c.attempts}
    rows, total = grid_filters.fetch_page(conn, q, columns, sort_model, filter_model, start, end,
                                          [q.c.last_name, q.c.first_name, q.c.user_id], {"score", "time_spent"})
    return {"total": total, "rows": [{
        "user_id": r["user_id"], "first_name": r["first_name"], "last_name": r["last_name"],
        "registered": bool(r["registered"]), "status": r["status"],
        "score": None if r["score_pct"] is None else float(r["score_pct"]),
        "time_spent_s": None if r["time_spent_s"] is None else int(r["time_spent_s"]),
        "attempts": int(r["attempts"])} for r in rows]}


def program_overview(conn, scope: Scope, now: datetime, program_id: str) -> dict:
    """A program template's results: its sessions (as in the sessions table) and the totals over them, both from
    one pass over the registrations of its sessions."""
    p = schema.programs
    require_program(conn, scope, program_id)
    row = conn.execute(select(p.c.program_id, p.c.name, p.c.kind, p.c.description)
                       .where(p.c.program_id == program_id)).mappings().one()
    now_s = int(now.timestamp())
    base = _sessions_select(scope, now_s, ALL, program_id).subquery()
    rows = [dict(r) for r in conn.execute(select(base).order_by(base.c.start_at.desc(), base.c.name,
                                                                base.c.session_id)).mappings()]
    _with_counts(conn, scope, rows, detail=True)
    scored = sum(int(r["scored"]) for r in rows)
    return {**dict(row), "sessions": [_table_row(r, now_s) for r in rows],
            "registrations": sum(int(r["registered"]) for r in rows),
            "attendees": sum(int(r["started"]) for r in rows), "completed": sum(int(r["completed"]) for r in rows),
            "average_score": sum(float(r["score_sum"]) for r in rows) / scored if scored else None}
