"""Users (/users): current and deleted users with time spent, last activity and direct reports, paged in SQL;
a direct-report number opens that manager's team (/users?manager=ID); a row opens the user's statistics page
(layouts/user.py); the General stats tab builds that report with filters (layouts/general_stats.py)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import pages, viewer
from dashboard.ids import Users as ID
from data_access.queries import users as q
from layouts import general_stats
from layouts.common import data_unavailable, page_header
from layouts.grids import NUMBER_FILTER, TEXT_FILTER, server_grid
from layouts.learners import PROFILE_COLUMN

PAGE = pages.USERS_PAGE
NAME = PAGE.title
CURRENT, DELETED, GENERAL = "current", "deleted", "general"
TABS = (CURRENT, DELETED, GENERAL)

# sorted, filtered and paged in SQL (data_access.queries.users.users_page)
COLUMNS = [
    {"field": "first_name", "headerName": "First name", **TEXT_FILTER},
    {"field": "last_name", "headerName": "Last name", **TEXT_FILTER},
    {"field": "email", "headerName": "Email", "flex": 2, "minWidth": 220, **TEXT_FILTER},
    {"field": "time_spent", "headerName": "Time spent", "filter": False, "type": "numericColumn",
     "headerTooltip": "Time spent in courses: every attempt"},
    {"field": "last_activity", "headerName": "Last activity", "filter": False,
     "headerTooltip": "Day and hour of the last activity in a course"},
    {"colId": "direct_reports", "field": "reports_link", "headerName": "Direct report", "cellRenderer": "markdown",
     "headerTooltip": "Current users they manage directly; click the number for their team", **NUMBER_FILTER},
    PROFILE_COLUMN,
]


def register(app) -> None:
    pages.register(PAGE, layout)


def _team_header(manager_id: str):
    """The manager view's title, or a message when that user is not someone the viewer sees."""
    try:
        who = viewer.run(q.user_profile, user_id=manager_id)
    except LookupError:
        return None, dbc.Alert(f"There is no user {manager_id!r} you can see; showing every user instead.",
                               color="warning", dismissable=True)
    name = f"{who['first_name']} {who['last_name']}"
    n = who["direct_reports"]
    title = html.Div([
        dcc.Link("← All users", href=PAGE.path, className="lp-back"),
        html.H4(["Team of ", dcc.Link(name, href=pages.user_href(manager_id))], className="mb-0 mt-1"),
        html.Div(f"{n:,} direct report{'s' if n != 1 else ''}: the users {who['first_name']} manages directly, "
                 "among those you see.", className="lp-hint"),
    ], className="lp-team mb-2")
    return title, None


@viewer.answers(unavailable=lambda: html.Div([page_header(NAME), data_unavailable()]))
def layout(tab: str | None = None, manager: str | None = None, **_query):
    counts = viewer.run(q.user_counts)
    team, message = _team_header(manager) if manager else (None, None)
    chosen = tab if tab in TABS else CURRENT
    tabs = dbc.Tabs([
        dbc.Tab(label=f"Current ({counts['current']:,})", tab_id=CURRENT),
        dbc.Tab(label=f"Deleted ({counts['deleted']:,})", tab_id=DELETED),
        dbc.Tab(label="General stats report", tab_id=GENERAL),
    ], id=ID.TABS, active_tab=chosen, className="mb-3")
    listing = html.Div([
        team,
        dbc.Row([
            dbc.Col(html.Span(id=ID.COUNT, className="lp-hint", role="status"), className="align-self-center"),
            dbc.Col(html.A("Download", id=ID.DOWNLOAD, className="btn btn-outline-primary btn-sm", href="#",
                           title="Users CSV of this tab: every user you see, one line each"), xs="auto"),
        ], className="g-2 mb-2"),
        server_grid(ID.GRID, COLUMNS, "560px"),
        html.Div("Sort by any column, filter names, emails and direct reports in the row under the headers; "
                 "click a direct-report number for that manager's team.", className="lp-hint mt-1"),
    ], id=ID.LIST_PANEL, style={"display": "none"} if chosen == GENERAL else None)
    return html.Div([
        dcc.Store(id=ID.MANAGER, data=manager if team is not None else None),
        dcc.Store(id=ID.GRID_REFRESH),
        dcc.Store(id=ID.URL_SYNC),
        page_header(NAME, "Everyone in your groups: time spent in courses, last activity, and who manages whom."),
        html.Div(message, id=ID.MESSAGE),
        tabs,
        listing,
        html.Div(general_stats.panel() if chosen == GENERAL else None, id=ID.GENERAL_PANEL),
    ])
