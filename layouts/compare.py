"""Compare cohorts (/compare?session=A&session=B…): 2 to 5 cohorts side by side, aligned on the week number
since each one's start. Reached from Participants (this cohort and the previous sessions of its program
template) and from a program template's page (?program=ID: its latest sessions). The URL keeps the choice."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.core import pages, viewer
from dashboard.core.ids import Compare as ID
from data_access.queries import trends as q
from layouts import charts
from layouts.cohorts import OPTIONS_SHOWN, cohort_options
from layouts.common import data_unavailable, page_header
from layouts.formats import day
from layouts.grids import NUMBER_FILTER, client_grid

COLUMNS = [  # the cohort-compare CSV's columns
    {"field": "cohort", "headerName": "Cohort", "flex": 2, "minWidth": 200},
    {"field": "session_id", "headerName": "Session ID"},
    {"field": "week_n", "headerName": "Week N", **NUMBER_FILTER},
    {"field": "week", "headerName": "Week"},
    {"field": "active_pct", "headerName": "Active (%)", **NUMBER_FILTER},
    {"field": "progress_pct", "headerName": "Progress (%)", **NUMBER_FILTER},
]


def register(app) -> None:
    pages.register(pages.COMPARE_PAGE, layout)


def chosen_ids(session=None, program=None) -> list[str]:
    """Session ids from the address: ?session=A&session=B (a list) or ?session=A,B; at most 5, each once."""
    values = session if isinstance(session, list) else [session] if isinstance(session, str) else []
    out: list[str] = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out[:q.MAX_COHORTS]


def cohort_label(c: dict) -> str:
    return f"{c['name']} · from {day(c['start_at'])}"


def _header():
    return page_header("Compare cohorts", "Is this cohort doing better than the previous ones at the same point? "
                                          "Each cohort's weeks are counted from its own start (week 1 = the week "
                                          "it started in).")


def _chosen(session, program) -> list[str]:
    """The cohorts to compare: those of the address the viewer may compare, else the default comparison of the
    program or cohort."""
    asked = chosen_ids(session)
    known = {c["session_id"] for c in viewer.run(q.comparable_cohorts, keep=asked, limit=0)} if asked else set()
    chosen = [s for s in asked if s in known]
    if not chosen and isinstance(program, str) and program:
        default = viewer.run(q.default_comparison, program_id=program)
        known = {c["session_id"] for c in viewer.run(q.comparable_cohorts, keep=default, limit=0)}
        return [s for s in default if s in known]
    if len(chosen) == 1:
        return viewer.run(q.default_comparison, session_id=chosen[0])
    return chosen


@viewer.answers(unavailable=lambda: html.Div([_header(), data_unavailable()]))
def layout(session=None, program=None, **_query):
    header = _header()
    chosen = _chosen(session, program)
    # the picker's first cohorts and the chosen ones (a bounded read); typing searches the others (callbacks)
    cohorts = viewer.run(q.comparable_cohorts, keep=chosen, limit=OPTIONS_SHOWN)
    if not cohorts:
        return html.Div([header, dbc.Alert("No cohort you can see has started yet: there is nothing to compare.",
                                           color="secondary", className="lp-empty")])
    options = cohort_options(cohorts, cohort_label, keep=chosen)
    return html.Div([
        dcc.Store(id=ID.URL_SYNC),
        dcc.Link("← Participants", href=pages.participants_href(chosen[0] if chosen else None),
                 className="lp-back"),
        header,
        dbc.Row([
            dbc.Col([
                dbc.Label("Cohorts (2 to 5)", html_for=ID.PICK, className="fw-semibold mb-1"),
                dcc.Dropdown(id=ID.PICK, options=options, value=chosen, multi=True, searchable=True,
                             placeholder="Search and add program sessions…", className="lp-cohort"),
            ], lg=9),
            dbc.Col(html.A("Download", id=ID.DOWNLOAD, className="btn btn-primary", href="#",
                           title="Cohort comparison CSV: one line per cohort and week"),
                    lg=3, className="align-self-end text-lg-end mt-2"),
        ], className="mb-3"),
        html.Div(id=ID.MESSAGE),
        dbc.Card(dbc.CardBody([dcc.Loading(dcc.Graph(
            id=ID.CHART, config=charts.STILL,
            style={"height": "560px"}), type="dot"), html.Div(
            "Active: participants with a login in the week (Monday to Sunday), of today's participants. Progress: "
            "their mean progress by the end of the week. An open marker is a week still running (counted up to "
            "now).", className="lp-hint")]), className="mb-4"),
        dbc.Card([dbc.CardHeader(html.H5("The same numbers", className="mb-0")),
                  dbc.CardBody(client_grid(ID.GRID, COLUMNS, "key"))], className="mb-4"),
    ])
