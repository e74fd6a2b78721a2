"""View as: search people on the server (100,000 users never travel to the browser), start viewing as the one
picked, and list the audit log."""

from __future__ import annotations

from dash import Input, Output, State, no_update

from callbacks import inputs
from dashboard import auth, services
from dashboard.ids import Shell, UserPage
from dashboard.ids import ViewAs as ID
from dashboard.pages import OVERVIEW_PAGE
from data_access import accounts
from data_access.exports.csv_format import date as timestamp


def _options(people: list[dict], text: str = "") -> list[dict]:
    """The picker's options; each is searchable by the text the server matched it with (the dropdown filters
    its options by what is typed, which in meeting-safe mode is a real name its pseudonym label lacks)."""
    return [{"label": f"{p['name']} · {p['email']} · {p['role']}", "value": p["user_id"],
             "search": f"{text} {p['name']} {p['email']}"} for p in people]


def audit_rows(events: list[dict]) -> list[dict]:
    return [{"id": str(e["id"]), "when": timestamp(e["at"]), "event": e["event"].replace("_", " "),
             "who": e["actor_email"] or e["email"] or "", "subject": e["subject_email"] or "",
             "address": e["address"] or "", "detail": e["detail"] or ""} for e in events]


def search(text, chosen):
    """People to view as, searched on the server in the signed-in account's own scope."""
    svc = services.current()
    people = svc.queries.fresh(accounts.search_people, auth.current_viewer().account.scope, svc.now(),
                               text=inputs.text(text))
    options = _options(people, inputs.text(text))
    if inputs.an_id(chosen) and chosen not in {o["value"] for o in options}:
        return no_update  # keep the chosen person's label while typing elsewhere
    return options


def ready(chosen):
    return not inputs.an_id(chosen)


def go(clicks, chosen):
    if not inputs.clicks(clicks):
        return no_update, no_update
    chosen = inputs.an_id(chosen)
    if not chosen or auth.start_view_as(chosen) is None:
        return no_update, "Pick someone who can sign in (a current user)."
    return OVERVIEW_PAGE.path, "Opening LearnPulse as them…"


def from_a_users_page(clicks, user_id):
    """The View as button of a user's page (owners)."""
    user_id = inputs.an_id(user_id)
    if not inputs.clicks(clicks) or not user_id or auth.start_view_as(user_id) is None:
        return no_update
    return OVERVIEW_PAGE.path


def audit_log(_):
    svc = services.current()
    return audit_rows(svc.queries.fresh(accounts.audit_events, auth.current_viewer().account.scope, svc.now()))


def register(app) -> None:
    app.callback(Output(ID.PICK, "options"), Input(ID.PICK, "search_value"), State(ID.PICK, "value"))(search)
    app.callback(Output(ID.GO, "disabled"), Input(ID.PICK, "value"))(ready)
    app.callback(Output(Shell.RELOAD, "data", allow_duplicate=True), Output(ID.STATUS, "children"),
                 Input(ID.GO, "n_clicks"), State(ID.PICK, "value"), prevent_initial_call=True)(go)
    app.callback(Output(Shell.RELOAD, "data", allow_duplicate=True), Input(UserPage.VIEW_AS, "n_clicks"),
                 State(UserPage.ID, "data"), prevent_initial_call=True)(from_a_users_page)
    app.callback(Output(ID.AUDIT, "rowData"), Input(ID.PICK, "id"))(audit_log)
