"""The trend section of Participants: cohort -> weekly chart (or table), its download, the comparison link and
the pace of a running cohort with the list behind it."""

from __future__ import annotations

from datetime import datetime

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html, no_update

from callbacks.figures import empty_chart
from callbacks.figures import layout as figure_layout
from dashboard.core import downloads, viewer
from dashboard.core.ids import Participants as P
from dashboard.core.ids import Trend as ID
from dashboard.core.pages import compare_href, profile_link
from data_access.exports.csv_format import date, pct
from data_access.exports.trends import monday
from data_access.queries import trends as q
from layouts.common import data_unavailable
from layouts.formats import day
from layouts.palette import NOTE_TEXT, OKABE_ITO

BAR, BAR_NOW, LINE = OKABE_ITO["blue"], OKABE_ITO["sky"], OKABE_ITO["vermillion"]
HIDDEN = {"display": "none"}


def _label(w: dict) -> str:
    d = datetime.fromisoformat(w["monday"])
    return f"W{w['week_n']} · {d:%b} {d.day}"


def trend_figure(trend: dict) -> dict:
    """Bars of active learners and a line of progress (right axis, %), one point per week; the current week is
    lighter and says it counts up to now."""
    weeks = trend["weeks"]
    if not weeks:
        return empty_chart("The cohort has not started yet: no week to show")
    if not trend["participants"]:
        return empty_chart("No participants in this cohort yet")
    x = [_label(w) for w in weeks]
    share = [pct(w["active_pct"]) for w in weeks]
    bars = {"type": "bar", "name": "Active learners", "x": x, "y": [w["active"] for w in weeks],
            "marker": {"color": [BAR_NOW if w["current"] else BAR for w in weeks],
                       "pattern": {"shape": ["/" if w["current"] else "" for w in weeks]}},
            "customdata": [[monday(w["monday"]), w["participants"], s] for w, s in zip(weeks, share, strict=True)],
            "hovertemplate": "Week of %{customdata[0]}: %{y:,} of %{customdata[1]:,} participants active "
                             "(%{customdata[2]}%)<extra></extra>"}
    line = {"type": "scatter", "mode": "lines+markers", "name": "Progress (%)", "x": x, "yaxis": "y2",
            "y": [w["progress_pct"] for w in weeks], "line": {"color": LINE, "width": 2},
            "marker": {"symbol": "diamond", "size": 8},
            "hovertemplate": "progress by the end of the week: %{y:.1f}%<extra></extra>"}
    annotations = [{"x": _label(w), "y": 1, "yref": "paper", "text": "this week, so far", "showarrow": False,
                    "yanchor": "bottom", "font": {"size": 11, "color": NOTE_TEXT}} for w in weeks if w["current"]]
    return {"data": [bars, line], "layout": figure_layout(
        showlegend=True, legend={"orientation": "h", "y": -0.18, "x": 0}, hovermode="x unified",
        margin={"l": 50, "r": 50, "t": 24, "b": 40}, annotations=annotations,
        xaxis={"type": "category", "fixedrange": True},
        yaxis={"title": {"text": "active learners"}, "fixedrange": True, "rangemode": "tozero",
               **({"dtick": 1} if max(w["active"] for w in weeks) < 5 else {})},
        yaxis2={"title": {"text": "progress (%)"}, "overlaying": "y", "side": "right", "range": [0, 100],
                "tickmode": "linear", "tick0": 0, "dtick": 25, "fixedrange": True, "showgrid": False})}


def table_rows(trend: dict) -> list[dict]:
    return [{"week": monday(w["monday"]), "participants": w["participants"], "active": w["active"],
             "active_pct": _number(w["active_pct"]), "progress_pct": _number(w["progress_pct"])}
            for w in trend["weeks"]]


def _number(value):
    return None if value is None else float(pct(value))


def pace_text(p: dict):
    """One sentence on the pace of a running cohort (p: queries.trends.pace_summary)."""
    if not p["running"]:
        return html.Span("Pace is shown for running cohorts.", className="lp-hint")
    total = p["participants"]
    if not total:
        return html.Span("Pace: no participants.", className="lp-hint")
    behind = p["behind"]
    tone = "tone-warn" if behind else "tone-good"
    return html.Span([html.Strong("Pace: "), html.Strong(f"{behind:,} of {total:,}", className=tone),
                      f" participants ({100 * behind / total:.0f}%) will not complete every block by the end "
                      f"({day(p['end_at'])}) at their pace so far"
                      + (f"; {p['finished']:,} have completed them all." if p["finished"] else ".")])


def pace_rows(p: dict, tz: str) -> list[dict]:
    return [{"user_id": r["user_id"], "first_name": r["first_name"], "last_name": r["last_name"],
             "email": r["email"], "completed": r["completed"], "blocks": r["blocks"],
             "started": date(r["started_at"], tz),
             "per_week": _number(r["per_week"]),
             "projected": date(r["projected_finish"], tz) or "never at this pace (nothing completed)",
             "profile_link": profile_link(r["user_id"])} for r in p["behind"]]


def _cohort(session_id) -> str | None:
    return session_id if isinstance(session_id, str) and session_id else None


NO_TREND = (empty_chart("Not available"), [], None, compare_href())


@viewer.answers(unavailable=lambda: (*NO_TREND, data_unavailable()),
                missing=lambda exc: (*NO_TREND, dbc.Alert(str(exc), color="warning")))
def load(session_id):
    """The weeks of the cohort: chart, table, download and the link to the comparison."""
    session_id = _cohort(session_id)
    if session_id is None:
        return empty_chart("Choose a cohort"), [], None, compare_href(), None
    trend = viewer.run(q.activity_trend, session_id=session_id, tz=viewer.timezone())
    return (trend_figure(trend), table_rows(trend), downloads.url("activity-trend", session=session_id),
            compare_href(session_id), None)


NO_PACE = (None, HIDDEN, None, HIDDEN, "List them")


@viewer.answers(unavailable=NO_PACE, missing=NO_PACE)  # (the trend above says why)
def load_pace(session_id):
    """The pace sentence of a running cohort (its list comes on demand: it can hold thousands)."""
    session_id = _cohort(session_id)
    if session_id is None:
        return NO_PACE
    p = viewer.run(q.pace_summary, session_id=session_id)
    show = {"display": "inline"} if p["behind"] else HIDDEN
    return pace_text(p), show, downloads.url("pace", session=session_id), HIDDEN, "List them"


PACE_LISTED = 1000  # the list shows the first ones by name; the CSV has them all


def pace_note(p: dict):
    """Under the list's download button: how many of those behind it shows, when not all."""
    if len(p["behind"]) >= p["behind_total"]:
        return None
    return f"The first {len(p['behind']):,} of {p['behind_total']:,}, by last name; the CSV lists them all."


@viewer.answers(unavailable=(HIDDEN, "List them", [], None), missing=(HIDDEN, "List them", [], None))
def show_pace(_clicks, style, session_id):
    """List (or hide) the participants behind pace, with their projection (the first PACE_LISTED)."""
    if not (isinstance(style, dict) and style.get("display") == "none"):
        return HIDDEN, "List them", no_update, no_update
    session_id = _cohort(session_id)
    if session_id is None:
        return HIDDEN, "List them", [], None
    p = viewer.run(q.pace, session_id=session_id, limit=PACE_LISTED)
    return {}, "Hide them", pace_rows(p, viewer.timezone()), pace_note(p)


def as_table(on):
    chart = {"height": "320px"}
    return ({**chart, "display": "none"}, {}) if on is True else (chart, HIDDEN)


def register(app) -> None:
    app.callback(Output(ID.CHART, "figure"), Output(ID.TABLE, "rowData"), Output(ID.DOWNLOAD, "href"),
                 Output(ID.COMPARE, "href"), Output(ID.MESSAGE, "children"), Input(P.COHORT, "value"))(load)
    app.callback(Output(ID.PACE, "children"), Output(ID.PACE_SHOW, "style"), Output(ID.PACE_DOWNLOAD, "href"),
                 Output(ID.PACE_LIST, "style", allow_duplicate=True),
                 Output(ID.PACE_SHOW, "children", allow_duplicate=True),
                 Input(P.COHORT, "value"), prevent_initial_call="initial_duplicate")(load_pace)
    app.callback(Output(ID.PACE_LIST, "style"), Output(ID.PACE_SHOW, "children"), Output(ID.PACE_GRID, "rowData"),
                 Output(ID.PACE_NOTE, "children"), Input(ID.PACE_SHOW, "n_clicks"), State(ID.PACE_LIST, "style"),
                 State(P.COHORT, "value"),
                 prevent_initial_call=True)(show_pace)
    app.callback(Output(ID.CHART, "style"), Output(ID.TABLE_WRAP, "style"), Input(ID.AS_TABLE, "value"))(as_table)
