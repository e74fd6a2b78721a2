"""Collaborative activity CSVs on tests/collab_bundle.py: every column by hand, scopes, the formula guard, and the
download route streaming exactly the bytes of `learnpulse export` (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from data_access.exports import collaboration as x
from data_access.importer import import_bundle
from data_access.scope import Scope, scope_for_email
from tests import cli, snapshot
from tests import collab_bundle as cb
from tests.signing import signed_in_client

OWNER = Scope.owner()
NOW = cb.NOW

USERS_CSV = (
    "\ufeffFirst name,Last name,Email,Additional information,Publications,Comments,Reactions\r\n"
    "Ana,Admin,adm@ex.com,,0,0,0\r\n"
    "Ari,Author,aut@ex.com,,0,0,0\r\n"
    "Carl,Coach,cch@ex.com,,1,0,1\r\n"
    "Lia,Lund,l1@ex.com,Part-time,1,3,4\r\n"
    "Max,Moss,l2@ex.com,,0,3,2\r\n"
    "Noa,Nash,l3@ex.com,,2,2,5\r\n"
    "Olga,Owner,own@ex.com,,0,0,0\r\n"
    "'=Eve,Vance,l5@ex.com,'+33 6 12 34 56 78,1,0,0\r\n"  # the formula guard
    "Bea,Writer,aut2@ex.com,Freelance,0,0,0\r\n")
GROUPS_CSV = ("\ufeffName,Publications,Comments,Reactions\r\n"
              "Alpha,1,7,7\r\nAlpha One,1,7,7\r\nBeta,3,2,5\r\nPlatform,4,9,12\r\n")
ACTIVITIES_C1 = ("\ufeffTitle,Views,Likes,Learned something,Outdated,Have a question,Comments,Downloads,Type\r\n"
                 "Intro doc,3,3,1,0,0,0,2,Document\r\n"
                 "Quiz,1,0,0,1,1,2,0,Question\r\n"
                 "Cheat sheet,1,0,0,0,0,0,1,Cheat Sheet\r\n")
COURSES_CSV = (
    "\ufeffCourse Name,Course ID,Author,Co-authors,Views,Status,Creation date,Last update,Reaction Score,Likes,"
    "Learned something,Outdated,Have a question,Useful,Irrelevant,Documents,Cheat sheets,Questions,Source language,"
    "Available translation languages,Unavailable translation languages,Tags,Group\r\n"
    "Gone,c3,Ari Author,,1,Deleted,2024-12-01T00:00:00Z,2025-01-01T00:00:00Z,100,1,0,0,0,0,0,1,0,0,,,,,Alpha One\r\n"
    "Old Sales,c2,Bea Writer,,1,Archived,2025-02-01T00:00:00Z,,50,1,0,0,0,0,0,0,0,1,en,,,sales,Beta\r\n"
    "Safety,c1,Ari Author,Bea Writer,3,Active,2025-01-10T08:00:00Z,2025-03-01T10:30:00Z,55.6,3,1,1,1,1,1,1,1,1,en,"
    "fr|de,es,safety|basics|fire,Alpha One\r\n")
COMMENTS_A2 = ("\ufeffFirst name,Last name,Email,Date,Reply,Archived\r\n"
               "Lia,Lund,l1@ex.com,2026/06/04 10:00,x,x\r\n"
               "Max,Moss,l2@ex.com,2026/06/04 09:00,,\r\n")
LIKES_A1 = ("\ufeffFirst name,Last name,Email,Date\r\n"
            "Carl,Coach,cch@ex.com,2026/06/07 09:05\r\nLia,Lund,l1@ex.com,2026/06/03 10:05\r\n"
            "Lia,Lund,l1@ex.com,2026/06/02 10:05\r\n")
SESSIONS_CSV = ("\ufeffName,Start,End,Publications,Comments,Reactions,Program template ID\r\n"
                "Academy Alpha,2026/06/01 00:00,2026/07/01 00:00,0,3,9,p1\r\n"
                "Academy Beta,2026/05/01 00:00,2026/06/30 00:00,1,2,2,p1\r\n")


@pytest.fixture
def collab(engine, tmp_path):
    snapshot.import_bundle(engine, cb.write(tmp_path / "collab"))
    return engine


def _text(chunks) -> str:
    return "".join(chunks)


def test_every_column_of_the_csvs(collab):
    with collab.connect() as conn:
        assert _text(x.collab_users(conn, OWNER, NOW, None)) == USERS_CSV
        assert _text(x.collab_groups(conn, OWNER, NOW)) == GROUPS_CSV
        assert _text(x.course_activities(conn, OWNER, NOW, "c1")) == ACTIVITIES_C1
        assert _text(x.courses(conn, OWNER, NOW)) == COURSES_CSV
        assert _text(x.activity_people(conn, OWNER, NOW, "UTC", "a2", "comments")) == COMMENTS_A2
        assert _text(x.activity_people(conn, OWNER, NOW, "UTC", "a1", "like")) == LIKES_A1
        assert _text(x.session_collab(conn, OWNER, NOW, "UTC")) == SESSIONS_CSV
        beta = _text(x.collab_users(conn, OWNER, NOW, "gb")).splitlines()
        paris = _text(x.activity_people(conn, OWNER, NOW, "Europe/Paris", "a1", "views")).splitlines()
    assert [line.split(",")[1] for line in beta[1:]] == ["Coach", "Moss", "Nash", "Vance", "Writer"]
    assert paris[1:] == ["Lia,Lund,l1@ex.com,2026/06/03 12:01", "Max,Moss,l2@ex.com,2026/06/02 13:01",
                         "Lia,Lund,l1@ex.com,2026/06/02 12:01"]


def test_csvs_follow_the_viewers_scope(collab):
    with collab.connect() as conn:
        adm, aut2 = scope_for_email(conn, "adm@ex.com"), scope_for_email(conn, "aut2@ex.com")
        users = _text(x.collab_users(conn, adm, NOW, None)).splitlines()
        groups = _text(x.collab_groups(conn, adm, NOW)).splitlines()
        courses = _text(x.courses(conn, aut2, NOW)).splitlines()
        with pytest.raises(LookupError):
            x.course_activities(conn, aut2, NOW, "c1")  # co-author only: Scope.author_courses is the main author
        with pytest.raises(LookupError):
            x.collab_users(conn, adm, NOW, "gb")
    assert [line.split(",")[2] for line in users[1:]] == ["adm@ex.com", "aut@ex.com", "l1@ex.com", "l2@ex.com"]
    assert groups[1:] == ["Alpha,1,7,7", "Alpha One,1,7,7"]
    assert [line.split(",")[1] for line in courses[1:]] == ["c2"]


def test_download_route_streams_the_cli_bytes(tmp_path):
    from dashboard.core.settings import Settings
    from dashboard.factory import create_app

    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    app = create_app(Settings.from_env(env={}, database_url=url, now_override=NOW, seed_demo_on_empty=False,
                                       data_dir=tmp_path))
    import_bundle(app.server.extensions["learnpulse"].engine, cb.write(tmp_path / "b"))
    client = signed_in_client(app)
    expected = {"collab-users": USERS_CSV, "collab-groups": GROUPS_CSV, "course-activities": ACTIVITIES_C1,
                "courses": COURSES_CSV, "activity-users": COMMENTS_A2, "session-collab": SESSIONS_CSV}
    for report, query, args in (
            ("collab-users", "", []), ("collab-users", "group=gb", ["--group", "gb"]), ("collab-groups", "", []),
            ("course-activities", "course=c1", ["--course", "c1"]), ("courses", "", []),
            ("activity-users", "activity=a2&action=comments", ["--activity", "a2", "--action", "comments"]),
            ("session-collab", "", [])):
        response = client.get(f"/download/{report}.csv?{query}")
        assert response.status_code == 200, response.data
        assert response.is_streamed
        out = tmp_path / f"{report}.csv"
        done = cli.run(["export", report, *args, "--now", NOW.isoformat(),
                               "-o", str(out)], env={"DATABASE_URL": url, "PATH": ""}, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert out.read_bytes() == response.data, report
        if not query or report != "collab-users":
            assert response.data.decode("utf-8") == expected[report], report
    assert client.get("/download/course-activities.csv?course=c1").headers["Content-Disposition"] == (
        'attachment; filename="course-activities-c1.csv"')
    assert client.get("/download/course-activities.csv?course=nope").status_code == 404
    assert client.get("/download/collab-users.csv?group=nope").status_code == 404
    assert client.get("/download/activity-users.csv?activity=nope&action=views").status_code == 404
    assert client.get("/download/course-activities.csv").status_code == 400
    assert client.get("/download/activity-users.csv?activity=a1&action=shares").status_code == 400
    # a viewer who may not see a course gets the missing-course answer on the command line too
    done = cli.run(["export", "course-activities", "--course", "c1",
                           "--as", "aut2@ex.com"], env={"DATABASE_URL": url, "PATH": ""}, capture_output=True,
                          text=True)
    assert done.returncode == 2 and "no course 'c1' visible to this user" in done.stderr
