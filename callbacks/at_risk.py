"""At risk callbacks: cohort -> count and reason bars; bars -> the list; the selection -> e-mails, a mail, its
CSV, recorded contacts; the URL follows the cohort and the selected reasons."""

from __future__ import annotations

from urllib.parse import quote

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, ctx, html, no_update

from callbacks import cohorts, grids, inputs
from callbacks.figures import layout as figure_layout
from dashboard.core import auth, downloads, services, viewer
from dashboard.core.ids import AtRisk as ID
from dashboard.core.pages import participants_href, user_href
from data_access.exports import at_risk as export
from data_access.exports.csv_format import date, pct
from data_access.queries import at_risk as q
from layouts.at_risk import cohort_label
from layouts.common import data_unavailable
from layouts.palette import GREY, RED, YELLOW

MAIL_BUTTON = "btn btn-outline-primary btn-sm me-2 lp-download"
REASON_COLOURS = {q.INACTIVE: GREY, q.BEHIND: YELLOW, q.LOW_SCORE: RED}
REASON_HINTS = {q.INACTIVE: "no login for longer than the cohort's yellow limit",
                q.BEHIND: "topics overdue at or above the cohort's overdue limit",
                q.LOW_SCORE: "Session score below the cohort's score limit"}


def _sessions(session_id) -> list[str] | None:
    session_id = inputs.an_id(session_id)
    return [session_id] if session_id else None


def _reasons(selected) -> list[str] | None:
    if not isinstance(selected, list):
        return None
    return [r for r in q.REASONS if r in selected] or None


def count_line(s: dict):
    """N learners at risk · of M participants in K running cohorts."""
    n = s["at_risk"]
    return [html.Strong(f"{n:,}", className="tone-bad" if n else ""),
            " learner at risk" if n == 1 else " learners at risk",
            html.Span(f" · of {s['candidates']:,} participants in {s['cohorts']:,} running "
                      f"{'cohort' if s['cohorts'] == 1 else 'cohorts'}", className="lp-hint")]


def reasons_figure(s: dict | None, selected: list[str]) -> dict:
    by_reason = inputs.mapping(inputs.mapping(s).get("by_reason"))
    counts = {r: max(inputs.whole(by_reason.get(r)) or 0, 0) for r in q.REASONS}
    labels = list(q.REASONS)
    bar = {"type": "bar", "orientation": "h", "y": labels, "x": [counts.get(r, 0) for r in labels],
           "marker": {"color": [REASON_COLOURS[r] for r in labels]},
           "text": [f"{counts.get(r, 0):,}" for r in labels], "textposition": "outside", "cliponaxis": False,
           "customdata": [REASON_HINTS[r] for r in labels],
           "hovertemplate": "%{y}: %{x:,} learners<br>%{customdata}<extra>click to list them</extra>",
           "unselected": {"marker": {"opacity": 0.3}}, "selected": {"marker": {"opacity": 1}}}
    picked = [labels.index(r) for r in selected if r in labels]
    if picked:
        bar["selectedpoints"] = picked
    return {"data": [bar], "layout": figure_layout(
        clickmode="event+select", dragmode="select", uirevision="reasons", margin={"l": 80, "r": 40, "t": 10, "b": 30},
        yaxis={"type": "category", "autorange": "reversed", "fixedrange": True},
        xaxis={"title": {"text": "learners"}, "fixedrange": True, "rangemode": "tozero",
               **({"dtick": 1} if max(counts.values() or [0]) < 5 else {})})}


def table_rows(rows: list[dict], tz: str) -> list[dict]:
    return [{"row_id": f"{r['session_id']}\u241f{r['user_id']}", "user_id": r["user_id"],
             "session_id": r["session_id"],
             "name": f"[{_md(r['first_name'])} {_md(r['last_name'])}]({user_href(r['user_id'])})",
             "email": r["email"],
             "cohort": f"[{_md(r['cohort'])}]({participants_href(r['session_id'])})",
             "reasons": r["reasons"], "days_since": r["days_since"], "overdue": r["overdue"],
             "score": None if r["score_pct"] is None else float(pct(r["score_pct"])),
             "last_contacted": r["last_contacted_at"], "last_contacted_text": date(r["last_contacted_at"], tz)}
            for r in rows]


def _md(text: str) -> str:
    """Text shown inside a markdown link: brackets and markup characters escaped."""
    return "".join("\\" + ch if ch in "\\[]()*_`<>#!|~" else ch for ch in str(text))


def list_title(selected: list[str], total: int | None) -> str:
    which = " or ".join(selected) if selected else "Everyone at risk"
    return which[:1].upper() + which[1:] + ("" if total is None else f": {total:,}")


def _pairs(selected_rows) -> list:
    """(user id, session id) of the grid's selected rows, as sent by the browser (checked by the queries)."""
    if not isinstance(selected_rows, list):
        return []
    return [[r.get("user_id"), r.get("session_id")] if isinstance(r, dict) else r for r in selected_rows]


def mailto(emails: list[str], subject: str | None, body: str | None) -> str:
    query = f"bcc={quote(','.join(emails), safe='@,')}"
    if subject:
        query += f"&subject={quote(subject)}"
    if body:
        query += f"&body={quote(body)}"
    return f"mailto:?{query}"


def _no_running_cohort(session_id) -> bool:
    """A cohort that is not running or not the viewer's answers like one that does not exist."""
    return not viewer.run(q.running_cohorts, keep=[session_id], limit=0)


@viewer.answers(unavailable=lambda: (None, data_unavailable(), "#", None))
def load(session_id):
    sessions = _sessions(session_id)
    s = viewer.run(q.summary, sessions=sessions)
    if sessions and not s["candidates"] and _no_running_cohort(session_id):
        return None, dbc.Alert(f"There is no running cohort {session_id!r} you can see.", color="warning"), "#", None
    if not s["candidates"]:
        empty = html.Span("Nobody to list: no participant in a running cohort you follow.", className="lp-hint")
        return s, empty, downloads.url("at-risk", session=sessions), None
    return s, count_line(s), downloads.url("at-risk", session=sessions), None


def draw(summary, _clear, selected):
    """The bars, with the reasons of the address selected; a click selects in the chart itself (so a
    shift-click adds to what Plotly knows is selected), Clear draws them afresh."""
    return reasons_figure(summary, [] if ctx.triggered_id == ID.CLEAR else _reasons(selected) or [])


def select(selected_data, _clear):
    if ctx.triggered_id != ID.CHART or not isinstance(selected_data, dict):
        return []
    picked = {inputs.point_value(p, "y") for p in inputs.points(selected_data)}
    return [r for r in q.REASONS if r in picked]


def title(selected, summary):
    reasons = _reasons(selected) or []
    summary = inputs.mapping(summary)
    total = None
    if summary and not reasons:
        total = summary.get("at_risk")
    elif summary and len(reasons) == 1:
        total = inputs.mapping(summary.get("by_reason")).get(reasons[0])
    return list_title(reasons, total)


def grid_rows(request, selected, session_id):
    """One block of rows: sorted, filtered and paged in SQL."""
    tz = viewer.timezone()
    return grids.answer(request, q.at_risk_page, lambda rows: table_rows(rows, tz), sessions=_sessions(session_id),
                        reasons=_reasons(selected))


def _off(info: str, record: bool = True) -> tuple:
    return info, "#", MAIL_BUTTON + " disabled", True, True, record


@viewer.answers(unavailable=lambda: _off("The selection could not be read; try again."), refused=lambda e: _off(str(e)))
def selection(selected_rows, subject, body):
    """What the selection allows: the mail link carries the e-mails of the selected learners the viewer sees
    (real ones also in meeting-safe mode, where opening it asks first, as a download does)."""
    pairs = _pairs(selected_rows)
    if not pairs:
        return _off("No learner selected")
    rows = viewer.unshaped(q.selection, pairs=pairs)
    emails = list(dict.fromkeys(r["email"] for r in rows))
    if not rows:
        return _off("None of the selected learners is at risk any more.", record=False)
    info = f"{len(rows):,} selected" + (f" ({len(emails):,} people)" if len(emails) != len(rows) else "")
    subject, body = (value if isinstance(value, str) else "" for value in (subject, body))
    return info, mailto(emails, subject, body), MAIL_BUTTON, False, False, False


@viewer.answers(unavailable=None, refused=None)
def _selected_emails(selected_rows) -> list[str] | None:
    # real e-mails also in meeting-safe mode: they go to the clipboard, like a download, not on screen
    return list(dict.fromkeys(r["email"] for r in viewer.unshaped(q.selection, pairs=_pairs(selected_rows))))


def emails_to_copy(clicks, selected_rows):
    clicks = inputs.clicks(clicks)
    emails = _selected_emails(selected_rows)
    if emails is None:
        return {"emails": [], "click": clicks, "failed": True}
    return {"emails": emails, "click": clicks}


@viewer.answers(unavailable=no_update, refused=no_update)
def selection_csv(_clicks, selected_rows):
    svc = services.current()
    with svc.engine.connect() as conn:
        text = export.selection(conn, auth.viewer_scope(), svc.now(), viewer.timezone(), _pairs(selected_rows))
    return {"content": text, "filename": "at-risk-selection.csv", "type": "text/csv"}


def _not_recorded(exc):
    return html.Span(str(exc), className="text-danger"), no_update, no_update


@viewer.answers(unavailable=lambda: _not_recorded("Not recorded: the database did not answer."),
                missing=_not_recorded, refused=_not_recorded)
def record(clicks, selected_rows, channel, note):
    """Record a contact with every selected learner (all or nothing)."""
    n = viewer.write(q.record_contacts, pairs=_pairs(selected_rows), channel=channel, note=note,
                     recorded_by=auth.current_viewer().account.user_id)
    text = f"✓ Recorded a contact ({channel}) with {n:,} {'learner' if n == 1 else 'learners'}"
    return html.Span(text, className="text-success"), clicks, ""


def search_cohorts(typed, chosen):
    return cohorts.search(q.running_cohorts, cohort_label, typed, chosen)


def register(app) -> None:
    app.callback(Output(ID.SUMMARY, "data"), Output(ID.COUNT, "children"), Output(ID.DOWNLOAD, "href"),
                 Output(ID.MESSAGE, "children", allow_duplicate=True), Input(ID.COHORT, "value"),
                 prevent_initial_call="initial_duplicate")(load)
    app.callback(Output(ID.CHART, "figure"), Input(ID.SUMMARY, "data"), Input(ID.CLEAR, "n_clicks"),
                 State(ID.SELECTED, "data"))(draw)
    app.callback(Output(ID.SELECTED, "data"), Input(ID.CHART, "selectedData"), Input(ID.CLEAR, "n_clicks"),
                 prevent_initial_call=True)(select)
    app.callback(Output(ID.LIST_TITLE, "children"), Input(ID.SELECTED, "data"), Input(ID.SUMMARY, "data"))(title)
    app.callback(Output(ID.GRID, "getRowsResponse"), Input(ID.GRID, "getRowsRequest"), State(ID.SELECTED, "data"),
                 State(ID.COHORT, "value"), prevent_initial_call=True)(grid_rows)
    app.callback(Output(ID.SELECTION_INFO, "children"), Output(ID.MAILTO, "href"), Output(ID.MAILTO, "className"),
                 Output(ID.COPY, "disabled"), Output(ID.SELECTION_CSV, "disabled"), Output(ID.RECORD, "disabled"),
                 Input(ID.GRID, "selectedRows"), Input(ID.SUBJECT, "value"), Input(ID.BODY, "value"))(selection)
    app.callback(Output(ID.EMAILS, "data"), Input(ID.COPY, "n_clicks"), State(ID.GRID, "selectedRows"),
                 prevent_initial_call=True)(emails_to_copy)
    app.callback(Output(ID.SELECTION_FILE, "data"), Input(ID.SELECTION_CSV, "n_clicks"),
                 State(ID.GRID, "selectedRows"), prevent_initial_call=True)(selection_csv)
    app.callback(Output(ID.RECORD_STATUS, "children"), Output(ID.RECORDED, "data"), Output(ID.NOTE, "value"),
                 Input(ID.RECORD, "n_clicks"), State(ID.GRID, "selectedRows"), State(ID.CHANNEL, "value"),
                 State(ID.NOTE, "value"), prevent_initial_call=True)(record)
    app.callback(Output(ID.COHORT, "options"), Input(ID.COHORT, "search_value"), State(ID.COHORT, "value"),
                 prevent_initial_call=True)(search_cohorts)
    app.clientside_callback(ClientsideFunction("learnpulse_at_risk", "syncUrl"),
                            Output(ID.URL_SYNC, "data"), Input(ID.COHORT, "value"), Input(ID.SELECTED, "data"))
    app.clientside_callback(ClientsideFunction("learnpulse_at_risk", "refreshGrid"),
                            Output(ID.GRID_REFRESH, "data"), Input(ID.SELECTED, "data"), Input(ID.COHORT, "value"),
                            Input(ID.RECORDED, "data"), State(ID.GRID, "id"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("learnpulse", "copyEmails"),
                            Output(ID.COPY_STATUS, "children"), Input(ID.EMAILS, "data"), prevent_initial_call=True)
