"""Program template results: totals over its sessions and the sessions table."""

from __future__ import annotations

from dash import Input, Output

from callbacks import inputs
from callbacks.program_session_rows import grid_rows
from dashboard import viewer
from dashboard.ids import Program as ID
from data_access.queries import sessions as q
from layouts.common import data_unavailable, kpi_row
from layouts.formats import score_text


def kpi_cards(p: dict):
    return kpi_row([("Sessions", f"{len(p['sessions']):,}"), ("Registrations", f"{p['registrations']:,}"),
                    ("Attendees", f"{p['attendees']:,}"), ("Completed", f"{p['completed']:,}"),
                    ("Average score", score_text(p["average_score"]))], xs=6, md=True)


@viewer.answers(unavailable=lambda: (data_unavailable(), []),
                missing=lambda: (data_unavailable(), []))  # the layout already said why
def load(program_id):
    p = viewer.run(q.program_overview, program_id=inputs.an_id(program_id))
    return kpi_cards(p), grid_rows(p["sessions"], viewer.timezone())


def register(app) -> None:
    app.callback(Output(ID.KPIS, "children"), Output(ID.GRID, "rowData"), Input(ID.ID, "data"))(load)
