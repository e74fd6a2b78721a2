"""The mapping: what one xAPI statement becomes in the dashboard's model (docs/xapi.md is its table).

A statement gives
- dimension rows that must exist: its actor's user, the platform group and membership, the course,
  program template and session (course run) it happened in, the activity or assessment block it is
  about; and
- facts: small typed records (a login, a view, an answer, a post, a reaction, an enrollment change,
  a course-attempt event, an assessment result) kept per statement in xapi_facts and folded into
  the bundle tables (data_access/write/xapi/), so that voiding a statement removes exactly what
  it contributed and a replay rebuilds everything from the raw statements.

Ids are the platform's IRIs made safe for URLs (`ident`), so they stay readable on the command line and in
the address bar (`/sessions/localhost:18000-course-course-v1:edX-DemoX-Demo_Course~29b07231`).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from data_access.xapi.statement import ACTIVITY_KINDS, VOIDED, Prepared, parse_duration

ROOT_GROUP = "xapi"
PROGRESS_EXT = "https://w3id.org/xapi/cmi5/result/extensions/progress"
VOTE_TYPE_EXT = "https://w3id.org/xapi/acrossx/extensions/type"

# verb families, by the last segment of the verb IRI (after the last / or #), lower-case
LOGIN = {"login", "logged-in", "loggedin", "log-in", "logged-on"}
REGISTER = {"registered", "enrolled", "assign", "assigned"}
UNREGISTER = {"unregistered", "unenrolled", "leave", "left", "withdrew", "dropped"}
LIFECYCLE = {"launched", "initialized", "started", "start", "attempted", "resumed", "progressed", "completed",
             "terminated", "suspended", "exited", "restarted"}
ENDING = {"terminated", "suspended", "exited"}  # their duration is the length of a whole sitting
RESULT = {"passed", "failed", "scored", "evaluated", "earned", "assessed", "graded", "mastered"}
ANSWER = {"answered", "responded"}
POST = {"commented", "posted", "replied"}
CREATE = {"create", "created", "post"}  # a post only when the object is a discussion-like activity
REACT = {"liked", "voted", "upvoted", "like"}
VIEW = {"viewed", "experienced", "read", "accessed", "played", "watched"}

# activity types, by the last segment of definition.type
COURSE_TYPES = {"course"}
ASSESSMENT_TYPES = {"assessment", "practice-assessment", "proctored-assessment", "timed-assessment", "exam",
                    "quiz", "test"}
ATTEMPT_TYPES = {"attempt"}
QUESTION_TYPES = {"cmi.interaction", "question", "interaction"}
DISCUSSION_TYPES = {"discussion", "comment", "forum-reply", "reply", "thread", "post"}

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_UNSAFE = re.compile(r"[^A-Za-z0-9._~:@-]+")
_EDX_KEY = re.compile(r"(?:course|block)-v1:([^+/?#\s]+)\+([^+/?#\s]+)\+([^+/?#\s]+)")


@functools.lru_cache(maxsize=65536)
def ident(iri: str) -> str:
    """A stored id for an IRI: without its scheme, characters that would break a URL path or query (/ ? # + % …)
    turned into '-', and then (the slug no longer being the IRI) a short hash of the IRI so ids stay distinct;
    at most 64 characters. `http://lms/course/view.php?id=2` → `lms-course-view.php-id-2~1f0c3a9b`."""
    text = _SCHEME.sub("", iri.strip())
    slug = _UNSAFE.sub("-", text).strip("-")
    if slug == text and len(slug) <= 64:
        return slug
    return slug[:55] + "~" + hashlib.sha1(text.encode()).hexdigest()[:8]


def last_segment(iri) -> str:
    return _last_segment(iri) if isinstance(iri, str) else ""


@functools.lru_cache(maxsize=4096)
def _last_segment(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1].lower()


def lang(value) -> str | None:
    """The English (else first) text of a language map."""
    if not isinstance(value, dict) or not value:
        return None
    for key in ("en-US", "en", "en-GB"):
        if isinstance(value.get(key), str) and value[key].strip():
            return value[key].strip()
    first = next(iter(value.values()))
    return first.strip() if isinstance(first, str) and first.strip() else None


def _definition(activity) -> dict:
    d = activity.get("definition") if isinstance(activity, dict) else None
    return d if isinstance(d, dict) else {}


def activity_type(activity) -> str:
    return last_segment(_definition(activity).get("type"))


def activity_name(activity) -> str:
    d = _definition(activity)
    name = lang(d.get("name")) or lang(d.get("description"))
    if name:
        return name[:500]
    iri = activity.get("id", "") if isinstance(activity, dict) else ""
    tail = re.split(r"[/#]", iri.rstrip("/#"))[-1] if iri else ""
    return tail or iri or "(unnamed activity)"


def context_activities(st: dict) -> list[dict]:
    """parent, grouping, other and category activities, in that order."""
    ctx = st.get("context") if isinstance(st.get("context"), dict) else {}
    ca = ctx.get("contextActivities") if isinstance(ctx.get("contextActivities"), dict) else {}
    out = []
    for key in ("parent", "grouping", "other", "category"):
        value = ca.get(key) or []
        for a in value if isinstance(value, list) else [value]:
            if isinstance(a, dict) and isinstance(a.get("id"), str):
                out.append(a)
    return out


@functools.lru_cache(maxsize=4096)
def host_of(iri: str) -> str | None:
    try:
        parts = urlsplit(iri)
    except ValueError:
        return None
    return parts.netloc.lower() or None


@dataclass(frozen=True)
class Run:
    """The course run a statement happened in: a session of a program template of a course."""

    session_id: str
    course_id: str
    name: str
    course_name: str
    host: str | None


def course_run(st: dict) -> Run | None:
    obj = st.get("object") if isinstance(st.get("object"), dict) else {}
    candidates = [obj] if activity_type(obj) in COURSE_TYPES else []
    candidates += [a for a in context_activities(st) if activity_type(a) in COURSE_TYPES]
    for a in candidates:
        if isinstance(a.get("id"), str):
            return _run(a["id"], lang(_definition(a).get("name")))
    # Open edX: the course key inside any IRI of the statement (course-v1:ORG+NUM+RUN, block-v1:ORG+NUM+RUN+…)
    for a in [obj] + context_activities(st):
        iri = a.get("id") if isinstance(a, dict) else None
        m = _EDX_KEY.search(iri) if isinstance(iri, str) else None
        if m:
            host = urlsplit(iri)
            return _run(f"{host.scheme}://{host.netloc}/course/course-v1:{m.group(1)}+{m.group(2)}+{m.group(3)}", None)
    return None


@functools.lru_cache(maxsize=65536)
def _run(iri: str, name: str | None) -> Run:
    m = _EDX_KEY.search(iri)
    if m and iri[m.start():].startswith("course-v1:"):
        course_iri = iri[:m.start()] + f"course-v1:{m.group(1)}+{m.group(2)}"
        course_name = name or f"{m.group(1)} {m.group(2)}"
        session_name = f"{course_name} — {m.group(3)}"
    else:
        course_iri = iri
        course_name = name or activity_name({"id": iri})
        session_name = course_name
    return Run(ident(iri), ident(course_iri), session_name[:500], course_name[:500], host_of(iri))


@dataclass(frozen=True)
class Actor:
    user_id: str
    email: str
    first_name: str
    last_name: str
    host: str | None  # the platform of an account


def actor_of(agent: dict, known_emails: dict[str, str]) -> Actor | None:
    """The user behind an Agent (a Group actor is kept raw, not mapped: None)."""
    if not isinstance(agent, dict) or agent.get("objectType") == "Group":
        return None
    name = agent.get("name") if isinstance(agent.get("name"), str) else ""
    host, email = None, ""
    if agent.get("mbox"):
        email = agent["mbox"][len("mailto:"):].strip()
        label = email.lower()
        uid = known_emails.get(label) or ident(label)
    elif isinstance(agent.get("account"), dict):
        acct = agent["account"]
        label = str(acct["name"])
        uid = ident(acct["homePage"].rstrip("/") + "/" + label)
        host = host_of(acct["homePage"])
    elif agent.get("mbox_sha1sum"):
        label = str(agent["mbox_sha1sum"]).lower()
        uid = "sha1:" + label
    else:
        label = str(agent.get("openid"))
        uid = ident(label)
    first, last = _split_name(name.strip(), label)
    return Actor(uid, email, first, last, host)


def _split_name(name: str, label: str) -> tuple[str, str]:
    """First and last name; without a name, the identifier as last name (lists stay readable)."""
    if not name:
        return "", label[:200]
    parts = name.split()
    if len(parts) == 1:
        return "", parts[0]
    return " ".join(parts[:-1]), parts[-1]


@dataclass
class Batch:
    """Dimension rows a batch of statements needs, deduplicated (first statement wins)."""

    users: dict[str, dict] = field(default_factory=dict)
    groups: dict[str, dict] = field(default_factory=dict)
    memberships: set[tuple[str, str]] = field(default_factory=set)
    courses: dict[str, dict] = field(default_factory=dict)
    programs: dict[str, dict] = field(default_factory=dict)
    sessions: dict[str, dict] = field(default_factory=dict)
    blocks: dict[str, dict] = field(default_factory=dict)
    activities: dict[str, dict] = field(default_factory=dict)


@dataclass(frozen=True)
class Mapped:
    """One statement's place: its raw row's keys and its facts."""

    user_id: str | None
    course_id: str | None
    session_id: str | None
    voids: str | None
    facts: tuple[tuple, ...]  # (kind, user_id, key1, key2, at, num1, num2, num3, num4, flag)


def score_pct(result) -> float | None:
    """A result's score as a percentage: raw within min..max when both bounds differ, else scaled × 100."""
    score = result.get("score") if isinstance(result, dict) else None
    if not isinstance(score, dict):
        return None
    raw, lo, hi, scaled = score.get("raw"), score.get("min", 0), score.get("max"), score.get("scaled")
    if raw is not None and hi is not None and hi > lo:
        pct = 100.0 * (raw - lo) / (hi - lo)
    elif scaled is not None:
        pct = 100.0 * scaled
    else:
        return None
    return min(100.0, max(0.0, pct))


def _group_for(batch: Batch, host: str | None) -> str:
    if not host:
        return ROOT_GROUP
    gid = ("xapi:" + host)[:64]
    batch.groups.setdefault(gid, {"group_id": gid, "name": host, "parent_id": ROOT_GROUP})
    return gid


class Mapper:
    """Maps statements of one batch; `known_emails` resolves mbox actors to users already stored."""

    def __init__(self, known_emails: dict[str, str] | None = None):
        self.known_emails = known_emails or {}
        self.batch = Batch()

    def map(self, p: Prepared) -> Mapped:
        st = p.body
        verb = p.verb
        if verb == VOIDED:
            return Mapped(None, None, None, st["object"]["id"].lower(), ())
        actor = actor_of(st.get("actor"), self.known_emails)
        run = course_run(st)
        if actor is None:
            return Mapped(None, run.course_id if run else None, run.session_id if run else None, None, ())
        b = self.batch
        b.users.setdefault(actor.user_id, {"user_id": actor.user_id, "first_name": actor.first_name,
                                           "last_name": actor.last_name, "email": actor.email})
        if actor.host:
            b.memberships.add((actor.user_id, _group_for(b, actor.host)))
        if run:
            self._run_dims(run, p.timestamp)
            b.memberships.add((actor.user_id, b.sessions[run.session_id]["group_id"]))
        facts = _facts(self, p, actor.user_id, run, last_segment(verb))
        return Mapped(actor.user_id, run.course_id if run else None, run.session_id if run else None, None,
                      tuple(facts))

    def _run_dims(self, run: Run, ts: int) -> None:
        b = self.batch
        b.courses.setdefault(run.course_id, {"course_id": run.course_id, "name": run.course_name})
        b.programs.setdefault(run.course_id, {"program_id": run.course_id, "name": run.course_name})
        b.sessions.setdefault(run.session_id, {"session_id": run.session_id, "program_id": run.course_id,
                                               "name": run.name, "group_id": _group_for(b, run.host),
                                               "start_at": ts, "end_at": ts})
        b.blocks.setdefault(run.session_id, {"block_id": run.session_id, "session_id": run.session_id,
                                             "position": 1, "kind": "course", "title": run.course_name,
                                             "course_id": run.course_id})

    def activity(self, obj: dict, run: Run, question: bool) -> str:
        aid = ident(obj["id"])
        self.batch.activities.setdefault(aid, {"activity_id": aid, "course_id": run.course_id,
                                               "title": activity_name(obj),
                                               "type": "question" if question else "document"})
        return aid

    def assessment_block(self, obj: dict, run: Run) -> str:
        bid = ident(obj["id"])
        self.batch.blocks.setdefault(bid, {"block_id": bid, "session_id": run.session_id, "position": None,
                                           "kind": "assessment", "title": activity_name(obj), "course_id": None})
        return bid


def _assessment_of(st: dict, obj: dict) -> dict | None:
    kind = activity_type(obj)
    if kind in ASSESSMENT_TYPES:
        return obj if isinstance(obj.get("id"), str) else None
    if kind in ATTEMPT_TYPES:
        return next((a for a in context_activities(st) if activity_type(a) in ASSESSMENT_TYPES), None)
    return None


def _facts(m: Mapper, p: Prepared, uid: str, run: Run | None, family: str) -> list[tuple]:
    st, at = p.body, p.timestamp
    obj = st["object"]
    result = st.get("result") if isinstance(st.get("result"), dict) else {}
    if family in LOGIN:
        return [("login", uid, None, None, at, None, None, None, None, None)]
    if run is None:
        return []
    kind = activity_type(obj)
    sid = run.session_id
    duration = parse_duration(result.get("duration")) if "duration" in result else None
    success = result.get("success")
    if family == "passed":
        success = True
    elif family == "failed":
        success = False
    on_course = kind in COURSE_TYPES
    facts = []
    if on_course and family in REGISTER | UNREGISTER:
        facts.append(("enrollment", uid, None, sid, at, None, None, None, None, 1 if family in REGISTER else 0))
    elif on_course and family in LIFECYCLE | RESULT:
        completed = family == "completed" or family == "passed" or result.get("completion") is True
        progress = result.get("extensions", {}).get(PROGRESS_EXT) if isinstance(result.get("extensions"), dict) \
            else None
        progress = float(progress) if isinstance(progress, int | float) and 0 <= progress <= 100 else None
        facts.append(("attempt", uid, run.course_id, sid, at, 100.0 if completed else progress, score_pct(result),
                      duration if family in ENDING else None, None if family in ENDING else duration,
                      1 if completed else None))
    elif duration is not None:
        facts.append(("attempt", uid, run.course_id, sid, at, None, None, None, duration, None))
    assessment = _assessment_of(st, obj) if family in LIFECYCLE | RESULT else None
    has_id = isinstance(obj.get("id"), str) and obj.get("objectType", "Activity") in ACTIVITY_KINDS
    if assessment is not None and (score_pct(result) is not None or isinstance(success, bool)):
        bid = m.assessment_block(assessment, run)
        facts.append(("assessment", uid, bid, sid, at, None, score_pct(result), None, None,
                      None if success is None else int(success)))
    elif has_id and (family in ANSWER or (family in RESULT and kind in QUESTION_TYPES)):
        score = score_pct(result)
        if score is None and isinstance(success, bool):
            score = 100.0 if success else 0.0
        facts.append(("answer", uid, m.activity(obj, run, True), sid, at, None, score, None, None, None))
    elif has_id and (family in POST or (family in CREATE and kind in DISCUSSION_TYPES)):
        post_id = ident(obj["id"]) if family != "commented" or kind in DISCUSSION_TYPES - {"discussion"} else p.id
        facts.append(("post", uid, post_id, run.course_id, at, None, None, None, None, None))
    elif has_id and family in REACT:
        ext = (st.get("context") or {}).get("extensions") or {}
        if not (isinstance(ext, dict) and str(ext.get(VOTE_TYPE_EXT, "up")).lower() == "down"):
            target = "p:" + ident(obj["id"]) if kind in DISCUSSION_TYPES else \
                "a:" + m.activity(obj, run, kind in QUESTION_TYPES)
            facts.append(("reaction", uid, "like", target, at, None, None, None, None, None))
    elif has_id and family in VIEW and not on_course and kind not in ASSESSMENT_TYPES:
        facts.append(("view", uid, m.activity(obj, run, kind in QUESTION_TYPES), sid, at,
                      None, None, None, None, None))
    return facts
