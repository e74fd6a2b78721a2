"""Micro-benchmark: what the xAPI 1.0.3 validation (data_access/xapi/validate.py) costs per statement.

    python bench/xapi_validate_bench.py [--learners 300]

Validates the demo's statements (`learnpulse demo --format xapi`, every verb the demo sends) and the real
statements of ../shared/realdata/xapi when present, several times each, and prints microseconds per statement
next to what parsing the JSON (orjson) and the rest of preparing (canonical text, digest) cost. Not a test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data_access.xapi.sources import read_paths  # noqa: E402
from data_access.xapi.statement import loads, prepare  # noqa: E402
from data_access.xapi.validate import check  # noqa: E402

REAL = ROOT.parent / "shared" / "realdata" / "xapi"


def _per_statement(fn, items, rounds: int) -> float:
    t0 = time.perf_counter()
    for _ in range(rounds):
        for item in items:
            fn(item)
    return (time.perf_counter() - t0) / (rounds * len(items)) * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--learners", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "dashboard", "demo", "--format", "xapi", "--learners",
                        str(args.learners), "--now", "2026-11-23T09:00:00+00:00", "--out", tmp], check=True,
                       cwd=ROOT, capture_output=True)
        lines = (Path(tmp) / "statements.ndjson").read_bytes().splitlines()
    demo = [loads(line) for line in lines]
    assert not any(check(st) for st in demo), "the demo's statements are valid"
    print(f"demo statements: {len(demo)}")
    print(f"  parse (orjson)      {_per_statement(loads, lines, args.rounds):7.1f} µs/statement")
    print(f"  validate (check)    {_per_statement(check, demo, args.rounds):7.1f} µs/statement")
    print(f"  prepare (digest…)   {_per_statement(lambda st: prepare(st, 0), demo, args.rounds):7.1f} µs/statement")
    if REAL.exists():
        real = [i.statement for i in read_paths([REAL / "moodle", REAL / "openedx" / "xapi_expected"])
                if not i.error]
        print(f"real statements (Moodle, Open edX): {len(real)}")
        print(f"  validate (check)    {_per_statement(check, real, args.rounds * 20):7.1f} µs/statement")


if __name__ == "__main__":
    main()
