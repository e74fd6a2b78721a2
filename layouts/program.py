"""A program template's results and statistics (/sessions/program/<id>): its sessions together, with the
Session CSV over all of them."""

from __future__ import annotations

import logging

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from sqlalchemy.exc import SQLAlchemyError

from dashboard import auth, downloads, services
from dashboard.ids import Program as ID
from data_access.queries import sessions as q
from layouts.common import NAV, data_unavailable, page_header
from layouts.grids import client_grid
from layouts.program_sessions import COLUMNS as SESSION_COLUMNS

SESSIONS_PATH = NAV["program_sessions"][0]
COLUMNS = [c for c in SESSION_COLUMNS if c["field"] != "program_link"]


def register(app) -> None:
    dash.register_page(__name__, path_template=f"{SESSIONS_PATH}/program/<program_id>", name="Program template",
                       title="LearnPulse — Program template", layout=layout)


def layout(program_id: str | None = None, **_query):
    back = dcc.Link("← Program sessions", href=SESSIONS_PATH, className="lp-back")
    svc = services.current()
    try:  # cached: the page's callback reads the same result
        p = svc.queries.run(q.program_overview, auth.viewer_scope(), svc.now(), program_id=program_id)
    except LookupError:
        return html.Div([back, page_header("Program template"),
                         dbc.Alert(f"There is no program template {program_id!r}.", color="warning")])
    except SQLAlchemyError:
        logging.getLogger(__name__).exception("program: database error")
        return html.Div([back, page_header("Program template"), data_unavailable()])
    subtitle = f"Program template · {p['kind']}" + (f" · {p['description']}" if p["description"] else "")
    download = html.A("Download", className="btn btn-primary", href=downloads.url("program", program=program_id),
                      title="Session CSV over every session of this program template")
    return html.Div([
        dcc.Store(id=ID.ID, data=program_id),
        back,
        dbc.Row([dbc.Col(page_header(p["name"], subtitle), md=True),
                 dbc.Col(download, md="auto", className="align-self-center mb-3")]),
        dcc.Loading(html.Div(id=ID.KPIS, className="mb-3 lp-kpi-row"), type="dot"),
        dbc.Card([dbc.CardHeader(html.H5("Sessions of this template", className="mb-0")), dbc.CardBody(
            client_grid(ID.GRID, COLUMNS, "session_id"))], className="mb-4"),
    ])
