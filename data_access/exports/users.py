"""The user CSVs (metrics.md, "Users"): Users, General stats, one user's general stats, Registrations."""

from __future__ import annotations

from collections.abc import Iterator

from data_access.exports.csv_format import csv_chunks, date, flag_cells, flagged_chunks, pct
from data_access.queries import users_export as q

USERS_FIXED = ["First name", "Last name", "Email", "Title / Employment"]
USERS_AFTER = ["Additional information", "Time spent (s)", "Last activity", "Direct report"]
GENERAL_FIXED = ["Last name", "First name", "Email"]
GENERAL_AFTER = ["Additional information", "Managers", "Avg score", "Completed programs", "Assigned programs",
                 "Messages", "Total time spent (s)"]
USER_STATS_HEADER = ["Last name", "First name", "Email", "Avg score", "Completed courses", "Attended classrooms",
                     "Completed paths", "Assigned paths", "Completed programs", "Assigned programs", "Messages",
                     "Total time spent (s)"]
REGISTRATIONS_HEADER = ["First name", "Last name", "Email", "Registr. at", "Invited by", "Auto deletion"]


def _flags(plan: dict):
    index = {g["group_id"]: i for i, g in enumerate(plan["groups"])}
    width = len(index)
    return lambda member_of: flag_cells([index[g] for g in member_of if g in index], width)


def users_csv(conn, scope, now, tz: str, deleted: bool = False) -> Iterator[str]:
    plan = q.plan(conn, scope)
    flags = _flags(plan)
    header = USERS_FIXED + plan["fields"] + USERS_AFTER + [g["name"] for g in plan["groups"]]
    rows = (([r["first_name"], r["last_name"], r["email"], r["title"]]
             + r["fields"]
             + [r["additional_info"], int(r["time_spent_s"] or 0), date(r["last_activity_at"], tz),
                int(r["direct_reports"] or 0)], flags(r["groups"]))
            for r in q.users_rows(conn, scope, now, plan["fields"], deleted))
    return flagged_chunks(header, rows)


def general_stats_csv(conn, scope, now, tz: str, groups=(), users=(), sessions=(), window=None) -> Iterator[str]:
    plan = q.plan(conn, scope)
    flags = _flags(plan)
    header = GENERAL_FIXED + plan["fields"] + GENERAL_AFTER + [g["name"] for g in plan["groups"]]
    conditions = q.general_filters(conn, scope, groups, users, sessions)  # unknown filters fail here, before a byte
    rows = (([r["last_name"], r["first_name"], r["email"]] + r["fields"]
             + [r["additional_info"], ", ".join(r["managers"]), pct(r["avg_score"]), r["completed_programs"],
                r["assigned_programs"], r["posts"], int(r["total_time_s"] or 0)], flags(r["groups"]))
            for r in q.general_rows(conn, conditions, plan["fields"], sessions, window))
    return flagged_chunks(header, rows)


def user_stats_csv(conn, scope, now, user_id: str) -> Iterator[str]:
    r = q.user_general(conn, scope, now, user_id)
    return csv_chunks(USER_STATS_HEADER, [[
        r["last_name"], r["first_name"], r["email"], pct(r["avg_score"]), r["completed_courses"] or 0,
        r["attended_classrooms"] or 0, r["completed_paths"] or 0, r["assigned_paths"] or 0,
        r["completed_programs"] or 0, r["assigned_programs"] or 0, r["posts"] or 0, int(r["total_time_s"] or 0)]])


def registrations_csv(conn, scope, now, tz: str) -> Iterator[str]:
    rows = q.registrations(conn, scope, now)
    return csv_chunks(REGISTRATIONS_HEADER, ([r["first_name"], r["last_name"], r["email"], date(r["registered_at"], tz),
                                              r["invited_by"], date(r["auto_deletion_at"], tz)] for r in rows))


def _one_user(options) -> str:
    users = [u for u in (options.user or []) if u]
    if len(users) != 1:
        raise ValueError("--user ID is required: the user whose statistics to export")
    return users[0]


def _users_report(conn, scope, now, settings, options):
    return users_csv(conn, scope, now, settings.timezone, bool(options.deleted))


def _general_report(conn, scope, now, settings, options):
    window = q.parse_window(options.since, options.until)
    return general_stats_csv(conn, scope, now, settings.timezone, tuple(options.group or ()),
                             tuple(options.user or ()), tuple(options.session or ()), window)


def _user_stats_report(conn, scope, now, settings, options):
    return user_stats_csv(conn, scope, now, _one_user(options))


def _registrations_report(conn, scope, now, settings, options):
    return registrations_csv(conn, scope, now, settings.timezone)


REPORTS = {"users": _users_report, "general-stats": _general_report, "user-stats": _user_stats_report,
           "registrations": _registrations_report}
