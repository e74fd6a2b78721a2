"""The Data section of xAPI 1.0.3 (IEEE 9274.1.1), checked by hand: every rule an LRS must refuse a statement for.

`check(st)` returns every (path, reason) of one statement, the path in JSON terms from the statement
(`context.instructor`, `object.definition.choices[2].id`, '' for the statement itself), so a request or a
file can say `statement[3].context.instructor: an Agent has exactly one identifier (mbox, openid)`.

The rules apply to every Agent, Group, Activity and Statement wherever it appears (actor, object, authority,
context.instructor and team, Group members, sub-statements, context.statement, attachments). Unknown keys
(the specification's names are case-sensitive: `Actor` is not `actor`), `null` outside extensions, a value of
the wrong type, a string that does not follow its format (UUID, IRI, mailto IRI, timestamp, duration, language
tag) are refused.

Departures of real emitters that are taken (docs/xapi.md, "Tolerances"), and nothing more — all Open edX's
(event-routing-backends): `objectType` `GroupActivity` (multi-question problems) taken as an Activity, as object
or in contextActivities; an Activity object without an `id` ("required only" problem events); a contextActivities
Activity whose id is a bare UUID (special exams); a score with `min` equal to `max` (zero-weight problems).
Moodle's logstore_xapi and the yetanalytics examples need none.

A hand-written walk rather than a JSON Schema: tens of microseconds a statement (bench/xapi_validate_bench.py).
"""

from __future__ import annotations

import functools
import math
import re
from datetime import datetime

import orjson

# --- formats --------------------------------------------------------------------------------------------------
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
# an absolute IRI: a scheme (RFC 3987: a letter, then letters, digits, + - .), a colon, then something without
# spaces, controls or the characters IRIs may not hold
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+\Z")
_MBOX = re.compile(r"^mailto:[^@\s<>\"]+@[^@\s<>\"]+\Z")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}\Z")
# ISO 8601 combined date and time, with an optional offset; -00:00 (RFC 3339's "unknown offset") is refused
_TIMESTAMP = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?(Z|[+-]\d\d(?::?\d\d)?)?\Z")
_TIMESTAMP_UTC = re.compile(r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d"
                            r"(?:\.\d{1,9})?(?:Z|\+00:00)\Z")
# ISO 8601:2004 4.4.3.2: PnYnMnDTnHnMnS (a fraction on the smallest component only) or PnW
_NUM = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(rf"^P(?:{_NUM}W|(?=\d|T\d)(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}D)?"
                       rf"(?:T(?=\d)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?)\Z")
_LAST_FRACTION = re.compile(r"[.,]\d+[A-Z]\Z")
# RFC 5646 language tags (the grammar's token lengths), case-insensitive
_LANGTAG = re.compile(
    r"^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?"
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wyz](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?"
    r"|x(?:-[a-z\d]{1,8})+"
    r"|en-gb-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)"
    r"|sgn-(?:be-fr|be-nl|ch-de)|art-lojban|cel-gaulish|no-bok|no-nyn|zh-(?:guoyu|hakka|min|min-nan|xiang))\Z",
    re.IGNORECASE)
_SEMVER = re.compile(r"^1\.0\.\d+\Z")  # a statement's version starts with "1.0." (the header also takes "1.0")

# the depth of an extension's value (the only free-form JSON of a statement): the whole statement stays within what
# orjson writes (254 levels)
MAX_EXTENSION_DEPTH = 100
INTERACTION_TYPES = ("true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing",
                     "likert", "numeric", "other")
# which interaction component lists each interaction type may carry
COMPONENTS = {"choice": ("choices",), "sequencing": ("choices",), "likert": ("scale",),
              "matching": ("source", "target"), "performance": ("steps",)}
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")

STATEMENT_KEYS = frozenset(("id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                            "version", "attachments"))
SUB_STATEMENT_KEYS = frozenset(("objectType", "actor", "verb", "object", "result", "context", "timestamp",
                                "attachments"))
AGENT_KEYS = frozenset(("objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"))
GROUP_KEYS = AGENT_KEYS | {"member"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
VERB_KEYS = frozenset(("id", "display"))
ACTIVITY_KEYS = frozenset(("objectType", "id", "definition"))
DEFINITION_KEYS = frozenset(("name", "description", "type", "moreInfo", "interactionType",
                             "correctResponsesPattern", "extensions") + COMPONENT_LISTS)
COMPONENT_KEYS = frozenset(("id", "description"))
REF_KEYS = frozenset(("objectType", "id"))
RESULT_KEYS = frozenset(("score", "success", "completion", "response", "duration", "extensions"))
SCORE_KEYS = frozenset(("scaled", "raw", "min", "max"))
CONTEXT_KEYS = frozenset(("registration", "instructor", "team", "contextActivities", "revision", "platform",
                          "language", "statement", "extensions"))
ATTACHMENT_KEYS = frozenset(("usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"))
ACCOUNT_KEYS = frozenset(("homePage", "name"))
_CONTENT_TYPE = re.compile(r"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(?:\s*;.*)?\Z", re.DOTALL)
_SHA2 = re.compile(r"^[0-9a-fA-F]{56}(?:[0-9a-fA-F]{8}(?:[0-9a-fA-F]{32}){0,2})?\Z")  # SHA-224/256/384/512

# Open edX sends multi-question problems as objectType GroupActivity (not in xAPI 1.0.3): taken as an Activity
ACTIVITY_KINDS = ("Activity", "GroupActivity")


def _show(value, limit: int = 40) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= limit else value[:limit] + "…")
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return repr(value)


def _join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


@functools.lru_cache(maxsize=65536)
def _iri(value: str) -> bool:
    return _IRI.match(value) is not None


def is_iri(value) -> bool:
    return isinstance(value, str) and _iri(value)


@functools.lru_cache(maxsize=4096)
def _langtag(value: str) -> bool:
    return _LANGTAG.match(value) is not None


def is_langtag(value) -> bool:
    return isinstance(value, str) and _langtag(value)


def is_uuid(value) -> bool:
    return isinstance(value, str) and _UUID.match(value) is not None


def is_timestamp(value) -> bool:
    if not isinstance(value, str):
        return False
    if _TIMESTAMP_UTC.match(value):  # the usual form, on a day every month has
        return True
    m = _TIMESTAMP.match(value)
    if not m:
        return False
    year, month, day, hour, minute, second = (int(g or 0) for g in m.group(1, 2, 3, 4, 5, 6))
    zone = m.group(7) or ""
    if zone.startswith("-") and not zone.strip("-:0"):
        return False  # -00:00: RFC 3339's "offset unknown", not a time zone
    if len(zone) > 3 and (int(zone[1:3]) > 23 or int(zone[-2:]) > 59):
        return False
    try:
        datetime(year, month, day, hour, minute, second)
    except ValueError:
        return False
    return True


def is_duration(value) -> bool:
    if not isinstance(value, str) or not _DURATION.match(value):
        return False
    fractions = value.count(".") + value.count(",")
    # a decimal fraction only on the smallest component sent
    return fractions == 0 or (fractions == 1 and _LAST_FRACTION.search(value) is not None)


def _deeper_than(value, limit: int) -> bool:
    """Whether a JSON value nests more than `limit` arrays/objects (iteratively: no recursion to exhaust)."""
    level = [value]
    for _ in range(limit):
        level = [v for c in level for v in (c.values() if isinstance(c, dict) else c) if isinstance(v, dict | list)]
        if not level:
            return False
    return True


# The actors, verbs and objects a platform sends repeat from statement to statement: the JSON text of those found
# valid is remembered (at most _VALID_MAX, then forgotten at once), so a repeat costs a serialisation and a lookup.
_VALID: dict[bytes, None] = {}
_VALID_MAX = 50_000
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def _seen(tag: bytes, value) -> bytes | None:
    """The key of a value in _VALID (None when it cannot be serialised: it is then always checked)."""
    try:
        return tag + orjson.dumps(value)
    except (orjson.JSONEncodeError, TypeError):
        return None


def _remember(key: bytes | None, valid: bool) -> None:
    if key is None or not valid:
        return
    if len(_VALID) >= _VALID_MAX:
        _VALID.clear()
    _VALID[key] = None


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class Checker:
    """One statement's walk; `out` collects (path, reason)."""

    __slots__ = ("out",)

    def __init__(self):
        self.out: list[tuple[str, str]] = []

    def bad(self, path: str, reason: str) -> None:
        self.out.append((path, reason))

    # --- generic ------------------------------------------------------------------------------------------------
    def keys(self, obj: dict, allowed: frozenset, path: str, what: str) -> bool:
        """Refuse keys the specification does not define here, and nulls; True when every key is known."""
        if obj.keys() <= allowed and None not in obj.values():
            return True
        ok = True
        for key, value in obj.items():
            if key not in allowed:
                near = next((k for k in allowed if k.lower() == str(key).lower()), None)
                hint = f" (the name is {near!r}: names are case-sensitive)" if near else ""
                self.bad(_join(path, key), f"{what} has no property {key!r}{hint}")
                ok = False
            elif value is None:
                self.bad(_join(path, key), "null is not a value here (only inside extensions)")
                ok = False
        return ok

    def obj(self, value, path: str, what: str) -> bool:
        if isinstance(value, dict):
            return True
        self.bad(path, f"{what} must be a JSON object, got {_show(value)}")
        return False

    def string(self, obj: dict, key: str, path: str) -> None:
        if key in obj and obj[key] is not None and not isinstance(obj[key], str):
            self.bad(_join(path, key), f"must be a string, got {_show(obj[key])}")

    def iri(self, obj: dict, key: str, path: str, what: str = "an IRI") -> None:
        if key in obj and obj[key] is not None and not is_iri(obj[key]):
            self.bad(_join(path, key), f"must be {what} (with a scheme), got {_show(obj[key])}")

    def lang_map(self, value, parent: str, key: str) -> None:
        if not isinstance(value, dict):
            self.bad(_join(parent, key), "must be a language map (an object of language tag: text), "
                                         f"got {_show(value)}")
            return
        for tag, text in value.items():
            if not is_langtag(tag):
                self.bad(_join(_join(parent, key), tag), f"{tag!r} is not an RFC 5646 language tag")
            if not isinstance(text, str):
                self.bad(_join(_join(parent, key), tag), f"a language map's values are strings, got {_show(text)}")

    def extensions(self, value, path: str) -> None:
        if not isinstance(value, dict):
            self.bad(path, f"extensions must be a JSON object, got {_show(value)}")
            return
        for key, item in value.items():
            if not is_iri(key):
                self.bad(_join(path, key), f"an extension's key must be an IRI, got {_show(key)}")
            if isinstance(item, dict | list) and _deeper_than(item, MAX_EXTENSION_DEPTH):
                self.bad(_join(path, key), f"an extension's value is nested more than {MAX_EXTENSION_DEPTH} levels "
                                           "deep")

    # --- agents and groups --------------------------------------------------------------------------------------
    def actor(self, value, path: str, *, group_ok: bool = True) -> None:
        if not self.obj(value, path, "an Agent or Group"):
            return
        kind = value.get("objectType", "Agent")
        if kind == "Group":
            if not group_ok:
                self.bad(path, "a Group's members are Agents, not Groups")
                return
            self.group(value, path)
        elif kind == "Agent":
            self.agent(value, path)
        else:
            self.bad(_join(path, "objectType"), f"must be 'Agent' or 'Group', got {_show(kind)}")

    def ifis(self, value: dict, path: str) -> list[str]:
        found = []
        for key, item in value.items():
            if item is None:
                continue
            if key == "mbox":
                found.append(key)
                if not (isinstance(item, str) and _MBOX.match(item)):
                    self.bad(_join(path, key), f"must be 'mailto:' and an email address, got {_show(item)}")
            elif key == "name":
                if not isinstance(item, str):
                    self.bad(_join(path, key), f"must be a string, got {_show(item)}")
            elif key == "account":
                found.append(key)
                self.account(item, _join(path, key))
            elif key == "mbox_sha1sum":
                found.append(key)
                if not (isinstance(item, str) and _SHA1.match(item)):
                    self.bad(_join(path, key), f"must be 40 hexadecimal digits (a SHA-1), got {_show(item)}")
            elif key == "openid":
                found.append(key)
                if not is_iri(item):
                    self.bad(_join(path, key), f"must be a URI (with a scheme), got {_show(item)}")
        return found

    def account(self, account, where: str) -> None:
        if not self.obj(account, where, "an account"):
            return
        self.keys(account, ACCOUNT_KEYS, where, "an account")
        if "homePage" not in account:
            self.bad(where, "an account needs a homePage (an IRL)")
        else:
            self.iri(account, "homePage", where, "an IRL")
        if "name" not in account:
            self.bad(where, "an account needs a name")
        else:
            self.string(account, "name", where)

    def agent(self, value: dict, path: str) -> None:
        self.keys(value, AGENT_KEYS, path, "an Agent")
        found = self.ifis(value, path)
        if not found:
            self.bad(path, "an Agent has exactly one identifier (mbox, mbox_sha1sum, openid or account), it has none")
        elif len(found) > 1:
            self.bad(path, f"an Agent has exactly one identifier ({', '.join(found)})")

    def group(self, value: dict, path: str) -> None:
        self.keys(value, GROUP_KEYS, path, "a Group")
        found = self.ifis(value, path)
        if len(found) > 1:
            self.bad(path, f"a Group has at most one identifier, it has {', '.join(found)}")
        members = value.get("member")
        if members is None:
            if not found:
                self.bad(path, "a Group without an identifier (anonymous) must list its members")
            return
        where = _join(path, "member")
        if not isinstance(members, list):
            self.bad(where, f"must be an array of Agents, got {_show(members)}")
            return
        if not members and not found:
            self.bad(where, "an anonymous Group must list at least one member")
        for i, member in enumerate(members):
            self.actor(member, _join(where, i), group_ok=False)

    # --- verb, objects ------------------------------------------------------------------------------------------
    def verb(self, value, path: str) -> None:
        if not self.obj(value, path, "a Verb"):
            return
        self.keys(value, VERB_KEYS, path, "a Verb")
        if "id" not in value:
            self.bad(path, "a Verb needs an id (an IRI)")
        else:
            self.iri(value, "id", path)
        if value.get("display") is not None:
            self.lang_map(value["display"], path, "display")

    def activity(self, value, path: str, *, needs_id: bool = True, kinds=("Activity",), uuid_ok: bool = False) -> None:
        if not self.obj(value, path, "an Activity"):
            return
        self.keys(value, ACTIVITY_KEYS, path, "an Activity")
        kind = value.get("objectType", "Activity")
        if kind not in kinds:
            self.bad(_join(path, "objectType"), f"must be 'Activity', got {_show(kind)}")
        if "id" not in value:
            if needs_id:
                self.bad(path, "an Activity needs an id (an IRI)")
        elif not (uuid_ok and is_uuid(value["id"])):  # Open edX: special exams' grouping ids are bare UUIDs
            self.iri(value, "id", path)
        if value.get("definition") is not None:
            self.definition(value["definition"], _join(path, "definition"))

    def definition(self, value, path: str) -> None:
        if not self.obj(value, path, "an Activity definition"):
            return
        self.keys(value, DEFINITION_KEYS, path, "an Activity definition")
        kind = value.get("interactionType")
        if kind is not None and kind not in INTERACTION_TYPES:
            self.bad(_join(path, "interactionType"), f"must be one of {', '.join(INTERACTION_TYPES)}, "
                                                      f"got {_show(kind)}")
            kind = "?"
        for key, item in value.items():
            if item is None:
                continue
            if key == "name" or key == "description":
                self.lang_map(item, path, key)
            elif key == "type":
                if not is_iri(item):
                    self.bad(_join(path, key), f"must be an IRI (with a scheme), got {_show(item)}")
            elif key == "moreInfo":
                if not is_iri(item):
                    self.bad(_join(path, key), f"must be an IRL (with a scheme), got {_show(item)}")
            elif key == "extensions":
                self.extensions(item, _join(path, key))
            elif key == "correctResponsesPattern":
                where = _join(path, key)
                if kind is None:
                    self.bad(where, "only an interaction (with an interactionType) has a correctResponsesPattern")
                if not isinstance(item, list) or not all(isinstance(p, str) for p in item):
                    self.bad(where, "must be an array of strings")
            elif key in COMPONENT_LISTS:
                where = _join(path, key)
                if kind is None:
                    self.bad(where, f"only an interaction (with an interactionType) has {key}")
                elif kind != "?" and key not in COMPONENTS.get(kind, ()):
                    self.bad(where, f"a {kind} interaction has no {key}")
                self.components(item, where)

    def components(self, value, path: str) -> None:
        if not isinstance(value, list):
            self.bad(path, f"must be an array of interaction components, got {_show(value)}")
            return
        seen = set()
        for i, comp in enumerate(value):
            where = _join(path, i)
            if not self.obj(comp, where, "an interaction component"):
                continue
            self.keys(comp, COMPONENT_KEYS, where, "an interaction component")
            cid = comp.get("id")
            if "id" not in comp:
                self.bad(where, "an interaction component needs an id")
            elif not isinstance(cid, str) or not cid:
                self.bad(_join(where, "id"), f"must be a non-empty string, got {_show(cid)}")
            elif cid in seen:
                self.bad(_join(where, "id"), f"the ids of an interaction's components are distinct: {cid!r} "
                                             "is already used")
            else:
                seen.add(cid)
            if comp.get("description") is not None:
                self.lang_map(comp["description"], where, "description")

    def ref(self, value: dict, path: str) -> None:
        self.keys(value, REF_KEYS, path, "a StatementRef")
        if "id" not in value:
            self.bad(path, "a StatementRef needs the id of a statement (a UUID)")
        elif not is_uuid(value["id"]):
            self.bad(_join(path, "id"), f"must be a UUID, got {_show(value['id'])}")

    def object(self, value, path: str, *, sub: bool, verb_id) -> str | None:
        """Checks the statement's object; returns its objectType (None when it is not an object)."""
        if not self.obj(value, path, "the object"):
            return None
        kind = value.get("objectType", "Activity")
        if verb_id == "http://adlnet.gov/expapi/verbs/voided" and kind != "StatementRef":
            self.bad(path, "a voiding statement's object must be a StatementRef with a statement id")
            return kind
        if kind in ACTIVITY_KINDS:
            # Open edX: GroupActivity, and Activities without an id
            self.activity(value, path, needs_id=False, kinds=ACTIVITY_KINDS)
        elif kind in ("Agent", "Group"):
            self.actor(value, path)
        elif kind == "StatementRef":
            self.ref(value, path)
        elif kind == "SubStatement":
            if sub:
                self.bad(path, "a SubStatement cannot contain a SubStatement")
            else:
                self.statement(value, path, sub=True)
        else:
            self.bad(_join(path, "objectType"), "must be Activity, Agent, Group, StatementRef or SubStatement, "
                                                f"got {_show(kind)}")
        return kind

    # --- result, context, attachments ---------------------------------------------------------------------------
    def result(self, value, path: str) -> None:
        if not self.obj(value, path, "result"):
            return
        self.keys(value, RESULT_KEYS, path, "a result")
        score = value.get("score")
        if score is not None:
            self.score(score, _join(path, "score"))
        for key in ("success", "completion"):
            if key in value and value[key] is not None and not isinstance(value[key], bool):
                self.bad(_join(path, key), f"must be true or false, got {_show(value[key])}")
        self.string(value, "response", path)
        if value.get("duration") is not None and not is_duration(value["duration"]):
            self.bad(_join(path, "duration"), f"{_show(value['duration'])} is not an ISO 8601 duration "
                                              "(PnYnMnDTnHnMnS or PnW)")
        if value.get("extensions") is not None:
            self.extensions(value["extensions"], _join(path, "extensions"))

    def score(self, value, path: str) -> None:
        if not self.obj(value, path, "a score"):
            return
        self.keys(value, SCORE_KEYS, path, "a score")
        nums = {}
        for key in ("scaled", "raw", "min", "max"):
            if value.get(key) is None:
                continue
            if not _number(value[key]):
                self.bad(_join(path, key), f"must be a number, got {_show(value[key])}")
            else:
                nums[key] = value[key]
        scaled, raw, lo, hi = (nums.get(k) for k in ("scaled", "raw", "min", "max"))
        if scaled is not None and not -1 <= scaled <= 1:
            self.bad(_join(path, "scaled"), f"must be between -1 and 1, got {scaled}")
        # min = max: Open edX's zero-weight problems (min 0, max 0) — tolerated
        if lo is not None and hi is not None and lo > hi:
            self.bad(path, f"min {lo} is greater than max {hi}")
        elif raw is not None and ((lo is not None and raw < lo) or (hi is not None and raw > hi)):
            self.bad(_join(path, "raw"), f"{raw} is outside min {lo} / max {hi}")

    def context(self, value, path: str, object_kind) -> None:
        if not self.obj(value, path, "context"):
            return
        self.keys(value, CONTEXT_KEYS, path, "a context")
        if value.get("registration") is not None and not is_uuid(value["registration"]):
            self.bad(_join(path, "registration"), f"must be a UUID, got {_show(value['registration'])}")
        if value.get("instructor") is not None:
            self.actor(value["instructor"], _join(path, "instructor"))
        team = value.get("team")
        if team is not None:
            where = _join(path, "team")
            if isinstance(team, dict) and team.get("objectType") != "Group":
                self.bad(where, "the team must be a Group (objectType 'Group')")
            else:
                self.actor(team, where)
        activities = value.get("contextActivities")
        if activities is not None:
            self.context_activities(activities, _join(path, "contextActivities"))
        for key in ("revision", "platform"):
            if key in value:
                self.string(value, key, path)
                if object_kind is not None and object_kind not in ACTIVITY_KINDS:
                    self.bad(_join(path, key), f"only a statement about an Activity has a {key} "
                                               f"(the object is a {object_kind})")
        language = value.get("language")
        if language is not None and not is_langtag(language):
            self.bad(_join(path, "language"), f"must be an RFC 5646 language tag, got {_show(language)}")
        ref = value.get("statement")
        if ref is not None:
            where = _join(path, "statement")
            if self.obj(ref, where, "a StatementRef"):
                if ref.get("objectType") != "StatementRef":
                    self.bad(where, "must be a StatementRef (objectType 'StatementRef')")
                self.ref(ref, where)
        if value.get("extensions") is not None:
            self.extensions(value["extensions"], _join(path, "extensions"))

    def context_activities(self, value, path: str) -> None:
        if not self.obj(value, path, "contextActivities"):
            return
        for key, acts in value.items():
            where = _join(path, key)
            if key not in CONTEXT_ACTIVITY_KEYS:
                self.bad(where, f"contextActivities has no {key!r} (parent, grouping, category or other)")
                continue
            if acts is None:
                self.bad(where, "null is not a value here (only inside extensions)")
            elif isinstance(acts, list):
                for i, act in enumerate(acts):
                    self.activity(act, _join(where, i), kinds=ACTIVITY_KINDS, uuid_ok=True)
            else:
                self.activity(acts, where, kinds=ACTIVITY_KINDS, uuid_ok=True)

    def attachments(self, value, path: str) -> None:
        if not isinstance(value, list):
            self.bad(path, f"must be an array of attachments, got {_show(value)}")
            return
        for i, att in enumerate(value):
            where = _join(path, i)
            if not self.obj(att, where, "an attachment"):
                continue
            self.keys(att, ATTACHMENT_KEYS, where, "an attachment")
            for key in ("usageType", "display", "contentType", "length", "sha2"):
                if key not in att:
                    self.bad(where, f"an attachment needs {key}")
            self.iri(att, "usageType", where)
            self.iri(att, "fileUrl", where, "an IRL")
            for key in ("display", "description"):
                if att.get(key) is not None:
                    self.lang_map(att[key], where, key)
            ctype = att.get("contentType")
            if ctype is not None and not (isinstance(ctype, str) and _CONTENT_TYPE.match(ctype)):
                self.bad(_join(where, "contentType"), f"must be an Internet media type, got {_show(ctype)}")
            length = att.get("length")
            if length is not None and (isinstance(length, bool) or not isinstance(length, int) or length < 0):
                self.bad(_join(where, "length"), f"must be a whole number of octets, got {_show(length)}")
            sha2 = att.get("sha2")
            if sha2 is not None and not (isinstance(sha2, str) and _SHA2.match(sha2)):
                self.bad(_join(where, "sha2"), f"must be a SHA-2 hash in hexadecimal, got {_show(sha2)}")

    # --- statements ---------------------------------------------------------------------------------------------
    def statement(self, st: dict, path: str, *, sub: bool) -> None:
        if sub:
            self.keys(st, SUB_STATEMENT_KEYS, path, "a SubStatement (no id, stored, version or authority)")
        else:
            self.keys(st, STATEMENT_KEYS, path, "a Statement")
        for key in ("actor", "verb", "object"):
            if key not in st:
                self.bad(path, f"missing {key}")
        kind = self.statement_object(st, path, sub=sub)
        for key, value in st.items():
            if value is not None and key != "object":
                self.statement_field(key, value, f"{path}.{key}" if path else key, path, kind, sub=sub)

    def statement_object(self, st: dict, path: str, *, sub: bool) -> str | None:
        """Check the object; its objectType (the context's checks depend on it)."""
        obj = st.get("object")
        if obj is None:
            return None
        verb = st.get("verb")
        verb_id = verb.get("id") if isinstance(verb, dict) else None
        if path or sub or not isinstance(obj, dict):
            return self.object(obj, f"{path}.object" if path else "object", sub=sub, verb_id=verb_id)
        # a top-level object's checks depend on whether the verb is voided
        self.once(b"o1" if verb_id == VOIDED else b"o0", obj,
                  lambda: self.object(obj, "object", sub=False, verb_id=verb_id))
        return obj.get("objectType", "Activity")

    def once(self, tag: bytes, value, check) -> None:
        """Run `check` unless this exact JSON was already found valid (the process-wide memo of valid parts)."""
        seen = _seen(tag, value)
        if seen is not None and seen in _VALID:
            return
        before = len(self.out)
        check()
        if seen is not None:
            _remember(seen, before == len(self.out))

    def statement_field(self, key: str, value, where: str, path: str, kind: str | None, *, sub: bool) -> None:
        if key == "actor":
            self.actor(value, where) if path else self.once(b"a", value, lambda: self.actor(value, where))
        elif key == "verb":
            self.verb(value, where) if path else self.once(b"v", value, lambda: self.verb(value, where))
        elif key in ("timestamp", "stored") and (key == "timestamp" or not sub):
            if not is_timestamp(value):
                self.bad(where, f"{_show(value)} is not an ISO 8601 timestamp")
        elif key == "id":
            if not sub and not is_uuid(value):
                self.bad(where, f"must be a UUID, got {_show(value)}")
        elif key == "context":
            self.context(value, where, kind)
        elif key == "result":
            self.result(value, where)
        elif key == "attachments":
            self.attachments(value, where)
        elif sub:
            return  # (id, stored, version, authority: refused by keys())
        elif key == "version":
            if not (isinstance(value, str) and _SEMVER.match(value)):
                self.bad(where, f"must be 1.0.x (x digits), got {_show(value)}")
        elif key == "authority":
            self.authority(value, where)

    def authority(self, value, path: str) -> None:
        if isinstance(value, dict) and value.get("objectType") == "Group":
            members = value.get("member")
            if not isinstance(members, list) or len(members) != 2:
                count = len(members) if isinstance(members, list) else 0
                self.bad(path, f"an authority that is a Group has exactly two Agents (an OAuth application and a "
                               f"user), it has {count}")
                return
        self.actor(value, path)


def check(st) -> list[tuple[str, str]]:
    """Every (path, reason) for which this statement must be refused (empty: it is valid)."""
    if not isinstance(st, dict):
        return [("", f"a statement must be a JSON object, got {_show(st)}")]
    walk = Checker()
    walk.statement(st, "", sub=False)
    return walk.out
