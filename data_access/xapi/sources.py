"""Statements read from files and folders, one at a time, with where each came from.

.json holds one statement or an array of them; .ndjson / .jsonl one statement a line; a folder is
searched recursively (files in name order). Arrays are parsed incrementally, so a file of a million
statements is never held in memory whole. Each item names its place as the error report shows it:
`file[3]` (the 4th statement of an array, counted from 0 as JSON does), `file:12` (line 12 of an
.ndjson file), `file` (a single statement) and, for text that is not JSON, `file:line:column`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from data_access.xapi.statement import TooDeep, loads

SUFFIXES = (".json", ".ndjson", ".jsonl")
CHUNK = 1 << 20
MAX_STATEMENT = 16 << 20  # a statement longer than this is reported as invalid
_WS = " \t\r\n"


@dataclass(frozen=True)
class Item:
    where: str
    statement: object = None  # the decoded JSON value
    error: str | None = None  # why nothing could be decoded here


def read_paths(paths: Iterable[Path | str]) -> Iterator[Item]:
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                yield Item(str(path), error="no .json, .ndjson or .jsonl file in this folder")
            for f in files:
                yield from read_file(f)
        elif path.exists():
            yield from read_file(path)
        else:
            yield Item(str(path), error="no such file or folder")


def read_file(path: Path) -> Iterator[Item]:
    try:
        if path.suffix.lower() in (".ndjson", ".jsonl"):
            yield from _read_lines(path)
        else:
            yield from _read_json(path)
    except UnicodeDecodeError as exc:
        yield Item(str(path), error=f"not UTF-8 text (byte offset {exc.start})")
    except OSError as exc:
        yield Item(str(path), error=f"cannot read file: {exc.strerror or exc}")


def _read_lines(path: Path) -> Iterator[Item]:
    with open(path, encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                yield Item(where, loads(line))
            except TooDeep as exc:
                yield Item(where, error=f"invalid JSON: {exc.msg}")
            except json.JSONDecodeError as exc:
                yield Item(where, error=f"invalid JSON: {exc.msg} (column {exc.colno})")


class _Text:
    """A sliding window over a text file, with the line number of the window's start."""

    def __init__(self, fh):
        self.fh, self.buf, self.pos, self.line, self.eof = fh, "", 0, 1, False

    def more(self) -> bool:
        if self.eof:
            return False
        chunk = self.fh.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.line += self.buf.count("\n", 0, self.pos)
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0
        return True

    def skip_ws(self) -> str:
        """The next non-blank character ('' at the end), not consumed."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def where(self, pos: int) -> tuple[int, int]:
        line = self.line + self.buf.count("\n", 0, pos)
        start = self.buf.rfind("\n", 0, pos) + 1
        return line, pos - start + 1


def _read_json(path: Path) -> Iterator[Item]:
    decoder = json.JSONDecoder()
    with open(path, encoding="utf-8-sig") as fh:
        text = _Text(fh)
        first = text.skip_ws()
        if first == "":
            yield Item(str(path), error="empty file: a statement or an array of statements is expected")
            return
        array = first == "["
        if array:
            text.pos += 1
        index = 0
        while True:
            if array:
                ch = text.skip_ws()
                if ch == "]" and index == 0:
                    text.pos += 1
                    break
            value, error = _decode_next(decoder, text)
            if error:
                yield Item(f"{path}:{error[0]}:{error[1]}", error=f"invalid JSON: {error[2]}")
                return
            yield Item(f"{path}[{index}]" if array else str(path), value)
            index += 1
            if not array:
                break
            ch = text.skip_ws()
            if ch == ",":
                text.pos += 1
                continue
            if ch == "]":
                text.pos += 1
                break
            line, col = text.where(text.pos)
            yield Item(f"{path}:{line}:{col}", error="invalid JSON: expected ',' or ']' after a statement")
            return
        if text.skip_ws() != "":
            line, col = text.where(text.pos)
            yield Item(f"{path}:{line}:{col}", error="invalid JSON: extra data after the end of the JSON value")


def _decode_next(decoder, text: _Text):
    """(value, None) or (None, (line, column, reason)); reads more of the file while the value is cut."""
    while True:
        try:
            value, end = decoder.raw_decode(text.buf, text.pos)
        except RecursionError:
            line, col = text.where(text.pos)
            return None, (line, col, TooDeep().msg)
        except json.JSONDecodeError as exc:
            if len(text.buf) - text.pos < MAX_STATEMENT and text.more():
                continue  # perhaps the value only runs past the window: read on and try again
            line, col = text.where(exc.pos)
            return None, (line, col, exc.msg)
        if end >= len(text.buf) and not text.eof and text.more():
            continue  # a number may go on in the next chunk
        text.pos = end
        return value, None
