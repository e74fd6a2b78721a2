"""Program template results: totals over its sessions and the sessions table."""

from __future__ import annotations

import logging

from dash import Input, Output
from sqlalchemy.exc import SQLAlchemyError

from callbacks import inputs
from callbacks.program_sessions import grid_rows
from dashboard import auth, services
from dashboard.ids import Program as ID
from data_access.queries import sessions as q
from layouts.common import data_unavailable, kpi_row
from layouts.formats import score_text


def kpi_cards(p: dict):
    return kpi_row([("Sessions", f"{len(p['sessions']):,}"), ("Registrations", f"{p['registrations']:,}"),
                    ("Attendees", f"{p['attendees']:,}"), ("Completed", f"{p['completed']:,}"),
                    ("Average score", score_text(p["average_score"]))], xs=6, md=True)


def register(app) -> None:
    @app.callback(Output(ID.KPIS, "children"), Output(ID.GRID, "rowData"), Input(ID.ID, "data"))
    def load(program_id):
        svc = services.current()
        try:
            p = svc.queries.run(q.program_overview, auth.viewer_scope(), svc.now(),
                                program_id=inputs.an_id(program_id))
        except (LookupError, SQLAlchemyError):  # the layout already said why
            logging.getLogger(__name__).exception("program: could not load %r", program_id)
            return data_unavailable(), []
        return kpi_cards(p), grid_rows(p["sessions"], svc.settings.timezone)
