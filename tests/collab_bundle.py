# ruff: noqa: E501 - bundle headers are CSV lines as the files hold them
"""A platform where every rule of metrics.md "Collaborative activity" makes a difference (now = 2026-06-15 12:00 UTC).

Groups: g0 Platform > ga Alpha > ga1 Alpha One; g0 > gb Beta.
People (role in group):
  own  Olga Owner   admin g0 (the platform owner)
  adm  Ana Admin    admin ga
  cch  Carl Coach   coach gb              posts and reacts, but is no learner: not in the Groups tab
  aut  Ari Author   author g0 and ga1     main author of c1 and c3 (lowest-level group: Alpha One)
  aut2 Bea Writer   author gb             main author of c2, co-author of c1
  l1   Lia Lund     learner ga1
  l2   Max Moss     learner ga1, admin gb (a learner who is also an admin of another group)
  l3   Noa Nash     learner gb
  l4   Del Gone     learner ga1, deleted  (history: counts in groups and courses, not listed as a user)
  l5   =Eve Vance   learner gb            (a name and additional information a spreadsheet would run)
Courses: c1 Safety (active; a1 Intro doc document, a2 Quiz question, a3 Cheat sheet cheat_sheet),
c2 Old Sales (archived; a4 Pitch question), c3 Gone (deleted; a5 Legacy doc document).

posts                                                              counts as
  p1  l1  group ga1   top                                          publication of l1
  p2  l2  group ga1   reply to p1                                  comment of l2 (a reply in Messages)
  p3  l3  session s2  top                                          publication of l3
  p4  l1  session s2  reply to p3, archived                        comment of l1
  p5  l3  profile l3  top, archived                                publication of l3
  p6  l2  course c1   top on a2                                    comment of l2; a2 comment
  p7  l1  course c1   reply to p6 on a2, archived                  comment of l1; a2 comment
  p8  l3  course c2   top on a4 (archived course)                  comment of l3
  p9  l4  course c3   top on a5 (deleted course, deleted user)     comment of l4
  p10 l1  learning_need need-1  top                                comment of l1
  p11 l3  project proj-1        top                                comment of l3
  p12 cch group gb    top                                          publication of cch
  p13 l2  course c1   top, on no activity                          comment of l2; c1's forum, no activity's
  p14 l5  group gb    top                                          publication of l5
reactions: l1 like a1 (twice), have_a_question a2, didnt_get_it a3; l2 learned_something a1, useful a3,
useful on post p1 (not a like: not counted); l3 outdated a2, irrelevant a3, like on post p1, like a4,
didnt_get_it a4; l4 like a5; cch like a1.
views: a1 by l1 twice and l2; a2 by l3; a3 by l1; a4 by l3.  downloads: a1 by l1 and l2; a3 by l1; a2 (a question)
by l2, which is not a download that counts.
Course attempts (course views): c1 l1 twice + l2; c2 l3; c3 l1 (outside any program).
Sessions: s1 (group ga) has a block on c1; s2 (group gb) a block on c2.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)

FILES: dict[str, str] = {
    "groups.csv": """group_id,name,parent_id
g0,Platform,
ga,Alpha,g0
ga1,Alpha One,ga
gb,Beta,g0
""",
    "users.csv": """user_id,first_name,last_name,email,title,additional_info,registered_at,invited_by,deleted_at,auto_deletion_at
own,Olga,Owner,own@ex.com,,,2025-01-01,,,
adm,Ana,Admin,adm@ex.com,,,2025-01-01,,,
cch,Carl,Coach,cch@ex.com,,,2025-01-01,,,
aut,Ari,Author,aut@ex.com,,,2025-01-01,,,
aut2,Bea,Writer,aut2@ex.com,,Freelance,2025-01-01,,,
l1,Lia,Lund,l1@ex.com,,Part-time,2025-01-01,,,
l2,Max,Moss,l2@ex.com,,,2025-01-01,,,
l3,Noa,Nash,l3@ex.com,,,2025-01-01,,,
l4,Del,Gone,l4@ex.com,,,2025-01-01,,2026-05-01,
l5,=Eve,Vance,l5@ex.com,,+33 6 12 34 56 78,2025-01-01,,,
""",
    "memberships.csv": """user_id,group_id,role
own,g0,admin
adm,ga,admin
cch,gb,coach
aut,g0,author
aut,ga1,author
aut2,gb,author
l1,ga1,learner
l2,ga1,learner
l2,gb,admin
l3,gb,learner
l4,ga1,learner
l5,gb,learner
""",
    "logins.csv": "user_id,at\nl1,2026-06-14T09:00:00Z\n",
    "courses.csv": """course_id,name,author_id,coauthor_ids,status,created_at,updated_at,source_language,available_languages,unavailable_languages,tags
c1,Safety,aut,aut2,active,2025-01-10T08:00:00Z,2025-03-01T10:30:00Z,en,fr|de,es,safety|basics
c2,Old Sales,aut2,,archived,2025-02-01,,en,,,sales
c3,Gone,aut,,deleted,2024-12-01,2025-01-01,,,,
""",
    "activities.csv": """activity_id,course_id,position,title,type,tags
a1,c1,1,Intro doc,document,
a2,c1,2,Quiz,question,safety|fire
a3,c1,3,Cheat sheet,cheat_sheet,
a4,c2,1,Pitch,question,sales
a5,c3,1,Legacy doc,document,
""",
    "programs.csv": "program_id,name,kind,description\np1,Academy,program,\n",
    "sessions.csv": """session_id,program_id,name,start_at,end_at,author_id,group_id,expected_duration_min,tags,description
s1,p1,Academy Alpha,2026-06-01,2026-07-01,adm,ga,,,
s2,p1,Academy Beta,2026-05-01,2026-06-30,adm,gb,,,
""",
    "blocks.csv": """block_id,session_id,position,kind,title,course_id,due_at,tags,passing_score_pct
k1,s1,1,course,Safety,c1,,,
k2,s2,1,course,Old Sales,c2,,,
""",
    "enrollments.csv": """session_id,user_id,status,source,group_id,assigned_at,unassigned_at
s1,l1,registered,assigned,,2026-05-20,
s1,l2,registered,assigned,,2026-05-20,
s2,l3,registered,assigned,,2026-04-20,
""",
    "course_attempts.csv": """attempt_id,user_id,course_id,session_id,attempt_no,started_at,last_activity_at,completed_at,progress_pct,score_pct,time_spent_s,language
t1,l1,c1,s1,1,2026-06-02T10:00:00Z,2026-06-02T10:10:00Z,,50,,600,en
t2,l1,c1,s1,2,2026-06-03T10:00:00Z,2026-06-03T10:10:00Z,2026-06-03T10:10:00Z,100,,600,en
t3,l2,c1,s1,1,2026-06-02T11:00:00Z,2026-06-02T11:10:00Z,,30,,300,en
t4,l3,c2,s2,1,2026-05-03T10:00:00Z,2026-05-03T10:10:00Z,,30,,300,en
t5,l1,c3,,1,2026-01-03T10:00:00Z,2026-01-03T10:10:00Z,,30,,300,en
""",
    "posts.csv": """post_id,user_id,created_at,space,context_id,parent_id,activity_id,archived
p1,l1,2026-06-01T09:00:00Z,group,ga1,,,false
p2,l2,2026-06-01T10:00:00Z,group,ga1,p1,,false
p3,l3,2026-06-02T09:00:00Z,session,s2,,,false
p4,l1,2026-06-02T10:00:00Z,session,s2,p3,,true
p5,l3,2026-06-03T09:00:00Z,profile,l3,,,true
p6,l2,2026-06-04T09:00:00Z,course,c1,,a2,false
p7,l1,2026-06-04T10:00:00Z,course,c1,p6,a2,true
p8,l3,2026-06-05T09:00:00Z,course,c2,,a4,false
p9,l4,2026-04-05T09:00:00Z,course,c3,,a5,false
p10,l1,2026-06-06T09:00:00Z,learning_need,need-1,,,false
p11,l3,2026-06-06T10:00:00Z,project,proj-1,,,false
p12,cch,2026-06-07T09:00:00Z,group,gb,,,false
p13,l2,2026-06-07T10:00:00Z,course,c1,,,false
p14,l5,2026-06-08T09:00:00Z,group,gb,,,false
""",
    "reactions.csv": """user_id,created_at,kind,activity_id,post_id
l1,2026-06-02T10:05:00Z,like,a1,
l1,2026-06-03T10:05:00Z,like,a1,
l1,2026-06-02T10:06:00Z,have_a_question,a2,
l1,2026-06-02T10:07:00Z,didnt_get_it,a3,
l2,2026-06-02T11:05:00Z,learned_something,a1,
l2,2026-06-02T11:06:00Z,useful,a3,
l2,2026-06-02T11:07:00Z,useful,,p1
l3,2026-06-03T09:05:00Z,outdated,a2,
l3,2026-06-03T09:06:00Z,irrelevant,a3,
l3,2026-06-03T09:07:00Z,like,,p1
l3,2026-05-03T10:05:00Z,like,a4,
l3,2026-05-03T10:06:00Z,didnt_get_it,a4,
l4,2026-04-05T09:05:00Z,like,a5,
cch,2026-06-07T09:05:00Z,like,a1,
""",
    "activity_views.csv": """user_id,activity_id,started_at
l1,a1,2026-06-02T10:01:00Z
l1,a1,2026-06-03T10:01:00Z
l2,a1,2026-06-02T11:01:00Z
l3,a2,2026-06-03T09:01:00Z
l1,a3,2026-06-02T10:02:00Z
l3,a4,2026-05-03T10:01:00Z
""",
    "downloads.csv": """user_id,activity_id,at
l1,a1,2026-06-02T10:03:00Z
l2,a1,2026-06-02T11:03:00Z
l1,a3,2026-06-02T10:04:00Z
l2,a2,2026-06-02T11:04:00Z
""",
}


def write(folder: Path, overrides: dict[str, str | None] | None = None) -> Path:
    """Write the bundle; overrides replace a file's text (None removes the file)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {**FILES, **(overrides or {})}
    for name, text in files.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder
