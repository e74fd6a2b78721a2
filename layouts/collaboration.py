"""Collaborative activity (/collaboration/<tab>): publications, comments and reactions per user and per group,
courses with their reactions, and the same per program session. Each tab has its own address (the Users tab
keeps ?group=ID), so a link opens the same view; a course opens layouts/collaboration_course.py."""

from __future__ import annotations

from functools import partial

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import downloads, pages, viewer
from dashboard.ids import Collaboration as ID
from dashboard.ids import CollaborationSessions as SID
from data_access.queries import collaboration as q
from layouts import charts
from layouts.common import data_unavailable, page_header
from layouts.grids import NUMBER_FILTER, TEXT_FILTER, client_grid, server_grid

PAGE = pages.COLLABORATION_PAGE
NAME = PAGE.title
TABS = pages.COLLABORATION_TABS

_NUM = {"type": "numericColumn", "filter": "agNumberColumnFilter", "maxWidth": 150, "minWidth": 105,
        "wrapHeaderText": True, "autoHeaderHeight": True}
_COUNTS = [{"field": "publications", "headerName": "Publications", **_NUM},
           {"field": "comments", "headerName": "Comments", **_NUM},
           {"field": "reactions", "headerName": "Reactions", **_NUM}]
USER_COLUMNS = [
    {"field": "first_name", "headerName": "First name", **TEXT_FILTER},
    {"field": "last_name", "headerName": "Last name", **TEXT_FILTER},
    {"field": "email", "headerName": "Email", "flex": 2, "minWidth": 220, **TEXT_FILTER},
    {"field": "additional_info", "headerName": "Additional information", "minWidth": 150, **TEXT_FILTER},
    *[{**c, **NUMBER_FILTER, "maxWidth": 150, "minWidth": 110} for c in _COUNTS],
]
GROUP_COLUMNS = [  # server-paged: colIds are the query's columns
    {"field": "name_link", "colId": "name", "headerName": "Group", "cellRenderer": "markdown", "flex": 2,
     "minWidth": 220, **TEXT_FILTER},
    {"field": "parent", "headerName": "Parent group", "minWidth": 160, **TEXT_FILTER},
    *[{**c, **NUMBER_FILTER, "maxWidth": 150, "minWidth": 110} for c in _COUNTS],
]
COURSE_COLUMNS = [
    {"field": "name_link", "headerName": "Course", "cellRenderer": "markdown", "flex": 2, "minWidth": 200,
     "filter": "agTextColumnFilter", "filterValueGetter": {"function": "params.data.name"},
     "comparator": {"function": "(a, b, na, nb) => na.data.name.localeCompare(nb.data.name)"}},
    {"field": "status", "headerName": "Status", "maxWidth": 120},
    {"field": "author", "headerName": "Author", "minWidth": 140},
    {"field": "reaction_score", "headerName": "Reaction score", **_NUM,
     "valueFormatter": {"function": "params.value == null ? '-' : params.value"}},
    {"field": "comments", "headerName": "Comments", **_NUM},
    {"field": "views", "headerName": "Views", **_NUM},
    {"field": "like", "headerName": "Likes", **_NUM},
    {"field": "learned_something", "headerName": "Learned something", **_NUM},
    {"field": "outdated", "headerName": "Outdated", **_NUM},
    {"field": "have_a_question", "headerName": "Have a question", **_NUM},
    {"field": "useful", "headerName": "Useful", **_NUM},
    {"field": "irrelevant", "headerName": "Irrelevant", **_NUM},
]
SESSION_COLUMNS = [  # server-paged: colIds are the query's columns
    {"field": "name_link", "colId": "name", "headerName": "Session", "cellRenderer": "markdown", "flex": 2,
     "minWidth": 260, **TEXT_FILTER},
    {"field": "start", "colId": "start_at", "headerName": "Start", "filter": False, "minWidth": 150},
    {"field": "end", "colId": "end_at", "headerName": "End", "filter": False, "minWidth": 150},
    *[{**c, **NUMBER_FILTER, "maxWidth": 150, "minWidth": 110} for c in _COUNTS],
]


def register(app) -> None:
    pages.register(PAGE, partial(layout, "users"))
    for (key, _label), page in zip(TABS, pages.COLLABORATION_TAB_PAGES, strict=True):
        pages.register(page, partial(layout, key))


def _tabs(current: str):
    """Tabs (role "tab", so the navigation bar's Users and Groups stay the only such links); a click navigates to
    the tab's own address (callbacks.collaboration.open_tab), so every tab can be linked to."""
    return html.Div([
        dcc.Location(id=ID.NAVIGATE, refresh="callback-nav"),
        dbc.Tabs([dbc.Tab(label=label, tab_id=key) for key, label in TABS], id=ID.TABS, active_tab=current,
                 className="mb-3 lp-tabs"),
    ])


def _toolbar(hint: str, download) -> dbc.Row:
    return dbc.Row([dbc.Col(html.Span(hint, className="lp-hint"), className="align-self-center"),
                    dbc.Col(download, md="auto")], className="mb-2 g-2")


def _chart_card(title: str, ident: str, height: str = "320px"):
    return dbc.Card([dbc.CardHeader(html.H6(title, className="mb-0")),
                     dbc.CardBody(dcc.Loading(dcc.Graph(id=ident, config=charts.STILL, style={"height": height}),
                                              type="dot", delay_show=300))], className="mb-3")


def _table_card(title: str, body):
    return dbc.Card([dbc.CardHeader(html.H6(title, className="mb-0")), dbc.CardBody(body)], className="mb-3")


def _chart_then_table(chart, table):
    """The chart (a quick look) above the table (the detail), both full width: the tables have many columns."""
    return html.Div([chart, table])


@viewer.answers(unavailable=data_unavailable)
def users_tab(group: str | None):
    groups = viewer.run(q.group_options)
    known = {g["group_id"] for g in groups}
    warning = None
    if group and group not in known:
        warning = dbc.Alert(f"There is no group {group!r} you can see; showing every user you see instead.",
                            color="warning", dismissable=True)
        group = None
    picker = dcc.Dropdown(id=ID.GROUP, options=[{"label": g["name"], "value": g["group_id"]} for g in groups],
                          value=group, placeholder="All the users you see", clearable=True, searchable=True,
                          className="lp-group-picker")
    return html.Div([
        dcc.Store(id=ID.URL_SYNC),
        dcc.Store(id=ID.USERS_REFRESH),
        dbc.Row([
            dbc.Col([dbc.Label("Group", html_for=ID.GROUP, className="fw-semibold mb-1"), picker], lg=5, md=7),
            dbc.Col(html.Div(id=ID.USERS_COUNT, className="lp-summary", role="status"), className="align-self-end"),
            dbc.Col(html.A("Download", id=ID.USERS_DOWNLOAD, className="btn btn-outline-primary btn-sm",
                           href=downloads.url("collab-users", group=group),
                           title="Collaborative activity of these users (CSV)"), md="auto", className="align-self-end"),
        ], className="mb-3 g-2"),
        html.Div(warning, id=ID.USERS_MESSAGE),
        _chart_then_table(
            _chart_card("Most active users", ID.USERS_CHART),
            _table_card("Publications, comments and reactions per user",
                        [html.Div("Current users; a group lists the members of it and of its subgroups.",
                                  className="lp-hint mb-2"), server_grid(ID.USERS_GRID, USER_COLUMNS, "430px")])),
    ])


def _table_tab(hint: str, download, message_id: str, chart_title: str, chart_id: str, table_title: str, grid):
    return html.Div([_toolbar(hint, download), html.Div(id=message_id),
                     _chart_then_table(_chart_card(chart_title, chart_id), _table_card(table_title, grid))])


def _download(ident: str, report: str, title: str):
    return html.A("Download", id=ident, className="btn btn-outline-primary btn-sm", href=downloads.url(report),
                  title=title)


def groups_tab():
    return _table_tab("Per group, the publications, comments and reactions of the learners of it and of its subgroups "
                      "(other roles do not count). A group opens its users.",
                      _download(ID.GROUPS_DOWNLOAD, "collab-groups", "Every group's numbers (CSV)"), ID.GROUPS_MESSAGE,
                      "Most active teams (groups without subgroups)", ID.GROUPS_CHART, "Groups",
                      server_grid(ID.GROUPS_GRID, GROUP_COLUMNS, "480px", "group_id"))


def courses_tab():
    return _table_tab("Views are course starts; reactions are those on the course's activities. Reaction score = % of "
                      "likes, learned something and useful among all reactions. A course opens its statistics.",
                      _download(ID.COURSES_DOWNLOAD, "courses", "Every course with all its columns (CSV)"),
                      ID.COURSES_MESSAGE, "Reactions by kind, the 10 most reacted courses", ID.COURSES_CHART,
                      "Courses", client_grid(ID.COURSES_GRID, COURSE_COLUMNS, "course_id"))


def sessions_tab():
    return _table_tab("Publications in each session's messages, comments in its courses' forums and replies in its "
                      "messages, reactions on its courses' activities.",
                      _download(SID.DOWNLOAD, "session-collab", "Every session's numbers (CSV)"), ID.SESSIONS_MESSAGE,
                      "Most active sessions", ID.SESSIONS_CHART, "Program sessions",
                      server_grid(SID.GRID, SESSION_COLUMNS, "480px", "session_id"))


def layout(tab: str = "users", group: str | None = None, **_query):
    body = {"users": lambda: users_tab(group), "groups": groups_tab, "courses": courses_tab,
            "sessions": sessions_tab}[tab]()
    return html.Div([
        page_header(NAME, "Who publishes, comments and reacts: per user, per group, per course and per session."),
        _tabs(tab),
        body,
    ])
