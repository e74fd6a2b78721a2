"""At risk and contacts: queries, CSV, command line and download, on SQLite and PostgreSQL. Every expected value
is worked out by hand in tests/at_risk_bundle.py's table."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import delete, insert, select

from dashboard.core.settings import Settings
from dashboard.factory import create_app
from data_access import schema
from data_access.exports import at_risk as export
from data_access.importer import import_bundle
from data_access.queries import at_risk as q
from data_access.queries import participants as pq
from data_access.scope import Scope, scope_for_email
from data_access.write import derive
from tests import at_risk_bundle as ab
from tests import cli, snapshot
from tests.signing import signed_in_client

NOW = ab.NOW
OWNER = Scope.owner()
HEADER = ab.CSV.split("\r\n")[0] + "\r\n"


def set_limits(engine) -> None:
    """r2 and r3: yellow limit 10; r2: overdue 1, score 60 (the table of at_risk_bundle)."""
    with engine.begin() as conn:
        for sid in ("r2", "r3"):
            pq.save_cohort_limits(conn, OWNER, NOW, sid, 5, 10)
        q.save_risk_limits(conn, OWNER, NOW, "r2", 1, 60)


@pytest.fixture
def risk(engine, tmp_path):
    snapshot.import_bundle(engine, ab.write(tmp_path / "risk"))
    set_limits(engine)
    return engine


def _keys(rows) -> list[tuple]:
    return [(r["user_id"], r["session_id"], tuple(r["reasons"]), r["days_since"], r["overdue"],
             None if r["score_pct"] is None else round(r["score_pct"], 1)) for r in rows]


def test_every_reason_and_boundary(risk):
    with risk.connect() as conn:
        rows = q.at_risk(conn, OWNER, NOW)
    assert _keys(rows) == [
        ("a8", "r1", ("inactive", "behind", "low score"), 20, 2, 10.0),
        ("a7", "r1", ("inactive", "behind"), None, 3, None),  # never logged in, nothing done
        ("a12", "r2", ("behind",), None, 1, None),  # never, but r2 is exactly Y days old: not inactive
        ("a12", "r3", ("inactive",), None, 0, None),  # r3 is Y days and 1 s old
        ("a3", "r1", ("inactive",), 15, 0, 90.0),  # 15 days > Y = 14
        ("a3", "r2", ("low score",), 15, 0, 59.0),  # listed twice: at risk in two cohorts
        ("a13", "r3", ("inactive",), 11, 0, None),
        ("a4", "r1", ("behind",), 0, 2, 90.0),  # overdue = limit
        ("a11", "r1", ("behind",), 0, 3, 95.0),  # completed only topics that are not due
        ("a6", "r1", ("low score",), 0, 0, 49.7),
    ]
    ids = {(r["user_id"], r["session_id"]) for r in rows}
    # Y days exactly (a2: 14, a14: 10), overdue = limit - 1 (a2), score = limit (a5: 50, a4 in r2: 60)
    assert not ids & {("a2", "r1"), ("a14", "r3"), ("a5", "r1"), ("a4", "r2"), ("a1", "r1")}
    # waiting list, deleted, finished and upcoming sessions are not candidates
    assert not {u for u, _s in ids} & {"a9", "a10"} and not {s for _u, s in ids} & {"f1", "u1"}


def test_ranked_pairs_and_the_first_rows(risk):
    """ranked: each at-risk pair with its reasons and rank (reasons x 1,000,000 + days since last login, never:
    999,999); at_risk_from: the list's rows ranked at least that, in the list's order."""
    with risk.connect() as conn:
        assert sorted(q.ranked(conn, OWNER, NOW)) == sorted([
            ("a8", "r1", 3_000_020, "inactive|behind|low score"), ("a7", "r1", 2_999_999, "inactive|behind"),
            ("a12", "r2", 1_999_999, "behind"), ("a12", "r3", 1_999_999, "inactive"),
            ("a3", "r1", 1_000_015, "inactive"), ("a3", "r2", 1_000_015, "low score"),
            ("a13", "r3", 1_000_011, "inactive"), ("a4", "r1", 1_000_000, "behind"),
            ("a11", "r1", 1_000_000, "behind"), ("a6", "r1", 1_000_000, "low score")])
        everyone = q.at_risk(conn, OWNER, NOW)
        assert q.at_risk_from(conn, OWNER, NOW, 1_999_999) == everyone[:4]  # a12 twice: the tie is kept
        assert q.at_risk_from(conn, OWNER, NOW, 1_000_012) == everyone[:6]
        assert q.at_risk_from(conn, OWNER, NOW, 1) == everyone
        assert q.at_risk_from(conn, OWNER, NOW, 3_000_021) == []
        coach = scope_for_email(conn, "coach@ex.com")
        assert sorted(q.ranked(conn, coach, NOW)) == [
            ("a3", "r1", 1_000_015, "inactive"), ("a3", "r2", 1_000_015, "low score"),
            ("a4", "r1", 1_000_000, "behind"), ("a6", "r1", 1_000_000, "low score")]
        assert q.at_risk_from(conn, coach, NOW, 1_000_001) == q.at_risk(conn, coach, NOW)[:2]


def test_summary_counts_each_reason(risk):
    with risk.connect() as conn:
        assert q.summary(conn, OWNER, NOW) == {
            "candidates": 15, "at_risk": 10, "cohorts": 3,
            "by_reason": {"inactive": 5, "behind": 5, "low score": 3}}
        assert q.summary(conn, OWNER, NOW, ["r2"]) == {
            "candidates": 3, "at_risk": 2, "cohorts": 1, "by_reason": {"inactive": 0, "behind": 1, "low score": 1}}
        assert q.summary(conn, OWNER, NOW, ["f1"])["candidates"] == 0


def test_limits_follow_the_cohort_settings(risk):
    with risk.begin() as conn:
        assert q.risk_limits(conn, OWNER, NOW, "r1") == {"overdue": 2, "score": 50}
        assert q.risk_limits(conn, OWNER, NOW, "r2") == {"overdue": 1, "score": 60}
        q.save_risk_limits(conn, OWNER, NOW, "r1", 3, 51)
        # the colour limits of r1 were not set: saving the risk limits keeps the defaults
        assert pq.cohort_limits(conn, OWNER, NOW, "r1") == {"green": 7, "yellow": 14}
    with risk.connect() as conn:
        rows = {(r["user_id"], r["session_id"]): r["reasons"] for r in q.at_risk(conn, OWNER, NOW, ["r1"])}
    assert ("a4", "r1") not in rows  # overdue 2 < 3
    assert rows[("a5", "r1")] == ["low score"]  # 50 < 51
    assert rows[("a7", "r1")] == ["inactive", "behind"]  # overdue 3 = 3


@pytest.mark.parametrize("overdue,score,ok", [
    (1, 1, True), (1000, 100, True), (0, 50, False), (1001, 50, False), (2, 0, False), (2, 101, False),
    (2.5, 50, False), (float("nan"), 50, False), (None, 50, False), ("abc", 50, False), ("3", 50, False),
    (2, float("inf"), False), (True, 50, False), ([2], 50, False), (2.0, 50.0, True),
])
def test_limits_are_validated(overdue, score, ok):
    assert (q.validate_risk_limits(overdue, score) is None) == ok


def test_invalid_limits_are_refused_and_unknown_cohorts_missing(risk):
    with risk.begin() as conn:
        with pytest.raises(ValueError, match="whole number"):
            q.save_risk_limits(conn, OWNER, NOW, "r1", 0, 50)
        with pytest.raises(LookupError):
            q.save_risk_limits(conn, OWNER, NOW, "zz", 2, 50)


def test_coach_sees_only_their_learners(risk):
    with risk.connect() as conn:
        coach = scope_for_email(conn, "coach@ex.com")
        rows = q.at_risk(conn, coach, NOW)
        assert [(r["user_id"], r["session_id"], r["reasons"]) for r in rows] == [
            ("a3", "r1", ["inactive"]), ("a3", "r2", ["low score"]), ("a4", "r1", ["behind"]),
            ("a6", "r1", ["low score"])]
        assert q.summary(conn, coach, NOW)["candidates"] == 8  # a1-a6 in r1, a3 and a4 in r2
        assert [c["session_id"] for c in q.running_cohorts(conn, coach, NOW)] == ["r2", "r1"]
        assert q.at_risk(conn, coach, NOW, ["r3"]) == []  # not theirs: nobody


def test_page_sorts_filters_and_pages_in_sql(risk):
    with risk.connect() as conn:
        def page(**kw):
            p = q.at_risk_page(conn, OWNER, NOW, **kw)
            return [(r["user_id"], r["session_id"]) for r in p["rows"]], p["total"]

        assert page(start=0, end=3) == ([("a8", "r1"), ("a7", "r1"), ("a12", "r2")], 10)
        assert page(reasons=["low score"]) == ([("a8", "r1"), ("a3", "r2"), ("a6", "r1")], 3)
        assert page(reasons=["low score", "inactive"])[1] == 7
        assert page(sessions=["r3"]) == ([("a12", "r3"), ("a13", "r3")], 2)
        assert page(sort_model=[{"colId": "score", "sort": "desc"}], end=2)[0] == [("a11", "r1"), ("a3", "r1")]
        assert page(sort_model=[{"colId": "days_since", "sort": "asc"}], end=1)[0] == [("a4", "r1")]
        assert page(filter_model={"name": {"filterType": "text", "type": "contains", "filter": "lou y"}})[1] == 2
        assert page(filter_model={"overdue": {"filterType": "number", "type": "greaterThanOrEqual",
                                              "filter": 3}})[0] == [("a7", "r1"), ("a11", "r1")]
        assert page(start=8, end=20) == ([("a11", "r1"), ("a6", "r1")], 10)
        with pytest.raises(ValueError):
            page(sort_model=[{"colId": "nope", "sort": "asc"}])


def test_csv_is_the_hand_computed_file(risk):
    with risk.connect() as conn:
        assert "".join(export.at_risk(conn, OWNER, NOW, "UTC")) == ab.CSV
        r2 = "".join(export.at_risk(conn, OWNER, NOW, "UTC", "r2"))
        assert r2 == HEADER + "".join(line + "\r\n" for line in ab.CSV.split("\r\n") if ",r2," in line)
        assert "".join(export.at_risk(conn, OWNER, NOW, "UTC", "f1")) == HEADER  # not running: the header alone
        with pytest.raises(LookupError):
            "".join(export.at_risk(conn, OWNER, NOW, "UTC", "zz"))
        coach = scope_for_email(conn, "coach@ex.com")
        with pytest.raises(LookupError):
            "".join(export.at_risk(conn, coach, NOW, "UTC", "r3"))


def test_contacts_are_recorded_and_shown(risk):
    with risk.begin() as conn:
        coach = scope_for_email(conn, "coach@ex.com")
        assert q.record_contacts(conn, coach, NOW, [("a4", "r1"), ("a3", "r2")], "call", " Talked it over ",
                                 "coach") == 2
        # out of the coach's scope, or not a participant: nothing is recorded, and the answer is a missing one's
        for pair in [("a7", "r1"), ("a9", "r1"), ("zz", "r1"), ("a4", "r3")]:
            with pytest.raises(LookupError, match="no learner"):
                q.record_contacts(conn, coach, NOW, [("a6", "r1"), pair], "email", None, "coach")
        for channel, note in [("fax", None), ("email", "x" * 501), ("email", 5)]:
            with pytest.raises(ValueError):
                q.record_contacts(conn, coach, NOW, [("a6", "r1")], channel, note, "coach")
        with pytest.raises(ValueError):
            q.record_contacts(conn, coach, NOW, [], "email", None, "coach")
        with pytest.raises(ValueError):
            q.record_contacts(conn, coach, NOW, "a6", "email", None, "coach")
        q.record_contacts(conn, OWNER, NOW - timedelta(days=1), [("a3", "r1")], "meeting", "x" * 500, "admin")
    with risk.connect() as conn:
        assert conn.execute(select(schema.contacts.c.user_id).order_by(schema.contacts.c.id)).scalars().all() == [
            "a4", "a3", "a3"]
        text = "".join(export.at_risk(conn, OWNER, NOW, "UTC"))
        assert "Dan,Behind,a4@ex.com,Spring cohort,r1,behind,0,2,90,2026/06/15 12:00\r\n" in text
        assert "Cat,Fifteen,a3@ex.com,Spring cohort,r1,inactive,15,0,90,2026/06/14 12:00\r\n" in text
        mine = q.user_contacts(conn, scope_for_email(conn, "coach@ex.com"), NOW, "a3")
        assert [(c["session_id"], c["channel"], c["note"], c["by"]) for c in mine] == [
            ("r2", "call", "Talked it over", "Cora Coach"), ("r1", "meeting", "x" * 500, "Ada Admin")]
        with pytest.raises(LookupError):
            q.user_contacts(conn, scope_for_email(conn, "coach@ex.com"), NOW, "a12")


def test_contacts_followed_by_activity(risk):
    day = 86_400
    now_s = int(NOW.timestamp())
    with risk.begin() as conn:
        conn.execute(insert(schema.contacts), [
            # a4 logged in 3 days after (06-08): followed
            {"user_id": "a4", "session_id": "r1", "recorded_by": "admin", "recorded_at": now_s - 10 * day,
             "channel": "call"},
            # a8's last login is before it: not followed
            {"user_id": "a8", "session_id": "r1", "recorded_by": "admin", "recorded_at": now_s - 14 * day,
             "channel": "email"},
            # younger than 7 days: counted, not judged
            {"user_id": "a6", "session_id": "r1", "recorded_by": "admin", "recorded_at": now_s - 5 * day,
             "channel": "email"},
            # older than 30 days: not counted
            {"user_id": "a1", "session_id": "r1", "recorded_by": "admin", "recorded_at": now_s - 36 * day,
             "channel": "email"},
            # exactly 7 days old, login 4 h before the 7 days end: judged and followed
            {"user_id": "a5", "session_id": "r1", "recorded_by": "admin", "recorded_at": now_s - 7 * day,
             "channel": "message"},
        ])
    with risk.connect() as conn:
        owner = q.cohort_contacts(conn, OWNER, NOW, "r1")
        assert (owner["contacts"], owner["judged"], owner["followed"]) == (4, 3, 2)
        assert owner["followed_pct"] == pytest.approx(200 / 3)
        coach = q.cohort_contacts(conn, scope_for_email(conn, "coach@ex.com"), NOW, "r1")
        assert (coach["contacts"], coach["judged"], coach["followed"], coach["followed_pct"]) == (3, 2, 2, 100.0)
        assert q.cohort_contacts(conn, OWNER, NOW, "r2")["followed_pct"] is None
        with pytest.raises(LookupError):
            q.cohort_contacts(conn, scope_for_email(conn, "coach@ex.com"), NOW, "r3")


def test_reasons_for_participants(risk):
    with risk.connect() as conn:
        assert q.reasons_for(conn, OWNER, NOW, "r1", ["a1", "a7", "a8", "a9"]) == {
            "a7": ["inactive", "behind"], "a8": ["inactive", "behind", "low score"]}
        assert q.reasons_for(conn, OWNER, NOW, "f1", ["a7"]) == {}
        page = pq.participants_page(conn, OWNER, NOW, "r1", ["Never"])
        assert [(r["user_id"], r["reasons"]) for r in page["rows"]] == [("a7", ["inactive", "behind"])]


def test_selection_keeps_only_pairs_in_scope(risk):
    with risk.connect() as conn:
        coach = scope_for_email(conn, "coach@ex.com")
        rows = q.selection(conn, coach, NOW, [["a6", "r1"], ["a7", "r1"], ["a4", "r1"], ["a1", "r1"]])
        assert [(r["user_id"], r["session_id"]) for r in rows] == [("a4", "r1"), ("a6", "r1")]
        assert export.selection(conn, coach, NOW, "UTC", [{"user_id": "a6", "session_id": "r1"}]) == (
            HEADER + "Fin,Low,a6@ex.com,Spring cohort,r1,low score,0,0,49.7,\r\n")
        for bad in [None, "a6", [["a6"]], [[1, 2]], [{"user_id": None}]]:
            with pytest.raises(ValueError):
                q.selection(conn, coach, NOW, bad)


def test_narrowed_refresh_gives_the_full_rows(risk):
    """The xAPI fold refreshes the facts of the pairs and users it touched: the same rows as a full refresh."""
    f = schema.at_risk_facts
    with risk.begin() as conn:
        full = conn.execute(select(f).order_by(f.c.session_id, f.c.user_id)).all()
        conn.execute(delete(f).where(f.c.session_id == "r1"))
        conn.execute(delete(f).where(f.c.user_id == "a12"))
        derive.refresh_risk_facts(conn, rows="{s} = 'r1'", users="SELECT 'a12'")
        assert conn.execute(select(f).order_by(f.c.session_id, f.c.user_id)).all() == full
        assert len(full) == 17  # the 15 candidates and a7 in f1 and u1: kept for any now


# --- command line and download: byte-identical ------------------------------------------------------------
@pytest.fixture
def sqlite_risk(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    settings = Settings.from_env(env={}, database_url=url, now_override=NOW, seed_demo_on_empty=False,
                                 data_dir=tmp_path)
    app = create_app(settings)
    engine = app.server.extensions["learnpulse"].engine
    import_bundle(engine, ab.write(tmp_path / "risk"))
    set_limits(engine)
    return url, app


def _cli(url: str, *args: str, out) -> subprocess.CompletedProcess:
    return cli.run(["export", *args, "--now", NOW.isoformat(), "-o", str(out)], env={"DATABASE_URL": url, "PATH": ""})


def test_download_serves_the_cli_bytes(sqlite_risk, tmp_path):
    url, app = sqlite_risk
    owner = signed_in_client(app)
    page = owner.get("/download/at-risk.csv")
    assert page.status_code == 200 and page.data == ab.CSV.encode("utf-8")
    done = _cli(url, "at-risk", out=tmp_path / "all.csv")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "all.csv").read_bytes() == page.data
    one = owner.get("/download/at-risk.csv?session=r2")
    assert _cli(url, "at-risk", "--session", "r2", out=tmp_path / "r2.csv").returncode == 0
    assert (tmp_path / "r2.csv").read_bytes() == one.data and one.data.decode().count("\r\n") == 3
    coach = signed_in_client(app, "coach@ex.com")
    mine = coach.get("/download/at-risk.csv")
    assert _cli(url, "at-risk", "--as", "coach@ex.com", out=tmp_path / "coach.csv").returncode == 0
    assert (tmp_path / "coach.csv").read_bytes() == mine.data and mine.data.decode().count("\r\n") == 5
    assert coach.get("/download/at-risk.csv?session=r3").status_code == 404
    missing = _cli(url, "at-risk", "--session", "zz", out=tmp_path / "x.csv")
    assert missing.returncode == 2 and "no program session 'zz'" in missing.stderr


# --- callbacks: malformed input gives a message or an empty answer, never a 500 -----------------------------
def _call(client, app, output, inputs, state=None):
    from tests.dashcalls import payload

    return client.post("/_dash-update-component", json=payload(app, output, inputs, state))


@pytest.mark.parametrize("overdue,score", [("abc", 50), (None, 50), (2, None), (float("nan"), 50), ([2], 50),
                                           ({"a": 1}, 50), (2.5, 50), (0, 50), (2, 101), (1e300, 50)])
def test_malformed_limits_give_a_message(sqlite_risk, overdue, score):
    from dashboard.core.ids import Participants as P

    _url, app = sqlite_risk
    r = _call(signed_in_client(app), app, P.RISK_LIMITS, {f"{P.OVERDUE}.value": overdue, f"{P.SCORE}.value": score},
              {f"{P.COHORT}.value": "r1", f"{P.RISK_LIMITS}.data": None})
    assert r.status_code == 200 and "text-danger" in r.get_data(as_text=True)
    with app.server.extensions["learnpulse"].engine.connect() as conn:
        assert q.risk_limits(conn, OWNER, NOW, "r1") == {"overdue": 2, "score": 50}


def test_limits_saved_from_participants(sqlite_risk):
    from dashboard.core.ids import Participants as P

    _url, app = sqlite_risk
    client = signed_in_client(app)
    r = _call(client, app, P.RISK_LIMITS, {f"{P.OVERDUE}.value": 3, f"{P.SCORE}.value": 60},
              {f"{P.COHORT}.value": "r1", f"{P.RISK_LIMITS}.data": {"overdue": 2, "score": 50}})
    assert "Saved" in r.get_data(as_text=True)
    loaded = _call(client, app, P.RISK_LIMITS, {f"{P.COHORT}.value": "r1"}).get_json()["response"]
    assert loaded[P.OVERDUE]["value"] == 3 and loaded[P.SCORE]["value"] == 60
    # the list follows at once: Dan (overdue 2) is no longer behind, Eve (50) now has a low score
    page = _call(client, app, "at-risk-grid", {"at-risk-grid.getRowsRequest": {"startRow": 0, "endRow": 100}},
                 {"at-risk-selected.data": [], "at-risk-cohort.value": "r1"}).get_json()
    ids = [row["user_id"] for row in page["response"]["at-risk-grid"]["getRowsResponse"]["rowData"]]
    assert "a4" not in ids and "a5" in ids


@pytest.mark.parametrize("inputs,state", [
    ({"at-risk-grid.getRowsRequest": {"startRow": "x", "endRow": 100}}, {}),
    ({"at-risk-grid.getRowsRequest": {"filterModel": ["x"], "sortModel": "y"}}, {}),
    ({"at-risk-grid.getRowsRequest": {"sortModel": [{"colId": "nope", "sort": "up"}]}},
     {"at-risk-selected.data": "behind", "at-risk-cohort.value": ["r1"]}),
    ({"at-risk-grid.getRowsRequest": "everything"}, {"at-risk-cohort.value": {"a": 1}}),
])
def test_malformed_grid_requests_answer_empty(sqlite_risk, inputs, state):
    _url, app = sqlite_risk
    r = _call(signed_in_client(app), app, "at-risk-grid", inputs, state)
    assert r.status_code == 200
    assert r.get_json()["response"]["at-risk-grid"]["getRowsResponse"] == {"rowData": [], "rowCount": 0}


@pytest.mark.parametrize("rows,channel,note", [
    ("a4", "email", None), ([{"user_id": 5, "session_id": "r1"}], "email", None), ({"x": 1}, "email", None),
    ([{"user_id": "a4", "session_id": "r1"}], ["email"], None), ([{"user_id": "a4", "session_id": "r1"}], "fax", None),
    ([{"user_id": "a4", "session_id": "r1"}], "email", {"x": 1}), ([{"user_id": "a4", "session_id": "r1"}], "call",
                                                                  "x" * 501), (None, "email", None),
])
def test_malformed_contacts_give_a_message(sqlite_risk, rows, channel, note):
    from dashboard.core.ids import AtRisk as A

    _url, app = sqlite_risk
    r = _call(signed_in_client(app), app, A.RECORD_STATUS, {f"{A.RECORD}.n_clicks": 1},
              {f"{A.GRID}.selectedRows": rows, f"{A.CHANNEL}.value": channel, f"{A.NOTE}.value": note})
    assert r.status_code == 200 and "text-danger" in r.get_data(as_text=True)
    with app.server.extensions["learnpulse"].engine.connect() as conn:
        assert conn.execute(select(schema.contacts.c.id)).all() == []
    info = _call(signed_in_client(app), app, A.SELECTION_INFO, {f"{A.GRID}.selectedRows": rows,
                                                                f"{A.SUBJECT}.value": 5, f"{A.BODY}.value": None})
    assert info.status_code == 200
