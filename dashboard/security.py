"""HTTP hardening: session cookies (HttpOnly, SameSite=Lax, Secure when configured), a strict
Content-Security-Policy whose script hashes come from Dash (`app.csp_hashes()`: no unsafe-inline scripts),
no framing, no sniffing, and nothing cached from a signed-in response."""

from __future__ import annotations

from datetime import timedelta

import flask
from dash import Dash


def configure_cookies(server: flask.Flask, secure: bool) -> None:
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_NAME="learnpulse_session",
        REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax", REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_NAME="learnpulse_remember", REMEMBER_COOKIE_DURATION=timedelta(days=30),
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
        path = flask.request.path
        if path.startswith(("/_dash-update-component", "/_dash-layout", "/download/")):
            h["Cache-Control"] = "no-store"
        return response
