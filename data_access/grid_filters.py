"""AG Grid's sort and filter models (dash-ag-grid's infinite row model) as SQL, so big tables sort, filter
and page in the database instead of shipping every row to the browser.

Only the filter types the grids offer are translated (TEXT_OPTIONS, NUMBER_OPTIONS); anything else raises
ValueError, so a filter is never silently ignored. A request from the browser is checked whole by
read_request before any of it reaches SQL: its shape, its sizes and its row range (at most MAX_ROWS rows).
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.sql import ColumnElement

TEXT_OPTIONS = ["contains", "notContains", "equals", "notEqual", "startsWith", "endsWith", "blank", "notBlank"]
NUMBER_OPTIONS = ["equals", "notEqual", "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual",
                  "inRange", "blank", "notBlank"]
# a date filter on an epoch column: whole days in the time zone the grid shows dates in (inRange excludes both ends,
# as AG Grid's own date filter does)
DATE_OPTIONS = ["equals", "notEqual", "lessThan", "greaterThan", "inRange", "blank", "notBlank"]


# what one getRowsRequest may ask: the grids ask for 100 rows a block (layouts.grids.PAGE_SIZE), sort on a few
# columns and filter with at most 2 conditions a column (maxNumConditions)
MAX_ROWS = 1000
MAX_OFFSET = 10**9
MAX_SORT_TERMS = 20
MAX_FILTERED_COLUMNS = 50
MAX_CONDITIONS = 2
MAX_FILTER_TEXT = 1000
MAX_DATE_TEXT = 40
DEFAULT_BLOCK = 100


def _whole(value, name: str) -> int:
    """A row number the grid sent: a whole number between 0 and MAX_OFFSET (JSON may hold 1.0 for 1)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or value != int(value) or not 0 <= value <= MAX_OFFSET:
        raise ValueError(f"{name} must be a whole number between 0 and {MAX_OFFSET:,}")
    return int(value)


def _condition(cond, depth: int = 0) -> None:
    if not isinstance(cond, dict):
        raise ValueError("a filter condition must be an object")
    for key in ("filterType", "type", "operator"):
        if cond.get(key) is not None and not isinstance(cond[key], str):
            raise ValueError(f"filter {key} must be text")
    for key in ("filter", "filterTo"):
        value = cond.get(key)
        if isinstance(value, bool) or not (value is None or isinstance(value, str | int | float)):
            raise ValueError("a filter value must be text or a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("a filter value must be a finite number")
        if isinstance(value, str) and (len(value) > MAX_FILTER_TEXT or "\x00" in value):
            raise ValueError(f"a filter value is text of at most {MAX_FILTER_TEXT:,} characters, without NUL")
    for key in ("dateFrom", "dateTo"):
        value = cond.get(key)
        if not (value is None or isinstance(value, str) and len(value) <= MAX_DATE_TEXT and "\x00" not in value):
            raise ValueError(f"a filter date is text of at most {MAX_DATE_TEXT} characters")
    if "conditions" in cond:
        parts = cond["conditions"]
        if depth or not isinstance(parts, list) or not 0 < len(parts) <= MAX_CONDITIONS:
            raise ValueError(f"a filter joins 1 to {MAX_CONDITIONS} plain conditions")
        for part in parts:
            if "conditions" in (part if isinstance(part, dict) else {}):
                raise ValueError(f"a filter joins 1 to {MAX_CONDITIONS} plain conditions")
            _condition(part, depth + 1)


def read_request(request) -> dict:
    """An AG Grid getRowsRequest as keyword arguments of a *_page query (sort_model, filter_model, start, end),
    checked whole: ValueError for anything the grid does not send (wrong types, nested or too many conditions,
    non-finite numbers, a row range outside 0..MAX_OFFSET). At most MAX_ROWS rows are asked for, whatever
    endRow says. None (no request yet) asks for the first block."""
    if request is None:
        request = {}
    if not isinstance(request, dict):
        raise ValueError("a grid request must be an object")
    start = _whole(request.get("startRow", 0) if request.get("startRow") is not None else 0, "startRow")
    end = request.get("endRow")
    end = start + DEFAULT_BLOCK if end is None else _whole(end, "endRow")
    if end < start:
        raise ValueError("endRow must not be below startRow")
    sort_model = request.get("sortModel") or []
    if not isinstance(sort_model, list) or len(sort_model) > MAX_SORT_TERMS:
        raise ValueError(f"sortModel must be a list of at most {MAX_SORT_TERMS} columns")
    for item in sort_model:
        if not isinstance(item, dict) or not isinstance(item.get("colId"), str) \
                or item.get("sort") not in ("asc", "desc"):
            raise ValueError("each sortModel item names a column (colId) and asc or desc (sort)")
    filter_model = request.get("filterModel") or {}
    if not isinstance(filter_model, dict) or len(filter_model) > MAX_FILTERED_COLUMNS:
        raise ValueError(f"filterModel must be an object of at most {MAX_FILTERED_COLUMNS} columns")
    for model in filter_model.values():
        _condition(model)
    return {"sort_model": sort_model, "filter_model": filter_model, "start": start,
            "end": min(end, start + MAX_ROWS)}


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(col, text: str) -> ColumnElement[bool]:
    """SQL: the text column holds `text`, ignoring case (LIKE with its wildcards escaped)."""
    return func.lower(col).like(f"%{_like_escape(text.lower())}%", escape="\\")


def _text(col, cond: dict) -> ColumnElement[bool]:
    kind = cond.get("type")
    if kind == "blank":
        return or_(col.is_(None), col == "")
    if kind == "notBlank":
        return and_(col.is_not(None), col != "")
    value = _like_escape(str(cond.get("filter") or "").lower())
    low = func.lower(col)
    patterns = {"contains": f"%{value}%", "notContains": f"%{value}%", "equals": value, "notEqual": value,
                "startsWith": f"{value}%", "endsWith": f"%{value}"}
    if kind not in patterns:
        raise ValueError(f"unsupported text filter {kind!r}")
    match = low.like(patterns[kind], escape="\\")
    return not_(match) if kind in ("notContains", "notEqual") else match


def _number(col, cond: dict) -> ColumnElement[bool]:
    kind = cond.get("type")
    if kind == "blank":
        return col.is_(None)
    if kind == "notBlank":
        return col.is_not(None)
    try:
        value = float(cond.get("filter"))
        high = float(cond["filterTo"]) if kind == "inRange" else None
    except (TypeError, ValueError, KeyError) as exc:
        raise ValueError(f"number filter {kind!r} needs a number") from exc
    if not math.isfinite(value) or (high is not None and not math.isfinite(high)):
        raise ValueError(f"number filter {kind!r} needs a finite number")
    ops = {"equals": col == value, "notEqual": col != value, "lessThan": col < value, "lessThanOrEqual": col <= value,
           "greaterThan": col > value, "greaterThanOrEqual": col >= value}
    if kind == "inRange":
        return and_(col >= value, col <= high)
    if kind not in ops:
        raise ValueError(f"unsupported number filter {kind!r}")
    return ops[kind]


def _day(text, tz: str) -> tuple[int, int]:
    """The epoch seconds at which the day `text` (AG Grid's 'YYYY-MM-DD hh:mm:ss', or 'YYYY-MM-DD') begins in the
    time zone tz, and at which the next day begins."""
    try:
        d = date.fromisoformat(str(text)[:10])
        following = d + timedelta(days=1)
    except (ValueError, OverflowError) as exc:
        raise ValueError("a date filter needs a date (YYYY-MM-DD)") from exc
    zone = ZoneInfo(tz)
    return (int(datetime(d.year, d.month, d.day, tzinfo=zone).timestamp()),
            int(datetime(following.year, following.month, following.day, tzinfo=zone).timestamp()))


def _date(col, cond: dict, tz: str) -> ColumnElement[bool]:
    """A date filter on an epoch column, by whole days in tz."""
    kind = cond.get("type")
    if kind == "blank":
        return col.is_(None)
    if kind == "notBlank":
        return col.is_not(None)
    if kind not in DATE_OPTIONS:
        raise ValueError(f"unsupported date filter {kind!r}")
    begins, ends = _day(cond.get("dateFrom"), tz)
    if kind == "inRange":
        return and_(col >= ends, col < _day(cond.get("dateTo"), tz)[0])
    return {"equals": and_(col >= begins, col < ends), "notEqual": or_(col < begins, col >= ends),
            "lessThan": col < begins, "greaterThan": col >= ends}[kind]


def _one(col, model: dict, tz: str) -> ColumnElement[bool]:
    if "conditions" in model:  # two conditions joined by AND / OR
        parts = [_one(col, {"filterType": model.get("filterType"), **c}, tz) for c in model["conditions"]]
        return or_(*parts) if str(model.get("operator", "AND")).upper() == "OR" else and_(*parts)
    kind = model.get("filterType")
    if kind == "text":
        return _text(col, model)
    if kind == "number":
        return _number(col, model)
    if kind == "date":
        return _date(col, model, tz)
    raise ValueError(f"unsupported filter type {kind!r}")


def where(columns: dict, filter_model: dict | None, tz: str = "UTC") -> list[ColumnElement[bool]]:
    """SQL conditions for a filter model {colId: {...}}; columns maps colId -> SQL expression; a date filter
    counts days in the time zone tz (that of the dates the grid shows)."""
    if not isinstance(filter_model or {}, dict):
        raise ValueError("a filter model is an object of columns")
    out = []
    for col_id, model in (filter_model or {}).items():
        _condition(model)
        if col_id not in columns:
            raise ValueError(f"no column {col_id!r} to filter on")
        out.append(_one(columns[col_id], model, tz))
    return out


def _sort_items(sort_model) -> list[dict]:
    if not isinstance(sort_model or [], list) or not all(isinstance(i, dict) for i in sort_model or []):
        raise ValueError("a sort model is a list of {colId, sort}")
    return sort_model or []


def order_by(columns: dict, sort_model: list | None, nulls_low: set[str] = frozenset(),
             not_null: set[str] = frozenset()) -> list:
    """ORDER BY terms for a sort model [{colId, sort}]. Empty values sort as the highest value, or as the
    lowest for the colIds in nulls_low, the same way on SQLite and PostgreSQL. Columns in not_null get no NULLS
    clause, so an index on them can serve the order on both databases."""
    out = []
    for item in _sort_items(sort_model):
        col_id, direction = item.get("colId"), item.get("sort")
        if col_id not in columns or direction not in ("asc", "desc"):
            raise ValueError(f"cannot sort on {col_id!r} {direction!r}")
        col = columns[col_id]
        term = col.asc() if direction == "asc" else col.desc()
        if col_id in not_null:
            out.append(term)
            continue
        low = col_id in nulls_low
        out.append(term.nulls_first() if (direction == "asc") == low else term.nulls_last())
    return out


def fetch_page(conn, source, columns: dict, sort_model: list | None, filter_model: dict | None, start: int,
               end: int, tiebreak: list, nulls_low: set[str] = frozenset(), tz: str = "UTC") -> tuple[list, int]:
    """Rows start..end of the subquery `source` filtered and sorted as the grid asks (ties broken by
    `tiebreak`; date filters in the time zone tz), with how many rows match in all: one query with COUNT(*)
    OVER (), plus a count only when the block is past the end."""
    conditions = where(columns, filter_model, tz)
    start, end = max(0, int(start)), max(int(start), int(end))
    stmt = (select(source, func.count().over().label("total")).where(*conditions)
            .order_by(*order_by(columns, sort_model, nulls_low), *tiebreak)
            .limit(end - start).offset(start))
    rows = conn.execute(stmt).mappings().all()
    if rows:
        return rows, int(rows[0]["total"])
    return rows, int(conn.execute(select(func.count()).select_from(source).where(*conditions)).scalar_one())


def fenced(stmt):
    """`stmt` as a subquery the planner computes on its own before sorting and paging it. OFFSET 0 keeps
    PostgreSQL from merging it into the paged query, where it would otherwise sort every user of the
    platform to stop after 100 rows (450 ms instead of 40 ms for a 10k-learner session); SQLite is unaffected."""
    return stmt.offset(0).subquery()


def fetch_walk_page(conn, stmt, columns: dict, sort_model: list | None, filter_model: dict | None, start: int,
                    end: int, tiebreak: list, not_null: set[str] = frozenset(), total=None) -> tuple[list, int]:
    """fetch_page for tables of the whole platform (100k users): no COUNT(*) OVER (), which makes the database
    read every row before the first, so an index in the asked order (see not_null) is walked and left after
    `end` rows; the count is a second query, skipped when the first block already holds every row, or when the
    grid has no filter and `total` (a callable) knows the count from kept facts."""
    conditions = where(columns, filter_model)
    start, end = max(0, int(start)), max(int(start), int(end))
    filtered = stmt.where(*conditions)
    rows = conn.execute(filtered.order_by(*order_by(columns, sort_model, not_null=not_null), *tiebreak)
                        .limit(end - start).offset(start)).mappings().all()
    if start == 0 and len(rows) < end - start:
        return rows, len(rows)
    if total is not None and not conditions:
        return rows, int(total())
    return rows, int(conn.execute(select(func.count()).select_from(filtered.subquery())).scalar_one())


def fetch_page_indexed(conn, stmt, columns: dict, sort_model: list | None, filter_model: dict | None, start: int,
                       end: int, tiebreak: list, nullable: set[str] = frozenset(), total=None) -> tuple[list, int]:
    """fetch_page for a plain select over indexed base tables (no subquery, no fence): the page with LIMIT /
    OFFSET and no window function, so the database reads an index in the sort order and stops after `end`
    rows, and the total from its own COUNT. A 100k-user list pages in milliseconds instead of sorting every
    row. Only the colIds in `nullable` get a NULLS clause (empty sorts lowest): on a NOT NULL column the clause
    would stop PostgreSQL from using its index. `total`, if given, is called for the count when no filter applies
    (a count kept elsewhere)."""
    conditions = where(columns, filter_model)
    start, end = max(0, int(start)), max(int(start), int(end))
    terms = []
    for item in _sort_items(sort_model):
        col_id, direction = item.get("colId"), item.get("sort")
        if col_id not in columns or direction not in ("asc", "desc"):
            raise ValueError(f"cannot sort on {col_id!r} {direction!r}")
        term = columns[col_id].asc() if direction == "asc" else columns[col_id].desc()
        if col_id in nullable:
            term = term.nulls_first() if direction == "asc" else term.nulls_last()
        terms.append(term)
    narrowed = stmt.where(*conditions)
    rows = conn.execute(narrowed.order_by(*terms, *tiebreak).limit(end - start).offset(start)).mappings().all()
    if total is not None and not conditions:
        return rows, int(total())
    return rows, int(conn.execute(select(func.count()).select_from(narrowed.subquery())).scalar_one())
