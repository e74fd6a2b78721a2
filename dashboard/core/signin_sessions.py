"""Sign-in sessions (not program sessions): who is signed in is decided on the server, on every request.

Signing in creates a row in `signin_sessions` (data_access.accounts) and puts its random id in the signed session
cookie; "keep me signed in" adds the cookie `learnpulse_remember` = `<id>.<token>`, of which only the token's
sha256 is stored. Every request looks its id up by primary key; a row that was deleted (sign-out, sign out
everywhere, a new password, a deletion by an import) or has expired signs nobody in, whatever cookie is replayed.

Each process remembers a lookup for at most CHECK_TTL_S seconds, so an ended session stops working in every
process within that bound (in the process that ended it at once).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

import flask
from sqlalchemy.engine import Engine

from data_access import accounts

EXTENSION = "learnpulse.signin_sessions"
SESSION_KEY = "signin"  # Flask session key: the sign-in session's id
REMEMBER_COOKIE = "learnpulse_remember"
VALID_DAYS = 30  # a sign-in session, and its "keep me signed in" cookie, end 30 days after signing in
CHECK_TTL_S = 1.0  # how long a process may reuse a lookup: the bound on revocation across processes
MAX_REMEMBERED = 10_000  # lookups kept per process (then the oldest are dropped)


@dataclass
class Store:
    """The sign-in sessions of one app: start, look up (briefly cached), end."""
    engine: Engine
    ttl_s: float = CHECK_TTL_S
    _seen: dict = field(default_factory=dict)  # session id -> (monotonic time of the lookup, SignInSession | None)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, user_id: str, now: datetime, remember: bool) -> tuple[str, str | None]:
        with self.engine.begin() as conn:
            session_id, token = accounts.start_signin_session(conn, user_id, now, VALID_DAYS * 86_400, remember)
        return session_id, token

    def lookup(self, session_id: str | None) -> accounts.SignInSession | None:
        """The current (not ended, not expired) sign-in session with this id, or None."""
        if not isinstance(session_id, str) or not session_id:
            return None
        clock = time.monotonic()
        seen = self._seen.get(session_id)
        if seen is not None and clock - seen[0] < self.ttl_s:
            found = seen[1]
        else:
            with self.engine.connect() as conn:
                found = accounts.signin_session(conn, session_id)
            self._remember(session_id, clock, found)
        if found is None or found.expires_at <= time.time():
            return None
        return found

    def end(self, session_id: str | None) -> None:
        if not isinstance(session_id, str) or not session_id:
            return
        with self.engine.begin() as conn:
            accounts.end_signin_session(conn, session_id)
        self._seen.pop(session_id, None)

    def end_all(self, user_id: str) -> int:
        with self.engine.begin() as conn:
            ended = accounts.end_signin_sessions(conn, user_id)
        self.forget_user(user_id)
        return ended

    def forget_user(self, user_id: str) -> None:
        """Drop this process's lookups of someone's sessions (they were just ended here)."""
        with self._lock:
            for key in [k for k, (_, found) in self._seen.items() if found is not None and found.user_id == user_id]:
                self._seen.pop(key, None)

    def _remember(self, session_id: str, clock: float, found) -> None:
        with self._lock:
            if len(self._seen) >= MAX_REMEMBERED:
                fresh = {k: v for k, v in self._seen.items() if clock - v[0] < self.ttl_s}
                self._seen.clear()
                if len(fresh) < MAX_REMEMBERED // 2:
                    self._seen.update(fresh)
            self._seen[session_id] = (clock, found)


def store() -> Store:
    return flask.current_app.extensions[EXTENSION]


def current_id() -> str | None:
    value = flask.session.get(SESSION_KEY)
    return value if isinstance(value, str) else None


def remember_cookie() -> tuple[str, str] | None:
    """(session id, token) from the "keep me signed in" cookie, when it has that form."""
    value = flask.request.cookies.get(REMEMBER_COOKIE) or ""
    session_id, dot, token = value.partition(".")
    return (session_id, token) if dot and session_id and token else None


def set_remember_cookie(session_id: str, token: str) -> None:
    flask.g.remember_cookie = f"{session_id}.{token}"


def clear_remember_cookie() -> None:
    flask.g.remember_cookie = ""


def register(server: flask.Flask, engine: Engine) -> Store:
    server.extensions[EXTENSION] = found = Store(engine)

    @server.after_request
    def _remember_cookie(response: flask.Response) -> flask.Response:
        value = flask.g.get("remember_cookie")
        if value is None:
            return response
        options = {"path": "/", "httponly": True, "samesite": "Lax",
                   "secure": bool(server.config.get("SESSION_COOKIE_SECURE"))}
        if value:
            response.set_cookie(REMEMBER_COOKIE, value, max_age=VALID_DAYS * 86_400, **options)
        elif REMEMBER_COOKIE in flask.request.cookies:
            response.delete_cookie(REMEMBER_COOKIE, **options)
        return response

    return found
