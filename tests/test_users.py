"""Users queries and CSVs on the hand-made fixture (tests/users_bundle.py, where every expected value is worked
out), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dashboard.core.settings import Settings
from dashboard.factory import create_app
from data_access import schema
from data_access.exports import users as export
from data_access.importer import import_bundle
from data_access.queries import csv_columns
from data_access.queries import users as q
from data_access.queries import users_export as qx
from data_access.scope import Scope, scope_for_email
from data_access.write import derive
from tests import cli, snapshot
from tests import users_bundle as ub
from tests.signing import signed_in_client

NOW = ub.NOW
OWNER = Scope.owner()
UTC = "UTC"


@pytest.fixture
def users_db(engine, tmp_path):
    snapshot.import_bundle(engine, ub.write(tmp_path / "users"))
    return engine


def _text(chunks) -> str:
    return "".join(chunks)


# --- the users list ---------------------------------------------------------------------------------------
def test_users_list_current_deleted_and_sorting(users_db):
    with users_db.connect() as conn:
        page = q.users_page(conn, OWNER, NOW)
        deleted = q.users_page(conn, OWNER, NOW, deleted=True)
        by_time = q.users_page(conn, OWNER, NOW, sort_model=[{"colId": "time_spent", "sort": "desc"}], end=3)
        by_activity = q.users_page(conn, OWNER, NOW, sort_model=[{"colId": "last_activity", "sort": "desc"}])
        filtered = q.users_page(conn, OWNER, NOW, filter_model={
            "direct_reports": {"filterType": "number", "type": "greaterThan", "filter": 0}})
        by_email = q.users_page(conn, OWNER, NOW, filter_model={
            "email": {"filterType": "text", "type": "contains", "filter": "@EX.COM"}}, start=2, end=4)
        counts = q.user_counts(conn, OWNER, NOW)
    assert page["total"] == 8 and [r["user_id"] for r in page["rows"]] == [
        "adm", "aut", "coa", "u2", "u1", "u3", "own", "u5"]  # by last name: Admin, Author, Coach, Formula, ...
    lea = next(r for r in page["rows"] if r["user_id"] == "u1")
    assert (lea["time_spent_s"], lea["direct_reports"]) == (2100, 1)  # every attempt; u4 (deleted) not counted
    assert lea["last_activity_at"] == 1781083200  # 2026-06-10 09:20 UTC
    assert [r["user_id"] for r in deleted["rows"]] == ["u4"] and deleted["rows"][0]["time_spent_s"] == 500
    assert [r["user_id"] for r in by_time["rows"]] == ["u1", "u2", "adm"] and by_time["total"] == 8
    assert [r["user_id"] for r in by_activity["rows"]][:2] == ["u1", "u2"]
    assert [r["user_id"] for r in by_activity["rows"]][-1] == "u5"  # no activity sorts lowest
    assert [(r["user_id"], r["direct_reports"]) for r in filtered["rows"]] == [("coa", 2), ("u1", 1)]
    assert by_email["total"] == 8 and [r["user_id"] for r in by_email["rows"]] == ["coa", "u2"]
    assert counts == {"current": 8, "deleted": 1}


def test_manager_view_and_scopes(users_db):
    with users_db.connect() as conn:
        team = q.users_page(conn, OWNER, NOW, manager_id="u1")
        team_deleted = q.users_page(conn, OWNER, NOW, manager_id="u1", deleted=True)
        adam = scope_for_email(conn, "adam@ex.com")  # admin of Team A (with Team A1)
        cora = scope_for_email(conn, "cora@ex.com")  # coach of Team B; manages u1 (Team A1) and u3
        sam = scope_for_email(conn, "sam@ex.com")  # in no group
        assert [r["user_id"] for r in q.users_page(conn, adam, NOW)["rows"]] == ["adm", "u2", "u1"]
        assert [r["user_id"] for r in q.users_page(conn, cora, NOW, manager_id="coa")["rows"]] == ["u3"]
        assert q.users_page(conn, sam, NOW) == {"total": 0, "rows": []}
        with pytest.raises(LookupError, match="no user 'u1'"):
            q.users_page(conn, cora, NOW, manager_id="u1")  # out of scope = not found
        with pytest.raises(LookupError):
            q.users_page(conn, OWNER, NOW, manager_id="nobody")
    assert [r["user_id"] for r in team["rows"]] == ["u2"]
    assert [r["user_id"] for r in team_deleted["rows"]] == ["u4"]


def test_user_page_is_open_to_the_user_themself_and_their_admins(users_db):
    with users_db.connect() as conn:
        sam = scope_for_email(conn, "sam@ex.com")
        cora = scope_for_email(conn, "cora@ex.com")
        adam = scope_for_email(conn, "adam@ex.com")
        assert q.user_profile(conn, sam, NOW, "u5")["first_name"] == "Sam"  # a learner with no group: own page
        assert q.user_profile(conn, cora, NOW, "coa")["direct_reports"] == 2
        assert q.user_profile(conn, adam, NOW, "u1")["last_name"] == "Learner"
        for scope, uid in ((sam, "u1"), (cora, "u1"), (adam, "u3"), (OWNER, "nope")):
            for fn in (q.user_profile, q.certificates, q.user_sessions, q.user_courses, q.answered_questions,
                       q.user_tags, q.public_stats):
                with pytest.raises(LookupError):
                    fn(conn, scope, NOW, uid)


def test_user_profile_general_section(users_db):
    with users_db.connect() as conn:
        lea = q.user_profile(conn, OWNER, NOW, "u1")
        nia = q.user_profile(conn, OWNER, NOW, "u3")
        own = q.user_profile(conn, OWNER, NOW, "own")
    assert lea["groups"] == [{"group_id": "ga1", "name": "Team A1", "roles": ["learner"]}]
    assert (lea["answers"], lea["answer_score"]) == (5, pytest.approx(72.5))  # mean(100, 50, 60, 80); empty skipped
    assert (lea["time_spent_s"], lea["posts"], lea["direct_reports"]) == (2100, 3, 1)
    assert (nia["answers"], nia["answer_score"], nia["time_spent_s"], nia["posts"]) == (0, None, 0, 2)
    assert own["groups"] == [{"group_id": "g0", "name": "Platform", "roles": ["admin"]}]


def test_certificate_status_on_both_sides_of_the_30_day_boundary(users_db):
    with users_db.connect() as conn:
        rows = q.certificates(conn, OWNER, NOW, "u1")
    assert [(r["certificate_id"], r["status"], r["path"], r["path_session"]) for r in rows] == [
        ("ce2", "Valid", "Career Path", "Path Spring"),  # expires now + 30 days + 1 s; earned on a path
        ("ce1", "Expiring soon", None, None),  # expires exactly now + 30 days; a program context
        ("ce4", "Valid", None, None),  # never expires
        ("ce3", "Expired", None, None)]  # expires exactly now
    now_s = int(NOW.timestamp())
    assert q.certificate_status(now_s + 1, now_s) == "Expiring soon"
    assert q.certificate_status(now_s - 1, now_s) == "Expired"


def test_paths_programs_blocks_and_attempts(users_db):
    with users_db.connect() as conn:
        sessions = q.user_sessions(conn, OWNER, NOW, "u1")
        blocks = q.session_blocks(conn, OWNER, NOW, "u1", "s1")
        k1 = q.course_attempts(conn, OWNER, NOW, "u1", "cr1", session_id="s1")
        max_sessions = q.user_sessions(conn, OWNER, NOW, "u2")
        with pytest.raises(LookupError):
            q.session_blocks(conn, OWNER, NOW, "u1", "s3")  # not one of u1's sessions
    assert [(s["session_id"], s["kind"], s["progress"], s["score"], s["time_spent_s"]) for s in sessions] == [
        ("s1", "program", 100.0, pytest.approx(65.0), 900), ("s2", "path", 100.0, pytest.approx(80.0), 300)]
    assert sessions[0]["end_at"] == 1782864000 and sessions[0]["last_activity_at"] == 1779357600
    assert [(s["session_id"], s["status"], s["progress"]) for s in max_sessions] == [
        ("s3", "Waiting list", 0.0), ("s1", "Registered", pytest.approx(100 / 3))]  # same start: by name
    assert [(b["block_id"], b["progress"], b["score"], b["time_spent_s"], b["attempts"]) for b in blocks] == [
        ("k1", 100.0, 80.0, 900, 2), ("k2", 100.0, 50.0, None, 1), ("k3", 100.0, None, None, 1)]
    assert [(a["attempt_id"], a["score"], a["time_spent_s"], a["language"], a["session"]) for a in k1] == [
        ("t2", 80.0, 900, "fr", "Academy June"), ("t1", 40.0, 600, "en", "Academy June")]


def test_courses_and_answered_questions(users_db):
    with users_db.connect() as conn:
        courses = q.user_courses(conn, OWNER, NOW, "u1")
        cr1 = q.course_attempts(conn, OWNER, NOW, "u1", "cr1")
        questions = q.answered_questions(conn, OWNER, NOW, "u1")
        q2 = q.question_answers(conn, OWNER, NOW, "u1", "q2")
    # cr2: t3 (06-10, s2) is more recent than t6 (03-17, outside programs)
    assert [(c["course_id"], c["progress"], c["score"], c["attempts"], c["time_spent_s"]) for c in courses] == [
        ("cr2", 100.0, 70.0, 2, 400), ("cr1", 100.0, 80.0, 3, 1700)]
    assert [(a["attempt_id"], a["session"]) for a in cr1] == [("t2", "Academy June"), ("t1", "Academy June"),
                                                              ("t4", None)]
    assert [(x["activity_id"], x["score"], x["answers"]) for x in questions] == [
        ("q2", 60.0, 2), ("q3", 80.0, 1), ("q1", 75.0, 2)]  # latest answer first
    assert [(a["score"], a["answered_at"]) for a in q2] == [(None, 1781258400), (60.0, 1779271800)]


def test_tag_averages_when_only_one_score_exists(users_db):
    with users_db.connect() as conn:
        tags = {t["tag"]: t for t in q.user_tags(conn, OWNER, NOW, "u1")}
        assert q.user_tags(conn, OWNER, NOW, "u3") == []
    assert set(tags) == {"core", "ethics", "leadership", "safety"}  # q3 has no tag; d1 is not a question
    assert (tags["safety"]["training"], tags["safety"]["assessment"], tags["safety"]["average"]) == (75.0, 50.0, 62.5)
    assert tags["safety"]["work"] == 3  # two answers to q1, the k2 assessment
    assert (tags["core"]["assessment"], tags["core"]["average"], tags["core"]["work"]) == (None, 75.0, 2)
    leadership = tags["leadership"]
    assert (leadership["training"], leadership["average"], leadership["work"]) == (None, 90.0, 1)
    assert (tags["ethics"]["training"], tags["ethics"]["work"]) == (60.0, 2)  # an unscored answer is work, not score
    assert q.tag_average(None, None) is None


def test_public_statistics_90_day_window(users_db):
    with users_db.connect() as conn:
        lea = q.public_stats(conn, OWNER, NOW, "u1")
        aria = q.public_stats(conn, OWNER, NOW, "aut")
        adam = q.public_stats(conn, OWNER, NOW, "adm")
        cora = q.public_stats(conn, OWNER, NOW, "coa")
    # learner figures; the window starts at 2026-03-17 12:00:00 inclusive
    assert lea == {"kind": "learner", "completed_courses": 3,  # t2, t3, t6 (12:10); not t4 (11:59:59)
                   "comments_received": 2,  # po2, po5 (12:00:00); not po4 (11:59:59), not u1's own po3
                   "reactions_received": 1,  # u2's like; not u1's own, not u3's of 03-10
                   "training_time_s": 1900}  # t1 600 + t2 900 + t3 300 + t6 100 (started 12:00:00)
    assert aria == {"kind": "author", "course_views": 3,  # q1, q2, q3; d1's view at 11:59:59 is out
                    "comments_received": 2,  # po8, po9 in cr2's forum; po7 (02-01) is out
                    "reaction_score": pytest.approx(200 / 3),  # like + useful of like, outdated, useful
                    "published_courses": 2}  # cr1, cr2 (cr4 archived)
    assert adam == {"kind": "author", "course_views": 1, "comments_received": 0, "reaction_score": None,
                    "published_courses": 0}  # an admin gets the author figures
    assert cora["kind"] == "learner"  # a coach is not an author


# --- CSVs -------------------------------------------------------------------------------------------------
USERS_HEADER = ("\ufeffFirst name,Last name,Email,Title / Employment,Badge,Location,Additional information,"
                "Time spent (s),Last activity,Direct report")
USERS_CSV = (
    USERS_HEADER + ",Platform,Team A,Team A1,Team B\r\n"
    "Adam,Admin,adam@ex.com,,,,,0,,0,,x,,\r\n"
    "Aria,Author,aria@ex.com,Designer,,,,0,,0,x,,,\r\n"
    "Cora,Coach,cora@ex.com,Coach,,,,0,,2,,,,x\r\n"
    "'=Max,Formula,max@ex.com,'-Ops,,Berlin,,1000,2026/06/01 10:20,0,,x,,\r\n"
    'Lea,Learner,lea@ex.com,Analyst,\'@home,Paris,"Part-time, remote",2100,2026/06/10 09:20,1,,,x,\r\n'
    "Nia,Nobody,nia@ex.com,,,,,0,,0,,,,x\r\n"
    "Olga,Owner,olga@ex.com,Founder,,,,0,,0,x,,,\r\n"
    "Sam,Solo,sam@ex.com,,,,,0,,0,,,,\r\n")
GENERAL_HEADER = ("\ufeffLast name,First name,Email,Badge,Location,Additional information,Managers,Avg score,"
                  "Completed programs,Assigned programs,Messages,Total time spent (s)")
GENERAL_CSV = (
    GENERAL_HEADER + ",Platform,Team A,Team A1,Team B\r\n"
    "Admin,Adam,adam@ex.com,,,,,,0,0,0,0,,x,,\r\n"
    "Author,Aria,aria@ex.com,,,,,,0,0,0,0,x,,,\r\n"
    "Coach,Cora,cora@ex.com,,,,,,0,0,0,0,,,,x\r\n"
    "Formula,'=Max,max@ex.com,,Berlin,,lea@ex.com,,0,1,3,1000,,x,,\r\n"
    'Learner,Lea,lea@ex.com,\'@home,Paris,"Part-time, remote",cora@ex.com,75,1,1,3,1500,,,x,\r\n'
    "Nobody,Nia,nia@ex.com,,,,cora@ex.com,,0,0,2,0,,,,x\r\n"
    "Owner,Olga,olga@ex.com,,,,,,0,0,0,0,x,,,\r\n"
    "Solo,Sam,sam@ex.com,,,,,,0,0,0,0,,,,\r\n")
LEA_GENERAL = 'Learner,Lea,lea@ex.com,\'@home,Paris,"Part-time, remote",cora@ex.com,'


def test_users_csv_every_column_deleted_tab_and_group_columns_by_scope(users_db):
    with users_db.connect() as conn:
        adam = scope_for_email(conn, "adam@ex.com")
        assert _text(export.users_csv(conn, OWNER, NOW, UTC)) == USERS_CSV
        assert _text(export.users_csv(conn, OWNER, NOW, UTC, deleted=True)) == (
            USERS_HEADER + ",Platform,Team A,Team A1,Team B\r\n"
            "Del,Deleted,del@ex.com,,,,,500,2026/05/05 10:10,0,,x,,\r\n")
        assert _text(export.users_csv(conn, adam, NOW, UTC)) == (
            USERS_HEADER + ",Team A,Team A1\r\n"  # only the groups Adam administers (Team A and its Team A1)
            "Adam,Admin,adam@ex.com,,,,,0,,0,x,\r\n"
            "'=Max,Formula,max@ex.com,'-Ops,,Berlin,,1000,2026/06/01 10:20,0,x,\r\n"
            'Lea,Learner,lea@ex.com,Analyst,\'@home,Paris,"Part-time, remote",2100,2026/06/10 09:20,1,,x\r\n')
        assert _text(export.users_csv(conn, OWNER, NOW, "Europe/Paris")).count("2026/06/10 11:20") == 1


def test_batches_resume_after_the_last_key(users_db, monkeypatch):
    """Files are read BATCH users at a time, each batch after the last key of the one before: with batches of 3
    (8 users: 3 + 3 + 2) and of 4 (4 + 4 + an empty one) the files are the same."""
    for size in (3, 4):
        monkeypatch.setattr(qx, "BATCH", size)
        with users_db.connect() as conn:
            assert _text(export.users_csv(conn, OWNER, NOW, UTC)) == USERS_CSV
            assert _text(export.general_stats_csv(conn, OWNER, NOW, UTC)) == GENERAL_CSV
            assert _text(export.general_stats_csv(conn, OWNER, NOW, UTC, window=(None, None))) == GENERAL_CSV


def test_general_stats_csv_and_each_filter(users_db):
    with users_db.connect() as conn:
        def general(**kw):
            return _text(export.general_stats_csv(conn, OWNER, NOW, UTC, **kw)).split("\r\n")[1:-1]

        assert _text(export.general_stats_csv(conn, OWNER, NOW, UTC)) == GENERAL_CSV
        # a group: memberships (any role) in its subtree: Team A has Adam (admin), Max, Lea (Team A1); Del is deleted
        assert [line.split(",")[0] for line in general(groups=("ga",))] == ["Admin", "Formula", "Learner"]
        assert [line.split(",")[0] for line in general(groups=("ga1", "gb"))] == ["Coach", "Learner", "Nobody"]
        assert [line.split(",")[0] for line in general(users=("u3", "u5"))] == ["Nobody", "Solo"]
        # a session: its users, and only it counts in Completed / Assigned programs (s2 is a path)
        assert general(sessions=("s2",)) == [LEA_GENERAL + "75,0,0,3,1500,,,x,"]
        assert general(sessions=("s1",))[1] == LEA_GENERAL + "75,1,1,3,1500,,,x,"
        # a window: attempts by start, assessments by submission, posts by creation
        window = qx.parse_window("2026-05-15", "2026-06-10")
        lines = general(window=window)
        assert next(x for x in lines if x.startswith("Learner")) == LEA_GENERAL + "66.7,1,1,1,1200,,,x,"
        assert next(x for x in lines if x.startswith("Formula")).split(",")[10] == "2"  # po2, po8
        assert general(window=qx.parse_window("2026-06-11", None))[4] == LEA_GENERAL + "90,1,1,0,0,,,x,"
        with pytest.raises(LookupError):
            general(groups=("nope",))
        with pytest.raises(LookupError):
            general(sessions=("nope",))
        adam = scope_for_email(conn, "adam@ex.com")
        with pytest.raises(LookupError):
            list(export.general_stats_csv(conn, adam, NOW, UTC, groups=("gb",)))  # not one of Adam's groups
        with pytest.raises(LookupError):
            list(export.general_stats_csv(conn, adam, NOW, UTC, users=("u3",)))


def test_windowed_figures_equal_the_derived_ones_without_a_window(users_db):
    """user_stats (import) and user_metrics per batch (a filtered report) are the same statements."""
    with users_db.connect() as conn:
        conditions = qx.general_filters(conn, OWNER)
        derived = list(qx.general_rows(conn, conditions, ["Location"]))
        live = list(qx.general_rows(conn, conditions, ["Location"], window=(None, None)))
        assert len(live) == 8 and [r["user_id"] for r in live] == [r["user_id"] for r in derived]
        assert [r["user_id"] for r in qx.general_rows(conn, conditions, [], limit=3)] == ["adm", "aut", "coa"]
    strip = ("avg_score", "total_time_s", "posts", "completed_programs", "assigned_programs")
    assert [{k: r[k] for k in strip} for r in derived] == [{k: r[k] for k in strip} for r in live]


def test_parse_window():
    assert qx.parse_window(None, None) is None
    assert qx.parse_window("2026-05-15", "2026-05-15") == (1778803200, 1778889600)  # one whole day
    assert qx.parse_window("2026-05-15T10:00:00Z", None) == (1778839200, None)
    assert qx.parse_window(None, "2026-05-15T10:00:00Z") == (None, 1778839201)  # that second included
    with pytest.raises(ValueError, match="after --until"):
        qx.parse_window("2026-05-16", "2026-05-15")
    with pytest.raises(ValueError, match="--since: not a date"):
        qx.parse_window("soon", None)


def test_user_stats_and_registrations_csv(users_db):
    with users_db.connect() as conn:
        assert _text(export.user_stats_csv(conn, OWNER, NOW, "u1")) == (
            "\ufeffLast name,First name,Email,Avg score,Completed courses,Attended classrooms,Completed paths,"
            "Assigned paths,Completed programs,Assigned programs,Messages,Total time spent (s)\r\n"
            "Learner,Lea,lea@ex.com,75,2,1,1,1,1,1,3,1500\r\n")
        nia = _text(export.user_stats_csv(conn, OWNER, NOW, "u3"))
        assert nia.endswith("Nobody,Nia,nia@ex.com,,0,0,0,0,0,0,2,0\r\n")
        with pytest.raises(LookupError):
            export.user_stats_csv(conn, scope_for_email(conn, "cora@ex.com"), NOW, "u1")
        assert _text(export.registrations_csv(conn, OWNER, NOW, UTC)) == (
            "\ufeffFirst name,Last name,Email,Registr. at,Invited by,Auto deletion\r\n"
            "Adam,Admin,adam@ex.com,2025/02/01 09:30,olga@ex.com,\r\n"
            "Aria,Author,aria@ex.com,2025/02/03 00:00,olga@ex.com,\r\n"
            "Cora,Coach,cora@ex.com,2025/02/02 00:00,olga@ex.com,\r\n"
            "'=Max,Formula,max@ex.com,2025/03/02 00:00,olga@ex.com,\r\n"
            "Lea,Learner,lea@ex.com,2025/03/01 10:15,adam@ex.com,\r\n"
            "Nia,Nobody,nia@ex.com,2025/03/03 00:00,,2026/12/31 00:00\r\n"
            "Olga,Owner,olga@ex.com,2025/01/01 08:00,,\r\n"
            "Sam,Solo,sam@ex.com,2025/03/05 00:00,,\r\n")
        adam_rows = _text(export.registrations_csv(conn, scope_for_email(conn, "adam@ex.com"), NOW, UTC))
        assert [line.split(",")[0] for line in adam_rows.split("\r\n")[1:-1]] == ["Adam", "'=Max", "Lea"]
        with pytest.raises(qx.NotAllowed, match="administrators and the platform owner"):
            export.registrations_csv(conn, scope_for_email(conn, "cora@ex.com"), NOW, UTC)  # a coach


def test_derived_facts_follow_a_delta_import(users_db, tmp_path):
    """A later bundle with one more answer updates user_stats and user_tags in the import transaction."""
    delta = tmp_path / "delta"
    delta.mkdir()
    (delta / "answers.csv").write_text("user_id,activity_id,session_id,score_pct,answered_at\n"
                                       "u3,q1,,20,2026-06-14T10:00:00Z\n", encoding="utf-8")
    import_bundle(users_db, delta)
    with users_db.connect() as conn:
        nia = q.user_profile(conn, OWNER, NOW, "u3")
        tags = {t["tag"]: t["average"] for t in q.user_tags(conn, OWNER, NOW, "u3")}
    assert (nia["answers"], nia["answer_score"]) == (1, 20.0)
    assert tags == {"core": 20.0, "safety": 20.0}
    assert derive.split_tags(" a| b |a||") == ["a", "b"]


def test_general_preview_counts_the_filtered_users_the_viewer_sees(users_db):
    """Current users: own, adm, coa, aut, u1, u2, u3, u5 (u4 deleted). Team A's subtree: adm, u1 (Team A1), u2, u4;
    Team B: coa, u3. s1 enrolls u1, u2, u4; s3 u2 (waiting list). Counted from the scope facts, each user once."""
    both = Scope(user_id="x", admin_groups=("ga",), coach_groups=("ga1",))  # two keys: u1 in both
    instructor = Scope(user_id="i", instructor_sessions=("s1",))  # sees the session, not its users
    with users_db.connect() as conn:
        adam, cora = (scope_for_email(conn, e) for e in ("adam@ex.com", "cora@ex.com"))
        cases = {
            "owner": qx.general_preview(conn, OWNER, NOW),
            "owner s1": qx.general_preview(conn, OWNER, NOW, sessions=("s1",)),
            "owner s1+s3": qx.general_preview(conn, OWNER, NOW, sessions=("s1", "s3")),
            "owner ga": qx.general_preview(conn, OWNER, NOW, groups=("ga",)),
            "owner u5": qx.general_preview(conn, OWNER, NOW, users=("u5",)),
            "adam": qx.general_preview(conn, adam, NOW),
            "adam s1": qx.general_preview(conn, adam, NOW, sessions=("s1",)),
            "adam ga1 s1": qx.general_preview(conn, adam, NOW, groups=("ga1",), sessions=("s1",)),
            "cora": qx.general_preview(conn, cora, NOW),
            "cora s3": qx.general_preview(conn, cora, NOW, sessions=("s3",)),
            "both": qx.general_preview(conn, both, NOW),
            "both s1": qx.general_preview(conn, both, NOW, sessions=("s1",)),
            "instructor s1": qx.general_preview(conn, instructor, NOW, sessions=("s1",)),
        }
        with pytest.raises(LookupError):
            qx.general_preview(conn, cora, NOW, sessions=("s1",))
    assert {k: p["total"] for k, p in cases.items()} == {
        "owner": 8, "owner s1": 2, "owner s1+s3": 2, "owner ga": 3, "owner u5": 1, "adam": 3, "adam s1": 2,
        "adam ga1 s1": 1, "cora": 2, "cora s3": 0, "both": 3, "both s1": 2, "instructor s1": 0}
    assert all(len(p["rows"]) == p["total"] for p in cases.values())
    assert [r["user_id"] for r in cases["both s1"]["rows"]] == ["u2", "u1"]  # Formula, Learner
    assert cases["owner"]["fields"] == ["Badge", "Location"]


def test_custom_field_names_are_kept_at_import(users_db, tmp_path):
    """The CSVs' custom-field columns: the distinct names of user_fields (Location twice, Badge), alphabetically,
    kept in user_field_names by each import that brings user_fields and by no other."""
    def names():
        with users_db.connect() as conn:
            kept = [r[0] for r in conn.execute(select(schema.user_field_names.c.field)
                                               .order_by(schema.user_field_names.c.field))]
            return csv_columns.custom_fields(conn), qx.plan(conn, OWNER)["fields"], kept

    assert names() == (["Badge", "Location"],) * 3
    answers = tmp_path / "answers"
    answers.mkdir()
    (answers / "answers.csv").write_text("user_id,activity_id,session_id,score_pct,answered_at\n"
                                         "u3,q1,,20,2026-06-14T10:00:00Z\n", encoding="utf-8")
    import_bundle(users_db, answers)
    assert names() == (["Badge", "Location"],) * 3
    fields = tmp_path / "fields"
    fields.mkdir()
    (fields / "user_fields.csv").write_text("user_id,field,value\nu3,Anniversary,2020-01-01\nu5,Badge,x\n"
                                            "u1,Location,Lyon\n", encoding="utf-8")
    import_bundle(users_db, fields)
    assert names() == (["Anniversary", "Badge", "Location"],) * 3
    with users_db.connect() as conn:
        rows = list(export.users_csv(conn, OWNER, NOW, UTC))
    lines = "".join(rows).splitlines()
    assert lines[0].startswith("\ufeffFirst name,Last name,Email,Title / Employment,Anniversary,Badge,Location,")
    assert any(line.startswith("Nia,Nobody,nia@ex.com,,2020-01-01,,,") for line in lines)  # u3: Anniversary only
    assert any(line.startswith("Lea,Learner,lea@ex.com,Analyst,,'@home,Lyon,") for line in lines)  # upserted


def _cli(url: str, *args: str, out):
    return cli.run(["export", *args, "--now", NOW.isoformat(), "-o",
                           str(out)], capture_output=True, text=True, env={"DATABASE_URL": url, "PATH": ""},
                          timeout=120)


def test_downloads_stream_the_cli_bytes(tmp_path):
    url = f"sqlite:///{tmp_path / 'u.sqlite3'}"
    app = create_app(Settings.from_env(env={}, database_url=url, now_override=NOW, seed_demo_on_empty=False,
                                       data_dir=tmp_path))
    import_bundle(app.server.extensions["learnpulse"].engine, ub.write(tmp_path / "b"))
    client = signed_in_client(app)
    for report, query, args in (
            ("users", "", []), ("users", "deleted=1", ["--deleted"]),
            ("general-stats", "group=ga&session=s1&since=2026-05-15&until=2026-06-10",
             ["--group", "ga", "--session", "s1", "--since", "2026-05-15", "--until", "2026-06-10"]),
            ("general-stats", "", []), ("user-stats", "user=u1", ["--user", "u1"]), ("registrations", "", [])):
        response = client.get(f"/download/{report}.csv?{query}")
        assert response.status_code == 200, response.data
        assert response.is_streamed
        out = tmp_path / f"{report}.csv"
        done = _cli(url, report, *args, out=out)
        assert done.returncode == 0, done.stderr
        assert out.read_bytes() == response.data, report
    assert client.get("/download/users.csv").data.decode("utf-8") == USERS_CSV
    assert client.get("/download/user-stats.csv?user=nope").status_code == 404
    assert client.get("/download/general-stats.csv?group=nope").status_code == 404
    bad = client.get("/download/general-stats.csv?since=2026-06-10&until=2026-05-01")
    assert bad.status_code == 400 and b"after --until" in bad.data
    refused = _cli(url, "registrations", "--as", "cora@ex.com", out=tmp_path / "r.csv")
    assert refused.returncode == 2 and "administrators and the platform owner" in refused.stderr
    missing = _cli(url, "user-stats", "--user", "nope", out=tmp_path / "n.csv")
    assert missing.returncode == 2 and "no user 'nope'" in missing.stderr and "Traceback" not in missing.stderr
