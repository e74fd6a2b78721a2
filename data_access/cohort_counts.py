"""A large cohort's weekly trend read from the cohort facts (schema.cohort_scopes, cohort_days; kept by
data_access.write.derive_cohort): the participants of the viewer's share, the active participants of each week and
the blocks they completed by each week's end, from a few rows per day of the cohort.
Helper of data_access.queries.trends: no `now` of its own, every limit is an argument.
"""

from __future__ import annotations

from sqlalchemy import and_, false, func, or_, select

from data_access import schema
from data_access.scope import PLATFORM, Scope

DAY_S = 86_400
WEEK_DAYS = 7


def share_keys(scope: Scope, session_id: str) -> tuple[str, ...]:
    """The scope keys whose union holds the users of the session the viewer sees (scope.session_users_condition):
    PLATFORM for the platform owner and an instructor of the session, else the groups they administer or coach."""
    return (PLATFORM,) if scope.is_owner or session_id in scope.instructor_sessions else scope.managed_groups


def current_in(keys: tuple[str, ...], user_col):
    """SQL condition: the user is not deleted and one of the keys holds them (a probe of scope_users' primary key,
    whose deleted flag is the user's)."""
    if not keys:
        return false()
    k = schema.scope_users
    if keys == (PLATFORM,):  # every user but the deleted ones, few: an anti-join with their range of the index
        return ~select(k.c.user_id).where(k.c.group_id == PLATFORM, k.c.deleted == 1, k.c.user_id == user_col).exists()
    return select(k.c.user_id).where(k.c.group_id.in_(keys), k.c.user_id == user_col, k.c.deleted == 0).exists()


def trend(conn, scope: Scope, session_id: str, bounds: list[int], now_s: int) -> tuple[int, dict, list[int]] | None:
    """(participants, {week index: participants with a login in [bounds[i], bounds[i + 1]) before now}, [blocks they
    completed by min(bounds[i + 1], now)] for each week) from the facts; None when the facts cannot say: several scope
    keys, weeks not starting at a UTC midnight, a share too small to be kept. Whole days before today's are read from
    the facts; today's too when it holds nothing after now, else today's part is read from login_days and
    block_results."""
    keys = share_keys(scope, session_id)
    key = keys[0] if len(keys) == 1 else None
    days = [b // DAY_S for b in bounds]
    weekly = all(b - a == WEEK_DAYS for a, b in zip(days, days[1:], strict=False))
    if key is None or any(b % DAY_S for b in bounds) or not weekly:
        return None
    cs, cd = schema.cohort_scopes, schema.cohort_days
    participants = conn.execute(select(cs.c.participants)
                                .where(cs.c.session_id == session_id, cs.c.group_id == key)).scalar()
    if participants is None:
        return None
    today = now_s // DAY_S
    gaps = [cd.c.active] + [cd.c[f"gap{k}"] for k in range(1, WEEK_DAYS)]
    by_day = {int(r[0]): r for r in conn.execute(
        select(cd.c.day, cd.c.completed, cd.c.last_at, *gaps)
        .where(cd.c.session_id == session_id, cd.c.group_id == key, cd.c.day <= min(days[-1] - 1, today)))}
    now_row = by_day.pop(today, None)
    active: dict[int, int] = {}
    for day, row in by_day.items():
        if day >= days[0]:
            i, k = divmod(day - days[0], WEEK_DAYS)
            active[i] = active.get(i, 0) + int(row[3 + k])

    def completed_before(day: int) -> int:
        return sum(int(r[1]) for d, r in by_day.items() if d < day)

    done = []
    for i, end in enumerate(days[1:]):
        if end <= today:
            done.append(completed_before(end))
            continue
        k = today - days[i]  # the week of now: today's first logins of the week and completions up to now
        if now_row is None:
            first_logins, completions = 0, 0
        elif now_row[2] < now_s:  # nothing after now that day: all of it counts
            first_logins, completions = int(now_row[3 + k]), int(now_row[1])
        else:
            first_logins, completions = _today(conn, session_id, key, today, bounds[i], now_s)
        active[i] = active.get(i, 0) + first_logins
        done.append(completed_before(today) + completions)
    return participants, active, done


def _participant(key: str, session_col, user_col):
    """SQL condition: the user of a row is one of the key's participants of the session (registered, not deleted, held
    by the key), probed by primary keys."""
    su = schema.session_users
    return and_(select(su.c.user_id).where(su.c.session_id == session_col, su.c.user_id == user_col,
                                           su.c.registered == 1).exists(), current_in((key,), user_col))


def _today(conn, session_id: str, key: str, today: int, week_start: int, now_s: int) -> tuple[int, int]:
    """(participants whose first login of the week starting at week_start is today, before now; blocks they
    completed in (today 00:00, now]) from login_days and block_results."""
    ld, br = schema.login_days, schema.block_results
    logins = select(func.count()).where(ld.c.day == today, ld.c.first_at < now_s,
                                        or_(ld.c.prev_at.is_(None), ld.c.prev_at < week_start),
                                        _participant(key, session_id, ld.c.user_id))
    blocks = select(func.count()).where(br.c.session_id == session_id, br.c.completed == 1,
                                        br.c.completed_at > today * DAY_S, br.c.completed_at <= now_s,
                                        _participant(key, br.c.session_id, br.c.user_id))
    first_logins, completions = conn.execute(select(logins.scalar_subquery(), blocks.scalar_subquery())).one()
    return int(first_logins), int(completions)
