"""Sign-in, on SQLite and PostgreSQL, through real HTTP requests (Flask's test client): anonymous requests
refused, password sign-in with CSRF and throttling, one-time links and invitations, deleted users, the
trusted header, view-as, cookies and security headers, navigation by role.

Fixture bundle (tests/fixture_bundle.py): Ada (u1) admin of the root group = owner; Cora (u2) coach of
Sales (g1, with Sales North g2) whose sessions are s1 only (s2 belongs to Ops, g3); Lea and Leo learners;
Del (u6) deleted; Ivo (u7) instructor of s1.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time

import pytest

from dashboard import signin
from dashboard.core import passwords
from dashboard.core.ids import Shell, UserPage
from dashboard.core.ids import ViewAs as VA
from dashboard.core.settings import Settings
from dashboard.factory import create_app
from data_access import accounts
from data_access.importer import import_bundle
from tests import fixture_bundle
from tests.dashcalls import payload
from tests.signing import page_content, sign_in_path, signed_in_client

NOW = fixture_bundle.NOW
PASSWORD = "correct horse battery"


def make_app(engine, tmp_path, **settings):
    url = engine.url.render_as_string(hide_password=False)
    return create_app(Settings.from_env(env={}, database_url=url, now_override=NOW, seed_demo_on_empty=False,
                                        data_dir=tmp_path, **settings))


@pytest.fixture
def app(loaded, tmp_path):
    return make_app(loaded, tmp_path)


def set_password(app, email: str, password: str = PASSWORD) -> None:
    engine = app.server.extensions["learnpulse"].engine
    with engine.begin() as conn:
        row = accounts.user_by_email(conn, email)
        accounts.set_password_hash(conn, row.user_id, passwords.hash_password(password), NOW)


def csrf(client, path: str = "/login") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def post_login(client, email: str, password: str, **fields):
    form = {"email": email, "password": password, "csrf_token": csrf(client), **fields}
    return client.post("/login", data=form)


def audit(app) -> list[tuple]:
    engine = app.server.extensions["learnpulse"].engine
    with engine.connect() as conn:
        rows = accounts.audit_events(conn, accounts.Scope.owner(), NOW)
    return [(r["event"], r["actor_email"] or r["email"], r["detail"]) for r in reversed(rows)]


def dash_call(client, app, first_output: str, inputs: dict, state: dict | None = None):
    return client.post("/_dash-update-component", json=payload(app, first_output, inputs, state))


def test_anonymous_requests_are_refused(app):
    client = app.server.test_client()
    page = client.get("/participants?session=s1")
    assert page.status_code == 302
    assert page.headers["Location"] == "/login?next=%2Fparticipants%3Fsession%3Ds1"
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/_dash-dependencies").status_code == 401
    assert client.post("/_dash-update-component", json={}).status_code == 401
    assert client.get("/download/sessions.csv").status_code == 401
    assert client.get("/download/session.csv?session=s1").status_code == 401
    # what the sign-in page itself needs stays reachable
    assert client.get("/login").status_code == 200
    assert client.get("/assets/10_learnpulse.css").status_code == 200


def test_password_sign_in_needs_the_csrf_token_and_goes_where_it_was_asked(app):
    set_password(app, "cora@example.com")
    client = app.server.test_client()
    no_token = client.post("/login", data={"email": "cora@example.com", "password": PASSWORD})
    assert no_token.status_code == 400 and "The form expired" in no_token.get_data(as_text=True)
    wrong = post_login(client, "CORA@example.com", "not the password")
    assert wrong.status_code == 401 and "Wrong email or password." in wrong.get_data(as_text=True)
    assert client.get("/_dash-layout").status_code == 401
    ok = post_login(client, "cora@example.com", PASSWORD, next="/sessions?status=all")
    assert (ok.status_code, ok.headers["Location"]) == (302, "/sessions?status=all")
    assert client.get("/_dash-layout").status_code == 200
    # a signed-in visit to /login goes on; `next` never leaves the site
    assert client.get("/login?next=//evil.example/x").headers["Location"] == "/"
    other = app.server.test_client()
    assert post_login(other, "cora@example.com", PASSWORD, next="https://evil.example/").headers["Location"] == "/"
    assert audit(app) == [("sign_in_failed", "cora@example.com", "wrong password"),
                          ("sign_in", "cora@example.com", "password"), ("sign_in", "cora@example.com", "password")]


def test_cookies_are_http_only_same_site_and_secure_when_configured(loaded, tmp_path):
    plain = signed_in_client(make_app(loaded, tmp_path))
    cookie = plain.get_cookie("learnpulse_session")
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure
    app = make_app(loaded, tmp_path, secure_cookies=True)
    set_password(app, "cora@example.com")
    client = app.server.test_client()
    post_login(client, "cora@example.com", PASSWORD, remember="1")
    for name in ("learnpulse_session", "learnpulse_remember"):  # "keep me signed in" sets the second
        cookie = client.get_cookie(name)
        assert cookie is not None and cookie.http_only and cookie.secure and cookie.same_site == "Lax", name


def test_deleted_and_unknown_users_cannot_sign_in_and_get_the_same_answer(app):
    set_password(app, "del@example.com")
    deleted = post_login(app.server.test_client(), "del@example.com", PASSWORD)
    unknown = post_login(app.server.test_client(), "nobody@example.com", PASSWORD)
    assert deleted.status_code == unknown.status_code == 401
    assert "Wrong email or password." in deleted.get_data(as_text=True)
    assert [a[2] for a in audit(app)] == ["deleted user", "unknown email"]
    engine = app.server.extensions["learnpulse"].engine
    with pytest.raises(LookupError):  # nor by a link
        sign_in_path(engine, "del@example.com")


def test_an_import_that_deletes_a_user_ends_their_sessions(app, tmp_path):
    client = signed_in_client(app, "leo@example.com")
    assert client.get("/_dash-layout").status_code == 200
    delta = tmp_path / "delta"
    delta.mkdir()
    (delta / "users.csv").write_text(
        "user_id,first_name,last_name,email,title,additional_info,registered_at,invited_by,deleted_at,"
        "auto_deletion_at\nu4,Leo,Learner,LEO@example.com,,,2025-02-01T09:00:00+02:00,u1,2026-06-15T10:00:00Z,\n")
    import_bundle(app.server.extensions["learnpulse"].engine, delta)
    time.sleep(1.1)  # each app process re-reads the data version at most once a second
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/participants").status_code == 302


def test_failed_sign_ins_are_throttled_per_account_and_per_address(loaded, tmp_path, monkeypatch):
    monkeypatch.setattr(signin, "PER_ADDRESS", "8 per 15 minutes")
    app = make_app(loaded, tmp_path)
    set_password(app, "cora@example.com")
    set_password(app, "lea@example.com")
    client = app.server.test_client()
    for _ in range(5):
        assert post_login(client, "cora@example.com", "wrong").status_code == 401
    # the account is locked for a while, even with its password; successes never count
    throttled = post_login(client, "cora@example.com", PASSWORD)
    assert throttled.status_code == 429 and "Too many failed sign-ins" in throttled.get_data(as_text=True)
    assert post_login(app.server.test_client(), "lea@example.com", PASSWORD).status_code == 302
    for _ in range(3):  # 5 + 3 failures from this address
        assert post_login(client, "lea@example.com", "wrong").status_code == 401
    assert post_login(client, "lea@example.com", PASSWORD).status_code == 429
    elsewhere = app.server.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    assert post_login(elsewhere, "lea@example.com", PASSWORD).status_code == 302
    assert ("sign_in_failed", "cora@example.com", "throttled") in audit(app)


def test_behind_a_trusted_proxy_each_client_counts_by_its_forwarded_address(loaded, tmp_path, monkeypatch):
    """Behind a reverse proxy every request connects from the proxy: the per-address throttle counts the address
    the trusted proxy appended to X-Forwarded-For, so one client's failures do not lock everyone out; what a client
    wrote before it, or sends from an untrusted address, is not believed."""
    monkeypatch.setattr(signin, "PER_ADDRESS", "3 per 15 minutes")
    app = make_app(loaded, tmp_path)
    set_password(app, "lea@example.com")

    def client(remote: str, forwarded: str):
        c = app.server.test_client()
        c.environ_base.update(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
        return c

    for n in range(3):  # 127.0.0.1 is the default trusted proxy; the client is 203.0.113.5
        assert post_login(client("127.0.0.1", f"198.51.100.{n}, 203.0.113.5"), f"x{n}@example.com",
                          "wrong").status_code == 401
    assert post_login(client("127.0.0.1", "1.2.3.4, 203.0.113.5"), "lea@example.com", PASSWORD).status_code == 429
    assert post_login(client("127.0.0.1", "203.0.113.6"), "lea@example.com", PASSWORD).status_code == 302
    untrusted = client("10.0.0.7", "203.0.113.6")  # counted as 10.0.0.7 whatever it claims
    for n in range(3):
        assert post_login(untrusted, f"y{n}@example.com", "wrong").status_code == 401
    assert post_login(untrusted, "lea@example.com", PASSWORD).status_code == 429
    assert post_login(client("127.0.0.1", "203.0.113.6"), "lea@example.com", PASSWORD).status_code == 302


@pytest.mark.xdist_group("redis")  # one worker at a time: the counters live in the one Redis
def test_throttling_is_shared_through_redis(loaded, tmp_path, monkeypatch):
    """Two app processes on one Redis count the same failures (a load balancer may alternate them)."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379: {type(exc).__name__}")
    store = redis.Redis(host="127.0.0.1", port=6379)
    prefix = f"lp-test-{os.getpid()}-{secrets.token_hex(4)}"  # another run on this machine has its own counters

    def forget_counters():
        for key in store.scan_iter(f"*{prefix}-signin*"):
            store.delete(key)

    forget_counters()
    monkeypatch.setattr(signin, "PER_ACCOUNT", "2 per 15 minutes")
    first, second = (make_app(loaded, tmp_path, cache_redis_url="redis://127.0.0.1:6379/0", redis_prefix=prefix)
                     for _ in range(2))
    set_password(first, "cora@example.com")
    assert post_login(first.server.test_client(), "cora@example.com", "wrong").status_code == 401
    assert post_login(second.server.test_client(), "cora@example.com", "wrong").status_code == 401
    assert post_login(first.server.test_client(), "cora@example.com", PASSWORD).status_code == 429
    assert list(store.scan_iter(f"*{prefix}-signin*"))  # the counters were in Redis
    forget_counters()


def test_a_one_time_link_works_once(app):
    engine = app.server.extensions["learnpulse"].engine
    path = sign_in_path(engine, "cora@example.com")
    first, second = app.server.test_client(), app.server.test_client()
    assert first.get(path).status_code == 302
    assert first.get("/_dash-layout").status_code == 200
    again = second.get(path)
    assert again.status_code == 403 and "already used or has expired" in again.get_data(as_text=True)
    assert second.get("/_dash-layout").status_code == 401
    with engine.begin() as conn:
        expired = accounts.issue_sign_in(conn, NOW, "cora@example.com", valid_s=-1)
    assert second.get(f"/login/token/{expired}").status_code == 403


def test_an_invitation_lets_the_person_choose_a_password_once(app):
    engine = app.server.extensions["learnpulse"].engine
    with engine.begin() as conn:
        token = accounts.issue_token(conn, "u3", accounts.INVITE, NOW.now(tz=NOW.tzinfo), 7 * 86_400)
    client = app.server.test_client()
    form = client.get(f"/invite/{token}")
    assert form.status_code == 200 and "lea@example.com" in form.get_data(as_text=True)
    assert client.post(f"/invite/{token}", data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 400
    token_field = csrf(client, f"/invite/{token}")
    short = client.post(f"/invite/{token}", data={"password": "short", "confirm": "short", "csrf_token": token_field})
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
    differ = client.post(f"/invite/{token}", data={"password": PASSWORD, "confirm": PASSWORD + "!",
                                                   "csrf_token": token_field})
    assert "The two passwords differ." in differ.get_data(as_text=True)
    done = client.post(f"/invite/{token}", data={"password": PASSWORD, "confirm": PASSWORD, "csrf_token": token_field})
    assert done.status_code == 302 and client.get("/_dash-layout").status_code == 200
    assert app.server.test_client().get(f"/invite/{token}").status_code == 403
    assert post_login(app.server.test_client(), "lea@example.com", PASSWORD).status_code == 302


def test_trusted_header_signs_in_only_from_a_trusted_proxy(loaded, tmp_path):
    app = make_app(loaded, tmp_path, trusted_header="X-Forwarded-Email", trusted_proxies=("127.0.0.1", "10.1.0.0/16"))
    proxy = app.server.test_client()
    proxy.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert proxy.get("/_dash-layout", headers={"X-Forwarded-Email": "Cora@Example.com"}).status_code == 200
    assert proxy.get("/_dash-layout").status_code == 200  # the session it opened stays
    intruder = app.server.test_client()
    intruder.environ_base["REMOTE_ADDR"] = "192.168.9.9"
    assert intruder.get("/_dash-layout", headers={"X-Forwarded-Email": "ada@example.com"}).status_code == 401
    assert proxy.get("/_dash-layout", headers={"X-Forwarded-Email": "nobody@example.com"}).status_code == 403
    assert proxy.get("/_dash-layout", headers={"X-Forwarded-Email": "del@example.com"}).status_code == 403
    assert [a[:2] for a in audit(app)] == [("sign_in", "cora@example.com"), ("sign_in_failed", "nobody@example.com"),
                                           ("sign_in_failed", "del@example.com")]


def test_trusted_header_is_off_by_default(app):
    client = app.server.test_client()
    assert client.get("/_dash-layout", headers={"X-Forwarded-Email": "ada@example.com"}).status_code == 401


def _sessions_csv_ids(client) -> list[str]:
    lines = client.get("/download/sessions.csv").get_data(as_text=True).splitlines()[1:]
    return [line.split(",")[0] for line in lines]


def test_owner_views_as_a_coach_and_stops(app):
    owner = signed_in_client(app)
    assert _sessions_csv_ids(owner) == ["s2", "s1"]
    go = dash_call(owner, app, Shell.RELOAD, {f"{VA.GO}.n_clicks": 1}, {f"{VA.PICK}.value": "u2"})
    assert go.get_json()["response"][Shell.RELOAD] == {"data": "/"}
    layout = owner.get("/_dash-layout").get_data(as_text=True)
    assert "You are viewing LearnPulse as " in layout and "Cora Coach" in layout
    assert _sessions_csv_ids(owner) == ["s1"]  # exactly what Cora gets
    stop = dash_call(owner, app, Shell.RELOAD, {f"{Shell.STOP_VIEW_AS}.n_clicks": 1})
    assert stop.status_code == 200
    assert _sessions_csv_ids(owner) == ["s2", "s1"]
    assert [a[0] for a in audit(app)][-2:] == ["view_as", "view_as_stop"]


def test_owner_views_as_from_a_users_page(app):
    owner = signed_in_client(app)
    assert "View as" in page_content(owner, app, "/users/u2")
    assert '"id": "user-view-as"' not in json.dumps(json.loads(page_content(owner, app, "/users/u1")))  # oneself
    go = dash_call(owner, app, Shell.RELOAD, {f"{UserPage.VIEW_AS}.n_clicks": 1}, {f"{UserPage.ID}.data": "u2"})
    assert go.get_json()["response"][Shell.RELOAD] == {"data": "/"}
    assert _sessions_csv_ids(owner) == ["s1"]


def test_only_owners_may_view_as(app):
    coach = signed_in_client(app, "cora@example.com")
    assert "user-view-as" not in page_content(coach, app, "/users/u3")
    dash_call(coach, app, Shell.RELOAD, {f"{VA.GO}.n_clicks": 1}, {f"{VA.PICK}.value": "u1"})
    dash_call(coach, app, Shell.RELOAD, {f"{UserPage.VIEW_AS}.n_clicks": 1}, {f"{UserPage.ID}.data": "u1"})
    assert _sessions_csv_ids(coach) == ["s1"]
    assert "You are viewing" not in coach.get("/_dash-layout").get_data(as_text=True)
    assert "view_as" not in [a[0] for a in audit(app)]


def test_security_headers(app):
    client = signed_in_client(app)
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    script_src = next(p for p in csp.split("; ") if p.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'sha256-" in script_src
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    csv = client.get("/download/sessions.csv")
    assert csv.headers["Cache-Control"] == "no-store"
    assert client.get("/login").headers["Content-Security-Policy"] == csp


NAV_LINKS = re.compile(r'"href":\s*"(/[a-z-]*)"')


def _nav(client) -> list[str]:
    layout = client.get("/_dash-layout").get_json()
    nav = _find(layout, Shell.NAV)
    return NAV_LINKS.findall(str(nav).replace("'", '"'))


def _find(node, ident):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == ident:
            return node
        for value in node.values():
            found = _find(value, ident)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find(value, ident)
            if found is not None:
                return found
    return None


def test_navigation_shows_only_the_viewers_sections(app):
    everything = ["/", "/participants", "/at-risk", "/sessions", "/groups", "/users", "/collaboration"]
    assert _nav(signed_in_client(app)) == everything
    assert _nav(signed_in_client(app, "cora@example.com")) == everything
    assert _nav(signed_in_client(app, "ivo@example.com")) == ["/", "/participants", "/at-risk", "/sessions"]
    assert _nav(signed_in_client(app, "lea@example.com")) == []


def test_a_learner_sees_their_own_page_and_no_section(app):
    learner = signed_in_client(app, "lea@example.com")
    home = json.loads(page_content(learner, app, "/"))["response"]["_pages_content"]
    own = json.loads(page_content(learner, app, "/users/u3"))["response"]["_pages_content"]
    assert home == own and '"data": "u3"' in json.dumps(home)
    assert "There is nothing at this address for you" in page_content(learner, app, "/users")
    assert "Leo Learner" not in page_content(learner, app, "/users/u4")
    for path in ("/participants", "/at-risk", "/sessions", "/sessions/s1", "/groups"):
        assert "There is nothing at this address for you" in page_content(learner, app, path)
    assert learner.get("/download/sessions.csv").get_data(as_text=True).splitlines()[1:] == []
