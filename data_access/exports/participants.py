"""Participants CSVs (metrics.md, "Participants"): Cohort progress and the participants of the activity chart."""

from __future__ import annotations

from collections.abc import Iterator

from data_access.exports.csv_format import csv_chunks, date, pct
from data_access.exports.options import one_session
from data_access.queries import participants as q

COHORT_PROGRESS_HEADER = ["First name", "Last name", "Email", "Topics due", "Topics completed", "Progress (%)",
                          "Last login", "Days since last login"]
ACTIVITY_HEADER = ["First name", "Last name", "Email", "Last login", "Days since last login", "Progress (%)"]


def _days(value: int | None) -> str:
    return "" if value is None else str(value)


def cohort_progress(conn, scope, now, tz: str, session_id: str) -> Iterator[str]:
    rows = q.participants(conn, scope, now, session_id)
    return csv_chunks(COHORT_PROGRESS_HEADER, (
        [r["first_name"], r["last_name"], r["email"], r["topics_due"], r["topics_completed"],
         pct(r["progress_pct"]), date(r["last_login_at"], tz), _days(r["days_since"])] for r in rows))


def participant_activity(conn, scope, now, tz: str, session_id: str, buckets: list[str] | None) -> Iterator[str]:
    rows = q.participants(conn, scope, now, session_id, buckets or None)
    return csv_chunks(ACTIVITY_HEADER, (
        [r["first_name"], r["last_name"], r["email"], date(r["last_login_at"], tz), _days(r["days_since"]),
         pct(r["progress_pct"])] for r in rows))


def _cohort_progress_report(conn, scope, now, settings, options):
    return cohort_progress(conn, scope, now, settings.timezone, one_session(options))


def _participant_activity_report(conn, scope, now, settings, options):
    return participant_activity(conn, scope, now, settings.timezone, one_session(options), options.bucket or None)


REPORTS = {"cohort-progress": _cohort_progress_report, "participant-activity": _participant_activity_report}
