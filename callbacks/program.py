"""Program template results: its header, totals over its sessions and the sessions table."""

from __future__ import annotations

import logging

import dash_bootstrap_components as dbc
from dash import Input, Output
from sqlalchemy.exc import SQLAlchemyError

from callbacks.program_sessions import grid_rows
from callbacks.session import score_text
from dashboard import auth, services
from dashboard.ids import Program as ID
from data_access.queries import sessions as q
from layouts.common import data_unavailable, kpi_card, page_header


def kpi_cards(p: dict):
    cards = [("Sessions", f"{len(p['sessions']):,}"), ("Registrations", f"{p['registrations']:,}"),
             ("Attendees", f"{p['attendees']:,}"), ("Completed", f"{p['completed']:,}"),
             ("Average score", score_text(p["average_score"]))]
    return dbc.Row([dbc.Col(kpi_card(label, value), xs=6, md=True, className="mb-2") for label, value in cards])


def register(app) -> None:
    @app.callback(Output(ID.HEADER, "children"), Output(ID.KPIS, "children"), Output(ID.GRID, "rowData"),
                  Input(ID.ID, "data"))
    def load(program_id):
        svc = services.current()
        try:
            p = svc.queries.run(q.program_overview, auth.viewer_scope(), svc.now(), program_id=program_id)
        except LookupError as exc:
            return page_header("Program template"), dbc.Alert(str(exc), color="warning"), []
        except SQLAlchemyError:
            logging.getLogger(__name__).exception("program: database error")
            return page_header("Program template"), data_unavailable(), []
        subtitle = f"Program template · {p['kind']}" + (f" · {p['description']}" if p["description"] else "")
        return page_header(p["name"], subtitle), kpi_cards(p), grid_rows(p["sessions"], svc.settings.timezone)
