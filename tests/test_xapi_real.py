"""The real statements of ../shared/realdata/xapi (read there, never copied: licences): every Open edX and Moodle
statement imports, each verb family lands where docs/xapi.md says, the void example voids. Skipped with the
reason when the folder is absent."""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import text

from data_access import db
from data_access.queries import sessions
from data_access.scope import Scope
from data_access.write.xapi.ingest import ingest
from data_access.xapi.mapping import ident
from data_access.xapi.sources import Item, read_paths
from tests.xapi_bundle import NOW, REALDATA, first_of_each_id

EDX = REALDATA / "openedx" / "xapi_expected"
MOODLE = REALDATA / "moodle"
STORED = 1_780_000_000
DEMO_RUN = ident("http://localhost:18000/course/course-v1:edX+DemoX+Demo_Course")
EDX_USER = ident("http://localhost:18000/32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb")
MOODLE_1, MOODLE_2 = ident("http://www.example.org/1"), ident("http://www.example.org/2")
MOODLE_COURSE = ident("http://www.example.org/course/view.php?id=2")
MOODLE_QUIZ = ident("http://www.example.org/mod/quiz/view.php?id=1")

pytestmark = pytest.mark.skipif(not EDX.exists() or not MOODLE.exists(),
                                reason=f"real xAPI statements not present at {REALDATA} (shared/realdata)")


def test_every_open_edx_statement_imports(sqlite_template, tmp_path):
    files = sorted(EDX.glob("*.json"))
    assert len(files) == 77
    total = 0
    for i, path in enumerate(files):
        copy = tmp_path / f"{i}.sqlite3"
        shutil.copyfile(sqlite_template, copy)
        engine = db.make_engine(f"sqlite:///{copy}")
        report = ingest(engine, read_paths([path]), STORED)
        assert report.stored == report.received >= 1, path.name
        total += report.stored
        engine.dispose()
    assert total == 90


@pytest.fixture
def real(engine):
    report = ingest(engine, read_paths(first_of_each_id() + [MOODLE]), STORED)
    # 65 Open edX statements (52 files) and Moodle's 190, of which 21 repeat another's content exactly (no ids:
    # the same deterministic id, so kept once)
    assert (report.received, report.stored, report.duplicates) == (255, 234, 21)
    return engine


def one(engine, sql, **params):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def test_every_moodle_statement_imports_and_families_land(real):
    # Open edX: enrollment activated then deactivated → unassigned; course grade passed → course completed
    assert one(real, "SELECT status, assigned_at IS NOT NULL, unassigned_at IS NOT NULL FROM enrollments "
                     "WHERE session_id = :s AND user_id = :u", s=DEMO_RUN, u=EDX_USER) == [("registered", 1, 1)]
    assert one(real, "SELECT completed_at IS NOT NULL, progress_pct FROM course_attempts "
                     "WHERE session_id = :s AND user_id = :u", s=DEMO_RUN, u=EDX_USER) == [(1, 100.0)]
    # problem_check (evaluated, cmi.interaction) → answers with the score; forum posted → posts; voted → likes
    assert one(real, "SELECT COUNT(*) FROM answers WHERE user_id = :u AND score_pct = 0", u=EDX_USER)[0][0] >= 1
    assert one(real, "SELECT COUNT(*) FROM posts WHERE user_id = :u AND space = 'course'", u=EDX_USER) == [(3,)]
    assert one(real, "SELECT COUNT(*) FROM reactions WHERE user_id = :u AND kind = 'like' AND post_id IS NOT NULL",
               u=EDX_USER) == [(2,)]
    # no login verbs from Open edX: a login per day with statements
    assert one(real, "SELECT login_count > 0 FROM users WHERE user_id = :u", u=EDX_USER) == [(1,)]
    # Moodle: login verbs are logins; a quiz attempt completed with 50/100 → an assessment result; enrolled
    assert one(real, "SELECT COUNT(*) FROM logins WHERE user_id = :u", u=MOODLE_1) == [(1,)]
    assert one(real, "SELECT score_pct, passed FROM assessment_results WHERE user_id = :u AND block_id = :b",
               u=MOODLE_1, b=MOODLE_QUIZ) == [(50.0, 1)]
    assert one(real, "SELECT status, unassigned_at FROM enrollments WHERE user_id = :u AND session_id = :s",
               u=MOODLE_2, s=MOODLE_COURSE) == [("registered", None)]
    # Moodle sends no timestamps: every statement is stored at STORED, so answers to one question collapse (their
    # key is user, activity and time) — 4 questions answered; 38 activities viewed
    assert one(real, "SELECT COUNT(*) FROM answers WHERE user_id = :u", u=MOODLE_1) == [(4,)]
    assert one(real, "SELECT COUNT(*) FROM activity_views WHERE user_id = :u", u=MOODLE_1) == [(38,)]
    # the Program sessions page lists the course runs of both platforms
    with real.connect() as conn:
        listed = {r["session_id"]: r for r in sessions.sessions_table(conn, Scope.owner(), NOW)}
    assert {DEMO_RUN, MOODLE_COURSE} <= set(listed)
    assert listed[MOODLE_COURSE]["registered"] == 3


def test_the_void_example_voids(engine):
    target = json.loads((REALDATA / "yetanalytics" / "statements" / "completion.json").read_text())
    voiding = json.loads((REALDATA / "yetanalytics" / "statements" / "void.json").read_text())
    target["id"] = voiding["object"]["id"]
    target["timestamp"] = "2026-06-01T10:00:00Z"
    target["context"] = {"contextActivities": {"parent": [{"id": "https://lms.test/course/1", "definition": {
        "type": "http://adlnet.gov/expapi/activities/course"}}]}}
    ingest(engine, [Item("completion.json", target)], STORED)
    assert one(engine, "SELECT COUNT(*) FROM course_attempts") == [(1,)]
    report = ingest(engine, read_paths([REALDATA / "yetanalytics" / "statements" / "void.json"]), STORED)
    assert report.voided == 1
    assert one(engine, "SELECT voided FROM xapi_statements WHERE statement_id = :s", s=target["id"]) == [(1,)]
    assert one(engine, "SELECT COUNT(*) FROM course_attempts") == [(0,)]
    assert one(engine, "SELECT COUNT(*) FROM logins WHERE user_id = 'example.learner@adlnet.gov'") == [(0,)]
