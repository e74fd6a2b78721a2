"""Program sessions: every session with its registrations and completions, by program template, sorted, filtered,
searched and paged in SQL (data_access.queries.sessions.sessions_page); a session opens its statistics page
(layouts/session.py)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.core import pages
from dashboard.core.ids import ProgramSessions as ID
from data_access.queries import sessions as q
from layouts.common import page_header
from layouts.grids import DATE_FILTER, NUMBER_FILTER, TEXT_FILTER, server_grid

PAGE = pages.PROGRAM_SESSIONS_PAGE
NAME = PAGE.title
COLLABORATION_SESSIONS = pages.collaboration_tab_href("sessions")
# the rows of callbacks/program_session_rows.grid_rows; the colIds are sessions_page's columns
COLUMNS = [
    {"colId": "program", "field": "program_link", "headerName": "Program template", "sort": "asc", "sortIndex": 0,
     "minWidth": 180, "cellRenderer": "markdown", **TEXT_FILTER},
    {"colId": "name", "field": "name_link", "headerName": "Session", "cellRenderer": "markdown", "flex": 2,
     "minWidth": 260, **TEXT_FILTER},
    {"field": "session_id", "headerName": "ID", "maxWidth": 120, **TEXT_FILTER},
    {"colId": "start", "field": "start", "headerName": "Start", "sort": "desc", "sortIndex": 1, "minWidth": 150,
     **DATE_FILTER},
    {"colId": "end", "field": "end", "headerName": "End", "minWidth": 150, **DATE_FILTER},
    {"field": "state", "headerName": "Status", "maxWidth": 130, **TEXT_FILTER},
    {"field": "registered", "headerName": "Registered", "maxWidth": 150, **NUMBER_FILTER},
    {"field": "completed", "headerName": "Completion", "maxWidth": 150, **NUMBER_FILTER},
    {"field": "instructors", "headerName": "Instructors", "maxWidth": 150, **NUMBER_FILTER},
]
STATUSES = [{"label": "In progress", "value": q.IN_PROGRESS}, {"label": "Finished", "value": q.FINISHED},
            {"label": "All", "value": q.ALL}]
SEARCH_PAUSE_MS = 300  # the list is asked for again once typing pauses this long


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
                              debounce=SEARCH_PAUSE_MS, size="sm"), md=4, className="mb-2"),
            dbc.Col(html.Span(id=ID.COUNT, className="lp-hint"), className="align-self-center mb-2"),
            dbc.Col(html.A("Download", id=ID.DOWNLOAD, className="btn btn-outline-primary btn-sm", href="#",
                           title="Sessions CSV of the sessions of this filter"), md="auto", className="mb-2"),
        ], className="g-2 align-items-center"),
        html.Div(id=ID.MESSAGE),
        dcc.Store(id=ID.GRID_REFRESH),
        server_grid(ID.GRID, COLUMNS, "560px", row_id="session_id", grid_options={"enableCellTextSelection": True}),
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
