"""xAPI import: the mapping of tests/xapi_bundle.py computed by hand, all or nothing, idempotence, voiding,
replay, and derived facts refreshed per session as after a full refresh (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect, text

from data_access.importer import stored_counts
from data_access.queries import participants, sessions
from data_access.scope import Scope
from data_access.write.xapi import fold, statements, touched
from data_access.write.xapi.ingest import XapiFailed, ingest
from data_access.write.xapi.replay import replay
from data_access.xapi.mapping import ident
from data_access.xapi.sources import Item, read_paths
from tests import xapi_bundle as xb
from tests.xapi_bundle import ADA, BOB, COURSE, CY, NOW, QUIZ, SESSION, ts

STORED = ts("2026-06-15T11:00:00Z")


def _import(engine, tmp_path, items=None, scoped=False):
    return ingest(engine, read_paths([xb.write(tmp_path / "in", items)]), STORED, scoped=scoped)


def rows(engine, sql, **params):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


@pytest.fixture
def xloaded(engine, tmp_path):
    report = _import(engine, tmp_path)
    assert (report.received, report.stored, report.duplicates) == (16, 16, 0)
    return engine


def test_ids_are_url_safe_slugs_of_the_iris():
    assert SESSION.startswith("lms.test-course-course-v1:Org-C1-2026~") and len(SESSION) == 46
    assert BOB.startswith("lms.test-bob~")
    assert ident("ada@ex.com") == "ada@ex.com" and len(ident("https://x/" + "y" * 100)) == 64


def test_actors_become_users(xloaded):
    assert sorted(rows(xloaded, "SELECT user_id, first_name, last_name, email FROM users")) == [
        (ADA, "Ada", "Lovelace", "ada@ex.com"), (BOB, "Bob", "Stone", ""), (CY, "", "cy", "")]
    # account actors join their platform's group, under the root made for xAPI platforms
    assert rows(xloaded, "SELECT group_id, name, parent_id, level FROM groups ORDER BY group_id") == [
        ("xapi", "Learning platforms", None, 0), ("xapi:lms.test", "lms.test", "xapi", 1)]
    assert rows(xloaded, "SELECT user_id, group_id, role FROM memberships ORDER BY user_id") == [
        (ADA, "xapi:lms.test", "learner"), (BOB, "xapi:lms.test", "learner"), (CY, "xapi:lms.test", "learner")]


def test_course_run_becomes_course_program_session_and_block(xloaded):
    assert rows(xloaded, "SELECT course_id, name, author_id, status FROM courses") == [
        (COURSE, "Course One", "", "active")]
    assert rows(xloaded, "SELECT program_id, name, kind FROM programs") == [(COURSE, "Course One", "program")]
    # the run starts at its first statement and ends 30 days after its last one (s16, 06-09 09:00)
    assert rows(xloaded, "SELECT session_id, program_id, name, start_at, end_at, group_id FROM sessions") == [
        (SESSION, COURSE, "Course One — 2026", ts("2026-06-01T09:00:00Z"), ts("2026-07-09T09:00:00Z"),
         "xapi:lms.test")]
    assert rows(xloaded, "SELECT block_id, position, kind, title, course_id FROM blocks ORDER BY position") == [
        (SESSION, 1, "course", "Course One", COURSE), (QUIZ, 2, "assessment", "Final quiz", None)]


def test_logins_and_the_last_login_rule(xloaded):
    # ada sends logins: those count; bob and cy send none: one login per day with statements, at the first
    assert rows(xloaded, "SELECT user_id, at FROM logins ORDER BY user_id, at") == [
        (ADA, ts("2026-06-10T08:00:00Z")), (ADA, ts("2026-06-14T08:00:00Z")),
        (BOB, ts("2026-06-01T09:00:00Z")), (BOB, ts("2026-06-05T08:00:00Z")), (BOB, ts("2026-06-07T09:00:00Z")),
        (BOB, ts("2026-06-09T09:00:00Z")), (CY, ts("2026-06-08T10:00:00Z"))]
    assert rows(xloaded, "SELECT user_id, last_login_at, login_count FROM users ORDER BY user_id") == [
        (ADA, ts("2026-06-14T08:00:00Z"), 2), (BOB, ts("2026-06-09T09:00:00Z"), 4), (CY, ts("2026-06-08T10:00:00Z"), 1)]


def test_enrollments_and_attempts(xloaded):
    assert rows(xloaded, "SELECT user_id, status, source, assigned_at, unassigned_at FROM enrollments "
                         "ORDER BY user_id") == [
        (ADA, "registered", "assigned", ts("2026-06-01T09:00:00Z"), None),
        (BOB, "registered", "assigned", ts("2026-06-01T09:00:00Z"), ts("2026-06-09T09:00:00Z")),
        (CY, "registered", "assigned", ts("2026-06-08T10:00:00Z"), None)]
    # a registration does not start an attempt; the ending verb's duration is the time spent
    assert rows(xloaded, "SELECT user_id, course_id, session_id, attempt_no, started_at, last_activity_at, "
                         "completed_at, progress_pct, score_pct, time_spent_s FROM course_attempts "
                         "ORDER BY user_id") == [
        (ADA, COURSE, SESSION, 1, ts("2026-06-02T10:00:00Z"), ts("2026-06-04T09:00:00Z"), ts("2026-06-03T10:00:00Z"),
         100.0, 90.0, 3600),
        (BOB, COURSE, SESSION, 1, ts("2026-06-05T08:00:00Z"), ts("2026-06-07T10:00:00Z"), None, None, None, 0),
        (CY, COURSE, SESSION, 1, ts("2026-06-08T10:00:00Z"), ts("2026-06-08T10:00:00Z"), None, None, None, 0)]


def test_results_answers_views_posts_reactions(xloaded):
    assert rows(xloaded, "SELECT user_id, block_id, score_pct, passed, submitted_at FROM assessment_results "
                         "ORDER BY user_id") == [
        (ADA, QUIZ, 80.0, 1, ts("2026-06-04T09:00:00Z")), (BOB, QUIZ, 40.0, 0, ts("2026-06-07T09:00:00Z"))]
    assert rows(xloaded, "SELECT user_id, activity_id, session_id, score_pct, answered_at FROM answers") == [
        (ADA, xb.Q1_ID, SESSION, 100.0, ts("2026-06-03T09:00:00Z"))]
    assert sorted(rows(xloaded, "SELECT activity_id, course_id, title, type FROM activities")) == sorted([
        (xb.DOC_ID, COURSE, "Handbook", "document"), (xb.Q1_ID, COURSE, "Question 1", "question")])
    assert rows(xloaded, "SELECT user_id, activity_id, started_at FROM activity_views ORDER BY started_at") == [
        (BOB, xb.DOC_ID, ts("2026-06-05T08:00:00Z")), (BOB, xb.DOC_ID, ts("2026-06-05T15:00:00Z"))]
    assert rows(xloaded, "SELECT post_id, user_id, space, context_id, parent_id FROM posts") == [
        (xb.THREAD_ID, BOB, "course", COURSE, None)]
    assert rows(xloaded, "SELECT user_id, kind, activity_id, post_id FROM reactions") == [
        (CY, "like", xb.DOC_ID, None)]


def test_pages_light_up(xloaded):
    """Derived facts as after a bundle import: the Participants and Program sessions queries see the run."""
    with xloaded.connect() as conn:
        su = conn.execute(text("SELECT user_id, registered, blocks_completed, progress_pct, score_pct, verified, "
                               "started FROM session_users ORDER BY user_id")).all()
        assert [tuple(r) for r in su] == [(ADA, 1, 2, 100.0, 85.0, 1, 1), (BOB, 0, 1, 50.0, 40.0, 0, 1),
                                          (CY, 1, 0, 0.0, None, 0, 1)]
        listed = participants.participants(conn, Scope.owner(), NOW, SESSION)
        assert [(r["user_id"], r["bucket"], r["days_since"]) for r in listed] == [(ADA, "0–1", 1), (CY, "4–7", 7)]
        table = sessions.sessions_table(conn, Scope.owner(), NOW, status="all")
        assert [(r["session_id"], r["registered"], r["completed"], r["state"]) for r in table] == [
            (SESSION, 2, 1, "in progress")]


def test_importing_twice_changes_nothing(xloaded, tmp_path):
    before = stored_counts(xloaded)
    version = rows(xloaded, "SELECT value FROM meta WHERE key = 'data_version'")
    report = _import(xloaded, tmp_path / "again")
    assert (report.stored, report.duplicates) == (0, 16)
    assert stored_counts(xloaded) == before
    assert rows(xloaded, "SELECT value FROM meta WHERE key = 'data_version'") == version


def test_bad_statements_are_all_reported_and_nothing_changes(xloaded, tmp_path):
    before = stored_counts(xloaded)
    good = xb.st(30, "ada", "launched", xb.RUN_OBJ, "2026-06-12T09:00:00Z")
    bad = [good,
           {"verb": {"id": xb.ADL + "launched"}, "object": xb.RUN_OBJ},
           xb.st(31, "ada", "launched", xb.RUN_OBJ, "next tuesday"),
           xb.st(32, "ada", "scored", xb.RUN_OBJ, "2026-06-12T09:00:00Z", result={"score": {"scaled": 1.5}}),
           {**xb.statements()[0], "verb": {"id": "http://adlnet.gov/expapi/verbs/other"}}]
    folder = tmp_path / "bad"
    xb.write(folder, bad, "a.json")
    (folder / "b.ndjson").write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(XapiFailed) as err:
        ingest(xloaded, read_paths([folder]), STORED)
    problems = [f"{w.split('/bad/')[-1]}: {r}" for w, r in err.value.issues]
    assert problems == [
        "a.json[1]: missing actor",
        "a.json[2].timestamp: 'next tuesday' is not an ISO 8601 timestamp",
        "a.json[3].result.score.scaled: must be between -1 and 1, got 1.5",
        f"a.json[4]: statement id {xb.sid(1)} is already used by a statement with other content (stored)",
        "b.ndjson:2: invalid JSON: Expecting property name enclosed in double quotes (column 2)"]
    assert err.value.conflict
    assert "nothing was changed" in err.value.report()
    assert stored_counts(xloaded) == before


def test_real_invalid_json_is_refused_with_its_position(engine, tmp_path):
    path = xb.REALDATA / "yetanalytics" / "statements" / "simple.json"
    if not path.exists():
        pytest.skip(f"real statements not present at {path} (shared/realdata)")
    before = stored_counts(engine)
    with pytest.raises(XapiFailed) as err:
        ingest(engine, read_paths([path]), STORED)
    assert err.value.issues == [(f"{path}:21:78", "invalid JSON: Invalid control character at")]
    assert stored_counts(engine) == before


def test_voiding_undoes_its_target(xloaded):
    before = rows(xloaded, "SELECT COUNT(*) FROM xapi_statements")[0][0]
    report = ingest(xloaded, [Item("v", xb.void(40, 6)), Item("v2", xb.void(41, 15))], STORED)
    assert report.voided == 2
    # s06 (completed, score .9) is gone: progress falls back to s05's 40 %, no score, not completed
    assert rows(xloaded, "SELECT completed_at, progress_pct, score_pct, time_spent_s FROM course_attempts "
                         "WHERE user_id = :u", u=ADA) == [(None, 40.0, None, 3600)]
    assert rows(xloaded, "SELECT blocks_completed, progress_pct, score_pct FROM session_users WHERE user_id = :u",
                u=ADA) == [(1, 50.0, 80.0)]
    # s15 was cy's only statement: the like, the attempt, the implicit enrollment and the visit-login go
    assert rows(xloaded, "SELECT COUNT(*) FROM reactions") == [(0,)]
    assert rows(xloaded, "SELECT COUNT(*) FROM course_attempts WHERE user_id = :u", u=CY) == [(0,)]
    assert rows(xloaded, "SELECT COUNT(*) FROM enrollments WHERE user_id = :u", u=CY) == [(0,)]
    assert rows(xloaded, "SELECT last_login_at, login_count FROM users WHERE user_id = :u", u=CY) == [(None, 0)]
    assert rows(xloaded, "SELECT COUNT(*) FROM xapi_statements") == [(before + 2,)]
    assert rows(xloaded, "SELECT statement_id FROM xapi_statements WHERE voided = 1 ORDER BY 1") == [
        (xb.sid(6),), (xb.sid(15),)]


def test_a_voiding_statement_may_come_first(engine, tmp_path):
    ingest(engine, [Item("v", xb.void(40, 15))], STORED)
    _import(engine, tmp_path)
    assert rows(engine, "SELECT COUNT(*) FROM reactions") == [(0,)]
    assert rows(engine, "SELECT voided FROM xapi_statements WHERE statement_id = :s", s=xb.sid(15)) == [(1,)]


def test_a_voiding_statement_cannot_be_voided(xloaded):
    ingest(xloaded, [Item("v", xb.void(40, 6))], STORED)
    with pytest.raises(XapiFailed) as err:
        ingest(xloaded, [Item("v", xb.void(41, 40))], STORED)
    assert "a voiding statement cannot be voided" in err.value.issues[0][1]


def _snapshot(engine):
    tables = ["users", "logins", "enrollments", "course_attempts", "assessment_results", "answers",
              "activity_views", "posts", "reactions", "sessions", "blocks", "block_results", "session_users",
              "at_risk_facts"]
    return {t: sorted(rows(engine, f"SELECT * FROM {t}"), key=repr) for t in tables}


def test_scoped_refresh_equals_full_refresh_and_replay_rebuilds(engine, tmp_path):
    _import(engine, tmp_path, scoped=True)
    ingest(engine, [Item("v", xb.void(40, 6))], STORED, scoped=True)
    scoped = _snapshot(engine)
    from data_access.write import derive

    with engine.begin() as conn:
        derive.refresh(conn, {"logins", "course_attempts", "sessions"})
    assert _snapshot(engine) == scoped
    replay(engine)
    assert _snapshot(engine) == scoped


def test_a_bulk_import_builds_its_indexes_at_the_end_with_the_same_rows(engine, tmp_path, monkeypatch):
    """Past one batch, some indexes are dropped while inserting and built before the fold, and past BULK_KEYS the
    fold reads slices of learners instead of looking up each key: the same rows."""
    _import(engine, tmp_path / "few")
    few = _snapshot(engine)
    engine_rows = {t: rows(engine, f"SELECT COUNT(*) FROM {t}") for t in ("course_attempts", "enrollments")}
    assert engine_rows == {"course_attempts": [(3,)], "enrollments": [(3,)]}
    with engine.begin() as conn:
        for table in ("course_attempts", "enrollments", "xapi_facts", "xapi_statements"):
            conn.execute(text(f"DELETE FROM {table}"))
    monkeypatch.setattr(fold, "BULK_KEYS", 0)
    decided = []
    monkeypatch.setattr(fold, "_bulk", lambda *a, _bulk=fold._bulk: decided.append(_bulk(*a)) or decided[-1])
    ingest(engine, read_paths([xb.write(tmp_path / "in")]), STORED, batch_size=3)
    assert decided and all(decided)  # every learner was touched: the slices were scanned
    bulk = _snapshot(engine)
    assert bulk == few
    with engine.connect() as conn:
        names = {ix["name"] for t in ("xapi_statements", "xapi_facts") for ix in inspect(conn).get_indexes(t)}
    assert set(statements.DEFERRED_INDEXES) <= names
    replay(engine)
    assert _snapshot(engine) == bulk


def test_mbox_actor_matches_a_stored_user_by_email(loaded, tmp_path):
    """A learner already imported from a bundle keeps their id: statements add to their history."""
    with loaded.connect() as conn:
        uid, email = conn.execute(text("SELECT user_id, email FROM users ORDER BY user_id LIMIT 1")).one()
    statement = xb.st(50, "ada", "launched", xb.RUN_OBJ, "2026-06-12T09:00:00Z")
    statement["actor"] = {"mbox": f"mailto:{email.upper()}", "name": "Someone Else"}
    ingest(loaded, [Item("s", statement)], STORED)
    assert rows(loaded, "SELECT user_id FROM course_attempts WHERE session_id = :s", s=SESSION) == [(uid,)]


def test_a_fold_left_pending_gives_the_rows_of_a_fold_in_place(engine):
    """The endpoint's road (store now, fold_pending later, in two batches) ends with the rows the import's road
    (fold inside the transaction) gives, on each backend; an import folds whatever was left pending."""
    from data_access.write.xapi.ingest import fold_pending

    everything = [Item(f"statement[{i}]", st) for i, st in enumerate(xb.statements())]
    ingest(engine, everything[:8], 0, scoped=True, defer_fold=True)
    ingest(engine, everything[8:], 0, scoped=True, defer_fold=True)
    assert rows(engine, "SELECT COUNT(*) FROM course_attempts") == [(0,)]
    assert "course_attempts" in fold_pending(engine)
    assert rows(engine, "SELECT COUNT(*) FROM xapi_pending") == [(0,)]
    assert fold_pending(engine) == set()  # nothing left
    folded = rows(engine, "SELECT user_id, started_at, completed_at, progress_pct FROM course_attempts "
                          "ORDER BY user_id")
    progress = rows(engine, "SELECT user_id, registered, progress_pct FROM session_users ORDER BY user_id")
    assert progress == [(ADA, 1, 100.0), (BOB, 0, 50.0), (CY, 1, 0.0)]
    # left pending, then an import of nothing new: the import folds it
    engine_rows = rows(engine, "SELECT COUNT(*) FROM xapi_statements")
    ingest(engine, [Item("again", xb.void(40, 3))], 0, scoped=True, defer_fold=True)
    ingest(engine, everything[:1], 0)  # a duplicate: nothing stored, the pending void is folded all the same
    assert rows(engine, "SELECT COUNT(*) FROM xapi_pending") == [(0,)]
    assert rows(engine, "SELECT COUNT(*) FROM xapi_statements") == [(engine_rows[0][0] + 1,)]
    assert len(folded) == 3


def test_a_batch_posted_while_a_fold_runs_is_left_for_the_next_fold(engine, monkeypatch):
    """On SQLite a fold reads with no lock, then writes in a transaction of its own; a batch committed in between
    keeps its pending keys (the fold deletes only those it read), the fold writes the rows of what it read, and
    the next fold ends with the rows of a fold of everything. (On PostgreSQL, one transaction: a batch committed
    during it keeps its keys all the same.)"""
    from data_access.write.xapi.ingest import fold_pending

    everything = [Item(f"statement[{i}]", st) for i, st in enumerate(xb.statements())]
    ingest(engine, everything[:8], 0, scoped=True, defer_fold=True)
    sqlite = engine.dialect.name == "sqlite"
    # (between the two transactions; during the only one)
    module, name = (touched, "forget_pending") if sqlite else (fold, "fold")
    original, posted = getattr(module, name), []

    def then_a_batch_comes(*args):
        if not posted:
            posted.append(ingest(engine, everything[8:], 0, scoped=True, defer_fold=True).stored)
        return original(*args)

    monkeypatch.setattr(module, name, then_a_batch_comes)
    progress = "SELECT user_id, registered, progress_pct FROM session_users ORDER BY user_id"
    fold_pending(engine)
    assert posted == [len(everything) - 8]
    assert rows(engine, "SELECT COUNT(*) FROM xapi_pending")[0][0] > 0  # the batch's keys, not taken
    if sqlite:  # what the fold read: ada's first 8 statements (bob and cy are the batch's), her course completed;
        # 50 %: the quiz block the batch created counts already, her result in it (s09) is the next fold's
        assert rows(engine, progress) == [(ADA, 1, 50.0)]
    fold_pending(engine)
    assert rows(engine, "SELECT COUNT(*) FROM xapi_pending") == [(0,)]
    assert rows(engine, progress) == [(ADA, 1, 100.0), (BOB, 0, 50.0), (CY, 1, 0.0)]  # as in the test above
    assert rows(engine, "SELECT COUNT(*) FROM course_attempts") == [(3,)]


def test_a_fold_that_fails_changes_nothing_and_leaves_its_keys_pending(engine, monkeypatch):
    """A fold that fails midway (a deadlock, a lost database) writes nothing and deletes no pending key; the
    background folder's next try folds them."""
    from data_access.write.xapi.ingest import fold_pending

    everything = [Item(f"statement[{i}]", st) for i, st in enumerate(xb.statements())]
    ingest(engine, everything, 0, scoped=True, defer_fold=True)
    pending = rows(engine, "SELECT COUNT(*) FROM xapi_pending")
    original = fold.fold_session_dates  # (the last part: the others' rows are computed by then)

    def fails(*args):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(fold, "fold_session_dates", fails)
    with pytest.raises(RuntimeError):
        fold_pending(engine)
    assert rows(engine, "SELECT COUNT(*) FROM xapi_pending") == pending
    assert rows(engine, "SELECT COUNT(*) FROM course_attempts") == [(0,)]
    monkeypatch.setattr(fold, "fold_session_dates", original)
    assert "course_attempts" in fold_pending(engine)
    assert rows(engine, "SELECT COUNT(*) FROM xapi_pending") == [(0,)]
    assert rows(engine, "SELECT COUNT(*) FROM course_attempts") == [(3,)]


def test_posted_batches_fold_logins_for_the_days_they_touch(engine):
    """The endpoint's batches fold a learner's logins for the days they touch only; a first login statement
    (someone who sent none becomes a sender) and a void fold them whole. Each step as docs/xapi.md says:
    no login statements -> the first statement of every day; login statements -> exactly those."""
    from data_access.write.xapi.ingest import fold_pending

    lms = {"id": xb.HOST, "definition": {"type": "http://id.tincanapi.com/activitytype/lms"}}
    login = "https://xapi.edlm/profiles/edlm-lms/concepts/verbs/login"
    viewed = "http://id.tincanapi.com/verb/viewed"

    def post(*statements):
        ingest(engine, [Item(f"statement[{i}]", s) for i, s in enumerate(statements)], 0, scoped=True,
               defer_fold=True)
        fold_pending(engine)
        with engine.connect() as conn:
            return sorted(conn.execute(text("SELECT at FROM logins WHERE user_id = :u"), {"u": BOB}).scalars())

    t = ts
    assert post(xb.st(1, "bob", viewed, xb.DOC, "2026-06-05T15:00:00Z"),
                xb.st(2, "bob", viewed, xb.DOC, "2026-06-06T09:00:00Z")) == [t("2026-06-05T15:00:00Z"),
                                                                             t("2026-06-06T09:00:00Z")]
    # an earlier statement the same day moves that day's login; other days stay
    assert post(xb.st(3, "bob", viewed, xb.DOC, "2026-06-05T08:00:00Z")) == [t("2026-06-05T08:00:00Z"),
                                                                            t("2026-06-06T09:00:00Z")]
    # bob's first login statement: from now on his logins are exactly his login statements, on every day
    assert post(xb.st(4, "bob", login, lms, "2026-06-07T10:00:00Z", context=None)) == [t("2026-06-07T10:00:00Z")]
    # a sender's further statements: a view adds no login, a login statement adds its own
    assert post(xb.st(5, "bob", viewed, xb.DOC, "2026-06-08T07:00:00Z"),
                xb.st(6, "bob", login, lms, "2026-06-08T09:00:00Z", context=None)) == [t("2026-06-07T10:00:00Z"),
                                                                                        t("2026-06-08T09:00:00Z")]
    # voiding both login statements makes bob a non-sender again, on every day (a view in the same batch does
    # not narrow the fold to its own day): the first statement of each day
    assert post(xb.void(7, 4), xb.void(8, 6), xb.st(9, "bob", viewed, xb.DOC, "2026-06-09T11:00:00Z")) == [
        t("2026-06-05T08:00:00Z"), t("2026-06-06T09:00:00Z"), t("2026-06-08T07:00:00Z"), t("2026-06-09T11:00:00Z")]
    # an import folded together with a posted batch's pending day keys still folds its own days
    ingest(engine, [Item("s[0]", xb.st(10, "bob", viewed, xb.DOC, "2026-06-10T12:00:00Z"))], 0, scoped=True,
           defer_fold=True)
    ingest(engine, [Item("s[0]", xb.st(11, "bob", viewed, xb.DOC, "2026-06-11T12:00:00Z"))], 0)
    with engine.connect() as conn:
        logins = sorted(conn.execute(text("SELECT at FROM logins WHERE user_id = :u"), {"u": BOB}).scalars())
    assert logins[-2:] == [t("2026-06-10T12:00:00Z"), t("2026-06-11T12:00:00Z")] and len(logins) == 6


def test_the_fold_scans_a_slice_only_when_its_touched_learners_are_a_large_share_of_it(engine, monkeypatch):
    """A bulk import touches every learner of a slice: scan it. A burst of posted batches touches a few learners
    scattered over every id: look each one up (scanning read every statement stored)."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (user_id, first_name, last_name, email, email_lower) "
                          "VALUES (:u, '', '', '', :e)"), [{"u": f"u{i:02}", "e": f"#u{i:02}"} for i in range(12)])
        monkeypatch.setattr(fold, "BULK_KEYS", 3)
        bounds = {"lo": "u00", "hi": "u11"}
        every = {(f"u{i:02}", "s1") for i in range(12)}
        assert fold._bulk(conn, every, bounds) is True  # 12 of 12 learners
        assert fold._bulk(conn, {("u00", "s1"), ("u00", "s2"), ("u05", "s1"), ("u11", "s1")}, bounds) is False
        assert fold._bulk(conn, {(f"u{i:02}", "s1") for i in (0, 3, 6, 11)}, bounds) is True  # 4 of 12: a third
        assert fold._bulk(conn, {("u00", "s1"), ("u11", "s1"), ("u11", "s2")}, bounds) is False  # 3 keys: few
