"""CSV rules of metrics.md: UTF-8 with BOM, comma-separated, RFC 4180 quoting, formula-injection guard,
dates as YYYY/MM/DD HH:mm in the configured time zone, percentages with at most one decimal."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

BOM = "\ufeff"
_DANGEROUS = frozenset("=+-@\t\r")


def guard(value) -> str:
    """Text of one cell, with a leading quote when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    if text and text[0] in _DANGEROUS:
        return "'" + text
    return text


def pct(value) -> str:
    """A percentage or score with at most one decimal; '' when unknown."""
    if value is None:
        return ""
    rounded = round(float(value) + 0.0, 1)
    return f"{rounded:.1f}".rstrip("0").rstrip(".") if rounded % 1 else str(int(rounded))


@lru_cache(maxsize=32)
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def date(epoch: int | None, tz: str = "UTC") -> str:
    if epoch is None:
        return ""
    d = datetime.fromtimestamp(int(epoch), _zone(tz))
    return f"{d.year:04d}/{d.month:02d}/{d.day:02d} {d.hour:02d}:{d.minute:02d}"


def iso(epoch: int | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _emit(buffer: io.StringIO, rows: Iterable, write, batch: int) -> Iterator[str]:
    """Write each row with write(row) into buffer and yield its text every `batch` rows, then the rest."""
    count = 0
    for row in rows:
        write(row)
        count += 1
        if count % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_chunks(header: list[str], rows: Iterable[Iterable], batch: int = 500, guarded: bool = False) -> Iterator[str]:
    """Yield the CSV as text chunks: BOM + header first, then `batch` rows at a time. With guarded=True the
    rows' cells are already text passed through guard() (writers with many constant cells do that)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([guard(h) for h in header])
    write = writer.writerow if guarded else (lambda row: writer.writerow([guard(v) for v in row]))
    return _emit(buffer, rows, write, batch)


def csv_text(header: list[str], rows: Iterable[Iterable]) -> str:
    return "".join(csv_chunks(header, rows))


def flag_cells(indices, width: int) -> str:
    """The text of `width` trailing "x"/"" cells (with the comma before the first) where the cells at `indices`
    hold "x": a user belongs to a handful of a platform's hundreds of groups, so the mostly empty cells are
    written as runs of commas instead of hundreds of cells per line."""
    parts, previous = [], -1
    for i in sorted(indices):
        parts.append("," * (i - previous) + "x")
        previous = i
    parts.append("," * (width - 1 - previous))
    return "".join(parts)


def flagged_chunks(header: list[str], rows: Iterable[tuple[list, str]], batch: int = 500) -> Iterator[str]:
    """csv_chunks for lines that end with flag cells: each row is (cells, flag_cells(...) text); the cells are
    guarded here."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="")
    buffer.write(BOM)
    writer.writerow([guard(h) for h in header])
    buffer.write("\r\n")

    def write(row) -> None:
        writer.writerow([guard(v) for v in row[0]])
        buffer.write(row[1] + "\r\n")

    return _emit(buffer, rows, write, batch)
