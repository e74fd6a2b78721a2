"""The Plotly graph config of every chart, by what the chart lets people do."""

from __future__ import annotations

# a chart to read: no mode bar
STILL = {"displaylogo": False, "responsive": True, "displayModeBar": False}
# a chart with Plotly's mode bar (zoom, download as PNG)
TOOLS = {"displaylogo": False, "responsive": True}
# a chart whose bars are selected (click, shift-click, box select): only the box-select tools
SELECTING = {"displaylogo": False, "responsive": True,
             "modeBarButtonsToRemove": ["lasso2d", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d"]}
