"""`learnpulse demo --format xapi`: the demo's learning activity told as statements, the way an LMS (Open edX
style course runs) would send it, written one statement a line (.ndjson).

Each course block of a demo session becomes a course run `course-v1:Acme+<course>+<session>`; logins,
enrollments, course attempts (launched, progressed or completed, terminated with the time spent), assessment
results (passed / failed), answers, activity views, course-forum posts and reactions become their verbs.
Statement ids are derived from the rows, so the same seed and now give the same file, and importing it twice
changes nothing. What xAPI has no verb for here (classroom attendance, certificates, downloads, posts outside
courses, waiting lists) is left out.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pandas as pd

LMS = "https://lms.acme.example"
NS = uuid.UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
ADL = "http://adlnet.gov/expapi/verbs/"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"


def _verb(name: str, iri: str | None = None) -> dict:
    return {"id": iri or ADL + name, "display": {"en-US": name}}


VERBS = {name: _verb(name) for name in ("registered", "unregistered", "launched", "progressed", "completed",
                                        "terminated", "passed", "failed", "answered")}
VERBS["login"] = _verb("logged-in", "https://w3id.org/xapi/adl/verbs/logged-in")
VERBS["viewed"] = _verb("viewed", "http://id.tincanapi.com/verb/viewed")
VERBS["posted"] = _verb("posted", "https://w3id.org/xapi/acrossx/verbs/posted")
VERBS["liked"] = _verb("liked", "https://w3id.org/xapi/acrossx/verbs/liked")
LMS_OBJECT = {"id": LMS, "definition": {"type": "http://id.tincanapi.com/activitytype/lms",
                                        "name": {"en-US": "Acme Learning"}}}


class _Writer:
    def __init__(self, fh):
        self.fh, self.count = fh, 0

    def write(self, kind: str, key, actor: dict, verb: str, obj: dict, when: str, run: dict | None = None,
              result: dict | None = None) -> None:
        st = {"id": str(uuid.uuid5(NS, f"{kind}:{key}")), "actor": actor, "verb": VERBS[verb], "object": obj,
              "timestamp": when}
        if run is not None:
            st["context"] = {"contextActivities": {"parent": [run]}}
        if result:
            st["result"] = result
        self.fh.write(json.dumps(st, separators=(",", ":")) + "\n")
        self.count += 1


def _duration(seconds) -> str:
    return f"PT{int(seconds)}S"


def write_statements(frames: dict[str, pd.DataFrame], path: Path | str) -> int:
    """Write the demo frames (data_access.demo.generate) as statements; returns how many."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    users = frames["users"].set_index("user_id")
    actors = {uid: {"name": f"{r.first_name} {r.last_name}", "mbox": f"mailto:{r.email}"}
              for uid, r in zip(users.index, users.itertuples(index=False), strict=True)}
    course_names = dict(zip(frames["courses"]["course_id"], frames["courses"]["name"], strict=True))
    runs: dict[tuple[str, str], dict] = {}

    def run(course_id: str, session_id: str) -> dict:
        key = (course_id, session_id or "self")
        if key not in runs:
            runs[key] = {"id": f"{LMS}/course/course-v1:Acme+{course_id}+{key[1]}",
                         "definition": {"type": COURSE_TYPE, "name": {"en-US": course_names[course_id]}}}
        return runs[key]

    blocks = frames["blocks"]
    course_blocks = blocks[blocks["kind"] == "course"]
    with open(path, "w", encoding="utf-8") as fh:
        w = _Writer(fh)
        for i, (uid, at) in enumerate(zip(frames["logins"]["user_id"], frames["logins"]["at"], strict=True)):
            w.write("login", i, actors[uid], "login", LMS_OBJECT, at)
        _enrollments(w, frames["enrollments"], course_blocks, actors, run)
        _attempts(w, frames["course_attempts"], actors, run)
        _assessments(w, frames, course_blocks, actors, run)
        where = _where_played(frames["course_attempts"])
        _activities(w, frames, actors, run, where)
        return w.count


def _enrollments(w, enrollments, course_blocks, actors, run) -> None:
    per_session = course_blocks.groupby("session_id")["course_id"].apply(list).to_dict()
    active = enrollments[enrollments["status"] == "registered"]
    for i, e in enumerate(active.itertuples(index=False)):
        for course in per_session.get(e.session_id, []):
            r = run(course, e.session_id)
            w.write("reg", (i, course), actors[e.user_id], "registered", r, e.assigned_at or e.unassigned_at)
            if e.unassigned_at:
                w.write("unreg", (i, course), actors[e.user_id], "unregistered", r, e.unassigned_at)


def _attempts(w, attempts, actors, run) -> None:
    for a in attempts.itertuples(index=False):
        r = run(a.course_id, a.session_id)
        actor = actors[a.user_id]
        w.write("launch", a.attempt_id, actor, "launched", r, a.started_at)
        if a.completed_at:
            score = {"score": {"scaled": round(float(a.score_pct) / 100, 4)}} if a.score_pct else {}
            w.write("done", a.attempt_id, actor, "completed", r, a.completed_at, result={"completion": True, **score})
        elif a.progress_pct:
            w.write("progress", a.attempt_id, actor, "progressed", r, a.last_activity_at or a.started_at, result={
                "extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": float(a.progress_pct)}})
        if a.time_spent_s and a.last_activity_at:
            w.write("end", a.attempt_id, actor, "terminated", r, a.last_activity_at,
                    result={"duration": _duration(a.time_spent_s)})


def _assessments(w, frames, course_blocks, actors, run) -> None:
    first_course = course_blocks.sort_values("position").drop_duplicates("session_id")
    first_course = dict(zip(first_course["session_id"], first_course["course_id"], strict=True))
    blocks = frames["blocks"].set_index("block_id")
    for i, a in enumerate(frames["assessment_results"].itertuples(index=False)):
        b = blocks.loc[a.block_id]
        course = first_course.get(b.session_id)
        if course is None:
            continue
        obj = {"id": f"{LMS}/assessment/{a.block_id}",
               "definition": {"type": "http://adlnet.gov/expapi/activities/assessment", "name": {"en-US": b.title}}}
        result = {"score": {"scaled": round(float(a.score_pct) / 100, 4)}} if a.score_pct else {}
        w.write("assess", i, actors[a.user_id], "passed" if a.passed == "true" else "failed", obj, a.submitted_at,
                run(course, b.session_id), result)


def _where_played(attempts: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(user, course) → the session of their first attempt on it: views, answers and reactions carry no session."""
    first = attempts.drop_duplicates(["user_id", "course_id"])
    return dict(zip(zip(first["user_id"], first["course_id"], strict=True), first["session_id"], strict=True))


def _activities(w, frames, actors, run, where) -> None:
    acts = frames["activities"].set_index("activity_id")
    course_of = acts["course_id"].to_dict()
    objects = {aid: {"id": f"{LMS}/activity/{aid}", "definition": {
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction" if t == "question"
        else "http://id.tincanapi.com/activitytype/document", "name": {"en-US": title}}}
        for aid, t, title in zip(acts.index, acts["type"], acts["title"], strict=True)}

    def ctx(uid, aid, session=None):
        course = course_of[aid]
        return run(course, session if session else where.get((uid, course), ""))

    for i, v in enumerate(frames["activity_views"].itertuples(index=False)):
        w.write("view", i, actors[v.user_id], "viewed", objects[v.activity_id], v.started_at, ctx(v.user_id,
                                                                                                   v.activity_id))
    for i, a in enumerate(frames["answers"].itertuples(index=False)):
        result = {"score": {"scaled": round(float(a.score_pct) / 100, 4)}} if a.score_pct else {}
        w.write("answer", i, actors[a.user_id], "answered", objects[a.activity_id], a.answered_at,
                ctx(a.user_id, a.activity_id, a.session_id), result)
    posts = frames["posts"]
    course_posts = posts[(posts["space"] == "course") & (posts["activity_id"] != "")]
    for p in course_posts.itertuples(index=False):
        obj = {"id": f"{LMS}/forum/{p.post_id}",
               "definition": {"type": "http://id.tincanapi.com/activitytype/discussion"}}
        w.write("post", p.post_id, actors[p.user_id], "posted", obj, p.created_at, ctx(p.user_id, p.activity_id))
    reactions = frames["reactions"]
    likes = reactions[(reactions["kind"] == "like") & (reactions["activity_id"] != "")]
    for i, r in enumerate(likes.itertuples(index=False)):
        w.write("like", i, actors[r.user_id], "liked", objects[r.activity_id], r.created_at,
                ctx(r.user_id, r.activity_id))

