"""Schema migrations with Alembic (data_access/migrations/versions: one file per change).

`upgrade(engine)` brings any database to the newest schema: an empty one is created from the
migrations, a database made before migrations existed (the tables of the baseline, no
alembic_version) is stamped at the baseline first and then upgraded, keeping its data. The app and
the importer call it on the embedded database; deployments run `learnpulse db upgrade` once per
release (several app processes must not race to change a shared schema).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from data_access import db

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001_baseline"


def config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(config()).get_current_head()


def current(conn) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


@dataclass(frozen=True)
class Status:
    revision: str | None  # None: no alembic_version
    has_tables: bool  # the baseline's tables exist

    @property
    def up_to_date(self) -> bool:
        return self.revision == head()

    @property
    def empty(self) -> bool:
        return self.revision is None and not self.has_tables


def status(engine: Engine) -> Status:
    with engine.connect() as conn:
        return Status(current(conn), inspect(conn).has_table("users"))


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Migrate to `revision`; returns (revision before, revision after). Serialised across processes."""
    with db.exclusive(engine):
        before = status(engine)
        with engine.begin() as conn:
            cfg = config(conn)
            if before.revision is None and before.has_tables:
                command.stamp(cfg, BASELINE)  # a database from before migrations: it holds the baseline
            command.upgrade(cfg, revision)
        with engine.connect() as conn:
            return before.revision, current(conn)


class SchemaBehind(RuntimeError):
    """The database holds an older schema and this process may not change it."""


def ensure_current(engine: Engine, automatic: bool) -> None:
    """Serve/import/export: upgrade when allowed (the embedded database) or when the database is empty;
    otherwise stop with what to run. A shared database changes only through `learnpulse db upgrade`."""
    st = status(engine)
    if st.up_to_date:
        return
    if automatic or st.empty:
        upgrade(engine)
        return
    at = st.revision or "a version from before migrations"
    raise SchemaBehind(f"the database schema is at {at}; this version of LearnPulse needs {head()}: "
                       "run `learnpulse db upgrade`")
