"""Learners on every at-risk boundary (now = 2026-06-15 12:00 UTC). Blocks are assessments, so a result is a
completed topic and its score a block score (Session score = their mean).

Sessions: r1 "Spring cohort" (running since 05-01, default limits: Y = 14 days, overdue 2, score 50; blocks b1
due 05-10, b2 05-20, b3 due exactly now, b4 due 06-20, b5 no due date: 3 topics due); r2 "June cohort" (started
exactly 10 days ago; limits yellow 10, overdue 1, score 60; block c1 due 06-10); r3 "June late" (started 10 days
and 1 s ago; yellow 10; no blocks); f1 finished, u1 upcoming.

  learner          r1: last login (days)   results (score)          overdue  reasons in r1
  a1 Ann Active    06-14 12:00 (1)         b1 b2 b3 (80)             0       -
  a2 Ben Boundary  06-01 12:00 (14 = Y)    b1 b2 (70)                1 = limit - 1  -
  a3 Cat Fifteen   05-31 12:00 (15 > Y)    b1 b2 b3 (90)             0       inactive
  a4 Dan Behind    06-15 08:00 (0)         b1 (90)                   2 = limit  behind
  a5 Eve Exact     06-15 08:00 (0)         b1 b2 b3 b4 (50 = limit)  0       -
  a6 Fin Low       06-15 08:00 (0)         b1 40, b2 50, b3 59       0       low score (49.7)
  a7 Gia Never     never                   -                         3       inactive, behind
  a8 Hal All       05-26 12:00 (20)        b1 (10)                   2       inactive, behind, low score
  a11 Kim Later    06-15 08:00 (0)         b4 b5 (95): not due       3       behind
  a9 Ivy Waiting (waiting list) and a10 Jon Deleted (deleted) are not participants.
r2: a3 (c1 59 < 60: low score; not inactive: the cohort is exactly Y days old), a4 (c1 60 = limit: -),
    a12 Lou Young (never logged in, no result: overdue 1 = limit: behind).
r3: a12 (never: inactive), a13 Max Eleven (06-04 12:00, 11 days > 10: inactive), a14 Ned Ten (06-05 12:00,
    10 days: -). f1 and u1: a7 (not running: not candidates).
Groups: a1-a6 in gA (coached by coach@ex.com); r1 and a3/a4's r2 enrollments come through gA, so the coach
sees r1 (a1-a6) and r2 (a3, a4).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)

PEOPLE = [  # user_id, first, last, group, logins
    ("a1", "Ann", "Active", "gA", ["2026-06-14T12:00:00Z"]),
    ("a2", "Ben", "Boundary", "gA", ["2026-06-01T12:00:00Z"]),
    ("a3", "Cat", "Fifteen", "gA", ["2026-05-31T12:00:00Z"]),
    ("a4", "Dan", "Behind", "gA", ["2026-06-08T12:00:00Z", "2026-06-15T08:00:00Z"]),
    ("a5", "Eve", "Exact", "gA", ["2026-06-15T08:00:00Z"]),
    ("a6", "Fin", "Low", "gA", ["2026-06-15T08:00:00Z"]),
    ("a7", "Gia", "Never", "gB", []),
    ("a8", "Hal", "All", "gB", ["2026-05-26T12:00:00Z"]),
    ("a9", "Ivy", "Waiting", "gB", ["2026-04-01T12:00:00Z"]),
    ("a10", "Jon", "Deleted", "gB", ["2026-04-01T12:00:00Z"]),
    ("a11", "Kim", "Later", "gB", ["2026-06-15T08:00:00Z"]),
    ("a12", "Lou", "Young", "gB", []),
    ("a13", "Max", "Eleven", "gB", ["2026-06-04T12:00:00Z"]),
    ("a14", "Ned", "Ten", "gB", ["2026-06-05T12:00:00Z"]),
]
TEAM_A = {"a1", "a2", "a3", "a4", "a5", "a6"}

# (learner, session, enrollment status, through group)
ENROLLMENTS = [(u, "r1", "registered", "gA" if u in TEAM_A else "") for u in
               ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a11", "a10"]]
ENROLLMENTS += [("a9", "r1", "waiting_list", ""), ("a3", "r2", "registered", "gA"), ("a4", "r2", "registered", "gA"),
                ("a12", "r2", "registered", ""), ("a12", "r3", "registered", ""), ("a13", "r3", "registered", ""),
                ("a14", "r3", "registered", ""), ("a7", "f1", "registered", ""), ("a7", "u1", "registered", "")]

RESULTS = [  # learner, block, score
    ("a1", "b1", 80), ("a1", "b2", 80), ("a1", "b3", 80), ("a2", "b1", 70), ("a2", "b2", 70),
    ("a3", "b1", 90), ("a3", "b2", 90), ("a3", "b3", 90), ("a4", "b1", 90),
    ("a5", "b1", 50), ("a5", "b2", 50), ("a5", "b3", 50), ("a5", "b4", 50),
    ("a6", "b1", 40), ("a6", "b2", 50), ("a6", "b3", 59), ("a8", "b1", 10), ("a11", "b4", 95), ("a11", "b5", 95),
    ("a3", "c1", 59), ("a4", "c1", 60),
]

# the owner's At-risk CSV, worked out by hand from the table above
CSV = (
    "\ufeffFirst name,Last name,Email,Cohort,Session ID,Reasons,Days since last login,Topics overdue,Score,"
    "Last contacted\r\n"
    "Hal,All,a8@ex.com,Spring cohort,r1,inactive|behind|low score,20,2,10,\r\n"
    "Gia,Never,a7@ex.com,Spring cohort,r1,inactive|behind,,3,,\r\n"
    "Lou,Young,a12@ex.com,June cohort,r2,behind,,1,,\r\n"
    "Lou,Young,a12@ex.com,June late,r3,inactive,,0,,\r\n"
    "Cat,Fifteen,a3@ex.com,Spring cohort,r1,inactive,15,0,90,\r\n"
    "Cat,Fifteen,a3@ex.com,June cohort,r2,low score,15,0,59,\r\n"
    "Max,Eleven,a13@ex.com,June late,r3,inactive,11,0,,\r\n"
    "Dan,Behind,a4@ex.com,Spring cohort,r1,behind,0,2,90,\r\n"
    "Kim,Later,a11@ex.com,Spring cohort,r1,behind,0,3,95,\r\n"
    "Fin,Low,a6@ex.com,Spring cohort,r1,low score,0,0,49.7,\r\n"
)


def _users() -> str:
    lines = ["user_id,first_name,last_name,email,title,additional_info,registered_at,invited_by,deleted_at,"
             "auto_deletion_at", "admin,Ada,Admin,admin@ex.com,,,2025-01-01,,,", "coach,Cora,Coach,coach@ex.com,,,"
             "2025-01-01,,,"]
    for uid, first, last, _g, _l in PEOPLE:
        deleted = "2026-06-14T00:00:00Z" if uid == "a10" else ""
        lines.append(f"{uid},{first},{last},{uid}@ex.com,,,2025-01-01,,{deleted},")
    return "\n".join(lines) + "\n"


FILES: dict[str, str] = {
    "groups.csv": "group_id,name,parent_id\ng0,Platform,\ngA,Team A,g0\ngB,Team B,g0\n",
    "users.csv": _users(),
    "memberships.csv": "user_id,group_id,role\nadmin,g0,admin\ncoach,gA,coach\n"
                       + "".join(f"{u},{g},learner\n" for u, _f, _l, g, _x in PEOPLE),
    "logins.csv": "user_id,at\n" + "".join(f"{u},{at}\n" for u, _f, _l, _g, ats in PEOPLE for at in ats),
    "courses.csv": "course_id,name,author_id,coauthor_ids,status,created_at,updated_at,source_language,"
                   "available_languages,unavailable_languages,tags\ncr1,Basics,admin,,active,2025-01-10,,en,,,\n",
    "activities.csv": "activity_id,course_id,position,title,type,tags\nac1,cr1,1,Intro,document,\n",
    "programs.csv": "program_id,name,kind,description\npr1,Academy,program,\n",
    "sessions.csv": "session_id,program_id,name,start_at,end_at,author_id,group_id,expected_duration_min,tags,"
                    "description\n"
                    "r1,pr1,Spring cohort,2026-05-01,2026-08-01,admin,g0,,,\n"
                    "r2,pr1,June cohort,2026-06-05T12:00:00Z,2026-08-01,admin,g0,,,\n"
                    "r3,pr1,June late,2026-06-05T11:59:59Z,2026-08-01,admin,g0,,,\n"
                    "f1,pr1,Finished,2026-01-01,2026-06-01,admin,g0,,,\n"
                    "u1,pr1,Upcoming,2026-07-01,2026-09-01,admin,g0,,,\n",
    "blocks.csv": "block_id,session_id,position,kind,title,course_id,due_at,tags,passing_score_pct\n"
                  "b1,r1,1,assessment,Quiz 1,,2026-05-10,,\n"
                  "b2,r1,2,assessment,Quiz 2,,2026-05-20,,\n"
                  "b3,r1,3,assessment,Quiz 3,,2026-06-15T12:00:00Z,,\n"
                  "b4,r1,4,assessment,Quiz 4,,2026-06-20,,\n"
                  "b5,r1,5,assessment,Quiz 5,,,,\n"
                  "c1,r2,1,assessment,Check,,2026-06-10,,\n"
                  "e1,f1,1,assessment,Old,,2026-02-01,,\n",
    "enrollments.csv": "session_id,user_id,status,source,group_id,assigned_at,unassigned_at\n"
                       + "".join(f"{s},{u},{st},{'group' if g else 'assigned'},{g},2026-04-20,\n"
                                 for u, s, st, g in ENROLLMENTS),
    "course_attempts.csv": "attempt_id,user_id,course_id,session_id,attempt_no,started_at,last_activity_at,"
                           "completed_at,progress_pct,score_pct,time_spent_s,language\n",
    "assessment_results.csv": "user_id,block_id,score_pct,passed,submitted_at\n"
                              + "".join(f"{u},{b},{sc},true,2026-05-05T10:00:00Z\n" for u, b, sc in RESULTS),
}


def write(folder: Path, files: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in {**FILES, **(files or {})}.items():
        (folder / name).write_text(body, encoding="utf-8")
    return folder
