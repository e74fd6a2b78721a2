"""Collaborative activity tabs: each tab loads its table and its chart once; the Users tab's group picker narrows
the count, the chart, the download and the server-paged table."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, ctx, no_update

from callbacks import grids, inputs
from callbacks.figures import empty_figure
from callbacks.figures import layout as figure_layout
from callbacks.grids import EMPTY_ROWS
from callbacks.program_session_rows import grid_rows, link_text
from dashboard import downloads, viewer
from dashboard.ids import Collaboration as ID
from dashboard.ids import CollaborationSessions as SID
from dashboard.pages import collaboration_group_href, collaboration_tab_href, course_href
from data_access.queries import collaboration as q
from layouts import palette
from layouts.common import data_unavailable

SERIES = [("publications", "Publications", palette.BLUE), ("comments", "Comments", palette.TEAL),
          ("reactions", "Reactions", palette.ORANGE)]
NOTHING = "No publication, comment or reaction yet"


def _short(text: str, n: int = 28) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def stacked_bars(labels: list[str], series: list[tuple[str, list[int], str]], empty: str) -> dict:
    """Horizontal stacked bars, the first label on top; a sentence instead when there is nothing to show."""
    if not labels:
        return empty_figure(empty)
    data = [{"type": "bar", "orientation": "h", "y": [_short(x) for x in labels], "x": values, "name": name,
             "marker": {"color": colour}, "customdata": labels,
             "hovertemplate": f"%{{customdata}}<br>{name}: %{{x:,}}<extra></extra>"}
            for name, values, colour in series]
    return {"data": data, "layout": figure_layout(
        barmode="stack", showlegend=True, legend={"orientation": "h", "y": -0.15, "x": 0, "traceorder": "normal"},
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        xaxis={"fixedrange": True, "rangemode": "tozero", "automargin": True},
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True, "type": "category"})}


def top_figure(rows: list[dict], label: str) -> dict:
    """The 10 rows with the most publications + comments + reactions, stacked by the three."""
    ranked = sorted((r for r in rows if r["publications"] + r["comments"] + r["reactions"] > 0),
                    key=lambda r: -(r["publications"] + r["comments"] + r["reactions"]))[:10]
    return stacked_bars([r[label] for r in ranked], [(name, [r[key] for r in ranked], colour)
                                                     for key, name, colour in SERIES], NOTHING)


def courses_figure(rows: list[dict]) -> dict:
    ranked = sorted((r for r in rows if r["reactions"]), key=lambda r: -r["reactions"])[:10]
    return stacked_bars([r["name"] for r in ranked], [(name, [r[key] for r in ranked], colour)
                                                      for key, name, colour in palette.REACTION_KINDS],
                        "No reaction yet on these courses")


def group_rows(rows: list[dict]) -> list[dict]:
    return [{**r, "name_link": f"[{link_text(r['name'])}]({collaboration_group_href(r['group_id'])})"} for r in rows]


def course_rows(rows: list[dict]) -> list[dict]:
    return [{**r, "name_link": f"[{link_text(r['name'])}]({course_href(r['course_id'])})",
             "reaction_score": None if r["reaction_score"] is None else round(r["reaction_score"], 1)}
            for r in rows]


def _none_visible(what: str):
    return dbc.Alert(what, color="secondary", className="lp-empty")


def open_tab(tab):
    return collaboration_tab_href(tab) if tab else no_update


def _no_such_group():
    return None, None, empty_figure("Not available"), dbc.Alert("There is no such group you can see.",
                                                                color="warning")


@viewer.answers(unavailable=lambda: (None, None, empty_figure("Not available"), data_unavailable()),
                missing=_no_such_group)
def users_summary(group):
    group = inputs.optional_id(group)
    count = viewer.run(q.users_count, group_id=group)
    top = viewer.run(q.top_users, group_id=group)
    message = no_update if ctx.triggered_id is None else None
    if not count:
        message = _none_visible("No current user here." if group else
                                "You see the collaborative activity of the users of the groups you administer "
                                "or coach, and you have none; your courses are in the Courses tab.")
    return (f"{count:,} user{'s' if count != 1 else ''}", downloads.url("collab-users", group=group),
            top_figure(top, "name"), message)


def users_rows(request, group):
    try:
        group = inputs.optional_id(group)
    except LookupError:
        return EMPTY_ROWS
    return grids.answer(request, q.users_page, list, group_id=group)


@viewer.answers(unavailable=lambda: (empty_figure("Not available"), data_unavailable()))
def groups(_):
    top = viewer.run(q.top_teams)
    any_group = top or viewer.run(q.group_options)
    message = None if any_group else _none_visible(
        "You see the groups you administer or coach, and their subgroups; you have none.")
    return top_figure(top, "name"), message


def groups_rows(request):
    return grids.answer(request, q.groups_page, group_rows)


@viewer.answers(unavailable=lambda: ([], empty_figure("Not available"), data_unavailable()))
def courses(_):
    rows = viewer.run(q.courses_table)
    message = None if rows else _none_visible(
        "No course you can see: you see the courses you author and those of your groups' authors.")
    return course_rows(rows), courses_figure(rows), message


@viewer.answers(unavailable=lambda: (empty_figure("Not available"), data_unavailable()))
def sessions(_):
    return top_figure(viewer.run(q.top_sessions), "name"), None


def sessions_rows(request):
    return grids.answer(request, q.sessions_page, lambda rows: grid_rows(rows, viewer.timezone()))


def register(app) -> None:
    app.callback(Output(ID.NAVIGATE, "href"), Input(ID.TABS, "active_tab"), prevent_initial_call=True)(open_tab)
    app.callback(Output(ID.USERS_COUNT, "children"), Output(ID.USERS_DOWNLOAD, "href"),
                 Output(ID.USERS_CHART, "figure"), Output(ID.USERS_MESSAGE, "children"),
                 Input(ID.GROUP, "value"))(users_summary)
    app.callback(Output(ID.USERS_GRID, "getRowsResponse"), Input(ID.USERS_GRID, "getRowsRequest"),
                 State(ID.GROUP, "value"), prevent_initial_call=True)(users_rows)
    app.clientside_callback(ClientsideFunction("learnpulse", "refreshGrid"), Output(ID.USERS_REFRESH, "data"),
                            Input(ID.GROUP, "value"), State(ID.USERS_GRID, "id"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("learnpulse_collab", "syncGroup"), Output(ID.URL_SYNC, "data"),
                            Input(ID.GROUP, "value"), prevent_initial_call=True)
    app.callback(Output(ID.GROUPS_CHART, "figure"), Output(ID.GROUPS_MESSAGE, "children"),
                 Input(ID.GROUPS_GRID, "id"))(groups)
    app.callback(Output(ID.GROUPS_GRID, "getRowsResponse"), Input(ID.GROUPS_GRID, "getRowsRequest"),
                 prevent_initial_call=True)(groups_rows)
    app.callback(Output(ID.COURSES_GRID, "rowData"), Output(ID.COURSES_CHART, "figure"),
                 Output(ID.COURSES_MESSAGE, "children"), Input(ID.COURSES_GRID, "id"))(courses)
    app.callback(Output(ID.SESSIONS_CHART, "figure"), Output(ID.SESSIONS_MESSAGE, "children"),
                 Input(SID.GRID, "id"))(sessions)
    app.callback(Output(SID.GRID, "getRowsResponse"), Input(SID.GRID, "getRowsRequest"),
                 prevent_initial_call=True)(sessions_rows)
