"""Events with their own key (a view, an answer, a post, a reaction) are written as their statement arrives;
voiding a statement removes the event rows only it made and touches the keys it contributed to."""

from __future__ import annotations

from collections import defaultdict

from data_access.write.bulk import chunks, delete_rows, execute_in, in_chunks, upsert_rows
from data_access.write.xapi.statements import FACT_COLS
from data_access.write.xapi.touched import keys_of, touch

# event facts: (target table, columns, conflict key, row from a fact tuple without its statement id)
EVENTS = {
    "view": ("activity_views", ["user_id", "activity_id", "started_at"], ("user_id", "activity_id", "started_at"),
             lambda f: (f[1], f[2], f[4])),
    "answer": ("answers", ["user_id", "activity_id", "session_id", "score_pct", "answered_at"],
               ("user_id", "activity_id", "answered_at"), lambda f: (f[1], f[2], f[3], f[6], f[4])),
    "post": ("posts", ["post_id", "user_id", "created_at", "space", "context_id", "parent_id", "activity_id",
                       "archived"], ("post_id",), lambda f: (f[2], f[1], f[4], "course", f[3], None, None, 0)),
    "reaction": ("reactions", ["user_id", "created_at", "kind", "activity_id", "post_id", "target"],
                 ("user_id", "created_at", "kind", "target"),
                 lambda f: (f[1], f[4], f[2], f[3][2:] if f[3].startswith("a:") else None,
                            f[3][2:] if f[3].startswith("p:") else None, f[3])),
}


def write_events(conn, facts: list[tuple]) -> set[str]:
    """Upsert the event rows of these facts (fact tuples without statement id)."""
    by_kind: dict[str, list[tuple]] = defaultdict(list)
    for f in facts:
        if f[0] in EVENTS:
            by_kind[f[0]].append(EVENTS[f[0]][3](f))
    changed = set()
    for kind, rows in by_kind.items():
        table, cols, key, _ = EVENTS[kind]
        upsert_rows(conn, table, cols, key, list(dict.fromkeys(rows)))
        changed.add(table)
    return changed


def void(conn, target_ids: list[str]) -> tuple[int, set[str]]:
    """Void stored, live statements: flag them, remove their facts and the event rows only they made, touch
    the keys they contributed to. Returns (how many, changed tables)."""
    voided = 0
    changed: set[str] = set()
    for part in chunks(target_ids):
        live = list(in_chunks(conn, "SELECT statement_id, user_id, session_id FROM xapi_statements "
                                    "WHERE statement_id {ids} AND voided = 0 AND voids IS NULL", part))
        if not live:
            continue
        ids = [r[0] for r in live]
        facts = list(in_chunks(conn, f"SELECT {', '.join(FACT_COLS[1:])} FROM xapi_facts WHERE statement_id {{ids}}",
                               ids))
        execute_in(conn, "UPDATE xapi_statements SET voided = 1 WHERE statement_id {ids}", ids)
        execute_in(conn, "DELETE FROM xapi_facts WHERE statement_id {ids}", ids)
        changed |= unwrite_events(conn, facts)
        touch(conn, [k for _, user_id, session_id in live for k in keys_of(user_id, session_id, facts)])
        voided += len(ids)
    return voided, changed


def unwrite_events(conn, facts: list[tuple], put_back: bool = True) -> set[str]:
    """Delete the event rows of these (removed) facts, then put back those another live fact still makes."""
    changed = set()
    for kind, (table, cols, key, row_of) in EVENTS.items():
        rows = [row_of(f) for f in facts if f[0] == kind]
        if not rows:
            continue
        idx = [cols.index(k) for k in key]
        keys = list(dict.fromkeys(tuple(r[i] for i in idx) for r in rows))
        delete_rows(conn, table, key, keys)
        changed.add(table)
        if not put_back:
            continue
        users = sorted({f[1] for f in facts if f[0] == kind})
        same = [f for f in _facts_of_users(conn, kind, users) if tuple(row_of(f)[i] for i in idx) in set(keys)]
        write_events(conn, same)
    return changed


def _facts_of_users(conn, kind: str, users: list[str]) -> list[tuple]:
    return list(in_chunks(conn, f"SELECT {', '.join(FACT_COLS[1:])} FROM xapi_facts WHERE kind = {{m}} "
                                "AND user_id {ids}", users, before=(kind,)))
