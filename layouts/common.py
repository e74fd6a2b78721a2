"""Small building blocks shared by pages."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

NAV = {  # module -> (path, nav label, nav order)
    "overview": ("/", "Overview", 0),
    "participants": ("/participants", "Participants", 1),
    "program_sessions": ("/sessions", "Program sessions", 2),
    "groups": ("/groups", "Groups", 3),
    "users": ("/users", "Users", 4),
    "collaboration": ("/collaboration", "Collaborative activity", 5),
}


def page_header(title: str, subtitle: str | None = None):
    return html.Div([html.H2(title, className="lp-title"),
                     html.P(subtitle, className="lp-subtitle") if subtitle else None], className="mb-3")


def kpi_card(label: str, value: str, hint: str | None = None, tone: str = ""):
    return dbc.Card(dbc.CardBody([
        html.Div(label, className="kpi-label"),
        html.Div(value, className=f"kpi-value {tone}"),
        html.Div(hint, className="kpi-hint") if hint else None,
    ]), className="kpi-card h-100")


def kpi_row(cards: list[tuple[str, str]], **col_widths):
    """Label/value KPI cards side by side, wrapping on narrow screens (col_widths: dbc.Col xs/md/xl…)."""
    return dbc.Row([dbc.Col(kpi_card(label, value), className="mb-2", **col_widths) for label, value in cards])


def no_data_yet():
    return dbc.Alert([html.Strong("No data yet. "), "Import a bundle with ", html.Code("learnpulse import DIR"),
                      " or create demo data with ", html.Code("learnpulse demo"), "."],
                     color="secondary", className="lp-empty")


def data_unavailable():
    return dbc.Alert([html.Strong("The data could not be loaded. "),
                      "The database did not answer; try again in a moment. If it persists, ask your administrator."],
                     color="danger", className="lp-unavailable")


def coming_soon(title: str, what: list[str], **_query):
    return html.Div([
        page_header(title),
        dbc.Alert([html.Strong("Coming: "), "this section is being built. It will show:",
                   html.Ul([html.Li(w) for w in what], className="mb-0 mt-2")],
                  color="info", className="lp-coming"),
    ])
