"""Import a bundle: validate everything, then write everything in one transaction.

A bundle with any error changes nothing. Rows are upserted on the keys of bundle-format.md, so
importing the same bundle twice leaves the database as after one import. Writes are bulk:
SQLite gets one executemany per file; PostgreSQL gets COPY into a temporary table followed by
one INSERT … ON CONFLICT.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from data_access import accounts, db, schema
from data_access.bundle_reader import Problems, Stored, convert, read_raw
from data_access.bundle_spec import FILES, FileSpec
from data_access.write import derive
from data_access.write.bulk import upsert_rows, upsert_sql


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


def validate_bundle(engine: Engine, folder: Path | str) -> dict[str, pd.DataFrame]:
    """Read and check a bundle against what is stored; raise ImportFailed listing every problem."""
    problems = Problems()
    with engine.connect() as conn:
        stored = load_stored(conn)
    frames = read_raw(Path(folder), problems, complete=stored.empty)
    typed = convert(frames, stored, problems) if frames else {}
    if not frames and not problems.total:
        problems.add(str(folder), None, None, "no bundle files found (expected users.csv, groups.csv, …)")
    problems.raise_if_any()
    return typed


def import_bundle(engine: Engine, folder: Path | str, on_progress=None) -> ImportReport:
    """Validate then write; all or nothing. Returns row counts and timings."""
    report = ImportReport()
    t0 = time.perf_counter()
    typed = validate_bundle(engine, folder)
    report.validate_seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    with engine.begin() as conn:
        for spec in FILES:
            if spec.name in typed:
                df = _db_frame(spec, typed[spec.name])
                write_frame(conn, spec, df)
                report.rows[spec.name] = len(df)
                if on_progress:
                    on_progress(spec.name, len(df))
        if db.is_postgres(conn):
            # fresh statistics, or the planner picks nested loops over freshly copied rows
            for name in report.rows:
                conn.execute(text(f"ANALYZE {name}"))
        report.write_seconds = time.perf_counter() - t1
        t2 = time.perf_counter()
        derive.refresh(conn, set(typed))
        report.derive_seconds = time.perf_counter() - t2
        if "users" in typed:  # people the bundle deletes are signed out everywhere
            accounts.end_signin_sessions_of_deleted(conn)
        db.bump_data_version(conn)
    db.vacuum(engine, derive.VACUUMED)  # (after the commit: VACUUM runs outside a transaction)
    report.seconds = time.perf_counter() - t0
    return report


def _db_frame(spec: FileSpec, df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    if spec.name == "users":
        df["email_lower"] = df["email"].str.strip().str.lower()
    if spec.name == "reactions":
        df["target"] = ("a:" + df["activity_id"].fillna("")).where(df["activity_id"].notna(),
                                                                   "p:" + df["post_id"].fillna(""))
    return df


def _conflict_key(spec: FileSpec) -> tuple[str, ...]:
    if spec.name == "reactions":
        return ("user_id", "created_at", "kind", "target")
    return spec.key


def write_frame(conn, spec: FileSpec, df: pd.DataFrame) -> None:
    if df.empty:
        return
    cols = list(df.columns)
    key = _conflict_key(spec)
    if db.is_postgres(conn):
        _pg_copy_upsert(conn, spec.name, cols, key, df)
    else:
        rows = df.astype(object).where(df.notna(), None).itertuples(index=False, name=None)
        upsert_rows(conn, spec.name, cols, key, rows)


def _pg_copy_upsert(conn, table: str, cols: list[str], key: tuple[str, ...], df: pd.DataFrame) -> None:
    stage = f"stage_{table}"
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:
        cur.execute(f"CREATE TEMP TABLE {stage} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP")
        buffer = io.StringIO()
        df.to_csv(buffer, index=False, header=False)
        buffer.seek(0)
        with cur.copy(f"COPY {stage} ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv)") as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
        cur.execute(upsert_sql(table, cols, key, f"SELECT {', '.join(cols)} FROM {stage}"))
        cur.execute(f"DROP TABLE {stage}")


def stored_counts(engine: Engine) -> dict[str, int]:
    """Rows per table: used by tests to prove a failed import changed nothing."""
    out = {}
    with engine.connect() as conn:
        for table in schema.BUNDLE_TABLES + schema.DERIVED_TABLES + [schema.meta]:
            out[table.name] = conn.execute(select(text("COUNT(*)")).select_from(table)).scalar_one()
    return out
