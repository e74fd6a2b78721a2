"""Participants callbacks: cohort -> summary, limits, chart; bars -> learner table; limits -> stored and
recoloured; the URL follows the cohort and the selected bars."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, ctx, html, no_update

from callbacks import cohorts, grids, inputs
from callbacks.figures import empty_figure
from callbacks.figures import layout as figure_layout
from callbacks.grids import EMPTY_ROWS, grid_request
from dashboard import downloads, viewer
from dashboard.ids import Participants as ID
from dashboard.pages import profile_link
from data_access import recency
from data_access.exports.csv_format import date, pct
from data_access.queries import at_risk
from data_access.queries import participants as q
from layouts.common import data_unavailable
from layouts.palette import TONES, WHITE
from layouts.participants import cohort_label


def _n(value: int, one: str, many: str | None = None) -> str:
    return f"{value:,} {one if value == 1 else (many or one + 's')}"


def summary_line(a: dict):
    """Participants · active in the last 7 days (%) · never logged in · behind schedule."""
    total = a["participants"]
    share = f" ({100 * a['active_7d'] / total:.0f}%)" if total else ""
    due = a["topics_due"]
    if due:
        behind = html.Span([html.Strong(f"{a['behind']:,}"), " behind schedule ",
                            html.Span(f"(completed fewer than the {_n(due, 'topic')} due by now)",
                                      className="lp-hint")],
                           className="tone-warn" if a["behind"] else "")
    else:
        behind = html.Span("nobody behind: no topic is due yet")
    parts = [
        html.Span([html.Strong(f"{total:,}"), " participant" if total == 1 else " participants"]),
        html.Span([html.Strong(f"{a['active_7d']:,}"), f" active in the last 7 days{share}"]),
        html.Span([html.Strong(f"{a['never']:,}"), " never logged in"], className="tone-bad" if a["never"] else ""),
        behind,
    ]
    out = []
    for i, part in enumerate(parts):
        if i:
            out.append(html.Span(" · ", className="lp-sep"))
        out.append(part)
    return out


PATTERNS = {"green": "", "yellow": "/", "red": "x"}
TONE_WORDS = {"green": "green", "yellow": "yellow, striped", "red": "red, crossed"}


def activity_figure(activity: dict, limits: dict, selected: list[str]) -> dict:
    """The activity bars as a plain figure dict (redrawn on every limit change and selection, so no go.Figure)."""
    rows = activity["buckets"]
    if not activity["participants"]:
        return empty_figure("No participants in this cohort yet")
    labels = [r["bucket"] for r in rows]
    picked = [labels.index(s) for s in selected if s in labels]
    tones = [recency.colour_of(label, limits["green"], limits["yellow"]) for label in labels]
    bar = {
        "type": "bar", "x": labels, "y": [r["learners"] for r in rows],
        # colour and pattern together (colour is never the only carrier): green plain, yellow striped, red crossed
        "marker": {"color": [TONES[tone] for tone in tones],
                   "pattern": {"shape": [PATTERNS[tone] for tone in tones], "fgcolor": WHITE, "size": 7,
                               "solidity": 0.25}},
        "customdata": [TONE_WORDS[tone] for tone in tones],
        "text": [f"{r['learners']:,}" for r in rows], "textposition": "outside", "cliponaxis": False,
        "hovertemplate": "%{x} days: %{y:,} learners (%{customdata})<extra>click to list them</extra>",
        "unselected": {"marker": {"opacity": 0.3}}, "selected": {"marker": {"opacity": 1}},
    }
    if picked:
        bar["selectedpoints"] = picked
    return {"data": [bar], "layout": figure_layout(
        clickmode="event+select", dragmode="select", uirevision=activity.get("session_id"),
        margin={"l": 50, "r": 10, "t": 24, "b": 50},
        xaxis={"type": "category", "title": {"text": "days since last login"}, "fixedrange": True},
        yaxis={"title": {"text": "learners"}, "fixedrange": True, "rangemode": "tozero",
               # whole learners: a coach's cohort of 2 must not read 0.2, 0.4 …
               **({"dtick": 1} if max(r["learners"] for r in rows) < 5 else {})})}


def legend(limits: dict):
    g, y = limits["green"], limits["yellow"]
    items = [("green", f"last login within {_n(g, 'day')}")]
    if y > g:
        items.append(("yellow", f"within {_n(y, 'day')}"))
    items.append(("red", "longer ago, or never"))
    return [html.Span([html.Span(className=f"lp-swatch swatch-{tone}"), text], className="me-3")
            for tone, text in items] + [
        html.Span("A bar takes the colour of its oldest day.", className="lp-hint")]


def table_rows(rows: list[dict], tz: str) -> list[dict]:
    return [{"user_id": r["user_id"], "first_name": r["first_name"], "last_name": r["last_name"],
             "email": r["email"], "last_login": date(r["last_login_at"], tz), "days_since": r["days_since"],
             "progress": None if r["progress_pct"] is None else float(pct(r["progress_pct"])),
             "reasons": r.get("reasons", []), "profile_link": profile_link(r["user_id"])} for r in rows]


def contacts_line(c: dict) -> str:
    """Contacts in the last 30 days, N% followed by activity within 7 days."""
    if not c["contacts"]:
        return "No contact recorded in the last 30 days (record them from At risk)."
    text = f"{_n(c['contacts'], 'contact')} in the last 30 days"
    if c["followed_pct"] is None:
        return text + ", none older than 7 days yet to tell whether activity followed."
    return text + f", {c['followed_pct']:.0f}% followed by activity within 7 days ({c['followed']:,} of " \
        f"{c['judged']:,} older than 7 days)."


def list_title(selected: list[str], count: int) -> str:
    if not selected:
        return "Learners"
    which = ", ".join(selected) if len(selected) < len(recency.LABELS) else "all bars"
    days = "" if selected == [recency.NEVER] else " days"
    return f"{which}{days}: {_n(count, 'learner')}"


def _activity(value) -> dict | None:
    """The cohort's bar counts as the activity store holds them (load_cohort wrote it), or None."""
    value = inputs.mapping(value)
    buckets = inputs.rows(value.get("buckets"))
    if not buckets or not all(isinstance(b.get("bucket"), str) and inputs.whole(b.get("learners")) is not None
                              for b in buckets) or inputs.whole(value.get("participants")) is None:
        return None
    return {**value, "buckets": buckets}


def _limits(value) -> dict | None:
    """The limits in force as the limits store holds them, or None when they are not usable."""
    value = inputs.mapping(value)
    green, yellow = value.get("green"), value.get("yellow")
    return None if q.validate_limits(green, yellow) else {"green": int(green), "yellow": int(yellow)}


def _unsaved(exc):
    return no_update, html.Span(str(exc), className="text-danger"), True, True


NOT_SAVED = (no_update, html.Span("Not saved: the database did not answer.", className="text-danger"), False, False)


@viewer.answers(unavailable=lambda: (None, data_unavailable(), no_update, no_update, no_update, "#", None),
                missing=lambda exc: (None, None, no_update, no_update, no_update, "#",
                                     dbc.Alert(str(exc), color="warning")))
def load_cohort(session_id):
    session_id = inputs.an_id(session_id)
    activity = viewer.run(q.activity, session_id=session_id)  # LookupError outside scope
    # read fresh, not cached: a colleague may just have changed them (the scope was checked just above)
    limits = viewer.fresh(q.stored_limits, session_id=session_id)
    activity["session_id"] = session_id
    href = downloads.url("cohort-progress", session=session_id)
    return activity, summary_line(activity), limits, limits["green"], limits["yellow"], href, None


@viewer.answers(unavailable=NOT_SAVED, missing=_unsaved, refused=_unsaved)
def save_limits(green, yellow, session_id, current):
    if current and current == {"green": green, "yellow": yellow}:
        return no_update, no_update, False, False
    problem = q.validate_limits(green, yellow)
    if problem:
        return _unsaved(problem)
    saved = viewer.write(q.save_cohort_limits, session_id=inputs.an_id(session_id), green=green, yellow=yellow)
    return saved, html.Span("✓ Saved for this cohort", className="text-success"), False, False


@viewer.answers(unavailable=(None, None, None, None), missing=(None, None, None, None),
                refused=(None, None, None, None))
def load_risk(session_id):
    """The cohort's at-risk limits and its contacts of the last 30 days."""
    session_id = inputs.an_id(session_id)
    if session_id is None:
        return None, None, None, None
    limits = viewer.fresh(at_risk.risk_limits, session_id=session_id)
    contacts = viewer.run(at_risk.cohort_contacts, session_id=session_id)
    return limits, limits["overdue"], limits["score"], contacts_line(contacts)


@viewer.answers(unavailable=NOT_SAVED, missing=_unsaved, refused=_unsaved)
def save_risk_limits(overdue, score, session_id, current):
    if isinstance(current, dict) and current == {"overdue": overdue, "score": score}:
        return no_update, no_update, False, False
    problem = at_risk.validate_risk_limits(overdue, score)
    if problem:
        return _unsaved(problem)
    saved = viewer.write(at_risk.save_risk_limits, session_id=inputs.an_id(session_id), overdue=overdue,
                         score=score)
    return saved, html.Span("✓ Saved", className="text-success"), False, False


def draw(activity, limits, selected):
    activity, limits = _activity(activity), _limits(limits)
    if not activity or not limits:
        return empty_figure("Not available"), None
    return activity_figure(activity, limits, inputs.labels(selected, recency.LABELS)), legend(limits)


def select(selected_data, _clear, _session):
    if ctx.triggered_id != ID.CHART or not selected_data:
        return []
    picked = {inputs.point_value(p, "x") for p in inputs.points(selected_data)}
    return [label for label in recency.LABELS if label in picked]


def list_header(selected, activity, session_id):
    """Title, buttons and visibility of the list; its count comes from the chart's own numbers."""
    grid_style, hidden = {"height": "520px"}, {"display": "none"}
    button = "btn btn-outline-primary btn-sm me-2"
    selected, activity, session_id = inputs.labels(selected, recency.LABELS), _activity(activity), \
        inputs.an_id(session_id)
    if not selected or not activity or not session_id:
        return "Learners", {}, {**grid_style, **hidden}, None, button + " disabled", True, None
    counts = {b["bucket"]: b["learners"] for b in activity["buckets"]}
    count = sum(counts.get(label, 0) for label in selected)
    href = downloads.url("participant-activity", session=session_id, bucket=selected)
    return (list_title(selected, count), hidden, grid_style, href, button if count else button + " disabled",
            not count, None)


def grid_rows(request, selected, session_id):
    """One block of rows for the grid: sorted, filtered and paged in SQL."""
    selected, session_id = inputs.labels(selected, recency.LABELS), inputs.an_id(session_id)
    if not request or not selected or not session_id:
        return EMPTY_ROWS
    tz = viewer.timezone()
    return grids.answer(request, q.participants_page, lambda rows: table_rows(rows, tz), session_id=session_id,
                        buckets=selected)


@viewer.answers(unavailable=lambda: None, missing=lambda: None, refused=lambda: None)
def _emails(request, selected, session_id):
    order = grid_request(request)
    return viewer.unshaped(q.participant_emails, session_id=session_id, buckets=selected,
                           sort_model=order["sort_model"], filter_model=order["filter_model"])


def emails_to_copy(clicks, request, selected, session_id):
    """Every email the table lists (all pages, with its filters and order), for the clipboard: real e-mails
    also in meeting-safe mode (they go to the clipboard, like a download, not on screen)."""
    clicks = inputs.clicks(clicks)
    selected, session_id = inputs.labels(selected, recency.LABELS), inputs.an_id(session_id)
    if not selected or not session_id:
        return {"emails": [], "click": clicks}
    emails = _emails(request, selected, session_id)
    if emails is None:
        return {"emails": [], "click": clicks, "failed": True}
    return {"emails": emails, "click": clicks}


def search_cohorts(typed, chosen):
    return cohorts.search(q.cohorts, cohort_label, typed, chosen)


def register(app) -> None:
    app.callback(Output(ID.ACTIVITY, "data"), Output(ID.SUMMARY, "children"), Output(ID.LIMITS, "data"),
                 Output(ID.GREEN, "value"), Output(ID.YELLOW, "value"), Output(ID.EXPORT, "href"),
                 Output(ID.MESSAGE, "children", allow_duplicate=True),
                 Input(ID.COHORT, "value"), prevent_initial_call="initial_duplicate")(load_cohort)
    app.callback(Output(ID.LIMITS, "data", allow_duplicate=True), Output(ID.LIMITS_STATUS, "children"),
                 Output(ID.GREEN, "invalid"), Output(ID.YELLOW, "invalid"),
                 Input(ID.GREEN, "value"), Input(ID.YELLOW, "value"), State(ID.COHORT, "value"),
                 State(ID.LIMITS, "data"), prevent_initial_call=True)(save_limits)
    app.callback(Output(ID.RISK_LIMITS, "data"), Output(ID.OVERDUE, "value"), Output(ID.SCORE, "value"),
                 Output(ID.CONTACTS, "children"), Input(ID.COHORT, "value"))(load_risk)
    app.callback(Output(ID.RISK_LIMITS, "data", allow_duplicate=True), Output(ID.RISK_STATUS, "children"),
                 Output(ID.OVERDUE, "invalid"), Output(ID.SCORE, "invalid"),
                 Input(ID.OVERDUE, "value"), Input(ID.SCORE, "value"), State(ID.COHORT, "value"),
                 State(ID.RISK_LIMITS, "data"), prevent_initial_call=True)(save_risk_limits)
    app.callback(Output(ID.CHART, "figure"), Output(ID.LEGEND, "children"),
                 Input(ID.ACTIVITY, "data"), Input(ID.LIMITS, "data"), Input(ID.SELECTED, "data"))(draw)
    app.callback(Output(ID.SELECTED, "data"), Input(ID.CHART, "selectedData"), Input(ID.CLEAR, "n_clicks"),
                 Input(ID.COHORT, "value"), prevent_initial_call=True)(select)
    app.callback(Output(ID.LIST_TITLE, "children"), Output(ID.LIST_HINT, "style"), Output(ID.GRID, "style"),
                 Output(ID.DOWNLOAD, "href"), Output(ID.DOWNLOAD, "className"), Output(ID.COPY, "disabled"),
                 Output(ID.COPY_STATUS, "children"),
                 Input(ID.SELECTED, "data"), Input(ID.ACTIVITY, "data"), State(ID.COHORT, "value"))(list_header)
    app.callback(Output(ID.GRID, "getRowsResponse"), Input(ID.GRID, "getRowsRequest"), State(ID.SELECTED, "data"),
                 State(ID.COHORT, "value"), prevent_initial_call=True)(grid_rows)
    app.callback(Output(ID.EMAILS, "data"), Input(ID.COPY, "n_clicks"), State(ID.GRID, "getRowsRequest"),
                 State(ID.SELECTED, "data"), State(ID.COHORT, "value"), prevent_initial_call=True)(emails_to_copy)
    app.callback(Output(ID.COHORT, "options"), Input(ID.COHORT, "search_value"), State(ID.COHORT, "value"),
                 prevent_initial_call=True)(search_cohorts)
    app.clientside_callback(ClientsideFunction("learnpulse", "syncParticipantsUrl"),
                            Output(ID.URL_SYNC, "data"), Input(ID.COHORT, "value"), Input(ID.SELECTED, "data"))
    app.clientside_callback(ClientsideFunction("learnpulse", "refreshGrid"),
                            Output(ID.GRID_REFRESH, "data"), Input(ID.SELECTED, "data"),
                            State(ID.GRID, "id"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("learnpulse", "copyEmails"),
                            Output(ID.COPY_STATUS, "children", allow_duplicate=True),
                            Input(ID.EMAILS, "data"), prevent_initial_call=True)
