"""Validate a bundle a chunk of rows at a time: every rule of docs/bundle-format.md, vectorised, with memory
that does not grow with the rows of a file.

What spans chunks is held compactly: the id sets of the files other files refer to (ids, not rows), one 64-bit
hash per row of each file's key and of the users' emails (a second read of the file, only when two hashes
meet, names the lines), the group tree and the block kinds (thousands of rows). Rules that span columns,
files or the group tree are reported after every cell problem, in bundle order, as a whole-file read did.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from data_access.bundle_reader import EPOCH, Problems, Stored, read_frames
from data_access.bundle_spec import BY_NAME, FILES, FileSpec

CHUNK_ROWS = 100_000
REFERENCED = sorted({c.ref for f in FILES for c in f.cols if c.ref})


def collect_ids(files: list[tuple[FileSpec, Path]], stored: Stored, problems: Problems) -> dict[str, pd.Index]:
    """file name -> the ids other files may refer to: stored ones and those of the bundle's readable files, as
    an index whose hash table is built once (isin with a set of a million ids built one per chunk)."""
    ids = {name: set(stored.ids.get(name, set())) for name in BY_NAME}
    for spec, path in files:
        if spec.id_col and spec.name in REFERENCED:
            for df in read_frames(path, spec, Problems(), CHUNK_ROWS, [spec.id_col]):
                if df is not None:
                    ids[spec.name].update(df[spec.id_col])
    return {name: pd.Index(list(values), dtype=object) for name, values in ids.items()}


def known(ids: pd.Index, values: pd.Series) -> np.ndarray:
    return ids.get_indexer(values) >= 0


def chunks(path: Path, spec: FileSpec, problems: Problems) -> Iterator[pd.DataFrame]:
    for df in read_frames(path, spec, problems, CHUNK_ROWS):
        if df is None:
            return
        yield df


def row_hashes(df: pd.DataFrame) -> np.ndarray:
    return pd.util.hash_pandas_object(df, index=False).to_numpy()


def repeated(parts: list[np.ndarray]) -> np.ndarray:
    """The hash values that occur more than once (sorted in place, one array at a time in memory)."""
    h = np.concatenate(parts) if parts else np.array([], dtype=np.uint64)
    parts.clear()
    h.sort()
    return np.unique(h[1:][h[1:] == h[:-1]])


def fmt(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


def convert_column(spec: FileSpec, raw: pd.DataFrame, col, ids, problems: Problems) -> pd.Series:
    s = raw[col.name]
    empty = (s == "").to_numpy()
    if col.required:
        problems.add_mask(spec, raw, empty, col.name, "must not be empty")
    present = ~empty
    kind = col.kind
    if kind in ("id", "ref"):
        too_long = present & (s.str.len() > 64).to_numpy()
        problems.add_mask(spec, raw, too_long, col.name, "id longer than 64 characters")
        if kind == "ref":
            dangling = present & ~known(ids[col.ref], s)
            problems.add_mask(spec, raw, dangling, col.name,
                              lambda v, r=col.ref: f"unknown {r} id {fmt(v)} (not in {r}.csv nor stored)")
        return s.where(present, None).astype(object)
    if kind in ("text", "list"):
        return s.where(present, None).astype(object)
    if kind == "reflist":
        parts = s[present].str.split("|").explode()
        parts = parts[parts != ""]
        bad_rows = np.zeros(len(s), dtype=bool)
        if len(parts):
            bad_idx = parts.index[~known(ids[col.ref], parts)].unique()
            bad_rows[raw.index.get_indexer(bad_idx)] = True
        problems.add_mask(spec, raw, bad_rows, col.name, lambda v, r=col.ref: f"unknown {r} id in list {fmt(v)}")
        return s.where(present, None).astype(object)
    if kind == "ts":
        parsed = pd.to_datetime(s.where(present), utc=True, format="ISO8601", errors="coerce")
        bad = present & parsed.isna().to_numpy()
        problems.add_mask(spec, raw, bad, col.name, lambda v: f"not an ISO 8601 timestamp: {fmt(v)}")
        return ((parsed - EPOCH) // pd.Timedelta(seconds=1)).astype("Int64")
    if kind == "enum":
        bad = present & ~s.isin(col.values).to_numpy()
        problems.add_mask(spec, raw, bad, col.name, lambda v, c=col: f"{fmt(v)} is not one of: {', '.join(c.values)}")
        return s.where(present, None).astype(object)
    if kind == "bool":
        low = s.str.lower()
        bad = present & ~low.isin(["true", "false"]).to_numpy()
        problems.add_mask(spec, raw, bad, col.name, lambda v: f"{fmt(v)} is not true or false")
        return low.map({"true": 1, "false": 0}).astype("Int64")
    return _number(spec, raw, col, s, present, problems)


def _number(spec: FileSpec, raw: pd.DataFrame, col, s: pd.Series, present, problems: Problems) -> pd.Series:
    num = pd.to_numeric(s.where(present), errors="coerce")
    bad_num = present & (num.isna() | ~np.isfinite(num.fillna(0))).to_numpy()
    if col.kind == "int":
        bad_num |= present & ~bad_num & (num.fillna(0) % 1 != 0).to_numpy()
        problems.add_mask(spec, raw, bad_num, col.name, lambda v: f"not a whole number: {fmt(v)}")
        return num.where(~bad_num).round().astype("Int64")
    problems.add_mask(spec, raw, bad_num, col.name, lambda v: f"not a number: {fmt(v)}")
    if col.kind == "pct":
        out_of_range = present & ~bad_num & ((num < 0) | (num > 100)).to_numpy()
        problems.add_mask(spec, raw, out_of_range, col.name,
                          lambda v: f"percentage must be between 0 and 100, got {fmt(v)}")
    return num.where(~bad_num).astype("float64")
