"""The fold: the rows that many statements build together (a course attempt, an enrollment, an assessment result,
a user's logins, a session's dates) recomputed for the keys an ingest touched (data_access.write.xapi.touched),
from every live statement and fact of those keys: so a voided statement, a statement arriving late or a replay
gives the same rows as a single import of everything would.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from sqlalchemy import text

from data_access.write.bulk import chunks, delete_rows, run_many, upsert_rows

DAY = 86_400
IDLE_DAYS = 30  # a course run ends this long after its last statement (docs/xapi.md)


def attempt_id(user_id: str, session_id: str) -> str:
    """One course attempt per learner and course run (docs/xapi.md)."""
    return "xapi-" + hashlib.sha1(f"{user_id}\n{session_id}".encode()).hexdigest()[:32]


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
            self._do(run_many, sql, rows)

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
    for part in chunks(users, size):
        yield part[0], part[-1]


# The fold reads a slice of learners either from its touched keys (a batch posted to the endpoint: look each one
# up) or, when the slice has past BULK_KEYS touched keys and its range holds at most BULK_SPREAD learners per
# touched one (a third or more of them touched), every row of the range in index order (a bulk import touches
# nearly everything: a range scan beats a million lookups); the rows are then kept for the touched keys only.
# (The share matters: a burst of posted batches touches a few thousand learners scattered over every id, and
# scanning the range would read every statement stored: 2 s a fold on a million, where lookups take 0.3 s.)
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
