"""CSV reports of metrics.md. Every writer yields text chunks, so a route can stream it."""

from __future__ import annotations

from data_access.exports import at_risk, collaboration, groups, participants, session_csv, sessions, trends, users

# REPORT name (docs/cli.md) -> writer(conn, scope, now, settings, options) yielding text chunks.
# `options` has the export options of the command line as attributes (session and bucket are lists).
REPORTS: dict[str, object] = {**participants.REPORTS, **sessions.REPORTS, **session_csv.REPORTS,
                               **groups.REPORTS, **users.REPORTS}
REPORTS.update(collaboration.REPORTS)
REPORTS.update(at_risk.REPORTS)
REPORTS.update(trends.REPORTS)

# the order of docs/cli.md (the command's help), then the reports LearnPulse adds
ALL_REPORT_NAMES = [
    "cohort-progress", "participant-activity", "session", "sessions", "program", "group-sessions",
    "session-collab", "users", "general-stats", "user-stats", "registrations", "collab-users",
    "collab-groups", "course-activities", "courses", "at-risk",
    "activity-trend", "cohort-compare",
    "activity-users",  # the people behind one number of a course activity
    "pace",  # the participants of a running cohort behind pace (Participants, under the trend)
]


def get_writer(name: str):
    """The writer of a report; KeyError for a name that is not a report."""
    return REPORTS[name]
