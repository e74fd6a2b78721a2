"""HTTP hardening: session cookies (HttpOnly, SameSite=Lax, Secure when configured), a strict
Content-Security-Policy whose script hashes come from Dash (`app.csp_hashes()`: no unsafe-inline scripts),
no framing, no sniffing, nothing cached from a signed-in response, no software version in any header or page,
and a plain 404 for every address that is neither a route of the server nor a page of the app."""

from __future__ import annotations

import flask
from dash import Dash
from dash._pages import _path_to_page  # the page router's own lookup of an address
from werkzeug.serving import WSGIRequestHandler

SERVER = "LearnPulse"  # the Server header, in place of the WSGI server's name and version
# what Dash's page config would tell every visitor (its debug tools alone read them)
VERSION_KEYS = ("dash_version", "python_version", "dash_version_url", "ddk_version", "plotly_version")


class QuietDash(Dash):
    """Dash whose page config (`_dash-config` in the index page) names no Python, Dash or Plotly version."""

    def _config(self):
        config = super()._config()
        for key in VERSION_KEYS:
            config.pop(key, None)
        return config


def configure_cookies(server: flask.Flask, secure: bool) -> None:
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_NAME="learnpulse_session",
        # Flask-Login's own remember cookie (user id + HMAC, nothing on the server) is never set: "keep me signed
        # in" is a sign-in session's token (dashboard.core.signin_sessions); this name only keeps Flask-Login from
        # reading any other cookie
        REMEMBER_COOKIE_NAME="learnpulse_flask_login_unused", REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax", REMEMBER_COOKIE_SECURE=secure,
    )


def content_security_policy(app: Dash) -> str:
    """Scripts only from this server or Dash's own inline scripts (by hash); styles may be inline (Plotly and
    the grid set style attributes); nothing from another host, no plugins, no framing."""
    scripts = " ".join(["'self'", *app.csp_hashes()])
    return "; ".join([
        "default-src 'self'", f"script-src {scripts}", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'", "object-src 'none'",
        "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
    ])


class QuietRequestHandler(WSGIRequestHandler):
    """werkzeug's server (`learnpulse serve`) without the "Server: Werkzeug/… Python/…" it writes before the
    response's own headers: the app's Server header (SERVER) is the only one."""

    def send_response(self, code, message=None):
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())


def is_page(app: Dash, path: str) -> bool:
    """Whether the page router has a page at `path` (the index "/" included)."""
    stripped = app.strip_relative_path(path) or ""
    return not stripped or bool(_path_to_page(stripped)[0])


def refuse_unknown_paths(app: Dash) -> None:
    """Dash serves its index page at every address its own routes do not take (the catch-all): an address that
    is no page of the app answers a plain 404 instead (under /login, /invite/, /xapi/ and everywhere else).
    Runs after the sign-in guard, so a stranger is still sent to sign in first from addresses that need it."""
    catch_all = {app.config.routes_pathname_prefix + "<path:path>"}

    @app.server.before_request
    def _not_found():
        rule = flask.request.url_rule
        if rule is not None and rule.rule in catch_all and not is_page(app, flask.request.path):
            return flask.Response("Not found.", 404, mimetype="text/plain")
        return None


def register(app: Dash) -> None:
    """The policy is built after the first request has been prepared: Dash registers the pages' inline
    clientside callbacks only then, and csp_hashes() must cover them."""
    policy: list[str] = []

    @app.server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        if not policy:
            policy.append(content_security_policy(app))
        h = response.headers
        h.setdefault("Content-Security-Policy", policy[0])
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        # gunicorn always sends its own "Server: gunicorn" (no version) and would send ours as a second one;
        # werkzeug adds its own only when the response has none; waitress as `learnpulse serve` runs it already
        # says SERVER (its ident), and given one by the app it would add "Via: LearnPulse" as well
        if not str(flask.request.environ.get("SERVER_SOFTWARE", "")).startswith(("gunicorn", SERVER)):
            h["Server"] = SERVER
        path = flask.request.path
        if path.startswith(("/_dash-update-component", "/_dash-layout", "/download/")):
            h["Cache-Control"] = "no-store"
        return response
