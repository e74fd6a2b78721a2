"""Alembic environment: the connection comes from data_access.migrate (never from an ini file), so the
same migrations run from `learnpulse db upgrade`, from serve/import on the embedded database and from tests."""

from __future__ import annotations

from alembic import context

from data_access import schema

config = context.config
target_metadata = schema.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    # batch mode lets SQLite alter tables (it copies them); new migrations are generated with it
    batch = config.attributes.get("batch", connection.dialect.name == "sqlite")
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=batch,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - offline SQL scripts are not used
    raise SystemExit("LearnPulse migrations run online: learnpulse db upgrade")
run_migrations_online()
