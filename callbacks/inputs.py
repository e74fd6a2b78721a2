"""What a callback receives from the browser, read the same way everywhere. Any value may arrive (a request
can be written by hand, and Dash's JSON accepts NaN and Infinity): each reader returns the shape the callback
expects, or an empty value the callback answers with its empty state, never a value that fails later.
Grid requests are read by callbacks.grids.grid_request, cohort limits by queries.participants.validate_limits."""

from __future__ import annotations

import math

MAX_ID = 200  # ids of the bundle are at most 64 characters (bundle-format.md)
MAX_TEXT = 1000  # a search box, a date, a label
MAX_ITEMS = 1000  # ids chosen in a multi-select, rows held as State


def an_id(value) -> str | None:
    """An id (session, group, user …): a non-empty string of at most MAX_ID characters without NUL; else None,
    which every query answers like an id that does not exist."""
    if isinstance(value, str) and 0 < len(value) <= MAX_ID and "\x00" not in value:
        return value
    return None


def optional_id(value) -> str | None:
    """An id where None means "all" (a group filter): None, the id, or LookupError for anything else, which
    callbacks answer like an id that does not exist."""
    if value is None:
        return None
    if an_id(value) is None:
        raise LookupError("no such id")
    return value


def text(value, limit: int = MAX_TEXT) -> str:
    """Typed text (a search, a date): a string cut to `limit` characters, NULs removed; anything else is ""."""
    return value[:limit].replace("\x00", "") if isinstance(value, str) else ""


def ids(value) -> list[str]:
    """A multi-select's ids (None: none chosen; a single id counts as one). LookupError when anything else
    is there, which callbacks answer like an id that does not exist: dropping it would widen the filter."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or len(value) > MAX_ITEMS or any(an_id(item) is None for item in value):
        raise LookupError("One of the chosen items does not exist.")
    return value


def labels(value, allowed) -> list[str]:
    """The strings of a list that are among `allowed`, in order."""
    return [v for v in value[:MAX_ITEMS] if isinstance(v, str) and v in allowed] if isinstance(value, list) else []


def mapping(value) -> dict:
    """A store holding an object: the object, or {}."""
    return value if isinstance(value, dict) else {}


def rows(value) -> list[dict]:
    """Rows of a client-side grid held as State: the objects among the first MAX_ITEMS entries."""
    return [r for r in value[:MAX_ITEMS] if isinstance(r, dict)] if isinstance(value, list) else []


def points(event) -> list[dict]:
    """The points of a Plotly clickData / selectedData event (objects only)."""
    found = event.get("points") if isinstance(event, dict) else None
    return [p for p in found[:MAX_ITEMS] if isinstance(p, dict)] if isinstance(found, list) else []


def point_value(point: dict, key: str) -> str | int | float | None:
    """One coordinate or customdata of a point, when it is a plain value (text, or a finite number)."""
    value = point.get(key)
    if isinstance(value, str):
        return text(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return None


def clicked_row(event) -> str | None:
    """The row id of an AG Grid cellClicked event, or None."""
    return an_id(event.get("rowId")) if isinstance(event, dict) else None


def clicked_column(event) -> str | None:
    """The column id of an AG Grid cellClicked event, or None."""
    return an_id(event.get("colId")) if isinstance(event, dict) else None


def whole(value) -> int | None:
    """A whole number sent as a JSON number (3 or 3.0; not True, "3", NaN or 1e400), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
        return None
    return int(value)


def clicks(value) -> int:
    """A button's n_clicks: a count, 0 when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53:
        return value
    return 0
