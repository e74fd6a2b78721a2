"""One xAPI statement: the checks of the Statement Resource we rely on, and its identity.

`problems(st)` lists every reason a statement cannot be taken (missing actor/verb/object, bad id,
timestamp, score, duration …), so a file or a request reports them all at once. The checks are
the parts of xAPI 1.0.3 the mapping depends on, and are lenient where real emitters are known to
deviate (Open edX sends an interaction object without an id; Moodle and Open edX send scores with
min = max = 0): a dashboard must take what the platforms actually send.

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

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
# Open edX sends multi-question problems as objectType GroupActivity (not in xAPI 1.0.3): taken as an Activity
ACTIVITY_KINDS = ("Activity", "GroupActivity")
# the namespace of deterministic statement ids (uuid5 of the canonical content)
ID_NAMESPACE = uuid.UUID("6f1c2d0e-4b8a-5c3e-9f7d-1a2b3c4d5e6f")
# properties an LRS sets or may change: not part of a statement's content when comparing
NOT_CONTENT = ("id", "stored", "authority", "version")

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DURATION = re.compile(r"^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
                       r"(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_DURATION_S = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1)


def _short(value, limit: int = 40) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def parse_timestamp(value) -> int | None:
    """ISO 8601 to epoch seconds; no offset means UTC (as in the bundle). None if not a timestamp."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
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
    m = _DURATION.match(value.strip())
    if not m:
        return None
    return sum(float(part) * unit for part, unit in zip(m.groups(), _DURATION_S, strict=True) if part)


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _agent_problems(agent, label: str) -> list[str]:
    if not isinstance(agent, dict):
        return [f"{label} must be an object"]
    kind = agent.get("objectType", "Agent")
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if agent.get(k) not in (None, "")]
    if kind == "Group" and not ifis:
        members = agent.get("member")
        if not isinstance(members, list) or not members:
            return [f"{label} is a Group with neither an identifier nor members"]
        return [p for m in members for p in _agent_problems(m, f"{label} member")]
    if kind not in ("Agent", "Group"):
        return [f"{label} objectType must be Agent or Group, got {_short(kind)}"]
    if not ifis:
        return [f"{label} has no identifier (mbox, mbox_sha1sum, openid or account)"]
    out = []
    mbox = agent.get("mbox")
    if mbox is not None and (not isinstance(mbox, str) or not mbox.lower().startswith("mailto:") or "@" not in mbox):
        out.append(f"{label} mbox must be 'mailto:' and an email address, got {_short(mbox)}")
    account = agent.get("account")
    if account is not None and (not isinstance(account, dict) or not isinstance(account.get("homePage"), str)
                                or account.get("name") in (None, "")):
        out.append(f"{label} account needs a homePage and a name")
    return out


def _score_problems(score) -> list[str]:
    if not isinstance(score, dict):
        return ["bad score: result.score must be an object"]
    out = []
    for key in ("scaled", "raw", "min", "max"):
        if key in score and not _number(score[key]):
            out.append(f"bad score: {key} must be a number, got {_short(score[key])}")
    if out:
        return out
    scaled, raw, lo, hi = (score.get(k) for k in ("scaled", "raw", "min", "max"))
    if scaled is not None and not -1 <= scaled <= 1:
        out.append(f"bad score: scaled must be between -1 and 1, got {scaled}")
    if lo is not None and hi is not None and lo > hi:
        out.append(f"bad score: min {lo} is greater than max {hi}")
    if raw is not None and ((lo is not None and raw < lo) or (hi is not None and raw > hi)):
        out.append(f"bad score: raw {raw} is outside min {lo} / max {hi}")
    return out


def problems(st) -> list[str]:
    """Every reason this statement cannot be taken (empty: it can)."""
    if not isinstance(st, dict):
        return ["a statement must be a JSON object"]
    out: list[str] = []
    sid = st.get("id")
    if sid is not None and (not isinstance(sid, str) or not _UUID.match(sid)):
        out.append(f"id is not a UUID: {_short(sid)}")
    if "actor" not in st:
        out.append("missing actor")
    else:
        out += _agent_problems(st["actor"], "actor")
    verb = st.get("verb")
    if verb is None:
        out.append("missing verb")
    elif not isinstance(verb, dict) or not isinstance(verb.get("id"), str) or ":" not in verb["id"]:
        out.append("verb needs an id that is an IRI")
    obj = st.get("object")
    if obj is None:
        out.append("missing object")
    elif not isinstance(obj, dict):
        out.append("object must be a JSON object")
    else:
        out += _object_problems(obj, verb.get("id") if isinstance(verb, dict) else None)
    if "timestamp" in st and parse_timestamp(st["timestamp"]) is None:
        out.append(f"bad timestamp: {_short(st['timestamp'])} is not an ISO 8601 timestamp")
    version = st.get("version")
    if version is not None and (not isinstance(version, str) or not version.startswith("1.0")):
        out.append(f"unsupported version {_short(version)} (1.0.x expected)")
    result = st.get("result")
    if result is not None:
        out += _result_problems(result)
    context = st.get("context")
    if context is not None and not isinstance(context, dict):
        out.append("context must be a JSON object")
    return out


def _object_problems(obj: dict, verb_id) -> list[str]:
    kind = obj.get("objectType", "Activity")
    if verb_id == VOIDED:
        if kind != "StatementRef" or not isinstance(obj.get("id"), str) or not _UUID.match(obj["id"]):
            return ["a voiding statement's object must be a StatementRef with a statement id"]
        return []
    if kind == "StatementRef":
        return [] if isinstance(obj.get("id"), str) and _UUID.match(obj["id"]) else ["StatementRef needs a UUID id"]
    if kind in ("Agent", "Group"):
        return _agent_problems(obj, "object")
    if kind == "SubStatement":
        return []
    if kind not in ACTIVITY_KINDS:
        return [f"object objectType {_short(kind)} is not Activity, Agent, Group, StatementRef or SubStatement"]
    if "id" in obj and (not isinstance(obj["id"], str) or ":" not in obj["id"]):
        return [f"object id must be an IRI, got {_short(obj['id'])}"]
    definition = obj.get("definition")
    if definition is not None and not isinstance(definition, dict):
        return ["object definition must be a JSON object"]
    return []


def _result_problems(result) -> list[str]:
    if not isinstance(result, dict):
        return ["result must be a JSON object"]
    out = []
    if "score" in result:
        out += _score_problems(result["score"])
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            out.append(f"result.{key} must be true or false, got {_short(result[key])}")
    if "duration" in result and parse_duration(result["duration"]) is None:
        out.append(f"bad duration: {_short(result['duration'])} is not an ISO 8601 duration")
    return out


@dataclass(frozen=True)
class Prepared:
    """A valid statement with what storing it needs."""

    id: str
    timestamp: int
    digest: str
    body: dict  # the statement as received, with its id
    text: str  # what is stored: its content (NOT_CONTENT aside) with its id, keys sorted

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


def loads(text: str | bytes):
    """JSON to Python, fast (orjson); the standard library's message and position when it is not JSON."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


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
    body = '{"id":"' + sid + '"' + ("," + text[1:] if text != "{}" else "}")
    return Prepared(sid, stored if ts is None else ts, digest, st, body)
