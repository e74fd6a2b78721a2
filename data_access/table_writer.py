"""The import's writer of a file's chunks (Sink.writer), inside the import's transaction. SQLite gets executemany
(data_access.write.bulk); PostgreSQL gets COPY, straight into a table that is empty, else into a temporary table
and one INSERT … SELECT … ON CONFLICT."""

from __future__ import annotations

import io

import pandas as pd

from data_access import db
from data_access.bundle_spec import FileSpec
from data_access.write.bulk import upsert_rows, upsert_sql


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
            cur.execute(upsert_sql(self.spec.name, cols, _conflict_key(self.spec),
                                    f"SELECT {', '.join(cols)} FROM {self.target}"))
            cur.execute(f"DROP TABLE {self.target}")


def _conflict_key(spec: FileSpec) -> tuple[str, ...]:
    if spec.name == "reactions":
        return ("user_id", "created_at", "kind", "target")
    return spec.key


def _conflict_key(spec: FileSpec) -> tuple[str, ...]:
    if spec.name == "reactions":
        return ("user_id", "created_at", "kind", "target")
    return spec.key
