"""One group's statistics (/groups/<id>), "Additional details" of metrics.md "Group statistics": breadcrumbs,
rates over the last 12 months, ongoing sessions per month, blended learning and the group's sessions table;
a line lists the group's learners in that session, a learner opens their blocks (the session page's dialog)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import downloads, pages
from dashboard.ids import Group as ID
from data_access.queries import groups as q
from layouts import charts, entity
from layouts.common import page_header, section_card
from layouts.formats import counts_text
from layouts.grids import NUMBER_FILTER, TEXT_FILTER, server_grid
from layouts.learners import PEOPLE_COLUMNS, learner_modal

DASH_WHEN_EMPTY = {"valueFormatter": {"function": "params.value == null ? '-' : params.value"}}
SESSION_COLUMNS = [
    {"field": "name_link", "colId": "name", "headerName": "Program session", "cellRenderer": "markdown", "flex": 3,
     "minWidth": 260, **TEXT_FILTER},
    {"field": "start", "headerName": "Start", "filter": False, "minWidth": 150},
    {"field": "end", "headerName": "End", "filter": False, "minWidth": 150},
    {"field": "learners", "headerName": "Learners", **NUMBER_FILTER},
    {"field": "attendance", "headerName": "Attendance", **NUMBER_FILTER,
     "headerTooltip": "Learners of the group who started the session"},
    {"field": "progress", "headerName": "Progress (%)", **NUMBER_FILTER, **DASH_WHEN_EMPTY},
    {"field": "score", "headerName": "Score", **NUMBER_FILTER, **DASH_WHEN_EMPTY},
]
DELETED = {"lp-greyed": "params.data && params.data.deleted"}  # deleted learners count (history), greyed


def register(app) -> None:
    pages.register(pages.GROUP_PAGE, layout)


def breadcrumbs(info: dict):
    """Where the group sits in the tree, from the highest group the viewer may open: each a link."""
    items = [html.Li(dcc.Link(p["name"], href=pages.group_href(p["group_id"])), className="breadcrumb-item")
             for p in info["path"]]
    items.append(html.Li(dcc.Link(info["name"], href=pages.group_href(info["group_id"])),
                         className="breadcrumb-item active", **{"aria-current": "page"}))
    return html.Nav(html.Ol(items, className="breadcrumb lp-breadcrumb mb-2"), **{"aria-label": "Breadcrumb"})


def sub_groups(info: dict):
    if not info["children"]:
        return None
    return html.Div([html.Span("Sub-groups: ", className="lp-hint me-1")] + [
        dcc.Link(c["name"], href=pages.group_href(c["group_id"]), className="badge rounded-pill lp-subgroup me-1 mb-1",
                 title=counts_text(c)) for c in info["children"]], className="mb-3")


def layout(group_id: str | None = None, **_query):
    back = dcc.Link(f"← {pages.GROUPS_PAGE.title}", href=pages.GROUPS_PAGE.path, className="lp-back")
    info, instead = entity.load(q.group_info, back=back, title="Group",
                                missing=f"Not found: there is no group {group_id!r} you can see.", group_id=group_id)
    if instead is not None:
        return instead
    download = html.A("Download", id=ID.DOWNLOAD, className="btn btn-primary btn-sm",
                      href=downloads.url("group-sessions", group=group_id),
                      title="The sessions table as CSV (export group-sessions)")
    return html.Div([
        dcc.Store(id=ID.ID, data=group_id),
        dcc.Store(id=ID.SESSION),
        dcc.Store(id=ID.PEOPLE_REFRESH),
        dcc.Store(id=ID.PEOPLE_REVEAL),
        back,
        breadcrumbs(info),
        page_header(info["name"], f"Level {info['level']} · {counts_text(info)} (with its sub-groups)"),
        sub_groups(info),
        section_card("Additional details", [
            html.Div(id=ID.MESSAGE),
            dcc.Loading(html.Div(id=ID.KPIS, className="mb-3 lp-kpi-row"), type="dot", delay_show=300),
            dbc.Row([
                dbc.Col([html.H6("Ongoing sessions per month"),
                         dcc.Graph(id=ID.ONGOING_CHART, config=charts.STILL, style={"height": "280px"})], lg=8),
                dbc.Col([html.H6("Blended learning (last 12 months)"),
                         dcc.Graph(id=ID.BLENDED_CHART, config=charts.STILL, style={"height": "280px"})], lg=4),
            ], id=ID.CHARTS),
        ]),
        section_card("Program sessions", [
            html.Div("Sessions in the group's catalog or assigned through it, with the group's learners in each. "
                     "Click a line to list those learners; a session's name opens its page.", className="lp-hint mb-2"),
            server_grid(ID.SESSIONS_GRID, SESSION_COLUMNS, "440px", row_id="session_id"),
        ], right=download),
        section_card("Learners", [
            html.Div("The group's learners registered in this session. Click a learner for their results per block; "
                     "deleted learners (history) are greyed.", className="lp-hint mb-2"),
            server_grid(ID.PEOPLE_GRID, PEOPLE_COLUMNS, "420px", rowClassRules=DELETED),
        ], right=html.Div([html.Span(id=ID.PEOPLE_TITLE, className="lp-filter-note me-2"),
                           html.A("Session CSV", id=ID.PEOPLE_DOWNLOAD, className="btn btn-outline-primary btn-sm",
                                  title="The session's CSV: every column for each of its learners you can see")]),
            ident=ID.PEOPLE_CARD, style={"display": "none"}),
        learner_modal(ID),
    ])
