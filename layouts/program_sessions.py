"""Program sessions: every session with its registrations and completions, by program template; a
session opens its statistics page (layouts/session.py)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import pages
from dashboard.ids import ProgramSessions as ID
from data_access.queries import sessions as q
from layouts.common import page_header
from layouts.grids import client_grid
from layouts.program_session_columns import COLUMNS

PAGE = pages.PROGRAM_SESSIONS_PAGE
NAME = PAGE.title
COLLABORATION_SESSIONS = pages.collaboration_tab_href("sessions")
STATUSES = [{"label": "In progress", "value": q.IN_PROGRESS}, {"label": "Finished", "value": q.FINISHED},
            {"label": "All", "value": q.ALL}]


def register(app) -> None:
    pages.register(PAGE, layout)


def layout(status: str | None = None, **_query):
    chosen = status if status in {s["value"] for s in STATUSES} else q.IN_PROGRESS
    sessions_tab = html.Div([
        dbc.Row([
            dbc.Col(dbc.RadioItems(id=ID.STATUS, options=STATUSES, value=chosen, inline=True,
                                   className="btn-group lp-segmented", inputClassName="btn-check",
                                   labelClassName="btn btn-outline-secondary btn-sm",
                                   labelCheckedClassName="active"), md="auto", className="mb-2"),
            dbc.Col(dbc.Input(id=ID.SEARCH, type="search", placeholder="Search sessions, templates, ids…",
                              debounce=False, size="sm"), md=4, className="mb-2"),
            dbc.Col(html.Span(id=ID.COUNT, className="lp-hint"), className="align-self-center mb-2"),
            dbc.Col(html.A("Download", id=ID.DOWNLOAD, className="btn btn-outline-primary btn-sm", href="#",
                           title="Sessions CSV of the sessions of this filter"), md="auto", className="mb-2"),
        ], className="g-2 align-items-center"),
        html.Div(id=ID.MESSAGE),
        dcc.Loading(client_grid(ID.GRID, COLUMNS, "session_id", enableCellTextSelection=True),
                    type="dot", delay_show=300),
    ], className="pt-3")
    return html.Div([
        dbc.Row([
            dbc.Col(page_header(NAME, "Every session with its registrations and completions. Open one for its "
                                      "statistics, or a program template for all its sessions."), md=True),
            # the collaborative activity per program session is a tab of Collaborative activity
            dbc.Col(dcc.Link("Collaborative activity per session →", href=COLLABORATION_SESSIONS, className="lp-back"),
                    md="auto", className="align-self-center mb-3"),
        ]),
        sessions_tab,
    ])
