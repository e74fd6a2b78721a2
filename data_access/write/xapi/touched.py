"""The keys an ingest touched (the temporary table xapi_touched): the rows that many statements build together
are recomputed at its end (data_access.write.xapi.fold) for these keys only. Kinds: user (key ''), logins (a
user's logins folded whole), day (a user's logins of one UTC day), pair (user, session), block (user, assessment
block), session (user ''). Keys a posted batch leaves for the background fold wait in xapi_pending.
"""

from __future__ import annotations

from sqlalchemy import text

from data_access.write.bulk import bulk_insert, upsert_rows


def begin(conn) -> None:
    conn.execute(text("DROP TABLE IF EXISTS xapi_touched"))
    conn.execute(text("CREATE TEMPORARY TABLE xapi_touched (kind VARCHAR(8) NOT NULL, user_id VARCHAR(64) NOT NULL, "
                      "key VARCHAR(64) NOT NULL, PRIMARY KEY (kind, user_id, key))"))


def end(conn) -> None:
    conn.execute(text("DROP TABLE IF EXISTS xapi_touched"))


def touch(conn, rows) -> None:
    """rows: (kind, user_id, key); kinds user (key ''), pair (session), block, session (user '')."""
    rows = sorted(set(rows))
    if rows:
        upsert_rows(conn, "xapi_touched", ["kind", "user_id", "key"], ("kind", "user_id", "key"), rows)


TABLE = "table"  # a pending row of this kind names a table the request changed (key), for the fold's refresh


def keep_pending(conn, changed: set[str], keys=()) -> None:
    """Leave this ingest's keys (`keys` and those in xapi_touched: a void's), and the tables it changed, for the
    background fold (the endpoint). One plain insert: xapi_pending has no unique key (claim_pending dedupes)."""
    conn.execute(text("INSERT INTO xapi_pending (kind, user_id, key) SELECT kind, user_id, key FROM xapi_touched"))
    rows = sorted(keys) + [(TABLE, "", t) for t in sorted(changed)]
    bulk_insert(conn, "xapi_pending", ["kind", "user_id", "key"], rows)


def claim_pending(conn) -> tuple[bool, set[str]]:
    """Take every pending key into this transaction's touched keys (deleting them; a key a request commits
    meanwhile is a new row this DELETE does not see, left for the next fold); returns whether there were any,
    and the tables the requests changed."""
    rows = conn.execute(text("DELETE FROM xapi_pending RETURNING kind, user_id, key")).all()
    return bool(rows), _touch_pending(conn, rows)


def read_pending(conn) -> tuple[int | None, set[str]]:
    """claim_pending without deleting, on SQLite (whose writers take turns): the touched keys are every pending
    row up to the last one's rowid, returned (None when there are none) for forget_pending, with the tables the
    requests changed. A request committing meanwhile adds rows after it: they stay for the next fold."""
    rows = conn.execute(text("SELECT rowid, kind, user_id, key FROM xapi_pending ORDER BY rowid")).all()
    if not rows:
        return None, set()
    return rows[-1][0], _touch_pending(conn, [r[1:] for r in rows])


def forget_pending(conn, upto: int) -> None:
    """Delete the pending rows read_pending took (as the first write of a transaction: it takes SQLite's lock)."""
    conn.execute(text("DELETE FROM xapi_pending WHERE rowid <= :upto"), {"upto": upto})


def _touch_pending(conn, rows) -> set[str]:
    touch(conn, [tuple(r) for r in rows if r[0] != TABLE])
    return {r[2] for r in rows if r[0] == TABLE}


def touch_all(conn) -> None:
    """Every key xAPI contributes to (replay)."""
    conn.execute(text("""
        INSERT INTO xapi_touched (kind, user_id, key)
        SELECT DISTINCT 'user', user_id, '' FROM xapi_statements WHERE user_id IS NOT NULL
        UNION SELECT DISTINCT 'pair', user_id, session_id FROM xapi_statements
              WHERE user_id IS NOT NULL AND session_id IS NOT NULL
        UNION SELECT DISTINCT 'session', '', session_id FROM xapi_statements WHERE session_id IS NOT NULL
        UNION SELECT DISTINCT 'block', user_id, key1 FROM xapi_facts WHERE kind = 'assessment'
        ON CONFLICT DO NOTHING"""))


def keys_of(user_id, session_id, facts, day: int | None = None, senders=frozenset()) -> list[tuple[str, str, str]]:
    """The keys a statement's rows depend on. With `day` (the endpoint's small batches) its user's logins are
    folded for that day only, unless it is the first login statement of someone who sent none before (their
    logins then change on every day: key `logins`, a whole fold). Without `day` (an import, a void), a user's
    logins are folded whole."""
    out = []
    if user_id:
        out.append(("user", user_id, ""))
        first_login = user_id not in senders and any(f[0] == "login" for f in facts)
        # (`logins` is said outright, not implied by a `user` key without `day` keys: a fold may claim an
        # import's or a void's keys together with a posted batch's day keys of the same learner)
        out.append(("logins", user_id, "") if day is None or first_login else ("day", user_id, str(day)))
        if session_id:
            out += [("pair", user_id, session_id), ("session", "", session_id)]
    out += [("block", f[1], f[2]) for f in facts if f[0] == "assessment"]
    out += [("session", "", f[3]) for f in facts if f[0] == "assessment"]
    return out
