"""A page about one thing (a session, a group, a user, a course…): loading it as the viewer, or the page that
says why it cannot be shown."""

from __future__ import annotations

import logging

import dash_bootstrap_components as dbc
from dash import html
from sqlalchemy.exc import SQLAlchemyError

from dashboard import auth, services
from layouts.common import data_unavailable, page_header

log = logging.getLogger(__name__)


def load(query, *, back, title: str, missing: str, **kwargs):
    """(the result of the page's main query, None), or (None, the page instead): `missing` when the thing does
    not exist or lies outside the viewer's scope (the query raises LookupError for both), or "could not be
    loaded" when the database did not answer. Cached: the page's callbacks read the same result."""
    svc = services.current()
    try:
        return svc.queries.run(query, auth.viewer_scope(), svc.now(), **kwargs), None
    except LookupError:
        return None, html.Div([back, page_header(title), dbc.Alert(missing, color="warning")])
    except SQLAlchemyError:
        log.exception("%s page: database error", title)
        return None, html.Div([back, page_header(title), data_unavailable()])
