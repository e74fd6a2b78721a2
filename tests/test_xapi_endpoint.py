"""POST / PUT /xapi/statements: version header, HTTP Basic against stored (hashed) credentials, 200 with ids,
204, 400 with every problem and nothing stored, 409 for a conflicting id; a real client (tincan) posts to it."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import text

from dashboard.core.settings import Settings
from dashboard.factory import create_app
from data_access.importer import stored_counts
from data_access.xapi import credentials
from tests import xapi_bundle as xb
from tests.browser import serve


@pytest.fixture
def app(tmp_path):
    settings = Settings.from_env(env={}, database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}", data_dir=tmp_path,
                                 seed_demo_on_empty=False, now_override=xb.NOW)
    return create_app(settings)


@pytest.fixture
def engine(app):
    return app.server.extensions["learnpulse"].engine


@pytest.fixture
def creds(engine):
    return credentials.create(engine, "tests")


def _headers(creds, version="1.0.3", **extra):
    token = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode()
    out = {"Authorization": f"Basic {token}", "Content-Type": "application/json"}
    if version:
        out["X-Experience-API-Version"] = version
    return out | extra


def _post(app, creds, body, **kw):
    return app.server.test_client().post("/xapi/statements", data=json.dumps(body), headers=_headers(creds, **kw))


def test_secret_is_stored_hashed(engine, creds):
    with engine.connect() as conn:
        name, stored = conn.execute(text("SELECT name, secret_hash FROM xapi_credentials")).one()
    assert name == "tests" and creds[1] not in stored and stored.startswith("$argon2")


def test_version_header_and_credentials_are_required(app, creds):
    client = app.server.test_client()
    body = json.dumps(xb.statements()[:1])
    r = client.post("/xapi/statements", data=body, headers=_headers(creds, version=None))
    assert r.status_code == 400 and "X-Experience-API-Version" in r.json["error"]
    r = client.post("/xapi/statements", data=body, headers={"X-Experience-API-Version": "1.0.3"})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Basic")
    r = client.post("/xapi/statements", data=body, headers=_headers((creds[0], "wrong")))
    assert r.status_code == 401
    r = client.post("/xapi/statements", data=body, headers=_headers(("nobody", creds[1])))
    assert r.status_code == 401


def test_post_stores_and_answers_the_ids(app, engine, creds):
    r = _post(app, creds, xb.statements())
    assert r.status_code == 200 and r.headers["X-Experience-API-Version"] == "1.0.3"
    assert r.json == [xb.sid(n) for n in range(1, 17)]
    assert app.server.extensions["learnpulse"].xapi_folder.wait(60)  # attempts and enrollments are folded behind
    with engine.connect() as conn:
        registered = conn.execute(text("SELECT user_id, registered, progress_pct FROM session_users "
                                       "ORDER BY user_id")).all()
    assert [tuple(x) for x in registered] == [(xb.ADA, 1, 100.0), (xb.BOB, 0, 50.0), (xb.CY, 1, 0.0)]
    # a statement without an id gets one; posting the same again answers the same id and stores nothing new
    anonymous = {k: v for k, v in xb.statements()[3].items() if k != "id"} | {"timestamp": "2026-06-11T10:00:00Z"}
    first = _post(app, creds, anonymous).json
    assert _post(app, creds, anonymous).json == first
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM xapi_statements")).scalar() == 17


def test_posted_statements_reach_the_users_and_collaboration_facts(app, engine, creds):
    """After a batch, the facts over whole tables (users list, collaborative activity) follow in the background,
    as after a bundle import: what a full refresh computes."""
    assert _post(app, creds, xb.statements()).status_code == 200
    assert app.server.extensions["learnpulse"].xapi_folder.wait(60)
    tables = ("user_stats", "collab_users", "group_counts", "session_groups")
    with engine.connect() as conn:
        after_post = {t: conn.execute(text(f"SELECT * FROM {t} ORDER BY 1, 2")).all() for t in tables}
    assert after_post["user_stats"], "the posted learners are in the users list"
    assert after_post["session_groups"], "the session's results by group"
    with engine.begin() as conn:
        from data_access.write import derive

        derive.refresh(conn, {"users", "groups", "memberships", "logins", "course_attempts", "sessions", "blocks",
                              "enrollments", "posts", "reactions", "activity_views", "answers", "activities"})
    with engine.connect() as conn:
        assert {t: conn.execute(text(f"SELECT * FROM {t} ORDER BY 1, 2")).all() for t in tables} == after_post


def test_a_bad_batch_stores_nothing_and_says_why(app, engine, creds):
    before = stored_counts(engine)
    batch = xb.statements()[:3] + [{"actor": xb.ACTORS["ada"], "verb": {"id": "http://x/y"}}]
    r = _post(app, creds, batch)
    assert r.status_code == 400
    assert r.json["problems"] == ["statement[3]: missing object"]
    assert stored_counts(engine) == before
    r = app.server.test_client().post("/xapi/statements", data="{oops", headers=_headers(creds))
    assert r.status_code == 400 and "not JSON" in r.json["error"]


def test_conflicting_id_is_409(app, engine, creds):
    assert _post(app, creds, xb.statements()[:2]).status_code == 200
    changed = dict(xb.statements()[1], timestamp="2026-06-11T08:00:00Z")
    r = _post(app, creds, [xb.statements()[2], changed])
    assert r.status_code == 409
    assert r.json["problems"] == [f"statement[1]: statement id {xb.sid(2)} is already used by a statement with "
                                  "other content (stored)"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM xapi_statements")).scalar() == 2


def test_put_with_statement_id(app, creds):
    client = app.server.test_client()
    statement = {k: v for k, v in xb.statements()[3].items() if k != "id"}
    url = f"/xapi/statements?statementId={xb.sid(99)}"
    assert client.put(url, data=json.dumps(statement), headers=_headers(creds)).status_code == 204
    assert client.put(url, data=json.dumps(statement), headers=_headers(creds)).status_code == 204
    other = dict(statement, timestamp="2026-06-11T08:00:00Z")
    assert client.put(url, data=json.dumps(other), headers=_headers(creds)).status_code == 409
    wrong = dict(statement, id=xb.sid(98))
    assert client.put(url, data=json.dumps(wrong), headers=_headers(creds)).status_code == 400
    assert client.put("/xapi/statements", data=json.dumps(statement), headers=_headers(creds)).status_code == 400


def test_tincan_client_posts_to_the_endpoint(app, engine, creds):
    tincan = pytest.importorskip("tincan", reason="the tincan package is in the test extras (make setup)")
    base, srv = serve(app)
    try:
        lrs = tincan.RemoteLRS(endpoint=f"{base}/xapi/", username=creds[0], password=creds[1])
        statement = tincan.Statement(
            actor=tincan.Agent(name="Tina Can", mbox="mailto:tina@ex.com"),
            verb=tincan.Verb(id="http://adlnet.gov/expapi/verbs/launched"),
            object=tincan.Activity(id=xb.RUN, definition=tincan.ActivityDefinition(
                type="http://adlnet.gov/expapi/activities/course", name=tincan.LanguageMap({"en-US": "Course One"}))),
            timestamp="2026-06-12T09:00:00Z")
        response = lrs.save_statement(statement)
        assert response.success, response.data
        assert statement.id is not None
        many = lrs.save_statements([tincan.Statement(
            actor=tincan.Agent(mbox="mailto:tina@ex.com"), verb=tincan.Verb(id=xb.ADL + "completed"),
            object=tincan.Activity(id=xb.RUN, definition=tincan.ActivityDefinition(
                type="http://adlnet.gov/expapi/activities/course")),
            timestamp="2026-06-12T10:00:00Z")])
        assert many.success, many.data
        refused = tincan.RemoteLRS(endpoint=f"{base}/xapi/", username=creds[0], password="nope") \
            .save_statement(statement)
        assert not refused.success and refused.response.status == 401
    finally:
        srv.shutdown()
    assert app.server.extensions["learnpulse"].xapi_folder.wait(60)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT started_at, completed_at FROM course_attempts WHERE user_id = 'tina@ex.com'"))
        assert [tuple(r) for r in row] == [(xb.ts("2026-06-12T09:00:00Z"), xb.ts("2026-06-12T10:00:00Z"))]


FOLDED = {"course_attempts": "attempt_id", "enrollments": "session_id, user_id", "logins": "user_id, at",
          "assessment_results": "user_id, block_id", "session_users": "session_id, user_id",
          "block_results": "user_id, block_id", "user_stats": "user_id", "sessions": "session_id",
          "at_risk_facts": "session_id, user_id"}


def _folded(engine) -> dict:
    with engine.connect() as conn:
        return {t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY {key}"))]
                for t, key in FOLDED.items()}


def test_batches_folded_behind_equal_one_import(app, engine, creds, tmp_path):
    """The endpoint folds behind the answer, a burst at a time: posting the statements in four batches (the void
    in the last) gives exactly the rows a single import of them all gives."""
    everything = xb.statements() + [xb.void(30, 5)]
    for i in range(0, len(everything), 5):
        assert _post(app, creds, everything[i:i + 5]).status_code == 200
    assert app.server.extensions["learnpulse"].xapi_folder.wait(60)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM xapi_pending")).scalar() == 0
    alone = create_app(Settings.from_env(env={}, database_url=f"sqlite:///{tmp_path / 'alone.sqlite3'}",
                                         data_dir=tmp_path, seed_demo_on_empty=False, now_override=xb.NOW))
    other = alone.server.extensions["learnpulse"].engine
    from data_access.write.xapi.ingest import ingest
    from data_access.xapi.sources import Item

    ingest(other, [Item(f"statement[{i}]", st) for i, st in enumerate(everything)], 0)
    posted, imported = _folded(engine), _folded(other)
    assert posted["course_attempts"] and posted["logins"]
    for table in ("course_attempts", "enrollments", "logins", "assessment_results", "session_users", "block_results",
                  "at_risk_facts"):
        assert posted[table] == imported[table], table
    # user_stats and sessions carry nothing time-of-storage dependent either
    assert posted["sessions"] == imported["sessions"]


def test_keys_a_stopped_process_left_are_folded_at_the_next_start(tmp_path, engine, creds, app):
    """A process that stored a batch but stopped before its fold leaves the keys in xapi_pending: the next app
    start (or the next import) folds them."""
    from data_access.write.xapi.ingest import ingest
    from data_access.xapi.sources import Item

    ingest(engine, [Item(f"statement[{i}]", st) for i, st in enumerate(xb.statements())], 0, scoped=True,
           defer_fold=True)  # stored, not folded: as if the process stopped right after answering
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM xapi_pending")).scalar() > 0
        assert conn.execute(text("SELECT COUNT(*) FROM course_attempts")).scalar() == 0
    restarted = create_app(Settings.from_env(env={}, database_url=str(engine.url), data_dir=tmp_path,
                                             seed_demo_on_empty=False, now_override=xb.NOW))
    assert restarted.server.extensions["learnpulse"].xapi_folder.wait(60)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM xapi_pending")).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM course_attempts")).scalar() == 3
