"""A group tree where every rule of metrics.md "Group statistics" matters (now = 2026-06-15 12:00 UTC).

Tree: g0 Platform › gs Sales › ge Sales EMEA › gp Sales Paris; gs › gn Sales North America; g0 › go Ops › gz Empty
Team (no session). People (role in group):
  l1 Ann Able     learner ge
  l2 Bob Baker    learner gp (a descendant of ge)
  l3 Cat Coach    learner ge, learner gp AND coach gp (a learner who is also a coach: counted once)
  l4 Dan Gone     learner ge, deleted 2026-05-20 (history: still counted)
  l5 Eve North    learner gn
  l7 Gus Ops      learner go
  l8 Hal Wait     learner ge (waiting list in s1: not registered)
  ce Cora Emea    coach ge (registered in s1: not a learner);  cs Sam Sales coach gs;  ad Ada Admin admin g0 (owner)
  in Ivo Teach    instructor of s1 only (sees no group)

Sessions (catalog group; the 12-month edge is 2025-06-15 12:00):
  s6 Future Cohort      ge  2026-06-16 -> 2026-08-01  l1 registered, nothing (starts after now: not last 12 months)
  s1 EMEA Catalog       ge  2026-05-01 -> 2026-07-01  blocks k1 course, k2 assessment (pass 60), k3 classroom:
       l1 k1 80, k2 70 passed, k3 100%  -> progress 100, score 75, verified
       l2 k1 90, k2 50 failed, k3 50%   -> progress 100, score 70, NOT verified (completed, not verified)
       l3 k1 40 not completed           -> progress 0, score 40, started
       l4 (deleted) nothing             -> progress 0, no score
       l7 (Ops) k1 70 completed; ce (coach only) nothing; l8 waiting list: none of them ge's learners
  s2 Paris Deep Dive    gp  2026-03-01 -> 2026-04-01  l2 completed 100 (verified); l1 unassigned
  s7 =Winter Gap        ge  2026-01-10 -> 2026-02-01  nobody, no block (ends exactly at 1 Feb 00:00 UTC)
  s3 Global, via group  g0  2025-09-01 -> 2025-10-15  l1 registered through group ge (reached only through the
                                                      enrollment's group_id), nothing; l5 assigned
  s5 Edge Inside        gp  2025-05-01 -> 2025-06-15 13:00  l2 started, score 60, not completed (inside the edge)
  s4 Edge Outside       ge  2025-04-01 -> 2025-06-15 12:00  l1 completed, no score (ends exactly on the edge: out)
  s8 Ops Basics         go  2026-02-01 -> 2026-05-01  l7 registered, nothing
  s9 North Kickoff      gn  2026-04-01 -> 2026-06-01  l5 completed, score 85
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)

_PEOPLE = [  # user_id, first, last, deleted_at
    ("ad", "Ada", "Admin", ""), ("cs", "Sam", "Sales", ""), ("ce", "Cora", "Emea", ""), ("in", "Ivo", "Teach", ""),
    ("l1", "Ann", "Able", ""), ("l2", "Bob", "Baker", ""), ("l3", "Cat", "Coach", ""),
    ("l4", "Dan", "Gone", "2026-05-20T00:00:00Z"), ("l5", "Eve", "North", ""), ("l7", "Gus", "Ops", ""),
    ("l8", "Hal", "Wait", ""),
]


def _users() -> str:
    head = ("user_id,first_name,last_name,email,title,additional_info,registered_at,invited_by,deleted_at,"
            "auto_deletion_at")
    return "\n".join([head] + [f"{u},{f},{last},{u}@ex.com,,,2025-01-01,,{d}," for u, f, last, d in _PEOPLE]) + "\n"


FILES: dict[str, str] = {
    "groups.csv": "group_id,name,parent_id\ng0,Platform,\ngs,Sales,g0\nge,Sales EMEA,gs\ngp,Sales Paris,ge\n"
                  "gn,Sales North America,gs\ngo,Ops,g0\ngz,Empty Team,go\n",
    "users.csv": _users(),
    "memberships.csv": "user_id,group_id,role\nad,g0,admin\ncs,gs,coach\nce,ge,coach\nin,g0,instructor\n"
                       "l1,ge,learner\nl2,gp,learner\nl3,ge,learner\nl3,gp,learner\nl3,gp,coach\nl4,ge,learner\n"
                       "l5,gn,learner\nl7,go,learner\nl8,ge,learner\n",
    "logins.csv": "user_id,at\nl1,2026-06-01T08:00:00Z\n",
    "courses.csv": "course_id,name,author_id,coauthor_ids,status,created_at,updated_at,source_language,"
                   "available_languages,unavailable_languages,tags\ncr1,Basics,ad,,active,2025-01-10,,en,,,\n",
    "activities.csv": "activity_id,course_id,position,title,type,tags\na1,cr1,1,Intro,document,\n",
    "programs.csv": "program_id,name,kind,description\npr1,Academy,program,\n",
    "sessions.csv": "session_id,program_id,name,start_at,end_at,author_id,group_id,expected_duration_min,tags,"
                    "description\n"
                    "s1,pr1,EMEA Catalog,2026-05-01,2026-07-01,ad,ge,,,\n"
                    "s2,pr1,Paris Deep Dive,2026-03-01,2026-04-01,ad,gp,,,\n"
                    's3,pr1,"Global, via group",2025-09-01,2025-10-15,ad,g0,,,\n'
                    "s4,pr1,Edge Outside,2025-04-01,2025-06-15T12:00:00Z,ad,ge,,,\n"
                    "s5,pr1,Edge Inside,2025-05-01,2025-06-15T13:00:00Z,ad,gp,,,\n"
                    "s6,pr1,Future Cohort,2026-06-16,2026-08-01,ad,ge,,,\n"
                    "s7,pr1,=Winter Gap,2026-01-10,2026-02-01,ad,ge,,,\n"
                    "s8,pr1,Ops Basics,2026-02-01,2026-05-01,ad,go,,,\n"
                    "s9,pr1,North Kickoff,2026-04-01,2026-06-01,ad,gn,,,\n",
    "session_instructors.csv": "session_id,user_id\ns1,in\n",
    "blocks.csv": "block_id,session_id,position,kind,title,course_id,due_at,tags,passing_score_pct\n"
                  "k1,s1,1,course,Basics,cr1,,,\nk2,s1,2,assessment,Check,,,,60\nk3,s1,3,classroom,Workshop,,,,\n"
                  "m1,s2,1,course,Basics,cr1,,,\nn1,s3,1,course,Basics,cr1,,,\no1,s4,1,course,Basics,cr1,,,\n"
                  "p1,s5,1,course,Basics,cr1,,,\nq1,s6,1,course,Basics,cr1,,,\nr1,s8,1,course,Basics,cr1,,,\n"
                  "t1,s9,1,course,Basics,cr1,,,\n",
    "classroom_slots.csv": "slot_id,block_id,title,start_at,end_at,duration_hours\n"
                           "sl1,k3,Morning,2026-05-20T09:00:00Z,2026-05-20T12:00:00Z,3\n",
    "slot_attendance.csv": "slot_id,user_id,attendance_pct\nsl1,l1,100\nsl1,l2,50\n",
    "enrollments.csv": "session_id,user_id,status,source,group_id,assigned_at,unassigned_at\n"
                       "s1,l1,registered,assigned,,2026-04-20,\ns1,l2,registered,assigned,,2026-04-20,\n"
                       "s1,l3,registered,assigned,,2026-04-20,\ns1,l4,registered,assigned,,2026-04-20,\n"
                       "s1,l8,waiting_list,catalog,,2026-04-20,\ns1,l7,registered,catalog,,2026-04-20,\n"
                       "s1,ce,registered,assigned,,2026-04-20,\n"
                       "s2,l2,registered,assigned,,2026-02-20,\ns2,l1,registered,assigned,,2026-02-20,2026-03-05\n"
                       "s3,l1,registered,group,ge,2025-08-20,\ns3,l5,registered,assigned,,2025-08-20,\n"
                       "s4,l1,registered,assigned,,2025-03-20,\ns5,l2,registered,assigned,,2025-04-20,\n"
                       "s6,l1,registered,assigned,,2026-06-01,\ns8,l7,registered,assigned,,2026-01-20,\n"
                       "s9,l5,registered,assigned,,2026-03-20,\n",
    "course_attempts.csv": "attempt_id,user_id,course_id,session_id,attempt_no,started_at,last_activity_at,"
                           "completed_at,progress_pct,score_pct,time_spent_s,language\n"
                           "a1,l1,cr1,s1,1,2026-05-02T10:00:00Z,2026-05-02T10:30:00Z,2026-05-02T10:30:00Z,100,80,1800,en\n"
                           "a2,l2,cr1,s1,1,2026-05-03T10:00:00Z,2026-05-03T10:20:00Z,2026-05-03T10:20:00Z,100,90,1200,en\n"
                           "a3,l3,cr1,s1,1,2026-05-04T10:00:00Z,2026-05-04T10:10:00Z,,40,40,600,en\n"
                           "a4,l7,cr1,s1,1,2026-05-05T10:00:00Z,2026-05-05T10:15:00Z,2026-05-05T10:15:00Z,100,70,900,en\n"
                           "a5,l2,cr1,s2,1,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,2026-03-02T11:00:00Z,100,100,3600,en\n"
                           "a6,l1,cr1,s4,1,2025-04-02T10:00:00Z,2025-04-02T10:10:00Z,2025-04-02T10:10:00Z,100,,600,en\n"
                           "a7,l2,cr1,s5,1,2025-05-02T10:00:00Z,2025-05-02T10:05:00Z,,50,60,300,en\n"
                           "a8,l5,cr1,s9,1,2026-04-02T10:00:00Z,2026-04-02T10:12:00Z,2026-04-02T10:12:00Z,100,85,700,en\n",
    "assessment_results.csv": "user_id,block_id,score_pct,passed,submitted_at\n"
                              "l1,k2,70,true,2026-05-10T10:00:00Z\nl2,k2,50,false,2026-05-11T10:00:00Z\n",
}


def write(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
