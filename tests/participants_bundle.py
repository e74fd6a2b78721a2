"""A cohort whose participants sit exactly on every days-since-login boundary (now = 2026-06-15 12:00 UTC).

Cohort c1 (running, started 2026-06-01; the most recently started running cohort):
  participant  last login (UTC)        days  bucket  topics completed of the 3 due (k1, k2, k3)
  p00  Zed L00   06-15 11:00 (and 05-01) 0   0–1     3: k1 on the 2nd attempt, k2 result, k3 attended 100%
  p01  Amy L01   06-14 12:00             1   0–1     0: k1 completed then a 2nd attempt not completed
  p02  Bob L02   06-13 12:00             2   2–3     0: only k4 (no due date) and k5 (due 06-30) completed
  p03  Cal L03   06-12 12:00             3   2–3     2: k1, k3 attended 50%
  p04  Dee L04   06-11 12:00             4   4–7     1: k2 result (failed: a result exists, so completed)
  p07  Eve L07   06-08 12:00             7   4–7     0 (exactly 7 x 24 h ago: active in the last 7 days)
  p08  Fay L08   06-07 12:00             8   8–14    0 (k3 attendance 0%: not completed)
  p14  Gus L14   06-01 12:00             14  8–14    0
  p14b Hal L14b  05-31 12:00:01          14  8–14    0
  p15  Ivy L15   05-31 12:00             15  15–30   0
  p30  "Ann, Marie" L30  05-16 12:00     30  15–30   0
  p31  "=Eve" L31  05-15 12:00           31  31+     0
  pnv  Nia Never  never                  -   Never   0
Not participants of c1: pwl (waiting list), pun (unassigned), pdel (deleted, logged in 2 days ago),
pc2 (registered in c2 only). Groups: p00-p04 are in ga (coached by coach), the rest in gb; p00-p04 were
assigned to c1 through ga (enrollment group_id), so c1 is one of the coach's sessions.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)

PARTICIPANTS = ["p00", "p01", "p02", "p03", "p04", "p07", "p08", "p14", "p14b", "p15", "p30", "p31", "pnv"]
TEAM_A = {"p00", "p01", "p02", "p03", "p04"}

_PEOPLE = [  # user_id, first, last, group, last login
    ("p00", "Zed", "L00", "ga", "2026-06-15T11:00:00Z"),
    ("p01", "Amy", "L01", "ga", "2026-06-14T12:00:00Z"),
    ("p02", "Bob", "L02", "ga", "2026-06-13T12:00:00Z"),
    ("p03", "Cal", "L03", "ga", "2026-06-12T12:00:00Z"),
    ("p04", "Dee", "L04", "ga", "2026-06-11T12:00:00Z"),
    ("p07", "Eve", "L07", "gb", "2026-06-08T12:00:00Z"),
    ("p08", "Fay", "L08", "gb", "2026-06-07T12:00:00Z"),
    ("p14", "Gus", "L14", "gb", "2026-06-01T12:00:00Z"),
    ("p14b", "Hal", "L14b", "gb", "2026-05-31T12:00:01Z"),
    ("p15", "Ivy", "L15", "gb", "2026-05-31T12:00:00Z"),
    ("p30", '"Ann, Marie"', "L30", "gb", "2026-05-16T12:00:00Z"),
    ("p31", "=Eve", "L31", "gb", "2026-05-15T12:00:00Z"),
    ("pnv", "Nia", "Never", "gb", None),
    ("pwl", "Wal", "Waiting", "gb", "2026-06-15T10:00:00Z"),
    ("pun", "Una", "Unassigned", "gb", "2026-06-15T10:00:00Z"),
    ("pdel", "Dan", "Deleted", "gb", "2026-06-13T12:00:00Z"),
    ("pc2", "Cid", "Other", "gb", "2026-06-15T10:00:00Z"),
]


def _users() -> str:
    lines = ["user_id,first_name,last_name,email,title,additional_info,registered_at,invited_by,deleted_at,"
             "auto_deletion_at", "admin,Ada,Admin,admin@ex.com,,,2025-01-01,,,", "coach,Cora,Coach,coach@ex.com,,,"
             "2025-01-01,,,", "inst,Ivo,Instructor,inst@ex.com,,,2025-01-01,,,"]
    for uid, first, last, _g, _l in _PEOPLE:
        deleted = "2026-06-14T00:00:00Z" if uid == "pdel" else ""
        lines.append(f"{uid},{first},{last},{uid}@ex.com,,,2025-01-01,,{deleted},")
    return "\n".join(lines) + "\n"


def _memberships() -> str:
    lines = ["user_id,group_id,role", "admin,g0,admin", "coach,ga,coach", "inst,g0,instructor"]
    lines += [f"{uid},{g},learner" for uid, _f, _l, g, _x in _PEOPLE]
    return "\n".join(lines) + "\n"


def _logins() -> str:
    lines = ["user_id,at", "p00,2026-05-01T08:00:00Z"]
    lines += [f"{uid},{at}" for uid, _f, _l, _g, at in _PEOPLE if at]
    return "\n".join(lines) + "\n"


def _enrollments() -> str:
    lines = ["session_id,user_id,status,source,group_id,assigned_at,unassigned_at"]
    # p00-p04 came through Team A (their coach's group), so c1 is a session of the coach's groups
    lines += [f"c1,{uid},registered,{'group,ga' if uid in TEAM_A else 'assigned,'},2026-05-20," for uid in PARTICIPANTS]
    lines += ["c1,pwl,waiting_list,catalog,,2026-05-21,", "c1,pun,registered,assigned,,2026-05-20,2026-06-02",
              "c1,pdel,registered,assigned,,2026-05-20,", "c2,pc2,registered,catalog,,2026-04-20,",
              "c2,p00,registered,assigned,,2026-04-20,"]
    return "\n".join(lines) + "\n"


FILES: dict[str, str] = {
    "groups.csv": "group_id,name,parent_id\ng0,Platform,\nga,Team A,g0\ngb,Team B,g0\n",
    "users.csv": _users(),
    "memberships.csv": _memberships(),
    "logins.csv": _logins(),
    "courses.csv": "course_id,name,author_id,coauthor_ids,status,created_at,updated_at,source_language,"
                   "available_languages,unavailable_languages,tags\n"
                   "cr1,Basics,admin,,active,2025-01-10,,en,,,\ncr2,Extras,admin,,active,2025-01-10,,en,,,\n"
                   "cr3,Later,admin,,active,2025-01-10,,en,,,\n",
    "activities.csv": "activity_id,course_id,position,title,type,tags\na1,cr1,1,Intro,document,\n",
    "programs.csv": "program_id,name,kind,description\npr1,Academy,program,\n",
    "sessions.csv": "session_id,program_id,name,start_at,end_at,author_id,group_id,expected_duration_min,tags,"
                    "description\n"
                    "c1,pr1,Academy June,2026-06-01,2026-08-01,admin,g0,,,\n"
                    "c2,pr1,Academy May,2026-05-01,2026-07-01,admin,g0,,,\n"
                    "c3,pr1,Academy January,2026-01-05,2026-03-01,admin,g0,,,\n"
                    "c4,pr1,Academy September,2026-09-01,2026-11-01,admin,g0,,,\n",
    "session_instructors.csv": "session_id,user_id\nc1,inst\n",
    "blocks.csv": "block_id,session_id,position,kind,title,course_id,due_at,tags,passing_score_pct\n"
                  "k1,c1,1,course,Basics,cr1,2026-06-05,,\n"
                  "k2,c1,2,assessment,Check,,2026-06-10,,60\n"
                  "k3,c1,3,classroom,Workshop,,2026-06-12,,\n"
                  "k4,c1,4,course,Extras,cr2,,,\n"
                  "k5,c1,5,course,Later,cr3,2026-06-30,,\n"
                  "m1,c2,1,course,Basics,cr1,2026-05-10,,\n",
    "classroom_slots.csv": "slot_id,block_id,title,start_at,end_at,duration_hours\n"
                           "sl1,k3,Morning,2026-06-11T09:00:00Z,2026-06-11T12:00:00Z,3\n",
    "slot_attendance.csv": "slot_id,user_id,attendance_pct\nsl1,p00,100\nsl1,p03,50\nsl1,p08,0\nsl1,p01,0\n",
    "enrollments.csv": _enrollments(),
    "course_attempts.csv": "attempt_id,user_id,course_id,session_id,attempt_no,started_at,last_activity_at,"
                           "completed_at,progress_pct,score_pct,time_spent_s,language\n"
                           "t1,p00,cr1,c1,1,2026-06-02T10:00:00Z,2026-06-02T10:10:00Z,,40,,600,en\n"
                           "t2,p00,cr1,c1,2,2026-06-03T10:00:00Z,2026-06-03T10:10:00Z,2026-06-03T10:10:00Z,100,90,"
                           "600,en\n"
                           "t3,p01,cr1,c1,1,2026-06-02T10:00:00Z,2026-06-02T10:10:00Z,2026-06-02T10:10:00Z,100,70,"
                           "600,en\n"
                           "t4,p01,cr1,c1,2,2026-06-04T10:00:00Z,2026-06-04T10:10:00Z,,30,,300,en\n"
                           "t5,p02,cr2,c1,1,2026-06-02T10:00:00Z,2026-06-02T10:10:00Z,2026-06-02T10:10:00Z,100,,"
                           "600,en\n"
                           "t6,p02,cr3,c1,1,2026-06-02T10:00:00Z,2026-06-02T10:10:00Z,2026-06-02T10:10:00Z,100,,"
                           "600,en\n"
                           "t7,p03,cr1,c1,1,2026-06-02T10:00:00Z,2026-06-02T10:10:00Z,2026-06-02T10:10:00Z,100,,"
                           "600,en\n"
                           "t8,pc2,cr1,c2,1,2026-05-02T10:00:00Z,2026-05-02T10:10:00Z,2026-05-02T10:10:00Z,100,,"
                           "600,en\n",
    "assessment_results.csv": "user_id,block_id,score_pct,passed,submitted_at\n"
                              "p00,k2,80,true,2026-06-09T10:00:00Z\np04,k2,40,false,2026-06-09T10:00:00Z\n",
}


def write(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
