"""General stats panel callbacks (registered by callbacks/users.py): filter options searched on the server,
and for the chosen filters the number of lines, a preview and the Download → Now link."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html, no_update

from callbacks import inputs
from dashboard import downloads, viewer
from dashboard.ids import GeneralStats as ID
from data_access.exports.csv_format import pct
from data_access.queries import users_export as q
from layouts.common import data_unavailable
from layouts.formats import duration
from layouts.general_stats import PREVIEW_LINES

OFF = "btn btn-primary disabled"


def preview_rows(rows: list[dict]) -> list[dict]:
    return [{**r, "managers": ", ".join(r["managers"]), "avg_score": None if r["avg_score"] is None else
             float(pct(r["avg_score"])), "messages": r["posts"], "total_time": duration(r["total_time_s"]),
             "groups": ", ".join(r["groups"])} for r in rows]


def summary(p: dict):
    n = p["total"]
    parts = [html.Strong(f"{n:,}"), f" line{'s' if n != 1 else ''} (current users) · ",
             f"{len(p['fields'])} custom field column{'s' if len(p['fields']) != 1 else ''} · ",
             f"{p['group_columns']:,} group column{'s' if p['group_columns'] != 1 else ''}"]
    if n > PREVIEW_LINES:
        parts.append(html.Span(f" · preview of the first {PREVIEW_LINES}", className="lp-hint"))
    return parts


@viewer.answers(unavailable=no_update, missing=no_update)
def _search(fn, search, chosen):
    search, chosen = inputs.text(search), inputs.ids(chosen)
    if not search and not chosen:
        return no_update
    return viewer.run(fn, search=search, keep=tuple(chosen))


@viewer.answers(unavailable=lambda: [])
def groups(_id):
    return viewer.run(q.group_options)


def users(search, chosen):
    return _search(q.user_options, search, chosen)


def sessions(search, chosen):
    return _search(q.session_options, search, chosen)


def _refused(exc):
    text = str(exc).replace("--since ", "The start date ").replace("--until ", "the end date ")
    return None, [], None, OFF, dbc.Alert(text, color="warning", className="mt-2")


@viewer.answers(unavailable=lambda: (None, [], None, OFF, data_unavailable()), missing=_refused, refused=_refused)
def preview(groups, users, sessions, since, until):
    filters = {"groups": inputs.ids(groups), "users": inputs.ids(users), "sessions": inputs.ids(sessions),
               "since": inputs.text(since, 40) or None, "until": inputs.text(until, 40) or None}
    p = viewer.run(q.general_preview, lines=PREVIEW_LINES, **filters)
    href = downloads.url("general-stats", group=filters["groups"], user=filters["users"],
                         session=filters["sessions"], since=filters["since"], until=filters["until"])
    return summary(p), preview_rows(p["rows"]), href, "btn btn-primary", None


def register(app) -> None:
    app.callback(Output(ID.GROUPS, "options"), Input(ID.GROUPS, "id"))(groups)
    app.callback(Output(ID.USERS, "options"), Input(ID.USERS, "search_value"), State(ID.USERS, "value"))(users)
    app.callback(Output(ID.SESSIONS, "options"), Input(ID.SESSIONS, "search_value"),
                 State(ID.SESSIONS, "value"))(sessions)
    app.callback(Output(ID.SUMMARY, "children"), Output(ID.PREVIEW, "rowData"), Output(ID.DOWNLOAD, "href"),
                 Output(ID.DOWNLOAD, "className"), Output(ID.MESSAGE, "children"),
                 Input(ID.GROUPS, "value"), Input(ID.USERS, "value"), Input(ID.SESSIONS, "value"),
                 Input(ID.DATES, "start_date"), Input(ID.DATES, "end_date"))(preview)
