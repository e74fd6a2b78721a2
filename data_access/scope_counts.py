"""The Overview's counts over a viewer's whole scope, read from the scope facts (schema.scope_users, scope_recency,
scope_login_days; kept by data_access.write.derive_scope): one scope key for the platform owner (PLATFORM) and for a
viewer who administers or coaches one group; several keys (several managed groups) are read user by user from
scope_users.
Helpers of data_access.queries (overview, trends, users): no `now` of their own, every limit is an argument.
"""

from __future__ import annotations

from sqlalchemy import and_, case, false, func, or_, select

from data_access import schema
from data_access.scope import PLATFORM, Scope

DAY_S = 86_400
WEEK_DAYS = 7


def keys(scope: Scope) -> tuple[str, ...]:
    """The scope keys whose union is the viewer's visible users (scope.visible_users): none for a viewer who
    manages no group."""
    return (PLATFORM,) if scope.is_owner else scope.managed_groups


def users_of(scope: Scope):
    """A select of the user ids scope.visible_users lets through (any role, deleted included)."""
    su = schema.scope_users
    return select(su.c.user_id).where(su.c.group_id.in_(keys(scope)))


def learners(scope: Scope):
    """Current learners of the scope (user_id, last_login_at), each once: a learner role in any group, not deleted."""
    su = schema.scope_users
    ks = keys(scope)
    stmt = select(su.c.user_id, su.c.last_login_at).where(
        su.c.group_id.in_(ks) if ks else false(), su.c.deleted == 0, su.c.learner == 1)
    return stmt if len(ks) <= 1 else stmt.distinct()


def learners_since(conn, scope: Scope, limits: list[int]) -> tuple[int, int, list[int]]:
    """(current learners, those never logged in, [those whose last login is at or after each limit (epoch s)]).
    One scope key: its per-day counts (scope_recency) plus, per limit, the learners of the limit's own day."""
    ks = keys(scope)
    if len(ks) != 1:
        sub = learners(scope).subquery()
        row = conn.execute(select(func.count(), func.count(sub.c.last_login_at),
                                  *[func.sum(case((sub.c.last_login_at >= t, 1), else_=0)) for t in limits])).one()
        return int(row[0]), int(row[0]) - int(row[1]), [int(n or 0) for n in row[2:]]
    sr, su = schema.scope_recency, schema.scope_users
    by_day = conn.execute(select(sr.c.day, sr.c.learners).where(sr.c.group_id == ks[0])).all()
    exact = [select(func.count()).where(su.c.group_id == ks[0], su.c.deleted == 0, su.c.learner == 1,
                                        su.c.last_login_at >= t, su.c.last_login_at < (t // DAY_S + 1) * DAY_S)
             .scalar_subquery() for t in limits]
    within = conn.execute(select(*exact)).one() if limits else ()
    total = sum(int(n) for _d, n in by_day)
    never = sum(int(n) for d, n in by_day if d < 0)
    since = [sum(int(n) for d, n in by_day if d > t // DAY_S) + int(within[i]) for i, t in enumerate(limits)]
    return total, never, since


def registered_in(conn, scope: Scope, sessions) -> tuple[int, float | None] | None:
    """(registrations of the scope's users in the sessions of the select `sessions`, their average progress) from
    scope_sessions; None when the scope has several keys (a user in two of them would count twice)."""
    ks = keys(scope)
    if len(ks) != 1:
        return None
    ss = schema.scope_sessions
    n, total = conn.execute(select(func.sum(ss.c.registered), func.sum(ss.c.progress_sum))
                            .where(ss.c.group_id == ks[0], ss.c.session_id.in_(sessions))).one()
    n = int(n or 0)
    return n, (float(total) / n if n else None)


def facts_cover(conn, first_day: int) -> bool:
    """Whether scope_login_days holds every day from first_day on (it keeps the last days of logins only)."""
    sld = schema.scope_login_days
    first = conn.execute(select(func.min(sld.c.day)).where(sld.c.group_id == PLATFORM)).scalar()
    return first is not None and first <= first_day


def active_by_week(conn, scope: Scope, bounds: list[int], now_s: int) -> dict[int, int] | None:
    """Users of the scope with a login in each week [bounds[i], bounds[i + 1]) before now, {week index: n}, from
    scope_login_days for whole UTC days before today and login_days for today; None when the facts cannot say (several
    scope keys, weeks not starting at a UTC midnight or not 7 days long, days older than the facts)."""
    ks = keys(scope)
    days = [b // DAY_S for b in bounds]
    weekly = all(b - a == WEEK_DAYS for a, b in zip(days, days[1:], strict=False))
    if len(ks) != 1 or any(b % DAY_S for b in bounds) or not weekly:
        return None
    today = now_s // DAY_S
    if not facts_cover(conn, days[0]):
        return None
    sld = schema.scope_login_days
    gaps = [sld.c.active] + [sld.c[f"gap{k}"] for k in range(1, WEEK_DAYS)]
    counts: dict[int, int] = {}
    for row in conn.execute(select(sld.c.day, *gaps).where(sld.c.group_id == ks[0], sld.c.day >= days[0],
                                                           sld.c.day < min(days[-1], today))):
        i = (row[0] - days[0]) // WEEK_DAYS
        counts[i] = counts.get(i, 0) + int(row[1 + (row[0] - days[0]) % WEEK_DAYS])
    if days[0] <= today < days[-1]:
        i = (today - days[0]) // WEEK_DAYS
        counts[i] = counts.get(i, 0) + _today(conn, ks[0], today, bounds[i], now_s)
    return counts


def _today(conn, key: str, today: int, week_start: int, now_s: int) -> int:
    """Users of the scope key whose first login of the week starting at week_start is today, before now."""
    ld, su = schema.login_days, schema.scope_users
    stmt = select(func.count()).where(ld.c.day == today, ld.c.first_at < now_s,
                                      or_(ld.c.prev_at.is_(None), ld.c.prev_at < week_start))
    if key != PLATFORM:
        stmt = stmt.where(select(su.c.user_id).where(and_(su.c.group_id == key, su.c.user_id == ld.c.user_id))
                          .exists())
    return int(conn.execute(stmt).scalar_one())
