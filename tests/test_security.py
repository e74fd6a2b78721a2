"""What an attacker tried against a running server, on SQLite and PostgreSQL, through real HTTP requests:
`next` may only lead to a path of this site; sign-in sessions live on the server, so a cookie copied before
signing out (or before a new password, a deletion, "sign out everywhere") opens nothing afterwards; the
section of a page comes from its path, never its query string; a stranger learns no software version and
unknown addresses answer a plain 404; only failed one-time links count against an address.

Fixture bundle (tests/fixture_bundle.py): Ada (u1) owner; Cora (u2) coach; Lea (u3) and Leo (u4) learners;
Del (u6) deleted.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from flask_login.utils import encode_cookie
from sqlalchemy import select, update
from werkzeug.serving import make_server

from dashboard import security, signin
from dashboard.core import auth, signin_sessions
from data_access import accounts, schema
from data_access.importer import import_bundle
from tests.cli import run_on as run
from tests.signing import page_content, sign_in_path, signed_in_client
from tests.test_signin import NOW, PASSWORD, audit, csrf, make_app, post_login, set_password

EVIL = "evil.example"
# every known way to turn "a path of this site" into another site (or a script) once a browser reads it
OPEN_REDIRECTS = [
    f"//{EVIL}", f"/\\{EVIL}", f"\\\\{EVIL}", f"\\/{EVIL}", f"%2F%2F{EVIL}", f"/%2F{EVIL}", f"/%09/{EVIL}",
    f"/\t/{EVIL}", f"/\r/{EVIL}", f"/\n/{EVIL}", f"\t//{EVIL}", f"/\t\r\n/{EVIL}", f" //{EVIL}", f"/\x00/{EVIL}",
    f"/%0d%0a/{EVIL}", f"/%5C{EVIL}", f"/%5c{EVIL}", f"%5C%5C{EVIL}", f"///{EVIL}", f"////{EVIL}",
    f"/%252F{EVIL}", f"/%25252F{EVIL}", f"%252F%252F{EVIL}", f"/%2509/{EVIL}", f"/%25%30%39/{EVIL}",
    f"/\u200b/{EVIL}", f"/\u3000/{EVIL}", f"/\ufeff/{EVIL}",
    "javascript:alert(1)", "JavaScript:alert(1)", "java\tscript:alert(1)", "%6A%61vascript:alert(1)",
    f"https:{EVIL}", f"https://{EVIL}/", f"http:/{EVIL}", "data:text/html,<script>alert(1)</script>",
    f"{EVIL}", f"@{EVIL}",
]
# paths of this site, kept as asked
SITE_PATHS = ["/sessions?status=all", "/participants?session=s1&bucket=8-14", "/users/u3", "/groups#top", "/"]


@pytest.fixture
def app(loaded, tmp_path):
    return make_app(loaded, tmp_path)


def engine_of(app):
    return app.server.extensions["learnpulse"].engine


def copy_cookies(app, source, names=("learnpulse_session", "learnpulse_remember")):
    """A new client (another browser, or an attacker) holding the cookies `source` has now."""
    other = app.server.test_client()
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            other.set_cookie(name, cookie.value)
    return other


def signed_in(client) -> bool:
    """Whether this client's cookies open the app (a Dash layout request: 200 signed in, 401 not)."""
    status = client.get("/_dash-layout").status_code
    assert status in (200, 401)
    return status == 200


def assert_refused(client, app):
    """A replayed cookie: pages send to the sign-in page, callbacks and downloads answer 401."""
    page = client.get("/participants")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=")
    assert client.get("/_dash-layout").status_code == 401
    assert client.post("/_dash-update-component", json={}).status_code == 401
    assert client.get("/download/sessions.csv").status_code == 401


def sign_out(client, everywhere: bool = False):
    form = {"csrf_token": csrf(client, "/logout" + ("?everywhere=1" if everywhere else ""))}
    if everywhere:
        form["everywhere"] = "1"
    return client.post("/logout", data=form)


def sessions_of(app, user_id: str) -> list:
    s = schema.signin_sessions
    with engine_of(app).connect() as conn:
        return conn.execute(select(s).where(s.c.user_id == user_id)).mappings().all()


# --- next: a path of this site only ---------------------------------------------------------------------------


def test_safe_next_keeps_only_paths_of_this_site():
    for target in OPEN_REDIRECTS:
        assert auth.safe_next(target) == "/", repr(target)
    for target in SITE_PATHS:
        assert auth.safe_next(target) == target
    assert auth.safe_next("/users/\u00e9") == "/users/%C3%A9"  # nothing but ASCII in a Location header
    for odd in (None, "", ["/x"], {"a": 1}, 7, "/" + "a" * 3000):
        assert auth.safe_next(odd) == "/"


def test_next_never_leaves_the_site_signed_in_or_signing_in(app):
    set_password(app, "cora@example.com")
    signed = app.server.test_client()
    assert post_login(signed, "cora@example.com", PASSWORD).status_code == 302
    for target in OPEN_REDIRECTS:
        # signed in: GET /login?next=… and a sign-in form posted with that next (another tab)
        got = signed.get("/login", query_string={"next": target})
        assert (got.status_code, got.headers["Location"]) == (302, "/"), repr(target)
        form = {"email": "cora@example.com", "password": PASSWORD, "csrf_token": csrf(signed, "/logout"),
                "next": target}
        posted = signed.post("/login", data=form)
        assert (posted.status_code, posted.headers["Location"]) == (302, "/"), repr(target)
        # signing in: the form keeps no dangerous next, and a posted one is not followed either
        stranger = app.server.test_client()
        form = stranger.get("/login", query_string={"next": target}).get_data(as_text=True)
        assert 'name="next" value="/"' in form, repr(target)
        posted = post_login(stranger, "cora@example.com", PASSWORD, next=target)
        assert (posted.status_code, posted.headers["Location"]) == (302, "/"), repr(target)
    for target in SITE_PATHS:
        assert signed.get("/login", query_string={"next": target}).headers["Location"] == target
        stranger = app.server.test_client()
        assert post_login(stranger, "cora@example.com", PASSWORD, next=target).headers["Location"] == target


def test_the_sign_in_redirect_keeps_the_page_asked_for(app):
    client = app.server.test_client()
    asked = client.get("/users/a%20b", query_string={"tab": "x y"})
    assert asked.headers["Location"] == "/login?next=%2Fusers%2Fa%2520b%3Ftab%3Dx%2By"
    set_password(app, "ada@example.com")
    form = client.get(asked.headers["Location"]).get_data(as_text=True)
    next_value = re.search(r'name="next" value="([^"]*)"', form).group(1)
    signed = post_login(client, "ada@example.com", PASSWORD, next=next_value)
    assert signed.headers["Location"] == "/users/a%20b?tab=x+y"


# --- sign-in sessions live on the server -----------------------------------------------------------------------


def test_signing_out_ends_the_session_and_its_remember_cookie(app):
    set_password(app, "cora@example.com")
    client = app.server.test_client()
    post_login(client, "cora@example.com", PASSWORD, remember="1")
    session_copy = copy_cookies(app, client, names=("learnpulse_session",))
    remember_copy = copy_cookies(app, client, names=("learnpulse_remember",))
    assert signed_in(session_copy) and signed_in(remember_copy)  # each cookie alone opens the app
    [row] = sessions_of(app, "u2")
    session_id, token = client.get_cookie("learnpulse_remember").value.split(".")
    assert row["session_hash"] == hashlib.sha256(session_id.encode()).hexdigest()
    assert row["remember_hash"] == hashlib.sha256(token.encode()).hexdigest()  # only hashes are stored
    assert row["expires_at"] - row["created_at"] == 30 * 86_400

    out = sign_out(client)
    assert out.status_code == 200 and "You are signed out." in out.get_data(as_text=True)
    assert client.get_cookie("learnpulse_remember") is None
    assert sessions_of(app, "u2") == []
    for replayed in (client, session_copy, remember_copy, copy_cookies(app, remember_copy)):
        assert_refused(replayed, app)
    assert audit(app)[-1] == ("sign_out", "cora@example.com", None)


def test_sign_out_is_a_post_with_the_csrf_token(app):
    client = signed_in_client(app, "cora@example.com")
    asked = client.get("/logout")  # what an <img src=/logout> on another site does
    assert asked.status_code == 200 and 'action="/logout"' in asked.get_data(as_text=True)
    assert signed_in(client)
    forged = client.post("/logout", data={})  # a form on another site has no token
    assert forged.status_code == 400 and "The form expired" in forged.get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": "made-up"}).status_code == 400
    assert signed_in(client)
    assert sign_out(client).status_code == 200
    assert not signed_in(client)
    assert client.get("/logout").headers["Location"] == "/login"  # nothing to sign out of


def test_sign_out_everywhere_ends_every_session_of_that_person_only(app):
    set_password(app, "cora@example.com")
    laptop, phone = app.server.test_client(), app.server.test_client()
    post_login(laptop, "cora@example.com", PASSWORD)
    post_login(phone, "cora@example.com", PASSWORD, remember="1")
    phone_remember = copy_cookies(app, phone, names=("learnpulse_remember",))
    other = signed_in_client(app, "ada@example.com")
    assert len(sessions_of(app, "u2")) == 2
    page = laptop.get("/logout?everywhere=1").get_data(as_text=True)
    assert "Sign out everywhere" in page and 'name="everywhere" value="1"' in page
    done = sign_out(laptop, everywhere=True)
    assert "You are signed out everywhere." in done.get_data(as_text=True)
    for replayed in (laptop, phone, phone_remember):
        assert_refused(replayed, app)
    assert signed_in(other) and sessions_of(app, "u2") == []
    assert audit(app)[-1] == ("sign_out", "cora@example.com", "everywhere")


def test_the_account_menu_offers_sign_out_everywhere(app):
    layout = json.dumps(signed_in_client(app, "cora@example.com").get("/_dash-layout").get_json())
    assert '"children": "Sign out everywhere", "href": "/logout?everywhere=1"' in layout


def test_a_new_password_by_invitation_ends_every_other_session(app):
    elsewhere = signed_in_client(app, "lea@example.com")
    with engine_of(app).begin() as conn:
        token = accounts.issue_token(conn, "u3", accounts.INVITE, NOW.now(tz=NOW.tzinfo), 7 * 86_400)
    client = app.server.test_client()
    form = {"password": PASSWORD, "confirm": PASSWORD, "csrf_token": csrf(client, f"/invite/{token}")}
    assert client.post(f"/invite/{token}", data=form).status_code == 302
    assert signed_in(client)  # the browser that chose it is signed in
    assert_refused(elsewhere, app)
    assert len(sessions_of(app, "u3")) == 1


def test_set_password_on_the_command_line_ends_every_session(app):
    client = signed_in_client(app, "cora@example.com")
    remembered = copy_cookies(app, client, names=("learnpulse_remember",))  # a one-time link keeps signed in
    assert signed_in(remembered)
    url = engine_of(app).url.render_as_string(hide_password=False)
    result = run(["user", "set-password", "cora@example.com"], url, input=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "password set for cora@example.com; signed out of 1 sign-in session(s)"
    time.sleep(signin_sessions.CHECK_TTL_S + 0.1)  # another process: within the bound
    assert_refused(client, app)
    assert_refused(remembered, app)


def test_an_import_that_deletes_someone_ends_their_sign_in_sessions(app, tmp_path):
    leo = signed_in_client(app, "leo@example.com")
    lea = signed_in_client(app, "lea@example.com")
    delta = tmp_path / "delta"
    delta.mkdir()
    (delta / "users.csv").write_text(
        "user_id,first_name,last_name,email,title,additional_info,registered_at,invited_by,deleted_at,"
        "auto_deletion_at\nu4,Leo,Learner,LEO@example.com,,,2025-02-01T09:00:00+02:00,u1,2026-06-15T10:00:00Z,\n")
    import_bundle(engine_of(app), delta)
    assert sessions_of(app, "u4") == [] and len(sessions_of(app, "u3")) == 1
    time.sleep(1.1)
    assert_refused(leo, app)
    assert signed_in(lea)


def test_revocation_reaches_every_process_within_the_bound(loaded, tmp_path):
    """Two app processes on one database (the signing key is shared through it): a sign-out in one is refused
    by the other within CHECK_TTL_S."""
    first, second = make_app(loaded, tmp_path), make_app(loaded, tmp_path)
    client = signed_in_client(first, "cora@example.com")
    there = copy_cookies(second, client)
    assert signed_in(there)
    assert sign_out(client).status_code == 200
    assert not signed_in(copy_cookies(first, there))  # at once in the process that signed out
    time.sleep(signin_sessions.CHECK_TTL_S + 0.1)
    assert_refused(there, second)


def test_expired_sessions_and_old_style_cookies_open_nothing(app):
    client = signed_in_client(app, "cora@example.com")
    remembered = copy_cookies(app, client, names=("learnpulse_remember",))
    session_id = client.get_cookie("learnpulse_remember").value.split(".")[0]
    s = schema.signin_sessions
    with engine_of(app).begin() as conn:
        conn.execute(update(s).where(s.c.user_id == "u2").values(expires_at=int(time.time()) - 1))
    time.sleep(signin_sessions.CHECK_TTL_S + 0.1)
    assert_refused(client, app)
    assert_refused(remembered, app)
    # the former "keep me signed in" cookie (user id + HMAC, nothing on the server) is not honoured
    legacy = app.server.test_client()
    with app.server.test_request_context():
        legacy.set_cookie("learnpulse_remember", encode_cookie("u1"))
    assert_refused(legacy, app)
    # a token that does not match its session's
    with engine_of(app).begin() as conn:
        conn.execute(update(s).where(s.c.user_id == "u2").values(expires_at=int(time.time()) + 3600))
    forged = app.server.test_client()
    forged.set_cookie("learnpulse_remember", f"{session_id}.not-the-token")
    assert_refused(forged, app)


# --- the section comes from the path --------------------------------------------------------------------------


NOT_FOUND = "There is nothing at this address for you"


def test_a_query_string_never_opens_a_section(app):
    learner = signed_in_client(app, "lea@example.com")
    for path, search in [("/users", "?user_id=u3"), ("/users/u4", "?user_id=u3"), ("/participants", "?user_id=u3"),
                         ("/groups", "?group_id=g2&user_id=u3")]:
        assert NOT_FOUND in page_content(learner, app, path, search), (path, search)
    assert NOT_FOUND not in page_content(learner, app, "/users/u3", "?user_id=u4")  # their own page stays theirs
    own = page_content(learner, app, "/users/u3", "?user_id=u4")
    assert "Lea" in own and "Leo Learner" not in own
    coach = signed_in_client(app, "cora@example.com")
    shown = page_content(coach, app, "/users/u4", "?user_id=u3")  # the path names whom the page is about
    assert "Leo" in shown and "Lea Learner" not in shown


# --- what the server tells strangers --------------------------------------------------------------------------


VERSIONS = re.compile(r"dash_version|python_version|plotly_version|werkzeug|gunicorn|waitress|python/\d",
                      re.IGNORECASE)
HEADER_VERSION = re.compile(r"\d+\.\d+")


def test_unknown_addresses_answer_a_plain_404(app):
    stranger = app.server.test_client()
    for path in ("/login/x", "/loginx", "/login/token/", "/login/token/a/b", "/invite/", "/invite/a/b",
                 "/xapi/", "/xapi/nothing", "/xapi/statements/x/y", "/logout/x", "/logoutx"):
        got = stranger.get(path)
        body = got.get_data(as_text=True)
        # under /xapi/ an LRS client reads a JSON error (xAPI's request rules); elsewhere a plain text one
        mimetype = "application/json" if path.startswith("/xapi/") else "text/plain"
        assert got.status_code == 404 and "_dash-config" not in body and got.mimetype == mimetype, path
    owner = signed_in_client(app)
    for path in ("/nothing-here", "/login/x", "/_dash-nothing", "/assets/nothing.css"):
        assert owner.get(path).status_code == 404, path
    for path in ("/", "/participants", "/users/u3", "/sessions/zz-missing"):  # pages (the last: a missing id)
        assert owner.get(path).status_code == 200, path


def test_a_stranger_learns_no_version(app):
    stranger = app.server.test_client()
    rules = sorted({re.sub(r"<[^>]+>", "x", r.rule) for r in app.server.url_map.iter_rules()})
    for path in rules + ["/", "/login", "/login?next=/x", "/participants", "/assets/10_learnpulse.css"]:
        for method in ("GET", "POST"):
            got = stranger.open(path, method=method)
            assert got.status_code != 500, (method, path)
            assert not VERSIONS.search(got.get_data().decode("utf-8", "replace")), (method, path)
            for name, value in got.headers.items():
                if name.lower() not in ("content-length", "content-security-policy", "date", "expires",
                                        "set-cookie", "last-modified", "etag", "location",
                                        "x-experience-api-version"):  # the xAPI protocol's, not software
                    assert not HEADER_VERSION.search(value), (method, path, name, value)
            assert got.headers.get("Server") == "LearnPulse", (method, path)
    # signed in, the page config names no version either
    index = signed_in_client(app).get("/").get_data(as_text=True)
    assert "_dash-config" in index and not VERSIONS.search(index.split("_dash-config")[1].split("</script>")[0])


def test_the_server_header_of_learnpulse_serve_names_no_version(app):
    """`learnpulse serve` runs werkzeug's server with security.QuietRequestHandler."""
    srv = make_server("127.0.0.1", 0, app.server, threaded=True, request_handler=security.QuietRequestHandler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{srv.server_port}"
        for path in ("/login", "/participants", "/nothing", "/xapi/nothing"):
            try:
                headers = urllib.request.urlopen(base + path).headers  # noqa: S310 - our own test server
            except urllib.error.HTTPError as exc:
                headers = exc.headers
            assert headers.get_all("Server") == ["LearnPulse"], path
            assert sys.version.split()[0] not in str(headers)
    finally:
        srv.shutdown()


# --- a classroom behind one address ---------------------------------------------------------------------------


def test_forty_good_links_from_one_address_all_work_and_failures_still_count(app):
    engine = engine_of(app)
    classroom = [app.server.test_client() for _ in range(40)]
    for client in classroom:
        assert client.get(sign_in_path(engine, "lea@example.com")).status_code == 302
    with engine.begin() as conn:
        invitations = [accounts.issue_token(conn, "u4", accounts.INVITE, NOW.now(tz=NOW.tzinfo), 86_400)
                       for _ in range(40)]
    for client, token in zip(classroom, invitations, strict=True):
        assert client.get(f"/invite/{token}").status_code == 200
    limit = int(signin.PER_ADDRESS.split()[0])
    for n in range(limit):  # unknown, used or expired links count
        assert classroom[0].get(f"/login/token/unknown-{n}").status_code == 403
        assert classroom[0].get(f"/invite/unknown-{n}").status_code == 403
    assert classroom[1].get(sign_in_path(engine, "lea@example.com")).status_code == 429
    assert classroom[1].get(f"/invite/{invitations[0]}").status_code == 429
    elsewhere = app.server.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert elsewhere.get(sign_in_path(engine, "lea@example.com")).status_code == 302
