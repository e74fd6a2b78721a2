"""Program sessions list: status filter -> rows and download link; search -> the grid's quick filter."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, Patch

from callbacks import inputs
from callbacks.program_session_rows import grid_rows
from dashboard import downloads, viewer
from dashboard.ids import ProgramSessions as ID
from data_access.queries import sessions as q
from layouts.common import data_unavailable, no_data_yet


@viewer.answers(unavailable=lambda: ([], None, None, data_unavailable()))
def load(status):
    if status not in (q.IN_PROGRESS, q.FINISHED, q.ALL):
        return [], None, None, dbc.Alert("Choose which sessions to list: in progress, finished or all.",
                                         color="warning")
    rows = viewer.run(q.sessions_table, status=status)
    count = f"{len(rows):,} session{'s' if len(rows) != 1 else ''}"
    message = None
    if not rows:
        message = no_data_yet() if status == q.ALL else dbc.Alert(
            "No session matches this filter; choose All to see every session.", color="secondary")
    return grid_rows(rows, viewer.timezone()), count, downloads.url("sessions", status=status), message


def search(text):
    patch = Patch()
    patch["quickFilterText"] = inputs.text(text)
    return patch


def register(app) -> None:
    app.callback(Output(ID.GRID, "rowData"), Output(ID.COUNT, "children"), Output(ID.DOWNLOAD, "href"),
                 Output(ID.MESSAGE, "children"), Input(ID.STATUS, "value"))(load)
    app.callback(Output(ID.GRID, "dashGridOptions"), Input(ID.SEARCH, "value"), prevent_initial_call=True)(search)
