"""The weekly trend and the pace of a cohort: a section of the Participants page, under the activity chart
(trend_section()). It has no page of its own; callbacks/trends.py fills it when the cohort changes."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.core import pages
from dashboard.core.ids import Trend as ID
from layouts import charts
from layouts.grids import NUMBER_FILTER, client_grid
from layouts.learners import PROFILE_COLUMN

TABLE_COLUMNS = [  # the activity-trend CSV's columns
    {"field": "week", "headerName": "Week", "sort": "asc"},
    {"field": "participants", "headerName": "Participants", **NUMBER_FILTER},
    {"field": "active", "headerName": "Active learners", **NUMBER_FILTER},
    {"field": "active_pct", "headerName": "Active (%)", **NUMBER_FILTER},
    {"field": "progress_pct", "headerName": "Progress (%)", **NUMBER_FILTER},
]
PACE_COLUMNS = [  # the pace CSV's columns, and the learner's page
    {"field": "first_name", "headerName": "First name"},
    {"field": "last_name", "headerName": "Last name"},
    {"field": "email", "headerName": "Email", "flex": 2, "minWidth": 200},
    {"field": "completed", "headerName": "Blocks completed", **NUMBER_FILTER},
    {"field": "blocks", "headerName": "Blocks", **NUMBER_FILTER},
    {"field": "started", "headerName": "Started"},
    {"field": "per_week", "headerName": "Blocks per week", **NUMBER_FILTER},
    {"field": "projected", "headerName": "Projected finish"},
    PROFILE_COLUMN,
]


def register(app) -> None:
    """A section of Participants: nothing to register as a page."""


def trend_section():
    """The card under the activity chart: weekly active learners (bars) and progress (line) since the start,
    as a chart or a table, the comparison with other cohorts, and the pace of a running cohort."""
    right = html.Div([
        dbc.Switch(id=ID.AS_TABLE, label="Show as table", value=False, className="d-inline-block me-3 mb-0"),
        html.A("Compare cohorts", id=ID.COMPARE, className="btn btn-outline-primary btn-sm me-2",
               href=pages.compare_href(),
               title="This cohort beside the previous sessions of its program template, week by week"),
        html.A("Download", id=ID.DOWNLOAD, className="btn btn-outline-primary btn-sm", href="#",
               title="Activity trend CSV: one line per week since the start"),
    ], className="d-flex align-items-center flex-wrap")
    return dbc.Card([
        dbc.CardHeader(dbc.Row([
            dbc.Col(html.H5("Week by week since the start", className="mb-0"), md=True,
                    className="align-self-center"),
            dbc.Col(right, md="auto"),
        ], className="g-2")),
        dbc.CardBody([
            html.Div(id=ID.MESSAGE),
            dcc.Loading([
                dcc.Graph(id=ID.CHART, config=charts.STILL,
                          style={"height": "320px"}),
                html.Div(client_grid(ID.TABLE, TABLE_COLUMNS, "week"), id=ID.TABLE_WRAP,
                         style={"display": "none"}),
            ], type="dot"),
            html.Div("Bars: participants with a login in the week (Monday to Sunday). Line: their mean progress "
                     "by the end of the week, over all blocks of the cohort. The current week counts up to now.",
                     className="lp-hint mb-3"),
            html.Div([
                dcc.Loading(html.Span(id=ID.PACE, className="lp-pace me-2", role="status"), type="dot"),
                dbc.Button("List them", id=ID.PACE_SHOW, color="link", size="sm", className="p-0 align-baseline",
                           style={"display": "none"}, title="The participants behind pace, with their projection"),
            ]),
            html.Div([
                html.Div(html.A("Download CSV", id=ID.PACE_DOWNLOAD, className="btn btn-outline-primary btn-sm",
                                href="#"), className="mb-2"),
                html.Div(id=ID.PACE_NOTE, className="lp-hint mb-2"),
                client_grid(ID.PACE_GRID, PACE_COLUMNS, "user_id"),
            ], id=ID.PACE_LIST, style={"display": "none"}, className="mt-2"),
        ]),
    ], id=ID.CARD, className="mb-4")
