"""Shared fixtures: one database per test, on SQLite and (when reachable) PostgreSQL."""

from __future__ import annotations

import functools
import os

import pytest
from sqlalchemy import text

from data_access import db, schema
from tests import fixture_bundle

PG_URL = os.environ.get("LEARNPULSE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_reason() -> str | None:
    try:
        engine = db.make_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL not reachable at {PG_URL.split('@')[-1]}: {type(exc).__name__}"


@functools.cache
def pg_skip_reason() -> str | None:
    return _pg_reason()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    """An empty database with the schema, on each backend."""
    if request.param == "sqlite":
        eng = db.make_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    else:
        reason = pg_skip_reason()
        if reason:
            pytest.skip(reason)
        eng = db.make_engine(PG_URL)
        schema.drop_schema(eng)
    db.ensure_schema(eng)
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
