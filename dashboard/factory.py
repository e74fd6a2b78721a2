"""The app factory: settings in, a ready Dash app out. Nothing is created at import time."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Dash, dcc, html
from dash._pages import _parse_path_variables  # the router's own matching of path templates
from dash.exceptions import MissingCallbackContextException
from flask_caching import Cache

from callbacks import shell as shell_callbacks
from dashboard import auth, digest_routes, downloads, ids, pseudonyms, request_guard, security, signin, xapi_routes
from dashboard.services import EXTENSION, Services
from dashboard.settings import Settings
from data_access import accounts, db, migrate
from data_access.query_runner import QueryRunner
from data_access.write.xapi import ingest as xapi_ingest
from data_access.write.xapi.folder import XapiFolder
from layouts.common import nothing_to_show, page_not_found
from layouts.shell import meeting_banner, meeting_switch, view_as_banner, viewer_menu

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)

# built pages: layouts/<page>.py and callbacks/<page>.py, each with register(app)
PAGES = ["overview", "participants", "at_risk", "program_sessions", "session", "program", "groups", "group",
         "users", "user", "collaboration", "collaboration_course", "view_as",
         "trends", "compare", "digest"]


def cache_config(settings: Settings) -> dict:
    if settings.cache_redis_url:
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.cache_redis_url,
                "CACHE_KEY_PREFIX": "learnpulse:", "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s}
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
    downloads.register(app.server)
    xapi_routes.register(app.server)  # /xapi/: HTTP Basic of its own, no browser sign-in
    digest_routes.register(app.server)  # one-click unsubscribe: a signed token of its own, no sign-in
    if settings.digest_thread:
        start_digest_thread(app.server, engine, settings)

    import importlib

    for name in PAGES:
        importlib.import_module(f"layouts.{name}").register(app)
        importlib.import_module(f"callbacks.{name}").register(app)
    shell_callbacks.register(app)
    guard_pages()
    app.layout = shell
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


def _nav_links(viewer: auth.Viewer | None):
    allowed = viewer.sections if viewer else frozenset()
    pages = sorted((p for p in dash.page_registry.values()
                    if p.get("nav_order") is not None and auth.section_of(p["path"]) in allowed),
                   key=lambda p: p["nav_order"])
    return [dbc.NavItem(dbc.NavLink(p["name"], href=p["relative_path"], active="exact")) for p in pages]


def guard_pages() -> None:
    """Every page shows only to viewers whose sections include it (navigation hides the others, and an
    address typed by hand gets the same answer as a page that does not exist). The section, and the ids in a
    page's path, come from the route alone: a query parameter of the same name never replaces them."""
    for page in dash.page_registry.values():
        layout = page["layout"]
        if getattr(layout, "guarded", False):
            continue
        page["layout"] = _guarded(page.get("path_template"), auth.section_of(page.get("path_template") or page["path"]),
                                  layout)


ROUTER_PATHNAME = "_pages_location.pathname"  # the input of Dash's page router: the address being shown


def route_values(path_template: str | None) -> dict:
    """The variables of `path_template` in the address Dash's router is showing ({} outside the router or when the
    address does not match the template)."""
    try:
        pathname = dash.callback_context.inputs.get(ROUTER_PATHNAME)
    except MissingCallbackContextException:
        return {}
    if not isinstance(pathname, str):
        return {}
    values = _parse_path_variables(pathname.strip("/"), path_template.strip("/"))
    return values or {}


def _guarded(path_template: str | None, section: str | None, layout):
    names = set(re.findall(r"<(\w+)>", path_template or ""))

    def guarded(**query):
        route = route_values(path_template) if names else {}
        values = {**{k: v for k, v in query.items() if k not in names}, **route}
        viewer = auth.current_viewer()
        if section is None or (viewer is not None and section in viewer.sections):
            return layout(**values) if callable(layout) else layout
        if viewer is not None and "user_id" in names and route.get("user_id") == viewer.acting.user_id:
            return layout(**values)  # everyone sees their own statistics page (/users/<their id>)
        if viewer is not None and section == auth.OVERVIEW:
            return own_page(viewer.acting.user_id)  # a learner's home is their own page
        return page_not_found()

    guarded.guarded = True
    guarded.unguarded = layout
    return guarded


def own_page(user_id: str):
    """The signed-in person's own statistics page (/users/<id>), for those who follow no one."""
    page = next((p for p in dash.page_registry.values() if p.get("path_template") == "/users/<user_id>"), None)
    if page is None:
        return nothing_to_show()
    layout = getattr(page["layout"], "unguarded", page["layout"])
    return layout(user_id=user_id)


def shell():
    viewer = auth.current_viewer()
    masker = pseudonyms.current_masker() if viewer is not None else None
    return html.Div([
        dcc.Location(id=ids.Shell.URL),
        dcc.Store(id=ids.Shell.RELOAD),
        dcc.Store(id=ids.Shell.RELOADED),
        dcc.Store(id=ids.Shell.MEETING_SAVED),
        dbc.Navbar(
            dbc.Container([
                dbc.NavbarBrand([html.Span("●", className="brand-dot", **{"aria-hidden": "true"}), " LearnPulse"],
                                href="/"),
                dbc.NavbarToggler(id=ids.Shell.TOGGLER),
                dbc.Collapse([
                    dbc.Nav(_nav_links(viewer), id=ids.Shell.NAV, navbar=True, className="me-auto"),
                    meeting_switch(masker is not None) if viewer is not None else None,
                    viewer_menu(viewer, masker),
                ], id=ids.Shell.COLLAPSE, navbar=True, is_open=False),
            ], fluid=True),
            color="dark", dark=True, expand="lg", className="lp-navbar",
        ),
        meeting_banner(masker is not None),
        view_as_banner(viewer, masker),
        dbc.Container(dash.page_container, fluid=True, className="lp-page mt-3"),
    ])
