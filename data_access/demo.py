"""Demo data: a realistic bundle, generated vectorised with numpy, written a chunk of learners at a time.

Realistic means: a group tree 3 levels deep; login recency that is mostly recent with a long inactive tail and
some learners who never logged in; scores skewed high with a spread; drop-off along each session's timeline;
past, running and future sessions with course, assessment and classroom blocks and due dates; repeated
attempts; deleted users; waiting lists; catalog registrations; valid, expiring and expired certificates;
posts, replies, reactions, views and downloads. The same seed and "now" give byte-identical files.

The shared world (groups, staff, content, sessions: demo_world) is drawn once; learners come in chunks of
CHUNK (demo_people, demo_activity, demo_collab), each from its own random stream, and each chunk's rows are
appended to the files before the next chunk is drawn, so memory holds one chunk whatever the size.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from data_access.bundle_spec import BY_NAME, FILES
from data_access.demo_activity import build_activity
from data_access.demo_collab import build_collab
from data_access.demo_people import Cohort, build_people
from data_access.demo_world import build_world

CHUNK = 50_000  # learners drawn and written at a time


def iter_tables(learners: int, seed: int, now: datetime, chunk: int = CHUNK) -> Iterator[tuple[str, pd.DataFrame]]:
    """(file name, rows) pieces in bundle order within each chunk; a file's pieces follow one another in the
    order they are to be written."""
    n = max(20, int(learners))
    world = build_world(n, seed, int(now.astimezone(UTC).timestamp()))
    yield from world.tables.items()
    serial: dict = {}
    for number, start in enumerate(range(0, n, chunk)):
        c = Cohort(start=start, m=min(chunk, n - start), rng=np.random.default_rng([seed, 1, number]),
                   serial=serial)
        build_people(world, c)
        build_activity(world, c)
        build_collab(world, c, np.random.default_rng([seed, 3]) if number == 0 else None)
        yield from c.tables.items()


def generate(learners: int, seed: int, now: datetime) -> dict[str, pd.DataFrame]:
    """The whole demo in memory (tests, the xAPI writer, small demos): the pieces of each file concatenated."""
    pieces: dict[str, list[pd.DataFrame]] = {}
    for name, df in iter_tables(learners, seed, now):
        pieces.setdefault(name, []).append(df)
    return {spec.name: pd.concat(pieces[spec.name], ignore_index=True) for spec in FILES if spec.name in pieces}


def write_bundle(frames: dict[str, pd.DataFrame], folder: Path | str) -> dict[str, int]:
    """Write the frames as bundle CSVs, in the column order of bundle_spec."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, df in frames.items():
        _append(folder / f"{name}.csv", df, header=True)
        counts[name] = len(df)
    return counts


def stream_bundle(learners: int, seed: int, now: datetime, folder: Path | str, chunk: int = CHUNK) -> dict[str, int]:
    """Write the demo bundle a chunk at a time (the same bytes as write_bundle(generate(…)))."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, df in iter_tables(learners, seed, now, chunk):
        _append(folder / f"{name}.csv", df, header=name not in counts)
        counts[name] = counts.get(name, 0) + len(df)
    return {spec.name: counts[spec.name] for spec in FILES if spec.name in counts}


def _append(path: Path, df: pd.DataFrame, header: bool) -> None:
    cols = BY_NAME[path.stem].col_names
    df[cols].to_csv(path, mode="w" if header else "a", header=header, index=False, lineterminator="\n")


def run_demo(engine, learners: int, seed: int, now: datetime, out: Path | str | None = None,
             import_it: bool = True, on_progress=None):
    """Generate, write the bundle (to `out` or a temporary folder) and import it.

    Returns (row counts written, ImportReport or None, seconds spent generating+writing).
    """
    import tempfile
    import time

    from data_access.importer import import_bundle

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="learnpulse-demo-") as tmp:
        folder = out or tmp
        counts = stream_bundle(learners, seed, now, folder)
        gen_s = time.perf_counter() - t0
        report = import_bundle(engine, folder, on_progress=on_progress) if import_it else None
    return counts, report, gen_s
