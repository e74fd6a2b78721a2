"""Benchmark: how fast an over-wide or over-long line of a bundle file is refused, and the reader's peak memory.

    python bench/import_limits_bench.py

Writes the fixture bundle with one users.csv line of 10^5, 10^6 and 10^7 columns (and one cell of 10^8
characters), reads it with bundle_reader.read_raw, and prints the seconds, the Python peak memory
(tracemalloc) and the first error. Not a test: numbers, for the README.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data_access.bundle_reader import Problems, read_raw  # noqa: E402
from tests import fixture_bundle  # noqa: E402


def main() -> None:
    cases = {f"{n:,} columns": "junk," * n + "\n" for n in (10**5, 10**6, 10**7)}
    cases["one cell of 100,000,000 characters"] = "u9," + "x" * 10**8 + "\n"
    for label, line in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            folder = fixture_bundle.write(Path(tmp) / "b", {"users.csv": fixture_bundle.FILES["users.csv"] + line})
            problems = Problems()
            tracemalloc.start()
            t = time.perf_counter()
            read_raw(folder, problems)
            seconds = time.perf_counter() - t
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"{label:<38} {seconds * 1000:8.1f} ms   peak {peak / 2**20:6.1f} MiB   {problems.issues[0]}")


if __name__ == "__main__":
    main()
