"""Schema migrations: the migrations build exactly schema.py, and a database made before migrations
existed (or at any earlier revision) upgrades to the newest schema keeping its data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from data_access import db, migrate, schema
from data_access.importer import import_bundle, stored_counts
from data_access.write import derive


@pytest.fixture
def bare(engine):
    """The engine fixture's database, emptied again (no tables, no alembic_version)."""
    schema.drop_schema(engine)
    return engine


def test_migrations_build_exactly_the_schema(bare):
    before, after = migrate.upgrade(bare)
    assert (before, after) == (None, migrate.head())
    with bare.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), schema.metadata)
    assert diff == [], "schema.py changed without a migration (or a migration differs from schema.py)"


def test_upgrade_is_idempotent(bare):
    migrate.upgrade(bare)
    assert migrate.upgrade(bare) == (migrate.head(), migrate.head())


def test_database_from_before_migrations_upgrades_and_keeps_its_data(bare, bundle):
    # the schema as the foundation created it (create_all, no version table) with a bundle imported
    with bare.begin() as conn:
        command.upgrade(migrate.config(conn), migrate.BASELINE)
        conn.execute(text("DROP TABLE alembic_version"))
    import_bundle(bare, bundle)
    before = stored_counts(bare)
    assert before["users"] > 0
    assert migrate.status(bare).revision is None and migrate.status(bare).has_tables

    assert migrate.upgrade(bare) == (None, migrate.head())
    assert stored_counts(bare) == before
    with bare.connect() as conn:
        names = set(inspect(conn).get_table_names())
    assert {t.name for t in schema.metadata.sorted_tables} <= names


def test_every_revision_upgrades_to_head_keeping_data(bare, bundle):
    """Step by step from the baseline: each migration applies on a database holding data."""
    with bare.begin() as conn:
        command.upgrade(migrate.config(conn), migrate.BASELINE)
    import_bundle(bare, bundle)
    users = stored_counts(bare)["users"]
    script = migrate.ScriptDirectory.from_config(migrate.config())
    for rev in reversed(list(script.walk_revisions())):
        with bare.begin() as conn:
            command.upgrade(migrate.config(conn), rev.revision)
    with bare.connect() as conn:
        assert migrate.current(conn) == migrate.head()
    assert stored_counts(bare)["users"] == users


def test_shared_database_is_not_migrated_behind_the_operators_back(bare):
    with bare.begin() as conn:
        command.upgrade(migrate.config(conn), migrate.BASELINE)
        conn.execute(text("DROP TABLE alembic_version"))
    if migrate.head() == migrate.BASELINE:
        pytest.skip("no migration after the baseline yet")
    with pytest.raises(migrate.SchemaBehind, match="run `learnpulse db upgrade`"):
        migrate.ensure_current(bare, automatic=False)
    migrate.ensure_current(bare, automatic=True)
    assert migrate.status(bare).up_to_date


def test_empty_database_is_created_even_without_automatic_migrations(bare):
    migrate.ensure_current(bare, automatic=False)
    assert migrate.status(bare).up_to_date
    assert db.is_empty(bare)


def test_migrations_import_no_live_code():
    """A migration is frozen: it carries the SQL of its revision, so a later change to the live code (derive,
    schema, queries) cannot change what an old migration does. Only data_access.migrations helpers may be
    imported."""
    versions = Path(migrate.MIGRATIONS) / "versions"
    found = {}
    for path in sorted(versions.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            bad = [n for n in names if n.split(".")[0] == "data_access" and not n.startswith("data_access.migrations")]
            if bad:
                found[path.name] = bad
    assert found == {}


FROZEN_FACTS = ["group_sessions", "group_counts", "collab_users", "collab_groups", "collab_user_courses",
                "collab_activities", "collab_courses", "collab_sessions", "item_tags", "user_tags", "user_stats",
                "session_groups", "scope_participants", "scope_session_kpis", "scope_session_blocks",
                "user_field_names", "scope_collab_sessions"]


def _rows(conn, name: str) -> list[tuple]:
    table = schema.metadata.tables[name]
    return sorted(tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns)))


def test_frozen_migrations_fill_the_facts_the_live_code_derives(bare, bundle):
    """Data imported at the baseline, migrated step by step: the facts 0003-0005 filled with their own SQL are
    those the live derivation computes from the same rows."""
    with bare.begin() as conn:
        command.upgrade(migrate.config(conn), migrate.BASELINE)
    import_bundle(bare, bundle)
    migrate.upgrade(bare)
    with bare.connect() as conn:
        migrated = {name: _rows(conn, name) for name in FROZEN_FACTS}
    with bare.begin() as conn:
        derive.refresh(conn, {t.name for t in schema.BUNDLE_TABLES})
    with bare.connect() as conn:
        live = {name: _rows(conn, name) for name in FROZEN_FACTS}
    assert all(migrated[name] for name in FROZEN_FACTS)
    assert migrated == live
