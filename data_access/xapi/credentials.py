"""HTTP Basic credentials for POST /xapi/statements: a key and a secret, the secret kept only as an Argon2 hash.

Checking an Argon2 hash costs tens of milliseconds on purpose; an LRS client posts many small batches, so a
Checker remembers, for a minute, the keys whose secret it has verified (by a SHA-256 of key and secret, never
the secret itself).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import text
from sqlalchemy.engine import Engine

_HASHER = PasswordHasher()


def create(engine: Engine, name: str) -> tuple[str, str]:
    """A new key and secret for `name`; only the secret's hash is stored."""
    key = "lp_" + secrets.token_hex(12)
    secret = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO xapi_credentials (key, name, secret_hash, created_at) "
                          "VALUES (:k, :n, :h, :t)"), {"k": key, "n": name, "h": _HASHER.hash(secret),
                                                       "t": int(time.time())})
    return key, secret


def verify(conn, key: str, secret: str) -> bool:
    stored = conn.execute(text("SELECT secret_hash FROM xapi_credentials WHERE key = :k"), {"k": key}).scalar()
    if stored is None:
        _HASHER.hash(secret)  # the same work as for a known key: response time does not tell keys apart
        return False
    try:
        return _HASHER.verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False


class Checker:
    """verify() with a short memory of successes, one per app."""

    def __init__(self, ttl_s: float = 60.0, size: int = 1000):
        self.ttl_s, self.size = ttl_s, size
        self._ok: dict[str, float] = {}
        self._lock = threading.Lock()

    def check(self, engine: Engine, key: str, secret: str) -> bool:
        token = hashlib.sha256(f"{key}\n{secret}".encode()).hexdigest()
        now = time.monotonic()
        with self._lock:
            if self._ok.get(token, 0) > now:
                return True
        with engine.connect() as conn:
            ok = verify(conn, key, secret)
        if ok:
            with self._lock:
                if len(self._ok) >= self.size:
                    self._ok.clear()
                self._ok[token] = now + self.ttl_s
        return ok
