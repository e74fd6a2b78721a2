"""A bundle imported once per test run and backend, then copied into each test's own database.

Importing a fixture bundle (validate, write, derive) takes 0.3–2 s; dozens of tests start from the same bundle
on both databases. `import_bundle(engine, folder)` gives the test's empty database exactly the rows that
importing `folder` would give: the first time (per bundle content and backend) by importing it and keeping a
copy, every later time by copying that copy in. Each test still has its own database, so tests that write stay
apart. The copy is keyed by the bundle's files, so a bundle with changed lines is imported afresh.

SQLite: the imported file is kept, and copied over the test's file. PostgreSQL: every table is copied into a
schema of this run's database (lp_snap_<key>), and copied back with INSERT … SELECT, sequences included.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from data_access import db, importer, schema

_SQLITE_COPIES: dict[str, Path] = {}
_PG_COPIES: dict[tuple[str, str], dict[str, int | None]] = {}  # (database, key) -> sequence -> last value
_FOLDER = Path(tempfile.mkdtemp(prefix="lp-snapshots-"))
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)


def bundle_key(folder: Path | str) -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def import_bundle(engine: Engine, folder: Path | str) -> Engine:
    """As data_access.importer.import_bundle on a database that holds the schema and nothing else."""
    _require_empty(engine)
    key = bundle_key(folder)
    if db.is_postgres(engine):
        _pg_import(engine, key, folder)
    else:
        _sqlite_import(engine, key, folder)
    return engine


def _require_empty(engine: Engine) -> None:
    with engine.connect() as conn:
        meta = conn.execute(select(schema.meta.c.key).limit(1)).first()
    if meta is not None or not db.is_empty(engine):
        raise AssertionError("tests.snapshot.import_bundle needs a database with the schema and no data")


def _sqlite_import(engine: Engine, key: str, folder) -> None:
    target = Path(engine.url.database)
    copy = _SQLITE_COPIES.get(key)
    if copy is None:
        importer.import_bundle(engine, folder)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        copy = _FOLDER / f"{key}.sqlite3"
        shutil.copyfile(target, copy)
        _SQLITE_COPIES[key] = copy
        return
    engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(copy, target)


def _pg_tables() -> list[str]:
    return [table.name for table in schema.metadata.sorted_tables]


def _pg_import(engine: Engine, key: str, folder) -> None:
    name = f"lp_snap_{key}"
    sequences = _PG_COPIES.get((engine.url.database, key))
    if sequences is None:
        importer.import_bundle(engine, folder)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {name}"))
            for table in _pg_tables():
                conn.execute(text(f'CREATE TABLE {name}."{table}" AS TABLE public."{table}"'))
            sequences = {seq: conn.execute(text(f'SELECT CASE WHEN is_called THEN last_value END FROM "{seq}"'))
                         .scalar() for seq in conn.execute(text(
                             "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                             "WHERE relkind = 'S' AND nspname = 'public'")).scalars()}
        _PG_COPIES[(engine.url.database, key)] = sequences
        return
    with engine.begin() as conn:  # one round trip for every statement
        conn.exec_driver_sql("".join([f'INSERT INTO public."{table}" SELECT * FROM {name}."{table}";'
                                      for table in _pg_tables()]
                                     + [f"SELECT setval('public.\"{seq}\"', {int(last)});"
                                        for seq, last in sequences.items() if last is not None]))
