"""Callbacks of the page frame (layouts/shell.py): the navbar's collapse on narrow screens, stopping view-as, and
the meeting-safe switch."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, no_update

from dashboard import auth, pages
from dashboard.ids import Shell as ID


def stop_viewing_as(clicks):
    auth.stop_view_as()
    return pages.OVERVIEW_PAGE.path


def switch_meeting_safe(on):
    """Save the switch for this person; the page then loads afresh, every name shown the new way."""
    if not isinstance(on, bool):
        return no_update
    auth.set_meeting_safe(on)
    return on


def register(app) -> None:
    app.clientside_callback(ClientsideFunction("learnpulse", "toggle"), Output(ID.COLLAPSE, "is_open"),
                            Input(ID.TOGGLER, "n_clicks"), State(ID.COLLAPSE, "is_open"), prevent_initial_call=True)
    # a new viewer means new navigation, banner and data everywhere: load the page afresh
    app.clientside_callback(ClientsideFunction("learnpulse", "reload"), Output(ID.RELOADED, "data"),
                            Input(ID.RELOAD, "data"), prevent_initial_call=True)
    app.callback(Output(ID.RELOAD, "data"), Input(ID.STOP_VIEW_AS, "n_clicks"),
                 prevent_initial_call=True)(stop_viewing_as)
    app.callback(Output(ID.MEETING_SAVED, "data"), Input(ID.MEETING_SAFE, "value"),
                 prevent_initial_call=True)(switch_meeting_safe)
    app.clientside_callback(ClientsideFunction("learnpulse", "reloadHere"), Output(ID.RELOADED, "data",
                            allow_duplicate=True), Input(ID.MEETING_SAVED, "data"), prevent_initial_call=True)
