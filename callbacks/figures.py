"""Figure helpers shared by pages: one look for every chart, and a chart area that says why it is empty."""

from __future__ import annotations

import plotly.graph_objects as go

from layouts.palette import MUTED_TEXT, PLOTLY_COLOURS, TEMPLATE_GRID, TEMPLATE_TEXT


def style(fig: go.Figure, legend: bool = False) -> go.Figure:
    fig.update_layout(template="plotly_white", margin={"l": 40, "r": 10, "t": 10, "b": 40}, showlegend=legend,
                      legend={"orientation": "h", "y": 1.12, "x": 0}, font={"family": "system-ui, sans-serif"})
    return fig


def empty_figure(message: str) -> dict:
    """A chart area with no axes and a short sentence, for no data or a failed load: empty_chart (a plain dict,
    not a go.Figure: building one costs ~30 ms, paid by every answer to an id that does not exist)."""
    return empty_chart(message)


_LINES = {"gridcolor": TEMPLATE_GRID, "linecolor": TEMPLATE_GRID, "zerolinecolor": TEMPLATE_GRID}
# the few parts of plotly_white the dict-built charts need (the full template adds ~8 KB to every response)
LIGHT_TEMPLATE = {"layout": {
    "paper_bgcolor": "white", "plot_bgcolor": "white", "colorway": PLOTLY_COLOURS,
    "font": {"color": TEMPLATE_TEXT}, "hoverlabel": {"align": "left"}, "hovermode": "closest",
    "xaxis": {**_LINES, "ticks": "", "automargin": True},
    "yaxis": {**_LINES, "ticks": "", "automargin": True, "zerolinewidth": 2},
}}


def layout(**extra) -> dict:
    """The layout of style() as a plain dict, for figures a callback redraws often (no go.Figure)."""
    base = {"template": LIGHT_TEMPLATE, "margin": {"l": 40, "r": 10, "t": 10, "b": 40}, "showlegend": False,
            "font": {"family": "system-ui, sans-serif"}}
    return {**base, **extra}


def empty_chart(message: str) -> dict:
    """empty_figure as a plain dict (no go.Figure: ~50 ms less for a page that often has nothing to draw)."""
    hidden = {"visible": False}
    return {"data": [], "layout": layout(xaxis=hidden, yaxis=hidden, annotations=[{
        "text": message, "showarrow": False, "font": {"size": 14, "color": MUTED_TEXT}, "xref": "paper",
        "yref": "paper", "x": 0.5, "y": 0.5}])}
