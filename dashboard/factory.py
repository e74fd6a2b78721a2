"""The app factory: settings in, a ready Dash app out. Nothing is created at import time."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Dash, dcc, html
from flask_caching import Cache

from dashboard import downloads, ids
from dashboard.services import EXTENSION, Services
from dashboard.settings import Settings
from data_access import db
from data_access.cache import CachedQueries

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)

# built pages: layouts/<page>.py and callbacks/<page>.py, each with register(app)
PAGES = ["overview", "participants", "program_sessions", "session", "program"]


def cache_config(settings: Settings) -> dict:
    if settings.cache_redis_url:
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.cache_redis_url,
                "CACHE_KEY_PREFIX": "learnpulse:", "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s}
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s,
            "CACHE_THRESHOLD": 5000}


def prepare_database(settings: Settings, out=sys.stderr):
    """Engine + schema; on an empty database, fill it with demo data (printed, since it takes a moment)."""
    engine = db.make_engine(settings.database_url)
    db.ensure_schema(engine)
    if settings.seed_demo_on_empty and db.is_empty(engine):
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
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ROOT / "assets"),
        serve_locally=True,
        suppress_callback_exceptions=True,
        title="LearnPulse",
        update_title=None,
    )
    app.server.config["SECRET_KEY"] = settings.secret_key
    cache = Cache(app.server, config=cache_config(settings))
    queries = CachedQueries(engine, cache, settings.cache_timeout_s, version_ttl_s=1.0)
    app.server.extensions[EXTENSION] = Services(settings, engine, queries)
    downloads.register(app.server)

    import importlib

    for name in PAGES:
        importlib.import_module(f"layouts.{name}").register(app)
        importlib.import_module(f"callbacks.{name}").register(app)
    importlib.import_module("layouts.coming").register(app)  # "Coming" pages for sections not built yet
    app.layout = shell
    return app


def _nav_links():
    pages = sorted((p for p in dash.page_registry.values() if p.get("nav_order") is not None),
                   key=lambda p: p["nav_order"])
    return [dbc.NavItem(dbc.NavLink(p["name"], href=p["relative_path"], active="exact")) for p in pages]


def shell():
    return html.Div([
        dcc.Location(id=ids.Shell.URL),
        dbc.Navbar(
            dbc.Container([
                dbc.NavbarBrand([html.Span("●", className="brand-dot"), " LearnPulse"], href="/"),
                dbc.Nav(_nav_links(), id=ids.Shell.NAV, navbar=True, className="me-auto"),
            ], fluid=True),
            color="dark", dark=True, className="mb-3 lp-navbar",
        ),
        dbc.Container(dash.page_container, fluid=True, className="lp-page"),
    ])
