"""At risk: one list of whom to help now across every running cohort the viewer sees, with the reasons, and the
means to act on it (copy e-mails, a mail to the selection, its CSV, record a contact). The URL carries the cohort
filter and the selected reasons (?session=ID&reason=inactive,behind), so a view can be shared."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.core import pages, viewer
from dashboard.core.ids import AtRisk as ID
from data_access.queries import at_risk as q
from layouts import charts
from layouts.cohorts import OPTIONS_SHOWN, cohort_options
from layouts.common import data_unavailable, page_header
from layouts.formats import day
from layouts.grids import NUMBER_FILTER, TEXT_FILTER, server_grid

PAGE = pages.AT_RISK_PAGE
NAME = PAGE.title

DEFAULT_SUBJECT = "Checking in on your course"
DEFAULT_BODY = ("Hello,\n\nI noticed you may have fallen a little behind in your course. Is there anything I can help "
                "with? Reply to this e-mail or book a short call.\n\nBest regards")

# sorted, filtered and paged in SQL (data_access.queries.at_risk.at_risk_page)
COLUMNS = [
    {"field": "name", "headerName": "Name", "cellRenderer": "markdown", "minWidth": 170, **TEXT_FILTER},
    {"field": "email", "headerName": "Email", "minWidth": 200, "flex": 1.5, **TEXT_FILTER},
    {"field": "cohort", "headerName": "Cohort", "cellRenderer": "markdown", "minWidth": 170, **TEXT_FILTER},
    {"field": "reasons", "headerName": "Reasons", "cellRenderer": "ReasonBadges", "filter": False,
     "minWidth": 220, "headerTooltip": "Sorts by how many reasons"},
    {"field": "days_since", "headerName": "Days since last login", "minWidth": 120, **NUMBER_FILTER,
     "valueFormatter": {"function": "params.value == null ? 'never' : params.value"}},
    {"field": "overdue", "headerName": "Topics overdue", **NUMBER_FILTER},
    {"field": "score", "headerName": "Score", **NUMBER_FILTER,
     "valueFormatter": {"function": "params.value == null ? '-' : params.value"}},
    {"field": "last_contacted", "headerName": "Last contacted", "filter": False, "minWidth": 150,
     "valueFormatter": {"function": "params.data && params.data.last_contacted_text || '-'"}},
]


def register(app) -> None:
    pages.register(PAGE, layout)


def parse_reasons(text: str | None) -> list[str]:
    """Reasons from the URL (comma-separated; unknown ones are dropped), in the order of metrics.md."""
    chosen = {part.strip().lower().replace("-", " ").replace("_", " ") for part in (text or "").split(",")}
    return [r for r in q.REASONS if r in chosen]


def cohort_label(c: dict) -> str:
    return f"{c['name']} · since {day(c['start_at'])}"


@viewer.answers(unavailable=lambda: html.Div([page_header(NAME), data_unavailable()]))
def layout(session: str | None = None, reason: str | None = None, **_query):
    asked = session if isinstance(session, str) and session else None
    cohorts = viewer.run(q.running_cohorts, keep=[asked] if asked else [], limit=OPTIONS_SHOWN)  # a bounded read
    chosen = asked if any(c["session_id"] == asked for c in cohorts) else None
    message = None
    if session and chosen is None:
        message = dbc.Alert(f"There is no running cohort {session!r} you can see; showing every cohort instead.",
                            color="warning", dismissable=True)
    return html.Div([
        dcc.Store(id=ID.SELECTED, data=parse_reasons(reason)),
        dcc.Store(id=ID.SUMMARY),
        dcc.Store(id=ID.URL_SYNC),
        dcc.Store(id=ID.GRID_REFRESH),
        dcc.Store(id=ID.EMAILS),
        dcc.Store(id=ID.RECORDED),
        dcc.Download(id=ID.SELECTION_FILE),
        dbc.Row([
            dbc.Col(page_header(NAME, "Whom to help now across your running cohorts, and why: not logged in for "
                                      "a while, behind the timeline, or a low score."), md=True),
            dbc.Col(html.A("Download CSV", id=ID.DOWNLOAD, className="btn btn-primary", href="#",
                           title="At-risk CSV of the cohort chosen (all cohorts when none), every reason"),
                    md="auto", className="align-self-center mb-3"),
        ]),
        dbc.Row([
            dbc.Col([
                dbc.Label("Cohort", html_for=ID.COHORT, className="fw-semibold mb-1"),
                dcc.Dropdown(id=ID.COHORT, options=cohort_options(cohorts, cohort_label, keep=chosen), value=chosen,
                             clearable=True, searchable=True, placeholder="Every running cohort (type to search)",
                             className="lp-cohort"),
            ], lg=7),
        ], className="mb-3"),
        html.Div(message, id=ID.MESSAGE),
        dcc.Loading(html.Div(id=ID.COUNT, className="lp-summary mb-3"), type="dot", delay_show=300),
        _reasons_card(),
        _list_card(),
        _act(),
    ])


def _reasons_card():
    """The bars of learners by reason; selecting bars narrows the list."""
    return dbc.Card([
        dbc.CardHeader(html.H5("Reasons", className="mb-0")),
        dbc.CardBody([
            dcc.Graph(id=ID.CHART, config=charts.SELECTING, style={"height": "230px"}),
            html.Div("Click a bar to list only those learners; shift-click or box-select for several (a "
                     "learner with any of them). Click it again, or Clear, to list everyone.",
                     className="lp-hint"),
        ]),
    ], className="mb-4")


def _list_card():
    """Everyone at risk for the chosen reasons, paged in SQL, with boxes to tick."""
    return dbc.Card([
        dbc.CardHeader(dbc.Row([
            dbc.Col(html.H5(id=ID.LIST_TITLE, className="mb-0"), md=True, className="align-self-center"),
            dbc.Col(dbc.Button("Clear", id=ID.CLEAR, color="link", size="sm"), md="auto"),
        ], className="g-2")),
        dbc.CardBody([
            server_grid(ID.GRID, COLUMNS, "520px", row_id="row_id",
                        grid_options={"rowSelection": {"mode": "multiRow", "checkboxes": True,
                                                       "headerCheckbox": False, "enableClickSelection": False},
                                      "selectionColumnDef": {"pinned": "left", "width": 44, "maxWidth": 44,
                                                             "minWidth": 44, "suppressHeaderMenuButton": True},
                                      "localeText": {"noRowsToShow": "Nobody at risk here"}}),
            html.Div("Tick learners to act on them below. A learner at risk in two cohorts is listed twice.",
                     className="lp-hint mt-1"),
        ]),
    ], className="mb-4")


def _act():
    return dbc.Card([
        dbc.CardHeader(dbc.Row([
            dbc.Col(html.H5("Act on the selection", className="mb-0"), md=True, className="align-self-center"),
            dbc.Col(html.Span("No learner selected", id=ID.SELECTION_INFO, className="lp-hint", role="status"),
                    md="auto", className="align-self-center"),
        ], className="g-2")),
        dbc.CardBody(dbc.Row([
            dbc.Col([
                html.H6("Write to them"),
                dbc.Label("Subject", html_for=ID.SUBJECT, className="visually-hidden"),
                dbc.Label("Message", html_for=ID.BODY, className="visually-hidden"),
                dbc.Input(id=ID.SUBJECT, value=DEFAULT_SUBJECT, debounce=True, maxLength=200, className="mb-2",
                          placeholder="Subject"),
                dbc.Textarea(id=ID.BODY, value=DEFAULT_BODY, debounce=True, maxLength=2000, rows=5,
                             className="mb-2"),
                html.Div([
                    html.A("Open e-mail (Bcc)", id=ID.MAILTO, className="btn btn-outline-primary btn-sm me-2 disabled",
                           href="#", title="Opens your mail program with the selection in Bcc"),
                    dbc.Button("Copy e-mails", id=ID.COPY, color="secondary", outline=True, size="sm",
                               className="me-2", disabled=True),
                    dbc.Button("Download selection CSV", id=ID.SELECTION_CSV, color="secondary", outline=True,
                               size="sm", className="me-2 lp-download", disabled=True),
                    html.Span(id=ID.COPY_STATUS, className="lp-copy-status ms-2", role="status"),
                ]),
            ], lg=7, className="mb-3"),
            dbc.Col([
                html.H6("Record contact"),
                dbc.Label("Channel", html_for=ID.CHANNEL, className="mb-1"),
                dbc.Select(id=ID.CHANNEL, value="email", className="mb-2",
                           options=[{"label": c.capitalize(), "value": c} for c in q.CHANNELS]),
                dbc.Label("Note (optional)", html_for=ID.NOTE, className="mb-1"),
                dbc.Textarea(id=ID.NOTE, maxLength=q.NOTE_MAX, rows=3, className="mb-2",
                             placeholder=f"What was said or agreed (at most {q.NOTE_MAX} characters)"),
                dbc.Button("Record contact", id=ID.RECORD, color="primary", size="sm", disabled=True),
                html.Div(id=ID.RECORD_STATUS, className="mt-2", role="status"),
            ], lg=5),
        ])),
    ], className="mb-4")
