"""Groups (/groups): the group tree of the viewer's scope (the whole tree for the owner, the subtrees of their
groups for an admin or coach), expandable and searchable by name, with each group's current members,
learners and sessions; a group opens its statistics (layouts/group.py).

The page carries the group list (cached query, a few hundred rows); the browser draws the tree from it
(assets/30_groups_tree.js) as disclosure buttons (aria-expanded) beside each link, which open and close with the
mouse or the keyboard, and redraws it for a search or Expand / Collapse all without a server round trip. Dash components
would cost seconds for 426 groups; the drawing takes milliseconds.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import auth, pages, viewer
from dashboard.ids import Groups as ID
from data_access.queries import groups as q
from layouts.common import data_unavailable, no_data_yet, page_header

PAGE = pages.GROUPS_PAGE
NAME = PAGE.title


def register(app) -> None:
    pages.register(PAGE, layout)


def _header():
    return page_header(NAME, "The groups you manage with their members and learners (each counting its "
                             "sub-groups). Open a group for the statistics of its program sessions.")


@viewer.answers(unavailable=lambda: html.Div([_header(), data_unavailable()]))
def layout(**_query):
    scope = auth.viewer_scope()
    header = _header()
    groups = viewer.run(q.group_tree)
    if not groups:  # the owner sees every group: none means no data yet
        return html.Div([header, no_data_yet() if scope.is_owner else dbc.Alert(
            "You do not administer or coach any group, so there is no group to show.", color="secondary")])
    return html.Div([
        header,
        dcc.Store(id=ID.DATA, data=groups),
        dcc.Store(id=ID.HREF, data=pages.group_href("")),
        dbc.Row([
            dbc.Col([dbc.Label("Search groups by name", html_for=ID.SEARCH, className="visually-hidden"),
                     dbc.Input(id=ID.SEARCH, type="search", placeholder="Search groups by name…", debounce=150,
                               size="sm", autoComplete="off")], md=4, className="mb-2"),
            dbc.Col(dbc.ButtonGroup([
                dbc.Button("Expand all", id=ID.EXPAND, color="secondary", outline=True, size="sm"),
                dbc.Button("Collapse all", id=ID.COLLAPSE, color="secondary", outline=True, size="sm"),
            ]), md="auto", className="mb-2"),
            dbc.Col(html.Span(id=ID.COUNT, className="lp-hint"), className="align-self-center mb-2"),
        ], className="g-2 align-items-center"),
        dbc.Card(dbc.CardBody(html.Div(id=ID.TREE, className="lp-tree")), className="mb-4"),
    ])
