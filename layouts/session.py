"""One program session's statistics (/sessions/<id>): General section, results by group, individual results
and detailed results per block. Linked from the Program sessions table."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.core import downloads, pages
from dashboard.core.ids import ProgramSession as ID
from data_access.queries import sessions as q
from layouts import charts, entity
from layouts.common import page_header, section_card
from layouts.formats import day
from layouts.grids import NUMBER_FILTER, TEXT_FILTER, server_grid
from layouts.learners import PEOPLE_COLUMNS, learner_modal

GROUP_COLUMNS = [
    {"field": "group", "headerName": "Group", "flex": 2, **TEXT_FILTER},
    {"field": "users", "headerName": "Users", **NUMBER_FILTER},
    {"field": "attendance", "headerName": "Attendance (%)", **NUMBER_FILTER},
    {"field": "progress", "headerName": "Progress (%)", **NUMBER_FILTER},
    {"field": "score", "headerName": "Score", **NUMBER_FILTER},
    {"field": "level", "headerName": "Level", **NUMBER_FILTER},
]
ONE_ROW = {"rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True}}
BLOCK_COLUMNS = [
    {"field": "first_name", "headerName": "First name", **TEXT_FILTER},
    {"field": "last_name", "headerName": "Last name", **TEXT_FILTER},
    {"field": "status", "headerName": "Status", **TEXT_FILTER},
    {"field": "score", "headerName": "Score", **NUMBER_FILTER},
    {"field": "time_spent", "headerName": "Time spent", "filter": False, "type": "numericColumn"},
    {"field": "attempts", "headerName": "Attempts", **NUMBER_FILTER},
]
GREYED = {"lp-greyed": "params.data && params.data.unassigned"}  # unassigned learners are shown greyed


def register(app) -> None:
    pages.register(pages.PROGRAM_SESSION_PAGE, layout)


def block_options(blocks: list[dict]) -> list[dict]:
    return [{"label": f"{b['position']}. {b['title']} ({b['kind']})", "value": b["block_id"]} for b in blocks]


def layout(session_id: str | None = None, **_query):
    back = dcc.Link("← Program sessions", href=pages.PROGRAM_SESSIONS_PAGE.path, className="lp-back")
    info, instead = entity.load(q.session_info, back=back, title="Program session",
                                missing=f"There is no program session {session_id!r} you can see.",
                                session_id=session_id)
    if instead is not None:
        return instead
    teachers = ", ".join(info["instructors"]) or "no instructor"
    subtitle = (f"{info['program']} · {day(info['start_at'])} – {day(info['end_at'])} · {info['state']} · "
                f"Instructors: {teachers}")
    download = html.A("Download → Now", id=ID.DOWNLOAD, className="btn btn-primary",
                      href=downloads.url("session", session=session_id),
                      title="Session CSV: one line per learner with every column, streamed")
    return html.Div([
        dcc.Store(id=ID.ID, data=session_id),
        dcc.Store(id=ID.PEOPLE_FILTER, data={}),
        dcc.Store(id=ID.PEOPLE_REFRESH),
        dcc.Store(id=ID.BLOCK_REFRESH),
        back,
        dbc.Row([dbc.Col(page_header(info["name"], subtitle), md=True),
                 dbc.Col(download, md="auto", className="align-self-center mb-3")]),
        html.Div(id=ID.MESSAGE),
        _general_card(),
        dbc.Alert("Nobody has started this session yet: results by group and individual results appear once "
                  "someone starts, or when the session is over.", id=ID.NOT_STARTED, color="secondary",
                  style={"display": "none"}),
        section_card("Results by group", [
            html.Div("Click a group to list its learners below.", className="lp-hint mb-2"),
            server_grid(ID.GROUPS_GRID, GROUP_COLUMNS, "360px", "group_id", ONE_ROW),
        ], ident=ID.GROUPS_CARD),
        section_card("Individual results", [
            html.Div("Unassigned learners are greyed. Click a learner for their results per block.",
                     className="lp-hint mb-2"),
            server_grid(ID.PEOPLE_GRID, PEOPLE_COLUMNS, rowClassRules=GREYED),
        ], right=html.Div([html.Span(id=ID.PEOPLE_TITLE, className="me-2 lp-filter-note"),
                           dbc.Button("Show everyone", id=ID.PEOPLE_CLEAR, color="link", size="sm")]),
            ident=ID.PEOPLE_CARD),
        section_card("Detailed results", [
            dcc.Dropdown(id=ID.BLOCK, options=block_options(info["blocks"]), placeholder="This session has no block",
                         value=info["blocks"][0]["block_id"] if info["blocks"] else None, clearable=False,
                         className="mb-2"),
            server_grid(ID.BLOCK_GRID, BLOCK_COLUMNS, "420px"),
        ], ident=ID.BLOCK_CARD),
        learner_modal(ID),
    ])


def _general_card():
    """The session's numbers and its three clickable charts."""
    return section_card("General", [
        dcc.Loading(html.Div(id=ID.KPIS, className="mb-3 lp-kpi-row"), type="dot"),
        dbc.Row([
            dbc.Col([html.H6("Progress by course"),
                     dcc.Graph(id=ID.PROGRESS_CHART, className="lp-keys-click", config=charts.STILL,
                               style={"height": "280px"})], lg=4),
            dbc.Col([html.H6("Score by block"),
                     dcc.Graph(id=ID.SCORE_CHART, className="lp-keys-click", config=charts.STILL,
                               style={"height": "280px"})], lg=4),
            dbc.Col([html.H6("Distribution of levels"),
                     dcc.Graph(id=ID.LEVELS_CHART, className="lp-keys-click", config=charts.STILL,
                               style={"height": "280px"})], lg=4),
        ]),
        html.Div("Click a level band to list its learners, a block to see every learner's result on it.",
                 className="lp-hint"),
    ])
