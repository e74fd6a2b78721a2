"""Overview callbacks: one query call per output, shaped into cards and figures."""

from __future__ import annotations

from datetime import datetime

import dash_bootstrap_components as dbc
from dash import Input, Output, dcc

from callbacks.figures import empty_chart, empty_figure
from callbacks.figures import layout as figure_layout
from dashboard.core import auth, pages, viewer
from dashboard.core.ids import Overview as ID
from dashboard.core.pages import at_risk_href
from data_access.queries import at_risk, trends
from data_access.queries import overview as q
from layouts.common import data_unavailable, kpi_card, no_data_yet
from layouts.palette import GREEN, GREY, OKABE_ITO, RED, YELLOW

RECENCY_COLOURS = [GREEN, GREEN, GREEN, YELLOW, RED, RED, GREY]


def _pct(part: int, whole: int) -> str:
    return "-" if not whole else f"{100 * part / whole:.0f}%"


def kpi_cards(k: dict):
    avg = "-" if k["avg_progress_running"] is None else f"{k['avg_progress_running']:.0f}%"
    cards = [
        kpi_card("Learners", f"{k['learners']:,}", "current accounts with a learner role"),
        kpi_card("Active last 7 days", f"{k['active_7d']:,}", f"{_pct(k['active_7d'], k['learners'])} of learners",
                 "tone-good"),
        kpi_card("Never logged in", f"{k['never']:,}", f"{_pct(k['never'], k['learners'])} of learners",
                 "tone-bad" if k["never"] else ""),
        kpi_card("Sessions running", f"{k['sessions_running']:,}",
                 f"{k['sessions_upcoming']:,} upcoming · {k['sessions_finished']:,} finished"),
        kpi_card("Registered in running sessions", f"{k['registered_running']:,}", f"average progress {avg}"),
    ]
    return dbc.Row([dbc.Col(c, xs=12, sm=6, lg=True, className="mb-2") for c in cards])


def active_figure(rows: list[dict]) -> dict:
    """Weekly active learners, the last 12 weeks (Monday to Sunday); the current week lighter, up to now."""
    if not any(r["active"] for r in rows):
        return empty_chart("No login in the last 12 weeks")
    x = [f"{datetime.fromisoformat(r['monday']):%b} {datetime.fromisoformat(r['monday']).day}" for r in rows]
    bar = {"type": "bar", "x": x, "y": [r["active"] for r in rows],
           "marker": {"color": [OKABE_ITO["sky"] if r["current"] else OKABE_ITO["blue"] for r in rows],
                      "pattern": {"shape": ["/" if r["current"] else "" for r in rows]}},
           "customdata": [[r["monday"].replace("-", "/"), " (this week, so far)" if r["current"] else ""]
                          for r in rows],
           "hovertemplate": "Week of %{customdata[0]}%{customdata[1]}: %{y:,} active learners<extra></extra>"}
    return {"data": [bar], "layout": figure_layout(
        margin={"l": 50, "r": 10, "t": 10, "b": 40}, xaxis={"type": "category", "fixedrange": True},
        yaxis={"title": {"text": "learners with a login"}, "fixedrange": True, "rangemode": "tozero"})}


def recency_figure(rows: list[dict]) -> dict:
    """Learners per days-since-last-login bucket, as a plain dict (a go.Figure cost ~10 ms per answer)."""
    bar = {"type": "bar", "x": [r["bucket"] for r in rows], "y": [r["learners"] for r in rows],
           "marker": {"color": RECENCY_COLOURS}, "text": [f"{r['learners']:,}" for r in rows],
           "textposition": "outside", "cliponaxis": False,
           "hovertemplate": "%{x} days: %{y:,} learners<extra></extra>"}
    return {"data": [bar], "layout": figure_layout(
        xaxis={"type": "category", "title": {"text": "days since last login"}},
        legend={"orientation": "h", "y": 1.12, "x": 0})}


def at_risk_card(s: dict):
    """The at-risk count in the viewer's scope, opening the At risk page."""
    n, by = s["at_risk"], s["by_reason"]
    hint = " · ".join(f"{by[r]:,} {r}" for r in at_risk.REASONS) if n else "nobody in a running cohort you follow"
    card = kpi_card("At risk", f"{n:,}", f"{hint} — open the list", "tone-bad" if n else "tone-good")
    return dbc.Row(dbc.Col(dcc.Link(card, href=at_risk_href(), className="lp-risk-card",
                                    title="Whom to help now, and why"), xs=12, md=6, lg=4))


@viewer.answers(unavailable=None)
def load_at_risk(_):
    current = auth.current_viewer()
    if current is None or pages.AT_RISK not in current.sections:
        return None
    return at_risk_card(viewer.run(at_risk.summary))


@viewer.answers(unavailable=lambda: (data_unavailable(), empty_figure("Not available"),
                                     empty_figure("Not available")))
def load(_):
    k = viewer.run(q.kpis)
    if not k["learners"] and not (k["sessions_running"] + k["sessions_upcoming"] + k["sessions_finished"]):
        return no_data_yet(), empty_figure("No logins yet"), empty_figure("No learners yet")
    active = viewer.run(trends.weekly_active_learners, tz=viewer.timezone())
    return kpi_cards(k), active_figure(active), recency_figure(viewer.run(q.learners_by_recency))


def register(app) -> None:
    app.callback(Output(ID.AT_RISK, "children"), Input(ID.LOAD, "data"))(load_at_risk)
    app.callback(Output(ID.KPIS, "children"), Output(ID.ACTIVE_CHART, "figure"),
                 Output(ID.RECENCY_CHART, "figure"), Input(ID.LOAD, "data"))(load)
