"""Import a bundle: read, validate and write it a chunk of rows at a time, in one transaction.

A bundle with any error changes nothing. Rows are upserted on the keys of bundle-format.md, so
importing the same bundle twice leaves the database as after one import. Memory holds one chunk of
rows and the compact state of bundle_rules (id sets, key hashes), whatever the size of the bundle.
Writes are bulk (table_writer): SQLite gets one executemany per chunk; PostgreSQL gets COPY, straight
into a table that is empty, else into a temporary table followed by one INSERT … ON CONFLICT per file.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from data_access import accounts, db, schema
from data_access.bundle_check import chunks, collect_ids
from data_access.bundle_reader import Problems, Stored, open_bundle
from data_access.bundle_rules import Checker
from data_access.bundle_spec import FileSpec
from data_access.table_writer import Sink
from data_access.write import derive


@dataclass
class ImportReport:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    validate_seconds: float = 0.0
    write_seconds: float = 0.0
    derive_seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


_ID_TABLES = {"groups": "group_id", "users": "user_id", "courses": "course_id", "activities": "activity_id",
              "programs": "program_id", "sessions": "session_id", "blocks": "block_id",
              "classroom_slots": "slot_id", "posts": "post_id"}


def load_stored(conn) -> Stored:
    stored = Stored(empty=db.is_empty(conn))
    if stored.empty:
        return stored
    for name, col in _ID_TABLES.items():
        stored.ids[name] = set(conn.execute(text(f"SELECT {col} FROM {name}")).scalars())
    stored.group_parents = dict(conn.execute(text("SELECT group_id, parent_id FROM groups")).all())
    stored.block_kinds = dict(conn.execute(text("SELECT block_id, kind FROM blocks")).all())
    stored.user_emails = dict(conn.execute(text("SELECT email_lower, user_id FROM users")).all())
    return stored


def import_bundle(engine: Engine, folder: Path | str, on_progress=None) -> ImportReport:
    """Validate and write in one transaction, a chunk of rows at a time; all or nothing: the first problem stops
    the writing, every file is still checked, and ImportFailed (listing every problem) rolls everything back.
    Returns row counts and timings."""
    report = ImportReport()
    t0 = time.perf_counter()
    problems = Problems()
    with engine.connect() as conn:
        stored = load_stored(conn)
    files = open_bundle(Path(folder), problems, complete=stored.empty)
    if not files and not problems.total:
        problems.add(str(folder), None, None, "no bundle files found (expected users.csv, groups.csv, …)")
    checker = Checker(stored, collect_ids(files, stored, problems), problems)
    report.validate_seconds = time.perf_counter() - t0
    with engine.begin() as conn:
        if db.is_postgres(conn):
            # sorts and hashes of the derived facts over tens of millions of rows, and the index builds of an
            # empty table's load, in memory rather than in temporary files (for this transaction only)
            conn.execute(text("SET LOCAL work_mem = '256MB'"))
            conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        sink = Sink(conn)
        for spec, path in files:
            report.rows[spec.name] = _import_file(sink, checker, spec, path)
            if on_progress:
                on_progress(spec.name, report.rows[spec.name])
        checker.close()
        problems.raise_if_any()
        sink.raise_if_failed()
        if db.is_postgres(conn):
            # fresh statistics, or the planner picks nested loops over freshly copied rows
            for name in report.rows:
                conn.execute(text(f"ANALYZE {name}"))
        report.write_seconds = time.perf_counter() - t0 - report.validate_seconds
        t2 = time.perf_counter()
        derive.refresh(conn, set(report.rows))
        report.derive_seconds = time.perf_counter() - t2
        if "users" in report.rows:  # people the bundle deletes are signed out everywhere
            accounts.end_signin_sessions_of_deleted(conn)
        db.bump_data_version(conn)
    # (after the commit: VACUUM runs outside a transaction) every table, the page tables among them
    db.vacuum(engine, [t.name for t in schema.metadata.sorted_tables])
    report.seconds = time.perf_counter() - t0
    return report


def _import_file(sink: Sink, checker: Checker, spec: FileSpec, path: Path) -> int:
    """Check the file a chunk at a time, writing each chunk while nothing was found wrong; the row count."""
    rows = 0
    writer = sink.writer(spec)
    for raw in chunks(path, spec, checker.problems):
        typed = checker.convert(spec, raw)
        rows += len(raw)
        if checker.ok:
            writer.write(_db_frame(spec, typed))
    checker.finish(spec, path)
    if checker.ok:
        writer.finish()
    return rows


def _db_frame(spec: FileSpec, df: pd.DataFrame) -> pd.DataFrame:
    if spec.name == "users":
        df["email_lower"] = df["email"].str.strip().str.lower()
    if spec.name == "reactions":
        df["target"] = ("a:" + df["activity_id"].fillna("")).where(df["activity_id"].notna(),
                                                                   "p:" + df["post_id"].fillna(""))
    return df


def stored_counts(engine: Engine) -> dict[str, int]:
    """Rows per table: used by tests to prove a failed import changed nothing."""
    out = {}
    with engine.connect() as conn:
        for table in schema.BUNDLE_TABLES + schema.DERIVED_TABLES + [schema.meta]:
            out[table.name] = conn.execute(select(text("COUNT(*)")).select_from(table)).scalar_one()
    return out
