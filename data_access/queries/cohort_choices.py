"""The cohort pickers' choices (Participants, At risk, Compare): a picker lists the first cohorts in its page's order
and finds the others by what is typed, both read with a LIMIT, so a page opens reading a bounded number of sessions
however many the platform has."""

from __future__ import annotations

from sqlalchemy import or_

from data_access import grid_filters, schema

MAX_ID = 200


def _an_id(value) -> bool:
    """Text that may be an id (an address's ?session= may hold anything: no such session, never an error)."""
    return isinstance(value, str) and 0 < len(value) <= MAX_ID and "\x00" not in value


def choose(conn, stmt, order: list, search: str | None = None, keep=(), limit: int | None = None) -> list:
    """Rows of `stmt` (a select over schema.sessions with its session_id) in `order`: the first `limit` (all when
    None) whose name or id holds `search` (ignoring case), and those of the ids in `keep` that stmt selects
    (the chosen cohorts, so their labels show), in the same order."""
    s = schema.sessions
    hits = stmt
    needle = (search or "").replace("\x00", "").strip()
    if needle:
        hits = hits.where(or_(grid_filters.contains(s.c.name, needle), grid_filters.contains(s.c.session_id, needle)))
    hits = hits.order_by(*order)
    rows = conn.execute(hits if limit is None else hits.limit(limit)).all()
    have = {r.session_id for r in rows}
    missing = [k for k in dict.fromkeys(k for k in keep or () if _an_id(k)) if k not in have]
    if not missing:
        return rows
    return conn.execute(stmt.where(s.c.session_id.in_([*have, *missing])).order_by(*order)).all()
