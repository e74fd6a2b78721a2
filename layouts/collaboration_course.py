"""One course's collaborative activity (/collaboration/courses/<id>): its totals, reactions by kind and engagement by
activity, where every number opens the people behind it (?activity=ID&action=like keeps that list in the link)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import downloads, pages
from dashboard.ids import CollaborationCourse as ID
from data_access.queries import collaboration as q
from layouts import charts, entity
from layouts.common import kpi_row, page_header
from layouts.formats import day, score_text
from layouts.grids import TEXT_FILTER, client_grid, server_grid

STATUS = {"active": "Active", "archived": "Archived", "deleted": "Deleted"}
TYPES = {"document": "Document", "cheat_sheet": "Cheat Sheet", "question": "Question"}

# the numbers of an activity that open a list: grid column -> (action of the query, what the list shows)
NUMBERS = {"views": ("views", "Viewed"), "like": ("like", "Liked"),
           "learned_something": ("learned_something", "Learned something from"),
           "outdated": ("outdated", "Found outdated"), "have_a_question": ("have_a_question", "Have a question on"),
           "comments": ("comments", "Commented on"), "downloads": ("downloads", "Downloaded")}
_NUMBER = {"type": "numericColumn", "filter": "agNumberColumnFilter", "maxWidth": 140, "minWidth": 100,
           "wrapHeaderText": True, "autoHeaderHeight": True, "cellClassRules": {"lp-number-link": "params.value > 0"}}
ACTIVITY_COLUMNS = [
    {"field": "position", "headerName": "#", "maxWidth": 70, "minWidth": 60, "type": "numericColumn"},
    {"field": "title", "headerName": "Title", "flex": 2, "minWidth": 200, "filter": "agTextColumnFilter"},
    {"field": "type_label", "headerName": "Type", "minWidth": 120, "maxWidth": 140},
    {"field": "views", "headerName": "Views", **_NUMBER},
    {"field": "like", "headerName": "Likes", **_NUMBER},
    {"field": "learned_something", "headerName": "Learned something", **_NUMBER},
    {"field": "outdated", "headerName": "Outdated", **_NUMBER},
    {"field": "have_a_question", "headerName": "Have a question", **_NUMBER},
    {"field": "comments", "headerName": "Comments", **_NUMBER},
    {"field": "downloads", "headerName": "Downloads", **_NUMBER},
]
PEOPLE_COLUMNS = [
    {"field": "first_name", "headerName": "First name", **TEXT_FILTER},
    {"field": "last_name", "headerName": "Last name", **TEXT_FILTER},
    {"field": "email", "headerName": "Email", "flex": 2, "minWidth": 220, **TEXT_FILTER},
    {"field": "at", "headerName": "When", "filter": False, "minWidth": 150},
]
COMMENT_COLUMNS = [{"field": "reply", "headerName": "Reply", "filter": False, "maxWidth": 110},
                   {"field": "archived", "headerName": "Archived", "filter": False, "maxWidth": 120}]
GREYED = {"lp-greyed": "params.data && params.data.deleted"}  # deleted users count (history), shown greyed


def register(app) -> None:
    pages.register(pages.COURSE_PAGE, layout)


def selection(activity: str | None, action: str | None) -> dict:
    """The list the URL asks for, when it names a number the page offers."""
    columns = {a: col for col, (a, _label) in NUMBERS.items()}
    return {"activity": activity, "action": action} if activity and action in columns else {}


def kpis(info: dict):
    return kpi_row([("Views", f"{info['views']:,}"), ("Comments", f"{info['comments']:,}"),
                    ("Reactions", f"{info['reactions']:,}"), ("Reaction score", score_text(info["reaction_score"])),
                    ("Downloads", f"{info['downloads']:,}"), ("Activities", f"{info['activities']:,}")],
                   xs=6, md=4)


def layout(course_id: str | None = None, activity: str | None = None, action: str | None = None, **_query):
    back = dcc.Link("← Courses", href=pages.collaboration_tab_href("courses"), className="lp-back")
    info, instead = entity.load(q.course_info, back=back, title="Course",
                                missing=f"There is no course {course_id!r} you can see.", course_id=course_id)
    if instead is not None:
        return instead
    dates = [f"created {day(info['created_at'])}" if info["created_at"] else None,
             f"last update {day(info['updated_at'])}" if info["updated_at"] else None]
    subtitle = " · ".join(x for x in [STATUS.get(info["status"], info["status"]), f"by {info['author']}", *dates] if x)
    download = html.A("Download", id=ID.DOWNLOAD, className="btn btn-outline-primary btn-sm",
                      href=downloads.url("course-activities", course=course_id),
                      title="Engagement by activity (CSV)")
    people_tools = html.Div([
        html.A("Download CSV", id=ID.PEOPLE_DOWNLOAD, className="btn btn-outline-primary btn-sm me-2", href="#"),
        dbc.Button("Close", id=ID.PEOPLE_CLOSE, color="link", size="sm"),
    ])
    return html.Div([
        dcc.Store(id=ID.ID, data=course_id),
        dcc.Store(id=ID.SELECTED, data=selection(activity, action)),
        dcc.Store(id=ID.URL_SYNC),
        dcc.Store(id=ID.PEOPLE_REFRESH),
        back,
        page_header(info["name"], subtitle),
        dbc.Row([
            dbc.Col(html.Div(kpis(info), className="lp-kpi-row"), lg=7, className="mb-2"),
            dbc.Col(dbc.Card([dbc.CardHeader(html.H6("Reactions by kind", className="mb-0")), dbc.CardBody(
                dcc.Loading(dcc.Graph(id=ID.REACTIONS_CHART, config=charts.STILL, style={"height": "230px"}),
                            type="dot", delay_show=300), className="py-1")], className="mb-3"), lg=5),
        ]),
        html.Div(id=ID.MESSAGE),
        dbc.Card([
            dbc.CardHeader(dbc.Row([dbc.Col(html.H6("Engagement by activity", className="mb-0"),
                                            className="align-self-center"),
                                    dbc.Col(download, width="auto")], className="g-2")),
            dbc.CardBody([html.Div("Click a number to list the people behind it.", className="lp-hint mb-2"),
                          client_grid(ID.GRID, ACTIVITY_COLUMNS, "activity_id")]),
        ], className="mb-3"),
        dbc.Card([
            dbc.CardHeader(dbc.Row([dbc.Col(html.H6(id=ID.PEOPLE_TITLE, className="mb-0"),
                                            className="align-self-center"),
                                    dbc.Col(people_tools, width="auto")], className="g-2")),
            dbc.CardBody([html.Div("One line per view, reaction, comment or download, most recent first; deleted "
                                   "users are greyed.", className="lp-hint mb-2"),
                          server_grid(ID.PEOPLE_GRID, PEOPLE_COLUMNS, "420px", "row_id", rowClassRules=GREYED)]),
        ], id=ID.PEOPLE_CARD, className="mb-4", style={"display": "none"}),
    ])
