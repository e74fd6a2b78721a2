"""A user's statistics page: one load fills every section; a path or program row opens its blocks in the
dialog (a block, its attempts), a course row its attempts, a question row every answer."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html, no_update

from callbacks import inputs
from callbacks.figures import empty_chart
from callbacks.figures import layout as figure_layout
from dashboard.core import viewer
from dashboard.core.ids import UserPage as ID
from dashboard.core.pages import program_session_href, team_href
from data_access.exports.csv_format import date, pct
from data_access.queries import at_risk
from data_access.queries import users as q
from layouts import palette
from layouts.common import data_unavailable, kpi_card
from layouts.formats import duration, score_text
from layouts.user import ANSWER_COLUMNS, ATTEMPT_COLUMNS, BLOCK_COLUMNS, table

TRAINING, ASSESSMENT, AVERAGE = palette.BLUE, palette.GREEN, palette.VIOLET


def _score(value):
    return None if value is None else float(pct(value))


def _time(seconds_):
    return duration(seconds_) if seconds_ is not None else "-"


def public_cards(stats: dict):
    if stats["kind"] == "author":
        who = "As an owner, administrator or author: their courses"
        cards = [("Course views", f"{stats['course_views']:,}"),
                 ("Comments received", f"{stats['comments_received']:,}"),
                 ("Average reaction score", score_text(stats["reaction_score"]) + (
                     "%" if stats["reaction_score"] is not None else "")),
                 ("Published courses", f"{stats['published_courses']:,}")]
    else:
        who = "As a learner"
        cards = [("Completed courses", f"{stats['completed_courses']:,}"),
                 ("Comments received", f"{stats['comments_received']:,}"),
                 ("Reactions received", f"{stats['reactions_received']:,}"),
                 ("Total training time", duration(stats["training_time_s"]))]
    return dbc.Card(dbc.CardBody([
        html.Div([html.Span("Public statistics", className="fw-semibold"),
                  html.Span(f" · last 90 days · {who}", className="lp-hint")], className="mb-2"),
        dbc.Row([dbc.Col(kpi_card(label, value), xs=6, md=3, className="mb-2") for label, value in cards]),
    ]), className="lp-public")


def general_cards(p: dict):
    reports = f"{p['direct_reports']:,}"
    team = dcc.Link(reports, href=team_href(p["user_id"])) if p["direct_reports"] else reports
    groups = [dbc.Badge(g["name"] + ("" if g["roles"] == ["learner"] else f" ({', '.join(g['roles'])})"),
                        color="light", text_color="dark", className="me-1 mb-1 lp-group") for g in p["groups"]]
    return [
        html.Div([html.Span("Groups: ", className="kpi-label me-1"),
                  *(groups or [html.Span("none", className="lp-hint")])], className="mb-3"),
        dbc.Row([dbc.Col(kpi_card(label, value, hint), xs=6, md=True, className="mb-2") for label, value, hint in [
            ("Answered questions", f"{p['answers']:,}", "every answer counts"),
            ("Average score", score_text(p["answer_score"]), "of those answers"),
            ("Total training time", duration(p["time_spent_s"]), "every course attempt"),
            ("Posted messages", f"{p['posts']:,}", "publications, comments, replies"),
            ("Direct reports", team, "users they manage"),
        ]]),
    ]


def certificate_rows(rows: list[dict], tz: str) -> list[dict]:
    return [{**r, "delivered": date(r["delivered_at"], tz), "expires": date(r["expires_at"], tz) or "never"}
            for r in rows]


def session_rows(rows: list[dict], tz: str) -> list[dict]:
    return [{"session_id": r["session_id"], "name": r["name"], "kind": r["kind"].capitalize(),
             "progress": _score(r["progress"]), "score": _score(r["score"]), "time_spent": _time(r["time_spent_s"]),
             "time_spent_s": r["time_spent_s"], "end": date(r["end_at"], tz), "status": r["status"],
             "last_activity": date(r["last_activity_at"], tz) or "-",
             "view": f"[View]({program_session_href(r['session_id'])})"} for r in rows]


def progress_rows(rows: list[dict], tz: str) -> list[dict]:
    """Blocks of a session and courses: progress, score, time, last activity as on screen."""
    return [{**r, "progress": _score(r["progress"]), "score": _score(r["score"]),
             "time_spent": _time(r["time_spent_s"]), "last_activity": date(r["last_activity_at"], tz) or "-"}
            for r in rows]


def attempt_rows(rows: list[dict], tz: str) -> list[dict]:
    return [{"attempt_id": r["attempt_id"], "attempt_no": r["attempt_no"], "score": _score(r["score"]),
             "date": date(r["started_at"], tz), "time_spent": _time(r["time_spent_s"]),
             "time_spent_s": r["time_spent_s"],
             "language": r["language"] or "-",
             "program": f"{r['session']} ({r['program']})" if r["session"] else "Outside any program"} for r in rows]


def question_rows(rows: list[dict], tz: str) -> list[dict]:
    return [{**r, "score": _score(r["score"]), "last_activity": date(r["last_activity_at"], tz)} for r in rows]


def tag_rows(rows: list[dict]) -> list[dict]:
    return [{**r, "training": _score(r["training"]), "assessment": _score(r["assessment"]),
             "average": _score(r["average"])} for r in rows]


def radar_figure(tags: list[dict]) -> dict:
    scored = [t for t in tags if t["average"] is not None]
    if not scored:
        return empty_chart("No tagged question or assessment answered yet")
    theta = [t["tag"] for t in scored]
    custom = [[score_text(t["training"]), score_text(t["assessment"]), t["answers"], t["assessments"]] for t in scored]
    closed = scored + scored[:1]  # the outline closes on the first tag
    trace = {"type": "scatterpolar", "r": [t["average"] for t in closed], "theta": theta + theta[:1],
             "customdata": custom + custom[:1], "fill": "toself", "name": "Average score",
             "line": {"color": AVERAGE}, "marker": {"size": 7},
             "hovertemplate": "<b>%{theta}</b><br>Average %{r:.1f}<br>Training %{customdata[0]} "
                              "(%{customdata[2]} answers)<br>Assessment %{customdata[1]} "
                              "(%{customdata[3]} assessments)<extra></extra>"}
    # the radial axis ends a little past 100: a score of 100 drawn on the polar area's edge answers no hover
    # over the outer half of its marker (its centre included)
    return {"data": [trace], "layout": figure_layout(
        margin={"l": 80, "r": 80, "t": 30, "b": 30},
        polar={"radialaxis": {"range": [0, 102], "tickfont": {"size": 9, "color": palette.GREY},
                              "tickvals": [25, 50, 75, 100], "angle": 90 - 180 / len(theta),
                              "gridcolor": palette.GRID_LINE},
               "angularaxis": {"tickfont": {"size": 12}, "rotation": 90, "direction": "clockwise",
                               "gridcolor": palette.GRID_LINE}, "bgcolor": "white"})}


def work_figure(tags: list[dict]) -> dict:
    if not tags:
        return empty_chart("No tagged question or assessment answered yet")
    x = [t["tag"] for t in tags]
    custom = [[score_text(t["average"]), score_text(t["training"]), score_text(t["assessment"])] for t in tags]
    hover = ("<b>%{x}</b><br>%{y} %{fullData.name}<br>Score %{customdata[0]} (training %{customdata[1]}, "
             "assessment %{customdata[2]})<extra></extra>")
    bars = [{"type": "bar", "name": name, "x": x, "y": [t[key] for t in tags], "customdata": custom,
             "marker": {"color": colour}, "hovertemplate": hover}
            for name, key, colour in (("answers", "answers", TRAINING), ("assessments", "assessments", ASSESSMENT))]
    return {"data": bars, "layout": figure_layout(
        barmode="stack", showlegend=True, legend={"orientation": "h", "y": 1.1, "x": 0},
        margin={"l": 45, "r": 10, "t": 30, "b": 60}, xaxis={"type": "category", "automargin": True},
        yaxis={"title": {"text": "answers + assessments"}, "rangemode": "tozero"})}


def _attempts_body(rows: list[dict], tz: str, ident: str):
    grid = table(ident, ATTEMPT_COLUMNS, "attempt_id", "No attempt")
    grid.rowData = attempt_rows(rows, tz)
    return grid


def _name(rows, id_column: str, key: str, name_column: str) -> str:
    """The name a client-side table shows for the row `key` (its rows come back as State), else the key."""
    name = next((r.get(name_column) for r in inputs.rows(rows) if r.get(id_column) == key), None)
    return inputs.text(name) or key


def contact_rows(rows: list[dict], tz: str) -> list[dict]:
    return [{"key": f"{i}", "when": date(r["recorded_at"], tz), "by": r["by"], "channel": r["channel"],
             "cohort": r["cohort"], "note": r["note"] or ""} for i, r in enumerate(rows)]


@viewer.answers(unavailable=lambda: [], missing=lambda: [])
def contacts(user_id):
    """The learner's contacts in the cohorts where the viewer sees them."""
    user_id = inputs.an_id(user_id)
    if user_id is None:
        return []
    return contact_rows(viewer.run(at_risk.user_contacts, user_id=user_id), viewer.timezone())


def _not_loaded():
    na = empty_chart("Not available")
    return None, None, [], [], [], [], [], na, na, data_unavailable()


@viewer.answers(unavailable=_not_loaded, missing=_not_loaded)  # the layout already said why when not visible
def load(user_id):
    user_id = inputs.an_id(user_id)
    tz = viewer.timezone()
    p, public, certificates, sessions, courses, questions, tags = (viewer.run(fn, user_id=user_id) for fn in (
        q.user_profile, q.public_stats, q.certificates, q.user_sessions, q.user_courses, q.answered_questions,
        q.user_tags))
    return (public_cards(public), general_cards(p), certificate_rows(certificates, tz), session_rows(sessions, tz),
            progress_rows(courses, tz), question_rows(questions, tz), tag_rows(tags), radar_figure(tags),
            work_figure(tags), None)


def _session_detail(user_id, key, sessions):
    blocks = viewer.run(q.session_blocks, user_id=user_id, session_id=key)
    grid = table(ID.BLOCKS, BLOCK_COLUMNS, "block_id", "This session has no block")
    grid.rowData = progress_rows(blocks, viewer.timezone())
    body = [html.Div("Click a course block for each of its attempts.", className="lp-hint mb-2"), grid,
            html.Div(id=ID.BLOCK_ATTEMPTS, className="mt-3")]
    return True, f"{_name(sessions, 'session_id', key, 'name')}: blocks", body, key


def _course_detail(user_id, key, courses):
    rows = viewer.run(q.course_attempts, user_id=user_id, course_id=key)
    body = _attempts_body(rows, viewer.timezone(), ID.COURSE_ATTEMPTS)
    return True, f"{_name(courses, 'course_id', key, 'name')}: every attempt", body, None


def _question_detail(user_id, key, questions):
    answers = viewer.run(q.question_answers, user_id=user_id, activity_id=key)
    grid = table(ID.ANSWERS, ANSWER_COLUMNS, "n", "No answer")
    tz = viewer.timezone()
    grid.rowData = [{"n": i, "score": _score(a["score"]), "date": date(a["answered_at"], tz)}
                    for i, a in enumerate(answers)]
    return True, f"{_name(questions, 'activity_id', key, 'question')}: every answer", grid, None


@viewer.answers(unavailable=lambda: (True, "Not available", data_unavailable(), None),
                missing=lambda: (True, "Not available", data_unavailable(), None))
def open_detail(session_click, course_click, question_click, user_id, sessions, courses, questions):
    """A path or program row opens its blocks, a course row its attempts, a question row every answer."""
    detail, click, rows = {ID.SESSIONS: (_session_detail, session_click, sessions),
                           ID.COURSES: (_course_detail, course_click, courses),
                           ID.QUESTIONS: (_question_detail, question_click, questions)}.get(
        ctx.triggered_id, (None, None, None))
    key = inputs.clicked_row(click)
    if not key or inputs.clicked_column(click) == "view":
        return no_update, no_update, no_update, no_update
    return detail(inputs.an_id(user_id), key, rows)


@viewer.answers(unavailable=data_unavailable, missing=data_unavailable)
def block_attempts(click, user_id, session_id, blocks):
    row_id = inputs.clicked_row(click)
    block = next((b for b in inputs.rows(blocks) if row_id and b.get("block_id") == row_id), None)
    if block is None:
        return no_update
    kind, title = inputs.text(block.get("kind")), inputs.text(block.get("title"))
    if kind != "course":
        return html.Div(f"{title} is a{'n' if kind == 'assessment' else ''} {kind}: "
                        "it has no course attempts.", className="lp-hint")
    rows = viewer.run(q.course_attempts, user_id=inputs.an_id(user_id), course_id=inputs.an_id(block.get("course_id")),
                      session_id=inputs.an_id(session_id))
    return [html.H6(f"{block['title']}: every attempt in this session"),
            _attempts_body(rows, viewer.timezone(), ID.BLOCK_ATTEMPTS_GRID)]


def register(app) -> None:
    app.callback(Output(ID.CONTACTS, "rowData"), Input(ID.ID, "data"))(contacts)
    app.callback(Output(ID.PUBLIC, "children"), Output(ID.GENERAL, "children"), Output(ID.CERTIFICATES, "rowData"),
                 Output(ID.SESSIONS, "rowData"), Output(ID.COURSES, "rowData"), Output(ID.QUESTIONS, "rowData"),
                 Output(ID.TAGS, "rowData"), Output(ID.RADAR, "figure"), Output(ID.WORK, "figure"),
                 Output(ID.MESSAGE, "children"), Input(ID.ID, "data"))(load)
    app.callback(Output(ID.MODAL, "is_open"), Output(ID.MODAL_TITLE, "children"), Output(ID.MODAL_BODY, "children"),
                 Output(ID.OPEN_SESSION, "data"),
                 Input(ID.SESSIONS, "cellClicked"), Input(ID.COURSES, "cellClicked"),
                 Input(ID.QUESTIONS, "cellClicked"), State(ID.ID, "data"), State(ID.SESSIONS, "rowData"),
                 State(ID.COURSES, "rowData"), State(ID.QUESTIONS, "rowData"), prevent_initial_call=True)(open_detail)
    app.callback(Output(ID.BLOCK_ATTEMPTS, "children"), Input(ID.BLOCKS, "cellClicked"), State(ID.ID, "data"),
                 State(ID.OPEN_SESSION, "data"), State(ID.BLOCKS, "rowData"),
                 prevent_initial_call=True)(block_attempts)
