"""The General stats report panel of the Users page: filters (groups, users, sessions, a date range) as
metrics.md defines them, how many lines the file has, a preview of its first lines and Download → Now
(`learnpulse export general-stats`). Callbacks: callbacks/general_stats.py."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.core.ids import GeneralStats as ID
from layouts.grids import client_grid

PREVIEW_LINES = 50
_NUM = {"type": "numericColumn", "filter": "agNumberColumnFilter", "minWidth": 125}
PREVIEW_COLUMNS = [
    {"field": "last_name", "headerName": "Last name", "pinned": "left", "minWidth": 130},
    {"field": "first_name", "headerName": "First name", "minWidth": 120},
    {"field": "email", "headerName": "Email", "minWidth": 220},
    {"field": "managers", "headerName": "Managers", "minWidth": 200},
    {"field": "avg_score", "headerName": "Avg score", **_NUM,
     "valueFormatter": {"function": "params.value == null ? '-' : params.value"}},
    {"field": "completed_programs", "headerName": "Completed programs", **_NUM},
    {"field": "assigned_programs", "headerName": "Assigned programs", **_NUM},
    {"field": "messages", "headerName": "Messages", **_NUM},
    {"field": "total_time", "headerName": "Total time spent", "type": "numericColumn", "minWidth": 125,
     "comparator": {"function": "(a, b, na, nb) => na.data.total_time_s - nb.data.total_time_s"}},
    {"field": "groups", "headerName": "Groups (one column each in the file)", "minWidth": 260},
]


def _filter(label: str, control, width: int):
    return dbc.Col([dbc.Label(label, html_for=control.id, className="fw-semibold mb-1"), control], lg=width,
                   className="mb-2")


def panel():
    return html.Div([
        html.P("One line per current user you see, with their average score, completed and assigned programs, "
               "messages and total time spent. Each filter narrows the file; several values of one filter add up. "
               "Dates count only the activity inside the range (attempts by start, assessments by submission, "
               "posts by creation).", className="lp-hint"),
        dbc.Row([
            _filter("Groups", dcc.Dropdown(id=ID.GROUPS, multi=True, placeholder="Every group"), 3),
            _filter("Users", dcc.Dropdown(id=ID.USERS, multi=True, placeholder="Every user (type a name)"), 3),
            _filter("Sessions", dcc.Dropdown(id=ID.SESSIONS, multi=True,
                                             placeholder="Every session (type a name)"), 3),
            _filter("Activity between", dcc.DatePickerRange(id=ID.DATES, display_format="YYYY-MM-DD",
                                                            clearable=True, start_date_placeholder_text="since",
                                                            end_date_placeholder_text="until",
                                                            className="lp-dates"), 3),
        ], className="g-3"),
        html.Div(id=ID.MESSAGE),
        dbc.Row([
            dbc.Col(dcc.Loading(html.Div(id=ID.SUMMARY, className="lp-summary", role="status"), type="dot",
                                delay_show=300), className="align-self-center"),
            dbc.Col(html.A("Download → Now", id=ID.DOWNLOAD, className="btn btn-primary", href="#",
                           title="General stats CSV with these filters"), xs="auto"),
        ], className="g-2 my-2"),
        _preview_grid(),
    ], className="lp-general-stats")


def _preview_grid():
    """The first lines of the file, scrolling inside a fixed height (the page stays short)."""
    grid = client_grid(ID.PREVIEW, PREVIEW_COLUMNS, "user_id", domLayout="normal", paginationPageSize=PREVIEW_LINES)
    grid.defaultColDef = {**grid.defaultColDef, "wrapHeaderText": True, "autoHeaderHeight": True}
    grid.style = {"height": "440px"}
    return grid
