"""Answering a server-paged grid (layouts.grids.server_grid)."""

from __future__ import annotations

EMPTY_ROWS = {"rowData": [], "rowCount": 0}


def grid_request(request: dict | None) -> dict:
    """The grid's getRowsRequest as keyword arguments of a *_page query (sort, filters, row range)."""
    request = request or {}
    return {"sort_model": request.get("sortModel") or [], "filter_model": request.get("filterModel") or {},
            "start": request.get("startRow", 0), "end": request.get("endRow", 100)}
