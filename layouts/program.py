"""A program template's results and statistics (/sessions/program/<id>): its sessions together, with the
Session CSV over all of them."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import downloads, pages
from dashboard.ids import Program as ID
from data_access.queries import sessions as q
from layouts import entity
from layouts.common import page_header
from layouts.grids import client_grid
from layouts.program_session_columns import COLUMNS as SESSION_COLUMNS

COLUMNS = [c for c in SESSION_COLUMNS if c["field"] != "program_link"]


def register(app) -> None:
    pages.register(pages.PROGRAM_PAGE, layout)


def layout(program_id: str | None = None, **_query):
    back = dcc.Link("← Program sessions", href=pages.PROGRAM_SESSIONS_PAGE.path, className="lp-back")
    p, instead = entity.load(q.program_overview, back=back, title="Program template",
                             missing=f"There is no program template {program_id!r}.", program_id=program_id)
    if instead is not None:
        return instead
    subtitle = f"Program template · {p['kind']}" + (f" · {p['description']}" if p["description"] else "")
    download = html.A("Download", className="btn btn-primary", href=downloads.url("program", program=program_id),
                      title="Session CSV over every session of this program template")
    compare = html.A("Compare cohorts", className="btn btn-outline-primary me-2",
                     href=pages.compare_href(program_id=program_id),
                     title="Its latest sessions side by side, week by week since each one's start")
    return html.Div([
        dcc.Store(id=ID.ID, data=program_id),
        back,
        dbc.Row([dbc.Col(page_header(p["name"], subtitle), md=True),
                 dbc.Col([compare, download], md="auto", className="align-self-center mb-3")]),
        dcc.Loading(html.Div(id=ID.KPIS, className="mb-3 lp-kpi-row"), type="dot"),
        dbc.Card([dbc.CardHeader(html.H5("Sessions of this template", className="mb-0")), dbc.CardBody(
            client_grid(ID.GRID, COLUMNS, "session_id"))], className="mb-4"),
    ])
