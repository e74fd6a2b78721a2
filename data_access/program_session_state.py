"""Whether a program session is upcoming, running or finished at "now" (start ≤ now < end is running),
defined once for Python values and for SQL."""

from __future__ import annotations

from sqlalchemy import and_

RUNNING, UPCOMING, FINISHED = "running", "upcoming", "finished"


def state_of(start_at: int, end_at: int, now_s: int) -> str:
    if start_at > now_s:
        return UPCOMING
    return FINISHED if end_at <= now_s else RUNNING


def running(sessions_table, now_s: int):
    """SQL: the session is running at now_s."""
    return and_(sessions_table.c.start_at <= now_s, sessions_table.c.end_at > now_s)


def finished(sessions_table, now_s: int):
    return sessions_table.c.end_at <= now_s


def upcoming(sessions_table, now_s: int):
    return sessions_table.c.start_at > now_s
