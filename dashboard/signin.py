"""The sign-in pages: /login (email + password, CSRF token, "keep me signed in"), /logout (a button: signing
out, of this browser or everywhere, is a POST with the CSRF token), one-time sign-in
links (/login/token/<token>: the first-start link) and invitations (/invite/<token>: choose a password).

Plain HTML forms rendered by Flask (dashboard/templates): they work without JavaScript and load no Dash
code before someone is signed in. Failed sign-ins are throttled per account and per address
(Flask-Limiter; shared through Redis when CACHE_REDIS_URL is set) and written to the audit log.
"""

from __future__ import annotations

import flask
from flask_limiter import Limiter
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf

from dashboard.core import auth, passwords, services
from data_access import accounts, db

# failed sign-ins allowed before the form refuses for a while (successful ones do not count)
PER_ACCOUNT = "5 per 15 minutes"
PER_ADDRESS = "30 per 15 minutes"
FAILED = 401
LINK_FAILED = 403  # a one-time sign-in link or invitation that is unknown, used or expired


def _account_key() -> str:
    return "account:" + (flask.request.form.get("email") or "").strip().lower()


def _page(template: str, status: int = 200, **values):
    body = flask.render_template(template, csrf_token=generate_csrf(), min_length=passwords.MIN_LENGTH, **values)
    response = flask.make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _login_page(status: int = 200, message: str | None = None, tone: str = "danger", email: str = "",
                show_form: bool = True):
    svc = services.current()
    with svc.engine.connect() as conn:
        empty = db.is_empty(conn)  # nobody to sign in yet: say how to get data and an account
    return _page("login.html", status, message=message, tone=tone, email=email, show_form=show_form and not empty,
                 empty=empty, next=auth.safe_next(flask.request.values.get("next")))


def _csrf_ok() -> bool:
    try:
        validate_csrf(flask.request.form.get("csrf_token"))
        return True
    except CSRFError:
        return False
    except Exception:  # noqa: BLE001 - flask_wtf raises ValidationError for a missing or bad token
        return False


def _throttled(_limit):
    email = (flask.request.form.get("email") or "").strip()
    auth.audit("sign_in_failed", email=email, detail="throttled")
    return _login_page(429, "Too many failed sign-ins. Wait 15 minutes, then try again.", email=email)


def _password_sign_in():
    svc = services.current()
    email = (flask.request.form.get("email") or "").strip()
    if not _csrf_ok():
        return _login_page(400, "The form expired. Sign in again.", email=email)
    with svc.engine.connect() as conn:
        row = accounts.user_by_email(conn, email)
        hashed = accounts.password_hash(conn, row.user_id) if row is not None else None
    acct = auth.load_account(row.user_id) if row is not None else None
    # verify even when there is nobody to sign in, so every failure takes as long
    ok = passwords.verify(hashed, flask.request.form.get("password") or "") and acct is not None
    if not ok:
        reason = ("unknown email" if row is None else "deleted user" if acct is None
                  else "no password set" if hashed is None else "wrong password")
        auth.audit("sign_in_failed", user_id=row.user_id if row is not None else None, email=email, detail=reason)
        return _login_page(FAILED, "Wrong email or password.", email=email)
    if passwords.needs_rehash(hashed):
        with svc.engine.begin() as conn:
            accounts.set_password_hash(conn, acct.user_id, passwords.hash_password(flask.request.form["password"]),
                                       svc.clock())
    auth.sign_in(acct, remember=flask.request.form.get("remember") == "1")
    return flask.redirect(auth.safe_next(flask.request.form.get("next")))


def login():
    if flask.request.method == "POST":
        return _password_sign_in()
    if current_user.is_authenticated:
        return flask.redirect(auth.safe_next(flask.request.args.get("next")))
    return _login_page()


def logout():
    """GET asks (a button); only a POST with the form's CSRF token signs out, so another site cannot sign
    people out with an image or a link. `everywhere=1`: every sign-in session of the person."""
    everywhere = flask.request.values.get("everywhere") == "1"
    if not current_user.is_authenticated:
        if flask.request.method == "POST":
            return _login_page(message="You are signed out.", tone="success")
        return flask.redirect(auth.LOGIN_PATH)
    if flask.request.method == "GET":
        return _page("logout.html", everywhere=everywhere, email=current_user.account.email)
    if not _csrf_ok():
        return _page("logout.html", 400, everywhere=everywhere, email=current_user.account.email,
                     message="The form expired. Try again.")
    auth.sign_out(everywhere=everywhere)
    message = "You are signed out everywhere." if everywhere else "You are signed out."
    return _login_page(message=message, tone="success")


def login_with_token(token: str):
    svc = services.current()
    with svc.engine.begin() as conn:
        user_id = accounts.use_token(conn, token, accounts.SIGN_IN, svc.clock())
    acct = auth.load_account(user_id)
    if acct is None:
        auth.audit("sign_in_failed", detail="sign-in link used, expired or unknown")
        return _login_page(LINK_FAILED, "This sign-in link was already used or has expired. Sign in with your "
                                "password, or ask for a new link.")
    auth.sign_in(acct, remember=True, how="one-time link")
    return flask.redirect("/")


def invite(token: str):
    svc = services.current()
    with svc.engine.connect() as conn:
        acct = auth.load_account(accounts.token_user(conn, token, accounts.INVITE, svc.clock()))
    if acct is None:
        return _page("invite.html", LINK_FAILED, show_form=False,
                     message="This invitation was already used or has expired. Ask for a new one.")
    if flask.request.method == "GET":
        return _page("invite.html", email=acct.email, show_form=True)
    if not _csrf_ok():
        return _page("invite.html", 400, email=acct.email, show_form=True, message="The form expired. Try again.")
    password = flask.request.form.get("password") or ""
    problem = passwords.problem(password, flask.request.form.get("confirm") or "", acct.email)
    if problem:
        return _page("invite.html", 400, email=acct.email, show_form=True, message=problem)
    hashed = passwords.hash_password(password)
    with svc.engine.begin() as conn:
        if accounts.use_token(conn, token, accounts.INVITE, svc.clock()) != acct.user_id:
            return _page("invite.html", LINK_FAILED, show_form=False, message="This invitation was already used.")
        accounts.set_password_hash(conn, acct.user_id, hashed, svc.clock())
    auth.end_every_session(acct.user_id)  # a new password signs the person out everywhere else
    auth.audit("password_set", user_id=acct.user_id, detail="invitation")
    auth.sign_in(acct, how="invitation")
    return flask.redirect("/")


def register(server: flask.Flask, settings) -> Limiter:
    """The sign-in routes, each behind its throttles (failed attempts count per address, and per account)."""
    limiter = Limiter(auth.address, app=server, storage_uri=settings.cache_redis_url or "memory://",
                      key_prefix=f"{settings.redis_prefix}-signin", strategy="fixed-window", swallow_errors=True,
                      in_memory_fallback_enabled=True, headers_enabled=False)
    failed = {"deduct_when": lambda response: response.status_code == FAILED, "methods": ["POST"],
              "on_breach": _throttled}
    # links count against the address only when they fail: a class behind one address opens 40 invitations
    failed_link = {"deduct_when": lambda response: response.status_code == LINK_FAILED}
    by_account = limiter.limit(PER_ACCOUNT, key_func=_account_key, **failed)
    server.add_url_rule(auth.LOGIN_PATH, view_func=by_account(limiter.limit(PER_ADDRESS, **failed)(login)),
                        methods=["GET", "POST"])
    server.add_url_rule(auth.LOGOUT_PATH, view_func=logout, methods=["GET", "POST"])
    server.add_url_rule(auth.LOGIN_PATH + "/token/<token>",
                        view_func=limiter.limit(PER_ADDRESS, **failed_link)(login_with_token))
    server.add_url_rule("/invite/<token>", view_func=limiter.limit(PER_ADDRESS, **failed_link)(invite),
                        methods=["GET", "POST"])
    return limiter
