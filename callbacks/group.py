"""One group's statistics: one load of the rates and the two charts; the sessions table and a session's learners
are paged in SQL; a line lists its learners, a learner opens the session page's dialog."""

from __future__ import annotations

from functools import lru_cache

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, html, no_update

from callbacks import grids, inputs
from callbacks.figures import empty_figure
from callbacks.figures import layout as figure_layout
from callbacks.grids import EMPTY_ROWS
from callbacks.learners import learner_dialog, people_rows
from callbacks.program_session_rows import grid_rows
from dashboard import downloads, viewer
from dashboard.ids import Group as ID
from data_access.exports.csv_format import date
from data_access.queries import groups as q
from layouts import palette
from layouts.common import data_unavailable, kpi_card
from layouts.formats import day, score_text

BAR, BLENDED, ONLINE = palette.BLUE, palette.ORANGE, palette.BLUE
NO_SESSION = ("No program session is in this group's catalog or assigned through it, so there is nothing to "
              "measure yet.")
HIDDEN, SHOWN = {"display": "none"}, {}


def _rate(value) -> str:
    return "-" if value is None else f"{score_text(value)}%"


def kpi_cards(st: dict):
    """The three rates, each saying over how many learner-sessions (metrics.md: pairs of the group's learners
    currently registered in its sessions of the last 12 months), and the sessions they come from."""
    pairs = st["pairs"]

    def hint(part: int, what: str) -> str:
        if not pairs:
            return "no learner registered in a session of the last 12 months"
        return f"{part:,} of {pairs:,} learner-session{'s' if pairs != 1 else ''} {what}, last 12 months"

    cards = [("Attendance rate", _rate(st["attendance_pct"]), hint(st["started"], "started")),
             ("Completion rate", _rate(st["completion_pct"]), hint(st["completed"], "at 100% progress")),
             ("Success rate", _rate(st["success_pct"]), hint(st["verified"], "verified")),
             ("Sessions, last 12 months", f"{st['sessions_12']:,}",
              f"in progress at some time in the last 365 days, of {st['sessions']:,} in all")]
    return dbc.Row([dbc.Col(kpi_card(label, value, text), xs=12, sm=6, xl=3, className="mb-2")
                    for label, value, text in cards])


def ongoing_figure(months: list[dict]) -> dict:
    if not any(m["sessions"] for m in months):
        return empty_figure("No session in progress in the last 12 months")
    bar = {"type": "bar", "x": [m["label"] for m in months], "y": [m["sessions"] for m in months],
           "marker": {"color": BAR}, "text": [f"{m['sessions']:,}" for m in months], "textposition": "outside",
           "cliponaxis": False, "hovertemplate": "%{x}: %{y:,} sessions in progress<extra></extra>"}
    return {"data": [bar], "layout": figure_layout(
        margin={"l": 45, "r": 10, "t": 20, "b": 50},
        xaxis={"type": "category", "fixedrange": True, "automargin": True},
        yaxis={"title": {"text": "sessions"}, "fixedrange": True, "rangemode": "tozero", "tickformat": ",d"})}


def blended_figure(st: dict) -> dict:
    if not st["sessions_12"]:
        return empty_figure("No session in the last 12 months")
    pie = {"type": "pie", "labels": ["Blended (with a classroom)", "100% online"],
           "values": [st["blended"], st["online"]], "hole": 0.55, "sort": False, "direction": "clockwise",
           "marker": {"colors": [BLENDED, ONLINE]}, "texttemplate": "%{value:,}<br>%{percent}",
           "hovertemplate": "%{label}: %{value:,} sessions (%{percent})<extra></extra>"}
    return {"data": [pie], "layout": figure_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=True,
                                                   legend={"orientation": "h", "y": -0.05, "x": 0.5,
                                                           "xanchor": "center"})}


@lru_cache(maxsize=16_384)
def _when(epoch: int | None, tz: str) -> str:
    """A session's start or end as in the CSV; memoised (pure): every block of the table formats 200 dates,
    otherwise most of a cached answer's time."""
    return date(epoch, tz)


def session_rows(rows: list[dict], tz: str) -> list[dict]:
    """The table's lines: the name links to the session page, dates as in the CSV, one decimal."""
    return [{"session_id": r["session_id"], "name_link": r["name_link"], "start": r["start"], "end": r["end"],
             "learners": r["learners"], "attendance": r["attendance"],
             "progress": None if r["progress"] is None else round(r["progress"], 1),
             "score": None if r["score"] is None else round(r["score"], 1)} for r in grid_rows(rows, tz, _when)]


def _not_loaded():
    na = empty_figure("Not available")
    return None, na, na, HIDDEN, data_unavailable()


@viewer.answers(unavailable=_not_loaded, missing=_not_loaded)  # the layout already said "not found"
def load(group_id):
    st = viewer.run(q.group_statistics, group_id=inputs.an_id(group_id), tz=viewer.timezone())
    if not st["sessions"]:  # the cards with '-' and a sentence, no empty axes
        return kpi_cards(st), no_update, no_update, HIDDEN, dbc.Alert(NO_SESSION, color="secondary")
    return kpi_cards(st), ongoing_figure(st["months"]), blended_figure(st), SHOWN, None


def sessions(request, group_id):
    tz = viewer.timezone()
    return grids.answer(request, q.sessions_page, lambda rows: session_rows(rows, tz),
                        group_id=inputs.an_id(group_id))


@viewer.answers(unavailable=(None, "Not available", SHOWN, None), missing=(None, "Not available", SHOWN, None))
def choose_session(click, group_id):
    session_id = inputs.clicked_row(click)
    if not session_id:
        return no_update, no_update, no_update, no_update
    s = viewer.run(q.group_session, group_id=inputs.an_id(group_id), session_id=session_id)
    title = [html.Strong(s["name"]), f" · {day(s['start_at'])} – {day(s['end_at'])} · ",
             f"{s['learners']:,} learner{'s' if s['learners'] != 1 else ''}"]
    return s["session_id"], title, SHOWN, downloads.url("session", session=s["session_id"])


def people(request, group_id, session_id):
    session_id = inputs.an_id(session_id)
    if not request or not session_id:
        return EMPTY_ROWS
    tz = viewer.timezone()
    return grids.answer(request, q.session_learners_page, lambda rows: people_rows(rows, tz),
                        group_id=inputs.an_id(group_id), session_id=session_id)


def open_learner(click, group_id, session_id):
    user_id, session_id = inputs.clicked_row(click), inputs.an_id(session_id)
    if not user_id or not session_id:
        return no_update, no_update, no_update
    return learner_dialog(q.learner_blocks, group_id=inputs.an_id(group_id), session_id=session_id,
                          user_id=user_id)


def register(app) -> None:
    app.callback(Output(ID.KPIS, "children"), Output(ID.ONGOING_CHART, "figure"), Output(ID.BLENDED_CHART, "figure"),
                 Output(ID.CHARTS, "style"), Output(ID.MESSAGE, "children"), Input(ID.ID, "data"))(load)
    app.callback(Output(ID.SESSIONS_GRID, "getRowsResponse"), Input(ID.SESSIONS_GRID, "getRowsRequest"),
                 State(ID.ID, "data"), prevent_initial_call=True)(sessions)
    app.callback(Output(ID.SESSION, "data"), Output(ID.PEOPLE_TITLE, "children"), Output(ID.PEOPLE_CARD, "style"),
                 Output(ID.PEOPLE_DOWNLOAD, "href"), Input(ID.SESSIONS_GRID, "cellClicked"), State(ID.ID, "data"),
                 prevent_initial_call=True)(choose_session)
    app.callback(Output(ID.PEOPLE_GRID, "getRowsResponse"), Input(ID.PEOPLE_GRID, "getRowsRequest"),
                 State(ID.ID, "data"), State(ID.SESSION, "data"), prevent_initial_call=True)(people)
    app.callback(Output(ID.LEARNER_MODAL, "is_open"), Output(ID.LEARNER_TITLE, "children"),
                 Output(ID.LEARNER_BODY, "children"), Input(ID.PEOPLE_GRID, "cellClicked"),
                 State(ID.ID, "data"), State(ID.SESSION, "data"), prevent_initial_call=True)(open_learner)
    app.clientside_callback(ClientsideFunction("learnpulse", "refreshGrid"), Output(ID.PEOPLE_REFRESH, "data"),
                            Input(ID.SESSION, "data"), State(ID.PEOPLE_GRID, "id"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("learnpulse", "revealCard"), Output(ID.PEOPLE_REVEAL, "data"),
                            Input(ID.SESSION, "data"), State(ID.PEOPLE_CARD, "id"), prevent_initial_call=True)
