"""One-click unsubscribe from the weekly digest (RFC 8058): `POST /digest/unsubscribe/<token>` stops it at once
(what mail clients send for `List-Unsubscribe-Post: List-Unsubscribe=One-Click`); `GET` shows a page with a
button that posts the same, so a link scanner opening the e-mail's links unsubscribes nobody.

The token is signed with the app's secret key and names the recipient (dashboard/digest_mail.py); the routes need
no sign-in, no cookie and no CSRF token (a mail client has none), and a token that is not ours answers 404."""

from __future__ import annotations

import flask

from dashboard import auth, pages, services
from dashboard.digest_mail import UNSUBSCRIBE_PATH, token_user
from data_access import accounts, digest_store


def _page(status: int = 200, **values) -> flask.Response:
    values = {"message": None, "tone": "success", "show_form": False, "email": "",
              "settings_href": pages.DIGEST_PAGE.path, **values}
    response = flask.make_response(flask.render_template("unsubscribe.html", **values), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def register(server: flask.Flask) -> None:
    @server.route(UNSUBSCRIBE_PATH + "<token>", methods=["GET", "POST"])
    def digest_unsubscribe(token: str):
        svc = services.current()
        user_id = token_user(server.config["SECRET_KEY"], token)
        email = None
        if user_id is not None:
            with svc.engine.connect() as conn:
                email = digest_store.user_email(conn, user_id)
        if email is None:
            return _page(404, message="This unsubscribe link is not valid.", tone="danger")
        if flask.request.method == "GET":
            with svc.engine.connect() as conn:
                subscribed = digest_store.subscription(conn, user_id) is not None
            if not subscribed:
                return _page(message=f"{email} does not receive the weekly digest.", tone="secondary")
            return _page(show_form=True, email=email)
        with svc.engine.begin() as conn:
            if digest_store.unsubscribe(conn, user_id):
                accounts.record(conn, svc.clock(), "digest_unsubscribe", user_id=user_id, address=auth.address(),
                                detail="one-click link")
        return _page(message=f"Done: {email} no longer receives the weekly digest.")
