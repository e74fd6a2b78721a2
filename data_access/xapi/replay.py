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

from data_access import db, derive
from data_access.xapi import project
from data_access.xapi.ingest import Report
from data_access.xapi.mapping import Mapper
from data_access.xapi.statement import Prepared, loads

BATCH = 5000


def replay(engine: Engine, on_progress=None) -> Report:
    t0 = time.perf_counter()
    report = Report()
    # (one fold at a time: the endpoint's fold on SQLite reads, then writes in another transaction; a replay
    # committed in between would have its rows overwritten by rows computed from the facts before it)
    with db.exclusive(engine, "derive"), engine.begin() as conn:
        project.begin(conn)
        root = project.ensure_root(conn)
        project.touch_all(conn)
        changed: set[str] = set()
        old = [tuple(r) for r in conn.execute(text(f"SELECT {', '.join(project.FACT_COLS[1:])} FROM xapi_facts"))]
        changed |= project.unwrite_events(conn, old, put_back=False)
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
        changed |= project.fold(conn)
        derive.refresh(conn, changed)
        db.bump_data_version(conn)
        project.end(conn)
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
    from data_access.xapi.ingest import _known_emails

    mapper = Mapper(_known_emails(conn, emails))
    mapped = [(p, mapper.map(p), voided) for p, voided in prepared]
    changed = project.ensure_dims(conn, mapper.batch, root)
    facts, live, keys, places = [], [], [], []
    for p, m, voided in mapped:
        places.append((m.user_id, m.course_id, m.session_id, p.id))
        if voided:
            continue
        facts += [(p.id, *f) for f in m.facts]
        live += m.facts
        keys += project.keys_of(m.user_id, m.session_id, m.facts)
    project.update_places(conn, places)
    project.bulk_insert(conn, "xapi_facts", project.FACT_COLS, facts)
    changed |= project.write_events(conn, live)
    project.touch(conn, keys)
    return changed
