"""Program sessions: every session with its registrations and completions, by program template; a
session opens its statistics page (layouts/session.py)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import Sessions as ID
from data_access.queries import sessions as q
from layouts.common import NAV, page_header
from layouts.grids import client_grid

PATH, NAME, ORDER = NAV["program_sessions"]
COLLAB_SESSIONS = NAV["collaboration"][0] + "/sessions"
STATUSES = [{"label": "In progress", "value": q.IN_PROGRESS}, {"label": "Finished", "value": q.FINISHED},
            {"label": "All", "value": q.ALL}]
_NUM = {"type": "numericColumn", "filter": "agNumberColumnFilter", "maxWidth": 150}
COLUMNS = [
    {"field": "program_link", "headerName": "Program template", "sort": "asc", "sortIndex": 0, "minWidth": 180,
     "cellRenderer": "markdown", "getQuickFilterText": {"function": "params.data.program"},
     "comparator": {"function": "(a, b, na, nb) => na.data.program.localeCompare(nb.data.program)"}},
    {"field": "name_link", "headerName": "Session", "cellRenderer": "markdown", "flex": 2, "minWidth": 260,
     "filter": "agTextColumnFilter", "getQuickFilterText": {"function": "params.data.name"}},
    {"field": "session_id", "headerName": "ID", "maxWidth": 120},
    {"field": "start", "headerName": "Start", "sort": "desc", "sortIndex": 1, "minWidth": 150},
    {"field": "end", "headerName": "End", "minWidth": 150},
    {"field": "state", "headerName": "Status", "maxWidth": 130},
    {"field": "registered", "headerName": "Registered", **_NUM},
    {"field": "completed", "headerName": "Completion", **_NUM},
    {"field": "instructors", "headerName": "Instructors", **_NUM},
]


def register(app) -> None:
    dash.register_page(__name__, path=PATH, name=NAME, title="LearnPulse — Program sessions", nav_order=ORDER,
                       layout=layout)


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
            # the collaborative activity per session is a tab of the Collaborative activity page
            dbc.Col(dcc.Link("Collaborative activity per session →", href=COLLAB_SESSIONS, className="lp-back"),
                    md="auto", className="align-self-center mb-3"),
        ]),
        sessions_tab,
    ])
