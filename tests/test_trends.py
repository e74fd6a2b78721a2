"""Trends: login_days, the activity trend, the cohort comparison, pace and the Overview's weekly active learners,
on SQLite and PostgreSQL. Every expected value is worked out by hand in tests/trends_bundle.py."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import select, text

from dashboard.factory import create_app
from dashboard.settings import Settings
from data_access import migrate, schema
from data_access.exports import trends as export
from data_access.importer import import_bundle
from data_access.queries import trends as q
from data_access.scope import Scope, scope_for_email
from data_access.write import derive
from tests import trends_bundle as tb
from tests.signing import signed_in_client

NOW = tb.NOW
OWNER = Scope.owner()
PARIS = "Europe/Paris"

TREND_UTC = ("\ufeffWeek,Participants,Active learners,Active (%),Progress (%)\r\n"
             "2026/03/16,4,1,25,0\r\n2026/03/23,4,2,50,33.3\r\n2026/03/30,4,1,25,33.3\r\n2026/04/06,4,1,25,41.7\r\n")
TREND_PARIS = ("\ufeffWeek,Participants,Active learners,Active (%),Progress (%)\r\n"
               "2026/03/16,4,2,50,0\r\n2026/03/23,4,2,50,25\r\n2026/03/30,4,2,50,33.3\r\n2026/04/06,4,2,50,41.7\r\n")
C2_WEEKS = ["2026/01/05", "2026/01/12", "2026/01/19", "2026/01/26", "2026/02/02", "2026/02/09", "2026/02/16",
            "2026/02/23"]
COMPARE_UTC = ("\ufeffCohort,Session ID,Week N,Week,Active (%),Progress (%)\r\n"
               "Academy March,c1,1,2026/03/16,25,0\r\nAcademy March,c1,2,2026/03/23,50,33.3\r\n"
               "Academy March,c1,3,2026/03/30,25,33.3\r\nAcademy March,c1,4,2026/04/06,25,41.7\r\n"
               + "".join(f"Academy January,c2,{n},{w},{100 if n == 1 else 0},\r\n"
                         for n, w in enumerate(C2_WEEKS, start=1)))


@pytest.fixture
def trends(engine, tmp_path):
    import_bundle(engine, tb.write(tmp_path / "trends"))
    return engine


def _csv(chunks) -> str:
    return "".join(chunks)


def test_login_days_per_utc_day_with_first_last_and_previous_login(trends):
    ld = schema.login_days
    with trends.connect() as conn:
        rows = conn.execute(select(ld.c.user_id, ld.c.day, ld.c.logins, ld.c.first_at, ld.c.last_at, ld.c.prev_at)
                            .where(ld.c.user_id == "u1").order_by(ld.c.day)).all()

    def ts(iso):
        return int(datetime.fromisoformat(iso).replace(tzinfo=UTC).timestamp())

    assert [tuple(r) for r in rows] == [
        ("u1", ts("2026-01-07T10:00") // 86400, 1, ts("2026-01-07T10:00"), ts("2026-01-07T10:00"), None),
        ("u1", ts("2026-03-22T12:00") // 86400, 1, ts("2026-03-22T12:00"), ts("2026-03-22T12:00"),
         ts("2026-01-07T10:00")),
        ("u1", ts("2026-03-29T00:00") // 86400, 2, ts("2026-03-29T21:00"), ts("2026-03-29T22:30"),
         ts("2026-03-22T12:00")),
    ]


def test_login_days_refreshed_for_some_users_equal_a_full_refresh(trends):
    ld = schema.login_days
    with trends.begin() as conn:
        full = conn.execute(select(ld).order_by(ld.c.user_id, ld.c.day)).all()
        conn.execute(text("DELETE FROM logins WHERE user_id = 'u2' AND at > 1775000000"))
        conn.execute(text("INSERT INTO logins (user_id, at) VALUES ('u4', 1775210000)"))
        derive.refresh_for(conn, {"logins"}, rows="1 = 0", users="SELECT 'u2' UNION SELECT 'u4'")
        some = conn.execute(select(ld).order_by(ld.c.user_id, ld.c.day)).all()
        derive.refresh_login_days(conn)
        assert conn.execute(select(ld).order_by(ld.c.user_id, ld.c.day)).all() == some
    assert some != full
    assert [r.user_id for r in some if r.user_id in ("u2", "u4")] == ["u2", "u4"]


def test_migration_fills_login_days_and_completion_times(bare_trends):
    engine, expected = bare_trends
    ld, br = schema.login_days, schema.block_results
    with engine.connect() as conn:
        assert conn.execute(select(ld).order_by(ld.c.user_id, ld.c.day)).all() == expected[0]
        assert conn.execute(select(br).order_by(br.c.block_id, br.c.user_id)).all() == expected[1]


@pytest.fixture
def bare_trends(engine, tmp_path):
    import_bundle(engine, tb.write(tmp_path / "trends"))
    ld, br = schema.login_days, schema.block_results
    with engine.connect() as conn:
        expected = (conn.execute(select(ld).order_by(ld.c.user_id, ld.c.day)).all(),
                    conn.execute(select(br).order_by(br.c.block_id, br.c.user_id)).all())
    # completion times as metrics.md defines them: u1's b1 in its first attempt, u2's b1 not completed now
    done = {(r.block_id, r.user_id): r.completed_at for r in expected[1]}
    assert done[("b1", "u1")] == int(datetime(2026, 3, 24, 10, tzinfo=UTC).timestamp())
    assert done[("b1", "u2")] is None and done[("b3", "u4")] is None
    assert done[("b3", "u1")] == int(datetime(2026, 3, 25, 9, tzinfo=UTC).timestamp())
    with engine.begin() as conn:
        command.downgrade(migrate.config(conn), "0008_xapi_user_live")
    migrate.upgrade(engine)
    return engine, expected


def test_activity_trend_utc_cohort_starting_on_a_sunday(trends):
    with trends.connect() as conn:
        trend = q.activity_trend(conn, OWNER, NOW, session_id="c1", tz="UTC")
        csv = _csv(export.activity_trend(conn, OWNER, NOW, "UTC", "c1"))
    assert [w["monday"] for w in trend["weeks"]] == ["2026-03-16", "2026-03-23", "2026-03-30", "2026-04-06"]
    assert [w["current"] for w in trend["weeks"]] == [False, False, False, True]
    assert trend["participants"] == 4 and trend["blocks"] == 3
    assert csv == TREND_UTC


def test_activity_trend_where_the_week_boundary_moves(trends):
    """Europe/Paris: Monday 00:00 is 23:00 UTC, then 22:00 UTC after 03-29; a UTC day holds the boundary."""
    with trends.connect() as conn:
        trend = q.activity_trend(conn, OWNER, NOW, session_id="c1", tz=PARIS)
        csv = _csv(export.activity_trend(conn, OWNER, NOW, PARIS, "c1"))
    assert [w["start"] for w in trend["weeks"]] == [
        int(datetime(2026, 3, d, h, tzinfo=UTC).timestamp()) for d, h in ((15, 23), (22, 23), (29, 22))
    ] + [int(datetime(2026, 4, 5, 22, tzinfo=UTC).timestamp())]
    assert csv == TREND_PARIS


def test_a_login_after_now_on_the_day_a_week_starts_does_not_count(trends):
    """now = Sunday 04-05 22:30 UTC = Monday 00:30 in Paris: u3's day 04-05 has logins at 21:00 (last week) and
    23:00 (after now), so nobody is active yet in the week that began at 22:00 UTC."""
    now = datetime(2026, 4, 5, 22, 30, tzinfo=UTC)
    with trends.connect() as conn:
        csv = _csv(export.activity_trend(conn, OWNER, now, PARIS, "c1"))
        utc = _csv(export.activity_trend(conn, OWNER, now, "UTC", "c1"))
    assert csv.splitlines()[1:] == ["2026/03/16,4,2,50,0", "2026/03/23,4,2,50,25", "2026/03/30,4,2,50,33.3",
                                    "2026/04/06,4,0,0,33.3"]
    assert utc.splitlines()[1:] == ["2026/03/16,4,1,25,0", "2026/03/23,4,2,50,33.3", "2026/03/30,4,1,25,33.3"]


def test_trend_of_a_coach_counts_only_their_participants(trends):
    with trends.connect() as conn:
        coach = scope_for_email(conn, "coach@ex.com")
        csv = _csv(export.activity_trend(conn, coach, NOW, "UTC", "c1"))
        with pytest.raises(LookupError):
            q.activity_trend(conn, coach, NOW, session_id="c4", tz="UTC")
    assert csv.splitlines()[1:] == ["2026/03/16,2,1,50,0", "2026/03/23,2,1,50,50", "2026/03/30,2,0,0,50",
                                    "2026/04/06,2,1,50,50"]


def test_upcoming_cohort_has_no_week_and_unknown_cohort_is_not_found(trends):
    with trends.connect() as conn:
        assert _csv(export.activity_trend(conn, OWNER, NOW, "UTC", "c3")) == \
            "\ufeffWeek,Participants,Active learners,Active (%),Progress (%)\r\n"
        with pytest.raises(LookupError):
            q.activity_trend(conn, OWNER, NOW, session_id="nope", tz="UTC")


def test_cohort_comparison_by_week_n(trends):
    with trends.connect() as conn:
        assert _csv(export.cohort_compare(conn, OWNER, NOW, "UTC", ["c1", "c2"])) == COMPARE_UTC
        for bad in (["c1"], ["c1", "c1"], ["c1", "c2", "c3", "c4", "x", "y"], [], None, [1, 2]):
            with pytest.raises(ValueError):
                q.cohort_comparison(conn, OWNER, NOW, session_ids=bad, tz="UTC")


def test_default_comparison_is_this_cohort_and_the_previous_ones_of_its_template(trends):
    with trends.connect() as conn:
        assert q.default_comparison(conn, OWNER, NOW, session_id="c1") == ["c1", "c2"]
        assert q.default_comparison(conn, OWNER, NOW, session_id="c2") == ["c2"]
        assert q.default_comparison(conn, OWNER, NOW, program_id="pr1") == ["c1", "c2"]
        coach = scope_for_email(conn, "coach@ex.com")
        assert q.default_comparison(conn, coach, NOW, session_id="c1") == ["c1", "c2"]
        assert [c["session_id"] for c in q.comparable_cohorts(conn, coach, NOW)] == ["c1", "c2"]
        assert [c["session_id"] for c in q.comparable_cohorts(conn, OWNER, NOW)] == ["c1", "c4", "c2"]


def test_pace(trends):
    """At now, u1 finished, u3 (2 of 3 since 03-29 22:30: 1.46 blocks a week) ends 04-13 06:45, before end_at;
    u2 (b1 completed only in an earlier attempt) and u4 completed nothing: behind, no projection."""
    with trends.connect() as conn:
        p = q.pace(conn, OWNER, NOW, session_id="c1")
        assert (p["running"], p["participants"], p["finished"]) == (True, 4, 1)
        assert [(r["user_id"], r["completed"], r["projected_finish"]) for r in p["behind"]] == [
            ("u2", 0, None), ("u4", 0, None)]  # by last name: Beta, Delta
        later = datetime(2026, 5, 20, 12, tzinfo=UTC)
        csv = _csv(export.pace(conn, OWNER, later, "UTC", "c1"))
        assert csv == ("\ufeffFirst name,Last name,Email,Blocks completed,Blocks,Started,Blocks per week,"
                       "Projected finish\r\n"
                       "Bea,Beta,u2@ex.com,0,3,2026/03/23 10:00,,\r\n"
                       "Dan,Delta,u4@ex.com,0,3,,,\r\n"
                       "Cal,Gamma,u3@ex.com,2,3,2026/03/29 22:30,0.3,2026/06/15 06:45\r\n")
        assert q.pace(conn, OWNER, NOW, session_id="c2")["running"] is False


def test_weekly_active_learners_of_the_overview(trends):
    with trends.connect() as conn:
        weeks = q.weekly_active_learners(conn, OWNER, NOW, tz="UTC", weeks=4)
        paris = q.weekly_active_learners(conn, OWNER, NOW, tz=PARIS, weeks=4)
        coach = q.weekly_active_learners(conn, scope_for_email(conn, "coach@ex.com"), NOW, tz=PARIS, weeks=4)
    assert [(w["monday"], w["active"], w["current"]) for w in weeks] == [
        ("2026-03-16", 1, False), ("2026-03-23", 3, False), ("2026-03-30", 1, False), ("2026-04-06", 1, True)]
    # Paris: u5 (deleted) counts in its week (history); u2's Sunday-night login is in the week of 03-16
    assert [w["active"] for w in paris] == [2, 3, 2, 2]
    assert [w["active"] for w in coach] == [2, 1, 1, 1]


@pytest.fixture
def sqlite_app(tmp_path):
    url = f"sqlite:///{tmp_path / 't.sqlite3'}"
    settings = Settings.from_env(env={}, database_url=url, now_override=NOW, seed_demo_on_empty=False,
                                 data_dir=tmp_path, timezone=PARIS)
    app = create_app(settings)
    import_bundle(app.server.extensions["learnpulse"].engine, tb.write(tmp_path / "trends"))
    return url, signed_in_client(app)


def _cli(url: str, *args: str, out) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", "export", *args, "--now", NOW.isoformat(), "-o",
                           str(out)], capture_output=True, text=True,
                          env={"DATABASE_URL": url, "PATH": "", "LEARNPULSE_TIMEZONE": PARIS}, timeout=120)


def test_downloads_serve_the_cli_bytes(sqlite_app, tmp_path):
    url, client = sqlite_app
    page = client.get("/download/activity-trend.csv?session=c1")
    assert page.status_code == 200 and page.data == TREND_PARIS.encode("utf-8")
    assert _cli(url, "activity-trend", "--session", "c1", out=tmp_path / "t.csv").returncode == 0
    assert (tmp_path / "t.csv").read_bytes() == page.data
    compare = client.get("/download/cohort-compare.csv?session=c2&session=c1")
    assert compare.status_code == 200 and compare.data.decode("utf-8").splitlines()[1].startswith(
        "Academy January,c2,1,2026/01/05,100,")
    assert _cli(url, "cohort-compare", "--session", "c2", "--session", "c1", out=tmp_path / "c.csv").returncode == 0
    assert (tmp_path / "c.csv").read_bytes() == compare.data
    pace = client.get("/download/pace.csv?session=c1")
    assert _cli(url, "pace", "--session", "c1", out=tmp_path / "p.csv").returncode == 0
    assert (tmp_path / "p.csv").read_bytes() == pace.data
    assert client.get("/download/cohort-compare.csv?session=c1").status_code == 400
    bad = _cli(url, "cohort-compare", "--session", "c1", out=tmp_path / "x.csv")
    assert bad.returncode != 0 and "Compare 2 to 5 cohorts" in bad.stderr


@pytest.fixture
def web(trends, tmp_path):
    url = trends.url.render_as_string(hide_password=False)
    app = create_app(Settings.from_env(env={}, database_url=url, now_override=NOW, seed_demo_on_empty=False,
                                       data_dir=tmp_path))
    return app, signed_in_client(app)


def _call(client, app, first_output: str, inputs: dict):
    from tests.dashcalls import payload

    response = client.post("/_dash-update-component", json=payload(app, first_output, inputs))
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]


def test_trend_callback_and_malformed_cohorts(web):
    from dashboard.ids import Participants as P
    from dashboard.ids import Trend as T

    app, client = web
    out = _call(client, app, T.CHART, {f"{P.COHORT}.value": "c1"})
    assert [r["week"] for r in out[T.TABLE]["rowData"]] == ["2026/03/16", "2026/03/23", "2026/03/30", "2026/04/06"]
    assert out[T.DOWNLOAD]["href"] == "/download/activity-trend.csv?session=c1"
    assert out[T.COMPARE]["href"] == "/compare?session=c1"
    pace = _call(client, app, T.PACE, {f"{P.COHORT}.value": "c1"})
    assert "2 of 4" in str(pace[T.PACE]["children"])
    assert pace[T.PACE_DOWNLOAD]["href"] == "/download/pace.csv?session=c1"
    from tests.dashcalls import payload

    rows = client.post("/_dash-update-component", json=payload(
        app, T.PACE_LIST, {f"{T.PACE_SHOW}.n_clicks": 1}, {f"{T.PACE_LIST}.style": {"display": "none"},
                                                          f"{P.COHORT}.value": "c1"})).get_json()["response"]
    assert [r["user_id"] for r in rows[T.PACE_GRID]["rowData"]] == ["u2", "u4"]
    for bad in (None, 12, ["c1"], {"a": 1}, "", "x" * 5000):
        text_out = str(_call(client, app, T.CHART, {f"{P.COHORT}.value": bad}))
        assert "Choose a cohort" in text_out or "no program session" in text_out
        assert _call(client, app, T.PACE, {f"{P.COHORT}.value": bad})[T.PACE]["children"] is None


def test_compare_callback_and_malformed_choices(web):
    from dashboard.ids import Compare as C

    app, client = web
    out = _call(client, app, C.CHART, {f"{C.PICK}.value": ["c2", "c1"]})
    assert len(out[C.GRID]["rowData"]) == 12 and out[C.GRID]["rowData"][0]["session_id"] == "c2"
    assert out[C.DOWNLOAD]["href"] == "/download/cohort-compare.csv?session=c2&session=c1"
    assert [t["name"] for t in out[C.CHART]["figure"]["data"]] == ["Academy January"] * 2 + ["Academy March"] * 2
    for bad in (None, "c1", ["c1"], ["c1", "c1"], [1, 2], [{"a": 1}, "c1"], ["c1", "c2", "c3", "c4", "a", "b"],
                {"c1": 1}, float("nan")):
        assert "Choose 2 to 5 cohorts" in str(_call(client, app, C.CHART, {f"{C.PICK}.value": bad}))


def test_compare_page_keeps_the_choice_and_opens_with_the_previous_cohorts(web):
    from tests.signing import page_content

    app, client = web
    one = page_content(client, app, "/compare", "?session=c1")
    assert '"value":["c1","c2"]' in one.replace(" ", "")
    assert '"value":["c2","c1"]' in page_content(client, app, "/compare", "?session=c2&session=c1").replace(" ", "")
    assert '"value":["c1","c2"]' in page_content(client, app, "/compare", "?program=pr1").replace(" ", "")
    assert '"value":[]' in page_content(client, app, "/compare", "?session=nope&session=%00").replace(" ", "")
