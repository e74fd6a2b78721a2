"""Collaborative activity tabs: each tab loads its table and its chart once; the Users tab's group picker narrows
the count, the chart, the download and the server-paged table."""

from __future__ import annotations

import logging

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, ctx, no_update
from sqlalchemy.exc import SQLAlchemyError

from callbacks import inputs
from callbacks.figures import empty_figure
from callbacks.figures import layout as figure_layout
from callbacks.grids import EMPTY_ROWS, grid_request
from callbacks.program_sessions import _md, grid_rows
from dashboard import auth, downloads, services
from dashboard.ids import Collaboration as ID
from dashboard.ids import CollaborationSessions as SID
from dashboard.pages import collaboration_group_href, collaboration_tab_href, course_href
from data_access.queries import collaboration as q
from layouts.common import data_unavailable

log = logging.getLogger(__name__)
SERIES = [("publications", "Publications", "#4c6ef5"), ("comments", "Comments", "#20a4a4"),
          ("reactions", "Reactions", "#f08c00")]
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


KIND_SERIES = [("like", "Likes", "#2e9d5b"), ("learned_something", "Learned something", "#51cf66"),
               ("useful", "Useful", "#94d82d"), ("have_a_question", "Have a question", "#4c6ef5"),
               ("outdated", "Outdated", "#f08c00"), ("irrelevant", "Irrelevant", "#d9534f"),
               ("didnt_get_it", "Didn't get it", "#8c8c8c")]


def courses_figure(rows: list[dict]) -> dict:
    ranked = sorted((r for r in rows if r["reactions"]), key=lambda r: -r["reactions"])[:10]
    return stacked_bars([r["name"] for r in ranked], [(name, [r[key] for r in ranked], colour)
                                                      for key, name, colour in KIND_SERIES],
                        "No reaction yet on these courses")


def group_rows(rows: list[dict]) -> list[dict]:
    return [{**r, "name_link": f"[{_md(r['name'])}]({collaboration_group_href(r['group_id'])})"} for r in rows]


def course_rows(rows: list[dict]) -> list[dict]:
    return [{**r, "name_link": f"[{_md(r['name'])}]({course_href(r['course_id'])})",
             "reaction_score": None if r["reaction_score"] is None else round(r["reaction_score"], 1)}
            for r in rows]


def paged_rows(request: dict | None, query, shape, **kwargs) -> dict:
    """Answer a server-paged grid's getRowsRequest with a *_page query (kwargs + the grid's sort, filters and row
    range); `shape` turns the query's rows into the grid's."""
    if not request:
        return no_update
    svc = services.current()
    try:
        page = svc.queries.run(query, auth.viewer_scope(), svc.now(), **kwargs, **grid_request(request))
    except (ValueError, LookupError, SQLAlchemyError):  # ValueError: a filter the grid should not offer
        log.exception("collaboration: %s", query.__name__)
        return EMPTY_ROWS
    return {"rowData": shape(page["rows"]), "rowCount": page["total"]}


def _none_visible(what: str):
    return dbc.Alert(what, color="secondary", className="lp-empty")


def register(app) -> None:
    @app.callback(Output(ID.NAVIGATE, "href"), Input(ID.TABS, "active_tab"), prevent_initial_call=True)
    def open_tab(tab):
        return collaboration_tab_href(tab) if tab else no_update

    @app.callback(Output(ID.USERS_COUNT, "children"), Output(ID.USERS_DOWNLOAD, "href"),
                  Output(ID.USERS_CHART, "figure"), Output(ID.USERS_MESSAGE, "children"), Input(ID.GROUP, "value"))
    def users_summary(group):
        svc = services.current()
        scope, now = auth.viewer_scope(), svc.now()
        try:
            group = inputs.optional_id(group)
            count = svc.queries.run(q.users_count, scope, now, group_id=group)
            top = svc.queries.run(q.top_users, scope, now, group_id=group)
        except LookupError:
            return None, None, empty_figure("Not available"), dbc.Alert(
                "There is no such group you can see.", color="warning")
        except SQLAlchemyError:
            log.exception("collaboration: users summary")
            return None, None, empty_figure("Not available"), data_unavailable()
        message = no_update if ctx.triggered_id is None else None
        if not count:
            message = _none_visible("No current user here." if group else
                                    "You see the collaborative activity of the users of the groups you administer "
                                    "or coach, and you have none; your courses are in the Courses tab.")
        figure = top_figure(top, "name")
        return (f"{count:,} user{'s' if count != 1 else ''}", downloads.url("collab-users", group=group), figure,
                message)

    @app.callback(Output(ID.USERS_GRID, "getRowsResponse"), Input(ID.USERS_GRID, "getRowsRequest"),
                  State(ID.GROUP, "value"), prevent_initial_call=True)
    def users_rows(request, group):
        try:
            group = inputs.optional_id(group)
        except LookupError:
            return EMPTY_ROWS
        return paged_rows(request, q.users_page, list, group_id=group)

    app.clientside_callback(ClientsideFunction("learnpulse", "refreshGrid"), Output(ID.USERS_REFRESH, "data"),
                            Input(ID.GROUP, "value"), State(ID.USERS_GRID, "id"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("learnpulse_collab", "syncGroup"), Output(ID.URL_SYNC, "data"),
                            Input(ID.GROUP, "value"), prevent_initial_call=True)

    @app.callback(Output(ID.GROUPS_CHART, "figure"), Output(ID.GROUPS_MESSAGE, "children"),
                  Input(ID.GROUPS_GRID, "id"))
    def groups(_):
        svc = services.current()
        scope, now = auth.viewer_scope(), svc.now()
        try:
            top = svc.queries.run(q.top_teams, scope, now)
            any_group = top or svc.queries.run(q.group_options, scope, now)
        except SQLAlchemyError:
            log.exception("collaboration: groups")
            return empty_figure("Not available"), data_unavailable()
        message = None if any_group else _none_visible(
            "You see the groups you administer or coach, and their subgroups; you have none.")
        return top_figure(top, "name"), message

    @app.callback(Output(ID.GROUPS_GRID, "getRowsResponse"), Input(ID.GROUPS_GRID, "getRowsRequest"),
                  prevent_initial_call=True)
    def groups_rows(request):
        return paged_rows(request, q.groups_page, group_rows)

    @app.callback(Output(ID.COURSES_GRID, "rowData"), Output(ID.COURSES_CHART, "figure"),
                  Output(ID.COURSES_MESSAGE, "children"), Input(ID.COURSES_GRID, "id"))
    def courses(_):
        svc = services.current()
        try:
            rows = svc.queries.run(q.courses_table, auth.viewer_scope(), svc.now())
        except SQLAlchemyError:
            log.exception("collaboration: courses")
            return [], empty_figure("Not available"), data_unavailable()
        message = None if rows else _none_visible(
            "No course you can see: you see the courses you author and those of your groups' authors.")
        return course_rows(rows), courses_figure(rows), message

    @app.callback(Output(ID.SESSIONS_CHART, "figure"), Output(ID.SESSIONS_MESSAGE, "children"),
                  Input(SID.GRID, "id"))
    def sessions(_):
        svc = services.current()
        try:
            top = svc.queries.run(q.top_sessions, auth.viewer_scope(), svc.now())
        except SQLAlchemyError:
            log.exception("collaboration: sessions")
            return empty_figure("Not available"), data_unavailable()
        return top_figure(top, "name"), None

    @app.callback(Output(SID.GRID, "getRowsResponse"), Input(SID.GRID, "getRowsRequest"), prevent_initial_call=True)
    def sessions_rows(request):
        return paged_rows(request, q.sessions_page, lambda rows: grid_rows(rows, services.current().settings.timezone))
