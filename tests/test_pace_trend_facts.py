"""The facts behind the pace and the weekly trend of a large cohort: session_users.first_activity_at and the cohort
facts (cohort_scopes, cohort_days), hand-computed from tests/trends_bundle.py (with the share size kept lowered to
one participant); the trend read from them equals the trend counted from the logins for every now, zone and viewer;
the pace in SQL equals pace's arithmetic in Python, ties included; the xAPI fold and migration 0020 keep and fill the
same facts as an import."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import select, text

from data_access import cohort_counts, migrate, schema
from data_access.queries import trends as q
from data_access.scope import Scope, scope_for_email
from data_access.write import derive, derive_cohort
from data_access.write.xapi.ingest import ingest
from data_access.xapi.sources import read_paths
from tests import snapshot
from tests import trends_bundle as tb
from tests import xapi_bundle as xb

OWNER = Scope.owner()
DAY = 86_400


def ts(iso: str) -> int:
    return int(datetime.fromisoformat(iso).replace(tzinfo=UTC).timestamp())


def day(iso: str) -> int:
    return ts(iso) // DAY


def rows(engine, sql: str, **params) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


@pytest.fixture
def small(engine, tmp_path, monkeypatch):
    """The trends bundle with the cohort facts kept for shares of one participant or more."""
    snapshot.import_bundle(engine, tb.write(tmp_path / "trends"))
    monkeypatch.setattr(derive_cohort, "MIN_PARTICIPANTS", 1)
    with engine.begin() as conn:
        derive_cohort.refresh(conn, {"logins"})
    return engine


def test_first_activity_is_the_earliest_start_of_a_block_result(small):
    # c1: u1's attempt of b1 started 03-22 10:00 (before b3's slot 03-25, b2 03-29); u2's attempt 03-23 10:00; u3's
    # assessment 03-29 22:30 (their attempt started 04-06); u4 attended b3 at 0 %, u5 and u6 did nothing
    assert rows(small, "SELECT session_id, user_id, first_activity_at FROM session_users ORDER BY 1, 2") == [
        ("c1", "u1", ts("2026-03-22T10:00")), ("c1", "u2", ts("2026-03-23T10:00")),
        ("c1", "u3", ts("2026-03-29T22:30")), ("c1", "u4", None), ("c1", "u5", None), ("c1", "u6", None),
        ("c2", "u1", None), ("c4", "u3", None)]


def test_cohort_scopes_hold_the_participants_of_each_kept_key(small):
    # keys: '' (everyone), g0 (own is its admin) and ga (coach's); gb has no admin or coach. Participants: registered,
    # not deleted (u5 is deleted, u6 on the waiting list); c3 has none
    assert rows(small, "SELECT session_id, group_id, participants FROM cohort_scopes ORDER BY 1, 2") == [
        ("c1", "", 4), ("c1", "g0", 4), ("c1", "ga", 2), ("c2", "", 1), ("c2", "g0", 1), ("c2", "ga", 1),
        ("c4", "", 1), ("c4", "g0", 1)]


ALL_GAPS = (1, 1, 1, 1, 1, 1, 1)
NO_LOGIN = (0, 0, 0, 0, 0, 0, 0)


def test_cohort_days_count_logins_and_completions_per_utc_day(small):
    # c1's days (logins from 03-15, a week before its start): every login day's previous login is a week or more
    # before (u1 03-22 after 01-07, 03-29 after 03-22; u2 04-08 after 03-15; u3 04-05 after 03-25) or none.
    # Completions fall in the day ending at or after them: u1 b1 03-24, b3 03-25 (the slot's start), b2 03-29 21:30,
    # u3 b2 03-29 22:30, b1 04-07. last_at: the day's latest login or completion
    got = rows(small, "SELECT day, active, gap1, gap2, gap3, gap4, gap5, gap6, completed, last_at FROM cohort_days "
                      "WHERE session_id = 'c1' AND group_id = '' ORDER BY day")
    assert got == [
        (day("2026-03-15"), *ALL_GAPS, 0, ts("2026-03-15T23:30")),
        (day("2026-03-22"), *ALL_GAPS, 0, ts("2026-03-22T12:00")),
        (day("2026-03-24"), *NO_LOGIN, 1, ts("2026-03-24T10:00")),
        (day("2026-03-25"), *ALL_GAPS, 1, ts("2026-03-25T10:00")),
        (day("2026-03-29"), *ALL_GAPS, 2, ts("2026-03-29T22:30")),
        (day("2026-04-05"), *ALL_GAPS, 0, ts("2026-04-05T23:00")),
        (day("2026-04-07"), *NO_LOGIN, 1, ts("2026-04-07T09:00")),
        (day("2026-04-08"), *ALL_GAPS, 0, ts("2026-04-08T13:00"))]
    # the coach's share (u1, u2)
    assert rows(small, "SELECT day, active, completed FROM cohort_days WHERE session_id = 'c1' AND group_id = 'ga' "
                       "ORDER BY day") == [
        (day("2026-03-15"), 1, 0), (day("2026-03-22"), 1, 0), (day("2026-03-24"), 0, 1), (day("2026-03-25"), 0, 1),
        (day("2026-03-29"), 1, 1), (day("2026-04-08"), 1, 0)]
    # a completion at midnight belongs to the day it ends
    with small.begin() as conn:
        conn.execute(text("UPDATE block_results SET completed_at = :t WHERE block_id = 'b1' AND user_id = 'u3'"),
                     {"t": ts("2026-04-07T00:00")})
        derive_cohort.refresh(conn, {"logins"})
    assert rows(small, "SELECT day, completed FROM cohort_days WHERE session_id = 'c1' AND group_id = '' "
                       "AND day IN (:a, :b) ORDER BY day", a=day("2026-04-06"), b=day("2026-04-07")) == [
        (day("2026-04-06"), 1)]


def test_trend_read_from_the_facts(small):
    """UTC weeks 03-16, 03-23, 03-30, 04-06: active 1, 2, 1, 1; blocks completed by their ends 0, 4, 4, 5 of 4 x 3.
    At NOW (04-08 12:00) the day holds u2's 13:00 login, after now: today is read from the logins (u2's 08:00
    counts); a day later the facts say all of it."""
    for now in (tb.NOW, tb.NOW + timedelta(days=1)):
        with small.connect() as conn:
            trend = q.activity_trend(conn, OWNER, now, session_id="c1", tz="UTC")
            _m, bounds = q.weeks_between(q.monday_of(trend["start_at"], "UTC"), q.monday_of(int(now.timestamp()),
                                                                                            "UTC"), "UTC")
            facts = cohort_counts.trend(conn, OWNER, "c1", bounds, int(now.timestamp()))
        assert facts == (4, {0: 1, 1: 2, 2: 1, 3: 1}, [0, 4, 4, 5])
        assert [(w["active"], round(w["progress_pct"], 1)) for w in trend["weeks"]] == [
            (1, 0.0), (2, 33.3), (1, 33.3), (1, 41.7)]
    paris = q.weeks_between(q.monday_of(trend["start_at"], "Europe/Paris"),
                            q.monday_of(int(tb.NOW.timestamp()), "Europe/Paris"), "Europe/Paris")[1]
    with small.connect() as conn:  # Paris's weeks start at 23:00 or 22:00 UTC: counted from the logins
        assert cohort_counts.trend(conn, OWNER, "c1", paris, int(tb.NOW.timestamp())) is None


def _trend_without_facts(engine, scope, now, tz):
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM cohort_scopes"))
        trend = q.activity_trend(conn, scope, now, session_id="c1", tz=tz)
        conn.rollback()
    return trend


def test_trend_from_the_facts_equals_the_trend_from_the_logins(small):
    """Every 5 hours from before the start to after the end (and at midnights), for the owner, an admin of the root
    group's key, the coach, an instructor of c1 (all of it) and a coach of two groups (no single key)."""
    with small.connect() as conn:
        viewers = [OWNER, Scope(user_id="x", admin_groups=("g0",)), scope_for_email(conn, "coach@ex.com"),
                   Scope(user_id="x", instructor_sessions=("c1",)), Scope(user_id="x", coach_groups=("ga", "gb"))]
    start = datetime(2026, 3, 14, tzinfo=UTC)
    nows = [start + timedelta(hours=5 * i) for i in range(0, 24 * 90 // 5)] + [
        datetime(2026, 3, 30, tzinfo=UTC), datetime(2026, 4, 6, tzinfo=UTC), datetime(2026, 4, 7, tzinfo=UTC),
        datetime(2026, 4, 8, 13, tzinfo=UTC), datetime(2026, 4, 8, 13, 0, 1, tzinfo=UTC)]
    used = 0
    for scope in viewers:
        for now in nows:
            with small.connect() as conn:
                facts = q.activity_trend(conn, scope, now, session_id="c1", tz="UTC")
                bounds = [w["start"] for w in facts["weeks"]] + [w["end"] for w in facts["weeks"]][-1:]
                used += bool(facts["weeks"]) and cohort_counts.trend(conn, scope, "c1", bounds,
                                                                     int(now.timestamp())) is not None
            assert facts == _trend_without_facts(small, scope, now, "UTC"), (scope, now)
    assert used == 4 * len([n for n in nows if n >= datetime(2026, 3, 22, tzinfo=UTC)])


def test_pace_of_a_coach_and_the_summary(small):
    with small.connect() as conn:
        coach = scope_for_email(conn, "coach@ex.com")
        p = q.pace(conn, coach, tb.NOW, session_id="c1")
        s = q.pace_summary(conn, coach, tb.NOW, session_id="c1")
        first = q.pace(conn, OWNER, tb.NOW, session_id="c1", limit=1)
    # u1 finished; u2 completed nothing now (behind)
    assert (p["participants"], p["finished"], [r["user_id"] for r in p["behind"]]) == (2, 1, ["u2"])
    assert (s["participants"], s["finished"], s["behind"], s["running"]) == (2, 1, 1, True)
    assert [r["user_id"] for r in first["behind"]] == ["u2"] and first["behind_total"] == 2


def test_the_list_behind_pace_shows_its_first_ones(small, tmp_path, monkeypatch):
    from callbacks import trends as cb
    from dashboard.core.ids import Participants as P
    from dashboard.core.ids import Trend as T
    from dashboard.core.settings import Settings
    from dashboard.factory import create_app
    from tests.dashcalls import payload
    from tests.signing import signed_in_client

    url = small.url.render_as_string(hide_password=False)
    app = create_app(Settings.from_env(env={}, database_url=url, now_override=tb.NOW, seed_demo_on_empty=False,
                                       data_dir=tmp_path))
    client = signed_in_client(app)
    monkeypatch.setattr(cb, "PACE_LISTED", 1)
    out = client.post("/_dash-update-component", json=payload(
        app, T.PACE_LIST, {f"{T.PACE_SHOW}.n_clicks": 1},
        {f"{T.PACE_LIST}.style": {"display": "none"}, f"{P.COHORT}.value": "c1"})).get_json()["response"]
    assert [r["user_id"] for r in out[T.PACE_GRID]["rowData"]] == ["u2"]  # Beta before Delta
    assert out[T.PACE_NOTE]["children"] == "The first 1 of 2, by last name; the CSV lists them all."
    assert cb.pace_note({"behind": [{}, {}], "behind_total": 2}) is None


def _python_behind(done: int, total: int, first_at: int | None, now_s: int, end_at: int) -> int:
    """pace()'s rule as Python computes it."""
    if total and done >= total:
        return 0
    if not done or first_at is None:
        return 1
    weeks = max(now_s - first_at, q.PACE_MIN_ELAPSED_S) / (7 * DAY)
    return int(now_s + int(round((total - done) / (done / weeks) * 7 * DAY)) > end_at)


def test_behind_pace_in_sql_is_pythons_arithmetic_ties_included(engine):
    """Projections that land on half a second (Python rounds them to the even second) and their neighbours, and
    projections far from end_at: the SQL rule says behind exactly when Python's does."""
    now_s = ts("2026-04-08T12:00")
    cases = []
    for done, total in ((1, 2), (2, 3), (2, 5), (3, 4), (3, 7), (4, 9)):
        for elapsed in (3600, 86_401, 86_403, 100_001, 604_801, 1_000_003, 2_000_001):
            first = now_s - elapsed
            weeks = max(elapsed, q.PACE_MIN_ELAPSED_S) / (7 * DAY)
            x = (total - done) / (done / weeks) * 7 * DAY
            for end in {now_s + int(x) + d for d in (-1, 0, 1)}:
                cases.append((done, total, first, end))
    cases += [(0, 3, now_s - 5 * DAY, now_s + DAY), (3, 3, None, now_s), (2, 0, None, now_s), (1, 3, None, now_s)]
    ties = [c for c in cases if c[1] > c[0] > 0 and c[2] is not None
            and ((c[1] - c[0]) / (c[0] / (max(now_s - c[2], DAY) / (7 * DAY))) * 7 * DAY) % 1 == 0.5]
    assert len(ties) >= 3  # (the half seconds happen)
    su = schema.session_users
    with engine.begin() as conn:
        conn.execute(su.insert(), [
            {"session_id": "x", "user_id": f"p{i:03}", "registered": 1, "blocks_total": total, "blocks_completed": done,
             "progress_pct": 0.0, "time_spent_s": 0, "started": 1, "verified": 0, "first_activity_at": first}
            for i, (done, total, first, _end) in enumerate(cases)])
        for i, (done, total, first, end) in enumerate(cases):
            got = conn.execute(select(q._behind(now_s, end)).where(su.c.user_id == f"p{i:03}")).scalar_one()
            assert got == _python_behind(done, total, first, now_s, end), (done, total, first, end)


@pytest.fixture
def xapi_engine(engine, monkeypatch):
    monkeypatch.setattr(derive_cohort, "MIN_PARTICIPANTS", 1)
    return engine


def test_the_xapi_fold_keeps_the_facts_a_full_refresh_computes(xapi_engine, tmp_path):
    tables = ("SELECT session_id, user_id, first_activity_at FROM session_users ORDER BY 1, 2",
              "SELECT * FROM cohort_scopes ORDER BY 1, 2", "SELECT * FROM cohort_days ORDER BY 1, 2, 3")
    at = ts("2026-06-15T11:00")
    ingest(xapi_engine, read_paths([xb.write(tmp_path / "in")]), at)
    first = [rows(xapi_engine, sql) for sql in tables]
    assert first[1] and first[2] and any(r[2] is not None for r in first[0])
    # a posted batch (scoped): bob registers again and had viewed the handbook on 05-30, before anything else he did
    # in the run: his first activity at once (with his row), the cohort facts at the refresher's pass
    batch = [xb.st(17, "bob", "registered", xb.RUN_OBJ, "2026-06-10T09:00:00Z", context=None),
             xb.st(18, "bob", "http://id.tincanapi.com/verb/viewed", xb.DOC, "2026-05-30T08:00:00Z")]
    report = ingest(xapi_engine, read_paths([xb.write(tmp_path / "more", batch)]), at, scoped=True)
    assert rows(xapi_engine, "SELECT first_activity_at, registered FROM session_users WHERE user_id = :u",
                u=xb.BOB) == [(ts("2026-05-30T08:00"), 1)]
    assert [rows(xapi_engine, sql) for sql in tables[1:]] == first[1:]
    with xapi_engine.begin() as conn:
        derive.refresh_dependent(conn, report.changed)
    folded = [rows(xapi_engine, sql) for sql in tables]
    with xapi_engine.begin() as conn:
        derive.refresh(conn, {t.name for t in schema.BUNDLE_TABLES})
    assert folded == [rows(xapi_engine, sql) for sql in tables]


# --- a cohort large enough for the facts as kept (MIN_PARTICIPANTS): c1 with 420 more learners -----------------
MORE = 420


def _large_bundle(folder):
    users, members, enrolled, logins, attempts = [], [], [], [], []
    for i in range(MORE):
        uid = f"m{i:03}"
        users.append(f"{uid},M,L{i:03},{uid}@ex.com,,,2025-01-01,,{'2026-04-01T00:00:00Z' if i % 97 == 5 else ''},\n")
        members.append(f"{uid},{'ga' if i % 2 else 'gb'},learner\n")
        enrolled.append(f"c1,{uid},{'registered' if i % 50 else 'waiting_list'},assigned,,2026-03-01,\n")
        for k in range(i % 6):
            at = ts("2026-03-14T00:00") + (i * 7919 + k * 3 * DAY + k * 4001) % (60 * DAY)
            logins.append(f"{uid},{datetime.fromtimestamp(at, UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}\n")
        if i % 3:
            start = ts("2026-03-20T00:00") + (i * 3571) % (30 * DAY)
            done = start + (i * 1237) % (9 * DAY) if i % 3 == 1 else None
            iso = [datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if t else "" for t in (start, done)]
            attempts.append(f"x{i:03},{uid},cr1,c1,1,{iso[0]},{iso[1] or iso[0]},{iso[1]},"
                            f"{100 if done else 10},,60,en\n")
    f = tb.FILES
    return tb.write(folder, {
        "users.csv": f["users.csv"] + "".join(users), "memberships.csv": f["memberships.csv"] + "".join(members),
        "enrollments.csv": f["enrollments.csv"] + "".join(enrolled),
        "logins.csv": f["logins.csv"] + "".join(sorted(set(logins))),
        "course_attempts.csv": f["course_attempts.csv"] + "".join(attempts)})


FACTS = ("SELECT session_id, user_id, first_activity_at FROM session_users ORDER BY 1, 2",
         "SELECT * FROM cohort_scopes ORDER BY 1, 2", "SELECT * FROM cohort_days ORDER BY 1, 2, 3")


def test_migration_fills_the_facts_an_import_computes(engine, tmp_path):
    snapshot.import_bundle(engine, _large_bundle(tmp_path / "large"))
    imported = [rows(engine, sql) for sql in FACTS]
    assert [r[1] for r in imported[1]] == ["", "g0", "ga"]  # c1 only; gb has no admin or coach
    with engine.begin() as conn:
        command.downgrade(migrate.config(conn), "0019_adminoverview_regs")
    migrate.upgrade(engine)
    assert [rows(engine, sql) for sql in FACTS] == imported
    with engine.connect() as conn:  # and the trend read from them is the trend counted from the logins
        coach = scope_for_email(conn, "coach@ex.com")
    for scope in (OWNER, coach):
        for now in (tb.NOW, datetime(2026, 4, 20, 15, tzinfo=UTC), datetime(2026, 5, 11, tzinfo=UTC)):
            with engine.connect() as conn:
                trend = q.activity_trend(conn, scope, now, session_id="c1", tz="UTC")
            assert trend == _trend_without_facts(engine, scope, now, "UTC")
            assert trend["participants"] > derive_cohort.MIN_PARTICIPANTS
