"""Benchmark: overview page queries, cold (cache empty) and warm, on an existing database.

    DATABASE_URL=sqlite:///path.sqlite3 python bench/overview_bench.py

Prints milliseconds per query function (server time, excluding the browser).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402
from flask_caching import Cache  # noqa: E402

from dashboard.settings import Settings  # noqa: E402
from data_access import db  # noqa: E402
from data_access.queries import overview as q  # noqa: E402
from data_access.queries import trends  # noqa: E402
from data_access.query_runner import QueryRunner  # noqa: E402
from data_access.scope import Scope  # noqa: E402


def main() -> None:
    settings = Settings.from_env()
    engine = db.make_engine(os.environ.get("DATABASE_URL", settings.database_url))
    runner = QueryRunner(engine, Cache(Flask("bench"), config={"CACHE_TYPE": "SimpleCache"}))
    now = settings.now()
    for fn, kwargs in ((q.kpis, {}), (trends.weekly_active_learners, {"tz": settings.timezone}),
                       (q.learners_by_recency, {})):
        t = time.perf_counter()
        runner.run(fn, Scope.owner(), now, **kwargs)
        cold = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        for _ in range(20):
            runner.run(fn, Scope.owner(), now, **kwargs)
        warm = (time.perf_counter() - t) * 1000 / 20
        print(f"{fn.__name__:<24} cold {cold:8.1f} ms   warm {warm:6.2f} ms")


if __name__ == "__main__":
    main()
