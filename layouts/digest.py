"""Weekly digest (account menu): switch one's own weekly e-mail on or off, choose its day and hour, see the last
ones, and preview what it would say now. For anyone who sees cohorts (owners, admins, coaches, instructors); an
owner viewing as someone sees that person's settings and preview, read-only."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import auth, pages, services
from dashboard.ids import Digest as ID
from dashboard.pseudonyms import current_masker
from dashboard.viewer import answers
from data_access.digest_store import DAY_NAMES, EMPTY, FAILED, SENT
from data_access.exports.csv_format import date
from data_access.queries import digest as q
from layouts.common import data_unavailable, page_header, page_not_found, section_card
from layouts.shell import shown_name

DAY_OPTIONS = [{"label": name, "value": i} for i, name in enumerate(DAY_NAMES)]
HOUR_OPTIONS = [{"label": f"{h:02d}:00", "value": h} for h in range(24)]


def register(app) -> None:
    pages.register(pages.DIGEST_PAGE, layout)


def may_subscribe(viewer: auth.Viewer | None) -> bool:
    """Anyone who sees cohorts (the Participants section) may receive the digest."""
    return viewer is not None and pages.PARTICIPANTS in viewer.sections


def status_text(settings: dict, email: str, tz: str) -> str:
    if not settings["subscribed"]:
        return f"Off: no weekly digest is sent to {email}."
    text = f"On: every {DAY_NAMES[settings['weekday']]} at {settings['hour']:02d}:00 ({tz}), to {email}."
    if not settings["history"]:
        text += " Your first digest goes out at the next send."
    return text + " No e-mail in a week when nothing changed."


def _period_line(row: dict, tz: str) -> str:
    when = date(row["period_at"], tz)
    if row["status"] == SENT:
        return (f"{when}: sent ({row['newly'] or 0:,} newly at risk, {row['recovered'] or 0:,} no longer at risk, "
                f"{row['contacts'] or 0:,} contacts; {row['at_risk'] or 0:,} at risk)")
    if row["status"] == EMPTY:
        return f"{when}: nothing changed, no e-mail ({row['at_risk'] or 0:,} at risk)"
    if row["status"] == FAILED:
        return f"{when}: not sent yet ({row['error'] or 'failed'}); tried again at the next send"
    return f"{when}: being sent"


def history_list(settings: dict, tz: str):
    rows = settings.get("history") or []
    if not rows:
        return html.P("No digest yet.", className="lp-hint mb-0")
    return html.Ul([html.Li(_period_line(r, tz)) for r in rows], className="mb-0")


@answers(unavailable=data_unavailable)
def layout(**_query):
    current = auth.current_viewer()
    if not may_subscribe(current):
        return page_not_found()
    svc = services.current()
    who = current.acting
    settings = svc.queries.fresh(q.settings_of, who.scope, svc.now(), user_id=who.user_id)  # their own scope
    tz = svc.settings.timezone
    read_only = current.viewing_as
    name, email = shown_name(who, current_masker())  # pseudonyms in meeting-safe mode
    note = (dbc.Alert(f"You are viewing as {name}: these are their settings; only they can change them.",
                      color="warning", className="py-2") if read_only else None)
    form = [
        note,
        dbc.Switch(id=ID.ON, label="Send me the weekly digest by e-mail", value=settings["subscribed"],
                   disabled=read_only, className="mb-3"),
        dbc.Row([
            dbc.Col([dbc.Label("Day", html_for=ID.DAY, className="fw-semibold mb-1"),
                     dcc.Dropdown(id=ID.DAY, options=DAY_OPTIONS, value=settings["weekday"], clearable=False,
                                  searchable=False, disabled=read_only or not settings["subscribed"])], md=3),
            dbc.Col([dbc.Label(f"Hour ({tz})", html_for=ID.HOUR, className="fw-semibold mb-1"),
                     dcc.Dropdown(id=ID.HOUR, options=HOUR_OPTIONS, value=settings["hour"], clearable=False,
                                  searchable=False, disabled=read_only or not settings["subscribed"])], md=2),
        ], className="g-3 mb-3"),
        html.Div(status_text(settings, email, tz), id=ID.STATUS, className="lp-hint", role="status"),
    ]
    return html.Div([
        page_header("Weekly digest", "One e-mail a week with who became at risk in your cohorts, who is no longer "
                                     "at risk and the contacts recorded, each with a link into the at-risk list. "
                                     "No e-mail in a week when nothing changed; every e-mail has a one-click "
                                     "unsubscribe link."),
        section_card("Settings", form),
        section_card("Latest digests", html.Div(history_list(settings, tz), id=ID.HISTORY)),
        section_card("Preview", [
            html.P("What your digest would say if it were sent now, compared with your last one.",
                   className="lp-hint"),
            dcc.Loading(html.Div(id=ID.PREVIEW), type="dot"),
        ], right=dbc.Button("Preview", id=ID.PREVIEW_BUTTON, color="primary", size="sm")),
    ])
