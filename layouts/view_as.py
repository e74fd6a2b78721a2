"""View as (platform owners): pick anyone and see LearnPulse exactly as they would; the audit log below."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import auth, pages
from dashboard.ids import ViewAs as ID
from layouts.common import page_header, page_not_found
from layouts.grids import client_grid

AUDIT_COLUMNS = [
    {"field": "when", "headerName": "When (UTC)", "sort": "desc", "minWidth": 180},
    {"field": "event", "headerName": "Event"},
    {"field": "who", "headerName": "Who", "flex": 2},
    {"field": "subject", "headerName": "Concerning", "flex": 2},
    {"field": "address", "headerName": "Address"},
    {"field": "detail", "headerName": "Detail", "flex": 2},
]


def register(app) -> None:
    pages.register(pages.VIEW_AS_PAGE, layout)


def layout(**_query):
    viewer = auth.current_viewer()
    if viewer is None or not viewer.account.scope.is_owner:
        return page_not_found()
    return html.Div([
        page_header("View as", "See LearnPulse exactly as someone else does: their sections, their groups' sessions "
                               "and people, their downloads. Every view is written to the audit log."),
        dbc.Card(dbc.CardBody([
            dbc.Label("Person", html_for=ID.PICK, className="fw-semibold mb-1"),
            dbc.Row([
                dbc.Col(dcc.Dropdown(id=ID.PICK, searchable=True, clearable=True,
                                     placeholder="Type a name or an email…"), md=8, className="mb-2"),
                dbc.Col(dbc.Button("View as this person", id=ID.GO, color="primary", disabled=True), md="auto"),
            ], className="g-2"),
            html.Div(id=ID.STATUS, className="lp-hint", role="status"),
        ]), className="mb-4"),
        dbc.Card([
            dbc.CardHeader(html.H5("Sign-ins and views (audit log)", className="mb-0")),
            dbc.CardBody(dcc.Loading(client_grid(ID.AUDIT, AUDIT_COLUMNS, "id"), type="dot")),
        ], className="mb-4"),
    ])
