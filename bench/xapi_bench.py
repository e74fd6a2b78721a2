"""Benchmark: xAPI import of about a million statements, and the endpoint's throughput, on SQLite and PostgreSQL.

    python bench/xapi_bench.py [--learners 17000] [--backends sqlite postgres] [--batches 200]

The statements are the demo as xAPI (`learnpulse demo --format xapi`, ~60 statements per learner), written
once to bench/out/. Each import runs in its own process so that its peak memory (max RSS) is its own (statements
stream in batches of 5,000; compare --learners 1700 with 17000). The endpoint is then timed on the imported
database: batches of 100 new statements (every 50th of the demo's, all verbs, with fresh ids) posted over HTTP
keep-alive to the app served by werkzeug, as an LRS client would, and the time until the background fold has
worked off the last of them. Not a test: numbers, for the README.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
NOW = "2026-11-23T09:00:00+00:00"
PG = "postgresql://postgres@127.0.0.1:5432/lp_xapi_bench"


def _child_import(path: str, url: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from data_access import db, migrate, schema
    from data_access.write.xapi.ingest import ingest
    from data_access.xapi.sources import read_paths

    if url.startswith("sqlite:///"):  # an empty database: a new file (a dropped schema leaves 2 GB of free pages)
        for suffix in ("", "-wal", "-shm"):
            Path(url[len("sqlite:///"):] + suffix).unlink(missing_ok=True)
    engine = db.make_engine(url)
    schema.drop_schema(engine)
    migrate.upgrade(engine)
    report = ingest(engine, read_paths([path]), int(time.time()))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    return {"statements": report.received, "seconds": round(report.seconds, 1),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "per_s": int(report.received / report.seconds), "fold_s": round(report.fold_seconds, 1),
            "derive_s": round(report.derive_seconds, 1), "peak_mb": int(peak_mb)}


def _child_endpoint(path: str, url: str, batches: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from dashboard.factory import create_app
    from dashboard.settings import Settings
    from data_access.xapi import credentials
    from tests.browser import serve

    settings = Settings.from_env(env={}, database_url=url, seed_demo_on_empty=False,
                                 now_override=datetime.fromisoformat(NOW))
    app = create_app(settings)
    key, secret = credentials.create(app.server.extensions["learnpulse"].engine, "bench")
    base, srv = serve(app)
    host, port = base.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port))
    headers = {"Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
               "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"}
    folder = app.server.extensions["learnpulse"].xapi_folder
    timings = []
    with open(path, encoding="utf-8") as fh:  # every 50th statement: all verbs, logins to forum posts
        sample = [line for i, line in enumerate(fh) if i % 50 == 0][:100 * batches]
    start = time.perf_counter()
    for b in range(batches):
        batch = [json.loads(line) | {"id": str(uuid.uuid4())} for line in sample[100 * b:100 * (b + 1)]]
        body = json.dumps(batch)
        t = time.perf_counter()
        conn.request("POST", "/xapi/statements", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        timings.append(time.perf_counter() - t)
        assert response.status == 200, response.status
    assert folder.wait(600)
    folded = time.perf_counter() - start  # until the last batch is folded and every derived fact refreshed
    srv.shutdown()
    timings.sort()
    total = sum(timings)
    return {"statements": 100 * batches, "seconds": round(total, 2), "per_s": int(100 * batches / total),
            "folded_s": round(folded, 2), "folded_per_s": int(100 * batches / folded),
            "median_ms": round(1000 * timings[len(timings) // 2], 1),
            "p95_ms": round(1000 * timings[int(.95 * len(timings))], 1)}


def _run(*args) -> dict:
    os.sync()  # each step starts with the previous one's writes on disk (an import leaves 2 GB being written back)
    out = subprocess.run([sys.executable, __file__, "--child", *map(str, args)], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def statements_file(learners: int) -> Path:
    path = OUT / f"xapi-{learners}" / "statements.ndjson"
    if not path.exists():
        subprocess.run([str(ROOT / ".venv" / "bin" / "learnpulse"), "demo", "--format", "xapi", "--learners",
                        str(learners), "--now", NOW, "--out", str(path.parent)], check=True)
    return path


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, path, url = sys.argv[2:5]
        out = _child_import(path, url) if kind == "import" else _child_endpoint(path, url, int(sys.argv[5]))
        print(json.dumps(out))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--learners", type=int, default=17_000)
    ap.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    ap.add_argument("--batches", type=int, default=200)
    args = ap.parse_args()
    path = statements_file(args.learners)
    print(f"python {sys.version.split()[0]}, {args.learners:,} learners as statements: {path} "
          f"({path.stat().st_size / 1e6:,.0f} MB)", flush=True)
    for backend in args.backends:
        url = f"sqlite:///{OUT / 'xapi-bench.sqlite3'}" if backend == "sqlite" else PG
        r = _run("import", path, url)
        print(f"import {backend:<9} {r['statements']:>10,} statements  {r['seconds']:>6} s "
              f"(CPU {r['cpu_s']} s)  {r['per_s']:>7,}/s  "
              f"peak {r['peak_mb']:>5} MB  (fold {r['fold_s']} s, derive {r['derive_s']} s)", flush=True)
        e = _run("endpoint", path, url, args.batches)
        print(f"POST   {backend:<9} {e['statements']:>10,} statements in batches of 100: {e['per_s']:>6,}/s  "
              f"median {e['median_ms']} ms, p95 {e['p95_ms']} ms per batch; all folded and derived after "
              f"{e['folded_s']} s ({e['folded_per_s']:,}/s)", flush=True)
    print("finished", datetime.now(UTC).isoformat(timespec="seconds"))


if __name__ == "__main__":
    main()
