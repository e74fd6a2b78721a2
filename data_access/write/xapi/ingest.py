"""Taking statements in: check, store, map, fold, refresh derived facts — all in one transaction.

The same road for `learnpulse xapi import` (files), `POST /xapi/statements` and `xapi pull`. Statements
stream through in batches (memory stays level whatever the file's size); a problem anywhere is
collected with its place and reason, every later statement is still checked so the report is
complete, and the transaction is rolled back: nothing changes. A statement whose id is stored with
the same content is skipped (importing twice changes nothing); with other content it is a conflict.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from data_access import db
from data_access.write import bulk, derive
from data_access.write.xapi import dimensions, events, fold, statements, touched
from data_access.xapi.mapping import Mapper
from data_access.xapi.sources import Item
from data_access.xapi.statement import VOIDED, Prepared, located, prepare

BATCH = 5000
WAL_PAGES = 16384  # 64 MB of 4 kB pages
SESSION_ROWS = "{s} IN (SELECT key FROM xapi_touched WHERE kind = 'session')"
PAIR_ROWS = "({s}, {u}) IN (SELECT key, user_id FROM xapi_touched WHERE kind = 'pair')"
MAX_REPORTED = 100


class XapiFailed(Exception):
    """Statements that cannot be taken; nothing was changed."""

    def __init__(self, issues: list[tuple[str, str]], total: int, conflict: bool = False):
        self.issues, self.total, self.conflict = issues, total, conflict
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"xapi import failed: {self.total} problem(s), nothing was changed"]
        lines += [f"  {where}: {reason}" for where, reason in self.issues[:MAX_REPORTED]]
        if self.total > MAX_REPORTED:
            lines.append(f"  … and {self.total - MAX_REPORTED} more")
        return "\n".join(lines)


@dataclass
class Report:
    received: int = 0
    stored: int = 0  # new statements
    duplicates: int = 0  # already stored with the same content
    voided: int = 0
    ids: list[str] = field(default_factory=list)  # every statement's id, in order (when asked for)
    seconds: float = 0.0
    fold_seconds: float = 0.0
    derive_seconds: float = 0.0
    changed: set[str] = field(default_factory=set)


class _Run:
    """The state of one ingest inside its transaction."""

    def __init__(self, conn, stored_at: int, keep_ids: bool, per_day: bool = False):
        self.conn, self.stored_at, self.keep_ids = conn, stored_at, keep_ids
        self.per_day = per_day  # fold logins per (user, day) touched (touched.keys_of)
        self.report = Report()
        self.issues: list[tuple[str, str]] = []
        self.total_problems = 0
        self.conflict = False
        self.root = dimensions.ensure_root(conn)
        self.changed: set[str] = set()
        self.seen_after_failure: dict[str, str] = {}
        self.batches = 0
        self.indexes_deferred = False
        self.done: set = set()  # memberships and namings written in this transaction (ensure_dims)
        self.touched: set = set()  # keys already in xapi_touched (or, per_day, kept for xapi_pending)

    def problem(self, where: str, reason: str) -> None:
        self.total_problems += 1
        if len(self.issues) < MAX_REPORTED:
            self.issues.append((where, reason))

    def batch(self, items: list[Item]) -> None:
        self.batches += 1
        if self.batches == 2 and not self.total_problems:  # a bulk import: build some indexes at the end
            statements.defer_indexes(self.conn)
            self.indexes_deferred = True
            if db.is_postgres(self.conn):
                # statistics from the first batch: a table never analysed is estimated to match nearly every row
                # of `voids IN (…)` and is then scanned whole for every batch (170 s of a million statements)
                self.conn.execute(text("ANALYZE xapi_statements"))
        pending: list[tuple[int, str, str]] = []  # this batch's problems, reported in the order of the items
        prepared: list[tuple[int, str, Prepared]] = []
        for index, item in enumerate(items):
            self.report.received += 1
            if item.error:
                pending.append((index, item.where, item.error))
                continue
            reasons = located(item.statement)
            pending += [(index, f"{item.where}.{path}" if path else item.where, r) for path, r in reasons]
            if not reasons:
                prepared.append((index, item.where, prepare(item.statement, self.stored_at)))
        new = self._new_statements(prepared, pending)
        for _, where, reason in sorted(pending, key=lambda p: p[0]):
            self.problem(where, reason)
        if self.total_problems:
            return  # keep checking the rest, write nothing: it will all be rolled back
        self._write(new)

    def _new_statements(self, prepared: list[tuple[int, str, Prepared]], pending: list) -> list[Prepared]:
        """Drop repeats (same id, same content); report conflicts (same id, other content)."""
        first: dict[str, tuple[str, Prepared]] = {}
        new: list[Prepared] = []
        stored = _stored_digests(self.conn, [p.id for _, _, p in prepared])
        failing = bool(self.total_problems or pending)
        for index, where, p in prepared:
            if self.keep_ids:
                self.report.ids.append(p.id)
            earlier = stored.get(p.id) or (first[p.id][1].digest if p.id in first else None) \
                or self.seen_after_failure.get(p.id)
            if earlier is None:
                first[p.id] = (where, p)
                new.append(p)
                if failing:
                    self.seen_after_failure[p.id] = p.digest
            elif earlier == p.digest:
                self.report.duplicates += 1
            else:
                self.conflict = True
                place = f" (first at {first[p.id][0]})" if p.id in first else " (stored)"
                pending.append((index, where, f"statement id {p.id} is already used by a statement with other "
                                              f"content{place}"))
        return new

    def _write(self, new: list[Prepared]) -> None:
        if not new:
            return
        conn = self.conn
        emails = {p.body["actor"]["mbox"][7:].strip().lower() for p in new
                  if isinstance(p.body.get("actor"), dict) and p.body["actor"].get("mbox")}
        mapper = Mapper(known_emails(conn, emails))
        mapped = [mapper.map(p) for p in new]
        targets = [m.voids for m in mapped if m.voids]
        voiders = set(targets)
        if voiders:
            bad = _voiding_statements(conn, list(voiders)) | (voiders & {p.id for p in new if p.verb == VOIDED})
            for p, m in zip(new, mapped, strict=True):
                if m.voids in bad:
                    self.problem(f"statement {p.id}", f"voids {m.voids}, which is itself a voiding statement "
                                                      "(a voiding statement cannot be voided)")
            if self.total_problems:
                return
        already_voided = _voided_by_stored(conn, [p.id for p in new])
        senders: set[str] = set()
        if self.per_day:  # (asked before this batch's facts are written: who sent login statements before it)
            senders = _login_senders(conn, {m.user_id for m in mapped
                                            if m.user_id and any(f[0] == "login" for f in m.facts)})
        self.report.voided += len(already_voided)
        self.changed |= dimensions.ensure_dims(conn, mapper.batch, self.root, self.done)
        raw, facts, live_facts, keys = [], [], [], []
        for p, m in zip(new, mapped, strict=True):
            dead = p.id in already_voided
            raw.append(statements.raw_row(p, m, self.stored_at, dead))
            if not dead:
                facts += [(p.id, *f) for f in m.facts]
                live_facts += m.facts
                day = p.timestamp // fold.DAY if self.per_day else None
                keys += touched.keys_of(m.user_id, m.session_id, m.facts, day, senders)
        bulk.bulk_insert(conn, "xapi_statements", statements.RAW_COLS, raw)
        bulk.bulk_insert(conn, "xapi_facts", statements.FACT_COLS, facts)
        self.changed |= events.write_events(conn, live_facts)
        keys = set(keys) - self.touched
        self.touched |= keys
        if not self.per_day:  # (the endpoint leaves its keys to xapi_pending in one write at the end)
            touched.touch(conn, keys)
        self.report.stored += len(new)
        if targets:
            count, changed = events.void(conn, targets)
            self.report.voided += count
            self.changed |= changed

    def fail_if_any(self) -> None:
        if self.total_problems:
            raise XapiFailed(self.issues, self.total_problems, self.conflict)


def _stored_digests(conn, ids: list[str]) -> dict[str, str]:
    sql = "SELECT statement_id, digest FROM xapi_statements WHERE statement_id {ids}"
    return dict(bulk.in_chunks(conn, sql, list(dict.fromkeys(ids))))


def known_emails(conn, emails: set[str]) -> dict[str, str]:
    return dict(bulk.in_chunks(conn, "SELECT email_lower, user_id FROM users WHERE email_lower {ids}",
                                  sorted(emails)))


def _login_senders(conn, users: set[str]) -> set[str]:
    sql = "SELECT DISTINCT user_id FROM xapi_facts WHERE kind = 'login' AND user_id {ids}"
    return {r[0] for r in bulk.in_chunks(conn, sql, sorted(users))}


def _voiding_statements(conn, ids: list[str]) -> set[str]:
    sql = "SELECT statement_id FROM xapi_statements WHERE voids IS NOT NULL AND statement_id {ids}"
    return {r[0] for r in bulk.in_chunks(conn, sql, ids)}


def _voided_by_stored(conn, ids: list[str]) -> set[str]:
    """Statements a stored voiding statement already targets (the voiding statement came first)."""
    # (voids IS NOT NULL: the partial index's own condition, so that no planner has to prove it from the list)
    sql = "SELECT voids FROM xapi_statements WHERE voids IS NOT NULL AND voids {ids}"
    return {r[0] for r in bulk.in_chunks(conn, sql, ids)}


def _batches(items: Iterable[Item], size: int):
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(engine: Engine, items: Iterable[Item], stored_at: int, *, scoped: bool = False, keep_ids: bool = False,
           defer_fold: bool = False, batch_size: int = BATCH, on_progress=None, before_commit=None) -> Report:
    """Take statements in, all or nothing (XapiFailed lists every problem). `scoped` refreshes derived facts
    only for the sessions and users the statements touched (the endpoint's small batches); otherwise exactly
    as after a bundle import. `defer_fold` (the endpoint) stores the statements and their events and leaves
    the fold and the derived facts to fold_pending, which the caller schedules. before_commit(conn) runs
    inside the transaction (pull keeps its resume point)."""
    t0 = time.perf_counter()
    # an import folds what posted batches left pending too: one fold at a time (the endpoint's background fold
    # takes the same lock), or two transactions would recompute the same attempts at once
    with (contextlib.nullcontext() if defer_fold else db.exclusive(engine, "derive")), engine.begin() as conn:
        _fewer_checkpoints(conn)
        touched.begin(conn)
        run = _Run(conn, stored_at, keep_ids, per_day=defer_fold)
        for batch in _batches(items, batch_size):
            run.batch(batch)
            if on_progress:
                on_progress(run.report.received)
        run.fail_if_any()
        report = run.report
        if run.indexes_deferred:
            statements.restore_indexes(conn)
        if defer_fold:
            if report.stored:
                touched.keep_pending(conn, run.changed, run.touched)
                db.bump_data_version(conn)  # the views, answers, posts and reactions are in their tables already
        else:
            claimed, tables = touched.claim_pending(conn)  # what posted batches left, folded with this import
            if report.stored or claimed:
                _finish(conn, run.changed | tables, scoped, report)
        if before_commit:
            before_commit(conn)
        touched.end(conn)
    report.seconds = time.perf_counter() - t0
    return report


def _fewer_checkpoints(conn) -> None:
    """SQLite checkpoints its WAL (with fsync) once it passes wal_autocheckpoint pages; small batches and folds
    each write about a thousand pages of index leaves, so the default (1000) made nearly every one pay a
    checkpoint."""
    if not db.is_postgres(conn):
        conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={WAL_PAGES}")


def has_pending(engine: Engine) -> bool:
    """Whether posted batches left keys to fold (False when the database cannot say)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT 1 FROM xapi_pending LIMIT 1")).first() is not None
    except SQLAlchemyError:
        return False


def fold_pending(engine: Engine) -> set[str]:
    """Fold the keys posted batches left pending and refresh their derived facts; returns the tables changed
    (for derive.refresh_dependent), empty when nothing was pending. On PostgreSQL in one transaction. On SQLite,
    whose writers take turns, the fold's reads run first with no lock (a snapshot) and its rows are then
    written in a short transaction, so that posted batches wait for the writes only: a batch committed in
    between left its own pending keys, folded next time from everything it stored."""
    report = Report()
    split = not db.is_postgres(engine)
    with engine.connect() as conn:
        try:
            changed = _fold_pending(conn, split, report)
        finally:  # (a temporary table is the connection's: dropped before it goes back to the pool)
            with contextlib.suppress(SQLAlchemyError):
                conn.rollback()  # (what a failed fold began; nothing after its commit)
                touched.end(conn)
                conn.commit()
    return changed


def _fold_pending(conn, split: bool, report: Report) -> set[str]:
    _fewer_checkpoints(conn)
    touched.begin(conn)
    if split:
        upto, tables = touched.read_pending(conn)
        claimed = upto is not None
    else:
        claimed, tables = touched.claim_pending(conn)
    if not claimed:
        conn.commit()
        return set()
    writes = fold.Writes()  # (the rows of the keys of one burst, kept until the reads are done)
    changed = _fold(conn, tables, report, writes)
    if split:
        conn.commit()  # the reads end (they took no lock); the writes begin by taking it
        touched.forget_pending(conn, upto)
    writes.apply(conn)
    _derive(conn, changed, True, report)
    conn.commit()
    return changed


def _finish(conn, changed: set[str], scoped: bool, report: Report) -> None:
    _derive(conn, _fold(conn, changed, report), scoped, report)


def _fold(conn, changed: set[str], report: Report, writes: fold.Writes | None = None) -> set[str]:
    t1 = time.perf_counter()
    if db.is_postgres(conn):
        # fresh statistics, or the planner folds a million fresh rows with nested loops — and a few touched keys
        # with hash joins over every fact (a temporary table has none until analysed)
        tables = ("xapi_statements", "xapi_facts", "xapi_touched") if report.stored >= 10_000 else ("xapi_touched",)
        for table in tables:
            conn.execute(text(f"ANALYZE {table}"))
    changed = changed | fold.fold(conn, writes)
    report.fold_seconds = time.perf_counter() - t1
    return changed


def _derive(conn, changed: set[str], scoped: bool, report: Report) -> None:
    t2 = time.perf_counter()
    if scoped:
        # a new block changes every learner of its session (blocks total); otherwise only the touched pairs
        rows = SESSION_ROWS if "blocks" in changed else PAIR_ROWS
        derive.refresh_for(conn, changed, rows, users="SELECT user_id FROM xapi_touched WHERE kind = 'user'")
    else:
        derive.refresh(conn, changed)
    report.derive_seconds = time.perf_counter() - t2
    report.changed = changed
    db.bump_data_version(conn)
