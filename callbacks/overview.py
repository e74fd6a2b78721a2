"""Overview callbacks: one query call per output, shaped into cards and figures."""

from __future__ import annotations

import logging

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import Input, Output, dcc
from sqlalchemy.exc import SQLAlchemyError

from callbacks.figures import GREEN, GREY, RED, YELLOW, empty_figure, style
from dashboard import auth, services
from dashboard.ids import Overview as ID
from data_access.queries import at_risk
from data_access.queries import overview as q
from layouts.common import NAV, data_unavailable, kpi_card, no_data_yet

log = logging.getLogger(__name__)

AT_RISK_PATH = NAV["at_risk"][0]
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


def logins_figure(rows: list[dict]) -> go.Figure:
    fig = go.Figure()
    fig.add_bar(x=[r["week"] for r in rows], y=[r["logins"] for r in rows], name="Logins",
                marker_color="#4c6ef5", hovertemplate="Week of %{x}<br>%{y:,} logins<extra></extra>")
    fig.add_scatter(x=[r["week"] for r in rows], y=[r["users"] for r in rows], name="Distinct learners",
                    mode="lines+markers", line={"color": "#f08c00", "width": 2}, yaxis="y",
                    hovertemplate="Week of %{x}<br>%{y:,} people<extra></extra>")
    return style(fig, legend=True)


def recency_figure(rows: list[dict]) -> go.Figure:
    fig = go.Figure(go.Bar(x=[r["bucket"] for r in rows], y=[r["learners"] for r in rows],
                           marker_color=RECENCY_COLOURS, text=[f"{r['learners']:,}" for r in rows],
                           textposition="outside", cliponaxis=False,
                           hovertemplate="%{x} days: %{y:,} learners<extra></extra>"))
    fig.update_xaxes(type="category", title_text="days since last login")
    return style(fig)


def at_risk_card(s: dict):
    """The at-risk count in the viewer's scope, opening the At risk page."""
    n, by = s["at_risk"], s["by_reason"]
    hint = " · ".join(f"{by[r]:,} {r}" for r in at_risk.REASONS) if n else "nobody in a running cohort you follow"
    card = kpi_card("At risk", f"{n:,}", f"{hint} — open the list", "tone-bad" if n else "tone-good")
    return dbc.Row(dbc.Col(dcc.Link(card, href=AT_RISK_PATH, className="lp-risk-card",
                                    title="Whom to help now, and why"), xs=12, md=6, lg=4))


def register(app) -> None:
    @app.callback(Output(ID.AT_RISK, "children"), Input(ID.LOAD, "data"))
    def load_at_risk(_):
        viewer = auth.current_viewer()
        if viewer is None or auth.AT_RISK not in viewer.sections:
            return None
        svc = services.current()
        try:
            return at_risk_card(svc.queries.run(at_risk.summary, auth.viewer_scope(), svc.now()))
        except SQLAlchemyError:
            log.exception("overview: could not count learners at risk")
            return None

    @app.callback(Output(ID.KPIS, "children"), Output(ID.LOGINS_CHART, "figure"),
                  Output(ID.RECENCY_CHART, "figure"), Input(ID.LOAD, "data"))
    def load(_):
        svc = services.current()
        scope, now = auth.viewer_scope(), svc.now()
        try:
            k = svc.queries.run(q.kpis, scope, now)
            if not k["learners"] and not (k["sessions_running"] + k["sessions_upcoming"] + k["sessions_finished"]):
                return no_data_yet(), empty_figure("No logins yet"), empty_figure("No learners yet")
            return (kpi_cards(k), logins_figure(svc.queries.run(q.logins_per_week, scope, now)),
                    recency_figure(svc.queries.run(q.learners_by_recency, scope, now)))
        except SQLAlchemyError:
            log.exception("overview: database error")
            return data_unavailable(), empty_figure("Not available"), empty_figure("Not available")
