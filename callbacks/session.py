"""Session statistics callbacks: one load of the General section; band, block and group clicks narrow the learner
lists; results by group and the two learner tables are paged in SQL."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, ctx, no_update

from callbacks import grids, inputs
from callbacks.figures import empty_figure
from callbacks.figures import layout as figure_layout
from callbacks.grids import EMPTY_ROWS
from callbacks.learners import learner_dialog, people_rows
from dashboard.core import viewer
from dashboard.core.ids import ProgramSession as ID
from data_access.queries import sessions as q
from layouts import palette
from layouts.common import data_unavailable, kpi_row
from layouts.formats import duration, score_text

HIDDEN, SHOWN = {"display": "none"}, {}


def kpi_cards(g: dict):
    return kpi_row([
        ("Registrations", f"{g['registrations']:,}"), ("Open registrations", f"{g['open_registrations']:,}"),
        ("Waiting list", f"{g['waiting_list']:,}"), ("Attendees", f"{g['attendees']:,}"),
        ("Completed", f"{g['completed']:,}"), ("Median time", duration(g["median_time_s"])),
        ("Average score", score_text(g["average_score"])), ("Certificates", f"{g['certificates']:,}"),
    ], xs=6, md=3, xl=True)


def _bars(x, y, custom, hover, colour=palette.BLUE, y_title="", y_max=None, text=None) -> dict:
    bar = {"type": "bar", "x": x, "y": y, "customdata": custom, "marker": {"color": colour},
           "hovertemplate": hover, "text": text, "textposition": "outside", "cliponaxis": False}
    yaxis = {"title": {"text": y_title}, "fixedrange": True, "rangemode": "tozero"}
    if y_max:
        yaxis["range"] = [0, y_max]
    return {"data": [bar], "layout": figure_layout(margin={"l": 45, "r": 10, "t": 20, "b": 60},
                                                  xaxis={"type": "category", "fixedrange": True, "automargin": True},
                                                  yaxis=yaxis, clickmode="event")}


def _short(title: str, n: int = 18) -> str:
    return title if len(title) <= n else title[: n - 1] + "…"


def progress_figure(blocks: list[dict]) -> dict:
    courses = [b for b in blocks if b["kind"] == "course"]
    if not courses:
        return empty_figure("No course block")
    return _bars([f"{b['position']}. {_short(b['title'])}" for b in courses],
                 [b["completed_pct"] for b in courses], [b["block_id"] for b in courses],
                 "%{x}<br>%{y:.1f}% of registered users completed it<extra></extra>", y_title="% completed",
                 y_max=105, text=[score_text(b["completed_pct"]) + "%" for b in courses])


def score_figure(blocks: list[dict]) -> dict:
    scored = [b for b in blocks if b["kind"] in ("course", "assessment")]
    if not any(b["score"] is not None for b in scored):
        return empty_figure("No score yet")
    return _bars([f"{b['position']}. {_short(b['title'])}" for b in scored], [b["score"] for b in scored],
                 [b["block_id"] for b in scored], "%{x}<br>average score %{y:.1f}<extra>click for details</extra>",
                 colour=palette.GREEN, y_title="average score", y_max=105,
                 text=[score_text(b["score"]) for b in scored])


def levels_figure(levels: list[dict]) -> dict:
    if not sum(lv["learners"] for lv in levels):
        return empty_figure("No score yet")
    return _bars([lv["band"] for lv in levels], [lv["learners"] for lv in levels], list(range(len(levels))),
                 "score %{x}: %{y:,} learners<extra>click to list them</extra>", colour=palette.VIOLET,
                 y_title="learners", text=[f"{lv['learners']:,}" for lv in levels])


def group_rows(rows: list[dict]) -> list[dict]:
    def one(v):
        return None if v is None else round(v, 1)

    return [{"group_id": r["group_id"], "group": r["group"], "users": r["users"], "level": r["level"],
             "attendance": one(r["attendance_pct"]), "progress": one(r["progress"]), "score": one(r["score"])}
            for r in rows]


def block_rows(rows: list[dict]) -> list[dict]:
    return [{**r, "score": None if r["score"] is None else round(r["score"], 1),
             "time_spent": duration(r["time_spent_s"])} for r in rows]


def _band(value) -> int | None:
    """A score band's index (the levels chart's customdata), or None."""
    value = inputs.whole(value)
    return value if value is not None and 0 <= value < len(q.LEVEL_BANDS) else None


def _shown(g: dict, info: dict) -> bool:
    """These sections show once someone started, or when the session is over."""
    return g["attendees"] > 0 or info["state"] == "finished"


def _not_loaded():
    na = empty_figure("Not available")
    return data_unavailable(), na, na, na, None, None, HIDDEN


@viewer.answers(unavailable=_not_loaded, missing=_not_loaded)
def load(session_id):
    session_id = inputs.an_id(session_id)
    info = viewer.run(q.session_info, session_id=session_id)
    g = viewer.run(q.general, session_id=session_id)
    shown = _shown(g, info)
    return (kpi_cards(g), progress_figure(g["blocks"]), score_figure(g["blocks"]), levels_figure(g["levels"]),
            SHOWN if shown else HIDDEN, SHOWN if shown else HIDDEN, HIDDEN if shown else SHOWN)


def groups(request, session_id):
    return grids.answer(request, q.results_by_group_page, group_rows, session_id=inputs.an_id(session_id))


@viewer.answers(unavailable=None, missing=None)
def _group_name(session_id, group_id):
    return viewer.run(q.group_of_session, session_id=session_id, group_id=group_id)


def narrow_people(level_click, group_click, _clear, session_id):
    if ctx.triggered_id == ID.LEVELS_CHART and level_click:
        band = _band(next(iter(inputs.points(level_click)), {}).get("customdata"))
        if band is None:
            return no_update, no_update
        return {"band": band}, f"Only attendees scoring {q.LEVEL_BANDS[band]}"
    if ctx.triggered_id == ID.GROUPS_GRID and group_click:
        group_id = inputs.clicked_row(group_click)
        if group_id is None:
            return no_update, no_update
        name = _group_name(inputs.an_id(session_id), group_id)
        return {"group": group_id}, f"Only {name or group_id}"
    return {}, None


def open_block(score_click, progress_click):
    click = score_click if ctx.triggered_id == ID.SCORE_CHART else progress_click
    block_id = inputs.an_id(next(iter(inputs.points(click)), {}).get("customdata"))
    return block_id if block_id else no_update


def people(request, session_id, narrow):
    narrow = inputs.mapping(narrow)
    group_id, band = inputs.an_id(narrow.get("group")), _band(narrow.get("band"))
    if request and (("group" in narrow and group_id is None) or ("band" in narrow and band is None)):
        return EMPTY_ROWS
    tz = viewer.timezone()
    return grids.answer(request, q.individual_page, lambda rows: people_rows(rows, tz),
                        session_id=inputs.an_id(session_id), group_id=group_id, band=band)


def block_results(request, session_id, block_id):
    block_id = inputs.an_id(block_id)
    if not request or not block_id:
        return EMPTY_ROWS
    return grids.answer(request, q.block_detail_page, block_rows, session_id=inputs.an_id(session_id),
                        block_id=block_id)


def open_learner(click, session_id):
    user_id = inputs.clicked_row(click)
    if not user_id or inputs.clicked_column(click) == "profile":
        return no_update, no_update, no_update
    return learner_dialog(q.learner_blocks, session_id=inputs.an_id(session_id), user_id=user_id)


def register(app) -> None:
    app.callback(Output(ID.KPIS, "children"), Output(ID.PROGRESS_CHART, "figure"), Output(ID.SCORE_CHART, "figure"),
                 Output(ID.LEVELS_CHART, "figure"), Output(ID.GROUPS_CARD, "style"), Output(ID.PEOPLE_CARD, "style"),
                 Output(ID.NOT_STARTED, "style"),
                 Input(ID.ID, "data"))(load)
    app.callback(Output(ID.PEOPLE_FILTER, "data"), Output(ID.PEOPLE_TITLE, "children"),
                 Input(ID.LEVELS_CHART, "clickData"), Input(ID.GROUPS_GRID, "cellClicked"),
                 Input(ID.PEOPLE_CLEAR, "n_clicks"), State(ID.ID, "data"),
                 prevent_initial_call=True)(narrow_people)
    app.callback(Output(ID.GROUPS_GRID, "getRowsResponse"), Input(ID.GROUPS_GRID, "getRowsRequest"),
                 State(ID.ID, "data"), prevent_initial_call=True)(groups)
    app.callback(Output(ID.BLOCK, "value"), Input(ID.SCORE_CHART, "clickData"),
                 Input(ID.PROGRESS_CHART, "clickData"), prevent_initial_call=True)(open_block)
    app.callback(Output(ID.PEOPLE_GRID, "getRowsResponse"), Input(ID.PEOPLE_GRID, "getRowsRequest"),
                 State(ID.ID, "data"), State(ID.PEOPLE_FILTER, "data"), prevent_initial_call=True)(people)
    app.callback(Output(ID.BLOCK_GRID, "getRowsResponse"), Input(ID.BLOCK_GRID, "getRowsRequest"),
                 State(ID.ID, "data"), State(ID.BLOCK, "value"), prevent_initial_call=True)(block_results)
    app.callback(Output(ID.LEARNER_MODAL, "is_open"), Output(ID.LEARNER_TITLE, "children"),
                 Output(ID.LEARNER_BODY, "children"), Input(ID.PEOPLE_GRID, "cellClicked"),
                 State(ID.ID, "data"), prevent_initial_call=True)(open_learner)
    for grid, source, prop, store in ((ID.PEOPLE_GRID, ID.PEOPLE_FILTER, "data", ID.PEOPLE_REFRESH),
                                      (ID.BLOCK_GRID, ID.BLOCK, "value", ID.BLOCK_REFRESH)):
        app.clientside_callback(ClientsideFunction("learnpulse", "refreshGrid"), Output(store, "data"),
                                Input(source, prop), State(grid, "id"), prevent_initial_call=True)
