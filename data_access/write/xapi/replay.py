"""`learnpulse xapi replay`: apply the (current) mapping again to every stored statement.

Everything xAPI contributed is recomputed: the facts of every statement are dropped together with the event
rows they made, every live statement is mapped anew (in stored order, so names and block order come out as on
first import), and the rows built from many statements are folded again for every key. Dimension rows (users,
courses, sessions, activities …) are kept and completed, never deleted.
"""

from __future__ import annotations

import time

from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import db
from data_access.write import bulk, derive
from data_access.write.xapi import dimensions, events, fold, statements, touched
from data_access.write.xapi.ingest import Report, known_emails
from data_access.xapi.mapping import Mapper
from data_access.xapi.statement import Prepared, loads

BATCH = 5000


def replay(engine: Engine, on_progress=None) -> Report:
    t0 = time.perf_counter()
    report = Report()
    # (one fold at a time: the endpoint's fold on SQLite reads, then writes in another transaction; a replay
    # committed in between would have its rows overwritten by rows computed from the facts before it)
    with db.exclusive(engine, "derive"), engine.begin() as conn:
        touched.begin(conn)
        root = dimensions.ensure_root(conn)
        touched.touch_all(conn)
        changed: set[str] = set()
        old = [tuple(r) for r in conn.execute(text(f"SELECT {', '.join(statements.FACT_COLS[1:])} FROM xapi_facts"))]
        changed |= events.unwrite_events(conn, old, put_back=False)
        del old
        conn.execute(text("DELETE FROM xapi_facts"))
        result = conn.execute(text(
            "SELECT statement_id, digest, timestamp, body, voided FROM xapi_statements "
            "WHERE voids IS NULL ORDER BY stored, statement_id").execution_options(yield_per=BATCH))
        while rows := result.fetchmany(BATCH):
            changed |= _map_again(conn, rows, root)
            report.stored += len(rows)
            if on_progress:
                on_progress(report.stored)
        changed |= fold.fold(conn)
        derive.refresh(conn, changed)
        db.bump_data_version(conn)
        touched.end(conn)
    report.seconds = time.perf_counter() - t0
    return report


def _map_again(conn, rows, root: str) -> set[str]:
    emails = set()
    prepared = []
    for r in rows:
        body = loads(r.body)
        prepared.append((Prepared(r.statement_id, r.timestamp, r.digest, body, r.body), bool(r.voided)))
        actor = body.get("actor")
        if isinstance(actor, dict) and actor.get("mbox"):
            emails.add(actor["mbox"][7:].strip().lower())

    mapper = Mapper(known_emails(conn, emails))
    mapped = [(p, mapper.map(p), voided) for p, voided in prepared]
    changed = dimensions.ensure_dims(conn, mapper.batch, root)
    facts, live, keys, places = [], [], [], []
    for p, m, voided in mapped:
        places.append((m.user_id, m.course_id, m.session_id, p.id))
        if voided:
            continue
        facts += [(p.id, *f) for f in m.facts]
        live += m.facts
        keys += touched.keys_of(m.user_id, m.session_id, m.facts)
    statements.update_places(conn, places)
    bulk.bulk_insert(conn, "xapi_facts", statements.FACT_COLS, facts)
    changed |= events.write_events(conn, live)
    touched.touch(conn, keys)
    return changed
