"""Shared fixtures: one database per test, on SQLite and (when reachable) PostgreSQL; the browser tests'
server and Chromium (tests/browser.py)."""

from __future__ import annotations

import atexit
import functools
import os
import secrets
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from data_access import db, migrate, schema
from tests import fixture_bundle
from tests.browser import browser, server  # noqa: F401 - module-scoped fixtures for the Chromium tests

# The server to test on; each test run creates its own database there (lp_test_<pid>_<random>) and drops it
# at the end, so that two runs on one machine never share tables.
PG_SERVER_URL = os.environ.get("LEARNPULSE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
PG_URL = PG_SERVER_URL  # becomes this run's own database on first use (pg_url)


def _pg_reason() -> str | None:
    try:
        engine = db.make_engine(PG_SERVER_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL not reachable at {PG_SERVER_URL.split('@')[-1]}: {type(exc).__name__}"


def _pg_admin(sql: str) -> None:
    from sqlalchemy import create_engine

    eng = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with eng.connect() as conn:
            conn.exec_driver_sql(sql)
    finally:
        eng.dispose()


@functools.cache
def pg_skip_reason() -> str | None:
    global PG_URL
    reason = _pg_reason()
    if reason is None and PG_URL == PG_SERVER_URL:
        from sqlalchemy.engine import make_url

        name = f"lp_test_{os.getpid()}_{secrets.token_hex(3)}"
        _pg_admin(f'CREATE DATABASE "{name}"')
        atexit.register(_pg_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        PG_URL = make_url(PG_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    return reason


def pg_url() -> str:
    """This run's own PostgreSQL database (created on first use)."""
    pg_skip_reason()
    return PG_URL


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """An empty SQLite database migrated to the newest schema once; each test gets a copy (migrating takes
    longer than copying a file)."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    eng = db.make_engine(f"sqlite:///{path}")
    migrate.upgrade(eng)
    with eng.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    return path


def _pg_emptied(eng) -> bool:
    """Empty every table and restart every sequence when the database already holds exactly the newest schema
    (DELETE on these small tables: ~50 ms; TRUNCATE ~1 s) instead of dropping it and running every migration
    again (~3 s a test); False when it does not hold that schema."""
    with eng.begin() as conn:
        names = set(conn.execute(text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).scalars())
        if names != set(schema.metadata.tables) | {"alembic_version"}:
            return False
        if conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() != [migrate.head()]:
            return False
        for table in schema.metadata.sorted_tables:
            conn.execute(table.delete())
        for (sequence,) in conn.execute(text("SELECT relname FROM pg_class WHERE relkind = 'S'")):
            conn.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
    return True


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request, tmp_path, sqlite_template):
    """An empty database with the schema (built by the migrations), on each backend."""
    if request.param == "sqlite":
        shutil.copyfile(sqlite_template, tmp_path / "test.sqlite3")
        eng = db.make_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    else:
        reason = pg_skip_reason()
        if reason:
            pytest.skip(reason)
        eng = db.make_engine(pg_url())
        if not _pg_emptied(eng):
            schema.drop_schema(eng)
            migrate.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def bundle(tmp_path):
    return fixture_bundle.write(tmp_path / "bundle")


@pytest.fixture
def loaded(engine, bundle):
    """The fixture bundle imported."""
    from data_access.importer import import_bundle

    import_bundle(engine, bundle)
    return engine


@pytest.fixture
def now():
    return fixture_bundle.NOW
