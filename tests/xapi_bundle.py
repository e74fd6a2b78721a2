"""Small xAPI statements written for the tests, each mapping rule mattering once (now = 2026-06-15 12:00 UTC).

Course run R = https://lms.test/course/course-v1:Org+C1+2026 ("Course One"), an Open edX-style run of the
course Org+C1; quiz Q = https://lms.test/quiz/1 (an assessment in R); document D and question Q1 in R.

  id   actor  verb           object  when (UTC)      what it becomes
  s01  ada    logged-in      lms     06-14 08:00     login
  s02  ada    logged-in      lms     06-10 08:00     login
  s03  ada    registered     R       06-01 09:00     enrollment (not an attempt start)
  s04  ada    launched       R       06-02 10:00     attempt starts
  s05  ada    progressed     R 40%   06-02 10:30     progress 40
  s06  ada    completed      R .9    06-03 10:00     completed, score 90, PT30M not an ending duration
  s07  ada    terminated     R PT1H  06-03 10:05     time spent 3600 s (the sitting's length)
  s08  ada    answered       Q1 ok   06-03 09:00     answer, score 100
  s09  ada    passed         Q 8/10  06-04 09:00     assessment result 80, passed
  s10  bob    registered     R       06-01 09:00     enrollment
  s11  bob    viewed         D       06-05 08:00     view; bob sends no logins: a visit-login that day
  s12  bob    viewed         D       06-05 15:00     view (same day: no second login)
  s13  bob    failed         Q .4    06-07 09:00     assessment result 40, not passed
  s14  bob    posted         thread  06-07 10:00     post in the course's forum
  s15  cy     liked          D       06-08 10:00     reaction like; cy's first statement: implicit enrollment
  s16  bob    unregistered   R       06-09 09:00     bob unassigned
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from data_access.xapi.mapping import ident

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
HOST = "https://lms.test"
RUN = f"{HOST}/course/course-v1:Org+C1+2026"
SESSION = ident(RUN)  # lms.test-course-course-v1:Org-C1-2026~<hash>: ids are URL-safe slugs of the IRIs
COURSE = ident(f"{HOST}/course/course-v1:Org+C1")
QUIZ = ident(f"{HOST}/quiz/1")
DOC_ID, Q1_ID, THREAD_ID = ident(f"{HOST}/doc/1"), ident(f"{HOST}/q/1"), ident(f"{HOST}/forum/t1")
ADA, BOB, CY = "ada@ex.com", ident(f"{HOST}/bob"), ident(f"{HOST}/cy")

ACTORS = {
    "ada": {"objectType": "Agent", "name": "Ada Lovelace", "mbox": "mailto:ada@ex.com"},
    "bob": {"name": "Bob Stone", "account": {"homePage": HOST, "name": "bob"}},
    "cy": {"account": {"homePage": HOST, "name": "cy"}},
}
ADL = "http://adlnet.gov/expapi/verbs/"
RUN_OBJ = {"id": RUN, "definition": {"type": "http://adlnet.gov/expapi/activities/course",
                                     "name": {"en": "Course One"}}}
CTX = {"contextActivities": {"parent": [RUN_OBJ]}}
DOC = {"id": f"{HOST}/doc/1", "definition": {"type": "http://id.tincanapi.com/activitytype/document",
                                             "name": {"en-US": "Handbook"}}}


def sid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def st(n: int, who: str, verb: str, obj: dict, when: str, result: dict | None = None, context=CTX) -> dict:
    out = {"id": sid(n), "actor": ACTORS[who], "verb": {"id": verb if ":" in verb else ADL + verb},
           "object": obj, "timestamp": when}
    if context:
        out["context"] = context
    if result:
        out["result"] = result
    return out


def statements() -> list[dict]:
    lms = {"id": HOST, "definition": {"type": "http://id.tincanapi.com/activitytype/lms"}}
    login = "https://xapi.edlm/profiles/edlm-lms/concepts/verbs/login"
    q1 = {"id": f"{HOST}/q/1", "definition": {"type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                                              "name": {"en": "Question 1"}}}
    quiz = {"id": f"{HOST}/quiz/1", "definition": {"type": "http://adlnet.gov/expapi/activities/assessment",
                                                   "name": {"en": "Final quiz"}}}
    thread = {"id": f"{HOST}/forum/t1", "definition": {"type": "http://id.tincanapi.com/activitytype/discussion"}}
    return [
        st(1, "ada", login, lms, "2026-06-14T08:00:00Z", context=None),
        st(2, "ada", login, lms, "2026-06-10T10:00:00+02:00", context=None),
        st(3, "ada", "registered", RUN_OBJ, "2026-06-01T09:00:00Z", context=None),
        st(4, "ada", "launched", RUN_OBJ, "2026-06-02T10:00:00Z", context=None),
        st(5, "ada", "progressed", RUN_OBJ, "2026-06-02T10:30:00Z", context=None,
           result={"extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": 40}}),
        st(6, "ada", "completed", RUN_OBJ, "2026-06-03T10:00:00Z", context=None,
           result={"score": {"scaled": 0.9}, "completion": True, "duration": "PT30M"}),
        st(7, "ada", "terminated", RUN_OBJ, "2026-06-03T10:05:00Z", context=None, result={"duration": "PT1H"}),
        st(8, "ada", "answered", q1, "2026-06-03T09:00:00Z", result={"success": True}),
        st(9, "ada", "passed", quiz, "2026-06-04T09:00:00Z", result={"score": {"raw": 8, "min": 0, "max": 10}}),
        st(10, "bob", "registered", RUN_OBJ, "2026-06-01T09:00:00Z", context=None),
        st(11, "bob", "http://id.tincanapi.com/verb/viewed", DOC, "2026-06-05T08:00:00Z"),
        st(12, "bob", "http://id.tincanapi.com/verb/viewed", DOC, "2026-06-05T15:00:00Z"),
        st(13, "bob", "failed", quiz, "2026-06-07T09:00:00Z", result={"score": {"scaled": 0.4}}),
        st(14, "bob", "https://w3id.org/xapi/acrossx/verbs/posted", thread, "2026-06-07T10:00:00Z"),
        st(15, "cy", "https://w3id.org/xapi/acrossx/verbs/liked", DOC, "2026-06-08T10:00:00Z"),
        st(16, "bob", "unregistered", RUN_OBJ, "2026-06-09T09:00:00Z", context=None),
    ]


def void(n: int, target: int) -> dict:
    admin = {"name": "Admin", "mbox": "mailto:admin@ex.com"}
    return {"id": sid(n), "actor": admin, "verb": {"id": ADL + "voided"},
            "object": {"objectType": "StatementRef", "id": sid(target)}, "timestamp": "2026-06-12T00:00:00Z"}


def write(folder: Path, items: list[dict] | None = None, name: str = "statements.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(statements() if items is None else items, indent=1), encoding="utf-8")
    return path


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())

REALDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata" / "xapi"


def first_of_each_id() -> list[Path]:
    """The real Open edX statement files, the first file of each statement id: their fixtures reuse some ids for
    other content (a conflict in one LRS), so that all of them can share one database."""
    seen, out = set(), []
    for path in sorted((REALDATA / "openedx" / "xapi_expected").glob("*.json")):
        value = json.loads(path.read_text())
        sid = (value if isinstance(value, dict) else value[0])["id"]
        if sid not in seen:
            seen.add(sid)
            out.append(path)
    return out
