"""Accounts: who may sign in, with what, and what they did (sign-in is metrics.md "Who sees what" applied to
a browser). People are the bundle's users; a password hash, one-time links and the audit log are ours.

Every function takes a connection (the caller owns the transaction) and plain values; password hashing
happens in dashboard.core.passwords, so this module stores and compares only what it is given.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, insert, inspect, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from data_access import schema
from data_access.scope import Scope, scope_for_user

log = logging.getLogger("learnpulse.audit")

INVITE, SIGN_IN = "invite", "sign-in"
INVITE_DAYS = 7
FIRST_START_HOURS = 24
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Account:
    """A user who may be signed in: identity for the navbar, scope for every query."""
    user_id: str
    email: str
    first_name: str
    last_name: str
    deleted: bool
    scope: Scope

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


def _epoch(now: datetime) -> int:
    return int(now.timestamp())


def user_by_email(conn, email: str):
    """The user row (user_id, email, names, deleted_at) for an email, case-insensitive; None if unknown."""
    u = schema.users
    return conn.execute(select(u.c.user_id, u.c.email, u.c.first_name, u.c.last_name, u.c.deleted_at)
                        .where(u.c.email_lower == (email or "").strip().lower())).first()


def account(conn, scope: Scope, now: datetime, user_id: str) -> Account | None:
    """The account behind a session: None when the user no longer exists. Cached per data version by the
    app (an import that deletes the user changes the version, so their next request finds them deleted)."""
    u = schema.users
    row = conn.execute(select(u.c.user_id, u.c.email, u.c.first_name, u.c.last_name, u.c.deleted_at)
                       .where(u.c.user_id == user_id)).first()
    if row is None:
        return None
    return Account(row.user_id, row.email, row.first_name, row.last_name, row.deleted_at is not None,
                   scope_for_user(conn, row.user_id))


def password_hash(conn, user_id: str) -> str | None:
    c = schema.credentials
    return conn.execute(select(c.c.password_hash).where(c.c.user_id == user_id)).scalar()


def set_password_hash(conn, user_id: str, hashed: str, now: datetime) -> None:
    c = schema.credentials
    done = conn.execute(update(c).where(c.c.user_id == user_id).values(password_hash=hashed,
                                                                          updated_at=_epoch(now)))
    if not done.rowcount:
        conn.execute(insert(c).values(user_id=user_id, password_hash=hashed, updated_at=_epoch(now)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(conn, user_id: str, purpose: str, now: datetime, valid_s: int) -> str:
    """A new one-time link token (returned once; only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    conn.execute(insert(schema.login_tokens).values(token_hash=_digest(token), user_id=user_id, purpose=purpose,
                                                    created_at=_epoch(now), expires_at=_epoch(now) + valid_s))
    return token


def issue_sign_in(conn, now: datetime, email: str | None = None, valid_s: int = FIRST_START_HOURS * 3600) -> str:
    """A one-time sign-in link token for the user with this email (default: the platform owner): the
    first-start link, and how tests and benchmarks sign in. LookupError when there is nobody to sign in."""
    if email is None:
        user_id = platform_owner(conn)
        if user_id is None:
            raise LookupError("no platform owner (a current admin of the root group)")
    else:
        row = user_by_email(conn, email)
        if row is None or row.deleted_at is not None:
            raise LookupError(f"no current user with email {email!r}")
        user_id = row.user_id
    return issue_token(conn, user_id, SIGN_IN, now, valid_s)


def token_user(conn, token: str, purpose: str, now: datetime) -> str | None:
    """The user a token is for, if it is unused, unexpired, of this purpose and the user is not deleted."""
    t, u = schema.login_tokens, schema.users
    return conn.execute(select(t.c.user_id).join(u, u.c.user_id == t.c.user_id)
                        .where(t.c.token_hash == _digest(token or ""), t.c.purpose == purpose,
                               t.c.used_at.is_(None), t.c.expires_at > _epoch(now),
                               u.c.deleted_at.is_(None))).scalar()


def use_token(conn, token: str, purpose: str, now: datetime) -> str | None:
    """Spend a token: the user it was for, or None if it was not valid. Exactly one caller wins a race (the
    UPDATE only matches an unused row)."""
    user_id = token_user(conn, token, purpose, now)
    if user_id is None:
        return None
    t = schema.login_tokens
    spent = conn.execute(update(t).where(t.c.token_hash == _digest(token), t.c.used_at.is_(None))
                         .values(used_at=_epoch(now)))
    return user_id if spent.rowcount == 1 else None


def forget_expired_tokens(conn, now: datetime) -> None:
    t = schema.login_tokens
    conn.execute(delete(t).where(or_(t.c.expires_at <= _epoch(now), t.c.used_at.is_not(None))))


@dataclass(frozen=True)
class SignInSession:
    """A sign-in session's row: whose it is, the hash of its "keep me signed in" token, when it ends (epoch s)."""
    user_id: str
    remember_hash: str | None
    expires_at: int


def start_signin_session(conn, user_id: str, now: datetime, valid_s: int, remember: bool) -> tuple[str, str | None]:
    """A new sign-in session: (its id, its "keep me signed in" token or None), each returned once; only their
    hashes are stored. Sessions that have expired (anyone's) are forgotten on the way."""
    s = schema.signin_sessions
    conn.execute(delete(s).where(s.c.expires_at <= _epoch(now)))
    session_id = secrets.token_urlsafe(32)
    token = secrets.token_urlsafe(32) if remember else None
    conn.execute(insert(s).values(session_hash=_digest(session_id), user_id=user_id,
                                  remember_hash=_digest(token) if token else None,
                                  created_at=_epoch(now), expires_at=_epoch(now) + valid_s))
    return session_id, token


def signin_session(conn, session_id: str) -> SignInSession | None:
    """The sign-in session with this id (by its primary key), expired or not; None when it was ended."""
    s = schema.signin_sessions
    row = conn.execute(select(s.c.user_id, s.c.remember_hash, s.c.expires_at)
                       .where(s.c.session_hash == _digest(session_id or ""))).first()
    return None if row is None else SignInSession(row.user_id, row.remember_hash, row.expires_at)


def remember_token_ok(found: SignInSession | None, token: str | None) -> bool:
    """Whether `token` is the "keep me signed in" token of this sign-in session."""
    return (found is not None and found.remember_hash is not None and bool(token)
            and hmac.compare_digest(found.remember_hash, _digest(token)))


def end_signin_session(conn, session_id: str) -> None:
    s = schema.signin_sessions
    conn.execute(delete(s).where(s.c.session_hash == _digest(session_id or "")))


def end_signin_sessions(conn, user_id: str) -> int:
    """End every sign-in session of a person (sign out everywhere, a new password): how many there were."""
    s = schema.signin_sessions
    return conn.execute(delete(s).where(s.c.user_id == user_id)).rowcount


def end_signin_sessions_of_deleted(conn) -> int:
    """End every sign-in session of people who are deleted (after an import)."""
    s, u = schema.signin_sessions, schema.users
    if not inspect(conn).has_table(s.name):  # a database migrated only up to an older revision
        return 0
    return conn.execute(delete(s).where(s.c.user_id.in_(select(u.c.user_id).where(u.c.deleted_at.is_not(None)))
                                        )).rowcount


def record(conn, now: datetime, event: str, user_id: str | None = None, subject_id: str | None = None,
           email: str | None = None, address: str | None = None, detail: str | None = None) -> None:
    """One audit row, and the same line in the log."""
    conn.execute(insert(schema.audit_log).values(at=_epoch(now), event=event, user_id=user_id,
                                                 subject_id=subject_id, email=email, address=address,
                                                 detail=detail))
    log.info("audit %s user=%s subject=%s email=%s address=%s %s", event, user_id or "-", subject_id or "-",
             email or "-", address or "-", detail or "")


def audit_events(conn, scope: Scope, now: datetime, limit: int = 200) -> list[dict]:
    """The newest audit rows with the names of who acted and whom it concerned (owners only)."""
    if not scope.is_owner:
        return []
    a, u = schema.audit_log, schema.users
    actor, subject = u.alias("actor"), u.alias("subject")
    rows = conn.execute(
        select(a, actor.c.email.label("actor_email"), subject.c.email.label("subject_email"))
        .outerjoin(actor, actor.c.user_id == a.c.user_id).outerjoin(subject, subject.c.user_id == a.c.subject_id)
        .order_by(a.c.id.desc()).limit(limit)).mappings()
    return [dict(r) for r in rows]


def platform_owner(conn) -> str | None:
    """The platform owner, for the first-start link: the earliest-registered current admin of the root group."""
    u, m, g = schema.users, schema.memberships, schema.groups
    return conn.execute(select(u.c.user_id).join(m, m.c.user_id == u.c.user_id)
                        .join(g, and_(g.c.group_id == m.c.group_id, g.c.parent_id.is_(None)))
                        .where(m.c.role == "admin", u.c.deleted_at.is_(None))
                        .order_by(u.c.registered_at, u.c.user_id).limit(1)).scalar()


def search_people(conn, scope: Scope, now: datetime, text: str = "", limit: int = SEARCH_LIMIT) -> list[dict]:
    """Current users whose name or email contains `text` (owners only: the View as picker), staff first."""
    if not scope.is_owner:
        return []
    u, m = schema.users, schema.memberships
    needle = f"%{(text or '').strip().lower()}%"
    staff = (select(m.c.user_id, func.min(m.c.role).label("role"))
             .where(m.c.role != "learner").group_by(m.c.user_id)).subquery()
    full_name = func.lower(u.c.first_name + " " + u.c.last_name)
    rows = conn.execute(
        select(u.c.user_id, u.c.first_name, u.c.last_name, u.c.email, staff.c.role)
        .outerjoin(staff, staff.c.user_id == u.c.user_id)
        .where(u.c.deleted_at.is_(None), or_(u.c.email_lower.like(needle), full_name.like(needle)))
        .order_by(staff.c.role.is_(None), u.c.last_name, u.c.first_name, u.c.user_id).limit(limit)).all()
    return [{"user_id": r.user_id, "name": f"{r.first_name} {r.last_name}", "email": r.email,
             "role": r.role or "learner"} for r in rows]


def _kept_secret(engine, key: str) -> str:
    """A random value made once per deployment and kept in the database (table meta), so every app process and
    every restart shares it; several processes starting at once agree on the first one written."""
    m = schema.meta
    with engine.begin() as conn:
        value = conn.execute(select(m.c.value).where(m.c.key == key)).scalar()
        if value:
            return value
        dialect_insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[conn.dialect.name]
        conn.execute(dialect_insert(m).values(key=key, value=secrets.token_hex(32))
                     .on_conflict_do_nothing(index_elements=["key"]))
        return conn.execute(select(m.c.value).where(m.c.key == key)).scalar_one()


def app_secret(engine) -> str:
    """The key that signs session cookies when SECRET_KEY is not set: random, made once, kept in the database
    so every app process (and every restart) shares it. Whoever can read the database can read it, as they
    can read everything else."""
    return _kept_secret(engine, "secret_key")


def pseudonym_key(engine) -> str:
    """The key of the meeting-safe pseudonyms (dashboard.core.pseudonyms): made once per deployment like app_secret,
    so a person has the same pseudonym every day and a different one in another deployment."""
    return _kept_secret(engine, "pseudonym_key")


def meeting_safe(conn, user_id: str) -> bool:
    """Whether this person shows names as pseudonyms (off until they switch it on)."""
    p = schema.user_preferences
    return bool(conn.execute(select(p.c.meeting_safe).where(p.c.user_id == user_id)).scalar())


def set_meeting_safe(conn, user_id: str, on: bool, at: datetime) -> None:
    p = schema.user_preferences
    dialect_insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[conn.dialect.name]
    values = {"meeting_safe": int(bool(on)), "updated_at": int(at.timestamp())}
    conn.execute(dialect_insert(p).values(user_id=user_id, **values)
                 .on_conflict_do_update(index_elements=["user_id"], set_=values))


def people_directory(conn, scope: Scope, now: datetime) -> list[tuple[str, str, str, str]]:
    """Every user, deleted ones included, as (user_id, first name, last name, email): what the meeting-safe mode
    recognises and replaces (run with the owner's scope; never shown)."""
    u = schema.users
    return [tuple(r) for r in conn.execute(select(u.c.user_id, u.c.first_name, u.c.last_name, u.c.email))]
