"""Read and validate a bundle folder: every rule of docs/bundle-format.md, vectorised.

The result is either a set of typed DataFrames ready to write, or an ImportFailed carrying every
problem found (file, line, column, reason). Line numbers count the header as line 1.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from data_access.bundle_spec import BY_NAME, FILES, FileSpec

MAX_REPORTED = 100
# limits of a bundle file, checked while its lines are read (README "Data format"): a line (a record, with the
# lines a quoted cell joins) has at most MAX_LINE characters, a cell at most MAX_CELL, a header at most MAX_FIELDS
# fields; so reading a file holds at most about MAX_LINE characters of it at once, whatever it holds
MAX_FIELDS = 200
MAX_CELL = 64 * 1024
MAX_LINE = 1024 * 1024
EPOCH = pd.Timestamp(0, tz="UTC")


@dataclass(frozen=True)
class Issue:
    file: str
    line: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.column:
            where += f": column {self.column}"
        return f"{where}: {self.reason}"


class ImportFailed(Exception):
    """A bundle that cannot be imported; nothing was changed."""

    def __init__(self, issues: list[Issue], total: int | None = None):
        self.issues = issues
        self.total = total if total is not None else len(issues)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"import failed: {self.total} error(s), nothing was changed"]
        lines += [f"  {i}" for i in self.issues[:MAX_REPORTED]]
        if self.total > MAX_REPORTED:
            lines.append(f"  … and {self.total - MAX_REPORTED} more")
        return "\n".join(lines)


class Problems:
    """Collects issues, keeping the first MAX_REPORTED and counting all."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.total = 0

    def add(self, file: str, line: int | None, column: str | None, reason: str) -> None:
        self.total += 1
        if len(self.issues) < MAX_REPORTED:
            self.issues.append(Issue(file, line, column, reason))

    def add_mask(self, spec: FileSpec, df: pd.DataFrame, mask, column: str | None, reason) -> None:
        """One issue per row where mask is true; reason is a str or a function of the row's value."""
        mask = np.asarray(mask, dtype=bool)
        count = int(mask.sum())
        if not count:
            return
        positions = np.flatnonzero(mask)
        room = max(0, MAX_REPORTED - len(self.issues))
        for pos in positions[:room]:
            value = df[column].iat[pos] if column and column in df else None
            text = reason(value) if callable(reason) else reason
            self.issues.append(Issue(spec.filename, int(pos) + 2, column, text))
        self.total += count

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportFailed(self.issues, self.total)


@dataclass
class Stored:
    """What the database already holds that a delta bundle may refer to."""

    ids: dict[str, set[str]] = field(default_factory=dict)  # file name -> ids
    empty: bool = True
    group_parents: dict[str, str | None] = field(default_factory=dict)
    block_kinds: dict[str, str] = field(default_factory=dict)
    user_emails: dict[str, str] = field(default_factory=dict)  # email_lower -> user_id


# --- reading ----------------------------------------------------------------------------------

def read_raw(folder: Path, problems: Problems, complete: bool = False) -> dict[str, pd.DataFrame]:
    """Read every known CSV of the folder as strings; header and unknown-file checks.

    complete: the database is empty, so every file not marked optional must be there."""
    frames: dict[str, pd.DataFrame] = {}
    if not folder.exists():
        problems.add(str(folder), None, None, "bundle folder does not exist")
        return frames
    if not folder.is_dir():
        problems.add(str(folder), None, None, "not a folder")
        return frames
    try:
        present = sorted(p.name for p in folder.iterdir())
    except OSError as exc:
        problems.add(str(folder), None, None, f"cannot read folder: {exc.strerror or exc}")
        return frames
    known = {f.filename for f in FILES}
    for name in present:
        if name.endswith(".csv") and name not in known:
            problems.add(name, None, None, f"unknown file (expected one of: {', '.join(sorted(known))})")
    for spec in FILES:
        path = folder / spec.filename
        if not path.exists():
            if complete and not spec.optional:
                problems.add(spec.filename, None, None,
                             "required file is missing (the database is empty, so this must be a complete bundle)")
            continue
        df = _read_one(path, spec, problems)
        if df is not None:
            frames[spec.name] = df
    return frames


class _LineTooLong(Exception):
    pass


@dataclass
class _Record:
    """What the lines of the record being read hold: how many characters, and whether a NUL."""

    chars: int = 0
    nul: bool = False


def _bounded_lines(fh, record: _Record):
    """The file's lines, each read with at most MAX_LINE + 1 characters in memory: _LineTooLong for a longer
    line, or for a record (lines joined by a quoted cell) longer than MAX_LINE in all. The caller resets
    `record` after each record."""
    while True:
        line = fh.readline(MAX_LINE + 1)
        if not line:
            return
        record.chars += len(line)
        if record.chars > MAX_LINE:
            raise _LineTooLong
        if "\x00" in line:
            record.nul = True
        yield line


def _scan(path: Path, spec: FileSpec, problems: Problems) -> list[str] | None:
    """Read the file once as RFC 4180 records with memory bounded by the limits (not by the file's lines):
    every line has as many fields as the header, no line is longer than MAX_LINE characters, no cell longer
    than MAX_CELL, no cell holds a NUL. Returns the header, or None when the file cannot be read as a table
    (its problems added). pandas reads the file afterwards, only when this found nothing wrong."""
    before = problems.total
    name = spec.filename
    record = _Record()
    header: list[str] | None = None
    start = 1
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(_bounded_lines(fh, record))
            for row in reader:
                if header is None:
                    header = row
                    if not any(h.strip() for h in header):
                        break
                    if len(header) > MAX_FIELDS:
                        problems.add(name, 1, None, f"{len(header):,} fields in the header (at most {MAX_FIELDS})")
                        return None
                elif row and len(row) != len(header):
                    problems.add(name, start, None, f"{len(row):,} fields, the header has {len(header)}")
                if record.chars > MAX_CELL and any(len(cell) > MAX_CELL for cell in row):
                    col = next(i for i, cell in enumerate(row) if len(cell) > MAX_CELL)
                    problems.add(name, start, _column(header, col), f"a cell is at most {MAX_CELL:,} characters")
                    return None
                if record.nul:
                    col = next(i for i, cell in enumerate(row) if "\x00" in cell)
                    problems.add(name, start, _column(header, col), "NUL character (byte 0x00) in a cell")
                if problems.total - before >= MAX_REPORTED:
                    return None
                record.chars, record.nul = 0, False
                start = reader.line_num + 1
    except _LineTooLong:
        problems.add(name, start, None, f"line longer than {MAX_LINE:,} characters (the limit; a line has at most "
                                        f"{MAX_FIELDS} fields, a cell at most {MAX_CELL:,} characters)")
        return None
    except csv.Error as exc:  # a cell past the csv module's own limit (larger than MAX_CELL)
        problems.add(name, start, None, f"a cell is at most {MAX_CELL:,} characters ({exc})")
        return None
    except UnicodeDecodeError:
        _utf8_problem(path, spec, problems)
        return None
    except OSError as exc:
        problems.add(name, None, None, f"cannot read file: {exc.strerror or exc}")
        return None
    if not header or not any(h.strip() for h in header):
        problems.add(name, 1, None, "empty file: a header row is required")
        return None
    return header if problems.total == before else None


def _column(header: list[str] | None, index: int) -> str:
    return header[index] if header and index < len(header) else f"#{index + 1}"


def _read_one(path: Path, spec: FileSpec, problems: Problems) -> pd.DataFrame | None:
    header = _scan(path, spec, problems)
    if header is None:
        return None
    ok = True
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.add(spec.filename, 1, name, "column appears twice in the header")
            ok = False
        seen.add(name)
        if name not in spec.col_names:
            problems.add(spec.filename, 1, name,
                         f"unknown column (expected: {', '.join(spec.col_names)})")
            ok = False
    for col in spec.cols:
        if col.name not in seen:
            problems.add(spec.filename, 1, col.name, "missing column")
            ok = False
    if not ok:
        return None
    try:
        # index_col=False: a line with more fields than the header never becomes an index (_scan refuses it)
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig",
                         engine="c", index_col=False)
    except UnicodeDecodeError:
        _utf8_problem(path, spec, problems)
        return None
    except pd.errors.ParserError as exc:
        problems.add(spec.filename, None, None, f"malformed CSV: {exc}".strip())
        return None
    return df.fillna("")


def _utf8_problem(path: Path, spec: FileSpec, problems: Problems) -> None:
    """Where the file stops being UTF-8 (line and byte offset), read a block at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, lines = 0, 1
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                # the decoder may hold up to 3 bytes of the previous block; exc.start counts from them
                held = len(exc.object) - len(block)
                bad = offset - held + exc.start
                lines += block[:max(0, exc.start - held)].count(b"\n")
                problems.add(spec.filename, lines, None,
                             f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {bad})")
                return
            offset += len(block)
            lines += block.count(b"\n")


# --- validation and conversion ------------------------------------------------------------------

def _fmt(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


def convert(frames: dict[str, pd.DataFrame], stored: Stored, problems: Problems) -> dict[str, pd.DataFrame]:
    """Check every cell and rule; return typed frames (timestamps as epoch seconds)."""
    ids = {name: set(stored.ids.get(name, set())) for name in BY_NAME}
    for name, df in frames.items():
        spec = BY_NAME[name]
        if spec.id_col:
            ids[name] |= set(df[spec.id_col])

    out: dict[str, pd.DataFrame] = {}
    for spec in FILES:
        if spec.name not in frames:
            continue
        raw = frames[spec.name]
        typed = pd.DataFrame(index=raw.index)
        for col in spec.cols:
            typed[col.name] = _convert_column(spec, raw, col, ids, problems)
        _check_keys(spec, raw, problems)
        out[spec.name] = typed
    _check_rules(frames, out, stored, problems)
    return out


def _convert_column(spec: FileSpec, raw: pd.DataFrame, col, ids, problems: Problems) -> pd.Series:
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
            known = ids[col.ref]
            dangling = present & ~s.isin(known).to_numpy()
            problems.add_mask(spec, raw, dangling, col.name,
                              lambda v, r=col.ref: f"unknown {r} id {_fmt(v)} (not in {r}.csv nor stored)")
        return s.where(present, None).astype(object)
    if kind in ("text", "list"):
        return s.where(present, None).astype(object)
    if kind == "reflist":
        known = ids[col.ref]
        parts = s[present].str.split("|").explode()
        parts = parts[parts != ""]
        bad_rows = np.zeros(len(s), dtype=bool)
        if len(parts):
            bad_idx = parts.index[~parts.isin(known)].unique()
            bad_rows[raw.index.get_indexer(bad_idx)] = True
        problems.add_mask(spec, raw, bad_rows, col.name,
                          lambda v, r=col.ref: f"unknown {r} id in list {_fmt(v)}")
        return s.where(present, None).astype(object)
    if kind == "ts":
        parsed = pd.to_datetime(s.where(present), utc=True, format="ISO8601", errors="coerce")
        bad = present & parsed.isna().to_numpy()
        problems.add_mask(spec, raw, bad, col.name,
                          lambda v: f"not an ISO 8601 timestamp: {_fmt(v)}")
        seconds = (parsed - EPOCH) // pd.Timedelta(seconds=1)
        return seconds.astype("Int64")
    if kind == "enum":
        bad = present & ~s.isin(col.values).to_numpy()
        problems.add_mask(spec, raw, bad, col.name,
                          lambda v, c=col: f"{_fmt(v)} is not one of: {', '.join(c.values)}")
        return s.where(present, None).astype(object)
    if kind == "bool":
        low = s.str.lower()
        bad = present & ~low.isin(["true", "false"]).to_numpy()
        problems.add_mask(spec, raw, bad, col.name, lambda v: f"{_fmt(v)} is not true or false")
        return low.map({"true": 1, "false": 0}).astype("Int64")
    # numbers
    num = pd.to_numeric(s.where(present), errors="coerce")
    bad_num = present & (num.isna() | ~np.isfinite(num.fillna(0))).to_numpy()
    if kind == "int":
        bad_num |= present & ~bad_num & (num.fillna(0) % 1 != 0).to_numpy()
        problems.add_mask(spec, raw, bad_num, col.name, lambda v: f"not a whole number: {_fmt(v)}")
        return num.where(~bad_num).round().astype("Int64")
    problems.add_mask(spec, raw, bad_num, col.name, lambda v: f"not a number: {_fmt(v)}")
    if kind == "pct":
        out_of_range = present & ~bad_num & ((num < 0) | (num > 100)).to_numpy()
        problems.add_mask(spec, raw, out_of_range, col.name,
                          lambda v: f"percentage must be between 0 and 100, got {_fmt(v)}")
    return num.where(~bad_num).astype("float64")


def _check_keys(spec: FileSpec, raw: pd.DataFrame, problems: Problems) -> None:
    key = list(spec.key)
    dup = raw.duplicated(key, keep="first").to_numpy()
    if not dup.any():
        return
    firsts = raw.loc[~dup, key]
    first_line = dict(zip(firsts.itertuples(index=False, name=None), np.flatnonzero(~dup) + 2, strict=True))
    dups = raw.loc[dup, key]
    label = spec.id_col or f"({', '.join(key)})"
    column = spec.id_col or None
    for pos, k in zip(np.flatnonzero(dup), dups.itertuples(index=False, name=None), strict=True):
        shown = k[0] if len(k) == 1 else k
        problems.add(spec.filename, int(pos) + 2, column,
                     f"duplicate {label} {shown!r}: already on line {first_line[k]}")


def _check_rules(frames, out, stored: Stored, problems: Problems) -> None:
    """Rules that span columns, rows or files."""
    if "groups" in out:
        _check_group_tree(frames["groups"], stored, problems)
    if "users" in out:
        _check_emails(frames["users"], stored, problems)
    if "blocks" in out:
        spec, raw = BY_NAME["blocks"], frames["blocks"]
        is_course = (raw["kind"] == "course").to_numpy()
        has_course = (raw["course_id"] != "").to_numpy()
        problems.add_mask(spec, raw, is_course & ~has_course, "course_id", "required for a block of kind course")
        problems.add_mask(spec, raw, ~is_course & has_course & (raw["kind"] != "").to_numpy(), "course_id",
                          lambda v: "must be empty for a block that is not of kind course")
    kinds = dict(stored.block_kinds)
    if "blocks" in frames:
        kinds.update(zip(frames["blocks"]["block_id"], frames["blocks"]["kind"], strict=True))
    for name, want in (("classroom_slots", "classroom"), ("assessment_results", "assessment")):
        if name in frames:
            spec, raw = BY_NAME[name], frames[name]
            actual = raw["block_id"].map(kinds)
            wrong = (actual.notna() & (actual != want)).to_numpy()
            problems.add_mask(spec, raw, wrong, "block_id",
                              lambda v, w=want: f"block {_fmt(v)} is of kind {kinds.get(v)}, expected {w}")
    if "reactions" in frames:
        spec, raw = BY_NAME["reactions"], frames["reactions"]
        a = (raw["activity_id"] != "").to_numpy()
        p = (raw["post_id"] != "").to_numpy()
        problems.add_mask(spec, raw, a == p, "activity_id",
                          "exactly one of activity_id and post_id must be set")


def _check_group_tree(raw: pd.DataFrame, stored: Stored, problems: Problems) -> None:
    spec = BY_NAME["groups"]
    parents = dict(stored.group_parents)
    line_of = {}
    for pos, (gid, parent) in enumerate(zip(raw["group_id"], raw["parent_id"], strict=True)):
        parents[gid] = parent or None
        line_of.setdefault(gid, pos + 2)
    roots = [g for g, p in parents.items() if p is None]
    if len(roots) == 0:
        problems.add(spec.filename, None, "parent_id", "no root group: exactly one group must have an empty parent_id")
    elif len(roots) > 1:
        # report every root after the first (stored ones first, then in bundle order)
        ordered = sorted(roots, key=lambda g: (g in line_of, line_of.get(g, 0)))
        for g in ordered[1:]:
            others = ", ".join(repr(r) for r in ordered if r != g)
            problems.add(spec.filename, line_of.get(g), "parent_id",
                         f"second root group {g!r}: only one group may have an empty parent_id (also {others})")
    # cycles: walk up from every group; a walk that revisits a node without reaching a root loops
    state: dict[str, int] = {}  # 1 = on a path being walked, 2 = known good
    reported: set[str] = set()
    for start in parents:
        path = []
        node = start
        while node is not None and state.get(node) != 2:
            if state.get(node) == 1:
                cycle = path[path.index(node):]
                key = min(cycle)
                if key not in reported:
                    reported.add(key)
                    first = min(cycle, key=lambda g: line_of.get(g, 10**9))
                    chain = " → ".join(repr(g) for g in cycle + [cycle[0]])
                    problems.add(spec.filename, line_of.get(first), "parent_id", f"group cycle: {chain}")
                break
            state[node] = 1
            path.append(node)
            node = parents.get(node)
        for g in path:
            state[g] = 2


def _check_emails(raw: pd.DataFrame, stored: Stored, problems: Problems) -> None:
    spec = BY_NAME["users"]
    lower = raw["email"].str.strip().str.lower()
    nonempty = (lower != "").to_numpy()
    dup = lower.duplicated(keep="first").to_numpy() & nonempty
    first_line = {}
    for pos, e in enumerate(lower):
        first_line.setdefault(e, pos + 2)
    problems.add_mask(spec, raw, dup, "email",
                      lambda v: f"email {_fmt(v)} already used on line {first_line[v.strip().lower()]}")
    if stored.user_emails:
        owner = lower.map(stored.user_emails)
        clash = (owner.notna() & (owner != raw["user_id"])).to_numpy() & ~dup
        problems.add_mask(spec, raw, clash, "email",
                          lambda v: f"email {_fmt(v)} already belongs to stored user "
                                    f"{stored.user_emails[v.strip().lower()]!r}")
