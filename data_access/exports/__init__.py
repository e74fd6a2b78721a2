"""CSV reports of metrics.md. Every writer yields text chunks, so a route can stream it."""

from __future__ import annotations

from data_access.exports import participants, session_csv, sessions

# REPORT name (shared/spec/cli.md) -> writer(conn, scope, now, settings, options) yielding text chunks.
# `options` has the export options of the command line as attributes (session and bucket are lists).
REPORTS: dict[str, object] = {**participants.REPORTS, **sessions.REPORTS, **session_csv.REPORTS}

ALL_REPORT_NAMES = [
    "cohort-progress", "participant-activity", "session", "sessions", "program", "group-sessions",
    "session-collab", "users", "general-stats", "user-stats", "registrations", "collab-users",
    "collab-groups", "course-activities", "courses",
]


class NotImplementedReport(Exception):
    pass


def get_writer(name: str):
    if name not in ALL_REPORT_NAMES:
        raise KeyError(name)
    if name not in REPORTS:
        raise NotImplementedReport(f"not implemented yet: {name}")
    return REPORTS[name]
