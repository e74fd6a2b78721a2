"""A small platform where every rule of metrics.md "Users" matters (now = 2026-06-15 12:00 UTC; the public
statistics' 90-day window starts at 2026-03-17 12:00 UTC, inclusive).

Groups: g0 Platform > ga Team A > ga1 Team A1; g0 > gb Team B.
People:
  own  Olga Owner   admin of g0 (a platform owner)
  adm  Adam Admin   admin of ga; main author of cr3 (archived)
  coa  Cora Coach   coach of gb; manages u1 and u3
  aut  Aria Author  author in g0; main author of cr1, cr2 (active) and cr4 (archived)
  u1   Lea Learner  learner in ga1, manages u2 and the deleted u4 (direct report = 1): the busy one below
  u2   =Max Formula learner in ga, title "-Ops" (formula guard), one attempt without a score
  u3   Nia Nobody   learner in gb, nothing at all (every mean empty)
  u4   Del Deleted  learner in ga, deleted 2026-06-01, one attempt (500 s)
  u5   Sam Solo     no group (only the owner, and Sam, see Sam)

u1's attempts (course, session, no, started, score, time, language):
  t1 cr1 s1 #1 05-01 10:00  40  600 en (not completed)    t2 cr1 s1 #2 05-20 10:00  80  900 fr (completed)
  t3 cr2 s2 #1 06-10 09:00  70  300 de (completed)        t4 cr1 -  #1 03-17 11:50 100  200 en (completed 11:59:59)
  t6 cr2 -  #1 03-17 12:00  60  100 en (completed 12:10)
  -> time spent 2100, last activity 06-10 09:20; most recent per (course, session): t2, t3, t4, t6 -> total
     time 1500; assessments k2 50 (05-21), p2 90 (06-11); Avg score = mean(80, 70, 100, 60, 50, 90) = 75
  -> s1 (program) 3 of 3 blocks done (k2 failed: still done), s2 (path) 2 of 2: 1 of 1 program and path
u1's answers: q1 100 (05-20), q1 50 (05-01), q2 60 (05-20), q2 empty (06-12), q3 80 (06-10): 5 answered,
  average 72.5. Tags: q1 core|safety, q2 ethics, k2 safety, p2 leadership, q3 none.
u1's certificates: ce3 expires exactly now (Expired), ce1 exactly now + 30 days (Expiring soon), ce2 one second
  later (Valid, a path: Career Path / Path Spring), ce4 never expires (Valid).
Posts: po1 u1 group 03-01; po2 u2 reply to po1 06-02; po3 u1 reply to po1 06-02; po4 u2 reply to po1 03-17
  11:59:59; po5 u3 reply to po1 03-17 12:00; po7 u1 course cr1 02-01; po8 u2 course cr2 06-05; po9 u3 reply
  to po8 06-06.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)

FILES: dict[str, str] = {
    "groups.csv": "group_id,name,parent_id\ng0,Platform,\nga,Team A,g0\nga1,Team A1,ga\ngb,Team B,g0\n",
    "users.csv": (
        "user_id,first_name,last_name,email,title,additional_info,registered_at,invited_by,deleted_at,"
        "auto_deletion_at\n"
        "own,Olga,Owner,olga@ex.com,Founder,,2025-01-01T08:00:00Z,,,\n"
        "adm,Adam,Admin,adam@ex.com,,,2025-02-01T09:30:00Z,own,,\n"
        "coa,Cora,Coach,cora@ex.com,Coach,,2025-02-02T00:00:00Z,own,,\n"
        "aut,Aria,Author,aria@ex.com,Designer,,2025-02-03T00:00:00Z,own,,\n"
        'u1,Lea,Learner,lea@ex.com,Analyst,"Part-time, remote",2025-03-01T10:15:00Z,adm,,\n'
        "u2,=Max,Formula,max@ex.com,-Ops,,2025-03-02T00:00:00Z,own,,\n"
        "u3,Nia,Nobody,nia@ex.com,,,2025-03-03T00:00:00Z,,,2026-12-31T00:00:00Z\n"
        "u4,Del,Deleted,del@ex.com,,,2025-03-04T00:00:00Z,adm,2026-06-01T00:00:00Z,\n"
        "u5,Sam,Solo,sam@ex.com,,,2025-03-05T00:00:00Z,,,\n"),
    "user_fields.csv": "user_id,field,value\nu1,Location,Paris\nu1,Badge,@home\nu2,Location,Berlin\n",
    "memberships.csv": ("user_id,group_id,role\nown,g0,admin\nadm,ga,admin\ncoa,gb,coach\naut,g0,author\n"
                        "u1,ga1,learner\nu2,ga,learner\nu3,gb,learner\nu4,ga,learner\n"),
    "managers.csv": "user_id,manager_id\nu2,u1\nu4,u1\nu1,coa\nu3,coa\n",
    "logins.csv": "user_id,at\nu1,2026-06-14T08:00:00Z\nu2,2026-06-01T08:00:00Z\n",
    "courses.csv": ("course_id,name,author_id,coauthor_ids,status,created_at,updated_at,source_language,"
                    "available_languages,unavailable_languages,tags\n"
                    "cr1,Safety,aut,,active,2025-01-10,,en,,,\ncr2,Ethics,aut,,active,2025-01-10,,en,,,\n"
                    "cr3,Legacy,adm,,archived,2025-01-10,,en,,,\ncr4,Drafts,aut,,archived,2025-01-10,,en,,,\n"),
    "activities.csv": ("activity_id,course_id,position,title,type,tags\n"
                       "q1,cr1,1,Which exit?,question,safety|core\nq2,cr1,2,Fair or not?,question,ethics\n"
                       "d1,cr1,3,Handbook,document,safety\nq3,cr2,1,Gift policy,question,\n"
                       "a4,cr3,1,Old page,document,\n"),
    "programs.csv": "program_id,name,kind,description\npr1,Academy,program,\npa1,Career Path,path,\n",
    "sessions.csv": ("session_id,program_id,name,start_at,end_at,author_id,group_id,expected_duration_min,tags,"
                     "description\n"
                     "s1,pr1,Academy June,2026-05-01,2026-07-01,adm,ga,,,\n"
                     "s2,pa1,Path Spring,2026-04-01,2026-09-01,adm,ga,,,\n"
                     "s3,pr1,Academy B,2026-05-01,2026-07-01,adm,gb,,,\n"),
    "blocks.csv": ("block_id,session_id,position,kind,title,course_id,due_at,tags,passing_score_pct\n"
                   "k1,s1,1,course,Safety,cr1,,,\nk2,s1,2,assessment,Safety check,,,safety,60\n"
                   "k3,s1,3,classroom,Workshop,,,,\np1,s2,1,course,Ethics,cr2,,,\n"
                   "p2,s2,2,assessment,Leading check,,,leadership,\nm1,s3,1,course,Safety,cr1,,,\n"),
    "classroom_slots.csv": ("slot_id,block_id,title,start_at,end_at,duration_hours\n"
                            "sl1,k3,Morning,2026-05-25T09:00:00Z,2026-05-25T12:00:00Z,3\n"
                            "sl2,k3,Afternoon,2026-05-25T13:00:00Z,2026-05-25T15:00:00Z,2\n"),
    "slot_attendance.csv": "slot_id,user_id,attendance_pct\nsl1,u1,100\nsl2,u1,0\n",
    "enrollments.csv": ("session_id,user_id,status,source,group_id,assigned_at,unassigned_at\n"
                        "s1,u1,registered,assigned,,2026-04-20,\ns2,u1,registered,group,ga,2026-03-20,\n"
                        "s1,u2,registered,assigned,,2026-04-20,\ns3,u2,waiting_list,catalog,,2026-04-20,\n"
                        "s1,u4,registered,assigned,,2026-04-20,\n"),
    "course_attempts.csv": (
        "attempt_id,user_id,course_id,session_id,attempt_no,started_at,last_activity_at,completed_at,progress_pct,"
        "score_pct,time_spent_s,language\n"
        "t1,u1,cr1,s1,1,2026-05-01T10:00:00Z,2026-05-01T10:30:00Z,,50,40,600,en\n"
        "t2,u1,cr1,s1,2,2026-05-20T10:00:00Z,2026-05-20T11:00:00Z,2026-05-20T11:00:00Z,100,80,900,fr\n"
        "t3,u1,cr2,s2,1,2026-06-10T09:00:00Z,2026-06-10T09:20:00Z,2026-06-10T09:20:00Z,100,70,300,de\n"
        "t4,u1,cr1,,1,2026-03-17T11:50:00Z,2026-03-17T11:59:59Z,2026-03-17T11:59:59Z,100,100,200,en\n"
        "t6,u1,cr2,,1,2026-03-17T12:00:00Z,2026-03-17T12:10:00Z,2026-03-17T12:10:00Z,100,60,100,en\n"
        "t5,u2,cr1,s1,1,2026-06-01T10:00:00Z,2026-06-01T10:20:00Z,2026-06-01T10:20:00Z,100,,1000,en\n"
        "t8,u4,cr1,s1,1,2026-05-05T10:00:00Z,2026-05-05T10:10:00Z,,20,30,500,en\n"),
    "assessment_results.csv": ("user_id,block_id,score_pct,passed,submitted_at\n"
                               "u1,k2,50,false,2026-05-21T10:00:00Z\nu1,p2,90,true,2026-06-11T10:00:00Z\n"),
    "answers.csv": ("user_id,activity_id,session_id,score_pct,answered_at\n"
                    "u1,q1,s1,100,2026-05-20T10:05:00Z\nu1,q1,s1,50,2026-05-01T10:05:00Z\n"
                    "u1,q2,s1,60,2026-05-20T10:10:00Z\nu1,q2,s1,,2026-06-12T10:00:00Z\n"
                    "u1,q3,s2,80,2026-06-10T09:10:00Z\n"),
    "certificates.csv": ("certificate_id,user_id,name,session_id,program_id,delivered_at,expires_at\n"
                         "ce1,u1,Safety cert,s1,,2026-05-25T00:00:00Z,2026-07-15T12:00:00Z\n"
                         "ce2,u1,Path cert,s2,pa1,2026-06-12T00:00:00Z,2026-07-15T12:00:01Z\n"
                         "ce3,u1,Old cert,,,2025-01-01T00:00:00Z,2026-06-15T12:00:00Z\n"
                         "ce4,u1,Forever,,,2026-04-01T00:00:00Z,\n"),
    "posts.csv": ("post_id,user_id,created_at,space,context_id,parent_id,activity_id,archived\n"
                  "po1,u1,2026-03-01T10:00:00Z,group,ga,,,false\n"
                  "po2,u2,2026-06-02T10:00:00Z,group,ga,po1,,false\n"
                  "po3,u1,2026-06-02T12:00:00Z,group,ga,po1,,false\n"
                  "po4,u2,2026-03-17T11:59:59Z,group,ga,po1,,false\n"
                  "po5,u3,2026-03-17T12:00:00Z,group,ga,po1,,true\n"
                  "po7,u1,2026-02-01T10:00:00Z,course,cr1,,,false\n"
                  "po8,u2,2026-06-05T10:00:00Z,course,cr2,,q3,false\n"
                  "po9,u3,2026-06-06T10:00:00Z,course,cr2,po8,q3,false\n"),
    "reactions.csv": ("user_id,created_at,kind,activity_id,post_id\n"
                      "u2,2026-06-03T10:00:00Z,like,,po1\nu1,2026-06-03T11:00:00Z,like,,po1\n"
                      "u3,2026-03-10T10:00:00Z,like,,po1\n"
                      "u1,2026-05-01T10:02:00Z,like,q1,\nu2,2026-05-02T10:00:00Z,outdated,q1,\n"
                      "u1,2026-06-10T09:15:00Z,useful,q3,\nu2,2026-03-01T10:00:00Z,irrelevant,q1,\n"),
    "activity_views.csv": ("user_id,activity_id,started_at\n"
                           "u1,q1,2026-05-01T10:01:00Z\nu1,q2,2026-05-20T10:08:00Z\n"
                           "u2,d1,2026-03-17T11:59:59Z\nu1,q3,2026-06-10T09:05:00Z\nu1,a4,2026-06-10T09:30:00Z\n"),
}


def write(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
