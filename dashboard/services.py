"""What the app factory builds once per app and callbacks use: settings, engine, cached queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import flask
from sqlalchemy.engine import Engine

from dashboard.settings import Settings
from data_access.cache import CachedQueries

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
