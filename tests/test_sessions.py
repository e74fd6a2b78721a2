"""Program sessions queries on the hand-made fixture (tests/fixture_bundle.py), SQLite and PostgreSQL.

Session s1 (running; blocks b1 course, b2 assessment pass 60, b3 classroom):
  u3 registered: b1 2nd attempt completed (score 80, 300 s, 2 attempts), b2 70 passed, b3 attended 100%
     -> progress 100, score 75, time 300, started, verified
  u4 registered: b1 not completed (score 40, 200 s), b3 attended 0% -> progress 0, score 40, started
  u5 waiting list (catalog), nothing; u6 registered, deleted, nothing.
Session s2: upcoming, nobody.
"""

from __future__ import annotations

import pytest

from data_access.queries import collaboration
from data_access.queries import sessions as q
from data_access.scope import Scope, scope_for_email
from tests import cli, snapshot
from tests.signing import signed_in_client

OWNER = Scope.owner()


def test_sessions_table_and_status_filter(loaded, now):
    with loaded.connect() as conn:
        rows = q.sessions_table(conn, OWNER, now)
        running = q.sessions_table(conn, OWNER, now, q.IN_PROGRESS)
        finished = q.sessions_table(conn, OWNER, now, q.FINISHED)
        with pytest.raises(ValueError, match="unknown status"):
            q.sessions_table(conn, OWNER, now, "soon")
    assert [(r["session_id"], r["registered"], r["completed"], r["instructors"], r["state"]) for r in rows] == [
        ("s2", 0, 0, 0, "upcoming"), ("s1", 3, 1, 1, "in progress")]  # most recent start first
    assert [r["session_id"] for r in running] == ["s1"]
    assert finished == []
    assert rows[1]["program"] == "Onboarding"


def test_general_section(loaded, now):
    with loaded.connect() as conn:
        g = q.general(conn, OWNER, now, "s1")
    assert (g["registrations"], g["open_registrations"], g["waiting_list"]) == (3, 0, 1)
    assert (g["attendees"], g["completed"], g["certificates"]) == (2, 1, 1)
    assert g["median_time_s"] == 300
    assert g["average_score"] == pytest.approx(57.5)  # mean(75, 40)
    by_block = {b["block_id"]: b for b in g["blocks"]}
    assert by_block["b1"]["completed_pct"] == pytest.approx(100 / 3)  # u3 of 3 registered
    assert by_block["b1"]["score"] == pytest.approx(60)  # mean(80, 40): the most recent attempts
    assert by_block["b2"]["score"] == pytest.approx(70)
    assert by_block["b3"]["score"] is None and by_block["b3"]["completed_pct"] == pytest.approx(100 / 3)
    assert [lv["learners"] for lv in g["levels"]] == [0, 0, 1, 1, 0]  # 40 -> 40-60, 75 -> 60-80


def test_empty_future_session_has_no_numbers_and_no_crash(loaded, now):
    with loaded.connect() as conn:
        g = q.general(conn, OWNER, now, "s2")
        assert q.results_by_group(conn, OWNER, now, "s2") == []
        assert q.individual_page(conn, OWNER, now, "s2") == {"total": 0, "rows": []}
    assert (g["registrations"], g["attendees"], g["completed"], g["certificates"]) == (0, 0, 0, 0)
    assert g["median_time_s"] is None and g["average_score"] is None
    assert g["blocks"] == [] and [lv["learners"] for lv in g["levels"]] == [0] * 5


def test_results_by_group(loaded, now):
    with loaded.connect() as conn:
        rows = q.results_by_group(conn, OWNER, now, "s1")
    assert rows == [{"group_id": "g2", "group": "Sales North", "level": 2, "users": 3,
                     "attendance_pct": pytest.approx(200 / 3), "progress": pytest.approx(50.0),
                     "score": pytest.approx(57.5)}]


def _groups_bundle(folder):
    """The fixture with u3 also in Ops (g3), u4 in g2 as learner and coach (one user, counted once) and in Sales
    (g1), and u5 registered instead of waiting (Ops only: a user coach Cora, of g1, does not see)."""
    from tests import fixture_bundle as fb

    members = fb.FILES["memberships.csv"].replace("u3,g2,learner\n", "u3,g2,learner\nu3,g3,learner\n").replace(
        "u4,g2,learner\n", "u4,g2,learner\nu4,g2,coach\nu4,g1,learner\n")
    return fb.write(folder, {"memberships.csv": members, **fb.replace_line(
        "enrollments.csv", "s1,u5,waiting_list,catalog", "s1,u5,registered,catalog")})


def _by_group(page):
    return [(r["group_id"], r["users"], r["attendance_pct"], r["progress"], r["score"]) for r in page["rows"]]


def test_results_by_group_for_each_viewer_paged_and_sorted(engine, tmp_path, now):
    """s1's registered users: u3 (started, progress 100, score 75), u4 (started, progress 0, score 40), u5 and u6
    (not started). Ops (level 1) = u3, u5; Sales (1) = u4; Sales North (2) = u3, u4, u6."""
    snapshot.import_bundle(engine, _groups_bundle(tmp_path / "groups"))
    approx = pytest.approx
    owner_rows = [("g3", 2, approx(50.0), approx(100.0), approx(75.0)), ("g1", 1, approx(100.0), approx(0.0),
                   approx(40.0)), ("g2", 3, approx(200 / 3), approx(50.0), approx(57.5))]
    with engine.connect() as conn:
        owner = q.results_by_group_page(conn, OWNER, now, "s1")
        instructor = q.results_by_group_page(conn, scope_for_email(conn, "ivo@example.com"), now, "s1")
        coach = q.results_by_group_page(conn, scope_for_email(conn, "cora@example.com"), now, "s1")
        by_users = q.results_by_group_page(conn, OWNER, now, "s1", sort_model=[{"colId": "users", "sort": "desc"}],
                                           start=1, end=2)
        sales = q.results_by_group_page(conn, OWNER, now, "s1", filter_model={
            "group": {"filterType": "text", "type": "contains", "filter": "sales"}},
            sort_model=[{"colId": "score", "sort": "asc"}])
        no_score = q.results_by_group_page(conn, OWNER, now, "s1", filter_model={
            "attendance": {"filterType": "number", "type": "lessThan", "filter": 60}})
        named = q.group_of_session(conn, OWNER, now, "s1", "g3")
        with pytest.raises(LookupError):
            q.group_of_session(conn, scope_for_email(conn, "cora@example.com"), now, "s1", "g0")  # no member in s1
    assert owner["total"] == 3 and _by_group(owner) == owner_rows
    assert [r["group"] for r in owner["rows"]] == ["Ops", "Sales", "Sales North"]
    assert [r["level"] for r in owner["rows"]] == [1, 1, 2]
    assert instructor == owner  # an instructor of s1 sees every user of it
    # Cora sees u3, u4 and u6 (members of g1's subtree), not u5: Ops counts u3 alone
    assert _by_group(coach) == [("g3", 1, approx(100.0), approx(100.0), approx(75.0)), *owner_rows[1:]]
    assert by_users["total"] == 3 and _by_group(by_users) == [owner_rows[0]]  # 3, 2, 1 users: the second
    assert sales["total"] == 2 and [r["group_id"] for r in sales["rows"]] == ["g1", "g2"]  # 40 < 57.5
    assert [r["group_id"] for r in no_score["rows"]] == ["g3"]
    assert named == "Ops"


def test_individual_results_and_learner_detail(loaded, now):
    with loaded.connect() as conn:
        page = q.individual_page(conn, OWNER, now, "s1")
        by_score = q.individual_page(conn, OWNER, now, "s1", sort_model=[{"colId": "score", "sort": "desc"}])
        band = q.individual_page(conn, OWNER, now, "s1", band=3)
        group = q.individual_page(conn, OWNER, now, "s1", group_id="g2")
        detail = q.learner_blocks(conn, OWNER, now, "s1", "u3")
        detail4 = q.learner_blocks(conn, OWNER, now, "s1", "u4")
        with pytest.raises(LookupError):
            q.learner_blocks(conn, OWNER, now, "s1", "u1")
    assert page["total"] == 4
    assert [(r["user_id"], r["registered"], r["progress"], r["score"], r["time_spent_s"]) for r in page["rows"]] == [
        ("u6", True, 0.0, None, 0), ("u3", True, 100.0, 75.0, 300), ("u4", True, 0.0, 40.0, 200),
        ("u5", False, 0.0, None, 0)]  # by last name: Gone, Learner (Lea, Leo), Never
    assert [r["user_id"] for r in by_score["rows"]] == ["u3", "u4", "u6", "u5"]
    assert [r["user_id"] for r in band["rows"]] == ["u3"]
    assert [r["user_id"] for r in group["rows"]] == ["u6", "u3", "u4"]
    assert (detail["first_name"], detail["last_name"]) == ("Lea", "Learner")
    assert [(d["block_id"], d["status"], d["score"], d["time_spent_s"], d["attempts"]) for d in detail["blocks"]] == [
        ("b1", "Completed", 80.0, 300, 2), ("b2", "Completed", 70.0, None, 1), ("b3", "Completed", None, None, 1)]
    assert [(d["block_id"], d["status"]) for d in detail4["blocks"]] == [
        ("b1", "In progress"), ("b2", "Not started"), ("b3", "Not started")]


def test_coach_sees_their_groups_learners(loaded, now):
    with loaded.connect() as conn:
        coach = scope_for_email(conn, "cora@example.com")  # coach of g1 (Sales): s1 is a g1 session
        assert [r["session_id"] for r in q.sessions_table(conn, coach, now)] == ["s1"]
        assert q.general(conn, coach, now, "s1")["registrations"] == 3
        with pytest.raises(LookupError):
            q.general(conn, coach, now, "s2")  # a g3 (Ops) session


def test_detailed_results_of_one_block(loaded, now):
    with loaded.connect() as conn:
        b1 = q.block_detail_page(conn, OWNER, now, "s1", "b1")
        b2 = q.block_detail_page(conn, OWNER, now, "s1", "b2", filter_model={
            "status": {"filterType": "text", "type": "equals", "filter": "completed"}})
        with pytest.raises(LookupError):
            q.block_detail_page(conn, OWNER, now, "s1", "nope")
    assert [(r["user_id"], r["status"], r["score"], r["time_spent_s"], r["attempts"]) for r in b1["rows"]] == [
        ("u6", "Not started", None, None, 0), ("u3", "Completed", 80.0, 300, 2),
        ("u4", "In progress", 40.0, 200, 1), ("u5", "Not started", None, None, 0)]
    assert [r["user_id"] for r in b2["rows"]] == ["u3"] and b2["total"] == 1


SESSION_S1 = (
    "\ufeffLast name,First name,Email,Location,Additional information,Managers,Deleted user,Session,Session ID,"
    "Author,Program template,Program template ID,Instructors,Registered user,Score,Progress,Start,End,"
    "Verified program,Total time spent (s),Expected duration (min),Tags,Additional program information,"
    "Additional session information,Ops,Platform,Sales,Sales North,Block title 1,Block score 1,Block time 1 (s),"
    "Block title 2,Block score 2,Block time 2 (s),Classroom Block Title 1,Classroom Slot Title 1,"
    "Classroom Slot Attendance 1,Classroom Slot Duration 1,Classroom Slot Start Date 1,Classroom Slot End Date 1\r\n"
    "Gone,Del,del@example.com,,,,2026/05/10 00:00,Onboarding June,s1,ada@example.com,Onboarding,p1,"
    'ivo@example.com,x,,0,,,,0,120,"new, june",Welcome program,,,,,x,Safety Basics,,,Check,,,Workshop,Morning,,3,'
    "2026/06/08 09:00,2026/06/08 12:00\r\n"
    "Learner,Lea,lea@example.com,Paris,Part-time,cora@example.com,,Onboarding June,s1,ada@example.com,Onboarding,"
    'p1,ivo@example.com,x,75,100,2026/06/02 10:00,2026/06/04 10:05,x,300,120,"new, june",Welcome program,,,,,x,'
    "Safety Basics,80,300,Check,70,,Workshop,Morning,100,3,2026/06/08 09:00,2026/06/08 12:00\r\n"
    "Learner,Leo,LEO@example.com,Berlin,,cora@example.com,,Onboarding June,s1,ada@example.com,Onboarding,p1,"
    'ivo@example.com,x,40,0,2026/06/03 10:00,2026/06/03 10:04,,200,120,"new, june",Welcome program,,,,,x,'
    "Safety Basics,40,200,Check,,,Workshop,Morning,0,3,2026/06/08 09:00,2026/06/08 12:00\r\n"
    "Never,Mia,mia@example.com,,,,,Onboarding June,s1,ada@example.com,Onboarding,p1,ivo@example.com,,,0,,,,0,120,"
    '"new, june",Welcome program,,x,,,,Safety Basics,,,Check,,,Workshop,Morning,,3,2026/06/08 09:00,'
    "2026/06/08 12:00\r\n"
)


def test_session_csv(loaded, now):
    """Every column of metrics.md in order: u3 verified with the most recent attempt's score and time, u4's
    attended-0% slot, the deleted u6 with its date, the waiting-list u5 not registered; only blocks up to
    the highest one anybody started (b1, b2), then the classroom slot."""
    from data_access.exports.session_csv import program_sessions, session_csv
    from data_access.exports.sessions import sessions

    with loaded.connect() as conn:
        assert "".join(session_csv(conn, OWNER, now, "UTC", ["s1"])) == SESSION_S1
        empty = "".join(session_csv(conn, OWNER, now, "UTC", ["s2"]))
        assert empty.count("\r\n") == 1 and empty.rstrip().endswith("Ops,Platform,Sales,Sales North")
        assert program_sessions(conn, OWNER, "p1") == ["s1", "s2"]
        coach = scope_for_email(conn, "cora@example.com")
        coach_csv = "".join(session_csv(conn, coach, now, "UTC", ["s1"]))
        assert coach_csv.splitlines()[0].count(",Sales,Sales North,") == 1  # only the groups they coach
        assert ",Ops," not in coach_csv.splitlines()[0] and ",Platform," not in coach_csv.splitlines()[0]
        assert "".join(sessions(conn, OWNER, now, "UTC", "all")) == (
            "\ufeffSESSION ID,Name,Start,End,Registered,Completion,Instructors\r\n"
            "s2,Onboarding September,2026/09/01 00:00,2026/10/01 00:00,0,0,0\r\n"
            "s1,Onboarding June,2026/06/01 00:00,2026/07/01 00:00,3,1,1\r\n")


def test_failed_assessment_and_partial_attendance(engine, tmp_path):
    from tests import participants_bundle as pb

    snapshot.import_bundle(engine, pb.write(tmp_path / "cohort"))
    with engine.connect() as conn:
        k2 = {r["user_id"]: r for r in q.block_detail_page(conn, OWNER, pb.NOW, "c1", "k2", end=50)["rows"]}
        k3 = {r["user_id"]: r for r in q.block_detail_page(conn, OWNER, pb.NOW, "c1", "k3", end=50)["rows"]}
        people = {r["user_id"]: r for r in q.individual_page(conn, OWNER, pb.NOW, "c1", end=50)["rows"]}
    assert (k2["p04"]["status"], k2["p04"]["score"]) == ("Failed", 40.0)  # below the pass mark of 60
    assert (k2["p00"]["status"], k2["p00"]["score"]) == ("Completed", 80.0)
    assert [k3[u]["status"] for u in ("p00", "p03", "p08")] == ["Completed", "Completed", "Not started"]  # 100/50/0
    assert people["pun"]["unassigned"] is True and people["pun"]["registered"] is False  # shown greyed
    assert people["pwl"]["unassigned"] is False and people["pwl"]["waiting_list"] is True
    assert people["p00"]["progress"] == pytest.approx(60.0)  # k1, k2, k3 of 5 blocks


def test_downloads_stream_the_cli_bytes(tmp_path, now):
    from dashboard.core.settings import Settings
    from dashboard.factory import create_app
    from data_access.importer import import_bundle
    from tests import fixture_bundle

    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    app = create_app(Settings.from_env(env={}, database_url=url, now_override=now, seed_demo_on_empty=False,
                                       data_dir=tmp_path))
    import_bundle(app.server.extensions["learnpulse"].engine, fixture_bundle.write(tmp_path / "b"))
    client = signed_in_client(app)
    for report, query, args in (
            ("session", "session=s1", ["--session", "s1"]),
            ("sessions", "status=in-progress", ["--status", "in-progress"]),
            ("program", "program=p1", ["--program", "p1"]),
            ("session-collab", "", [])):
        response = client.get(f"/download/{report}.csv?{query}")
        assert response.status_code == 200, response.data
        assert response.is_streamed
        out = tmp_path / f"{report}.csv"
        done = cli.run(["export", report, *args, "--now", now.isoformat(),
                               "-o", str(out)], env={"DATABASE_URL": url, "PATH": ""}, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert out.read_bytes() == response.data, report
    assert client.get("/download/session.csv?session=s1").data.decode("utf-8") == SESSION_S1
    assert client.get("/download/session-collab.csv").data.decode("utf-8") == (
        "\ufeffName,Start,End,Publications,Comments,Reactions,Program template ID\r\n"
        "Onboarding September,2026/09/01 00:00,2026/10/01 00:00,0,0,0,p1\r\n"
        "Onboarding June,2026/06/01 00:00,2026/07/01 00:00,1,2,1,p1\r\n")
    assert client.get("/download/program.csv?program=nope").status_code == 404
    assert client.get("/download/sessions.csv?status=soon").status_code == 400


def test_collaboration_per_session_and_program_overview(loaded, now):
    with loaded.connect() as conn:
        collab = {r["session_id"]: r for r in collaboration.sessions_rows(conn, OWNER, now)}
        program = q.program_overview(conn, OWNER, now, "p1")
        with pytest.raises(LookupError):
            q.program_overview(conn, OWNER, now, "nope")
    # s1: po1 (top-level, session s1) = 1 publication; comments = po2 (reply in s1) + po3 (forum of c1);
    # reactions on activities of c1 = u3's like on a1 (u4's like is on a post)
    assert (collab["s1"]["publications"], collab["s1"]["comments"], collab["s1"]["reactions"]) == (1, 2, 1)
    assert (collab["s2"]["publications"], collab["s2"]["comments"], collab["s2"]["reactions"]) == (0, 0, 0)
    assert [s["session_id"] for s in program["sessions"]] == ["s2", "s1"]
    assert (program["registrations"], program["attendees"], program["completed"]) == (3, 2, 1)
    assert program["average_score"] == pytest.approx(57.5)


def test_verified_needs_every_pass_mark_and_catalog_counts_as_open(engine, tmp_path, now):
    """u3 completes every block but fails the assessment (50 < 60): progress 100, not verified; u4 registered
    from the catalog is an open registration."""
    from data_access.exports.session_csv import session_csv
    from tests import fixture_bundle as fb

    overrides = {**fb.replace_line("assessment_results.csv", "u3,b2,70,true", "u3,b2,50,false"),
                 **fb.replace_line("enrollments.csv", "s1,u4,registered,assigned", "s1,u4,registered,catalog")}
    snapshot.import_bundle(engine, fb.write(tmp_path / "b", overrides))
    with engine.connect() as conn:
        g = q.general(conn, OWNER, now, "s1")
        people = {r["user_id"]: r for r in q.individual_page(conn, OWNER, now, "s1")["rows"]}
        lines = "".join(session_csv(conn, OWNER, now, "UTC", ["s1"])).splitlines()
    assert g["open_registrations"] == 1 and g["completed"] == 1
    assert people["u3"]["progress"] == 100.0 and people["u3"]["score"] == pytest.approx(65.0)  # mean(80, 50)
    header = lines[0].lstrip("\ufeff").split(",")
    lea = next(line for line in lines if line.startswith("Learner,Lea"))
    assert lea.split(",")[header.index("Verified program")] == ""
    assert lea.split(",")[header.index("Progress")] == "100"
