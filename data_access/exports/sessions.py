"""Program sessions CSVs (metrics.md, "Program sessions"): the Sessions table."""

from __future__ import annotations

from collections.abc import Iterator

from data_access.exports.csv_format import csv_chunks, date
from data_access.queries import sessions as q

SESSIONS_HEADER = ["SESSION ID", "Name", "Start", "End", "Registered", "Completion", "Instructors"]


def sessions(conn, scope, now, tz: str, status: str) -> Iterator[str]:
    rows = q.sessions_table(conn, scope, now, status)
    return csv_chunks(SESSIONS_HEADER, ([r["session_id"], r["name"], date(r["start_at"], tz), date(r["end_at"], tz),
                                         r["registered"], r["completed"], r["instructors"]] for r in rows))


def _sessions_report(conn, scope, now, settings, options):
    return sessions(conn, scope, now, settings.timezone, options.status or q.ALL)


REPORTS = {"sessions": _sessions_report}
