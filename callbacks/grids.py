"""Answering a server-paged grid (layouts.grids.server_grid): one getRowsRequest -> one *_page query as the
viewer -> the rows shaped for the grid."""

from __future__ import annotations

import logging

from dash import no_update
from sqlalchemy.exc import SQLAlchemyError

from dashboard import viewer
from data_access.grid_filters import MAX_ROWS, read_request

log = logging.getLogger(__name__)
EMPTY_ROWS = {"rowData": [], "rowCount": 0}

__all__ = ["EMPTY_ROWS", "MAX_ROWS", "answer", "fetch", "grid_request"]


def grid_request(request) -> dict:
    """The grid's getRowsRequest as keyword arguments of a *_page query (sort, filters, row range of at most
    MAX_ROWS rows); ValueError when it is not what a grid sends (data_access.grid_filters.read_request)."""
    return read_request(request)


def fetch(request, query, **filters) -> dict | None:
    """The query's page ({rows, total}) for this grid request as the viewer, or None when there is none to
    show: a request or filter the grid does not send (ValueError: one warning line, it is the sender's doing),
    a thing that does not exist for this viewer (LookupError), or a database error (logged with its traceback)."""
    try:
        return viewer.run(query, **filters, **grid_request(request))
    except ValueError as exc:
        log.warning("%s: refused grid request: %s", query.__name__, exc)
    except LookupError:
        pass
    except SQLAlchemyError:
        log.exception("%s: the database did not answer", query.__name__)
    return None


def answer(request, query, shape=list, **filters) -> dict:
    """The getRowsResponse of a grid: `query`'s page for the request (filters + the grid's sort, filters and
    row range), its rows turned into the grid's by `shape`; no rows when fetch has none."""
    if not request:
        return no_update
    page = fetch(request, query, **filters)
    if page is None:
        return EMPTY_ROWS
    return {"rowData": shape(page["rows"]), "rowCount": page["total"]}
