"""One user's statistics (/users/<id>): public statistics of the last 90 days, the General section, then
certificates, paths and programs (a row opens its blocks, a block its attempts), courses (a row opens its
attempts), answered questions (a row opens every answer) and tags. Download → Now is the user-stats CSV."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import auth, downloads, pages
from dashboard.ids import UserPage as ID
from data_access.queries import users as q
from layouts import charts, entity
from layouts.common import page_header
from layouts.formats import day
from layouts.grids import client_grid

DASH = {"function": "params.value == null ? '-' : params.value"}


def num(field: str, header: str, **extra) -> dict:
    """A number column: sorts and filters by value, '-' when empty."""
    return {"field": field, "headerName": header, "type": "numericColumn", "filter": "agNumberColumnFilter",
            "valueFormatter": DASH, "maxWidth": 150, **extra}


def seconds(field: str, header: str) -> dict:
    """A duration shown as 1h 05m (the row's `field`) that sorts by the seconds in `field`_s."""
    return {"field": field, "headerName": header, "type": "numericColumn", "filter": False, "maxWidth": 150,
            "comparator": {"function": f"(a, b, na, nb) => (na.data.{field}_s ?? -1) - (nb.data.{field}_s ?? -1)"}}


def when(field: str, header: str, **extra) -> dict:
    """A date as YYYY/MM/DD HH:mm (sorts as text, which is date order)."""
    return {"field": field, "headerName": header, "minWidth": 150, "maxWidth": 190, **extra}


STATUS_CLASS = {"lp-status-valid": "params.value == 'Valid'", "lp-status-soon": "params.value == 'Expiring soon'",
                "lp-status-expired": "params.value == 'Expired'"}
CERTIFICATE_COLUMNS = [
    {"field": "name", "headerName": "Name", "flex": 2, "minWidth": 180},
    {"field": "path", "headerName": "Path name", "minWidth": 140},
    {"field": "path_session", "headerName": "Path session", "minWidth": 140},
    {"field": "status", "headerName": "Status", "cellClassRules": STATUS_CLASS, "maxWidth": 160},
    when("delivered", "Delivery date", sort="desc"), when("expires", "Expiration date"),
]
SESSION_COLUMNS = [
    {"field": "name", "headerName": "Name", "flex": 2, "minWidth": 220, "cellClass": "lp-clickable"},
    {"field": "kind", "headerName": "Type", "maxWidth": 110},
    num("progress", "Progress (%)"), num("score", "Score"), seconds("time_spent", "Time spent"),
    when("end", "End"), when("last_activity", "Last activity"),
    {"field": "status", "headerName": "Enrollment", "maxWidth": 140},
    {"field": "view", "headerName": "", "cellRenderer": "markdown", "sortable": False, "filter": False,
     "maxWidth": 90},
]
BLOCK_COLUMNS = [
    num("position", "#", maxWidth=70), {"field": "title", "headerName": "Course / block", "flex": 2, "minWidth": 160},
    {"field": "kind", "headerName": "Kind", "maxWidth": 120}, num("progress", "Progress (%)"), num("score", "Score"),
    seconds("time_spent", "Time spent"), num("attempts", "Attempts", cellClass="lp-clickable"),
    when("last_activity", "Last activity"),
]
COURSE_COLUMNS = [
    {"field": "name", "headerName": "Name", "flex": 2, "minWidth": 180, "cellClass": "lp-clickable"},
    num("progress", "Progress (%)"), num("score", "Score"), num("attempts", "Attempts", cellClass="lp-clickable"),
    seconds("time_spent", "Time spent"), when("last_activity", "Last activity", sort="desc"),
]
ATTEMPT_COLUMNS = [
    num("attempt_no", "Attempt", maxWidth=100), num("score", "Score"), when("date", "Date", sort="desc"),
    seconds("time_spent", "Time"), {"field": "language", "headerName": "Language", "maxWidth": 120},
    {"field": "program", "headerName": "Program", "flex": 2, "minWidth": 180},
]
QUESTION_COLUMNS = [
    {"field": "question", "headerName": "Question", "flex": 2, "minWidth": 200, "cellClass": "lp-clickable"},
    num("score", "Score"), num("answers", "Answer count"), when("last_activity", "Last activity", sort="desc"),
]
ANSWER_COLUMNS = [num("score", "Score", maxWidth=None), when("date", "Date", sort="desc", maxWidth=None)]
TAG_COLUMNS = [
    {"field": "tag", "headerName": "Name", "flex": 2, "minWidth": 140}, num("training", "Training score"),
    num("assessment", "Assessment score"), num("average", "Average score", sort="desc"),
    num("work", "Work (answers + assessments)", maxWidth=None),
]


CONTACT_COLUMNS = [
    {"field": "when", "headerName": "When", "maxWidth": 170},
    {"field": "by", "headerName": "Recorded by"},
    {"field": "channel", "headerName": "Channel", "maxWidth": 130},
    {"field": "cohort", "headerName": "Cohort"},
    {"field": "note", "headerName": "Note", "flex": 2, "wrapText": True, "autoHeight": True},
]


def register(app) -> None:
    pages.register(pages.USER_PAGE, layout)


def card(title: str, body, hint: str | None = None, right=None):
    header = dbc.CardHeader(dbc.Row([
        dbc.Col([html.H5(title, className="mb-0"), html.Div(hint, className="lp-hint") if hint else None],
                className="align-self-center"),
        dbc.Col(right, width="auto") if right is not None else None], className="g-2"))
    return dbc.Card([header, dbc.CardBody(body)], className="mb-4")


def table(ident: str, columns: list[dict], row_id: str, empty: str):
    return client_grid(ident, columns, row_id, localeText={"noRowsToShow": empty}, enableCellTextSelection=True)


def _subtitle(p: dict) -> str:
    parts = [p["email"]] + [v for v in (p["title"], p["additional_info"]) if v]
    if p["deleted_at"] is not None:
        parts.append(f"deleted on {day(p['deleted_at'])}")
    return " · ".join(parts)


def _actions(user_id: str, p: dict, download):
    """Download → Now, and for a platform owner looking at someone else: View as (see the app as them)."""
    viewer = auth.current_viewer()
    if viewer is None or not viewer.account.scope.is_owner or user_id == viewer.account.user_id or p.get("deleted_at"):
        return download
    return html.Div([dbc.Button("View as", id=ID.VIEW_AS, color="secondary", outline=True, className="me-2",
                                title="See LearnPulse exactly as this person does (written to the audit log)"),
                     download])


def layout(user_id: str | None = None, **_query):
    viewer = auth.current_viewer()
    # a learner opens only their own page: no list to go back to
    back = dcc.Link("← Users", href=pages.USERS_PAGE.path, className="lp-back") \
        if viewer is None or pages.USERS in viewer.sections else None
    p, instead = entity.load(q.user_profile, back=back, title="User statistics",
                             missing=f"There is no user {user_id!r} you can see.", user_id=user_id)
    if instead is not None:
        return instead
    download = html.A("Download → Now", id=ID.DOWNLOAD, className="btn btn-primary",
                      href=downloads.url("user-stats", user=user_id),
                      title="This user's general statistics (CSV): average score, completed and assigned courses, "
                            "paths and programs, messages, time")
    name = f"{p['first_name']} {p['last_name']}"
    return html.Div([
        dcc.Store(id=ID.ID, data=user_id),
        dcc.Store(id=ID.OPEN_SESSION),
        back,
        dbc.Row([dbc.Col(page_header(name, _subtitle(p)), md=True),
                 dbc.Col(_actions(user_id, p, download), md="auto", className="align-self-center mb-3")]),
        html.Div(id=ID.MESSAGE),
        dcc.Loading(html.Div(id=ID.PUBLIC, className="mb-3"), type="dot", delay_show=300),
        card("General", html.Div(id=ID.GENERAL, className="lp-kpi-row")),
        card("Contacts", table(ID.CONTACTS, CONTACT_COLUMNS, "key", "No contact recorded"),
             "Contacts recorded from At risk, in the cohorts where you see this learner; most recent first."),
        card("Certificates", table(ID.CERTIFICATES, CERTIFICATE_COLUMNS, "certificate_id", "No certificate yet"),
             "Valid, expiring within 30 days, or expired; most recently delivered first."),
        card("Paths and programs", table(ID.SESSIONS, SESSION_COLUMNS, "session_id",
                                         "Not enrolled in any program or path"),
             "Click a row for its blocks; in the blocks, click the attempts for each attempt."),
        card("Courses", table(ID.COURSES, COURSE_COLUMNS, "course_id", "No course played yet"),
             "Every course played, in a program or not; click a row for its attempts."),
        card("Answered questions", table(ID.QUESTIONS, QUESTION_COLUMNS, "activity_id", "No question answered yet"),
             "Score = the mean of every answer to the question; click a row for each answer."),
        card("Tags", [
            dbc.Row([
                dbc.Col([html.H6("Average score by tag"),
                         dcc.Graph(id=ID.RADAR, config=charts.STILL, style={"height": "360px"})], lg=6),
                dbc.Col([html.H6("Work by tag"),
                         dcc.Graph(id=ID.WORK, config=charts.STILL, style={"height": "360px"})], lg=6),
            ]),
            table(ID.TAGS, TAG_COLUMNS, "tag", "No tagged question or assessment answered yet"),
        ], "Training score = answers to questions with the tag; assessment score = assessments with the tag; "
           "average = the mean of the two that exist."),
        dbc.Modal([dbc.ModalHeader(dbc.ModalTitle(id=ID.MODAL_TITLE)), dbc.ModalBody(id=ID.MODAL_BODY)],
                  id=ID.MODAL, size="xl", is_open=False, scrollable=True),
    ])
