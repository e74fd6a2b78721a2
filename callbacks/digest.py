"""Weekly digest page: saving one's own settings (on/off, day, hour) and the preview of what the digest would say
now (the e-mail's own HTML, shown in a sandboxed frame that runs no script)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html, no_update

from dashboard import auth, services, viewer
from dashboard.digest_run import Composer
from dashboard.ids import Digest as ID
from dashboard.pseudonyms import current_masker
from data_access.digest_store import Subscription
from data_access.exports.csv_format import date
from data_access.queries import digest as q
from layouts.common import data_unavailable
from layouts.digest import history_list, may_subscribe, status_text
from layouts.palette import BORDER, WHITE
from layouts.shell import shown_name


def preview(d: dict, html_text: str, subject: str, tz: str):
    """The preview card's content: whether an e-mail would go out, its subject, and the e-mail itself."""
    if d["changed"]:
        since = ("Your first digest: everyone at risk counts as newly at risk." if d["first"]
                 else f"Compared with your last digest ({date(d['previous_at'], tz)}).")
        head = dbc.Alert([html.Strong("An e-mail would be sent: "), subject, html.Br(), since], color="info",
                         className="py-2")
    else:
        head = dbc.Alert([html.Strong("Nothing changed since your last digest: "), "no e-mail would be sent. ",
                          f"{d['at_risk']:,} learners are at risk."], color="secondary", className="py-2")
    frame = html.Iframe(srcDoc=html_text, title="Preview of the weekly digest e-mail",
                        sandbox="allow-popups allow-popups-to-escape-sandbox",
                        style={"width": "100%", "height": "640px", "border": f"1px solid {BORDER}",
                               "borderRadius": "0.375rem", "background": WHITE})
    return [head, frame]


NOT_SAVED = "Not saved: the database did not answer; try again in a moment."


@viewer.answers(unavailable=(NOT_SAVED, no_update, no_update, no_update),
                refused=lambda exc: (f"Not saved: {exc}.", no_update, no_update, no_update))
def save(on, day, hour):
    """Save the signed-in person's own digest settings (their own scope: a digest is never someone else's)."""
    current = auth.current_viewer()
    if not may_subscribe(current):
        return "There is nothing here for you.", no_update, True, True
    if current.viewing_as:
        return "You are viewing as someone else: only they can change their digest.", no_update, True, True
    if not isinstance(on, bool):
        return "Switch the digest on or off.", no_update, no_update, no_update
    svc = services.current()
    who = current.acting
    settings = svc.queries.write(q.save_settings, who.scope, svc.now(), user_id=who.user_id, on=on, weekday=day,
                                 hour=hour)
    tz = svc.settings.timezone
    email = shown_name(who, current_masker())[1]  # hidden in meeting-safe mode
    return ("Saved. " + status_text(settings, email, tz), history_list(settings, tz), not on, not on)


@viewer.answers(unavailable=data_unavailable)
def show_preview(clicks, _on):
    """What the digest of the person acting would say now, as the e-mail itself."""
    current = auth.current_viewer()
    if not clicks or not may_subscribe(current):
        return no_update
    svc = services.current()
    who = current.acting
    d = svc.queries.fresh(q.digest, who.scope, svc.now(), user_id=who.user_id)
    composer = Composer.from_settings(svc.settings, svc.engine)
    settings = svc.queries.fresh(q.settings_of, who.scope, svc.now(), user_id=who.user_id)
    sub = Subscription(who.user_id, settings["weekday"], settings["hour"], 0) if settings["subscribed"] else None
    rendered = composer.render(d, who, sub)
    return preview(d, rendered.html, rendered.subject, svc.settings.timezone)


def register(app) -> None:
    app.callback(Output(ID.STATUS, "children"), Output(ID.HISTORY, "children"), Output(ID.DAY, "disabled"),
                 Output(ID.HOUR, "disabled"), Input(ID.ON, "value"), Input(ID.DAY, "value"),
                 Input(ID.HOUR, "value"), prevent_initial_call=True)(save)
    app.callback(Output(ID.PREVIEW, "children"), Input(ID.PREVIEW_BUTTON, "n_clicks"),
                 State(ID.ON, "value"), prevent_initial_call=True)(show_preview)
