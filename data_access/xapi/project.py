"""Writing what statements map to: dimension rows, raw statements, facts, and the fold of facts into the
bundle tables.

Events with their own key (a view, an answer, a post, a reaction) are written as their statement
arrives. Rows that many statements build together (a course attempt, an enrollment, an assessment
result, a user's logins, a session's dates) are recomputed at the end of an ingest for the keys it
touched (the temporary table xapi_touched), from every live statement and fact of those keys: so a
voided statement, a statement arriving late or a replay gives the same rows as a single import of
everything would.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from sqlalchemy import text

from data_access import db, schema
from data_access.importer import delete_rows, upsert_rows
from data_access.xapi.mapping import ROOT_GROUP

DAY = 86_400
IDLE_DAYS = 30  # a course run ends this long after its last statement (docs/xapi.md)
FACT_COLS = ["statement_id", "kind", "user_id", "key1", "key2", "at", "num1", "num2", "num3", "num4", "flag"]
RAW_COLS = ["statement_id", "digest", "timestamp", "stored", "verb_id", "user_id", "course_id", "session_id",
            "voided", "voids", "body"]
CHUNK = 1000

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


def attempt_id(user_id: str, session_id: str) -> str:
    """One course attempt per learner and course run (docs/xapi.md)."""
    return "xapi-" + hashlib.sha1(f"{user_id}\n{session_id}".encode()).hexdigest()[:32]


# --- the touched keys ---------------------------------------------------------------------------

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


def bulk_insert(conn, table: str, cols: list[str], rows: list[tuple]) -> None:
    """Plain inserts of new rows: COPY on PostgreSQL, one executemany on SQLite."""
    if not rows:
        return
    if db.is_postgres(conn):
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    _run_many(conn, f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['{m}'] * len(cols))})", rows)


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


def in_chunks(conn, sql: str, ids: list[str]):
    """Rows of `sql`, whose `{ids}` stands for "one of these ids", a chunk of ids at a time, through the driver
    (no SQL compilation). SQLite gets `IN (?, ?, …)`; PostgreSQL one array parameter, `= ANY(%s)`: a short
    statement psycopg parses once, where a thousand placeholders were parsed again for every chunk (14 s of a
    million-statement import)."""
    pg = db.is_postgres(conn)
    cursor = conn.connection.cursor()
    try:
        for i in range(0, len(ids), CHUNK):
            part = ids[i:i + CHUNK]
            if pg:
                cursor.execute(sql.format(ids="= ANY(%s)"), (part,))
            else:
                cursor.execute(sql.format(ids="IN (" + ", ".join(["?"] * len(part)) + ")"), part)
            yield from cursor.fetchall()
    finally:
        cursor.close()


# --- dimension rows ---------------------------------------------------------------------------------

def ensure_root(conn) -> str:
    """The group tree's root: the platform group if there is one, else one made for xAPI platforms."""
    root = conn.execute(text("SELECT group_id FROM groups WHERE parent_id IS NULL")).scalar()
    if root is None:  # (two first batches at once: the second one's insert does nothing)
        conn.execute(text("INSERT INTO groups (group_id, name, parent_id) VALUES (:g, 'Learning platforms', NULL) "
                          "ON CONFLICT DO NOTHING"), {"g": ROOT_GROUP})
        root = ROOT_GROUP
    return root


def _missing(conn, table: str, key: str, ids) -> set[str]:
    ids = list(ids)
    return set(ids) - {r[0] for r in in_chunks(conn, f"SELECT {key} FROM {table} WHERE {key} {{ids}}", ids)}


def ensure_dims(conn, batch, root: str, done: set | None = None) -> set[str]:
    """Insert the batch's dimension rows that do not exist yet; name a user who had no name. Returns the tables
    that changed. `done` (kept by the caller across the batches of one transaction) holds the memberships and
    namings already written, so later batches skip them: most statements come from people seen before."""
    done = set() if done is None else done
    changed: set[str] = set()

    def add(table, key, rows, cols):
        new = _missing(conn, table, key, rows)
        if new:
            upsert_rows(conn, table, cols, (key,), [tuple(rows[k].get(c) for c in cols) for k in rows if k in new])
            changed.add(table)
        return new

    groups = {g: {**row, "parent_id": root} for g, row in batch.groups.items()}
    add("groups", "group_id", groups, ["group_id", "name", "parent_id"])
    users = {u: {**row, "email_lower": row["email"].lower() if row["email"] else "#" + u}
             for u, row in batch.users.items()}
    new_users = add("users", "user_id", users, ["user_id", "first_name", "last_name", "email", "email_lower"])
    named = [(r["first_name"], r["last_name"], u) for u, r in batch.users.items() if u not in new_users
             and r["first_name"] and ("named", u) not in done]
    done |= {("named", u) for _, _, u in named} | {("named", u) for u in new_users if users[u]["first_name"]}
    if named:  # a user first seen without a name gets the one a later statement carries
        _name_users(conn, named)
    courses = {c: {**row, "author_id": "", "status": "active"} for c, row in batch.courses.items()}
    add("courses", "course_id", courses, ["course_id", "name", "author_id", "status"])
    programs = {p: {**row, "kind": "program"} for p, row in batch.programs.items()}
    add("programs", "program_id", programs, ["program_id", "name", "kind"])
    sessions = {s: {**row, "author_id": "", "group_id": row["group_id"] if row["group_id"] != ROOT_GROUP else root}
                for s, row in batch.sessions.items()}
    add("sessions", "session_id", sessions, ["session_id", "program_id", "name", "start_at", "end_at", "author_id",
                                             "group_id"])
    _place_blocks(conn, batch.blocks)
    add("blocks", "block_id", batch.blocks, ["block_id", "session_id", "position", "kind", "title", "course_id"])
    add("activities", "activity_id", batch.activities, ["activity_id", "course_id", "title", "type"])
    members = sorted(m for m in batch.memberships if m not in done)
    done |= set(members)
    if members:
        rows = [(u, root if g == ROOT_GROUP else g, "learner") for u, g in members]
        upsert_rows(conn, "memberships", ["user_id", "group_id", "role"], ("user_id", "group_id", "role"), rows)
        changed.add("memberships")
    return changed


def _name_users(conn, named) -> None:
    _run_many(conn, "UPDATE users SET first_name = {m}, last_name = {m} WHERE user_id = {m} AND first_name = ''",
              named)


def _place_blocks(conn, blocks: dict[str, dict]) -> None:
    """New assessment blocks go after the session's blocks, in the order first seen."""
    unplaced = [b for b in blocks.values() if b["position"] is None]
    if not unplaced:
        return
    new = _missing(conn, "blocks", "block_id", [b["block_id"] for b in unplaced])
    top: dict[str, int] = {}
    for b in unplaced:
        if b["block_id"] not in new:
            continue
        sid = b["session_id"]
        if sid not in top:
            top[sid] = conn.execute(text("SELECT COALESCE(MAX(position), 0) FROM blocks WHERE session_id = :s"),
                                    {"s": sid}).scalar_one()
            top[sid] = max(top[sid], 1 if sid in blocks else 0)
        top[sid] += 1
        b["position"] = top[sid]


# --- events --------------------------------------------------------------------------------------------

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
    for i in range(0, len(target_ids), CHUNK):
        part = target_ids[i:i + CHUNK]
        marks = ", ".join(f":k{j}" for j in range(len(part)))
        params = {f"k{j}": v for j, v in enumerate(part)}
        live = conn.execute(text(f"SELECT statement_id, user_id, session_id FROM xapi_statements WHERE statement_id "
                                 f"IN ({marks}) AND voided = 0 AND voids IS NULL"), params).all()
        if not live:
            continue
        ids = [r.statement_id for r in live]
        marks = ", ".join(f":k{j}" for j in range(len(ids)))
        params = {f"k{j}": v for j, v in enumerate(ids)}
        facts = [tuple(r) for r in conn.execute(text(
            f"SELECT {', '.join(FACT_COLS[1:])} FROM xapi_facts WHERE statement_id IN ({marks})"), params)]
        conn.execute(text(f"UPDATE xapi_statements SET voided = 1 WHERE statement_id IN ({marks})"), params)
        conn.execute(text(f"DELETE FROM xapi_facts WHERE statement_id IN ({marks})"), params)
        changed |= unwrite_events(conn, facts)
        touch(conn, [k for r in live for k in keys_of(r.user_id, r.session_id, facts)])
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
    out = []
    for i in range(0, len(users), CHUNK):
        part = users[i:i + CHUNK]
        marks = ", ".join(f":k{j}" for j in range(len(part)))
        params = {f"k{j}": v for j, v in enumerate(part)}
        params["kind"] = kind
        out += [tuple(r) for r in conn.execute(text(
            f"SELECT {', '.join(FACT_COLS[1:])} FROM xapi_facts WHERE kind = :kind AND user_id IN ({marks})"), params)]
    return out


# --- the fold ---------------------------------------------------------------------------------------------

class Writes:
    """Where a fold's rows go: written at once on `conn` (an import, slice by slice, so that memory stays level),
    or, without one, kept until apply(conn) (the endpoint's fold on SQLite: it reads with no lock, then writes
    in a short transaction, so that posted batches do not wait for its reads)."""

    def __init__(self, conn=None):
        self.conn = conn
        self.kept: list[tuple] = []

    def _do(self, write, *args) -> None:
        if self.conn is not None:
            write(self.conn, *args)
        else:
            self.kept.append((write, args))

    def delete(self, table: str, key: tuple[str, ...], keys: list[tuple]) -> None:
        if keys:
            self._do(delete_rows, table, key, keys)

    def upsert(self, table: str, cols: list[str], key: tuple[str, ...], rows: list[tuple]) -> None:
        if rows:
            self._do(upsert_rows, table, cols, key, rows)

    def many(self, sql: str, rows: list[tuple]) -> None:
        if rows:
            self._do(_run_many, sql, rows)

    def apply(self, conn) -> None:
        for write, args in self.kept:
            write(conn, *args)
        self.kept = []


def fold(conn, writes: Writes | None = None) -> set[str]:
    """Recompute the rows built from many statements for every touched key (written on conn, or kept in
    `writes`); returns the changed tables. No part reads rows another part writes (the two login parts read and
    write the logins of different learners: folded whole, or per day), so keeping the writes for later changes
    nothing."""
    writes = writes or Writes(conn)
    changed = set()
    if conn.execute(text("SELECT 1 FROM xapi_touched WHERE kind = 'user' LIMIT 1")).first():
        fold_logins(conn, writes)
        fold_login_days(conn, writes)
        changed.add("logins")
    if conn.execute(text("SELECT 1 FROM xapi_touched WHERE kind = 'pair' LIMIT 1")).first():
        fold_attempts_and_enrollments(conn, writes)
        changed |= {"course_attempts", "enrollments"}
    if conn.execute(text("SELECT 1 FROM xapi_touched WHERE kind = 'block' LIMIT 1")).first():
        fold_assessments(conn, writes)
        changed.add("assessment_results")
    if conn.execute(text("SELECT 1 FROM xapi_touched WHERE kind = 'session' LIMIT 1")).first():
        fold_session_dates(conn, writes)
        changed.add("sessions")
    return changed


# users whose logins are folded whole: a `user` key without `day` keys (an import, a void), or a `logins` key
WHOLE = ("(t.kind = 'logins' OR (t.kind = 'user' AND NOT EXISTS "
         "(SELECT 1 FROM xapi_touched d WHERE d.kind = 'day' AND d.user_id = t.user_id)))")


def fold_logins(conn, writes: Writes) -> None:
    """A user's login statements are their logins; a user who sent none logged in once on every day they sent
    any statement, at that day's first statement (docs/xapi.md, "Last login"). Only the difference between the
    logins statements made before and those they make now is written."""
    conn.execute(text(f"INSERT INTO xapi_touched (kind, user_id, key) SELECT DISTINCT 'whole', t.user_id, '' "
                      f"FROM xapi_touched t WHERE {WHOLE} ON CONFLICT DO NOTHING"))
    for lo, hi in _user_ranges(conn, "whole"):
        bounds = {"lo": lo, "hi": hi}
        made = {tuple(r) for r in conn.execute(text("""
            SELECT DISTINCT l.user_id, l.at FROM xapi_touched t
            JOIN logins l ON l.user_id = t.user_id
            JOIN xapi_statements s ON s.user_id = l.user_id AND s.timestamp = l.at
            WHERE t.kind = 'whole' AND t.user_id || '' BETWEEN :lo AND :hi"""), bounds)}
        wanted = {tuple(r) for r in conn.execute(text("""
            SELECT DISTINCT f.user_id, f.at FROM xapi_touched t CROSS JOIN xapi_facts f
            WHERE t.kind = 'whole' AND f.kind = 'login' AND f.user_id = t.user_id
              AND t.user_id || '' BETWEEN :lo AND :hi"""), bounds)}
        wanted |= {tuple(r) for r in conn.execute(text(f"""
            SELECT s.user_id, MIN(s.timestamp) FROM xapi_touched t
            JOIN xapi_statements s ON s.user_id = t.user_id
            WHERE t.kind = 'whole' AND t.user_id || '' BETWEEN :lo AND :hi AND s.voided = 0 AND s.voids IS NULL
              AND NOT EXISTS (SELECT 1 FROM xapi_facts f WHERE f.kind = 'login' AND f.user_id = t.user_id)
            GROUP BY s.user_id, s.timestamp / {DAY}"""), bounds)}  # (senders of login statements: those only)
        writes.delete("logins", ("user_id", "at"), sorted(made - wanted))
        writes.upsert("logins", ["user_id", "at"], ("user_id", "at"), sorted(wanted - made))


def fold_login_days(conn, writes: Writes) -> None:
    """fold_logins for the (user, day) keys of users not folded whole: the same rows, reading one day."""
    within = f"BETWEEN CAST(t.key AS BIGINT) * {DAY} AND CAST(t.key AS BIGINT) * {DAY} + {DAY - 1}"
    days = ("t.kind = 'day' AND NOT EXISTS "
            "(SELECT 1 FROM xapi_touched w WHERE w.kind = 'whole' AND w.user_id = t.user_id)")
    made = {tuple(r) for r in conn.exec_driver_sql(f"""
        SELECT DISTINCT l.user_id, l.at FROM xapi_touched t
        JOIN logins l ON l.user_id = t.user_id AND l.at {within}
        JOIN xapi_statements s ON s.user_id = l.user_id AND s.timestamp = l.at
        WHERE {days}""")}
    wanted = {tuple(r) for r in conn.exec_driver_sql(f"""
        SELECT DISTINCT f.user_id, f.at FROM xapi_touched t CROSS JOIN xapi_facts f
        WHERE {days} AND f.kind = 'login' AND f.user_id = t.user_id AND f.at {within}""")}
    wanted |= {tuple(r) for r in conn.exec_driver_sql(f"""
        SELECT s.user_id, MIN(s.timestamp) FROM xapi_touched t
        JOIN xapi_statements s ON s.user_id = t.user_id AND s.timestamp {within}
        WHERE {days} AND s.voided = 0 AND s.voids IS NULL
          AND NOT EXISTS (SELECT 1 FROM xapi_facts f WHERE f.kind = 'login' AND f.user_id = t.user_id)
        GROUP BY s.user_id, t.key""")}
    writes.delete("logins", ("user_id", "at"), sorted(made - wanted))
    writes.upsert("logins", ["user_id", "at"], ("user_id", "at"), sorted(wanted - made))


def _user_ranges(conn, kind: str, size: int = 5000):
    """(first, last) user ids of consecutive slices of the touched keys of a kind: the fold reads one slice at a
    time, so memory stays level on a million statements. (The queries test `t.user_id || ''` against the bounds:
    on the column itself SQLite carries the range over to the joined table and scans it instead of looking up
    each touched key; CROSS JOIN keeps SQLite reading the few touched keys first.)"""
    users = conn.execute(text("SELECT DISTINCT user_id FROM xapi_touched WHERE kind = :k ORDER BY user_id"),
                         {"k": kind}).scalars().all()
    for i in range(0, len(users), size):
        part = users[i:i + size]
        yield part[0], part[-1]


# The fold reads a slice of learners either from its touched keys (a batch posted to the endpoint: look each one
# up) or, when the slice has past BULK_KEYS touched keys and its range holds at most BULK_SPREAD learners per
# touched one (a third or more of them touched), every row of the range in index order (a bulk import touches
# nearly everything: a range scan beats a million lookups); the rows are then kept for the touched keys only.
# (The share matters: a burst of posted batches touches a few thousand learners scattered over every id, and
# scanning the range then read every statement stored, 2 s a fold on a million, where lookups took 0.3 s.)
BULK_KEYS = 2000
BULK_SPREAD = 3
_SPAN_COLS = "s.user_id, s.session_id, MIN(s.course_id), MIN(s.timestamp), MAX(s.timestamp)"
_NOT_ENROLLMENT = """LEFT JOIN xapi_facts f ON f.statement_id = s.statement_id AND f.kind = 'enrollment'
    WHERE s.voided = 0 AND s.voids IS NULL AND s.session_id IS NOT NULL AND f.statement_id IS NULL"""
_SPANS = {  # keyed by bulk
    False: f"""SELECT {_SPAN_COLS} FROM xapi_touched t
        JOIN xapi_statements s ON s.user_id = t.user_id AND s.session_id = t.key
             AND t.kind = 'pair' AND t.user_id || '' BETWEEN :lo AND :hi
        {_NOT_ENROLLMENT} GROUP BY s.user_id, s.session_id""",
    True: f"""SELECT {_SPAN_COLS} FROM xapi_statements s
        {_NOT_ENROLLMENT} AND s.user_id BETWEEN :lo AND :hi GROUP BY s.user_id, s.session_id""",
}
_FACT_COLS = "f.user_id, f.key2, f.kind, f.at, f.num1, f.num2, f.num3, f.num4, f.flag, f.statement_id"
_PAIR_FACTS = {
    False: f"""SELECT {_FACT_COLS} FROM xapi_touched t CROSS JOIN xapi_facts f
        WHERE f.user_id = t.user_id AND f.key2 = t.key AND f.kind IN ('attempt', 'enrollment') AND t.kind = 'pair'
          AND t.user_id || '' BETWEEN :lo AND :hi""",
    True: f"""SELECT {_FACT_COLS} FROM xapi_facts f
        WHERE f.kind IN ('attempt', 'enrollment') AND f.user_id BETWEEN :lo AND :hi""",
}


def _bulk(conn, wanted: set[tuple[str, str]], bounds: dict) -> bool:
    """Whether to scan the slice's range rather than look up its touched keys (see BULK_KEYS)."""
    if len(wanted) <= BULK_KEYS:
        return False
    touched = len({u for u, _ in wanted})
    enough = BULK_SPREAD * touched + 1  # (counting stops there: a scattered burst's range spans every id)
    learners = conn.execute(text("SELECT COUNT(*) FROM (SELECT 1 FROM users WHERE user_id BETWEEN :lo AND :hi "
                                 "LIMIT :n) AS r"), {**bounds, "n": enough}).scalar()
    return learners < enough


def fold_attempts_and_enrollments(conn, writes: Writes) -> None:
    """A course attempt spans a learner's statements in the run (registrations aside); see _attempt_row and
    _enrollment_row for what the facts decide."""
    for lo, hi in _user_ranges(conn, "pair"):
        bounds = {"lo": lo, "hi": hi}
        wanted = {tuple(r) for r in conn.execute(text(
            "SELECT user_id, key FROM xapi_touched WHERE kind = 'pair' AND user_id >= :lo AND user_id <= :hi"),
            bounds)}
        bulk = _bulk(conn, wanted, bounds)
        spans_sql, facts_sql = text(_SPANS[bulk]), text(_PAIR_FACTS[bulk])
        spans = [r for r in conn.execute(spans_sql, bounds) if (r[0], r[1]) in wanted]
        facts = defaultdict(list)
        for f in conn.execute(facts_sql, bounds):
            if (f[0], f[1]) in wanted:
                facts[(f[0], f[1])].append(tuple(f[2:]))
        attempts, enrollments = [], []
        for user, sid, course, first, last in spans:
            mine = facts.get((user, sid), [])
            attempts.append(_attempt_row(user, sid, course, first, last, [f for f in mine if f[0] == "attempt"]))
            enrollments.append(_enrollment_row(user, sid, first, [f for f in mine if f[0] == "enrollment"]))
        for user, sid in wanted - {(a[1], a[3]) for a in attempts}:
            rows = [f for f in facts.get((user, sid), []) if f[0] == "enrollment"]
            if rows:  # only enrollment statements left, or nothing at all
                enrollments.append(_enrollment_row(user, sid, None, rows))
        _replace(writes, "course_attempts", ("attempt_id",), [(attempt_id(u, s),) for u, s in wanted], attempts,
                 ["attempt_id", "user_id", "course_id", "session_id", "attempt_no", "started_at", "last_activity_at",
                  "completed_at", "progress_pct", "score_pct", "time_spent_s"])
        _replace(writes, "enrollments", ("session_id", "user_id"), [(s, u) for u, s in wanted], enrollments,
                 ["session_id", "user_id", "status", "source", "group_id", "assigned_at", "unassigned_at"])


def _attempt_row(user, sid, course, first, last, facts) -> tuple:
    done = [f[1] for f in facts if f[6] == 1]
    progress = [f[2] for f in facts if f[2] is not None]
    scored = sorted((f[1], f[7], f[3]) for f in facts if f[3] is not None)
    ending = [f[4] for f in facts if f[4] is not None]
    time_s = sum(ending) if ending else sum(f[5] for f in facts if f[5] is not None)
    completed_at = min(done) if done else None
    return (attempt_id(user, sid), user, course, sid, 1, first, last, completed_at,
            100.0 if completed_at is not None else (max(progress) if progress else None),
            scored[-1][2] if scored else None, int(round(time_s)))


def _enrollment_row(user, sid, first_seen, facts) -> tuple:
    """Registered at the latest registration (or the first statement when none was sent); unassigned when an
    unregistration came after every registration."""
    reg = max((f[1] for f in facts if f[6] == 1), default=None)
    unreg = max((f[1] for f in facts if f[6] == 0), default=None)
    assigned = reg if reg is not None else first_seen
    unassigned = unreg if unreg is not None and (reg is None or unreg > reg) else None
    return (sid, user, "registered", "assigned", None, assigned, unassigned)


def fold_assessments(conn, writes: Writes) -> None:
    """An assessment's result is the latest scored or judged statement about it."""
    for lo, hi in _user_ranges(conn, "block"):
        bounds = {"lo": lo, "hi": hi}
        wanted = {tuple(r) for r in conn.execute(text(
            "SELECT user_id, key FROM xapi_touched WHERE kind = 'block' AND user_id >= :lo AND user_id <= :hi"),
            bounds)}
        latest: dict[tuple[str, str], tuple] = {}
        for f in conn.execute(text("""
                SELECT f.user_id, f.key1, f.at, f.statement_id, f.num2, f.flag
                FROM xapi_touched t CROSS JOIN xapi_facts f
                WHERE f.user_id = t.user_id AND f.key1 = t.key AND t.kind = 'block' AND f.kind = 'assessment'
                  AND t.user_id || '' BETWEEN :lo AND :hi"""),
                bounds):
            key = (f[0], f[1])
            if key not in latest or tuple(f[2:4]) > tuple(latest[key][2:4]):
                latest[key] = tuple(f)
        rows = [(u, b, f[4], f[5], f[2]) for (u, b), f in latest.items()]
        _replace(writes, "assessment_results", ("user_id", "block_id"), sorted(wanted), rows,
                 ["user_id", "block_id", "score_pct", "passed", "submitted_at"])


def fold_session_dates(conn, writes: Writes) -> None:
    """A course run starts at its first statement and ends IDLE_DAYS after its last one (a run none of whose
    statements is live keeps its dates)."""
    live = "FROM xapi_statements s WHERE s.session_id = t.key AND s.voided = 0 AND s.voids IS NULL"
    dates = conn.execute(text(f"""
        SELECT (SELECT MIN(s.timestamp) {live}), (SELECT MAX(s.timestamp) {live}) + {IDLE_DAYS * DAY}, t.key
        FROM xapi_touched t WHERE t.kind = 'session'""")).all()  # (each an index's first or last entry)
    writes.many("UPDATE sessions SET start_at = {m}, end_at = {m} WHERE session_id = {m}",
                [tuple(r) for r in dates if r[0] is not None])


def _replace(writes: Writes, table: str, key: tuple[str, ...], keys: list[tuple], rows: list[tuple],
             cols: list[str]) -> None:
    """Delete the rows of `keys` that no longer have a value, upsert `rows`."""
    idx = [cols.index(k) for k in key]
    present = {tuple(r[i] for i in idx) for r in rows}
    writes.delete(table, key, [k for k in keys if k not in present])
    writes.upsert(table, cols, key, rows)


def update_places(conn, places: list[tuple]) -> None:
    """(user_id, course_id, session_id, statement_id): where each statement is mapped to now (replay)."""
    _run_many(conn, "UPDATE xapi_statements SET user_id = {m}, course_id = {m}, session_id = {m} "
                    "WHERE statement_id = {m}", places)


def _run_many(conn, sql: str, rows) -> None:
    """executemany of `sql` with {m} for each parameter mark of the dialect."""
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql.format(m="%s" if db.is_postgres(conn) else "?"), list(rows))
    finally:
        cursor.close()


def raw_row(p, mapped, stored: int, voided: bool) -> tuple:
    return (p.id, p.digest, p.timestamp, stored, p.verb, mapped.user_id, mapped.course_id, mapped.session_id,
            1 if voided else 0, mapped.voids, p.text)

