"""A small hand-made bundle whose answers are computed by hand in the tests (see each test)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)

FILES: dict[str, str] = {
    "groups.csv": """group_id,name,parent_id
g0,Platform,
g1,Sales,g0
g2,Sales North,g1
g3,Ops,g0
""",
    "users.csv": """user_id,first_name,last_name,email,title,additional_info,registered_at,invited_by,deleted_at,auto_deletion_at
u1,Ada,Admin,ada@example.com,Owner,,2025-01-01,,,
u2,Cora,Coach,cora@example.com,Coach,,2025-01-02,u1,,
u3,Lea,Learner,lea@example.com,,Part-time,2025-02-01T09:00:00Z,u1,,
u4,Leo,Learner,LEO@example.com,,,2025-02-01T09:00:00+02:00,u1,,
u5,Mia,Never,mia@example.com,,,2025-03-01,,,2026-12-31
u6,Del,Gone,del@example.com,,,2025-03-01,u1,2026-05-10T00:00:00Z,
u7,Ivo,Instructor,ivo@example.com,Trainer,,2025-01-03,u1,,
""",
    "user_fields.csv": """user_id,field,value
u3,Location,Paris
u4,Location,Berlin
""",
    "memberships.csv": """user_id,group_id,role
u1,g0,admin
u2,g1,coach
u3,g2,learner
u4,g2,learner
u5,g3,learner
u6,g2,learner
u7,g0,instructor
""",
    "managers.csv": """user_id,manager_id
u3,u2
u4,u2
""",
    "logins.csv": """user_id,at
u3,2026-06-14T12:00:00Z
u3,2026-06-05T12:00:00Z
u4,2026-06-12T11:00:00Z
u6,2026-05-01T00:00:00Z
u2,2026-06-15T08:00:00Z
""",
    "courses.csv": """course_id,name,author_id,coauthor_ids,status,created_at,updated_at,source_language,available_languages,unavailable_languages,tags
c1,Safety Basics,u1,u7,active,2025-01-10,2025-02-10,en,fr|de,,safety
c2,Sales 101,u1,,archived,2025-01-11,,en,,,sales
""",
    "activities.csv": """activity_id,course_id,position,title,type,tags
a1,c1,1,Quiz,question,safety
a2,c1,2,Handbook,document,
a3,c2,1,Pitch quiz,question,sales
""",
    "programs.csv": """program_id,name,kind,description
p1,Onboarding,program,Welcome program
""",
    "sessions.csv": """session_id,program_id,name,start_at,end_at,author_id,group_id,expected_duration_min,tags,description
s1,p1,Onboarding June,2026-06-01,2026-07-01,u1,g1,120,new|june,
s2,p1,Onboarding September,2026-09-01,2026-10-01,u1,g3,120,,
""",
    "session_instructors.csv": """session_id,user_id
s1,u7
""",
    "blocks.csv": """block_id,session_id,position,kind,title,course_id,due_at,tags,passing_score_pct
b1,s1,1,course,Safety Basics,c1,2026-06-05,,
b2,s1,2,assessment,Check,,2026-06-10,safety,60
b3,s1,3,classroom,Workshop,,2026-06-20,,
""",
    "classroom_slots.csv": """slot_id,block_id,title,start_at,end_at,duration_hours
sl1,b3,Morning,2026-06-08T09:00:00Z,2026-06-08T12:00:00Z,3
""",
    "slot_attendance.csv": """slot_id,user_id,attendance_pct
sl1,u3,100
sl1,u4,0
""",
    "enrollments.csv": """session_id,user_id,status,source,group_id,assigned_at,unassigned_at
s1,u3,registered,group,g2,2026-05-20,
s1,u4,registered,assigned,,2026-05-20,
s1,u5,waiting_list,catalog,,2026-05-21,
s1,u6,registered,assigned,,2026-05-20,
""",
    "course_attempts.csv": """attempt_id,user_id,course_id,session_id,attempt_no,started_at,last_activity_at,completed_at,progress_pct,score_pct,time_spent_s,language
t1,u3,c1,s1,1,2026-06-02T10:00:00Z,2026-06-02T10:10:00Z,2026-06-02T10:10:00Z,100,50,600,en
t2,u3,c1,s1,2,2026-06-04T10:00:00Z,2026-06-04T10:05:00Z,2026-06-04T10:05:00Z,100,80,300,en
t3,u4,c1,s1,1,2026-06-03T10:00:00Z,2026-06-03T10:04:00Z,,40,40,200,fr
t4,u3,c2,,1,2026-04-01T10:00:00Z,2026-04-01T10:30:00Z,2026-04-01T10:30:00Z,100,90,1800,en
""",
    "assessment_results.csv": """user_id,block_id,score_pct,passed,submitted_at
u3,b2,70,true,2026-06-09T15:00:00Z
""",
    "answers.csv": """user_id,activity_id,session_id,score_pct,answered_at
u3,a1,s1,100,2026-06-02T10:05:00Z
u3,a1,s1,50,2026-06-04T10:02:00Z
""",
    "certificates.csv": """certificate_id,user_id,name,session_id,program_id,delivered_at,expires_at
ce1,u3,Onboarding certificate,s1,,2026-06-10,2027-06-10
""",
    "posts.csv": """post_id,user_id,created_at,space,context_id,parent_id,activity_id,archived
po1,u3,2026-06-03T09:00:00Z,session,s1,,,false
po2,u4,2026-06-03T10:00:00Z,session,s1,po1,,false
po3,u4,2026-06-04T10:00:00Z,course,c1,,a1,true
""",
    "reactions.csv": """user_id,created_at,kind,activity_id,post_id
u3,2026-06-02T10:06:00Z,like,a1,
u4,2026-06-03T11:00:00Z,like,,po1
""",
    "activity_views.csv": """user_id,activity_id,started_at
u3,a1,2026-06-02T10:01:00Z
u3,a2,2026-06-02T10:03:00Z
""",
    "downloads.csv": """user_id,activity_id,at
u3,a2,2026-06-02T10:04:00Z
""",
}


def write(folder: Path, overrides: dict[str, str | None] | None = None) -> Path:
    """Write the bundle; overrides replace a file's text (None removes the file)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = dict(FILES)
    for name, textv in (overrides or {}).items():
        if textv is None:
            files.pop(name, None)
        else:
            files[name] = textv
    for name, textv in files.items():
        (folder / name).write_text(textv, encoding="utf-8")
    return folder


def replace_line(name: str, old: str, new: str) -> dict[str, str]:
    text = FILES[name]
    assert old in text, (name, old)
    return {name: text.replace(old, new)}
