"""What the app factory builds once per app and callbacks use: settings, engine, cached queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import flask
from sqlalchemy.engine import Engine

from dashboard.settings import Settings
from data_access.cache import CachedQueries
from data_access.scope import Scope

EXTENSION = "learnpulse"


@dataclass
class Services:
    settings: Settings
    engine: Engine
    queries: CachedQueries

    def now(self) -> datetime:
        return self.settings.now()


def current() -> Services:
    """The services of the app handling this request."""
    return flask.current_app.extensions[EXTENSION]


def viewer_scope() -> Scope:
    """The viewer of this request. Until the login issue lands the web app runs as the platform owner."""
    return Scope.owner()
