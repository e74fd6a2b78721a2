"""Engine construction (called by the app factory and the CLI, never at import time)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, select, text
from sqlalchemy.engine import Engine, make_url

from data_access import schema


def normalise_url(url: str) -> str:
    """postgres:// and postgresql:// use psycopg 3 (the driver this project installs)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA cache_size=-200000")
            cur.execute("PRAGMA temp_store=MEMORY")
            cur.close()

        return engine
    # psycopg 3 prepares a statement after 5 runs and PostgreSQL may then switch to a generic plan; for
    # the batched IN (...) lookups of the Session CSV that plan takes minutes instead of milliseconds
    # (10k learners), so statements are never prepared server-side.
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10,
                         connect_args={"prepare_threshold": None})


def is_postgres(engine_or_conn) -> bool:
    return engine_or_conn.dialect.name == "postgresql"


@contextlib.contextmanager
def exclusive(engine: Engine, name: str = "schema"):
    """One process at a time in the block, across every process using this database (schema changes, the
    first-start demo): a PostgreSQL advisory lock, or a lock file beside an SQLite file."""
    if is_postgres(engine):
        key = int.from_bytes(hashlib.sha1(f"learnpulse:{name}".encode()).digest()[:7], "big")
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.{name}.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def is_empty(engine_or_conn) -> bool:
    """True when no bundle was ever imported (no users)."""
    def _check(conn):
        return conn.execute(select(schema.users.c.user_id).limit(1)).first() is None

    if isinstance(engine_or_conn, Engine):
        with engine_or_conn.connect() as conn:
            return _check(conn)
    return _check(engine_or_conn)


def data_version(conn) -> str:
    value = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "data_version")).scalar()
    return value or "0"


def vacuum(engine: Engine, tables: list[str]) -> None:
    """PostgreSQL: VACUUM (ANALYZE) those of the tables that exist, outside any transaction, so that index-only scans
    read no table page: a fresh import leaves no page all-visible, and autovacuum may be off or come late. Nothing
    to do on SQLite."""
    if not is_postgres(engine):
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        present = [t for t in tables if inspect(conn).has_table(t)]
        if present:
            conn.execute(text("VACUUM (ANALYZE) " + ", ".join(present)))


def bump_data_version(conn) -> str:
    """A new data version (cached results of the old one become unreachable), with when the data changed."""
    version = uuid.uuid4().hex
    upsert = text("INSERT INTO meta (key, value) VALUES (:k, :v) "
                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    conn.execute(upsert, [{"k": "data_version", "v": version},
                          {"k": "imported_at", "v": datetime.now(UTC).isoformat()}])
    return version
