"""Bulk writes inside an open transaction: upserts and deletes of tuples (upsert_rows, delete_rows), and the
import's writer of a file's chunks (Sink.writer). SQLite gets executemany; PostgreSQL gets COPY, straight into a
table that is empty, else into a temporary table and one INSERT … SELECT … ON CONFLICT."""

from __future__ import annotations

import io
import zlib

import pandas as pd

from data_access import db
from data_access.bundle_spec import FileSpec


class Sink:
    """The import's transaction. A failed write (a duplicate key or email the checks report with its line once the
    file is read) stops the writing (on PostgreSQL it aborted the transaction); raise_if_failed raises it when
    no reported problem explains it."""

    def __init__(self, conn):
        self.conn = conn
        self.pg = db.is_postgres(conn)
        self.failed: Exception | None = None

    def writer(self, spec: FileSpec) -> FileWriter:
        return FileWriter(self, spec)

    def raise_if_failed(self) -> None:
        if self.failed is not None:
            raise self.failed


class FileWriter:
    def __init__(self, sink: Sink, spec: FileSpec):
        self.sink, self.spec = sink, spec
        self.target: str | None = None  # the table COPY writes to, once the first chunk came
        self.indexes: list[tuple[str, str]] = []  # (name, definition) of the indexes dropped for the load

    def write(self, df: pd.DataFrame) -> None:
        sink, name = self.sink, self.spec.name
        if df.empty or sink.failed is not None:
            return
        cols, key = list(df.columns), _conflict_key(self.spec)
        if not sink.pg:
            rows = df.astype(object).where(df.notna(), None).itertuples(index=False, name=None)
            try:
                upsert_rows(sink.conn, name, cols, key, rows)
            except Exception as exc:  # noqa: BLE001 - e.g. a repeated email, which the checks report by line
                sink.failed = exc
            return
        raw = sink.conn.connection.driver_connection
        with raw.cursor() as cur:
            if self.target is None:
                self.target = self._target(cur)
            buffer = io.StringIO()
            df.to_csv(buffer, index=False, header=False)
            buffer.seek(0)
            try:
                with cur.copy(f"COPY {self.target} ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv)") as copy:
                    while block := buffer.read(1 << 20):
                        copy.write(block)
            except Exception as exc:  # noqa: BLE001 - kept, raised at the end unless a reported problem explains it
                sink.failed = exc
        self.cols = cols

    def _target(self, cur) -> str:
        """The table itself when it holds no row yet (no conflict possible once the keys are checked), else an
        empty temporary copy of it, upserted from in finish. Into an empty table, its non-unique indexes are
        dropped and built again in finish (transactional DDL: a failed import gets them back): one sorted
        build instead of millions of random insertions."""
        name = self.spec.name
        cur.execute(f"SELECT 1 FROM {name} LIMIT 1")
        if cur.fetchone() is None:
            cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                        "AND tablename = %s AND indexdef NOT LIKE 'CREATE UNIQUE%%'", (name,))
            self.indexes = cur.fetchall()
            for index, _ in self.indexes:
                cur.execute(f'DROP INDEX "{index}"')
            return name
        cur.execute(f"CREATE TEMP TABLE stage_{name} (LIKE {name} INCLUDING DEFAULTS) ON COMMIT DROP")
        return f"stage_{name}"

    def finish(self) -> None:
        if self.target is None or self.sink.failed is not None:
            return
        cols = self.cols
        with self.sink.conn.connection.driver_connection.cursor() as cur:
            if self.target == self.spec.name:
                for _, definition in self.indexes:
                    cur.execute(definition)
                return
            cur.execute(_upsert_sql(self.spec.name, cols, _conflict_key(self.spec),
                                    f"SELECT {', '.join(cols)} FROM {self.target}"))
            cur.execute(f"DROP TABLE {self.target}")


def _conflict_key(spec: FileSpec) -> tuple[str, ...]:
    if spec.name == "reactions":
        return ("user_id", "created_at", "kind", "target")
    return spec.key


def _upsert_sql(table: str, cols: list[str], key: tuple[str, ...], source: str) -> str:
    updates = [c for c in cols if c not in key]
    action = ("DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in updates)) if updates else "DO NOTHING"
    return f"INSERT INTO {table} ({', '.join(cols)}) {source} ON CONFLICT ({', '.join(key)}) {action}"


STAGE_ROWS = 500  # from this many rows, PostgreSQL gets them by COPY into a staging table (upsert_rows, delete_rows)


def upsert_rows(conn, table: str, cols: list[str], key: tuple[str, ...], rows) -> None:
    """Bulk upsert of tuples: one executemany, or on PostgreSQL from STAGE_ROWS rows a COPY into a staging table
    and one INSERT … SELECT … ON CONFLICT (an executemany of 100,000 upserts is 100,000 statements to the server).
    Rows repeating a key: the last one wins, either way."""
    rows = list(rows)
    pg = db.is_postgres(conn)
    if pg and len(rows) >= STAGE_ROWS:
        rows = _last_per_key(rows, [cols.index(k) for k in key])  # (one statement may not update a row twice)
        stage = _pg_stage(conn, table, cols, rows)
        conn.exec_driver_sql(_upsert_sql(table, cols, key, f"SELECT {', '.join(cols)} FROM {stage}"))
        return
    mark = "%s" if pg else "?"
    sql = _upsert_sql(table, cols, key, "VALUES (" + ", ".join([mark] * len(cols)) + ")")
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def delete_rows(conn, table: str, key: tuple[str, ...], keys) -> None:
    """Delete the rows with these key tuples (one executemany, or a staged DELETE … USING on PostgreSQL)."""
    keys = list(keys)
    if not keys:
        return
    pg = db.is_postgres(conn)
    if pg and len(keys) >= STAGE_ROWS:
        stage = _pg_stage(conn, table, list(key), keys)
        conn.exec_driver_sql(f"DELETE FROM {table} t USING {stage} d WHERE "
                             + " AND ".join(f"t.{k} = d.{k}" for k in key))
        return
    mark = "%s" if pg else "?"
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(f"DELETE FROM {table} WHERE " + " AND ".join(f"{k} = {mark}" for k in key), keys)
    finally:
        cursor.close()


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


