"""The stored statements (xapi_statements) and the facts they map to (xapi_facts): their columns and rows, where a
statement is mapped to, and the indexes a bulk ingest builds once at its end."""

from __future__ import annotations

from sqlalchemy import text

from data_access import schema
from data_access.write.bulk import run_many

FACT_COLS = ["statement_id", "kind", "user_id", "key1", "key2", "at", "num1", "num2", "num3", "num4", "flag"]
RAW_COLS = ["statement_id", "digest", "timestamp", "stored", "verb_id", "user_id", "course_id", "session_id",
            "voided", "voids", "body"]


def raw_row(p, mapped, stored: int, voided: bool) -> tuple:
    return (p.id, p.digest, p.timestamp, stored, p.verb, mapped.user_id, mapped.course_id, mapped.session_id,
            1 if voided else 0, mapped.voids, p.text)


def update_places(conn, places: list[tuple]) -> None:
    """(user_id, course_id, session_id, statement_id): where each statement is mapped to now (replay)."""
    run_many(conn, "UPDATE xapi_statements SET user_id = {m}, course_id = {m}, session_id = {m} "
                    "WHERE statement_id = {m}", places)


# indexes a bulk ingest builds once at its end instead of row by row (random-order keys: on a million
# statements, maintaining them while inserting costs more than building them)
DEFERRED_INDEXES = ("ix_xapi_statements_user_time", "ix_xapi_statements_session_time", "ix_xapi_statements_user_live",
                    "ix_xapi_facts_kind_user")


def defer_indexes(conn) -> None:
    for name in DEFERRED_INDEXES:
        conn.execute(text(f"DROP INDEX {name}"))


def restore_indexes(conn) -> None:
    for table in (schema.xapi_statements, schema.xapi_facts):
        for index in table.indexes:
            if index.name in DEFERRED_INDEXES:
                index.create(conn)
