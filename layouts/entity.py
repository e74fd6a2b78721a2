"""A page about one thing (a session, a group, a user, a course…): loading it as the viewer, or the page that
says why it cannot be shown."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import viewer
from layouts.common import data_unavailable, page_header


def load(query, *, back, title: str, missing: str, **filters):
    """(the result of the page's main query as the viewer, None), or (None, the page instead): `missing` when
    the thing does not exist or lies outside the viewer's scope (the query raises LookupError for both), or
    "could not be loaded" when the database did not answer. Cached: the page's callbacks read the same result."""
    @viewer.answers(unavailable=lambda: (None, html.Div([back, page_header(title), data_unavailable()])),
                    missing=lambda: (None, html.Div([back, page_header(title), dbc.Alert(missing, color="warning")])))
    def record():
        return viewer.run(query, **filters), None

    return record()
