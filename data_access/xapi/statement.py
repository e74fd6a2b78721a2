"""One xAPI statement: whether it may be taken, and its identity.

`problems(st)` lists every reason a statement cannot be taken, each after its JSON path
(`context.instructor: an Agent has exactly one identifier …`), so a file or a request reports them all at
once: the whole Data section of xAPI 1.0.3 (data_access/xapi/validate.py), with exactly the departures of
real emitters listed there and in docs/xapi.md.

`prepare(st, stored)` gives the statement its id (a deterministic UUID from its content when it has
none, so importing the same file twice changes nothing), its timestamp (its stored time when it
has none, as the specification says an LRS does) and the digest that tells a conflicting
statement (same id, other content) from a repeated one.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

from data_access.xapi.validate import ACTIVITY_KINDS as ACTIVITY_KINDS
from data_access.xapi.validate import check

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
# the namespace of deterministic statement ids (uuid5 of the canonical content)
ID_NAMESPACE = uuid.UUID("6f1c2d0e-4b8a-5c3e-9f7d-1a2b3c4d5e6f")
# properties an LRS sets or may change: not part of a statement's content when comparing
NOT_CONTENT = ("id", "stored", "authority", "version")
# kept with a statement and returned by GET /xapi/statements, but not part of its content
SET_BY_LRS = ("authority", "version")
MAX_DEPTH = 1024  # orjson's limit on nesting

_DURATION = re.compile(r"^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
                       r"(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_DURATION_S = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1)


def parse_timestamp(value) -> int | None:
    """ISO 8601 to epoch seconds; no offset means UTC (as in the bundle). None if not a timestamp."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace(",", ".")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() // 1)


def parse_duration(value) -> float | None:
    """ISO 8601 duration (PT1H30M, P1DT2H, PT0.5S) to seconds; None if not one."""
    if not isinstance(value, str):
        return None
    m = _DURATION.match(value.strip().replace(",", "."))
    if not m:
        return None
    return sum(float(part) * unit for part, unit in zip(m.groups(), _DURATION_S, strict=True) if part)


def located(st) -> list[tuple[str, str]]:
    """Every (JSON path, reason) for which this statement must be refused (data_access/xapi/validate.py)."""
    return check(st)


def problems(st) -> list[str]:
    """Every reason this statement cannot be taken, each after its JSON path (empty: it can)."""
    return [f"{path}: {reason}" if path else reason for path, reason in check(st)]


@dataclass(frozen=True)
class Prepared:
    """A valid statement with what storing it needs."""

    id: str
    timestamp: int
    digest: str
    body: dict  # the statement as received, with its id
    text: str  # what is stored: its id, authority and version when sent, its content (keys sorted)

    @property
    def verb(self) -> str:
        return self.body["verb"]["id"]


def canonical(st: dict) -> str:
    """The content as compact JSON with sorted keys: the same for the same statement however it was sent."""
    content = {k: v for k, v in st.items() if k not in NOT_CONTENT}
    try:
        return orjson.dumps(content, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:  # integers beyond 64 bits, which orjson does not write
        return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class TooDeep(json.JSONDecodeError):
    """JSON nested deeper than orjson reads (1,024 levels): refused rather than parsed by recursion."""

    def __init__(self, doc: str = ""):
        super().__init__(f"nested more than {MAX_DEPTH} levels deep", doc, 0)


def loads(text: str | bytes):
    """JSON to Python, fast (orjson); the standard library's message and position when it is not JSON."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if "depth limit" in str(exc):
            raise TooDeep() from None
    try:
        return json.loads(text)
    except RecursionError:
        raise TooDeep() from None


def prepare(st: dict, stored: int) -> Prepared:
    """Id, timestamp and digest of a statement that passed problems()."""
    text = canonical(st)
    digest = hashlib.sha256(text.encode()).hexdigest()
    sid = st.get("id")
    if sid is None:
        sid = str(uuid.uuid5(ID_NAMESPACE, text))
        st = {"id": sid, **st}
    sid = sid.lower()
    ts = parse_timestamp(st.get("timestamp"))
    kept = {k: st[k] for k in SET_BY_LRS if k in st}  # stored with it, outside its content
    if kept:
        text_kept = orjson.dumps(kept, option=orjson.OPT_SORT_KEYS).decode()[1:-1]
        body = '{"id":"' + sid + '",' + text_kept + ("," + text[1:] if text != "{}" else "}")
    else:
        body = '{"id":"' + sid + '"' + ("," + text[1:] if text != "{}" else "}")
    return Prepared(sid, stored if ts is None else ts, digest, st, body)
