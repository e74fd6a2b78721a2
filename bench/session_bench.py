"""Benchmark: one program session's page and its CSV, cold (app cache empty) and warm, on an existing database.

    DATABASE_URL=sqlite:///path.sqlite3 LEARNPULSE_NOW=2026-11-23T09:00:00Z python bench/session_bench.py [SESSION]

SESSION defaults to the session with the most enrollments (the demo's flagship cohort: ~10,000 learners at
100k). Callbacks are called through Flask's test client (Dash serialisation included); the Session CSV is
streamed from /download/session.csv chunk by chunk; a second download samples the memory in use after each
chunk (flat memory = the samples stay level while the file grows).
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashcalls import page as open_page  # noqa: E402
from dashcalls import payload, post, signed_in_client, timed  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from dashboard.core.ids import ProgramSession as ID  # noqa: E402
from dashboard.core.settings import Settings  # noqa: E402
from dashboard.factory import create_app  # noqa: E402
from data_access import schema  # noqa: E402


def stream_csv(client, session: str) -> tuple[float, int, list[float]]:
    """Seconds and bytes of a plain streamed download, then the Python memory in use after each chunk of
    a second one under tracemalloc (which slows Python down, so it is not timed). Flat memory = the
    samples stay level from the first chunks to the last while the file grows."""
    def download(sample=None) -> int:
        response = client.get(f"/download/session.csv?session={session}", buffered=False)
        size = 0
        for chunk in response.response:
            size += len(chunk)
            if sample is not None:
                sample.append(tracemalloc.get_traced_memory()[0] / 1e6)
        return size

    times = []
    for _ in range(3):
        t = time.perf_counter()
        size = download()
        times.append(time.perf_counter() - t)
    seconds = sorted(times)[1]  # the median of three
    samples: list[float] = []
    tracemalloc.start()
    download(samples)
    tracemalloc.stop()
    return seconds, size, samples


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    svc = app.server.extensions["learnpulse"]
    now = settings.now()
    e = schema.enrollments
    with svc.engine.connect() as conn:
        sizes = conn.execute(select(e.c.session_id, func.count()).group_by(e.c.session_id)
                             .order_by(func.count().desc())).all()
        blocks = dict(conn.execute(select(schema.blocks.c.session_id, schema.blocks.c.block_id)
                                   .order_by(schema.blocks.c.position.desc())).all())
    session = sys.argv[1] if len(sys.argv) > 1 else sizes[0][0]
    n = dict(sizes)[session]
    small = min(sizes, key=lambda s: abs(s[1] - n / 10))[0]
    print(f"database: {settings.database_url.split('@')[-1]}   now: {now.isoformat()}")
    print(f"session {session}: {n:,} enrollments")
    client = signed_in_client(app)

    def layout():
        return open_page(client, app, f"/sessions/{session}")

    sid = {f"{ID.ID}.data": session}
    timed("page layout (header, blocks)", layout, svc)
    timed("General section", lambda: post(client, payload(app, ID.KPIS, sid)), svc)
    request = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
    timed("results by group, first 100", lambda: post(client, payload(app, ID.GROUPS_GRID, {
        f"{ID.GROUPS_GRID}.getRowsRequest": request}, sid)), svc)
    for label, narrow, sort in (("individual results, first page", {}, []),
                                ("individual results, by score desc", {}, [{"colId": "score", "sort": "desc"}]),
                                ("individual results, level 80–100", {"band": 4}, [])):
        state = {**sid, f"{ID.PEOPLE_FILTER}.data": narrow}
        inputs = {f"{ID.PEOPLE_GRID}.getRowsRequest": {**request, "sortModel": sort}}
        timed(label, lambda i=inputs, s=state: post(client, payload(app, ID.PEOPLE_GRID, i, s)), svc)
    block_state = {**sid, f"{ID.BLOCK}.value": blocks[session]}
    timed("detailed results of the last block",
          lambda: post(client, payload(app, ID.BLOCK_GRID, {f"{ID.BLOCK_GRID}.getRowsRequest": request},
                                       block_state)), svc)
    for which in (small, session):
        seconds, size, samples = stream_csv(client, which)
        step = max(1, len(samples) // 6)
        print(f"Session CSV {which} ({dict(sizes)[which]:,} enrollments): {seconds:.2f} s, {size / 1e6:.1f} MB in "
              f"{len(samples)} chunks; Python memory after chunks (MB): "
              + ", ".join(f"{m:.1f}" for m in samples[::step]))


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
