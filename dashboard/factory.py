"""The app factory: settings in, a ready Dash app out. Nothing is created at import time."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from dash import Dash
from flask_caching import Cache

from callbacks import shell as shell_callbacks
from dashboard import digest_routes, download_routes, request_guard, router, security, signin, xapi_routes
from dashboard.core import auth, pages, pseudonyms
from dashboard.core.services import EXTENSION, Services
from dashboard.core.settings import Settings
from data_access import accounts, db, migrate
from data_access.query_runner import QueryRunner
from data_access.write.xapi import ingest as xapi_ingest
from data_access.write.xapi.folder import XapiFolder
from layouts import shell

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)

# layouts/<name>.py and callbacks/<name>.py, each with register(app): the page map's pages, and the parts of a page
# that have modules of their own (the trend section of Participants)
MODULES = [*dict.fromkeys(p.name.partition(".")[0] for p in pages.PAGES), "trends"]


def cache_config(settings: Settings) -> dict:
    if settings.cache_redis_url:
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.cache_redis_url,
                "CACHE_KEY_PREFIX": f"{settings.redis_prefix}:", "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s}
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s,
            "CACHE_THRESHOLD": 5000}


def prepare_database(settings: Settings, out=sys.stderr):
    """Engine + schema (migrate.ensure_current); on an empty database, fill it with demo data (printed, since
    it takes a moment). Several processes starting at once (gunicorn workers) seed it once."""
    engine = db.make_engine(settings.database_url)
    migrate.ensure_current(engine, settings.migrates_automatically)
    if settings.seed_demo_on_empty and db.is_empty(engine):
        with db.exclusive(engine, "first-start"):
            if db.is_empty(engine):
                from data_access.demo import run_demo

                print(f"LearnPulse: empty database, creating demo data ({settings.demo_learners} learners)…",
                      file=out, flush=True)
                _, report, gen_s = run_demo(engine, settings.demo_learners, settings.demo_seed, settings.now())
                print(f"LearnPulse: demo data ready: {report.total_rows:,} rows in {gen_s + report.seconds:.1f} s",
                      file=out, flush=True)
    return engine


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings.from_env()
    engine = prepare_database(settings)
    app = security.QuietDash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ROOT / "assets"),
        serve_locally=True,
        suppress_callback_exceptions=True,
        title="LearnPulse",
        update_title=None,
    )
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)  # the page's language (WCAG 3.1.1)
    app.server.config["SECRET_KEY"] = settings.secret_key or accounts.app_secret(engine)
    security.configure_cookies(app.server, settings.secure_cookies)
    cache = Cache(app.server, config=cache_config(settings))
    queries = QueryRunner(engine, cache, settings.cache_timeout_s, version_ttl_s=1.0,
                          real_clock=settings.now_override is None)
    xapi_folder = XapiFolder(engine)
    queries.shape = pseudonyms.shape_for_viewer  # names as the viewer's meeting-safe mode shows them
    app.server.extensions[EXTENSION] = Services(settings, engine, queries, xapi_folder,
                                                pseudonyms.Pseudonyms(engine, queries))
    if xapi_ingest.has_pending(engine):  # posted batches a stopped process had not folded yet
        xapi_folder.request(set(), fold=True)
    auth.register(app.server, settings)
    security.refuse_unknown_paths(app)  # after the sign-in guard
    signin.register(app.server, settings)
    request_guard.register(app.server)  # after the sign-in check: a stranger gets 401, not a parse
    download_routes.register(app.server)
    xapi_routes.register(app.server)  # /xapi/: HTTP Basic of its own, no browser sign-in
    digest_routes.register(app.server)  # one-click unsubscribe: a signed token of its own, no sign-in
    if settings.digest_thread:
        start_digest_thread(app.server, engine, settings)

    import importlib

    for name in MODULES:
        importlib.import_module(f"layouts.{name}").register(app)
        importlib.import_module(f"callbacks.{name}").register(app)
    shell_callbacks.register(app)
    router.guard_pages()
    app.layout = shell.layout
    security.register(app)  # last: the CSP hashes Dash's inline scripts
    return app


def start_digest_thread(server, engine, settings: Settings) -> None:
    """LEARNPULSE_DIGEST=on: this process sends the due weekly digests in the background (dashboard/digest_run.py);
    started again in a worker forked after the app was built (gunicorn --preload) at its first request."""
    from dashboard.digest_run import DigestThread
    from dashboard.mail import MailConfigError, parse_smtp_url

    try:
        parse_smtp_url(settings.smtp_url)
    except MailConfigError as exc:
        log.error("LEARNPULSE_DIGEST=on but no weekly digest can be sent: %s", exc)
        return
    thread = DigestThread(engine, settings)
    server.extensions["learnpulse-digest"] = thread
    thread.ensure_started()
    server.before_request(thread.ensure_started)
