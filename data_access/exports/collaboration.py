"""Collaborative activity CSVs (metrics.md, "Collaborative activity"): users, groups, courses, one course's
activities, the people behind one number of an activity, and the collaborative activity per program session."""

from __future__ import annotations

from collections.abc import Iterator

from data_access.exports.csv_format import csv_chunks, date, iso, pct
from data_access.queries import collaboration as q

USERS_HEADER = ["First name", "Last name", "Email", "Additional information", "Publications", "Comments", "Reactions"]
GROUPS_HEADER = ["Name", "Publications", "Comments", "Reactions"]
ACTIVITIES_HEADER = ["Title", "Views", "Likes", "Learned something", "Outdated", "Have a question", "Comments",
                     "Downloads", "Type"]
COURSES_HEADER = ["Course Name", "Course ID", "Author", "Co-authors", "Views", "Status", "Creation date",
                  "Last update", "Reaction Score", "Likes", "Learned something", "Outdated", "Have a question",
                  "Useful", "Irrelevant", "Documents", "Cheat sheets", "Questions", "Source language",
                  "Available translation languages", "Unavailable translation languages", "Tags", "Group"]
SESSIONS_HEADER = ["Name", "Start", "End", "Publications", "Comments", "Reactions", "Program template ID"]
PEOPLE_HEADER = ["First name", "Last name", "Email", "Date"]
COMMENT_FLAGS = ["Reply", "Archived"]
TYPE_LABEL = {"document": "Document", "cheat_sheet": "Cheat Sheet", "question": "Question"}
STATUS_LABEL = {"active": "Active", "archived": "Archived", "deleted": "Deleted"}


def collab_users(conn, scope, now, group_id: str | None) -> Iterator[str]:
    rows = q.users_rows(conn, scope, now, group_id)  # checks the group before the first chunk
    return csv_chunks(USERS_HEADER, ([r["first_name"], r["last_name"], r["email"], r["additional_info"],
                                      r["publications"], r["comments"], r["reactions"]] for r in rows), batch=2000)


def collab_groups(conn, scope, now) -> Iterator[str]:
    rows = q.groups_table(conn, scope, now)
    return csv_chunks(GROUPS_HEADER, ([r["name"], r["publications"], r["comments"], r["reactions"]] for r in rows))


def course_activities(conn, scope, now, course_id: str) -> Iterator[str]:
    rows = q.course_activities(conn, scope, now, course_id)
    return csv_chunks(ACTIVITIES_HEADER, (
        [r["title"], r["views"], r["like"], r["learned_something"], r["outdated"], r["have_a_question"],
         r["comments"], r["downloads"], TYPE_LABEL.get(r["type"], r["type"])] for r in rows))


def courses(conn, scope, now) -> Iterator[str]:
    rows = q.courses_export(conn, scope, now)
    return csv_chunks(COURSES_HEADER, (
        [r["name"], r["course_id"], r["author"], "|".join(r["coauthors"]), r["views"],
         STATUS_LABEL.get(r["status"], r["status"]), iso(r["created_at"]), iso(r["updated_at"]),
         pct(r["reaction_score"]), r["like"], r["learned_something"], r["outdated"], r["have_a_question"],
         r["useful"], r["irrelevant"], r["documents"], r["cheat_sheets"], r["questions"], r["source_language"],
         "|".join(r["available_languages"]), "|".join(r["unavailable_languages"]), "|".join(r["tags"]), r["group"]]
        for r in rows))


def session_collab(conn, scope, now, tz: str) -> Iterator[str]:
    rows = q.sessions_rows(conn, scope, now)
    return csv_chunks(SESSIONS_HEADER, ([r["name"], date(r["start_at"], tz), date(r["end_at"], tz), r["publications"],
                                         r["comments"], r["reactions"], r["program_id"]] for r in rows))


def activity_people(conn, scope, now, tz: str, activity_id: str, action: str) -> Iterator[str]:
    _activity, rows = q.activity_people(conn, scope, now, activity_id, action)
    comments = action == "comments"
    header = PEOPLE_HEADER + (COMMENT_FLAGS if comments else [])
    return csv_chunks(header, ([r["first_name"], r["last_name"], r["email"], date(r["at"], tz)]
                               + (["x" if r["reply"] else "", "x" if r["archived"] else ""] if comments else [])
                               for r in rows))


def _one(values, option: str, required: bool) -> str | None:
    values = [v for v in (values if isinstance(values, list | tuple) else [values]) if v]
    if len(values) > 1 or (required and not values):
        raise ValueError(f"--{option} ID is required, once" if required else f"--{option}: at most one")
    return values[0] if values else None


def _users_report(conn, scope, now, settings, options):
    return collab_users(conn, scope, now, _one(options.group, "group", False))


def _groups_report(conn, scope, now, settings, options):
    return collab_groups(conn, scope, now)


def _course_activities_report(conn, scope, now, settings, options):
    return course_activities(conn, scope, now, _one(options.course, "course", True))


def _courses_report(conn, scope, now, settings, options):
    return courses(conn, scope, now)


def _session_collab_report(conn, scope, now, settings, options):
    return session_collab(conn, scope, now, settings.timezone)


def _activity_people_report(conn, scope, now, settings, options):
    if not options.action:
        raise ValueError(f"--action is required: one of {', '.join(q.ACTIONS)}")
    return activity_people(conn, scope, now, settings.timezone, _one(options.activity, "activity", True),
                           options.action)


REPORTS = {"collab-users": _users_report, "collab-groups": _groups_report,
           "course-activities": _course_activities_report, "courses": _courses_report,
           "activity-users": _activity_people_report, "session-collab": _session_collab_report}
