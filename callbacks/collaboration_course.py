"""A course's collaborative activity: reactions by kind and engagement by activity load once; clicking a number
opens the people behind it (server-paged, with its own CSV), kept in the address bar."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, ctx, no_update

from callbacks import grids, inputs
from callbacks.figures import empty_figure
from callbacks.figures import layout as figure_layout
from callbacks.grids import EMPTY_ROWS
from dashboard import downloads, viewer
from dashboard.ids import CollaborationCourse as ID
from data_access.exports.csv_format import date
from data_access.queries import collaboration as q
from layouts.collaboration_course import COMMENT_COLUMNS, NUMBERS, PEOPLE_COLUMNS, TYPES
from layouts.common import data_unavailable
from layouts.palette import REACTION_KINDS

UNITS = {"views": ("view", "views"), "like": ("like", "likes"), "comments": ("comment", "comments"),
         "downloads": ("download", "downloads")}


def reactions_figure(info: dict) -> dict:
    if not info["reactions"]:
        return empty_figure("No reaction yet on this course's activities")
    kinds, names, colours = zip(*REACTION_KINDS, strict=True)
    return {"data": [{"type": "bar", "x": list(names), "y": [info[k] for k in kinds],
                      "marker": {"color": list(colours)}, "text": [f"{info[k]:,}" for k in kinds],
                      "textposition": "outside", "cliponaxis": False, "hovertemplate": "%{x}: %{y:,}<extra></extra>"}],
            "layout": figure_layout(margin={"l": 40, "r": 10, "t": 20, "b": 10},
                                    xaxis={"type": "category", "fixedrange": True, "automargin": True},
                                    yaxis={"fixedrange": True, "rangemode": "tozero", "title": {"text": "reactions"}})}


def activity_rows(rows: list[dict]) -> list[dict]:
    return [{**r, "type_label": TYPES.get(r["type"], r["type"])} for r in rows]


def people_rows(rows: list[dict], tz: str) -> list[dict]:
    return [{**r, "at": date(r["at"], tz), "reply": "x" if r["reply"] else "", "archived": "x" if r["archived"] else ""}
            for r in rows]


def people_title(selected: dict, rows: list[dict]) -> str:
    """'Liked “Intro doc”: 3' from the selection and the activity's line in the table."""
    column = next(col for col, (action, _label) in NUMBERS.items() if action == selected["action"])
    label = NUMBERS[column][1]
    line = next(r for r in rows if r.get("activity_id") == selected["activity"])
    n = inputs.whole(line.get(column)) or 0
    one, many = UNITS.get(column, ("reaction", "reactions"))
    return f"{label} “{inputs.text(line.get('title'))}”: {n:,} {one if n == 1 else many}"


def selection(value) -> dict | None:
    """The selected number as the selection store holds it ({activity, action}), or None."""
    value = inputs.mapping(value)
    activity, action = inputs.an_id(value.get("activity")), value.get("action")
    if activity is None or not any(action == a for a, _label in NUMBERS.values()):
        return None
    return {"activity": activity, "action": action}


@viewer.answers(unavailable=lambda: (empty_figure("Not available"), [], data_unavailable()),
                missing=lambda: (empty_figure("Not available"), [], data_unavailable()))  # the layout said why
def load(course_id):
    course_id = inputs.an_id(course_id)
    info = viewer.run(q.course_info, course_id=course_id)
    rows = viewer.run(q.course_activities, course_id=course_id)
    message = None if rows else dbc.Alert("This course has no activity yet: every number is 0.",
                                          color="secondary", className="lp-empty")
    return reactions_figure(info), activity_rows(rows), message


def select(click, _close):
    if ctx.triggered_id == ID.PEOPLE_CLOSE:
        return {}
    column, activity = inputs.clicked_column(click), inputs.clicked_row(click)
    if column not in NUMBERS or not activity:
        return no_update
    return {"activity": activity, "action": NUMBERS[column][0]}


def show_people(selected, rows):
    selected, rows = selection(selected), inputs.rows(rows)
    if not selected or not any(r.get("activity_id") == selected["activity"] for r in rows):
        return {"display": "none"}, None, "#", PEOPLE_COLUMNS  # nothing chosen, or not this course's activity
    columns = PEOPLE_COLUMNS + (COMMENT_COLUMNS if selected["action"] == "comments" else [])
    href = downloads.url("activity-users", activity=selected["activity"], action=selected["action"])
    return {}, people_title(selected, rows), href, columns


def people(request, selected, course_id):
    selected = selection(selected)
    if not selected:
        return EMPTY_ROWS
    tz = viewer.timezone()
    return grids.answer(request, q.activity_people_page, lambda rows: people_rows(rows, tz),
                        activity_id=selected["activity"], action=selected["action"],
                        course_id=inputs.an_id(course_id))


def register(app) -> None:
    app.callback(Output(ID.REACTIONS_CHART, "figure"), Output(ID.GRID, "rowData"), Output(ID.MESSAGE, "children"),
                 Input(ID.ID, "data"))(load)
    app.callback(Output(ID.SELECTED, "data"), Input(ID.GRID, "cellClicked"), Input(ID.PEOPLE_CLOSE, "n_clicks"),
                 prevent_initial_call=True)(select)
    app.callback(Output(ID.PEOPLE_CARD, "style"), Output(ID.PEOPLE_TITLE, "children"),
                 Output(ID.PEOPLE_DOWNLOAD, "href"), Output(ID.PEOPLE_GRID, "columnDefs"),
                 Input(ID.SELECTED, "data"), Input(ID.GRID, "rowData"))(show_people)
    app.callback(Output(ID.PEOPLE_GRID, "getRowsResponse"), Input(ID.PEOPLE_GRID, "getRowsRequest"),
                 State(ID.SELECTED, "data"), State(ID.ID, "data"), prevent_initial_call=True)(people)
    app.clientside_callback(ClientsideFunction("learnpulse", "refreshGrid"), Output(ID.PEOPLE_REFRESH, "data"),
                            Input(ID.SELECTED, "data"), State(ID.PEOPLE_GRID, "id"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("learnpulse_collab", "syncSelection"), Output(ID.URL_SYNC, "data"),
                            Input(ID.SELECTED, "data"), prevent_initial_call=True)
