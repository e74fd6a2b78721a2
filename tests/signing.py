"""Signing in from tests, the way a person does: a one-time sign-in link (the first-start link's route) opened
by the Flask test client or a browser context. No session is forged."""

from __future__ import annotations

from datetime import UTC, datetime

from data_access import accounts


def sign_in_path(engine, email: str | None = None) -> str:
    """/login/token/<one-time token> for the user with this email (default: the platform owner)."""
    with engine.begin() as conn:
        return f"/login/token/{accounts.issue_sign_in(conn, datetime.now(UTC), email)}"


def signed_in_client(app, email: str | None = None):
    """A Flask test client signed in as `email` (default: the platform owner)."""
    client = app.server.test_client()
    response = client.get(sign_in_path(app.server.extensions["learnpulse"].engine, email))
    assert response.status_code == 302, response.data[:300]
    return client


def page_content(client, app, path: str, search: str = "") -> str:
    """What Dash's page router renders for a path, as the browser asks for it on navigation (so the page is
    built for the signed-in viewer of `client`)."""
    from tests.dashcalls import payload

    response = client.post("/_dash-update-component", json=payload(
        app, "_pages_content", {"_pages_location.pathname": path, "_pages_location.search": search}))
    assert response.status_code == 200, response.data[:300]
    return response.get_data(as_text=True)
