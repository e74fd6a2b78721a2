"""Participants: a cohort's activity by days since last login, the learners behind each bar, the cohort
progress export. The URL carries the cohort and the selected bars (?session=ID&bucket=8-14), so a link
shared in a meeting opens the same view."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.core import pages, viewer
from dashboard.core.ids import Participants as ID
from data_access import recency
from data_access.queries import at_risk
from data_access.queries import participants as q
from layouts import charts
from layouts.cohorts import OPTIONS_SHOWN, cohort_options
from layouts.common import data_unavailable, no_data_yet, page_header
from layouts.formats import day
from layouts.grids import NUMBER_FILTER, TEXT_FILTER, server_grid
from layouts.learners import PROFILE_COLUMN
from layouts.trends import trend_section

PAGE = pages.PARTICIPANTS_PAGE
NAME = PAGE.title

# sorted, filtered and paged in SQL (data_access.queries.participants.participants_page): any cohort size
COLUMNS = [
    {"field": "first_name", "headerName": "First name", **TEXT_FILTER},
    {"field": "last_name", "headerName": "Last name", **TEXT_FILTER},
    {"field": "email", "headerName": "Email", "flex": 2, "minWidth": 220, **TEXT_FILTER},
    {"field": "last_login", "headerName": "Last login", "filter": False},
    {"field": "days_since", "headerName": "Days since last login", **NUMBER_FILTER},
    {"field": "progress", "headerName": "Progress (%)", **NUMBER_FILTER},
    {"field": "reasons", "headerName": "Reasons", "cellRenderer": "ReasonBadges", "sortable": False,
     "filter": False, "minWidth": 230, "headerTooltip": "Why the learner is at risk (running cohorts; see At risk)"},
    PROFILE_COLUMN,
]


def register(app) -> None:
    pages.register(PAGE, layout)


def cohort_label(c: dict) -> str:
    return f"{c['name']} · {c['state']} · {day(c['start_at'])}–{day(c['end_at'])}"


def parse_buckets(text: str | None) -> list[str]:
    """Bucket labels from the URL (comma-separated, '8-14' or '8–14'); unknown labels are dropped."""
    chosen = set()
    for part in (text or "").split(","):
        try:
            chosen.add(recency.normalise_label(part))
        except ValueError:
            continue
    return [label for label in recency.LABELS if label in chosen]


def picker(session) -> tuple[list[dict], str | None, bool]:
    """The picker's first cohorts (with the chosen one), the chosen cohort (the address's when the viewer sees it,
    else the default one) and whether the address's was known; a bounded read, whatever the number of cohorts."""
    asked = session if isinstance(session, str) and session else None
    shown = viewer.run(q.cohorts, keep=[asked] if asked else [], limit=OPTIONS_SHOWN)
    known = asked is not None and any(c["session_id"] == asked for c in shown)
    if not shown or known:
        return shown, asked, known
    chosen = viewer.run(q.default_cohort_id)
    if all(c["session_id"] != chosen for c in shown):
        shown = viewer.run(q.cohorts, keep=[chosen], limit=OPTIONS_SHOWN)
    return shown, chosen, False


@viewer.answers(unavailable=lambda: html.Div([page_header(NAME), data_unavailable()]))
def layout(session: str | None = None, bucket: str | None = None, **_query):
    cohorts, chosen, known = picker(session)
    if not cohorts:
        return html.Div([page_header(NAME), no_data_yet()])
    message = None
    if session and not known:
        message = dbc.Alert(f"There is no cohort {session!r} you can see; showing the current cohort instead.",
                            color="warning", dismissable=True)
    selected = parse_buckets(bucket) if known else []
    return html.Div([
        dcc.Store(id=ID.SELECTED, data=selected),
        dcc.Store(id=ID.ACTIVITY),
        dcc.Store(id=ID.LIMITS),
        dcc.Store(id=ID.RISK_LIMITS),
        dcc.Store(id=ID.URL_SYNC),
        dbc.Row([
            dbc.Col(page_header(NAME, "Who is engaging, who has not logged in for a while, and who is behind "
                                      "the cohort's timeline."), md=True),
            dbc.Col(html.A("Export cohort progress", id=ID.EXPORT, className="btn btn-primary", href="#",
                           title="Cohort progress CSV: topics due by now, completed, progress, last login"),
                    md="auto", className="align-self-center mb-3"),
        ]),
        dbc.Row([
            dbc.Col([
                dbc.Label("Cohort", html_for=ID.COHORT, className="fw-semibold mb-1"),
                dcc.Dropdown(id=ID.COHORT, options=cohort_options(cohorts, cohort_label, keep=chosen), value=chosen,
                             clearable=False, searchable=True, placeholder="Search a program session…",
                             className="lp-cohort"),
            ], lg=7),
        ], className="mb-3"),
        html.Div(message, id=ID.MESSAGE),
        html.Div(id=ID.SUMMARY, className="lp-summary mb-1"),
        html.Div(id=ID.CONTACTS, className="lp-hint mb-3"),
        _activity_card(),
        trend_section(),
        _list_card(),
    ])


def _activity_card():
    """The bars of learners by days since last login, with the cohort's limits."""
    return dbc.Card([
        dbc.CardHeader(dbc.Row([
            dbc.Col(html.H5("Participant activity", className="mb-0"), md=True, className="align-self-center"),
            dbc.Col(_limit_inputs(), md="auto"),
        ], className="g-2")),
        dbc.CardBody([
            html.Div(id=ID.LEGEND, className="lp-legend mb-1"),
            dcc.Graph(id=ID.CHART, className="lp-keys-select", config=charts.SELECTING, style={"height": "340px"}),
            html.Div("Click a bar to list its learners below; shift-click or box-select for several. "
                     "Click it again, or Clear, to unselect. With the keyboard: focus the chart (Tab), move "
                     "between bars with the arrow keys, Enter or Space lists a bar's learners (Shift+Enter "
                     "adds it).", className="lp-hint"),
        ]),
    ], className="mb-4")


def _list_card():
    """The learners of the selected bars, paged in SQL, with their e-mails and CSV."""
    return dbc.Card([
        dbc.CardHeader(dbc.Row([
            dbc.Col(html.H5(id=ID.LIST_TITLE, className="mb-0"), md=True, className="align-self-center"),
            dbc.Col([
                dbc.Button("Copy emails", id=ID.COPY, color="secondary", outline=True, size="sm",
                           className="me-2", title="Copy the emails of the learners listed, for a nudge"),
                html.A("Download CSV", id=ID.DOWNLOAD, className="btn btn-outline-primary btn-sm me-2",
                       href="#"),
                dbc.Button("Clear", id=ID.CLEAR, color="link", size="sm"),
                html.Span(id=ID.COPY_STATUS, className="lp-copy-status ms-2", role="status"),
            ], md="auto"),
        ], className="g-2")),
        dbc.CardBody([
            html.Div("Click a bar above to list its learners.", id=ID.LIST_HINT, className="lp-hint"),
            server_grid(ID.GRID, COLUMNS, "520px", style={"display": "none"}),
            dcc.Store(id=ID.EMAILS),
            dcc.Store(id=ID.GRID_REFRESH),
        ]),
    ], id=ID.LIST_CARD, className="mb-4")


def _limit_inputs():
    def box(label, ident, tone):
        return dbc.InputGroup([
            html.Label(label, htmlFor=ident, className=f"input-group-text lp-limit-label {tone} mb-0"),
            dbc.Input(id=ident, type="number", min=0, max=q.MAX_LIMIT, step=1, debounce=True,
                      style={"width": "5.5rem"}, inputMode="numeric"),
            dbc.InputGroupText("days"),
        ], size="sm", className="me-2 lp-limit")

    def risk_box(label, ident, unit, bounds, title):
        return html.Div(dbc.InputGroup([
            html.Label(label, htmlFor=ident, className="input-group-text lp-limit-label mb-0"),
            dbc.Input(id=ident, type="number", min=bounds[0], max=bounds[1], step=1, debounce=True,
                      style={"width": "5rem"}, inputMode="numeric"),
            dbc.InputGroupText(unit),
        ], size="sm", className="lp-limit"), title=title, className="me-2")

    return html.Div([
        box("Green up to", ID.GREEN, "tone-green"),
        box("Yellow up to", ID.YELLOW, "tone-yellow"),
        html.Span(id=ID.LIMITS_STATUS, className="lp-limits-status", role="status"),
        risk_box("At risk: overdue ≥", ID.OVERDUE, "topics", at_risk.OVERDUE_RANGE,
                 "Behind: topics overdue (due by now, not completed) at or above this limit (1–1000)"),
        risk_box("score <", ID.SCORE, "%", at_risk.SCORE_RANGE,
                 "Low score: a Session score below this limit (1–100)"),
        html.Span(id=ID.RISK_STATUS, className="lp-limits-status", role="status"),
    ], className="d-flex flex-wrap align-items-center")
