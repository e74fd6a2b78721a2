"""Cohort facts per kept scope key (schema.scope_participants, scope_session_kpis, scope_session_blocks), hand-computed
from tests/fixture_bundle.py and tests/participants_bundle.py, kept by the import, by the narrowed refresh of a posted
xAPI batch and by the refresher's pass; and the pages' numbers read from them equal to the numbers counted user by
user, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from data_access import cohort_keys
from data_access.importer import import_bundle
from data_access.queries import at_risk
from data_access.queries import participants as pq
from data_access.queries import sessions as q
from data_access.scope import Scope, scope_for_email
from data_access.write import derive, derive_kpis
from tests import fixture_bundle, snapshot
from tests import participants_bundle as pb
from tests import xapi_bundle as xb
from tests.test_scope_facts import _xapi
from tests.xapi_bundle import ts

OWNER = Scope.owner()
COACH = Scope(user_id="u2", coach_groups=("g1",))  # fixture_bundle: u2 coaches g1 (g1 + g2: u2, u3, u4, u6)
KPIS = ("SELECT group_id, session_id, registrations, open_registrations, waiting_list, attendees, completed, "
        "score_sum, scored, level0, level1, level2, level3, level4, certificates, time_lo, time_hi "
        "FROM scope_session_kpis ORDER BY group_id, session_id")
BLOCKS = "SELECT group_id, session_id, block_id, completed, score_sum, scored FROM scope_session_blocks " \
         "ORDER BY group_id, session_id, block_id"
PEOPLE = "SELECT group_id, session_id, user_id, last_login_at, score_pct, due_flags FROM scope_participants " \
         "ORDER BY group_id, session_id, user_id"


def rows(engine, sql, **params):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def test_kept_keys_and_the_key_a_viewer_reads(loaded):
    # g1 has a coach (u2); g0 only its admin (u1), a platform owner; g2 and g3 nobody who manages them
    with loaded.connect() as conn:
        assert [g for g in ("g0", "g1", "g2", "g3") if cohort_keys.kept(conn, g)] == ["g1"]
        instructor = scope_for_email(conn, "ivo@example.com")  # teaches s1, manages no group
        assert cohort_keys.for_session(conn, OWNER, "s1") == ""
        assert cohort_keys.for_session(conn, instructor, "s1") == ""
        assert cohort_keys.for_session(conn, COACH, "s1") == "g1"
        # several managed groups, a group nobody manages, a coach who also teaches: counted user by user
        assert cohort_keys.for_session(conn, Scope(user_id="u2", coach_groups=("g1", "g3")), "s1") is None
        assert cohort_keys.for_session(conn, Scope(user_id="u2", coach_groups=("g2",)), "s1") is None
        both = Scope(user_id="u2", coach_groups=("g1",), instructor_sessions=("s2",))
        assert (cohort_keys.for_session(conn, both, "s1"), cohort_keys.for_session(conn, both, "s2")) == ("g1", "")
        assert [cohort_keys.for_running(conn, s) for s in (OWNER, instructor, COACH, both)] == ["", "", "g1", None]


def test_session_kpis_kept_at_import(loaded):
    # s1: u3 registered (started, completed: 300 s, score 75 -> 60-80), u4 registered (started, score 40 -> 40-60),
    # u5 on the waiting list (g3: not in g1), u6 registered (deleted, nothing); u3's certificate. s2: nobody
    every = (3, 0, 1, 2, 1, 115.0, 2, 0, 0, 1, 1, 0, 1, 300, 300)
    assert rows(loaded, KPIS) == [("", "s1", *every), ("g1", "s1", 3, 0, 0, *every[3:])]
    # b1: u3's 80 (completed) and u4's 40; b2: u3's 70; b3: u3 attended, u4 did not (no score)
    per_block = [("s1", "b1", 1, 120.0, 2), ("s1", "b2", 1, 70.0, 1), ("s1", "b3", 1, None, 0)]
    assert rows(loaded, BLOCKS) == [(g, *r) for g in ("", "g1") for r in per_block]


def test_scope_participants_kept_at_import(loaded):
    # g1's participants of s1 (u6 is deleted): due flags of b1 (06-05), b2 (06-10), b3 (06-20)
    assert rows(loaded, PEOPLE) == [("g1", "s1", "u3", ts("2026-06-14T12:00:00Z"), 75.0, "111"),
                                    ("g1", "s1", "u4", ts("2026-06-12T11:00:00Z"), 40.0, "000")]


def test_due_flags_of_a_coachs_participants(engine, tmp_path):
    # participants_bundle, c1's due-dated topics in due order: k1 (06-05), k2 (06-10), k3 (06-12), k5 (06-30)
    snapshot.import_bundle(engine, pb.write(tmp_path / "cohort"))
    got = rows(engine, "SELECT user_id, due_flags FROM scope_participants WHERE group_id = 'ga' AND session_id = 'c1' "
                       "ORDER BY user_id")
    # p00: k1 on the 2nd attempt, k2 result, k3 attended; p01: nothing (the most recent k1 attempt is not completed,
    # k3 attended 0 %); p02: only k5; p03: k1, k3 at 50 %; p04: a failed k2 result still completes it
    assert got == [("p00", "1110"), ("p01", "0000"), ("p02", "0001"), ("p03", "1010"), ("p04", "0100")]
    assert rows(engine, "SELECT DISTINCT group_id FROM scope_participants") == [("ga",)]  # gb: nobody manages it


def _counted(conn, scope, session_id):
    """The General section as counted user by user (the path of a viewer of several groups)."""
    counts, per_block = q._counted_general(conn, scope, session_id)
    return counts, {b: (done, None if score is None else round(score, 9)) for b, (done, score) in per_block.items()}


def _kept(conn, key, session_id):
    counts, per_block = q._kept_general(conn, key, session_id)
    return counts, {b: (done, None if score is None else round(score, 9)) for b, (done, score) in per_block.items()}


@pytest.mark.parametrize("with_u4", [False, True])
def test_general_read_from_the_facts_equals_the_counted_one(engine, tmp_path, now, with_u4):
    """An odd and an even number of completed users (the median is the middle time, or the mean of the two)."""
    overrides = {}
    if with_u4:  # u4 completes every block: b1 in 200 s (score 40), b2 (65, passed), b3 attended
        overrides = {**fixture_bundle.replace_line(
            "course_attempts.csv", "2026-06-03T10:04:00Z,,40,40,200", "2026-06-03T10:04:00Z,2026-06-03T10:04:00Z,"
                                                                        "100,40,200"),
            "assessment_results.csv": fixture_bundle.FILES["assessment_results.csv"]
            + "u4,b2,65,true,2026-06-09T16:00:00Z\n",
            "slot_attendance.csv": "slot_id,user_id,attendance_pct\nsl1,u3,100\nsl1,u4,100\n"}
    import_bundle(engine, fixture_bundle.write(tmp_path / "b", overrides))
    with engine.connect() as conn:
        for scope, key in ((OWNER, ""), (COACH, "g1")):
            assert _kept(conn, key, "s1") == _counted(conn, scope, "s1")
            assert _kept(conn, key, "s2") == _counted(conn, scope, "s2")
        g = q.general(conn, COACH, now, "s1")
    if with_u4:  # times 200 and 300; scores 75 and 52.5 (40, 65)
        assert (g["completed"], g["median_time_s"], g["average_score"]) == (2, 250.0, pytest.approx(63.75))
        assert [lv["learners"] for lv in g["levels"]] == [0, 0, 1, 1, 0]
    else:
        assert (g["completed"], g["median_time_s"], g["average_score"]) == (1, 300, pytest.approx(57.5))
    assert (g["registrations"], g["waiting_list"], g["certificates"]) == (3, 0, 1)


def test_viewers_of_several_groups_are_counted(loaded, now):
    # g1 and g3 (two keys): g1's people and u5 (g3), on the waiting list
    with loaded.connect() as conn:
        g = q.general(conn, Scope(user_id="u2", coach_groups=("g1", "g3")), now, "s1")
        a = pq.activity(conn, Scope(user_id="u2", coach_groups=("g1", "g3")), now, "s1")
    assert (g["registrations"], g["waiting_list"], g["attendees"]) == (3, 1, 2)
    assert (a["participants"], a["behind"]) == (2, 1)  # u3, u4 (u6 is deleted); u4 has b1 and b2 due, not done


def test_narrowed_refresh_gives_the_full_rows(engine, tmp_path):
    """The xAPI fold refreshes the rows of the pairs and users it touched: the same rows as a full refresh."""
    snapshot.import_bundle(engine, pb.write(tmp_path / "cohort"))
    full = rows(engine, PEOPLE)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM scope_participants WHERE session_id = 'c1' OR user_id = 'p00'"))
        derive_kpis.refresh_participants(conn, {"enrollments"}, rows="{s} = 'c1'", users="SELECT 'p00'")
    assert rows(engine, PEOPLE) == full
    assert len(full) == 6  # ga: p00-p04 in c1, p00 in c2


def test_a_touched_users_rows_follow_at_once(loaded):
    # a login of u4 and a new enrollment of u5 (g3: not a kept key) folded as a posted batch does it
    with loaded.begin() as conn:
        conn.execute(text("INSERT INTO logins (user_id, at) VALUES ('u4', :at)"), {"at": ts("2026-06-15T09:00:00Z")})
        derive.refresh_for(conn, {"logins"}, rows="{u} = 'u4'", users="SELECT 'u4'")
    assert rows(loaded, "SELECT user_id, last_login_at FROM scope_participants ORDER BY user_id") == [
        ("u3", ts("2026-06-14T12:00:00Z")), ("u4", ts("2026-06-15T09:00:00Z"))]


def test_session_kpis_follow_the_xapi_fold(engine, tmp_path):
    # the xAPI run: ada registered (100 %), bob unregistered, cy enrolled by her first statement; only '' is kept
    _xapi(engine, tmp_path)
    sql = "SELECT group_id, registrations, completed FROM scope_session_kpis"
    assert rows(engine, sql) == [("", 2, 1)]
    # bob registers again: counted at the refresher's pass
    again = xb.st(17, "bob", "registered", xb.RUN_OBJ, "2026-06-10T09:00:00Z", context=None)
    report = _xapi(engine, tmp_path, [again], scoped=True, name="more")
    assert rows(engine, sql) == [("", 2, 1)]
    with engine.begin() as conn:
        derive.refresh_dependent(conn, report.changed)
    assert rows(engine, sql) == [("", 3, 1)]


def test_at_risk_of_a_coach_read_from_their_key(engine, tmp_path):
    """participants_bundle at its now: the coach of Team A (ga) sees p00-p04 in c1 (started 06-01: nobody inactive with
    logins of 06-11 to 06-15); k1, k2, k3 are due: p01 (000), p02 (000) and p04 (010, score 40) are 2 topics behind,
    p04's score is under 50. Read from ga's rows, the same as counted user by user."""
    snapshot.import_bundle(engine, pb.write(tmp_path / "cohort"))
    with engine.connect() as conn:
        coach = scope_for_email(conn, "coach@ex.com")
        assert cohort_keys.for_running(conn, coach) == "ga"
        kept = at_risk.summary(conn, coach, pb.NOW)
        listed = at_risk.at_risk(conn, coach, pb.NOW)
        page = at_risk.at_risk_page(conn, coach, pb.NOW, sessions=["c1"], end=2)
        counted = conn.execute(at_risk._candidates(coach, pb.NOW, dialect=conn.dialect.name).subquery().select()
                               ).mappings().all()
    assert kept == {"candidates": 5, "at_risk": 3, "cohorts": 1,
                    "by_reason": {at_risk.INACTIVE: 0, at_risk.BEHIND: 3, at_risk.LOW_SCORE: 1}}
    assert sorted((r["user_id"], r["inactive"], r["behind"], r["low_score"]) for r in counted) == [
        ("p00", 0, 0, 0), ("p01", 0, 1, 0), ("p02", 0, 1, 0), ("p03", 0, 0, 0), ("p04", 0, 1, 1)]
    assert [(r["user_id"], r["reasons"], r["overdue"]) for r in listed] == [
        ("p04", ["behind", "low score"], 2), ("p02", ["behind"], 3), ("p01", ["behind"], 3)]
    assert page["total"] == 3 and [r["user_id"] for r in page["rows"]] == ["p04", "p02"]
