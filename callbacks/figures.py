"""Figure helpers shared by pages: one look for every chart, and a chart area that says why it is empty."""

from __future__ import annotations

from functools import cache

import plotly.graph_objects as go
import plotly.io as pio

GREEN, YELLOW, RED, GREY = "#2e9d5b", "#e0a800", "#d9534f", "#8c8c8c"
TONES = {"green": GREEN, "yellow": YELLOW, "red": RED}


def style(fig: go.Figure, legend: bool = False) -> go.Figure:
    fig.update_layout(template="plotly_white", margin={"l": 40, "r": 10, "t": 10, "b": 40}, showlegend=legend,
                      legend={"orientation": "h", "y": 1.12, "x": 0}, font={"family": "system-ui, sans-serif"})
    return fig


def empty_figure(message: str) -> go.Figure:
    """A chart area with no axes and a short sentence, for no data or a failed load."""
    fig = go.Figure()
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=message, showarrow=False, font={"size": 14, "color": "#6b7785"})
    return style(fig)


@cache
def _template() -> dict:
    """plotly_white as plain JSON, built once (go.Figure validation costs ~50 ms per figure)."""
    return pio.templates["plotly_white"].to_plotly_json()


def layout(**extra) -> dict:
    """The layout of style() as a plain dict, for figures a callback redraws often (no go.Figure)."""
    base = {"template": _template(), "margin": {"l": 40, "r": 10, "t": 10, "b": 40}, "showlegend": False,
            "font": {"family": "system-ui, sans-serif"}}
    return {**base, **extra}
