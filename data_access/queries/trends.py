"""Trends (metrics.md, "Activity trend" and "Cohort comparison"): a cohort's weekly active learners and
progress since its start, cohorts side by side by week N, the pace of a running cohort, and the weekly
active learners of the viewer's scope (Overview).

Weeks start on Monday 00:00 in the configured time zone (`tz`, a setting) and are [Monday, next Monday).
Logins are read from schema.login_days (one row per user and UTC day with the day's first and last login):
a week lasts longer than a day, so at most one week boundary falls inside a UTC day and the weeks a user was
active in are exactly the weeks of their days' first and last logins. Only "before now" needs the raw
logins, for the day containing now (a login after now must not hide one before it). A large cohort's weeks are
read from its per-day facts when they can say (data_access.cohort_counts: UTC-midnight weeks, one scope key).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from sqlalchemy import Float, and_, case, cast, distinct, func, literal, or_, select, union_all

from data_access import cohort_counts, program_session_state, schema, scope_counts
from data_access.queries import cohort_choices
from data_access.scope import Scope, require_session, session_users_condition, visible_sessions

DAY_S = 86_400
WEEK_S = 7 * DAY_S
MIN_COHORTS, MAX_COHORTS = 2, 5
PACE_MIN_ELAPSED_S = DAY_S  # a learner who started an hour ago is projected from one day, not from an hour


# --- weeks ------------------------------------------------------------------------------------------------
def monday_of(epoch: int, tz: str) -> date:
    """The local date of the Monday of the week containing the instant (in tz)."""
    d = datetime.fromtimestamp(epoch, ZoneInfo(tz)).date()
    return d - timedelta(days=d.weekday())


def local_midnight(d: date, tz: str) -> int:
    """Epoch seconds of d at 00:00 in tz (where midnight does not exist, the moment the day begins)."""
    return int(datetime.combine(d, time(0), tzinfo=ZoneInfo(tz)).timestamp())


def weeks_between(first_monday: date, last_monday: date, tz: str) -> tuple[list[date], list[int]]:
    """The Mondays from first_monday to last_monday (both included) and the n + 1 bounds of those n weeks
    (epoch seconds of each Monday 00:00 in tz, then of the Monday after the last)."""
    mondays, m = [], first_monday
    while m <= last_monday:
        mondays.append(m)
        m += timedelta(days=7)
    return mondays, [local_midnight(d, tz) for d in mondays + [m]]


def _offset(epoch: int, tz: str) -> int:
    return int(datetime.fromtimestamp(epoch, ZoneInfo(tz)).utcoffset().total_seconds())


def _local(col, lo: int, hi: int, tz: str):
    """SQL: col + the zone's UTC offset at col, for col in [lo, hi): local wall-clock seconds since the epoch (so a
    local week is 604,800 of them wherever the offset changes). The offset's changes in the range are found by
    bisection between days whose offsets differ."""
    changes, prev = [], _offset(lo, tz)
    for a in range(lo, hi, DAY_S):
        b = min(a + DAY_S, hi)
        if _offset(b - 1, tz) != prev:
            while b - a > 1:  # the first second with the new offset
                mid = (a + b) // 2
                a, b = (mid, b) if _offset(mid, tz) == prev else (a, mid)
            changes.append((b, _offset(b, tz)))
            prev = _offset(b, tz)
    first = _offset(lo, tz)
    if not changes:
        return col + first if first else col
    steps = [first] + [o for _t, o in changes]
    return col + case(*[(col < t, steps[i]) for i, (t, _o) in enumerate(changes)], else_=steps[-1])


def _active_by_week(conn, who, bounds: list[int], now_s: int, tz: str) -> dict[int, int]:
    """Users of `who` (a select of user ids; None: every user) with a login in each week [bounds[i], bounds[i + 1])
    (Mondays 00:00 in tz), before now: {week index: n}. From schema.login_days, counting per week the days that
    hold a user's first login of the week (first_at in the week, prev_at before it) and the days a week starts
    in (first_at before its start, last_at in it), so that no DISTINCT is needed. A week starting on the UTC day
    of now is counted from the raw logins (a login after now may be that day's last_at)."""
    ld, lg = schema.login_days, schema.logins
    weeks = [(i, lo, min(bounds[i + 1], now_s)) for i, lo in enumerate(bounds[:-1]) if min(bounds[i + 1], now_s) > lo]
    counts: dict[int, int] = {}
    for i, lo, hi in [w for w in weeks if w[1] // DAY_S == now_s // DAY_S]:
        weeks.remove((i, lo, hi))
        counts[i] = int(conn.execute(select(func.count(distinct(lg.c.user_id)))
                                     .where(lg.c.at >= lo, lg.c.at < hi,
                                            *([] if who is None else [lg.c.user_id.in_(who)]))).scalar_one())
    if weeks and who is None:  # every user: two index ranges per week, nothing to sort
        parts = []
        for i, lo, hi in weeks:
            parts.append(select(literal(i).label("w"), func.count().label("n"))
                         .where(ld.c.day.between(lo // DAY_S, (hi - 1) // DAY_S), ld.c.first_at >= lo,
                                ld.c.first_at < hi, func.coalesce(ld.c.prev_at, lo - 1) < lo))
            parts.append(select(literal(i).label("w"), func.count().label("n"))
                         .where(ld.c.day == lo // DAY_S, ld.c.first_at < lo, ld.c.last_at >= lo))
        for i, n in conn.execute(union_all(*parts)).all():
            counts[int(i)] = counts.get(int(i), 0) + int(n)
    elif weeks:  # some users: each one's rows read once (by user), each row given its week by arithmetic
        lo, hi = weeks[0][1], weeks[-1][2]
        base = lo + _offset(lo, tz) - WEEK_S  # the Monday 00:00 before the first week, in local seconds

        def week(col):  # 1 for the first week, 0 for the hours of its first UTC day before it began
            return (_local(col, lo - DAY_S, hi, tz) - base) // WEEK_S

        # per week of a day's first login: the days holding a user's first login of that week, and those holding
        # the start of the next week (first_at before it, last_at in it)
        of_first = week(ld.c.first_at)
        first = or_(ld.c.prev_at.is_(None), ld.c.prev_at < lo, week(ld.c.prev_at) < of_first)
        straddle = and_(ld.c.last_at < hi, of_first < week(ld.c.last_at))
        rows = conn.execute(
            select(of_first, func.sum(case((first, 1), else_=0)), func.sum(case((straddle, 1), else_=0)))
            .where(ld.c.user_id.in_(who), ld.c.day.between(lo // DAY_S, (hi - 1) // DAY_S), ld.c.first_at < hi)
            .group_by(of_first)).all()
        for w, firsts, straddles in rows:
            i = weeks[0][0] + int(w) - 1
            if w:  # (the hours before the first week hold no first login of it)
                counts[i] = counts.get(i, 0) + int(firsts or 0)
            counts[i + 1] = counts.get(i + 1, 0) + int(straddles or 0)
    return counts


# --- one cohort ------------------------------------------------------------------------------------------
def _participant_ids(scope: Scope, session_id: str):
    """Today's participants (as on Participants): registered, not unassigned, not deleted, in the scope."""
    su, u = schema.session_users, schema.users
    return (select(su.c.user_id).join(u, u.c.user_id == su.c.user_id)
            .where(su.c.session_id == session_id, su.c.registered == 1, u.c.deleted_at.is_(None),
                   session_users_condition(scope, su.c.session_id, su.c.user_id)))


def _completions(session_id: str, who):
    """The completion time of every block of the session a participant has completed now (Topic completed), as
    derive keeps it in block_results.completed_at: course = the earliest completed_at of their attempts in the
    session on the block's course; assessment = submitted_at; classroom = the start of the first slot attended."""
    br = schema.block_results
    return (select(br.c.completed_at.label("t"))
            .where(br.c.session_id == session_id, br.c.completed == 1, br.c.user_id.in_(who))).subquery()


def _session_row(conn, scope: Scope, session_id: str):
    require_session(conn, scope, session_id)
    s = schema.sessions
    return conn.execute(select(s.c.session_id, s.c.name, s.c.program_id, s.c.start_at, s.c.end_at)
                        .where(s.c.session_id == session_id)).one()


def activity_trend(conn, scope: Scope, now: datetime, session_id: str, tz: str = "UTC") -> dict:
    """One line per week from the week containing start_at to the week containing the earlier of now and end_at:
    Monday (local date), participants (today's, the same on every line), active learners (a login in the week,
    before now), active % and progress % (mean over the participants of the blocks completed by the end of the
    week, or now if earlier, over all blocks); percentages None without participants (progress also without
    blocks). LookupError for a session the viewer does not see."""
    return _trend(conn, scope, now, _session_row(conn, scope, session_id), tz)


LISTED_PARTICIPANTS = 2000  # up to this many, a cohort's participants are named in the queries, not re-selected


def _trend(conn, scope: Scope, now: datetime, row, tz: str) -> dict:
    """activity_trend of a session row the viewer may see."""
    session_id = row.session_id
    now_s = int(now.timestamp())
    out = {"session_id": row.session_id, "name": row.name, "program_id": row.program_id,
           "start_at": row.start_at, "end_at": row.end_at, "weeks": []}
    last = now_s if row.end_at is None else min(now_s, row.end_at)
    if row.start_at is None or last < row.start_at:
        out["participants"] = 0
        return out
    mondays, bounds = weeks_between(monday_of(row.start_at, tz), monday_of(last, tz), tz)
    blocks = int(conn.execute(select(func.count()).where(schema.blocks.c.session_id == session_id)).scalar_one())
    counted = cohort_counts.trend(conn, scope, session_id, bounds, now_s)  # the cohort facts, when they can say
    participants, active, done = counted if counted is not None else _counted(conn, scope, session_id, bounds, now_s,
                                                                             tz, blocks)
    weeks = []
    for i, monday in enumerate(mondays):
        n_active = active.get(i, 0)
        weeks.append({
            "week_n": i + 1, "monday": monday.isoformat(), "start": bounds[i], "end": bounds[i + 1],
            "current": bounds[i] <= now_s < bounds[i + 1],
            "participants": participants, "active": n_active,
            "active_pct": 100.0 * n_active / participants if participants else None,
            "progress_pct": 100.0 * done[i] / (participants * blocks) if participants and blocks else None,
        })
    out.update(participants=participants, blocks=blocks, weeks=weeks)
    return out


def _counted(conn, scope: Scope, session_id: str, bounds: list[int], now_s: int, tz: str,
             blocks: int) -> tuple[int, dict[int, int], list[int]]:
    """(participants, {week index: active participants}, [blocks they completed by each week's end, or now]) from
    login_days and block_results, for any time zone and scope."""
    who = _participant_ids(scope, session_id)
    ids = conn.execute(who.limit(LISTED_PARTICIPANTS + 1)).scalars().all()
    if len(ids) <= LISTED_PARTICIPANTS:  # (a coach's share of a cohort: no scope subquery in every query)
        who, participants = ids, len(ids)
    else:
        participants = int(conn.execute(select(func.count()).select_from(who.subquery())).scalar_one())
    active = _active_by_week(conn, who, bounds, now_s, tz) if participants else {}
    done_by = [0] * (len(bounds) - 1)
    if participants and blocks:
        ends = [min(b, now_s) for b in bounds[1:]]
        c = _completions(session_id, who)
        week = case(*[(c.c.t <= e, i) for i, e in enumerate(ends)], else_=None).label("w")
        for w, n in conn.execute(select(week, func.count()).group_by(week)).all():
            if w is not None:
                done_by[int(w)] += int(n)
    return participants, active, list(accumulate(done_by))


# --- comparison ------------------------------------------------------------------------------------------
def check_cohort_list(session_ids) -> list[str]:
    """The cohorts to compare, in the order given; ValueError unless 2 to 5 distinct ids."""
    if not isinstance(session_ids, list | tuple) or not all(isinstance(s, str) and s for s in session_ids):
        raise ValueError("Choose the cohorts to compare by their session ids.")
    if len(set(session_ids)) != len(session_ids):
        raise ValueError("Each cohort can be chosen once.")
    if not MIN_COHORTS <= len(session_ids) <= MAX_COHORTS:
        raise ValueError(f"Compare {MIN_COHORTS} to {MAX_COHORTS} cohorts (--session ID, repeated).")
    return list(session_ids)


def cohort_comparison(conn, scope: Scope, now: datetime, session_ids: list[str], tz: str = "UTC") -> list[dict]:
    """The activity trend of each cohort, in the order given, each week numbered from its own start (week 1 =
    the week containing start_at). ValueError unless 2 to 5 distinct cohorts; LookupError for one the viewer
    does not see."""
    ids = check_cohort_list(session_ids)
    s = schema.sessions
    rows = {r.session_id: r for r in conn.execute(
        select(s.c.session_id, s.c.name, s.c.program_id, s.c.start_at, s.c.end_at)
        .where(s.c.session_id.in_(ids), visible_sessions(scope, s)))}
    for session_id in ids:
        if session_id not in rows:  # (the message of every session one may not see)
            require_session(conn, scope, session_id)
    return [_trend(conn, scope, now, rows[session_id], tz) for session_id in ids]


def default_comparison(conn, scope: Scope, now: datetime, session_id: str | None = None,
                       program_id: str | None = None) -> list[str]:
    """The cohorts a comparison opens with: this one (or the program template's most recently started one) and
    the previous sessions of the same template the viewer sees, most recent first, up to 5 in all."""
    s = schema.sessions
    now_s = int(now.timestamp())
    if session_id:
        row = _session_row(conn, scope, session_id)
        program_id, first, before = row.program_id, [row.session_id], row.start_at
    else:
        first, before = [], now_s
    if before is None or not program_id:
        return first
    rows = conn.execute(select(s.c.session_id)
                        .where(s.c.program_id == program_id, s.c.start_at <= before, s.c.session_id.notin_(first),
                               visible_sessions(scope, s))
                        .order_by(s.c.start_at.desc(), s.c.session_id)
                        .limit(MAX_COHORTS - len(first))).scalars().all()
    return first + list(rows)


def comparable_cohorts(conn, scope: Scope, now: datetime, search: str | None = None, keep=(),
                       limit: int | None = None) -> list[dict]:
    """Every cohort the viewer sees that has started, for the comparison's picker: most recent start first; with
    `limit`, only the first `limit` whose name or id holds `search`, and those of `keep` (cohort_choices.choose)."""
    s = schema.sessions
    stmt = (select(s.c.session_id, s.c.name, s.c.program_id, s.c.start_at)
            .where(visible_sessions(scope, s), s.c.start_at <= int(now.timestamp())))
    rows = cohort_choices.choose(conn, stmt, [s.c.start_at.desc(), s.c.name, s.c.session_id], search, keep, limit)
    return [{"session_id": r.session_id, "name": r.name, "program_id": r.program_id, "start_at": r.start_at}
            for r in rows]


# --- pace ------------------------------------------------------------------------------------------------
def pace(conn, scope: Scope, now: datetime, session_id: str, limit: int | None = None) -> dict:
    """For a running cohort, each participant's projected finish: rate = blocks completed now / weeks since
    they started (their earliest activity in the session: a course attempt started, an assessment submitted,
    a slot attended; at least one day), projected finish = now + blocks left / rate. Behind pace = not every
    block completed and the projection is after end_at, or there is none (nothing completed yet). Returns the
    counts (pace_summary) and the participants behind pace (by last name, first name, email), the first `limit`
    of them when given."""
    row = _session_row(conn, scope, session_id)
    now_s = int(now.timestamp())
    out = _pace_counts(conn, scope, row, now_s)
    out["behind"] = []
    if not out["running"] or not out["behind_total"]:
        return out
    su, u = schema.session_users, schema.users
    stmt = (_pace_rows(scope, row.session_id, su.c.user_id, su.c.blocks_completed, su.c.blocks_total,
                       su.c.first_activity_at, u.c.first_name, u.c.last_name, u.c.email)
            .join_from(su, u, u.c.user_id == su.c.user_id).where(_behind(now_s, row.end_at) == 1)
            .order_by(u.c.last_name, u.c.first_name, u.c.email, u.c.user_id).limit(limit))
    for r in conn.execute(stmt):
        done, total, first_at = int(r.blocks_completed), int(r.blocks_total), r.first_activity_at
        rate, finish = None, None
        if done and first_at is not None:  # (the projection _behind compares with end_at)
            weeks = max(now_s - first_at, PACE_MIN_ELAPSED_S) / (7 * DAY_S)
            rate = done / weeks
            finish = now_s + int(round((total - done) / rate * 7 * DAY_S))
        out["behind"].append({"user_id": r.user_id, "first_name": r.first_name, "last_name": r.last_name,
                              "email": r.email, "completed": done, "blocks": total, "started_at": first_at,
                              "per_week": rate, "projected_finish": finish})
    return out


def pace_summary(conn, scope: Scope, now: datetime, session_id: str) -> dict:
    """What the sentence on the page needs: participants, finished and behind pace (their number), in one
    aggregate over the cohort's session_users rows."""
    out = _pace_counts(conn, scope, _session_row(conn, scope, session_id), int(now.timestamp()))
    out["behind"] = out.pop("behind_total")
    return out


def _pace_counts(conn, scope: Scope, row, now_s: int) -> dict:
    """The session's pace without its list: running, participants, finished, behind_total."""
    out = {"session_id": row.session_id, "end_at": row.end_at,
           "running": row.start_at is not None and row.end_at is not None
                      and program_session_state.state_of(row.start_at, row.end_at, now_s)
                      == program_session_state.RUNNING,
           "participants": 0, "finished": 0, "behind_total": 0}
    if out["running"]:
        su = schema.session_users
        finished = case((and_(su.c.blocks_total > 0, su.c.blocks_completed >= su.c.blocks_total), 1), else_=0)
        n, done, behind = conn.execute(_pace_rows(scope, row.session_id, func.count(), func.sum(finished),
                                                  func.sum(_behind(now_s, row.end_at)))).one()
        out.update(participants=int(n), finished=int(done or 0), behind_total=int(behind or 0))
    return out


def _pace_rows(scope: Scope, session_id: str, *columns):
    """A select of `columns` over the session_users rows of the session's participants (registered, not deleted, in
    the viewer's scope: _participant_ids' rows, each probed in scope_users instead of joined to users)."""
    su = schema.session_users
    return select(*columns).where(su.c.session_id == session_id, su.c.registered == 1,
                                  cohort_counts.current_in(cohort_counts.share_keys(scope, session_id), su.c.user_id))


def _behind(now_s: int, end_at: int):
    """SQL, 1 for a participant behind pace, else 0 (pace()): not finished, and nothing completed, no start known, or
    the projected finish after end_at. The projection is the same float arithmetic as pace()'s, in the same order
    (IEEE doubles in SQLite and PostgreSQL as in Python), and now + round(x) > end_at, with Python's round half to
    even, is x > end_at - now + 0.5, or >= when end_at - now is odd."""
    su = schema.session_users
    done, total, first = su.c.blocks_completed, su.c.blocks_total, su.c.first_activity_at
    elapsed = case((now_s - first > PACE_MIN_ELAPSED_S, now_s - first), else_=PACE_MIN_ELAPSED_S)
    rate = cast(done, Float) / (cast(elapsed, Float) / _float(7 * DAY_S))
    left = cast(total - done, Float) / rate * _float(7) * _float(DAY_S)  # seconds to finish at that rate
    margin = end_at - now_s
    late = left >= _float(margin + 0.5) if margin % 2 else left > _float(margin + 0.5)
    return case((and_(total > 0, done >= total), 0), (or_(done == 0, first.is_(None)), 1), (late, 1), else_=0)


def _float(value: float):
    return cast(literal(float(value), Float), Float)


# --- Overview --------------------------------------------------------------------------------------------
def weekly_active_learners(conn, scope: Scope, now: datetime, tz: str = "UTC", weeks: int = 12) -> list[dict]:
    """People of the viewer's scope (visible_users: every user for the platform owner; any role, deleted users
    included, as a past week is history) with a login in each of the last `weeks` weeks (Monday to Monday in
    tz, the current week up to now), oldest first."""
    now_s = int(now.timestamp())
    this_monday = monday_of(now_s, tz)
    mondays, bounds = weeks_between(this_monday - timedelta(days=7 * (weeks - 1)), this_monday, tz)
    active = scope_counts.active_by_week(conn, scope, bounds, now_s)  # the scope facts, when they can say
    if active is None:
        active = _active_by_week(conn, None if scope.is_owner else scope_counts.users_of(scope), bounds, now_s, tz)
    return [{"monday": d.isoformat(), "start": bounds[i], "current": bounds[i] <= now_s < bounds[i + 1],
             "active": active.get(i, 0)} for i, d in enumerate(mondays)]
