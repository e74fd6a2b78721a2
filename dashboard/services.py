"""What the app factory builds once per app and callbacks use: settings, engine, cached queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import flask
from sqlalchemy.engine import Engine

from dashboard.settings import Settings
from data_access import freshness
from data_access.query_runner import QueryRunner
from data_access.write.xapi.folder import XapiFolder

EXTENSION = "learnpulse"


@dataclass
class Services:
    settings: Settings
    engine: Engine
    queries: QueryRunner
    xapi_folder: XapiFolder
    pseudonyms: object = None  # dashboard.pseudonyms.Pseudonyms (meeting-safe mode)

    def now(self) -> datetime:
        """The 'now' of metrics.md for pages, callbacks and downloads: LEARNPULSE_NOW when set, else the wall
        clock floored to the default window (freshness.py), so a page's queries and its CSV share one 'now'."""
        if self.settings.now_override is not None:
            return self.settings.now_override
        return freshness.bucket(self.settings.now(), freshness.DEFAULT_S)

    @staticmethod
    def clock() -> datetime:
        """The wall clock, for what really happens now: sign-in links expiring, the audit log."""
        return datetime.now(UTC)


def current() -> Services:
    """The services of the app handling this request."""
    return flask.current_app.extensions[EXTENSION]
