"""Users page callbacks: the tab chooses the list (current / deleted) or the General stats panel; the list's
rows come 100 at a time from SQL; the URL follows the tab and the manager whose team is shown."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, no_update

from callbacks import general_stats, grids, inputs
from callbacks.grids import EMPTY_ROWS, grid_request
from dashboard import downloads, viewer
from dashboard.ids import Users as ID
from dashboard.pages import profile_link, team_href
from data_access.exports.csv_format import date
from data_access.queries import users as q
from layouts import general_stats as panel
from layouts.formats import duration
from layouts.users import DELETED, GENERAL


def list_rows(rows: list[dict], tz: str) -> list[dict]:
    return [{"user_id": r["user_id"], "first_name": r["first_name"], "last_name": r["last_name"], "email": r["email"],
             "time_spent": duration(r["time_spent_s"]) if r["time_spent_s"] else "-",
             "last_activity": date(r["last_activity_at"], tz) or "-",
             "reports_link": f"[{r['direct_reports']:,}]({team_href(r['user_id'])})" if r["direct_reports"] else "0",
             "profile_link": profile_link(r["user_id"])} for r in rows]


def count_text(total: int, deleted: bool, team: bool, filtered: bool) -> str:
    who = "deleted user" if deleted else "user"
    text = f"{total:,} {who}{'s' if total != 1 else ''}"
    if team:
        text += " in this team"
    return text + (" match the filters" if filtered else "")


NOT_LOADED = "The users could not be loaded; try again in a moment."


def choose_tab(tab, built):
    if tab == GENERAL:
        return {"display": "none"}, no_update if built else panel.panel(), no_update
    return None, no_update, downloads.url("users", deleted=tab == DELETED)


def rows(request, tab, manager):
    if not request or tab == GENERAL:
        return no_update, no_update
    deleted = tab == DELETED
    if manager is not None and inputs.an_id(manager) is None:  # answered like a manager who does not exist
        return EMPTY_ROWS, NOT_LOADED
    page = grids.fetch(request, q.users_page, deleted=deleted, manager_id=manager)
    if page is None:
        return EMPTY_ROWS, NOT_LOADED
    text = count_text(page["total"], deleted, manager is not None, bool(grid_request(request)["filter_model"]))
    return {"rowData": list_rows(page["rows"], viewer.timezone()), "rowCount": page["total"]}, text


def register(app) -> None:
    general_stats.register(app)
    app.callback(Output(ID.LIST_PANEL, "style"), Output(ID.GENERAL_PANEL, "children"), Output(ID.DOWNLOAD, "href"),
                 Input(ID.TABS, "active_tab"), State(ID.GENERAL_PANEL, "children"))(choose_tab)
    app.callback(Output(ID.GRID, "getRowsResponse"), Output(ID.COUNT, "children"),
                 Input(ID.GRID, "getRowsRequest"), State(ID.TABS, "active_tab"), State(ID.MANAGER, "data"),
                 prevent_initial_call=True)(rows)
    app.clientside_callback(ClientsideFunction("learnpulse", "refreshGrid"), Output(ID.GRID_REFRESH, "data"),
                            Input(ID.TABS, "active_tab"), State(ID.GRID, "id"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("learnpulse_users", "syncUsersUrl"), Output(ID.URL_SYNC, "data"),
                            Input(ID.TABS, "active_tab"), State(ID.MANAGER, "data"))
