"""Benchmark: the Session CSV of the largest session, downloaded as the browser does, and this process's memory
while it streams.

    DATABASE_URL=postgresql://…/lp_million LEARNPULSE_NOW=2026-11-23T09:00:00Z python bench/session_csv_bench.py

Signs in as the platform owner (Flask's test client, the app in this process), GETs /download/session.csv for
the session with the most enrollments and reads the response a chunk at a time. A thread samples this
process's resident memory (psutil) every 20 ms: the figures are the RSS before the request, the peak while
streaming and the growth, with the time to the first byte and in all, the bytes and the lines.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psutil  # noqa: E402
from dashcalls import signed_in_client  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from dashboard.core.settings import Settings  # noqa: E402
from dashboard.factory import create_app  # noqa: E402
from data_access import schema  # noqa: E402

MB = 1024 * 1024


class Peak:
    """The highest RSS of this process seen by a sampling thread while in the block."""

    def __init__(self):
        self.proc, self.peak, self.done = psutil.Process(), 0, threading.Event()

    def __enter__(self):
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while not self.done.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.02)

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    svc = app.server.extensions["learnpulse"]
    e = schema.enrollments
    with svc.engine.connect() as conn:
        session, enrolled = conn.execute(select(e.c.session_id, func.count()).group_by(e.c.session_id)
                                         .order_by(func.count().desc(), e.c.session_id).limit(1)).one()
    client = signed_in_client(app)
    print(f"database: {settings.database_url.split('@')[-1]}   session {session}: {enrolled:,} enrollments   "
          f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for run in (1, 2):
        before = psutil.Process().memory_info().rss
        t = time.perf_counter()
        first = None
        size = lines = 0
        with Peak() as peak:
            response = client.get(f"/download/session.csv?session={session}", buffered=False)
            for chunk in response.response:
                first = first or time.perf_counter() - t
                size += len(chunk)
                lines += chunk.count(b"\n")
            response.close()
        total = time.perf_counter() - t
        print(f"run {run}: {lines:,} lines, {size / MB:,.1f} MB in {total:.1f} s (first byte {first:.2f} s); "
              f"RSS before {before / MB:,.0f} MB, peak {peak.peak / MB:,.0f} MB (+{(peak.peak - before) / MB:,.0f} MB)")


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
