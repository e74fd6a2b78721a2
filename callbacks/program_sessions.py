"""Program sessions list: the grid asks for its rows 100 at a time (status, search, its sorts and filters, all in
SQL) and gets the count line and the empty states with them; the status sets the download link; a new status or
search reloads the grid from its first row."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, no_update

from callbacks import grids, inputs
from callbacks.grids import EMPTY_ROWS, grid_request
from callbacks.program_session_rows import grid_rows
from dashboard.core import downloads, viewer
from dashboard.core.ids import ProgramSessions as ID
from data_access.queries import sessions as q
from layouts.common import data_unavailable, no_data_yet

STATUSES = (q.IN_PROGRESS, q.FINISHED, q.ALL)
CHOOSE = "Choose which sessions to list: in progress, finished or all."


def count_text(total: int, searched: bool, filtered: bool) -> str:
    """N sessions, and what narrows them."""
    text = f"{total:,} session{'s' if total != 1 else ''}"
    narrowed = " and ".join(part for part, on in (("the search", searched), ("the filters", filtered)) if on)
    return text + (f" match{'es' if total == 1 else ''} {narrowed}" if narrowed else "")


def empty_message(status: str, narrowed: bool):
    """What an empty list says: nothing imported yet, nothing in this status, or nothing matching."""
    if narrowed:
        return dbc.Alert("No session matches the search or the column filters.", color="secondary")
    if status == q.ALL:
        return no_data_yet()
    return dbc.Alert("No session matches this filter; choose All to see every session.", color="secondary")


def rows(request, status, search):
    """One block of the list, with the count line and the message (an empty state, or why nothing loads)."""
    if not request:
        return no_update, no_update, no_update
    if not isinstance(status, str) or status not in STATUSES:
        return EMPTY_ROWS, None, dbc.Alert(CHOOSE, color="warning")
    search = inputs.text(search).strip() or None
    tz = viewer.timezone()
    page = grids.fetch(request, q.sessions_page, status=status, search=search, tz=tz)
    if page is None:
        return EMPTY_ROWS, None, data_unavailable()
    filtered = bool(grid_request(request)["filter_model"])
    total = page["total"]
    message = None if total else empty_message(status, bool(search) or filtered)
    return ({"rowData": grid_rows(page["rows"], tz), "rowCount": total},
            count_text(total, bool(search), filtered), message)


def download(status):
    """The Sessions CSV of the status chosen (every row: the file does not follow the search or the grid)."""
    if not isinstance(status, str) or status not in STATUSES:
        return None
    return downloads.url("sessions", status=status)


def register(app) -> None:
    app.callback(Output(ID.GRID, "getRowsResponse"), Output(ID.COUNT, "children"), Output(ID.MESSAGE, "children"),
                 Input(ID.GRID, "getRowsRequest"), State(ID.STATUS, "value"), State(ID.SEARCH, "value"),
                 prevent_initial_call=True)(rows)
    app.callback(Output(ID.DOWNLOAD, "href"), Input(ID.STATUS, "value"))(download)
    app.clientside_callback(ClientsideFunction("learnpulse", "refreshGrid"), Output(ID.GRID_REFRESH, "data"),
                            Input(ID.STATUS, "value"), Input(ID.SEARCH, "value"), State(ID.GRID, "id"),
                            prevent_initial_call=True)
