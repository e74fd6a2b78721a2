"""Benchmark: demo generation and import at 10k and 100k learners, on SQLite and PostgreSQL.

    python bench/import_bench.py [--learners 10000 100000] [--backends sqlite postgres] [--database-url URL]

PostgreSQL: its own database (default lp_bench_import on 127.0.0.1, created if missing; its schema is dropped
and created again for each run).

Each measurement runs in its own process so that peak memory (max RSS) is its own. Prints one
line per run: rows, seconds, rows/s, peak MB. Not a test: numbers, for the README.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T00:00:00+00:00"
PG = "postgresql://postgres@127.0.0.1:5432/lp_bench_import"


def _child(kind: str, learners: int, folder: str, url: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from data_access import db, migrate, schema
    from data_access.demo import stream_bundle
    from data_access.importer import import_bundle

    if kind == "generate":
        t = time.perf_counter()
        counts = stream_bundle(learners, 42, datetime.fromisoformat(NOW), folder)
        seconds = time.perf_counter() - t
        rows = sum(counts.values())
        extra = {"files": counts}
    else:
        engine = db.make_engine(url)
        schema.drop_schema(engine)
        migrate.upgrade(engine)
        report = import_bundle(engine, folder)
        seconds, rows = report.seconds, report.total_rows
        extra = {"validate_s": round(report.validate_seconds, 1), "write_s": round(report.write_seconds, 1),
                 "derive_s": round(report.derive_seconds, 1)}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": rows, "seconds": round(seconds, 1), "rows_per_s": int(rows / seconds),
            "peak_mb": int(peak_mb), **extra}


def _create_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    sys.path.insert(0, str(ROOT))
    from data_access.db import normalise_url

    target = make_url(normalise_url(url))
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": target.database}).first() is None:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()


def _run(kind, learners, folder, url):
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(learners), folder, url],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--learners", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    ap.add_argument("--database-url", default=PG, help="the PostgreSQL database to import into (its own)")
    args = ap.parse_args()
    if "postgres" in args.backends:
        _create_database(args.database_url)
    print(f"machine: {resource.getpagesize()} B pages, python {sys.version.split()[0]}, now={NOW}")
    for n in args.learners:
        with tempfile.TemporaryDirectory() as tmp:
            folder = str(Path(tmp) / "bundle")
            g = _run("generate", n, folder, "")
            print(f"{n:>7} learners  generate+write  {g['rows']:>10,} rows  {g['seconds']:>6} s  "
                  f"{g['rows_per_s']:>9,} rows/s  peak {g['peak_mb']:>5} MB", flush=True)
            for backend in args.backends:
                url = f"sqlite:///{tmp}/bench.sqlite3" if backend == "sqlite" else args.database_url
                r = _run("import", n, folder, url)
                print(f"{n:>7} learners  import {backend:<9}{r['rows']:>10,} rows  {r['seconds']:>6} s  "
                      f"{r['rows_per_s']:>9,} rows/s  peak {r['peak_mb']:>5} MB  "
                      f"(validate {r['validate_s']} s, write {r['write_s']} s, derive {r['derive_s']} s)",
                      flush=True)
    print("finished", datetime.now(UTC).isoformat(timespec="seconds"))


if __name__ == "__main__":
    main()
