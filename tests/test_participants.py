"""Participants queries, CSVs and downloads, on SQLite and PostgreSQL. Every expected value is worked out by
hand in tests/participants_bundle.py's table."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from callbacks import participants as cb
from dashboard.core.settings import Settings
from dashboard.factory import create_app
from data_access import recency, schema
from data_access.exports import participants as export
from data_access.importer import import_bundle
from data_access.queries import participants as q
from data_access.scope import Scope, scope_for_email
from tests import cli, snapshot
from tests import participants_bundle as pb
from tests.signing import signed_in_client

NOW = pb.NOW
OWNER = Scope.owner()

COHORT_PROGRESS = (
    "\ufeffFirst name,Last name,Email,Topics due,Topics completed,Progress (%),Last login,Days since last login\r\n"
    "Zed,L00,p00@ex.com,3,3,100,2026/06/15 11:00,0\r\n"
    "Amy,L01,p01@ex.com,3,0,0,2026/06/14 12:00,1\r\n"
    "Bob,L02,p02@ex.com,3,0,0,2026/06/13 12:00,2\r\n"
    "Cal,L03,p03@ex.com,3,2,66.7,2026/06/12 12:00,3\r\n"
    "Dee,L04,p04@ex.com,3,1,33.3,2026/06/11 12:00,4\r\n"
    "Eve,L07,p07@ex.com,3,0,0,2026/06/08 12:00,7\r\n"
    "Fay,L08,p08@ex.com,3,0,0,2026/06/07 12:00,8\r\n"
    "Gus,L14,p14@ex.com,3,0,0,2026/06/01 12:00,14\r\n"
    "Hal,L14b,p14b@ex.com,3,0,0,2026/05/31 12:00,14\r\n"
    "Ivy,L15,p15@ex.com,3,0,0,2026/05/31 12:00,15\r\n"
    '"Ann, Marie",L30,p30@ex.com,3,0,0,2026/05/16 12:00,30\r\n'
    "'=Eve,L31,p31@ex.com,3,0,0,2026/05/15 12:00,31\r\n"
    "Nia,Never,pnv@ex.com,3,0,0,,\r\n"
)

ACTIVITY_8_14 = (
    "\ufeffFirst name,Last name,Email,Last login,Days since last login,Progress (%)\r\n"
    "Fay,L08,p08@ex.com,2026/06/07 12:00,8,0\r\n"
    "Gus,L14,p14@ex.com,2026/06/01 12:00,14,0\r\n"
    "Hal,L14b,p14b@ex.com,2026/05/31 12:00,14,0\r\n"
)


@pytest.fixture
def cohort(engine, tmp_path):
    snapshot.import_bundle(engine, pb.write(tmp_path / "cohort"))
    return engine


def _counts(activity: dict) -> list[int]:
    return [b["learners"] for b in activity["buckets"]]


def test_cohorts_listed_running_first_and_most_recent_running_preselected(cohort):
    with cohort.connect() as conn:
        listed = q.cohorts(conn, OWNER, NOW)
    assert [(c["session_id"], c["state"]) for c in listed] == [
        ("c1", "running"), ("c2", "running"), ("c4", "upcoming"), ("c3", "finished")]
    assert q.default_cohort(listed) == "c1"
    assert q.default_cohort([c for c in listed if c["state"] != "running"]) == "c3"
    assert q.default_cohort([]) is None


def test_every_bucket_boundary(cohort):
    with cohort.connect() as conn:
        a = q.activity(conn, OWNER, NOW, "c1")
    assert [b["bucket"] for b in a["buckets"]] == ["0–1", "2–3", "4–7", "8–14", "15–30", "31+", "Never"]
    # 0-1: p00 (0 d), p01 (1 d); 2-3: p02, p03; 4-7: p04, p07; 8-14: p08, p14, p14b (14 d 23:59:59);
    # 15-30: p15, p30; 31+: p31; Never: pnv. Waiting list, unassigned, deleted and c2-only users are out.
    assert _counts(a) == [2, 2, 2, 3, 2, 1, 1]
    assert a["participants"] == 13
    assert a["active_7d"] == 6  # p00..p04 and p07 (exactly 7 x 24 h ago); p08 is not
    assert a["never"] == 1
    assert a["topics_due"] == 3  # k1, k2, k3; k4 has no due date, k5 is due on 06-30
    assert a["behind"] == 12  # everyone but p00


def test_listed_participants_and_progress(cohort):
    with cohort.connect() as conn:
        rows = q.participants(conn, OWNER, NOW, "c1")
        some = q.participants(conn, OWNER, NOW, "c1", ["8-14", "Never"])
    by_id = {r["user_id"]: r for r in rows}
    assert [r["user_id"] for r in rows] == pb.PARTICIPANTS
    assert {u: by_id[u]["topics_completed"] for u in pb.PARTICIPANTS if by_id[u]["topics_completed"]} == {
        "p00": 3,  # k1 completed on the 2nd attempt, assessment result, attended 100%
        "p03": 2,  # k1 and attended 50%
        "p04": 1,  # a failed assessment result still completes the topic
    }  # p01: the most recent attempt is not completed; p02: only blocks that are not due; p08: attended 0%
    assert by_id["p03"]["progress_pct"] == pytest.approx(200 / 3)
    assert by_id["p14b"]["days_since"] == 14 and by_id["p14b"]["bucket"] == "8–14"
    assert by_id["pnv"]["days_since"] is None and by_id["pnv"]["last_login_at"] is None
    assert [r["user_id"] for r in some] == ["p08", "p14", "p14b", "pnv"]


def test_nothing_due_means_empty_progress(cohort):
    before_any_due = NOW.replace(month=6, day=2)
    with cohort.connect() as conn:
        rows = q.participants(conn, OWNER, before_any_due, "c1")
        a = q.activity(conn, OWNER, before_any_due, "c1")
    assert {r["topics_due"] for r in rows} == {0}
    assert {r["progress_pct"] for r in rows} == {None}
    assert a["behind"] == 0


def test_scopes(cohort):
    with cohort.connect() as conn:
        coach = scope_for_email(conn, "coach@ex.com")
        inst = scope_for_email(conn, "inst@ex.com")
        # the coach of Team A sees its five participants, in a cohort assigned through Team A, and no other
        a = q.activity(conn, coach, NOW, "c1")
        assert _counts(a) == [2, 2, 1, 0, 0, 0, 0]
        assert (a["participants"], a["active_7d"], a["never"], a["behind"]) == (5, 5, 0, 4)
        assert [c["session_id"] for c in q.cohorts(conn, coach, NOW)] == ["c1"]
        with pytest.raises(LookupError, match="c2"):  # p00 attends c2, but not through Team A
            q.activity(conn, coach, NOW, "c2")
        # the instructor of c1 sees all of its participants, and no other cohort
        assert q.activity(conn, inst, NOW, "c1")["participants"] == 13
        assert [c["session_id"] for c in q.cohorts(conn, inst, NOW)] == ["c1"]
        with pytest.raises(LookupError, match="c2"):
            q.participants(conn, inst, NOW, "c2")
        with pytest.raises(LookupError, match="nope"):
            q.activity(conn, OWNER, NOW, "nope")


def test_limits_default_saved_and_validated(cohort):
    with cohort.connect() as conn:
        assert q.cohort_limits(conn, OWNER, NOW, "c1") == {"green": 7, "yellow": 14}
    with cohort.begin() as conn:
        q.save_cohort_limits(conn, OWNER, NOW, "c1", 3, 10)
    with cohort.begin() as conn:
        q.save_cohort_limits(conn, OWNER, NOW, "c1", 2, 10)  # an update, not a second row
    with cohort.connect() as conn:
        assert q.cohort_limits(conn, OWNER, NOW, "c1") == {"green": 2, "yellow": 10}
        assert q.cohort_limits(conn, OWNER, NOW, "c2") == {"green": 7, "yellow": 14}  # per cohort
        assert conn.execute(select(schema.cohort_settings.c.session_id)).scalars().all() == ["c1"]
        with pytest.raises(ValueError, match="yellow limit cannot be below"):
            q.save_cohort_limits(conn, OWNER, NOW, "c1", 10, 3)
    assert q.validate_limits(None, 3) == "Enter both limits in whole days."
    assert q.validate_limits(-1, 3) == "Limits are between 0 and 3650 days."
    assert q.validate_limits(2.5, 3) == "Limits are whole days."
    assert q.validate_limits(3, 3) is None


def test_limits_survive_a_reimport(cohort, tmp_path):
    with cohort.begin() as conn:
        q.save_cohort_limits(conn, OWNER, NOW, "c1", 3, 10)
    import_bundle(cohort, pb.write(tmp_path / "again"))
    with cohort.connect() as conn:
        assert q.cohort_limits(conn, OWNER, NOW, "c1") == {"green": 3, "yellow": 10}


def test_bar_colours():
    default = [recency.colour_of(label, 7, 14) for label in recency.LABELS]
    assert default == ["green", "green", "green", "yellow", "red", "red", "red"]
    daily = [recency.colour_of(label, 3, 10) for label in recency.LABELS]
    assert daily == ["green", "green", "yellow", "red", "red", "red", "red"]
    assert [recency.colour_of(label, 0, 0) for label in recency.LABELS][:2] == ["red", "red"]
    assert [recency.colour_of(label, 400, 400) for label in recency.LABELS] == ["green"] * 5 + ["red", "red"]


def test_csvs(cohort):
    with cohort.connect() as conn:
        assert "".join(export.cohort_progress(conn, OWNER, NOW, "UTC", "c1")) == COHORT_PROGRESS
        assert "".join(export.participant_activity(conn, OWNER, NOW, "UTC", "c1", ["8–14"])) == ACTIVITY_8_14
        whole = "".join(export.participant_activity(conn, OWNER, NOW, "UTC", "c1", None))
        paris = "".join(export.participant_activity(conn, OWNER, NOW, "Europe/Paris", "c1", ["0-1"]))
    assert whole.count("\r\n") == 14  # header + 13 participants
    assert "Zed,L00,p00@ex.com,2026/06/15 13:00,0,100\r\n" in paris  # dates in the configured time zone


def test_chart_figure_and_summary_shapes(cohort):
    with cohort.connect() as conn:
        a = q.activity(conn, OWNER, NOW, "c1")
    fig = cb.activity_figure(a, {"green": 3, "yellow": 10}, ["8–14"])
    bar = fig["data"][0]
    assert bar["y"] == [2, 2, 2, 3, 2, 1, 1]
    assert bar["marker"]["color"] == ["#2e9d5b", "#2e9d5b", "#e0a800", "#d9534f", "#d9534f", "#d9534f", "#d9534f"]
    assert bar["selectedpoints"] == [3]
    assert fig["layout"]["clickmode"] == "event+select"
    assert "selectedpoints" not in cb.activity_figure(a, {"green": 7, "yellow": 14}, [])["data"][0]
    text = "".join(_text(part) for part in cb.summary_line(a))
    assert text == ("13 participants · 6 active in the last 7 days (46%) · 1 never logged in · "
                    "12 behind schedule (completed fewer than the 3 topics due by now)")
    assert cb.list_title(["8–14"], 3) == "8–14 days: 3 learners"
    assert cb.list_title(["Never"], 1) == "Never: 1 learner"


def _text(component) -> str:
    if isinstance(component, str):
        return component
    children = getattr(component, "children", None)
    if children is None:
        return ""
    if isinstance(children, list | tuple):
        return "".join(_text(c) for c in children)
    return _text(children)


@pytest.fixture
def sqlite_cohort(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    settings = Settings.from_env(env={}, database_url=url, now_override=NOW, seed_demo_on_empty=False,
                                 data_dir=tmp_path)
    app = create_app(settings)
    import_bundle(app.server.extensions["learnpulse"].engine, pb.write(tmp_path / "cohort"))
    return url, signed_in_client(app)


def _cli(url: str, *args: str, out):
    return cli.run(["export", *args, "--now", NOW.isoformat(), "-o",
                           str(out)], capture_output=True, text=True, env={"DATABASE_URL": url, "PATH": ""},
                          timeout=120)


def test_download_buttons_serve_the_cli_bytes(sqlite_cohort, tmp_path):
    url, client = sqlite_cohort
    page = client.get("/download/cohort-progress.csv?session=c1")
    assert page.status_code == 200
    assert page.headers["Content-Disposition"] == 'attachment; filename="cohort-progress-c1.csv"'
    assert page.data == COHORT_PROGRESS.encode("utf-8")
    assert _cli(url, "cohort-progress", "--session", "c1", out=tmp_path / "cp.csv").returncode == 0
    assert (tmp_path / "cp.csv").read_bytes() == page.data

    bars = client.get("/download/participant-activity.csv?session=c1&bucket=8-14&bucket=Never")
    assert bars.status_code == 200
    done = _cli(url, "participant-activity", "--session", "c1", "--bucket", "8–14", "--bucket", "never",
                out=tmp_path / "pa.csv")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "pa.csv").read_bytes() == bars.data
    assert bars.data.decode("utf-8").count("\r\n") == 5


def test_download_errors_are_clear(sqlite_cohort, tmp_path):
    url, client = sqlite_cohort
    assert client.get("/download/cohort-progress.csv?session=zz").status_code == 404
    assert b"no program session" in client.get("/download/cohort-progress.csv?session=zz").data
    bad = client.get("/download/participant-activity.csv?session=c1&bucket=9-10")
    assert bad.status_code == 400 and b"unknown bucket" in bad.data
    assert client.get("/download/cohort-progress.csv").status_code == 400  # no --session
    assert client.get("/download/nothing.csv").status_code == 404
    result = _cli(url, "cohort-progress", out=tmp_path / "x.csv")
    assert result.returncode == 2
    assert result.stderr.strip() == "learnpulse: --session ID is required: the program session (cohort) to export"


ALL = list(recency.LABELS)


def _page(conn, sort=None, filters=None, start=0, end=100, buckets=ALL):
    page = q.participants_page(conn, OWNER, NOW, "c1", buckets, sort, filters, start, end)
    return [r["user_id"] for r in page["rows"]], page["total"]


def test_table_sorts_filters_and_pages_in_sql(cohort):
    with cohort.connect() as conn:
        assert _page(conn) == (pb.PARTICIPANTS, 13)  # by last name
        assert _page(conn, start=2, end=4) == (["p02", "p03"], 13)
        # days since, most inactive first: never, then 31, 30, 15, 14 (ties by last name), ...
        ids, _ = _page(conn, sort=[{"colId": "days_since", "sort": "desc"}])
        assert ids[:7] == ["pnv", "p31", "p30", "p15", "p14", "p14b", "p08"]
        assert _page(conn, sort=[{"colId": "last_login", "sort": "asc"}])[0][:2] == ["pnv", "p31"]
        assert _page(conn, sort=[{"colId": "progress", "sort": "desc"}])[0][:3] == ["p00", "p03", "p04"]
        days_2_to_4 = {"days_since": {"filterType": "number", "type": "inRange", "filter": 2, "filterTo": 4}}
        assert _page(conn, filters=days_2_to_4) == (["p02", "p03", "p04"], 3)
        assert _page(conn, filters={"email": {"filterType": "text", "type": "contains", "filter": "P1"}}) == (
            ["p14", "p14b", "p15"], 3)
        assert _page(conn, filters={"email": {"filterType": "text", "type": "contains", "filter": "_"}}) == ([], 0)
        assert _page(conn, filters={"progress": {"filterType": "number", "type": "greaterThan", "filter": 50}}) == (
            ["p00", "p03"], 2)
        assert _page(conn, filters={"progress": {"filterType": "number", "type": "equals", "filter": 66.7}}) == (
            ["p03"], 1)  # the value shown, rounded to one decimal
        either = {"first_name": {"filterType": "text", "operator": "OR", "conditions": [
            {"type": "equals", "filter": "amy"}, {"type": "equals", "filter": "BOB"}]}}
        assert _page(conn, filters=either) == (["p01", "p02"], 2)
        assert _page(conn, filters={"days_since": {"filterType": "number", "type": "blank"}}) == (["pnv"], 1)
        assert _page(conn, buckets=["8–14"], start=100, end=200) == ([], 3)  # past the end: still the count
        assert q.participant_emails(conn, OWNER, NOW, "c1", ["8-14"]) == ["p08@ex.com", "p14@ex.com", "p14b@ex.com"]
        with pytest.raises(ValueError, match="unsupported text filter"):
            _page(conn, filters={"email": {"filterType": "text", "type": "regex", "filter": "x"}})
        with pytest.raises(ValueError, match="no column"):
            _page(conn, filters={"password": {"filterType": "text", "type": "equals", "filter": "x"}})
