"""Group statistics CSV (metrics.md, "Group statistics"): the group's sessions table, one line per session in
the table's order (most recent start first)."""

from __future__ import annotations

from collections.abc import Iterator

from data_access.exports.csv_format import csv_chunks, date, pct
from data_access.queries import groups as q

GROUP_SESSIONS_HEADER = ["Program session", "Session ID", "Start", "End", "Learners", "Attendance", "Progress",
                         "Score"]


def group_sessions(conn, scope, now, tz: str, group_id: str) -> Iterator[str]:
    rows = q.sessions_rows(conn, scope, now, group_id)  # LookupError before the first byte
    return csv_chunks(GROUP_SESSIONS_HEADER, ([r["name"], r["session_id"], date(r["start_at"], tz),
                                               date(r["end_at"], tz), r["learners"], r["attendance"],
                                               pct(r["progress"]), pct(r["score"])] for r in rows))


def one_group(options) -> str:
    groups = [g for g in (options.group or []) if g]
    if len(groups) != 1:
        raise ValueError("--group ID is required: the group whose sessions to export")
    return groups[0]


def _group_sessions_report(conn, scope, now, settings, options):
    return group_sessions(conn, scope, now, settings.timezone, one_group(options))


REPORTS = {"group-sessions": _group_sessions_report}
