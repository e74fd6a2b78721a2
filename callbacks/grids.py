"""Answering a server-paged grid (layouts.grids.server_grid)."""

from __future__ import annotations

from data_access.grid_filters import MAX_ROWS, read_request

EMPTY_ROWS = {"rowData": [], "rowCount": 0}

__all__ = ["EMPTY_ROWS", "MAX_ROWS", "grid_request"]


def grid_request(request) -> dict:
    """The grid's getRowsRequest as keyword arguments of a *_page query (sort, filters, row range of at most
    MAX_ROWS rows); ValueError when it is not what a grid sends (data_access.grid_filters.read_request)."""
    return read_request(request)
