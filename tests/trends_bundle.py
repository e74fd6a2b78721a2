"""A cohort for the trends, with every week worked out by hand in UTC and in Europe/Paris (now = Wednesday
2026-04-08 12:00 UTC). Europe/Paris moves from UTC+1 to UTC+2 on Sunday 2026-03-29 at 01:00 UTC, so its Mondays
00:00 are, in UTC: 03-15 23:00, 03-22 23:00, 03-29 22:00, 04-05 22:00, 04-12 22:00.

Cohort c1 (program pr1) starts on Sunday 2026-03-22 (week 1 = the week of Monday 03-16) and ends 2026-05-31;
blocks b1 (course cr1), b2 (assessment), b3 (classroom, slot on 03-25 09:00 UTC). Participants u1 u2 u3 u4
(u5 is deleted, u6 on the waiting list). u1 and u2 came through group ga (coached by `coach`).

  logins (UTC)            UTC week      Paris week
  u1 01-07 10:00          (c2's week 1)
  u1 03-22 12:00          1             1
  u1 03-29 21:00          2             2 (23:00 CEST, Sunday)
  u1 03-29 22:30          2             3 (00:30 Monday): the UTC day 03-29 holds Paris's week boundary
  u2 03-15 23:30          before wk 1   1 (00:30 Monday 03-16)
  u2 04-08 08:00          4             4
  u2 04-08 13:00          after now     after now
  u3 03-25 10:00          2             2
  u3 04-05 21:00          3             3 (23:00 Sunday)
  u3 04-05 23:00          3             4 (01:00 Monday)
  u5 03-25 (deleted: not a participant)
  active UTC: 1, 2, 1, 1 of 4 -> 25, 50, 25, 25 %; Paris: 2, 2, 2, 2 -> 50 % each week

  completions (UTC)                                          UTC week  Paris week
  u1 b1: attempt 1 completed 03-24 10:00, attempt 2 04-01 (earliest counts)  2  2
  u1 b2: submitted 03-29 21:30                               2         2
  u1 b3: slot 03-25 09:00 attended 100 %                     2         2
  u2 b1: attempt 1 completed 03-24, attempt 2 not: not completed now (never counts)
  u3 b1: completed 04-07 09:00                               4         4
  u3 b2: submitted 03-29 22:30                               2         3
  u4 b3: attended 0 %: not completed
  progress (of 4 x 3 blocks), cumulative: UTC 0, 4, 4, 5 -> 0, 33.3, 33.3, 41.7; Paris 0, 3, 4, 5 -> 0, 25, 33.3, 41.7

Cohort c2 (same program, 2026-01-05 to 2026-02-28, no blocks): u1 registered: 8 weeks from Monday 01-05, active
100 % in week 1 (login 01-07), 0 after; progress empty (no block). c3 (same program) starts 2026-06-01 (upcoming:
no week); c4 is another program's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

NOW = datetime(2026, 4, 8, 12, 0, tzinfo=UTC)

LOGINS = [("u1", "2026-01-07T10:00:00Z"), ("u1", "2026-03-22T12:00:00Z"), ("u1", "2026-03-29T21:00:00Z"),
          ("u1", "2026-03-29T22:30:00Z"), ("u2", "2026-03-15T23:30:00Z"), ("u2", "2026-04-08T08:00:00Z"),
          ("u2", "2026-04-08T13:00:00Z"), ("u3", "2026-03-25T10:00:00Z"), ("u3", "2026-04-05T21:00:00Z"),
          ("u3", "2026-04-05T23:00:00Z"), ("u5", "2026-03-25T10:00:00Z")]

FILES: dict[str, str] = {
    "groups.csv": "group_id,name,parent_id\ng0,Platform,\nga,Team A,g0\ngb,Team B,g0\n",
    "users.csv": "user_id,first_name,last_name,email,title,additional_info,registered_at,invited_by,deleted_at,"
                 "auto_deletion_at\n"
                 "own,Olga,Owner,own@ex.com,,,2025-01-01,,,\ncoach,Cora,Coach,coach@ex.com,,,2025-01-01,,,\n"
                 "u1,Ann,Alpha,u1@ex.com,,,2025-01-01,,,\nu2,Bea,Beta,u2@ex.com,,,2025-01-01,,,\n"
                 "u3,Cal,Gamma,u3@ex.com,,,2025-01-01,,,\nu4,Dan,Delta,u4@ex.com,,,2025-01-01,,,\n"
                 "u5,Eve,Epsilon,u5@ex.com,,,2025-01-01,,2026-04-01T00:00:00Z,\n"
                 "u6,Fay,Zeta,u6@ex.com,,,2025-01-01,,,\n",
    "memberships.csv": "user_id,group_id,role\nown,g0,admin\ncoach,ga,coach\nu1,ga,learner\nu2,ga,learner\n"
                       "u3,gb,learner\nu4,gb,learner\nu5,gb,learner\nu6,gb,learner\n",
    "logins.csv": "user_id,at\n" + "".join(f"{u},{at}\n" for u, at in LOGINS),
    "courses.csv": "course_id,name,author_id,coauthor_ids,status,created_at,updated_at,source_language,"
                   "available_languages,unavailable_languages,tags\ncr1,Basics,own,,active,2025-01-10,,en,,,\n",
    "activities.csv": "activity_id,course_id,position,title,type,tags\na1,cr1,1,Intro,document,\n",
    "programs.csv": "program_id,name,kind,description\npr1,Academy,program,\npr2,Other,program,\n",
    "sessions.csv": "session_id,program_id,name,start_at,end_at,author_id,group_id,expected_duration_min,tags,"
                    "description\n"
                    "c1,pr1,Academy March,2026-03-22,2026-05-31,own,g0,,,\n"
                    "c2,pr1,Academy January,2026-01-05,2026-02-28,own,g0,,,\n"
                    "c3,pr1,Academy June,2026-06-01,2026-07-31,own,g0,,,\n"
                    "c4,pr2,Other March,2026-03-02,2026-05-31,own,g0,,,\n",
    "blocks.csv": "block_id,session_id,position,kind,title,course_id,due_at,tags,passing_score_pct\n"
                  "b1,c1,1,course,Basics,cr1,2026-04-30,,\n"
                  "b2,c1,2,assessment,Check,,2026-04-30,,\n"
                  "b3,c1,3,classroom,Workshop,,2026-04-30,,\n",
    "classroom_slots.csv": "slot_id,block_id,title,start_at,end_at,duration_hours\n"
                           "sl1,b3,Morning,2026-03-25T09:00:00Z,2026-03-25T12:00:00Z,3\n",
    "slot_attendance.csv": "slot_id,user_id,attendance_pct\nsl1,u1,100\nsl1,u4,0\n",
    "enrollments.csv": "session_id,user_id,status,source,group_id,assigned_at,unassigned_at\n"
                       "c1,u1,registered,group,ga,2026-03-01,\nc1,u2,registered,group,ga,2026-03-01,\n"
                       "c1,u3,registered,assigned,,2026-03-01,\nc1,u4,registered,assigned,,2026-03-01,\n"
                       "c1,u5,registered,assigned,,2026-03-01,\nc1,u6,waiting_list,catalog,,2026-03-01,\n"
                       "c2,u1,registered,group,ga,2025-12-01,\nc4,u3,registered,assigned,,2026-02-01,\n",
    "course_attempts.csv": "attempt_id,user_id,course_id,session_id,attempt_no,started_at,last_activity_at,"
                           "completed_at,progress_pct,score_pct,time_spent_s,language\n"
                           "t1,u1,cr1,c1,1,2026-03-22T10:00:00Z,2026-03-24T10:00:00Z,2026-03-24T10:00:00Z,100,,600,en\n"
                           "t2,u1,cr1,c1,2,2026-03-31T10:00:00Z,2026-04-01T10:00:00Z,2026-04-01T10:00:00Z,100,,600,en\n"
                           "t3,u2,cr1,c1,1,2026-03-23T10:00:00Z,2026-03-24T12:00:00Z,2026-03-24T12:00:00Z,100,,600,en\n"
                           "t4,u2,cr1,c1,2,2026-03-31T10:00:00Z,2026-03-31T11:00:00Z,,20,,600,en\n"
                           "t5,u3,cr1,c1,1,2026-04-06T09:00:00Z,2026-04-07T09:00:00Z,2026-04-07T09:00:00Z,100,,600,en\n",
    "assessment_results.csv": "user_id,block_id,score_pct,passed,submitted_at\n"
                              "u1,b2,80,true,2026-03-29T21:30:00Z\nu3,b2,70,true,2026-03-29T22:30:00Z\n",
}


def write(folder: Path, changes: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**FILES, **(changes or {})}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
