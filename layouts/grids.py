"""dash-ag-grid tables, built one way: server-paged tables (infinite row model, sorted and filtered in SQL
by data_access.grid_filters) and small client-side tables."""

from __future__ import annotations

import dash_ag_grid as dag

from data_access import grid_filters

PAGE_SIZE = 100
# column filters offering only what data_access.grid_filters translates to SQL
TEXT_FILTER = {"filter": "agTextColumnFilter", "filterParams": {"filterOptions": grid_filters.TEXT_OPTIONS,
                                                                "maxNumConditions": 2}}
NUMBER_FILTER = {"filter": "agNumberColumnFilter", "type": "numericColumn",
                 "filterParams": {"filterOptions": grid_filters.NUMBER_OPTIONS, "maxNumConditions": 2}}
# on an epoch column shown as a date: whole days in the time zone the dates are shown in (the query's tz)
DATE_FILTER = {"filter": "agDateColumnFilter", "filterParams": {"filterOptions": grid_filters.DATE_OPTIONS,
                                                                "maxNumConditions": 2}}


def server_grid(ident: str, columns: list[dict], height: str = "480px", row_id: str = "user_id",
                grid_options: dict | None = None, **props) -> dag.AgGrid:
    """A table whose rows the server sends 100 at a time (getRowsRequest -> getRowsResponse); rows are known
    by their row_id field. grid_options: more AG Grid options (row selection, texts)."""
    return dag.AgGrid(id=ident, columnDefs=columns, rowModelType="infinite",
                      defaultColDef={"sortable": True, "resizable": True, "floatingFilter": True, "flex": 1,
                                     "minWidth": 110},
                      dashGridOptions={"pagination": True, "paginationPageSize": PAGE_SIZE,
                                       "paginationPageSizeSelector": False, "cacheBlockSize": PAGE_SIZE,
                                       "maxBlocksInCache": 20, "rowBuffer": 0, **(grid_options or {})},
                      getRowId=f"params.data.{row_id}", style={"height": height, **props.pop("style", {})}, **props)


def client_grid(ident: str, columns: list[dict], row_id: str, **options) -> dag.AgGrid:
    """A table whose rows all come at once (tens to a few thousand), 50 per page, as tall as its rows."""
    return dag.AgGrid(id=ident, columnDefs=columns, rowData=[],
                      defaultColDef={"sortable": True, "resizable": True, "filter": True, "flex": 1, "minWidth": 100},
                      dashGridOptions={"pagination": True, "paginationPageSize": 50,
                                       "paginationPageSizeSelector": False, "domLayout": "autoHeight", **options},
                      getRowId=f"params.data.{row_id}", style={"height": None})
