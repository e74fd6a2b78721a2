"""At risk and contacts (metrics.md, "Acting on it: at risk, contacts, trends, digest").

Candidates are the participants (as in Participants) of the running sessions the viewer sees, one per (learner,
session); a candidate is at risk when at least one reason holds: `inactive`, `behind`, `low score`. The per-session
facts come from schema.at_risk_facts (kept at import), so the whole list is one pass over narrow rows: only the
cohort limits, the topics due at `now` and the days since last login are computed per request.

Every function takes the viewer's scope and now; a session or learner the viewer may not see answers as a
missing one (LookupError).
"""

from __future__ import annotations

import math
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import (
    Integer,
    Numeric,
    and_,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    true,
    tuple_,
    update,
)
from sqlalchemy.sql import ColumnElement

from data_access import cohort_defaults, cohort_keys, db, grid_filters, program_session_state, recency, schema
from data_access.queries import cohort_choices
from data_access.scope import (
    PLATFORM,
    Scope,
    require_session,
    require_user,
    session_users_condition,
    visible_sessions,
)

INACTIVE, BEHIND, LOW_SCORE = "inactive", "behind", "low score"
REASONS = (INACTIVE, BEHIND, LOW_SCORE)  # the order of metrics.md (and of the CSV's Reasons)
DEFAULT_OVERDUE, DEFAULT_SCORE = 2, 50
OVERDUE_RANGE, SCORE_RANGE = (1, 1000), (1, 100)

CHANNELS = ("email", "message", "call", "meeting", "other")
NOTE_MAX = 500
MAX_SELECTION = 1000  # learners one action (contact, copy, mail, CSV) may take at once
DAY_S = recency.DAY_S
CONTACT_WINDOW_S = 30 * DAY_S  # contacts of the last 30 days, per cohort
FOLLOW_S = 7 * DAY_S  # followed by activity: a login within 7 x 24 h after the contact

_FLAG = {INACTIVE: "inactive", BEHIND: "behind", LOW_SCORE: "low_score"}  # reason -> column of the list


# --- limits -----------------------------------------------------------------------------------------------
def _whole(value, low: int, high: int, what: str) -> str | None:
    """None when value is a whole number in [low, high], else the message shown next to the input."""
    if value is None or value == "":
        return f"Enter the {what} (a whole number from {low} to {high})."
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return f"The {what} is a whole number from {low} to {high}."
    if int(value) != value or not low <= value <= high:
        return f"The {what} is a whole number from {low} to {high}."
    return None


def validate_risk_limits(overdue, score) -> str | None:
    """None when the pair is usable (overdue 1-1000 topics, score 1-100), else the reason shown on the page."""
    return _whole(overdue, *OVERDUE_RANGE, "overdue limit") or _whole(score, *SCORE_RANGE, "score limit")


def risk_limits(conn, scope: Scope, now: datetime, session_id: str) -> dict:
    """The cohort's overdue and score limits (defaults 2 topics and 50 until someone changes them)."""
    require_session(conn, scope, session_id)
    cs = schema.cohort_settings
    row = conn.execute(select(cs.c.overdue_limit, cs.c.score_limit).where(cs.c.session_id == session_id)).first()
    overdue = row.overdue_limit if row is not None and row.overdue_limit is not None else DEFAULT_OVERDUE
    score = row.score_limit if row is not None and row.score_limit is not None else DEFAULT_SCORE
    return {"overdue": int(overdue), "score": int(score)}


def save_risk_limits(conn, scope: Scope, now: datetime, session_id: str, overdue: int, score: int) -> dict:
    """Store the cohort's at-risk limits (kept for every viewer; the colour limits stay as they are). ValueError
    when they are not usable. Cached lists change with them, so the data version moves on."""
    require_session(conn, scope, session_id)
    problem = validate_risk_limits(overdue, score)
    if problem:
        raise ValueError(problem)
    cs = schema.cohort_settings
    values = {"overdue_limit": int(overdue), "score_limit": int(score), "updated_at": int(now.timestamp())}
    if conn.execute(update(cs).where(cs.c.session_id == session_id).values(**values)).rowcount == 0:
        conn.execute(insert(cs).values(session_id=session_id, green_limit=cohort_defaults.GREEN,
                                       yellow_limit=cohort_defaults.YELLOW, **values))
    db.bump_data_version(conn)
    return {"overdue": int(overdue), "score": int(score)}


# --- the at-risk list -------------------------------------------------------------------------------------
def _running(scope: Scope, now: datetime, sessions: list[str] | None):
    """The running sessions the viewer sees (optionally only `sessions`) with their limits and k, the number of
    their blocks due by now."""
    s, cs, b = schema.sessions, schema.cohort_settings, schema.blocks
    now_s = int(now.timestamp())
    # counted per running session (an index range each); computed once for them all (fenced), so neither planner
    # joins every block's count to every candidate
    due = (select(func.count()).where(b.c.session_id == s.c.session_id, b.c.due_at <= now_s)
           .scalar_subquery())
    conditions = [program_session_state.running(s, now_s), visible_sessions(scope, s)]
    if sessions is not None:
        conditions.append(s.c.session_id.in_(sessions))
    y = func.coalesce(cs.c.yellow_limit, cohort_defaults.YELLOW)
    return grid_filters.fenced(
        select(s.c.session_id, s.c.name, s.c.start_at,
               # inactive: a last login at or before idle_at (days since > Y  <=>  now - last >= (Y + 1) days), in a
               # session started more than Y days ago (idle_from = 1)
               (now_s - (y + 1) * DAY_S).label("idle_at"),
               case((s.c.start_at < now_s - y * DAY_S, 1), else_=0).label("idle_from"),
               func.coalesce(cs.c.overdue_limit, DEFAULT_OVERDUE).label("overdue_limit"),
               func.coalesce(cs.c.score_limit, DEFAULT_SCORE).label("score_limit"),
               cast(due, Integer).label("k"))
        .outerjoin(cs, cs.c.session_id == s.c.session_id)
        .where(*conditions))


_FACT_COLUMNS = ("session_id", "user_id", "first_name", "last_name", "email", "last_login_at", "score_pct", "due_flags")


def _session_facts(r, dialect: str, pairs: list | None, key: str | None = None, named: bool = True):
    """The fact rows of the running sessions `r` (optionally only the (user id, session id) `pairs`), each session's
    rows read from the key's range: at_risk_facts, or for a kept group key its rows of scope_participants with the
    names of at_risk_facts (NULL when not `named`). PostgreSQL reads them LATERAL per fenced running session: it
    overestimates the running sessions (their start and end dates correlate) and would otherwise scan every session's
    facts; SQLite has no LATERAL and already walks the key per session. Returns (the columns as .c, the join,
    conditions)."""
    f = schema.at_risk_facts
    chosen = [] if pairs is None else [tuple_(f.c.session_id, f.c.user_id).in_([(s, u) for u, s in pairs])]
    if key is not None and key != PLATFORM and pairs is None:
        sp = schema.scope_participants
        same = and_(f.c.session_id == sp.c.session_id, f.c.user_id == sp.c.user_id)
        names = [f.c.first_name, f.c.last_name, f.c.email] if named else [null().label(n) for n in _FACT_COLUMNS[2:5]]
        cols = [sp.c.session_id, sp.c.user_id, *names, sp.c.last_login_at, sp.c.score_pct, sp.c.due_flags]
        if dialect == "postgresql":
            per_session = (select(*cols).select_from(sp.outerjoin(f, same) if named else sp)
                           .where(sp.c.group_id == key, sp.c.session_id == r.c.session_id).offset(0).lateral("f"))
            return per_session, r.join(per_session, true()), []
        joined = r.join(sp, and_(sp.c.group_id == key, sp.c.session_id == r.c.session_id))
        joined = joined.outerjoin(f, same) if named else joined
        return SimpleNamespace(c=SimpleNamespace(**dict(zip(_FACT_COLUMNS, cols, strict=True)))), joined, []
    if dialect != "postgresql" or pairs is not None:
        return f, r.join(f, f.c.session_id == r.c.session_id), chosen
    per_session = select(f).where(f.c.session_id == r.c.session_id, *chosen).offset(0).lateral("f")
    return per_session, r.join(per_session, true()), []


def _without_jit(conn) -> str:
    """The dialect's name; on PostgreSQL, JIT compiling is off for the rest of the transaction: the per-session
    reads are estimated near jit_above_cost at 100k learners, and compiling takes 20 ms of a 40 ms query."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL jit = off")
    return conn.dialect.name


def _candidates(scope: Scope, now: datetime, sessions: list[str] | None = None, pairs: list | None = None,
                dialect: str = "", key: str | None = None, named: bool = True):
    """Every candidate (participant of a running session in scope) with the three reasons as 0/1 columns. key: the
    viewer's scope key (cohort_keys.for_running), whose fact rows are exactly the candidates they see; None: every
    participant's scope is checked. named: with their names (else maybe NULL: only counted)."""
    if pairs is not None:  # only the pairs' sessions are read
        sessions = [s for s in dict.fromkeys(s for _, s in pairs) if sessions is None or s in sessions]
    r = _running(scope, now, sessions)
    f, joined, conditions = _session_facts(r, dialect, pairs, key, named)
    now_s = int(now.timestamp())
    last = f.c.last_login_at
    days = case((last.is_(None), None), (last >= now_s, 0), else_=(now_s - last) // DAY_S)
    overdue = func.length(func.replace(func.substr(f.c.due_flags, 1, r.c.k), "1", ""))
    # days since > Y  <=>  last <= now - (Y + 1) days, r.idle_at; started more than Y days ago: r.idle_from
    inactive = case((and_(r.c.idle_from == 1, or_(last.is_(None), last <= r.c.idle_at)), 1), else_=0)
    behind = case((overdue >= r.c.overdue_limit, 1), else_=0)
    low = case((and_(f.c.score_pct.is_not(None), f.c.score_pct < r.c.score_limit), 1), else_=0)
    if key is None or pairs is not None:
        conditions = [*conditions, _seen_in_session(scope, f.c.session_id, f.c.user_id)]
    return (select(f.c.session_id, r.c.name.label("cohort"), f.c.user_id, f.c.first_name, f.c.last_name, f.c.email,
                   last.label("last_login_at"), days.label("days_since"), overdue.label("overdue"),
                   f.c.score_pct, inactive.label("inactive"), behind.label("behind"), low.label("low_score"))
            .select_from(joined)
            .where(*conditions))


def _seen_in_session(scope: Scope, session_col, user_col) -> ColumnElement[bool]:
    """scope.session_users_condition as a correlated EXISTS over the memberships key: the running sessions drive
    the query (a few hundred) and each candidate is checked in the index, instead of every fact row of the
    viewer's (tens of thousands of) users being looked up first."""
    if scope.is_owner:
        return true()
    m, gc = schema.memberships, schema.group_closure
    member = (select(literal(1)).select_from(m).join(gc, gc.c.descendant_id == m.c.group_id)
              .where(m.c.user_id == user_col, gc.c.ancestor_id.in_(scope.managed_groups)).exists())
    if scope.instructor_sessions:
        return or_(member, session_col.in_(scope.instructor_sessions))
    return member


def _reason_filter(columns, reasons: list[str] | None) -> list[ColumnElement[bool]]:
    if not reasons:
        return []
    return [or_(*(columns[_FLAG[r]] == 1 for r in reasons))]


def _at_risk(scope, now, sessions=None, reasons=None, pairs=None, dialect="", key=None):
    """The at-risk rows (a subquery) with the number of reasons and when they were last contacted. Not fenced:
    SQLite would write every candidate to a temporary table before sorting them."""
    cand = _candidates(scope, now, sessions, pairs, dialect, key)
    c = cand.selected_columns
    n = c.inactive + c.behind + c.low_score
    ct = schema.contacts
    last_contacted = (select(func.max(ct.c.recorded_at))
                      .where(ct.c.user_id == c.user_id, ct.c.session_id == c.session_id).scalar_subquery())
    return (cand.add_columns(n.label("n_reasons"), last_contacted.label("last_contacted_at"))
            .where(n > 0, *_reason_filter(c, reasons)).subquery())


def _default_order(q) -> list:
    """Number of reasons (most first), days since last login (never first, then most days), last name, first
    name, email, session id."""
    return [q.c.n_reasons.desc(), q.c.days_since.desc().nulls_first(), q.c.last_name, q.c.first_name, q.c.email,
            q.c.session_id, q.c.user_id]


def _row(r) -> dict:
    return {"user_id": r["user_id"], "session_id": r["session_id"], "cohort": r["cohort"],
            "first_name": r["first_name"], "last_name": r["last_name"], "email": r["email"],
            "reasons": [reason for reason in REASONS if r[_FLAG[reason]]],
            "last_login_at": r["last_login_at"],
            "days_since": None if r["days_since"] is None else int(r["days_since"]),
            "overdue": int(r["overdue"]), "score_pct": None if r["score_pct"] is None else float(r["score_pct"]),
            "last_contacted_at": r["last_contacted_at"]}


def _sessions(sessions) -> list[str] | None:
    if sessions is None:
        return None
    if isinstance(sessions, str):
        return [sessions]
    return [s for s in sessions if isinstance(s, str)]


def at_risk(conn, scope: Scope, now: datetime, sessions: list[str] | None = None,
            reasons: list[str] | None = None) -> list[dict]:
    """Every learner at risk in the running sessions the viewer sees (optionally only `sessions`, and only those
    with one of `reasons`), in the At-risk CSV's order. A session that is not running contributes no one."""
    q = _at_risk(scope, now, _sessions(sessions), _reasons(reasons), dialect=_without_jit(conn),
                 key=cohort_keys.for_running(conn, scope))
    return [_row(r) for r in conn.execute(select(q).order_by(*_default_order(q))).mappings()]


RANK_DAYS = 1_000_000  # more than any number of days since a last login


def _rank(c) -> ColumnElement:
    """The list's first two keys as one number, larger first: the number of reasons, then the days since last login
    (never logged in: above any number of days)."""
    return (c.inactive + c.behind + c.low_score) * RANK_DAYS + func.coalesce(c.days_since, RANK_DAYS - 1)


def _unnamed_at_risk(conn, scope: Scope, now: datetime, min_rank: int | None = None):
    """at_risk's rows without names or contacts (a subquery with a rank column), optionally only those ranked at
    least min_rank. Fenced on PostgreSQL: each candidate's reasons are computed once, and names are looked up only
    for the rows kept."""
    dialect = _without_jit(conn)
    c = _candidates(scope, now, dialect=dialect, key=cohort_keys.for_running(conn, scope), named=False)
    if dialect == "postgresql":
        c = c.offset(0)
    c = c.subquery()
    rank, n = _rank(c.c), c.c.inactive + c.c.behind + c.c.low_score
    kept = [rank >= min_rank] if min_rank is not None else []
    q = select(*[col for col in c.c if col.name not in ("first_name", "last_name", "email")], rank.label("rank"),
               n.label("n_reasons")).where(n > 0, *kept)
    return (q.offset(0) if dialect == "postgresql" else q).subquery()


def ranked(conn, scope: Scope, now: datetime) -> list[tuple[str, str, int, str]]:
    """Every (learner, session) of at_risk, unnamed and unordered: (user id, session id, rank, reasons joined with
    |); rank orders them as the list's first two keys do (_rank)."""
    q = _unnamed_at_risk(conn, scope, now)
    flags = q.c.inactive + 2 * q.c.behind + 4 * q.c.low_score
    return [(uid, sid, int(rank), _JOINED[int(f)])
            for uid, sid, rank, f in conn.execute(select(q.c.user_id, q.c.session_id, q.c.rank, flags)).tuples()]


# the reasons of a row, joined with |, by its flags (inactive 1, behind 2, low score 4)
_JOINED = ["|".join(r for i, r in enumerate(REASONS) if flags >> i & 1) for flags in range(8)]


def at_risk_from(conn, scope: Scope, now: datetime, min_rank: int) -> list[dict]:
    """at_risk's rows ranked at least min_rank (its first rows), in its order: names and last contact are read for
    those rows only."""
    u = _unnamed_at_risk(conn, scope, now, min_rank)
    f, ct = schema.at_risk_facts, schema.contacts
    last_contacted = (select(func.max(ct.c.recorded_at))
                      .where(ct.c.user_id == u.c.user_id, ct.c.session_id == u.c.session_id).scalar_subquery())
    q = (select(u.c.session_id, u.c.cohort, u.c.user_id, f.c.first_name, f.c.last_name, f.c.email,
                u.c.last_login_at, u.c.days_since, u.c.overdue, u.c.score_pct, u.c.inactive, u.c.behind,
                u.c.low_score, u.c.n_reasons, last_contacted.label("last_contacted_at"))
         .select_from(u.outerjoin(f, and_(f.c.session_id == u.c.session_id, f.c.user_id == u.c.user_id)))
         .subquery())
    return [_row(r) for r in conn.execute(select(q).order_by(*_default_order(q))).mappings()]


def summary(conn, scope: Scope, now: datetime, sessions: list[str] | None = None) -> dict:
    """How many candidates, how many at risk, and how many have each reason (a learner may count in several)."""
    dialect = _without_jit(conn)
    c = _candidates(scope, now, _sessions(sessions), dialect=dialect, key=cohort_keys.for_running(conn, scope),
                    named=False)
    if dialect == "postgresql":  # fenced: each reason computed once per candidate, not again for "any reason"
        c = c.offset(0)
    c = c.subquery()
    n = c.c.inactive + c.c.behind + c.c.low_score
    counts = [func.count(), func.sum(case((n > 0, 1), else_=0)), func.sum(c.c.inactive), func.sum(c.c.behind),
              func.sum(c.c.low_score)]
    if dialect == "postgresql":
        # counted per session, then summed: the cohorts are the sessions counted (COUNT(DISTINCT) sorted every
        # candidate, on disk at a million learners); SQLite would sort them for the GROUP BY instead
        per_session = select(*[x.label(f"n{i}") for i, x in enumerate(counts)]).group_by(c.c.session_id).subquery()
        row = conn.execute(select(*[func.sum(col) for col in per_session.c], func.count())).one()
    else:
        row = conn.execute(select(*counts, func.count(func.distinct(c.c.session_id)))).one()
    return {"candidates": int(row[0] or 0), "at_risk": int(row[1] or 0),
            "by_reason": {INACTIVE: int(row[2] or 0), BEHIND: int(row[3] or 0), LOW_SCORE: int(row[4] or 0)},
            "cohorts": int(row[5] or 0)}


GRID_SORT_NULLS_LOW = {"score", "last_contacted"}  # no score / never contacted sort lowest


def _grid_columns(q) -> dict:
    """The at-risk table's column ids (layouts.at_risk.COLUMNS) as SQL expressions."""
    return {"name": q.c.first_name + literal(" ") + q.c.last_name, "email": q.c.email, "cohort": q.c.cohort,
            "reasons": q.c.n_reasons, "days_since": q.c.days_since, "overdue": q.c.overdue,
            "score": func.round(cast(q.c.score_pct, Numeric), 1), "last_contacted": q.c.last_contacted_at}


def at_risk_page(conn, scope: Scope, now: datetime, sessions: list[str] | None = None,
                 reasons: list[str] | None = None, sort_model: list | None = None, filter_model: dict | None = None,
                 start: int = 0, end: int = 100) -> dict:
    """One block of the at-risk table (AG Grid infinite row model), sorted and filtered in SQL."""
    q = _at_risk(scope, now, _sessions(sessions), _reasons(reasons), dialect=_without_jit(conn),
                 key=cohort_keys.for_running(conn, scope))
    columns = _grid_columns(q)
    conditions = grid_filters.where(columns, filter_model)
    start, end = max(0, int(start)), max(int(start), int(end))
    # no COUNT(*) OVER (): it makes the database sort every row; ORDER BY + LIMIT keeps only the page's rows
    order = grid_filters.order_by(columns, sort_model, GRID_SORT_NULLS_LOW) + _default_order(q)
    rows = conn.execute(select(q).where(*conditions).order_by(*order).limit(end - start).offset(start)).mappings()
    rows = [_row(r) for r in rows]
    if start == 0 and len(rows) < end - start:
        return {"rows": rows, "total": len(rows)}
    total = conn.execute(select(func.count()).select_from(q).where(*conditions)).scalar_one()
    return {"rows": rows, "total": int(total)}


def _pairs(pairs) -> list[tuple[str, str]]:
    """(user id, session id) pairs from the browser, checked for shape; ValueError when malformed or too many."""
    if not isinstance(pairs, list | tuple):
        raise ValueError("no learners selected")
    out = []
    for p in pairs:
        if isinstance(p, dict):
            p = (p.get("user_id"), p.get("session_id"))
        if not isinstance(p, list | tuple) or len(p) != 2 or not all(isinstance(x, str) and x for x in p):
            raise ValueError("a selected learner is malformed")
        out.append((p[0], p[1]))
    if len(out) > MAX_SELECTION:
        raise ValueError(f"at most {MAX_SELECTION:,} learners at once")
    return list(dict.fromkeys(out))


def _reasons(reasons) -> list[str] | None:
    if not reasons:
        return None
    if isinstance(reasons, str):
        reasons = [reasons]
    return [r for r in REASONS if r in set(x for x in reasons if isinstance(x, str))] or None


def selection(conn, scope: Scope, now: datetime, pairs: list) -> list[dict]:
    """The at-risk rows of the selected (user id, session id) pairs the viewer sees, in the CSV's order (a pair
    that is not, or no longer, at risk in scope is left out)."""
    chosen = _pairs(pairs)
    if not chosen:
        return []
    q = _at_risk(scope, now, None, None, chosen, conn.dialect.name)
    return [_row(r) for r in conn.execute(select(q).order_by(*_default_order(q))).mappings()]


def reasons_for(conn, scope: Scope, now: datetime, session_id: str, user_ids: list[str]) -> dict[str, list[str]]:
    """The reasons of some participants of one session ({} when the session is not running): the Reasons column
    of the Participants table."""
    if not user_ids:
        return {}
    c = _candidates(scope, now, [session_id], [(u, session_id) for u in user_ids], conn.dialect.name).subquery()
    out = {}
    for r in conn.execute(select(c)).mappings():
        reasons = [reason for reason in REASONS if r[_FLAG[reason]]]
        if reasons:
            out[r["user_id"]] = reasons
    return out


def running_cohorts(conn, scope: Scope, now: datetime, search: str | None = None, keep=(),
                    limit: int | None = None) -> list[dict]:
    """The running sessions the viewer sees, for the cohort filter (most recently started first); with `limit`, only
    the first `limit` whose name or id holds `search`, and those of `keep` (cohort_choices.choose)."""
    s = schema.sessions
    stmt = (select(s.c.session_id, s.c.name, s.c.start_at)
            .where(program_session_state.running(s, int(now.timestamp())), visible_sessions(scope, s)))
    rows = cohort_choices.choose(conn, stmt, [s.c.start_at.desc(), s.c.name, s.c.session_id], search, keep, limit)
    return [{"session_id": x.session_id, "name": x.name, "start_at": x.start_at} for x in rows]


# --- contacts -----------------------------------------------------------------------------------------------
def _participant_seen(scope: Scope, pairs: list[tuple[str, str]]):
    """The pairs (user, session) that are participants of a session the viewer sees, and that they see there."""
    su, u, s = schema.session_users, schema.users, schema.sessions
    return (select(su.c.user_id, su.c.session_id)
            .join(u, u.c.user_id == su.c.user_id).join(s, s.c.session_id == su.c.session_id)
            .where(tuple_(su.c.session_id, su.c.user_id).in_([(sid, uid) for uid, sid in pairs]),
                   su.c.registered == 1, u.c.deleted_at.is_(None), visible_sessions(scope, s),
                   session_users_condition(scope, su.c.session_id, su.c.user_id)))


def validate_contact(channel, note) -> str | None:
    if channel not in CHANNELS:
        return "Choose a channel: " + ", ".join(CHANNELS) + "."
    if note is not None and not isinstance(note, str):
        return "The note is text."
    if note is not None and len(note) > NOTE_MAX:
        return f"The note is at most {NOTE_MAX} characters ({len(note):,} now)."
    return None


def record_contacts(conn, scope: Scope, now: datetime, pairs: list, channel: str, note: str | None,
                    recorded_by: str) -> int:
    """Record that `recorded_by` contacted each selected learner (user id, session id) at now, all or nothing:
    a learner the viewer does not see as a participant of that session answers as a missing one (LookupError);
    a bad channel or note, ValueError. Returns how many contacts were recorded."""
    chosen = _pairs(pairs)
    if not chosen:
        raise ValueError("Select at least one learner.")
    problem = validate_contact(channel, note)
    if problem:
        raise ValueError(problem)
    if not isinstance(recorded_by, str) or not recorded_by:
        raise ValueError("who records the contact is unknown")
    seen = {(r.user_id, r.session_id) for r in conn.execute(_participant_seen(scope, chosen))}
    for uid, sid in chosen:
        if (uid, sid) not in seen:
            raise LookupError(f"no learner {uid!r} in program session {sid!r}"
                              + ("" if scope.is_owner else " visible to this user"))
    note = (note or "").strip() or None
    at = int(now.timestamp())
    conn.execute(insert(schema.contacts), [
        {"user_id": uid, "session_id": sid, "recorded_by": recorded_by, "recorded_at": at, "channel": channel,
         "note": note} for uid, sid in chosen])
    db.bump_data_version(conn)  # cached lists show Last contacted
    return len(chosen)


def _contacts_seen(scope: Scope, c, s):
    """Contacts of learners the viewer sees in that session (a contact one coach recorded is visible to whoever
    sees that learner in that session)."""
    return and_(visible_sessions(scope, s), session_users_condition(scope, c.c.session_id, c.c.user_id))


def user_contacts(conn, scope: Scope, now: datetime, user_id: str) -> list[dict]:
    """The contacts recorded with one learner (user page), most recent first: when, who, channel, note, cohort."""
    require_user(conn, scope, user_id)
    c, s, u = schema.contacts, schema.sessions, schema.users
    rows = conn.execute(
        select(c.c.recorded_at, c.c.channel, c.c.note, c.c.session_id, s.c.name.label("cohort"),
               u.c.first_name, u.c.last_name, u.c.email, c.c.recorded_by)
        .join(s, s.c.session_id == c.c.session_id).outerjoin(u, u.c.user_id == c.c.recorded_by)
        .where(c.c.user_id == user_id, _contacts_seen(scope, c, s))
        .order_by(c.c.recorded_at.desc(), c.c.id.desc())).all()
    return [{"recorded_at": r.recorded_at, "channel": r.channel, "note": r.note, "session_id": r.session_id,
             "cohort": r.cohort, "by": (f"{r.first_name} {r.last_name}" if r.first_name is not None
                                        else r.recorded_by), "by_email": r.email} for r in rows]


def cohort_contacts(conn, scope: Scope, now: datetime, session_id: str) -> dict:
    """A cohort's contacts of the last 30 days (learners the viewer sees) and, of those older than 7 days, how
    many were followed by activity (a login within 7 x 24 h after the contact); followed_pct None when none is
    older than 7 days."""
    require_session(conn, scope, session_id)
    c, s, lg = schema.contacts, schema.sessions, schema.logins
    now_s = int(now.timestamp())
    followed = exists().where(lg.c.user_id == c.c.user_id, lg.c.at > c.c.recorded_at,
                              lg.c.at <= c.c.recorded_at + FOLLOW_S)
    judged = c.c.recorded_at <= now_s - FOLLOW_S
    row = conn.execute(
        select(func.count(), func.sum(case((judged, 1), else_=0)),
               func.sum(case((and_(judged, followed), 1), else_=0)))
        .select_from(c).join(s, s.c.session_id == c.c.session_id)
        .where(c.c.session_id == session_id, c.c.recorded_at > now_s - CONTACT_WINDOW_S, c.c.recorded_at <= now_s,
               _contacts_seen(scope, c, s))).one()
    total, older, hit = int(row[0]), int(row[1] or 0), int(row[2] or 0)
    return {"contacts": total, "judged": older, "followed": hit,
            "followed_pct": (100.0 * hit / older) if older else None}
