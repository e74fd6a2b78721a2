"""Who is viewing. Every request except a few public routes needs a signed-in user: a Flask-Login session
whose sign-in session (dashboard.signin_sessions) is still current on the server; an owner may view the app
as someone else. The viewer is resolved once per request (flask.g) and every page, callback and download
computes with `viewer_scope()`.

Unauthenticated: pages redirect to /login?next=…; Dash callbacks, layout requests and downloads answer
401. With LEARNPULSE_TRUSTED_HEADER set, a request from a trusted proxy address carrying that header
signs in the user it names (single sign-on done by the proxy).

Which pages a signed-in viewer may open is the page map's (dashboard.pages: `Viewer.sections`); the router
(dashboard.router) answers a page outside them as one that does not exist.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlencode, urlsplit

import flask
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from dashboard import pages, services, signin_sessions
from data_access import accounts
from data_access.accounts import Account
from data_access.scope import Scope

log = logging.getLogger(__name__)

LOGIN_PATH = "/login"
# reachable without signing in: the sign-in pages, the CSS they use, the xAPI endpoint (its own HTTP Basic), the
# weekly digest's one-click unsubscribe (its own signed token)
PUBLIC_PREFIXES = ("/login", "/logout", "/invite/", "/assets/", "/_favicon.ico", "/xapi/", "/digest/unsubscribe/")
# answered with 401 rather than a redirect: what scripts and downloads ask for
API_PREFIXES = ("/_dash-", "/_reload-hash", "/download/")
VIEW_AS = "view_as"  # session key: the user an owner is viewing the app as


class SignedIn(UserMixin):
    """The Flask-Login user: an account that may sign in (exists, not deleted)."""

    def __init__(self, acct: Account):
        self.account = acct

    def get_id(self) -> str:
        return self.account.user_id


@dataclass(frozen=True)
class Viewer:
    """Who signed in (`account`) and whom the app computes for (`acting`: the same, or a view-as target)."""
    account: Account
    acting: Account

    @property
    def viewing_as(self) -> bool:
        return self.acting.user_id != self.account.user_id

    @property
    def scope(self) -> Scope:
        return self.acting.scope

    @property
    def sections(self) -> frozenset[str]:
        """The sections of the app (dashboard.pages) this viewer may open."""
        return pages.sections(self.scope)


def load_account(user_id: str | None) -> Account | None:
    """A current (not deleted) account, cached per data version: an import that deletes a user makes their
    next request anonymous."""
    if not user_id:
        return None
    svc = services.current()
    acct = svc.queries.run(accounts.account, Scope.owner(), svc.now(), user_id=user_id)
    return None if acct is None or acct.deleted else acct


def current_viewer() -> Viewer | None:
    return flask.g.get("viewer")


MEETING_SAFE = "meeting_safe"  # flask.g: the signed-in person's meeting-safe setting, read once per request


def meeting_safe() -> bool:
    """Whether the signed-in person (not a view-as target: the one in front of the screen) has switched the
    meeting-safe mode on. Kept in the database (user_preferences), so it follows them across browsers and
    sign-ins; read at most once per request (and once a second per process, dashboard.pseudonyms)."""
    if not flask.has_request_context():
        return False
    if MEETING_SAFE in flask.g:
        return flask.g.get(MEETING_SAFE)
    viewer = current_viewer()
    if viewer is None:
        return False
    on = services.current().pseudonyms.switch_of(viewer.account.user_id)
    setattr(flask.g, MEETING_SAFE, on)
    return on


def set_meeting_safe(on: bool) -> None:
    viewer = current_viewer()
    if viewer is None:
        return
    svc = services.current()
    svc.pseudonyms.set_switch(viewer.account.user_id, on, svc.clock())
    setattr(flask.g, MEETING_SAFE, bool(on))


def viewer_scope() -> Scope:
    """The scope of the viewer of the current request (every page, callback and download uses it)."""
    viewer = current_viewer()
    if viewer is None:  # the guard runs before every non-public route, so this is a programming error
        raise RuntimeError("no signed-in viewer for this request")
    return viewer.scope


PROXY_NETWORKS = "LEARNPULSE_TRUSTED_NETWORKS"  # app config: the parsed LEARNPULSE_TRUSTED_PROXIES


def address() -> str:
    """The client's address: the connecting one or, when that is a trusted proxy, the address the proxy appended
    to X-Forwarded-For (the rightmost entry: those before it are whatever the client claimed). Behind a reverse
    proxy every request connects from the proxy, and the sign-in throttle must not count everyone as one."""
    addr = flask.request.remote_addr or "-"
    forwarded = flask.request.headers.get("X-Forwarded-For", "")
    if forwarded and _trusted(addr, flask.current_app.config.get(PROXY_NETWORKS, ())):
        return forwarded.rsplit(",", 1)[-1].strip() or addr
    return addr


def audit(event: str, **fields) -> None:
    """Write an audit row (its own short transaction) and the log line; never breaks the request."""
    svc = services.current()
    try:
        with svc.engine.begin() as conn:
            accounts.record(conn, svc.clock(), event, address=address(), **fields)
    except Exception:  # noqa: BLE001 - auditing must not turn a sign-in into an error page
        log.exception("could not write the audit row for %s", event)


def sign_in(acct: Account, remember: bool = False, how: str = "password") -> None:
    """Start a sign-in session for `acct` in this browser (ending the one it had, if any)."""
    store = signin_sessions.store()
    store.end(signin_sessions.current_id())
    flask.session.pop(VIEW_AS, None)
    session_id, token = store.start(acct.user_id, services.current().clock(), remember)
    flask.session[signin_sessions.SESSION_KEY] = session_id
    login_user(SignedIn(acct), remember=False)
    if token:
        signin_sessions.set_remember_cookie(session_id, token)
    else:
        signin_sessions.clear_remember_cookie()
    audit("sign_in", user_id=acct.user_id, email=acct.email, detail=how)


def sign_out(everywhere: bool = False) -> None:
    """End this browser's sign-in session (with its "keep me signed in" cookie), or every one of the person."""
    store = signin_sessions.store()
    if current_user.is_authenticated:
        user_id = current_user.account.user_id
        if everywhere:
            store.end_all(user_id)
        audit("sign_out", user_id=user_id, detail="everywhere" if everywhere else None)
    store.end(signin_sessions.current_id())
    logout_user()
    flask.session.clear()
    signin_sessions.clear_remember_cookie()


def end_every_session(user_id: str) -> None:
    """Sign someone out everywhere (their password changed)."""
    signin_sessions.store().end_all(user_id)


def start_view_as(target_id: str) -> Account | None:
    """Owners only: compute as `target_id` from the next request on (None: not allowed or no such user)."""
    viewer = current_viewer()
    target = load_account(target_id)
    if viewer is None or not viewer.account.scope.is_owner or target is None:
        return None
    flask.session[VIEW_AS] = target.user_id
    audit("view_as", user_id=viewer.account.user_id, subject_id=target.user_id)
    return target


def stop_view_as() -> None:
    viewer = current_viewer()
    if flask.session.pop(VIEW_AS, None) and viewer is not None:
        audit("view_as_stop", user_id=viewer.account.user_id, subject_id=viewer.acting.user_id)


# what `next` loses before it is judged: control and format characters (tab, CR, LF, NUL, zero-width…) and
# whitespace, which browsers drop or that hide a second slash
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\xa0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]")
_DECODE_ROUNDS = 4  # percent-decoded this many times at most; still changing after that: refused
_LOCATION_SAFE = "/?#[]@!$&'()*+,;=:%~-._"  # kept as is in the Location header; anything else is percent-encoded


def _site_path(value: str) -> bool:
    """A path of this site: one leading slash, no backslash, no scheme and no host once parsed."""
    if not value.startswith("/") or value[1:2] in ("/", "\\") or "\\" in value:
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc


def safe_next(target) -> str:
    """Where to go after signing in: `target` when it is a path of this site, else "/". Control characters and
    whitespace are removed, then every percent-decoded form must be a path of this site too (`/%09/x`,
    `/%252F/x` and the like are refused). The answer is safe to write in a Location header."""
    if not isinstance(target, str) or not target or len(target) > 2000:
        return "/"
    cleaned = _INVISIBLE.sub("", target)
    value = cleaned
    for _ in range(_DECODE_ROUNDS + 1):
        if not _site_path(value):
            return "/"
        decoded = _INVISIBLE.sub("", unquote(value))
        if decoded == value:
            return quote(cleaned, safe=_LOCATION_SAFE)
        value = decoded
    return "/"


def _is_public(path: str) -> bool:
    return any(path == p or path.startswith(p) for p in PUBLIC_PREFIXES)


def _trusted(addr: str | None, networks) -> bool:
    try:
        ip = ipaddress.ip_address(addr or "")
    except ValueError:
        return False
    return any(ip in net for net in networks)


def _trusted_header_sign_in(settings, networks):
    """Single sign-on by a proxy: sign in (or switch to) the user its header names. Returns a response to
    send instead of the page when the header names nobody who may sign in."""
    email = flask.request.headers.get(settings.trusted_header, "").strip()
    if not email:
        return None
    if not _trusted(flask.request.remote_addr, networks):
        log.warning("ignored %s from untrusted address %s", settings.trusted_header, address())
        return None
    if current_user.is_authenticated and current_user.account.email.lower() == email.lower():
        return None
    svc = services.current()
    with svc.engine.connect() as conn:
        row = accounts.user_by_email(conn, email)
    acct = load_account(row.user_id) if row is not None else None
    if acct is None:
        audit("sign_in_failed", email=email, detail="trusted header: no current user with this email")
        return flask.Response(f"There is no LearnPulse account for {email}.", 403, mimetype="text/plain")
    sign_in(acct, how="trusted header")
    return None


def _refuse():
    path = flask.request.path
    if path.startswith(API_PREFIXES) or flask.request.method != "GET":
        return flask.Response("Sign in first: this needs a signed-in user.", 401, mimetype="text/plain")
    query = flask.request.query_string.decode("utf-8", "replace")
    here = quote(flask.request.path, safe=_LOCATION_SAFE) + (f"?{query}" if query else "")
    return flask.redirect(f"{LOGIN_PATH}?{urlencode({'next': here})}")


def _guard(settings, networks):
    if _is_public(flask.request.path):
        return None
    if settings.trusted_header:
        refused = _trusted_header_sign_in(settings, networks)
        if refused is not None:
            return refused
    if not current_user.is_authenticated:
        return _refuse()
    acct = current_user.account
    acting = acct
    target = flask.session.get(VIEW_AS)
    if target:
        acting = load_account(target) if acct.scope.is_owner else None
        if acting is None:  # no longer allowed, or the target was deleted by an import
            flask.session.pop(VIEW_AS, None)
            acting = acct
    flask.g.viewer = Viewer(acct, acting)
    return None


def register(server: flask.Flask, settings) -> LoginManager:
    """Flask-Login on the server, and the guard in front of every route."""
    manager = LoginManager()
    manager.session_protection = "basic"
    manager.init_app(server)
    signin_sessions.register(server, server.extensions[services.EXTENSION].engine)

    @manager.user_loader
    def _load(user_id: str):
        # the session cookie names a person only together with a current sign-in session of theirs
        found = signin_sessions.store().lookup(signin_sessions.current_id())
        if found is None or found.user_id != user_id:
            return None
        acct = load_account(user_id)
        return SignedIn(acct) if acct is not None else None

    @manager.request_loader
    def _load_remembered(_request):
        """No signed-in session in the cookie: "keep me signed in" resumes the sign-in session it belongs to."""
        if signin_sessions.REMEMBER_COOKIE not in flask.request.cookies:
            return None
        pair = signin_sessions.remember_cookie()
        found = signin_sessions.store().lookup(pair[0]) if pair else None
        acct = load_account(found.user_id) if accounts.remember_token_ok(found, pair and pair[1]) else None
        if acct is None:
            signin_sessions.clear_remember_cookie()
            return None
        flask.session.pop(VIEW_AS, None)
        flask.session[signin_sessions.SESSION_KEY] = pair[0]
        user = SignedIn(acct)
        login_user(user, remember=False, fresh=False)
        return user

    networks = [ipaddress.ip_network(n.strip(), strict=False) for n in settings.trusted_proxies if n.strip()]
    server.config[PROXY_NETWORKS] = networks
    server.before_request(lambda: _guard(settings, networks))
    return manager
