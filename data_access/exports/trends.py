"""Trend CSVs (metrics.md, "Activity trend" and "Cohort comparison"), and the pace list of a running cohort."""

from __future__ import annotations

from collections.abc import Iterator

from data_access.exports.csv_format import csv_chunks, date, pct
from data_access.exports.options import one_session
from data_access.queries import trends as q

ACTIVITY_TREND_HEADER = ["Week", "Participants", "Active learners", "Active (%)", "Progress (%)"]
COHORT_COMPARE_HEADER = ["Cohort", "Session ID", "Week N", "Week", "Active (%)", "Progress (%)"]
PACE_HEADER = ["First name", "Last name", "Email", "Blocks completed", "Blocks", "Started", "Blocks per week",
               "Projected finish"]


def monday(iso_date: str) -> str:
    """A week's Monday as metrics.md writes it: YYYY/MM/DD."""
    return iso_date.replace("-", "/")


def activity_trend(conn, scope, now, tz: str, session_id: str) -> Iterator[str]:
    trend = q.activity_trend(conn, scope, now, session_id=session_id, tz=tz)
    return csv_chunks(ACTIVITY_TREND_HEADER, (
        [monday(w["monday"]), w["participants"], w["active"], pct(w["active_pct"]), pct(w["progress_pct"])]
        for w in trend["weeks"]))


def cohort_compare(conn, scope, now, tz: str, session_ids: list[str]) -> Iterator[str]:
    cohorts = q.cohort_comparison(conn, scope, now, session_ids=session_ids, tz=tz)
    return csv_chunks(COHORT_COMPARE_HEADER, (
        [c["name"], c["session_id"], w["week_n"], monday(w["monday"]), pct(w["active_pct"]), pct(w["progress_pct"])]
        for c in cohorts for w in c["weeks"]))


def pace(conn, scope, now, tz: str, session_id: str) -> Iterator[str]:
    result = q.pace(conn, scope, now, session_id=session_id)
    return csv_chunks(PACE_HEADER, (
        [r["first_name"], r["last_name"], r["email"], r["completed"], r["blocks"], date(r["started_at"], tz),
         pct(r["per_week"]), date(r["projected_finish"], tz)] for r in result["behind"]))


def _activity_trend_report(conn, scope, now, settings, options):
    return activity_trend(conn, scope, now, settings.timezone, one_session(options))


def _cohort_compare_report(conn, scope, now, settings, options):
    return cohort_compare(conn, scope, now, settings.timezone, [s for s in (options.session or []) if s])


def _pace_report(conn, scope, now, settings, options):
    return pace(conn, scope, now, settings.timezone, one_session(options))


REPORTS = {"activity-trend": _activity_trend_report, "cohort-compare": _cohort_compare_report,
           "pace": _pace_report}
