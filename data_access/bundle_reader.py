"""Read a bundle folder: which files are there, each file's structure and header, then its rows as frames of
strings, a chunk at a time (bundle_check validates them). Problems are collected with file, line, column and
reason; line numbers count the header as line 1.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from data_access.bundle_spec import FILES, FileSpec

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
            self.issues.append(Issue(spec.filename, int(df.index[pos]) + 2, column, text))
        self.total += count

    def extend(self, other: Problems) -> None:
        """Append other's issues after these (the first MAX_REPORTED kept, all counted)."""
        room = max(0, MAX_REPORTED - len(self.issues))
        self.issues.extend(other.issues[:room])
        self.total += other.total

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
    """Read every known CSV of the folder whole, as strings (small bundles; the importer reads in chunks)."""
    frames: dict[str, pd.DataFrame] = {}
    for spec, path in open_bundle(folder, problems, complete):
        parts = list(read_frames(path, spec, problems))
        if parts and all(part is not None for part in parts):
            frames[spec.name] = pd.concat(parts) if len(parts) > 1 else parts[0]
    return frames


def open_bundle(folder: Path, problems: Problems, complete: bool = False) -> list[tuple[FileSpec, Path]]:
    """The known CSVs of the folder that read as tables with the right header, in bundle order; every file
    read once with bounded memory (_scan). Unknown files, missing required files and header problems added.

    complete: the database is empty, so every file not marked optional must be there."""
    files: list[tuple[FileSpec, Path]] = []
    if not folder.exists():
        problems.add(str(folder), None, None, "bundle folder does not exist")
        return files
    if not folder.is_dir():
        problems.add(str(folder), None, None, "not a folder")
        return files
    try:
        present = sorted(p.name for p in folder.iterdir())
    except OSError as exc:
        problems.add(str(folder), None, None, f"cannot read folder: {exc.strerror or exc}")
        return files
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
        if _header_ok(path, spec, problems):
            files.append((spec, path))
    return files


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


def _header_ok(path: Path, spec: FileSpec, problems: Problems) -> bool:
    header = _scan(path, spec, problems)
    if header is None:
        return False
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
    return ok


def read_frames(path: Path, spec: FileSpec, problems: Problems, rows: int | None = None,
                usecols: list[str] | None = None):
    """The file (that open_bundle accepted) as frames of strings, `rows` lines at a time (all at once without
    it), indexed by their position in the file (line = index + 2). A frame that cannot be read is yielded as
    None after its problem is added, and nothing follows it."""
    try:
        # index_col=False: a line with more fields than the header never becomes an index (_scan refuses it)
        reader = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig",
                             engine="c", index_col=False, chunksize=rows, usecols=usecols)
        for df in (reader if rows else [reader]):
            yield df.fillna("")
    except UnicodeDecodeError:
        _utf8_problem(path, spec, problems)
        yield None
    except pd.errors.ParserError as exc:
        problems.add(spec.filename, None, None, f"malformed CSV: {exc}".strip())
        yield None


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
