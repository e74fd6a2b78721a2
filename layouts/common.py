"""Small building blocks shared by pages."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html


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


def section_card(title: str, body, right=None, ident: str | None = None, style: dict | None = None):
    """A page section: a titled card, with something on the right of the title (a button, a note)."""
    header = dbc.CardHeader(dbc.Row([dbc.Col(html.H5(title, className="mb-0"), className="align-self-center"),
                                     dbc.Col(right, width="auto") if right is not None else None], className="g-2"))
    return dbc.Card([header, dbc.CardBody(body)], className="mb-4", style=style, **({"id": ident} if ident else {}))


def no_data_yet():
    return dbc.Alert([html.Strong("No data yet. "), "Import a bundle with ", html.Code("learnpulse import DIR"),
                      " or create demo data with ", html.Code("learnpulse demo"), "."],
                     color="secondary", className="lp-empty")


def data_unavailable():
    return dbc.Alert([html.Strong("The data could not be loaded. "),
                      "The database did not answer; try again in a moment. If it persists, ask your administrator."],
                     color="danger", className="lp-unavailable")


def page_not_found(**_query):
    """What a page outside the viewer's sections shows: the same as an address that does not exist."""
    return html.Div([page_header("Not found"),
                     dbc.Alert("There is nothing at this address for you. Use the navigation bar above.",
                               color="secondary", className="lp-empty")])


def nothing_to_show(**_query):
    """The home page of someone who follows no one (a learner)."""
    return html.Div([page_header("Nothing to show yet"),
                     dbc.Alert(["LearnPulse shows coaches, admins, instructors and authors the people, sessions and "
                                "courses they follow. Your account has none of these roles yet; ask your LearnPulse "
                                "administrator if you should."], color="secondary", className="lp-empty")])
