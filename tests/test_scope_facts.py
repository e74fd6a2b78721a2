"""Scope facts (schema.scope_users, scope_recency, scope_login_days, scope_sessions), hand-computed from
fixture_bundle and from the xAPI statements of xapi_bundle, kept by the import and by the xAPI fold; and the Overview
read from them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from data_access.importer import import_bundle
from data_access.queries import overview as q
from data_access.queries import trends
from data_access.queries import users as uq
from data_access.scope import Scope
from data_access.write import derive
from data_access.write.xapi.ingest import ingest
from data_access.xapi.sources import read_paths
from tests import fixture_bundle
from tests import xapi_bundle as xb
from tests.xapi_bundle import ADA, BOB, CY, ts


def rows(engine, sql, **params):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def day(iso: str) -> int:
    return ts(iso) // 86_400


def test_scope_users_kept_at_import(loaded):
    # '' (the owner's key) holds every user; a group its subtree's members of any role: g1 = g1 + g2 (u2 coach, u3,
    # u4, u6 learners), g2 = u3, u4, u6, g3 = u5, g0 = everyone with a membership. learner: a learner role anywhere;
    # u6 is deleted; last logins from logins.csv
    got = rows(loaded, "SELECT group_id, user_id, learner, deleted, last_login_at FROM scope_users "
                       "WHERE group_id IN ('', 'g1', 'g3') ORDER BY group_id, user_id")
    last = {"u2": ts("2026-06-15T08:00:00Z"), "u3": ts("2026-06-14T12:00:00Z"), "u4": ts("2026-06-12T11:00:00Z"),
            "u6": ts("2026-05-01T00:00:00Z")}
    flags = {"u3": (1, 0), "u4": (1, 0), "u5": (1, 0), "u6": (1, 1)}
    expected = [("", u, *flags.get(u, (0, 0)), last.get(u)) for u in ("u1", "u2", "u3", "u4", "u5", "u6", "u7")]
    expected += [("g1", u, *flags.get(u, (0, 0)), last.get(u)) for u in ("u2", "u3", "u4", "u6")]
    expected += [("g3", "u5", 1, 0, None)]
    assert got == expected
    assert rows(loaded, "SELECT group_id, COUNT(*) FROM scope_users GROUP BY group_id ORDER BY group_id") == [
        ("", 7), ("g0", 7), ("g1", 4), ("g2", 3), ("g3", 1)]


def test_scope_counts_kept_at_import(engine, tmp_path):
    # one more login for u3 two days after their 06-14 one: its day's gap is 2
    logins = fixture_bundle.FILES["logins.csv"] + "u3,2026-06-16T10:00:00Z\n"
    import_bundle(engine, fixture_bundle.write(tmp_path / "b", {"logins.csv": logins}))
    # current learners by day of last login: u3 06-16, u4 06-12, u5 never (u6 deleted); g1: u3, u4
    assert rows(engine, "SELECT group_id, day, learners FROM scope_recency WHERE group_id IN ('', 'g1', 'g3') "
                        "ORDER BY group_id, day") == [
        ("", -1, 1), ("", day("2026-06-12T00:00:00Z"), 1), ("", day("2026-06-16T00:00:00Z"), 1),
        ("g1", day("2026-06-12T00:00:00Z"), 1), ("g1", day("2026-06-16T00:00:00Z"), 1), ("g3", -1, 1)]
    # g1 (u2, u3, u4, u6; deleted users too): every day's first login has no previous one but u3's 06-14 (prev 06-05,
    # 9 days) and 06-16 (prev 06-14, 2 days: only gap1)
    ones = (1, 1, 1, 1, 1, 1, 1)
    assert rows(engine, "SELECT day, active, gap1, gap2, gap3, gap4, gap5, gap6 FROM scope_login_days "
                        "WHERE group_id = 'g1' ORDER BY day") == [
        (day(d), *ones) for d in ("2026-05-01T00:00:00Z", "2026-06-05T00:00:00Z", "2026-06-12T00:00:00Z",
                                  "2026-06-14T00:00:00Z", "2026-06-15T00:00:00Z")] + [
        (day("2026-06-16T00:00:00Z"), 1, 1, 0, 0, 0, 0, 0)]
    assert rows(engine, "SELECT COUNT(*) FROM scope_login_days WHERE group_id = 'g3'") == [(0,)]


def test_scope_sessions_kept_at_import(loaded):
    # registered in s1: u3 (b1 done, b2 passed, b3 attended: 100 %), u4 (0 %), u6 (deleted, 0 %); u5 on the waiting
    # list; s2 has no enrollment. Every key holding u3, u4, u6 ('', g0, g1, g2) has them; g3 (u5) has none
    assert rows(loaded, "SELECT group_id, session_id, registered, progress_sum FROM scope_sessions "
                        "ORDER BY group_id, session_id") == [(g, "s1", 3, 100.0) for g in ("", "g0", "g1", "g2")]


def test_scope_sessions_follow_enrollments(loaded):
    # u4 leaves s1: two registrations left in every key
    with loaded.begin() as conn:
        conn.execute(text("UPDATE enrollments SET unassigned_at = 1780000000 WHERE user_id = 'u4'"))
        derive.refresh(conn, {"enrollments"})
    assert rows(loaded, "SELECT group_id, registered, progress_sum FROM scope_sessions ORDER BY group_id") == [
        (g, 2, 100.0) for g in ("", "g0", "g1", "g2")]


def test_registered_in_running_sessions_by_scope(loaded, now):
    # s1 runs (06-01 to 07-01), s2 is upcoming. A coach of g1: u3, u4, u6 registered in s1 (100, 0, 0 %); a coach
    # of g3 who instructs s1 sees s1 but only g3's people (u5, not registered); an instructor of s1 who manages no
    # group sees nobody's registrations; a coach of g1 and g3 (two keys) the same three as g1 alone
    scopes = {"g1": Scope(user_id="u2", coach_groups=("g1",)),
              "g3 + s1": Scope(user_id="u2", coach_groups=("g3",), instructor_sessions=("s1",)),
              "s1": Scope(user_id="u7", instructor_sessions=("s1",)),
              "g1 + g3": Scope(user_id="u2", coach_groups=("g1", "g3"))}
    with loaded.connect() as conn:
        got = {name: q.kpis(conn, scope, now) for name, scope in scopes.items()}
    counts = {name: (k["sessions_running"], k["registered_running"], k["avg_progress_running"])
              for name, k in got.items()}
    assert counts == {"g1": (1, 3, pytest.approx(100 / 3)), "g3 + s1": (1, 0, None), "s1": (1, 0, None),
                      "g1 + g3": (1, 3, pytest.approx(100 / 3))}


def test_overview_of_several_groups_counts_each_learner_once(loaded, now):
    # coach of g1 and of its own descendant g2, and of g3: u3, u4 (g2) and u5 (g3), u6 deleted
    scope = Scope(user_id="u2", coach_groups=("g1", "g2", "g3"))
    with loaded.connect() as conn:
        k = q.kpis(conn, scope, now)
        recency = q.learners_by_recency(conn, scope, now)
        weeks = trends.weekly_active_learners(conn, scope, now, tz="UTC", weeks=2)
        counts = uq.user_counts(conn, scope, now)
    assert (k["learners"], k["active_7d"], k["active_30d"], k["never"]) == (3, 2, 2, 1)
    assert [r["learners"] for r in recency] == [1, 1, 0, 0, 0, 0, 1]
    # week of 06-08: u4 06-12, u3 06-14; this week: u2 06-15 08:00
    assert [r["active"] for r in weeks] == [2, 1]
    assert counts == {"current": 4, "deleted": 1}  # u2, u3, u4, u5; u6


def test_users_list_total_of_a_coach(loaded, now):
    coach = Scope(user_id="u2", coach_groups=("g1",))
    with loaded.connect() as conn:
        page = uq.users_page(conn, coach, now)
        filtered = uq.users_page(conn, coach, now, filter_model={
            "email": {"filterType": "text", "type": "contains", "filter": "lea"}})
    assert page["total"] == 3 and [r["user_id"] for r in page["rows"]] == ["u2", "u3", "u4"]
    assert filtered["total"] == 1 and [r["user_id"] for r in filtered["rows"]] == ["u3"]


def _xapi(engine, tmp_path, items=None, scoped=False, name="in"):
    return ingest(engine, read_paths([xb.write(tmp_path / name, items)]), ts("2026-06-15T11:00:00Z"), scoped=scoped)


def test_scope_facts_follow_the_xapi_fold(engine, tmp_path):
    _xapi(engine, tmp_path)
    key = "xapi:lms.test"
    assert rows(engine, "SELECT user_id, learner, deleted, last_login_at FROM scope_users WHERE group_id = :g "
                        "ORDER BY user_id", g=key) == [
        (ADA, 1, 0, ts("2026-06-14T08:00:00Z")), (BOB, 1, 0, ts("2026-06-09T09:00:00Z")),
        (CY, 1, 0, ts("2026-06-08T10:00:00Z"))]
    # logins: bob 06-01, 06-05 (4 days after), 06-07 (2), 06-09 (2); cy 06-08; ada 06-10, 06-14 (4)
    assert rows(engine, "SELECT day, active, gap1, gap2, gap3, gap4, gap5, gap6 FROM scope_login_days "
                        "WHERE group_id = :g ORDER BY day", g=key) == [
        (day("2026-06-01T00:00:00Z"), 1, 1, 1, 1, 1, 1, 1), (day("2026-06-05T00:00:00Z"), 1, 1, 1, 1, 0, 0, 0),
        (day("2026-06-07T00:00:00Z"), 1, 1, 0, 0, 0, 0, 0), (day("2026-06-08T00:00:00Z"), 1, 1, 1, 1, 1, 1, 1),
        (day("2026-06-09T00:00:00Z"), 1, 1, 0, 0, 0, 0, 0), (day("2026-06-10T00:00:00Z"), 1, 1, 1, 1, 1, 1, 1),
        (day("2026-06-14T00:00:00Z"), 1, 1, 1, 1, 0, 0, 0)]
    coach = Scope(user_id="x", coach_groups=(key,))
    with engine.connect() as conn:
        weeks = trends.weekly_active_learners(conn, coach, datetime(2026, 6, 15, 12, tzinfo=UTC), weeks=3)
    assert [r["active"] for r in weeks] == [1, 3, 0]  # bob; cy, bob, ada; nobody yet
    # a posted batch (scoped): the last login at once, the per-day counts at the refresher's pass
    login = "https://xapi.edlm/profiles/edlm-lms/concepts/verbs/login"
    report = _xapi(engine, tmp_path, [xb.st(17, "ada", login, {"id": xb.HOST}, "2026-06-16T07:00:00Z", context=None)],
                   scoped=True, name="more")
    assert rows(engine, "SELECT group_id, last_login_at FROM scope_users WHERE user_id = :u ORDER BY group_id",
                u=ADA) == [(g, ts("2026-06-16T07:00:00Z")) for g in ("", "xapi", key)]
    with engine.begin() as conn:
        derive.refresh_dependent(conn, report.changed)
    assert rows(engine, "SELECT day, learners FROM scope_recency WHERE group_id = :g ORDER BY day", g=key) == [
        (day("2026-06-08T00:00:00Z"), 1), (day("2026-06-09T00:00:00Z"), 1), (day("2026-06-16T00:00:00Z"), 1)]
    assert rows(engine, "SELECT active, gap1, gap2 FROM scope_login_days WHERE group_id = :g AND day = :d", g=key,
                d=day("2026-06-16T00:00:00Z")) == [(1, 1, 0)]


def test_scope_sessions_follow_the_xapi_fold(engine, tmp_path):
    # the run: ada registered (100 %), bob unregistered, cy enrolled by her first statement (0 %); keys '', 'xapi'
    # and the LMS's hold all three
    _xapi(engine, tmp_path)
    key, sql = "xapi:lms.test", "SELECT group_id, registered, progress_sum FROM scope_sessions ORDER BY group_id"
    assert rows(engine, sql) == [(g, 2, 100.0) for g in ("", "xapi", key)]
    # bob registers again (his quiz block done of two: 50 %): counted at the refresher's pass
    again = xb.st(17, "bob", "registered", xb.RUN_OBJ, "2026-06-10T09:00:00Z", context=None)
    report = _xapi(engine, tmp_path, [again], scoped=True, name="more")
    assert rows(engine, sql) == [(g, 2, 100.0) for g in ("", "xapi", key)]
    with engine.begin() as conn:
        derive.refresh_dependent(conn, report.changed)
    assert rows(engine, sql) == [(g, 3, 150.0) for g in ("", "xapi", key)]
