"""The weekly digest's records (metrics.md, "Weekly digest"): who receives it and when, what each period did for
each recipient, and what their latest digest counted at risk.

Exactly once per period: a process sends a recipient's digest only after claiming (recipient, period) in a
short locked transaction (`SELECT … FOR UPDATE SKIP LOCKED` on the subscription row on PostgreSQL, an immediate
transaction on SQLite), which also checks that no other process has claimed, sent or found it empty. A claim is
a lease: a process that dies while sending leaves it to the next run once it expires. Times are epoch seconds;
`period_at` is the scheduled moment (the day and hour in the configured time zone).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, insert, select, update

from data_access import schema

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_DAY, DEFAULT_HOUR = 0, 7  # Monday 07:00
CLAIMED, SENT, EMPTY, FAILED = "claimed", "sent", "empty", "failed"
DONE = (SENT, EMPTY)
LEASE_S = 15 * 60  # a claim older than this belonged to a process that stopped: the next run takes it over
MAX_ATTEMPTS = 5  # a recipient the server keeps refusing (a bad address) is not tried again in that period


@dataclass(frozen=True)
class Subscription:
    user_id: str
    weekday: int  # 0 = Monday
    hour: int
    subscribed_at: int

    @property
    def when(self) -> str:
        return f"{DAY_NAMES[self.weekday]} at {self.hour:02d}:00"


def parse_day(value) -> int:
    """A weekday (mon…sun, monday…sunday, or 0-6 from Monday) as 0-6; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("the day is one of mon, tue, wed, thu, fri, sat, sun")
    if isinstance(value, int) and 0 <= value <= 6:
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        for i, (short, name) in enumerate(zip(DAYS, DAY_NAMES, strict=True)):
            if word in (short, name.lower()):
                return i
    raise ValueError("the day is one of mon, tue, wed, thu, fri, sat, sun")


def parse_hour(value) -> int:
    """An hour of the day 0-23; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("the hour is a whole number from 0 to 23")
    try:
        number = float(value)
    except ValueError:
        raise ValueError("the hour is a whole number from 0 to 23") from None
    if not 0 <= number <= 23 or int(number) != number:  # NaN and infinities fail the range first
        raise ValueError("the hour is a whole number from 0 to 23")
    return int(number)


def period_at(weekday: int, hour: int, now: datetime, timezone: str = "UTC") -> int:
    """The latest scheduled moment at or before now: that weekday at that hour, in the time zone (epoch s)."""
    tz = ZoneInfo(timezone)
    local = now.astimezone(tz)
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    slot = datetime(day.year, day.month, day.day, hour, tzinfo=tz)
    if slot > now:
        day -= timedelta(days=7)
        slot = datetime(day.year, day.month, day.day, hour, tzinfo=tz)
    return int(slot.timestamp())


# --- subscriptions ----------------------------------------------------------------------------------------------
def user_email(conn, user_id: str) -> str | None:
    """The email of a user (deleted or not); None when there is no such user."""
    u = schema.users
    return conn.execute(select(u.c.email).where(u.c.user_id == user_id)).scalar()


def subscription(conn, user_id: str) -> Subscription | None:
    d = schema.digest_subscriptions
    row = conn.execute(select(d).where(d.c.user_id == user_id)).first()
    return None if row is None else Subscription(row.user_id, row.weekday, row.hour, row.subscribed_at)


def subscribe(conn, user_id: str, weekday: int, hour: int, now_s: int) -> Subscription:
    """Start (or reschedule) someone's digest. A new subscriber's first digest is due at once (the current
    period), then on schedule; a new day or hour takes effect from its next scheduled moment (rescheduling on
    Wednesday from Monday to Tuesday sends nothing more that week)."""
    weekday, hour = parse_day(weekday), parse_hour(hour)
    d = schema.digest_subscriptions
    current = subscription(conn, user_id)
    if current is not None and (current.weekday, current.hour) == (weekday, hour):
        return current
    values = {"weekday": weekday, "hour": hour, "subscribed_at": now_s}
    if current is None:
        conn.execute(insert(d).values(user_id=user_id, **values))
    else:
        conn.execute(update(d).where(d.c.user_id == user_id).values(**values))
    return Subscription(user_id, weekday, hour, now_s)


def unsubscribe(conn, user_id: str) -> bool:
    """Stop someone's digest; True when they were subscribed. Their digests' records are forgotten, so a later
    subscription starts afresh (its first digest counts everyone at risk as newly at risk)."""
    gone = conn.execute(delete(schema.digest_subscriptions)
                        .where(schema.digest_subscriptions.c.user_id == user_id)).rowcount
    conn.execute(delete(schema.digest_at_risk).where(schema.digest_at_risk.c.user_id == user_id))
    conn.execute(delete(schema.digest_sends).where(schema.digest_sends.c.user_id == user_id))
    return bool(gone)


@dataclass(frozen=True)
class Due:
    user_id: str
    email: str
    period_at: int


def due(conn, now: datetime, timezone: str, clock_s: int) -> list[Due]:
    """The subscriptions whose current period (the latest scheduled moment at or before now) is not done: neither
    sent nor found empty, not claimed by a live process, not given up on (MAX_ATTEMPTS refusals), and either the
    subscriber's first or scheduled after they chose this schedule. Deleted users receive nothing. By user id."""
    d, u, s = schema.digest_subscriptions, schema.users, schema.digest_sends
    tried = select(s.c.user_id).where(s.c.user_id == d.c.user_id).exists()
    rows = conn.execute(select(d.c.user_id, d.c.weekday, d.c.hour, d.c.subscribed_at, u.c.email,
                               tried.label("tried"))
                        .join(u, u.c.user_id == d.c.user_id).where(u.c.deleted_at.is_(None))
                        .order_by(d.c.user_id)).all()
    sends = {(r.user_id, r.period_at): r for r in conn.execute(
        select(s.c.user_id, s.c.period_at, s.c.status, s.c.claimed_until, s.c.attempts)
        .where(s.c.period_at >= int(now.timestamp()) - 8 * 86_400))}
    out = []
    for r in rows:
        period = period_at(r.weekday, r.hour, now, timezone)
        if (r.tried and period < r.subscribed_at) or not _open(sends.get((r.user_id, period)), clock_s):
            continue
        out.append(Due(r.user_id, r.email, period))
    return out


def _open(send, clock_s: int) -> bool:
    """Whether a period with this record (None: never tried) may be tried now."""
    if send is None:
        return True
    if send.status in DONE:
        return False
    if send.status == CLAIMED and (send.claimed_until or 0) > clock_s:
        return False
    return not (send.status == FAILED and send.attempts >= MAX_ATTEMPTS)


# --- claims -----------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def locked(engine):
    """A transaction that holds the write lock from its first statement on SQLite (BEGIN IMMEDIATE: two processes
    claiming at once take turns); on PostgreSQL an ordinary one (the claim locks the subscription's row)."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def claim(engine, user_id: str, period: int, clock_s: int, lease_s: int = LEASE_S) -> int | None:
    """Take (recipient, period) for this process: the claim's token (its expiry) or None when another process has
    it, it is done, given up on, or the person unsubscribed meanwhile."""
    s, d = schema.digest_sends, schema.digest_subscriptions
    with locked(engine) as conn:
        sub = select(d.c.user_id).where(d.c.user_id == user_id)
        if conn.dialect.name == "postgresql":
            sub = sub.with_for_update(skip_locked=True)  # another process holds it: leave it to them
        if conn.execute(sub).first() is None:
            return None
        where = and_(s.c.user_id == user_id, s.c.period_at == period)
        row = conn.execute(select(s.c.status, s.c.claimed_until, s.c.attempts).where(where)).first()
        if not _open(row, clock_s):
            return None
        token = clock_s + lease_s
        if row is None:
            conn.execute(insert(s).values(user_id=user_id, period_at=period, status=CLAIMED, claimed_until=token,
                                          attempts=0))
        else:
            conn.execute(update(s).where(where).values(status=CLAIMED, claimed_until=token))
    return token


def _ours(user_id: str, period: int, token: int):
    s = schema.digest_sends
    return and_(s.c.user_id == user_id, s.c.period_at == period, s.c.status == CLAIMED, s.c.claimed_until == token)


def finish(engine, user_id: str, period: int, token: int, status: str, computed_at: int, clock_s: int,
           counts: dict, at_risk: list[tuple[str, str, str]]) -> bool:
    """Record a claimed period as sent or empty and keep what it counted at risk ((learner, session, reasons)
    triples) for the next digest. False (nothing written) when the claim was no longer this process's."""
    s, a = schema.digest_sends, schema.digest_at_risk
    with locked(engine) as conn:
        done = conn.execute(update(s).where(_ours(user_id, period, token)).values(
            status=status, claimed_until=None, computed_at=computed_at, sent_at=clock_s if status == SENT else None,
            attempts=s.c.attempts + 1, error=None, at_risk=counts.get("at_risk"), newly=counts.get("newly"),
            recovered=counts.get("recovered"), contacts=counts.get("contacts"))).rowcount
        if not done:
            return False
        conn.execute(delete(a).where(a.c.user_id == user_id))
        rows = [{"user_id": user_id, "learner_id": lid, "session_id": sid, "reasons": reasons}
                for lid, sid, reasons in at_risk]
        if rows:  # (one executemany: the driver sends it in batches)
            conn.execute(insert(a), rows)
    return True


def fail(engine, user_id: str, period: int, token: int, error: str, counts_attempt: bool) -> None:
    """Record that a claimed period failed (tried again at the next run); counts_attempt: the server refused this
    recipient (towards MAX_ATTEMPTS), not merely could not be reached."""
    s = schema.digest_sends
    values = {"status": FAILED, "claimed_until": None, "error": error[:2000]}
    if counts_attempt:
        values["attempts"] = s.c.attempts + 1
    with locked(engine) as conn:
        conn.execute(update(s).where(_ours(user_id, period, token)).values(**values))


def release(engine, user_id: str, period: int, token: int) -> None:
    """Give a claim back untouched (the run stopped before this recipient's turn)."""
    s = schema.digest_sends
    with locked(engine) as conn:
        conn.execute(update(s).where(_ours(user_id, period, token)).values(status=FAILED, claimed_until=None))


# --- what the previous digest counted ---------------------------------------------------------------------------
def previous(conn, user_id: str) -> dict | None:
    """The recipient's latest digest that was sent or found empty: when it was computed and how many it counted
    at risk; None before the first."""
    s = schema.digest_sends
    row = conn.execute(select(s.c.computed_at, s.c.at_risk, s.c.period_at)
                       .where(s.c.user_id == user_id, s.c.status.in_(DONE))
                       .order_by(s.c.period_at.desc()).limit(1)).first()
    return None if row is None else {"computed_at": row.computed_at, "at_risk": row.at_risk, "period_at": row.period_at}


def previous_at_risk(conn, user_id: str) -> dict[tuple[str, str], str]:
    """(learner, session) → reasons (joined with |) that the recipient's latest digest counted at risk."""
    a = schema.digest_at_risk
    return {(r.learner_id, r.session_id): r.reasons
            for r in conn.execute(select(a.c.learner_id, a.c.session_id, a.c.reasons).where(a.c.user_id == user_id))}


def history(conn, user_id: str, limit: int = 10) -> list[dict]:
    """The recipient's latest periods, most recent first (the settings page shows them)."""
    s = schema.digest_sends
    rows = conn.execute(select(s).where(s.c.user_id == user_id).order_by(s.c.period_at.desc()).limit(limit))
    return [dict(r._mapping) for r in rows]


def counts(conn) -> dict:
    """How many people are subscribed, and the periods by status (the benchmark and the command line)."""
    s = schema.digest_sends
    by_status = dict(conn.execute(select(s.c.status, func.count()).group_by(s.c.status)).all())
    subscribed = conn.execute(select(func.count()).select_from(schema.digest_subscriptions)).scalar_one()
    return {"subscribed": subscribed, **by_status}

