"""Compare cohorts: the chosen cohorts -> two panels of lines by week N (Active %, Progress %), the table of
the same numbers, the download; the address keeps the choice."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State

from callbacks import cohorts as picker
from callbacks.figures import empty_chart
from callbacks.figures import layout as figure_layout
from dashboard.core import downloads, viewer
from dashboard.core.ids import Compare as ID
from data_access.exports.csv_format import pct
from data_access.exports.trends import monday
from data_access.queries import trends as q
from layouts.common import data_unavailable
from layouts.compare import cohort_label
from layouts.palette import OKABE_ITO

# Okabe-Ito colours; each cohort also has its own dash and marker
COLOURS = [OKABE_ITO[name] for name in ("blue", "orange", "green", "pink", "vermillion")]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x"]


def comparison_figure(cohorts: list[dict]) -> dict:
    """Active (%) above, Progress (%) below, one line per cohort over week N."""
    data = []
    for i, c in enumerate(cohorts):
        style = {"line": {"color": COLOURS[i], "dash": DASHES[i], "width": 2},
                 "marker": {"color": COLOURS[i], "symbol": SYMBOLS[i], "size": 7}}
        weeks = c["weeks"]
        custom = [[monday(w["monday"]) + (", so far" if w["current"] else ""), w["active"], w["participants"]]
                  for w in weeks]
        # the current week (counted up to now) is drawn with an open marker
        style["marker"]["symbol"] = [SYMBOLS[i] + ("-open" if w["current"] else "") for w in weeks]
        data.append({"type": "scatter", "mode": "lines+markers", "name": c["name"], "legendgroup": c["session_id"],
                     "x": [w["week_n"] for w in weeks], "y": [w["active_pct"] for w in weeks], "customdata": custom,
                     "hovertemplate": f"{c['name']}<br>week %{{x}} (%{{customdata[0]}}): %{{y:.1f}}% active "
                                      "(%{customdata[1]:,} of %{customdata[2]:,})<extra></extra>", **style})
        data.append({"type": "scatter", "mode": "lines+markers", "name": c["name"], "legendgroup": c["session_id"],
                     "showlegend": False, "xaxis": "x2", "yaxis": "y2", "customdata": custom,
                     "x": [w["week_n"] for w in weeks], "y": [w["progress_pct"] for w in weeks],
                     "hovertemplate": f"{c['name']}<br>week %{{x}} (%{{customdata[0]}}): %{{y:.1f}}% progress"
                                      "<extra></extra>", **style})
    last = max((len(c["weeks"]) for c in cohorts), default=1)
    axis = {"range": [0.5, last + 0.5], "dtick": 1, "fixedrange": True}
    return {"data": data, "layout": figure_layout(
        showlegend=True, legend={"orientation": "h", "y": 1.1, "x": 0}, margin={"l": 60, "r": 20, "t": 40, "b": 50},
        xaxis={**axis, "anchor": "y", "showticklabels": False},
        yaxis={"domain": [0.56, 1], "range": [0, 100], "title": {"text": "active (%)"}, "fixedrange": True},
        xaxis2={**axis, "anchor": "y2", "title": {"text": "week since the cohort's start"}},
        yaxis2={"domain": [0, 0.44], "range": [0, 100], "title": {"text": "progress (%)"}, "fixedrange": True})}


def table_rows(cohorts: list[dict]) -> list[dict]:
    return [{"key": f"{c['session_id']}:{w['week_n']}", "cohort": c["name"], "session_id": c["session_id"],
             "week_n": w["week_n"], "week": monday(w["monday"]),
             "active_pct": None if w["active_pct"] is None else float(pct(w["active_pct"])),
             "progress_pct": None if w["progress_pct"] is None else float(pct(w["progress_pct"]))}
            for c in cohorts for w in c["weeks"]]


OFF = "btn btn-primary disabled"


@viewer.answers(unavailable=lambda: (empty_chart("Not available"), [], None, OFF, data_unavailable()),
                missing=lambda exc: (empty_chart("Not available"), [], None, OFF,
                                     dbc.Alert(str(exc), color="warning")))
def compare(chosen):
    try:
        ids = q.check_cohort_list(chosen)
    except ValueError:
        return empty_chart(f"Choose {q.MIN_COHORTS} to {q.MAX_COHORTS} cohorts to compare"), [], None, OFF, None
    cohorts = viewer.run(q.cohort_comparison, session_ids=ids, tz=viewer.timezone())
    note = None
    if not any(c["weeks"] for c in cohorts):
        note = dbc.Alert("None of these cohorts has started yet.", color="secondary")
    return (comparison_figure(cohorts), table_rows(cohorts), downloads.url("cohort-compare", session=ids),
            "btn btn-primary", note)


def search_cohorts(typed, chosen):
    """The picker's options for what is typed, among every cohort the viewer may compare; the chosen ones kept."""
    return picker.search(q.comparable_cohorts, cohort_label, typed, chosen)


def register(app) -> None:
    app.callback(Output(ID.PICK, "options"), Input(ID.PICK, "search_value"), State(ID.PICK, "value"),
                 prevent_initial_call=True)(search_cohorts)
    app.callback(Output(ID.CHART, "figure"), Output(ID.GRID, "rowData"), Output(ID.DOWNLOAD, "href"),
                 Output(ID.DOWNLOAD, "className"), Output(ID.MESSAGE, "children"), Input(ID.PICK, "value"))(compare)
    app.clientside_callback(ClientsideFunction("learnpulse_trends", "syncCompareUrl"),
                            Output(ID.URL_SYNC, "data"), Input(ID.PICK, "value"))
