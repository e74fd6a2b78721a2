"""Groups tree: drawn in the browser (assets/30_groups_tree.js) from the page's group list, again for a search
or Expand / Collapse all; the ids it needs are passed in, never retyped."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State

from dashboard.core.ids import Groups as ID


def register(app) -> None:
    app.clientside_callback(
        ClientsideFunction("learnpulseGroups", "renderTree"), Output(ID.COUNT, "children"),
        Input(ID.DATA, "data"), Input(ID.SEARCH, "value"), Input(ID.EXPAND, "n_clicks"),
        Input(ID.COLLAPSE, "n_clicks"), State(ID.TREE, "id"), State(ID.EXPAND, "id"), State(ID.COLLAPSE, "id"),
        State(ID.HREF, "data"))
