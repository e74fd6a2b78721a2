"""/xapi/ as an LRS answers (xAPI 1.0.3 Communication section): the request rules of the Statement Resource, reading
statements back (by id and by query, with `more`), the About Resource, JSON 404/405 for everything else under
/xapi/, the alternate request syntax, multipart/mixed with attachments, body limits; a real client (tincan) and
`learnpulse xapi pull` read back what was posted. SQLite unless said; the refusals that must change nothing run
on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from urllib.parse import urlencode

import pytest
from sqlalchemy import text

from dashboard.factory import create_app
from dashboard.settings import Settings
from data_access.importer import stored_counts
from data_access.xapi import credentials
from tests import xapi_bundle as xb
from tests.browser import serve

ATT_BODY = b"here is a simple attachment"
ATT_SHA = hashlib.sha256(ATT_BODY).hexdigest()


def _app(url: str, tmp_path):
    return create_app(Settings.from_env(env={}, database_url=url, data_dir=tmp_path, seed_demo_on_empty=False,
                                        now_override=xb.NOW))


@pytest.fixture
def app(tmp_path):
    return _app(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path)


@pytest.fixture
def both(engine, tmp_path):
    """The app on each backend (the engine fixture's database)."""
    return _app(engine.url.render_as_string(hide_password=False), tmp_path)


def _engine(app):
    return app.server.extensions["learnpulse"].engine


@pytest.fixture
def creds(app):
    return credentials.create(_engine(app), "tests")


def _basic(creds) -> str:
    return "Basic " + base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode()


def _headers(creds, version="1.0.3", **extra):
    out = {"Authorization": _basic(creds), "Content-Type": "application/json"}
    if version:
        out["X-Experience-API-Version"] = version
    return out | extra


def _post(app, creds, body, url="/xapi/statements", **kw):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return app.server.test_client().post(url, data=data, headers=_headers(creds, **kw))


def _get(app, creds, **params):
    return app.server.test_client().get("/xapi/statements?" + urlencode(params), headers=_headers(creds))


def test_about_answers_the_versions(app):
    r = app.server.test_client().get("/xapi/about")
    assert r.status_code == 200 and r.json == {"version": ["1.0.3", "1.0.2", "1.0.1", "1.0.0"]}
    assert app.server.test_client().post("/xapi/about").status_code == 405


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/xapi/", 404), ("GET", "/xapi/activities", 404), ("POST", "/xapi/activities/state", 404),
    ("GET", "/xapi/statements/extra", 404), ("PUT", "/xapi/agents/profile", 404), ("GET", "/xapi/x/../y", 404),
    ("GET", "/xapi//statements", 404), ("POST", "/xapi//x", 404), ("GET", "/xapi", 404),
    ("DELETE", "/xapi/statements", 405), ("PATCH", "/xapi/statements", 405)])
def test_every_other_path_and_method_answers_json(app, creds, method, path, status):
    r = app.server.test_client().open(path, method=method, headers=_headers(creds))
    assert r.status_code == status and r.mimetype == "application/json", r.data[:200]
    assert b"<html" not in r.data.lower() and "error" in r.json
    if status == 405:
        assert "GET" in r.headers["Allow"] and "POST" in r.headers["Allow"]


@pytest.mark.parametrize(("version", "status"), [
    ("1.0.3", 200), ("1.0.0", 200), ("1.0", 200), ("1.0.17", 200), ("1.0junk", 400), ("1.0.x", 400),
    ("1.1.0", 400), ("0.95", 400), ("1.0.3.1", 400), ("1.0.", 400)])
def test_version_header_is_1_0_x_with_digits(app, creds, version, status):
    assert _post(app, creds, xb.statements()[:1], version=version).status_code == status


def test_duplicate_ids_in_one_batch_are_400_and_change_nothing(both):
    creds = credentials.create(_engine(both), "t")
    before = stored_counts(_engine(both))
    one = xb.statements()[0]
    for batch in ([one, one], [one, dict(one, id=one["id"].upper())], [one, dict(one, timestamp="2026-06-14T09:00Z")]):
        r = _post(both, creds, batch)
        assert r.status_code == 400, r.json
        assert r.json["problems"] == [f"statement[1]: the id {batch[1]['id']} is used twice in this batch "
                                      "(first at statement[0])"]
    assert stored_counts(_engine(both)) == before


def test_a_statement_the_specification_forbids_is_refused_with_its_path_and_changes_nothing(both):
    creds = credentials.create(_engine(both), "t")
    before = stored_counts(_engine(both))
    bad = dict(xb.statements()[3], context={"instructor": {"mbox": "mailto:i@x.com", "openid": "http://i.x.com"}})
    r = _post(both, creds, xb.statements()[:3] + [bad])
    assert r.status_code == 400
    assert r.json["problems"] == ["statement[3].context.instructor: an Agent has exactly one identifier (mbox, "
                                  "openid)"]
    assert stored_counts(_engine(both)) == before


def test_unknown_parameters_are_400(app, creds):
    client = app.server.test_client()
    assert _post(app, creds, xb.statements()[:1], url="/xapi/statements?foo=1").status_code == 400
    assert _post(app, creds, xb.statements()[:1], url=f"/xapi/statements?statementId={xb.sid(1)}").status_code == 400
    assert client.put(f"/xapi/statements?statementId={xb.sid(1)}&x=1", data=json.dumps(xb.statements()[0]),
                      headers=_headers(creds)).status_code == 400
    assert _get(app, creds, foo="1").status_code == 400
    assert _get(app, creds, statementId=xb.sid(1), verb=xb.ADL + "launched").status_code == 400
    assert _get(app, creds, statementId=xb.sid(1), voidedStatementId=xb.sid(2)).status_code == 400
    for bad in ({"limit": "-1"}, {"ascending": "yes"}, {"since": "yesterday"}, {"verb": "launched"},
                {"agent": '{"mbox": "ada@ex.com"}'}, {"agent": "{"}, {"registration": "x"}, {"format": "full"},
                {"statementId": "x"}):
        assert _get(app, creds, **bad).status_code == 400, bad
    assert client.get("/xapi/statements?limit=1&limit=2", headers=_headers(creds)).status_code == 400


def test_body_limit_is_counted_while_reading_chunked_bodies(app, creds):
    big = b"[" + b" " * (16 << 20) + b"]"
    client = app.server.test_client()
    # no Content-Length (as with Transfer-Encoding: chunked): cut while reading
    r = client.post("/xapi/statements", input_stream=io.BytesIO(big), headers=_headers(
        creds, **{"Transfer-Encoding": "chunked"}), environ_overrides={"wsgi.input_terminated": True})
    assert r.status_code == 413 and r.mimetype == "application/json"
    r = client.post("/xapi/statements", data=big, headers=_headers(creds))
    assert r.status_code == 413


def test_chunked_body_over_the_limit_on_a_real_server(app, creds):
    import http.client

    base, srv = serve(app)
    try:
        conn = http.client.HTTPConnection(base.removeprefix("http://"), timeout=60)

        def chunks():
            yield b"["
            for _ in range(17 * 16):
                yield b" " * (1 << 16)
            yield b"]"

        try:
            conn.request("POST", "/xapi/statements", body=chunks(), encode_chunked=True,
                         headers=_headers(creds) | {"Transfer-Encoding": "chunked"})
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed while the rest was being sent
        r = conn.getresponse()
        assert r.status == 413
    finally:
        srv.shutdown()


def test_over_deep_json_is_400(app, creds):
    r = _post(app, creds, "[" * 10000 + "]" * 10000)
    assert r.status_code == 400 and "nested" in r.json["error"]
    deep = dict(xb.statements()[0], result={"extensions": {"http://x.com/e": json.loads("[" * 500 + "]" * 500)}})
    r = _post(app, creds, [deep])
    assert r.status_code == 400 and "nested more than 100 levels" in r.json["problems"][0]


def test_deep_json_in_a_file_is_reported(engine, tmp_path):
    from data_access.write.xapi.ingest import XapiFailed, ingest
    from data_access.xapi.sources import read_paths

    (tmp_path / "a.json").write_text("[" + "[" * 5000 + "]" * 5000 + "]", encoding="utf-8")
    (tmp_path / "b.ndjson").write_text("[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(XapiFailed) as err:
        ingest(engine, read_paths([tmp_path / "a.json", tmp_path / "b.ndjson"]), 0)
    assert [r for _, r in err.value.issues] == ["invalid JSON: nested more than 1024 levels deep"] * 2


def test_statement_id_and_voided_statement_id_read_back(both):
    app, creds = both, credentials.create(_engine(both), "t")
    assert _post(app, creds, xb.statements() + [xb.void(30, 5)]).status_code == 200
    r = _get(app, creds, statementId=xb.sid(4))
    assert r.status_code == 200 and r.headers["X-Experience-API-Consistent-Through"].endswith("Z")
    got = r.json
    assert got["id"] == xb.sid(4) and got["verb"] == xb.statements()[3]["verb"]
    assert got["authority"] == {"objectType": "Agent", "account": {"homePage": "http://localhost/xapi/",
                                                                   "name": creds[0]}}
    assert got["version"] == "1.0.0" and got["stored"].endswith("Z") and got["timestamp"] == "2026-06-02T10:00:00Z"
    assert _get(app, creds, statementId=xb.sid(5)).status_code == 404  # voided
    r = _get(app, creds, voidedStatementId=xb.sid(5))
    assert r.status_code == 200 and r.json["id"] == xb.sid(5)
    assert _get(app, creds, voidedStatementId=xb.sid(4)).status_code == 404
    assert _get(app, creds, statementId=xb.sid(99)).status_code == 404
    # format=ids: the actor by its identifier only
    assert _get(app, creds, statementId=xb.sid(4), format="ids").json["actor"] == {"objectType": "Agent",
                                                                                    "mbox": "mailto:ada@ex.com"}


def test_a_sent_version_and_context_activities_as_arrays(app, creds):
    one = dict(xb.statements()[7], version="1.0.3", context={"contextActivities": {"parent": xb.RUN_OBJ}})
    assert _post(app, creds, one).status_code == 200
    got = _get(app, creds, statementId=one["id"]).json
    assert got["version"] == "1.0.3" and got["context"]["contextActivities"]["parent"] == [xb.RUN_OBJ]


def test_queries_with_filters_and_more(both):
    app, creds = both, credentials.create(_engine(both), "t")
    assert _post(app, creds, xb.statements() + [xb.void(30, 5)]).status_code == 200
    everything = _get(app, creds)
    assert everything.status_code == 200 and everything.headers["X-Experience-API-Consistent-Through"]
    ids = [s["id"] for s in everything.json["statements"]]
    assert sorted(ids) == sorted([xb.sid(n) for n in range(1, 17) if n != 5] + [xb.sid(30)])  # the voided left out
    assert everything.json["more"] == ""
    ada = json.dumps(xb.ACTORS["ada"])
    assert {s["id"] for s in _get(app, creds, agent=ada).json["statements"]} == {
        xb.sid(n) for n in (1, 2, 3, 4, 6, 7, 8, 9)}
    assert {s["id"] for s in _get(app, creds, agent=json.dumps({"account": xb.ACTORS["bob"]["account"]}),
                                  verb=xb.ADL + "registered").json["statements"]} == {xb.sid(10)}
    assert {s["id"] for s in _get(app, creds, activity=xb.RUN).json["statements"]} == {
        xb.sid(n) for n in (3, 4, 6, 7, 10, 16)}
    related = {s["id"] for s in _get(app, creds, activity=xb.RUN, related_activities="true").json["statements"]}
    assert related == {xb.sid(n) for n in (3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)}
    # paging: limit 5, ascending, follow more until it is empty
    seen, url, pages = [], "/xapi/statements?" + urlencode({"limit": 5, "ascending": "true"}), 0
    while url:
        page = app.server.test_client().get(url, headers=_headers(creds)).json
        seen += [s["id"] for s in page["statements"]]
        url, pages = page["more"], pages + 1
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen)) and pages == 4
    stored = [s["stored"] for s in _get(app, creds, ascending="true").json["statements"]]
    assert stored == sorted(stored)
    assert _get(app, creds, since="2000-01-01T00:00:00Z", until="2000-01-02T00:00:00Z").json["statements"] == []


def test_alternate_request_syntax(app, creds):
    client = app.server.test_client()
    form = {"Authorization": _basic(creds), "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json",
            "statementId": xb.sid(4), "content": json.dumps(xb.statements()[3])}
    r = client.post("/xapi/statements?method=PUT", data=urlencode(form),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 204, r.data
    form = {"Authorization": _basic(creds), "X-Experience-API-Version": "1.0.3", "statementId": xb.sid(4)}
    r = client.post("/xapi/statements?method=GET", data=urlencode(form),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200 and r.json["id"] == xb.sid(4)
    form = {"Authorization": _basic(creds), "X-Experience-API-Version": "1.0.3",
            "content": json.dumps(xb.statements()[4:6])}
    r = client.post("/xapi/statements?method=POST", data=urlencode(form),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200 and r.json == [xb.sid(5), xb.sid(6)]
    # other parameters stay in the form; credentials are still required
    assert client.post(f"/xapi/statements?method=PUT&statementId={xb.sid(4)}", data=urlencode(form),
                       headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 400
    form["Authorization"] = "Basic " + base64.b64encode(b"nobody:nothing").decode()
    assert client.post("/xapi/statements?method=POST", data=urlencode(form),
                       headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 401


def _multipart(statements, parts, boundary="abcABC0123'()+_,-./:=?"):
    out = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode() + json.dumps(statements).encode()]
    for sha, body in parts:
        out.append(f"--{boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n"
                   f"X-Experience-API-Hash: {sha}\r\n\r\n".encode() + body)
    return b"\r\n".join(out) + f"\r\n--{boundary}--".encode(), f'multipart/mixed; boundary="{boundary}"'


def _with_attachment(n=40):
    return dict(xb.st(n, "ada", "launched", xb.RUN_OBJ, "2026-06-12T09:00:00Z"), attachments=[{
        "usageType": "http://adlnet.gov/expapi/attachments/text", "display": {"en-US": "A text attachment"},
        "contentType": "text/plain", "length": len(ATT_BODY), "sha2": ATT_SHA}])


def test_multipart_with_attachments_stores_the_statements(app, creds):
    body, ctype = _multipart([_with_attachment()], [(ATT_SHA, ATT_BODY)])
    r = _post(app, creds, body, **{"Content-Type": ctype})
    assert r.status_code == 200, r.json
    assert _get(app, creds, statementId=xb.sid(40)).json["attachments"][0]["sha2"] == ATT_SHA
    # a part whose content does not match its hash, a missing part, a part of no attachment: 400, nothing stored
    before = stored_counts(_engine(app))
    for stmts, parts in (([_with_attachment(41)], [(ATT_SHA, b"other bytes")]),
                         ([_with_attachment(42)], []),
                         ([xb.st(43, "ada", "launched", xb.RUN_OBJ, "2026-06-12T09:00:00Z")], [(ATT_SHA, ATT_BODY)])):
        body, ctype = _multipart(stmts, parts)
        r = _post(app, creds, body, **{"Content-Type": ctype})
        assert r.status_code == 400, r.json
    assert stored_counts(_engine(app)) == before


def test_signed_statement(app, creds):
    st = xb.st(44, "ada", "launched", xb.RUN_OBJ, "2026-06-12T09:00:00Z")

    def b64(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    for alg, status in (("RS256", 200), ("HS256", 400)):
        jws = f"{b64({'alg': alg})}.{b64(st)}.c2lnbmF0dXJl".encode()
        sha = hashlib.sha256(jws).hexdigest()
        signed = dict(st, id=xb.sid(44 if status == 200 else 45), attachments=[{
            "usageType": "http://adlnet.gov/expapi/attachments/signature", "display": {"en-US": "Signature"},
            "contentType": "application/octet-stream", "length": len(jws), "sha2": sha}])
        body, ctype = _multipart([signed], [(sha, jws)])
        assert _post(app, creds, body, **{"Content-Type": ctype}).status_code == status


def test_tincan_client_reads_back_what_it_posted(app, creds):
    tincan = pytest.importorskip("tincan", reason="the tincan package is in the test extras (make setup)")
    base, srv = serve(app)
    try:
        lrs = tincan.RemoteLRS(endpoint=f"{base}/xapi/", username=creds[0], password=creds[1])
        about = lrs.about()
        assert about.success and "1.0.3" in about.content.version
        statement = tincan.Statement(
            actor=tincan.Agent(name="Tina Can", mbox="mailto:tina@ex.com"),
            verb=tincan.Verb(id="http://adlnet.gov/expapi/verbs/launched"),
            object=tincan.Activity(id=xb.RUN), timestamp="2026-06-12T09:00:00Z")
        saved = lrs.save_statement(statement)
        assert saved.success, saved.data
        back = lrs.retrieve_statement(saved.content.id)
        assert back.success, back.data
        assert back.content.actor.mbox == "mailto:tina@ex.com" and back.content.object.id == xb.RUN
        assert back.content.stored is not None and back.content.authority is not None
        found = lrs.query_statements({"agent": tincan.Agent(mbox="mailto:tina@ex.com"), "limit": 10})
        assert found.success, found.data
        assert [str(s.id) for s in found.content.statements] == [str(saved.content.id)]
    finally:
        srv.shutdown()


def test_pull_reads_another_learnpulse(app, creds, tmp_path):
    from data_access.xapi.pull import pull

    assert _post(app, creds, xb.statements() + [xb.void(30, 5)]).status_code == 200
    base, srv = serve(app)
    other = _app(f"sqlite:///{tmp_path / 'other.sqlite3'}", tmp_path)
    try:
        result = pull(_engine(other), f"{base}/xapi", creds[0], creds[1], limit=4)
    finally:
        srv.shutdown()
    # the voided statement is not read (a voiding statement arriving first voids it the same)
    assert (result.received, result.stored) == (16, 16) and result.pages == 5
    with _engine(other).connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM xapi_statements")).scalar() == 16
