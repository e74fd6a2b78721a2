"""Overview (home): is the platform alive? Headline numbers, weekly active learners, learners by recency."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import pages
from dashboard.ids import Overview as ID
from layouts import charts
from layouts.common import page_header

PAGE = pages.OVERVIEW_PAGE
NAME = PAGE.title


def register(app) -> None:
    pages.register(PAGE, layout)


def layout(**_query):
    return html.Div([
        page_header("Overview", "Your learning platform at a glance."),
        dcc.Store(id=ID.LOAD, data=True),
        dcc.Loading(html.Div(id=ID.KPIS, className="mb-3"), type="dot"),
        html.Div(id=ID.AT_RISK, className="mb-4"),
        dbc.Row([
            dbc.Col(dbc.Card(dbc.CardBody([
                html.H5("Weekly active learners", className="card-title"),
                html.Div("People you follow with a login in the week (Monday to Sunday), the last 12 weeks.",
                         className="lp-hint"),
                dcc.Graph(id=ID.ACTIVE_CHART, config=charts.TOOLS, style={"height": "300px"}),
            ])), lg=7, className="mb-4"),
            dbc.Col(dbc.Card(dbc.CardBody([
                html.H5("Learners by days since last login", className="card-title"),
                dcc.Graph(id=ID.RECENCY_CHART, config=charts.TOOLS, style={"height": "320px"}),
            ])), lg=5, className="mb-4"),
        ]),
    ])
