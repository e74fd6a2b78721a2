"""Bulk writes and chunked lookups, one way for every writer (the importer, the derived facts, the xAPI ingest
and fold, the digest store).

- upsert_rows / delete_rows: tuples by key: one executemany, or on PostgreSQL from STAGE_ROWS rows a COPY into a
  staging table and one statement (an executemany of 100,000 upserts is 100,000 statements to the server).
- bulk_insert: new rows only: COPY on PostgreSQL, one executemany on SQLite.
- run_many: one executemany of a statement written with {m} for each parameter mark.
- insert_batches: Core inserts of dicts, a batch at a time.
- in_chunks / execute_in: a statement over "one of these ids", a chunk of ids at a time, through the driver.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import insert

from data_access import db

STAGE_ROWS = 500  # from this many rows, PostgreSQL gets them by COPY into a staging table (upsert_rows, delete_rows)
CHUNK = 1000  # ids per statement of in_chunks / execute_in
BATCH = 5000  # rows per statement of insert_batches


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def mark(conn) -> str:
    """The driver's parameter mark."""
    return "%s" if db.is_postgres(conn) else "?"


def upsert_sql(table: str, cols: list[str], key: tuple[str, ...], source: str) -> str:
    updates = [c for c in cols if c not in key]
    action = ("DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in updates)) if updates else "DO NOTHING"
    return f"INSERT INTO {table} ({', '.join(cols)}) {source} ON CONFLICT ({', '.join(key)}) {action}"


def upsert_rows(conn, table: str, cols: list[str], key: tuple[str, ...], rows) -> None:
    """Bulk upsert of tuples. Rows repeating a key: the last one wins, either way."""
    rows = list(rows)
    if db.is_postgres(conn) and len(rows) >= STAGE_ROWS:
        rows = _last_per_key(rows, [cols.index(k) for k in key])  # (one statement may not update a row twice)
        stage = _pg_stage(conn, table, cols, rows)
        conn.exec_driver_sql(upsert_sql(table, cols, key, f"SELECT {', '.join(cols)} FROM {stage}"))
        return
    values = "VALUES (" + ", ".join([mark(conn)] * len(cols)) + ")"
    _executemany(conn, upsert_sql(table, cols, key, values), rows)


def delete_rows(conn, table: str, key: tuple[str, ...], keys) -> None:
    """Delete the rows with these key tuples (one executemany, or a staged DELETE … USING on PostgreSQL)."""
    keys = list(keys)
    if not keys:
        return
    if db.is_postgres(conn) and len(keys) >= STAGE_ROWS:
        stage = _pg_stage(conn, table, list(key), keys)
        conn.exec_driver_sql(f"DELETE FROM {table} t USING {stage} d WHERE "
                             + " AND ".join(f"t.{k} = d.{k}" for k in key))
        return
    m = mark(conn)
    _executemany(conn, f"DELETE FROM {table} WHERE " + " AND ".join(f"{k} = {m}" for k in key), keys)


def bulk_insert(conn, table: str, cols: list[str], rows: list[tuple]) -> None:
    """Plain inserts of new rows: COPY on PostgreSQL, one executemany on SQLite."""
    if not rows:
        return
    if db.is_postgres(conn):
        _copy(conn, table, cols, rows)
        return
    run_many(conn, f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['{m}'] * len(cols))})", rows)


def run_many(conn, sql: str, rows: Iterable[tuple]) -> None:
    """executemany of `sql` with {m} for each parameter mark of the dialect."""
    _executemany(conn, sql.format(m=mark(conn)), list(rows))


def insert_batches(conn, table, rows: list[dict], size: int = BATCH) -> None:
    """Core inserts of `rows` (dicts) into `table` (a Table), `size` rows a statement."""
    for part in chunks(rows, size):
        conn.execute(insert(table), part)


def _in(conn, sql: str, part: Sequence) -> tuple[str, tuple]:
    """`sql` with `{ids}` as "one of `part`", and its parameters to follow the ones before it. SQLite gets
    `IN (?, ?, …)`; PostgreSQL one array parameter, `= ANY(%s)`: a short statement psycopg parses once, where a
    thousand placeholders are parsed again for every chunk (14 s of a million-statement import)."""
    if db.is_postgres(conn):
        return sql.format(ids="= ANY(%s)"), (list(part),)
    return sql.format(ids="IN (" + ", ".join(["?"] * len(part)) + ")"), tuple(part)


def in_chunks(conn, sql: str, ids: Sequence, before: tuple = ()) -> Iterator[tuple]:
    """Rows of `sql`, whose `{ids}` stands for "one of these ids", a chunk of ids at a time, through the driver
    (no SQL compilation). `before`: the values of parameter marks written ({m}) before `{ids}`."""
    cursor = conn.connection.cursor()
    try:
        for part in chunks(ids):
            statement, params = _in(conn, sql.replace("{m}", mark(conn)), part)
            cursor.execute(statement, before + params)
            yield from cursor.fetchall()
    finally:
        cursor.close()


def execute_in(conn, sql: str, ids: Sequence) -> None:
    """in_chunks for a statement that returns no rows (UPDATE, DELETE)."""
    cursor = conn.connection.cursor()
    try:
        for part in chunks(ids):
            cursor.execute(*_in(conn, sql, part))
    finally:
        cursor.close()


def _executemany(conn, sql: str, rows: list) -> None:
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def _copy(conn, table: str, cols: list[str], rows: Iterable[tuple]) -> None:
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _last_per_key(rows: list[tuple], idx: list[int]) -> list[tuple]:
    """The last row of each key, as executemany would leave them; a key holding NULL conflicts with nothing."""
    out: dict = {}
    for n, row in enumerate(rows):
        k = tuple(row[i] for i in idx)
        out[(n,) if None in k else k] = row
    return list(out.values())


def _pg_stage(conn, table: str, cols: list[str], rows: list[tuple]) -> str:
    """COPY rows into an empty temporary table with `table`'s columns `cols` (no constraints; dropped at commit)."""
    stage = f"rows_{table}_{zlib.crc32(','.join(cols).encode()):08x}"
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:
        cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "
                    f"SELECT {', '.join(cols)} FROM {table} WITH NO DATA")
        cur.execute(f"TRUNCATE {stage}")
        with cur.copy(f"COPY {stage} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return stage
