"""The columns of a program template's sessions table (its page shows them without the template's own column),
filled from callbacks/program_session_rows.grid_rows: a template's sessions come all at once. The Program
sessions list has the same columns, paged in SQL (layouts/program_sessions.py)."""

from __future__ import annotations

_NUM = {"type": "numericColumn", "filter": "agNumberColumnFilter", "maxWidth": 150}
COLUMNS = [
    {"field": "program_link", "headerName": "Program template", "sort": "asc", "sortIndex": 0, "minWidth": 180,
     "cellRenderer": "markdown", "getQuickFilterText": {"function": "params.data.program"},
     "comparator": {"function": "(a, b, na, nb) => na.data.program.localeCompare(nb.data.program)"}},
    {"field": "name_link", "headerName": "Session", "cellRenderer": "markdown", "flex": 2, "minWidth": 260,
     "filter": "agTextColumnFilter", "getQuickFilterText": {"function": "params.data.name"}},
    {"field": "session_id", "headerName": "ID", "maxWidth": 120},
    {"field": "start", "headerName": "Start", "sort": "desc", "sortIndex": 1, "minWidth": 150},
    {"field": "end", "headerName": "End", "minWidth": 150},
    {"field": "state", "headerName": "Status", "maxWidth": 130},
    {"field": "registered", "headerName": "Registered", **_NUM},
    {"field": "completed", "headerName": "Completion", **_NUM},
    {"field": "instructors", "headerName": "Instructors", **_NUM},
]
