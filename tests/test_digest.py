"""The weekly digest end to end, on SQLite and PostgreSQL: computed from the real at-risk list in each
recipient's own scope (two coaches of different groups), sent through a real SMTP server on loopback (aiosmtpd)
and read back; once per period (run twice, two threads, two processes); failures retried; one-click unsubscribe.
Every expected value is worked out by hand in tests/digest_bundle.py."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from dashboard.core import digest_mail
from dashboard.core.settings import Settings
from dashboard.digest_run import send_due
from data_access import digest_store, schema
from data_access.importer import import_bundle
from data_access.queries import at_risk as risk
from data_access.queries import digest as digest_query
from data_access.queries import participants as pq
from data_access.scope import Scope, scope_for_email
from tests import cli, snapshot
from tests import digest_bundle as db_
from tests.smtp_server import Inbox, Server, free_port

PUBLIC = "https://lp.example.org"
SECRET = "digest-test-secret"
OWNER = Scope.owner()
A_NAMES = ["Ann Active", "Ben Boundary", "Cat Fifteen", "Dan Behind", "Eve Exact", "Fin Low"]
B_NAMES = ["Gia Never", "Hal All", "Kim Later", "Lou Young", "Max Eleven", "Ned Ten"]


def settings(smtp_url: str | None) -> Settings:
    return Settings.from_env(env={}, public_url=PUBLIC, smtp_url=smtp_url, secret_key=SECRET,
                             mail_from="LearnPulse <learnpulse@lp.example.org>")


def run(engine, now, server=None, url=None, **kw):
    return send_due(engine, settings(url or server.url()), now, **kw)


def _uid(conn, email):
    return conn.execute(select(schema.users.c.user_id).where(schema.users.c.email == email)).scalar_one()


@pytest.fixture
def digest_db(engine, tmp_path):
    snapshot.import_bundle(engine, db_.write(tmp_path / "bundle"))
    with engine.begin() as conn:
        for sid in ("r2", "r3"):
            pq.save_cohort_limits(conn, OWNER, db_.FIRST, sid, 5, 10)
        risk.save_risk_limits(conn, OWNER, db_.FIRST, "r2", 1, 60)
        for email in ("coach@ex.com", "coach2@ex.com", "ins@ex.com"):
            digest_store.subscribe(conn, _uid(conn, email), 0, 7, db_.SUBSCRIBED)  # Mondays 07:00
    return engine


@pytest.fixture
def smtp():
    with Server() as server:
        yield server


def apply_changes(engine, tmp_path):
    import_bundle(engine, db_.write_changes(tmp_path / "changes"))
    with engine.begin() as conn:
        risk.save_risk_limits(conn, OWNER, db_.CHANGES_AT, "r1", 2, 51)
        coach = scope_for_email(conn, "coach@ex.com")
        risk.record_contacts(conn, coach, db_.CHANGES_AT, [("a4", "r1")], "call", "private note", "coach")


def text_of(msg) -> str:
    return msg.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html_of(msg) -> str:
    return msg.get_body(("html",)).get_content()


def only(inbox: Inbox, address: str):
    (msg,) = inbox.to(address)
    return msg


def sends(engine) -> list[tuple]:
    s = schema.digest_sends
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(s.c.user_id, s.c.status, s.c.at_risk, s.c.newly, s.c.recovered,
                                                      s.c.contacts).order_by(s.c.user_id, s.c.period_at))]


# --- what each recipient receives ---------------------------------------------------------------------------------
def test_first_digest_each_coach_sees_only_their_groups(digest_db, smtp):
    report = run(digest_db, db_.FIRST, smtp)
    assert (report.due, report.sent, report.empty, report.failed) == (3, 2, 1, 0)
    a, b = only(smtp.inbox, "coach@ex.com"), only(smtp.inbox, "coach2@ex.com")
    assert not smtp.inbox.to("ins@ex.com")  # teaches a finished cohort only: nothing at risk, no e-mail
    assert a["Subject"] == "LearnPulse weekly digest: 2 newly at risk"
    assert a["From"] == "LearnPulse <learnpulse@lp.example.org>" and a["To"] == "Cora Coach <coach@ex.com>"
    assert text_of(a).split("\n")[2:12] == [
        "At risk now: 2", f"Open the at-risk list: {PUBLIC}/at-risk", "",
        "At risk (your first digest: everyone counts as new) (2)",
        "- Cat Fifteen, June cohort: low score", f"  {PUBLIC}/at-risk?session=r2&reason=low-score",
        "- Fin Low, Spring cohort: low score", f"  {PUBLIC}/at-risk?session=r1&reason=low-score", "", "-- "]
    assert b["Subject"] == "LearnPulse weekly digest: 4 newly at risk"
    assert text_of(b).split("\n")[5:14] == [
        "At risk (your first digest: everyone counts as new) (4)",
        "- Gia Never, Spring cohort: inactive, behind", f"  {PUBLIC}/at-risk?session=r1&reason=inactive,behind",
        "- Hal All, Spring cohort: inactive, low score",
        f"  {PUBLIC}/at-risk?session=r1&reason=inactive,low-score",
        "- Lou Young, June cohort: behind", f"  {PUBLIC}/at-risk?session=r2&reason=behind",
        "- Kim Later, Spring cohort: behind", f"  {PUBLIC}/at-risk?session=r1&reason=behind"]
    for msg, outsiders in ((a, B_NAMES), (b, A_NAMES)):
        for name in outsiders:
            assert name not in text_of(msg) and name not in html_of(msg)
    # exactly the at-risk list the app shows each of them
    with digest_db.connect() as conn:
        for email in ("coach@ex.com", "coach2@ex.com"):
            uid, scope = _uid(conn, email), scope_for_email(conn, email)
            listed = {(r["user_id"], r["session_id"]) for r in risk.at_risk(conn, scope, db_.FIRST)}
            assert set(digest_store.previous_at_risk(conn, uid)) == listed
    assert sends(digest_db) == [("coach", "sent", 2, 2, 0, 0), ("coach2", "sent", 4, 4, 0, 0),
                                ("ins", "empty", 0, 0, 0, 0)]


@pytest.mark.parametrize("now", [db_.FIRST, db_.SECOND])
def test_a_recipients_part_of_the_pool_is_their_at_risk_list(digest_db, tmp_path, now):
    """A run computes the platform's at-risk list once and gives each recipient their part: exactly what
    risk.at_risk gives them, row for row and in order, for every kind of scope."""
    if now == db_.SECOND:
        apply_changes(digest_db, tmp_path)
    scopes = [OWNER, Scope("c", coach_groups=("gA",)), Scope("c2", coach_groups=("gB",)),
              Scope("a", admin_groups=("gA", "gB")), Scope("i", instructor_sessions=("r1",)),
              Scope("i3", instructor_sessions=("r3", "f1")),
              Scope("x", coach_groups=("gB",), instructor_sessions=("r2",)),
              Scope("n", coach_groups=("zz",)), Scope("learner")]
    with digest_db.connect() as conn:
        pool = digest_query.RiskPool(conn, now, cache_size=2)
        for scope in scopes * 2:  # twice: from the cache too
            assert pool.part(conn, scope) == risk.at_risk(conn, scope, now), scope
        assert len(pool.part(conn, scopes[4])) > len(pool.part(conn, scopes[1])) > 0


@pytest.mark.parametrize("limit", [25, 1, 2])
def test_a_digest_without_the_pool_is_the_same_digest(digest_db, smtp, tmp_path, monkeypatch, limit):
    """Without a pool (the preview), a digest reads the at-risk pairs and only the first newly-at-risk rows, and
    says exactly what the pool's digest says: a first digest, then one after a previous digest (with recovered
    learners and a contact), sections cut at 1 and 2 learners too (ties of the rank included)."""
    monkeypatch.setattr(digest_query, "LIMIT", limit)
    scopes = [("owner", OWNER), ("coach", Scope("coach", coach_groups=("gA",))),
              ("coach2", Scope("coach2", coach_groups=("gB",))), ("ins", Scope("ins", instructor_sessions=("r1",)))]
    for now in (db_.FIRST, db_.SECOND):
        if now == db_.SECOND:
            run(digest_db, db_.FIRST, smtp)  # the coaches' previous digests
            apply_changes(digest_db, tmp_path)
        with digest_db.connect() as conn:
            pool = digest_query.RiskPool(conn, now)
            for uid, scope in scopes:
                pooled = digest_query.digest(conn, scope, now, uid, pool)
                alone = digest_query.digest(conn, scope, now, uid)
                assert sorted(alone.pop("at_risk_now")) == sorted(pooled.pop("at_risk_now")), (uid, now)
                assert alone == pooled, (uid, now)
    with digest_db.connect() as conn:
        d = digest_query.digest(conn, scope_for_email(conn, "coach@ex.com"), db_.SECOND, "coach")
    assert (d["at_risk"], d["newly_total"], len(d["newly"]), d["recovered_total"]) == (3, 2, min(limit, 2), 1)


def test_next_digest_newly_recovered_and_contacts(digest_db, smtp, tmp_path):
    run(digest_db, db_.FIRST, smtp)
    apply_changes(digest_db, tmp_path)
    report = run(digest_db, db_.SECOND, smtp)
    assert (report.due, report.sent, report.empty) == (3, 2, 1)
    a = smtp.inbox.to("coach@ex.com")[-1]
    assert a["Subject"] == "LearnPulse weekly digest: 2 newly at risk, 1 no longer at risk, 1 contact"
    assert text_of(a).split("\n")[:22] == [
        "Your LearnPulse weekly digest, 2026/06/15", "",
        "At risk now: 3 (2 at your previous digest, 2026/06/15)", f"Open the at-risk list: {PUBLIC}/at-risk", "",
        "Newly at risk (2)",
        "- Dan Behind, Spring cohort: behind", f"  {PUBLIC}/at-risk?session=r1&reason=behind",
        "- Eve Exact, Spring cohort: low score", f"  {PUBLIC}/at-risk?session=r1&reason=low-score", "",
        "No longer at risk (1)",
        "- Fin Low, Spring cohort: was: low score", f"  {PUBLIC}/users/a6", "",
        "Contacts recorded (1)",
        "- Dan Behind, Spring cohort: call by Cora Coach, 2026/06/15 12:30 · behind",
        f"  {PUBLIC}/at-risk?session=r1&reason=behind",
        "", "-- ", "You receive this because you subscribed to the LearnPulse weekly digest (Monday at 07:00, UTC).",
        f"Change it: {PUBLIC}/digest"]
    assert "private note" not in text_of(a) and "private note" not in html_of(a)
    b = smtp.inbox.to("coach2@ex.com")[-1]
    assert b["Subject"] == "LearnPulse weekly digest: 2 newly at risk"
    assert text_of(b).split("\n")[2:11] == [
        "At risk now: 6 (4 at your previous digest, 2026/06/15)", f"Open the at-risk list: {PUBLIC}/at-risk", "",
        "Newly at risk (2)",
        "- Lou Young, June late: inactive", f"  {PUBLIC}/at-risk?session=r3&reason=inactive",
        "- Max Eleven, June late: inactive", f"  {PUBLIC}/at-risk?session=r3&reason=inactive", ""]
    assert "Dan Behind" not in text_of(b)  # the coach's contact is with a learner coach2 does not see
    # the same week again: nothing is due, nothing is sent; recomputed now, nothing has changed for coach2
    assert run(digest_db, db_.SECOND + timedelta(hours=5), smtp).due == 0
    assert len(smtp.inbox.messages) == 4
    with digest_db.connect() as conn:
        again = digest_query.digest(conn, scope_for_email(conn, "coach2@ex.com"), db_.SECOND, "coach2")
    assert not again["changed"] and again["at_risk"] == 6


def test_html_part_has_the_same_learners_and_links(digest_db, smtp):
    run(digest_db, db_.FIRST, smtp)
    page = html_of(only(smtp.inbox, "coach2@ex.com"))
    assert page.count(f'href="{PUBLIC}/at-risk?session=r1&amp;reason=') == 3
    assert page.count(f'href="{PUBLIC}/at-risk?session=r2&amp;reason=behind"') == 1
    for name in ("Gia Never", "Hal All", "Lou Young", "Kim Later"):
        assert f">{name}</a>" in page
    for forbidden in ("<script", "<img", "<link", "src="):
        assert forbidden not in page.lower()


def test_twice_and_at_once_send_each_digest_once(digest_db, smtp):
    assert run(digest_db, db_.FIRST, smtp).sent == 2
    assert run(digest_db, db_.FIRST + timedelta(minutes=30), smtp).due == 0
    assert len(smtp.inbox.messages) == 2


def test_two_threads_at_once_send_once(digest_db, smtp):
    reports, barrier = [], threading.Barrier(2)

    def go():
        barrier.wait()
        reports.append(run(digest_db, db_.FIRST, smtp))

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(len(smtp.inbox.to(e)) for e in ("coach@ex.com", "coach2@ex.com", "ins@ex.com")) == [0, 1, 1]
    assert sum(r.sent for r in reports) == 2 and sum(r.empty for r in reports) == 1
    assert [s[1] for s in sends(digest_db)] == ["sent", "sent", "empty"]


def _database_url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_two_processes_at_once_send_once(digest_db, smtp):
    env = {"DATABASE_URL": _database_url(digest_db), "LEARNPULSE_SMTP_URL": smtp.url(), "PATH": os.environ["PATH"],
           "LEARNPULSE_PUBLIC_URL": PUBLIC, "SECRET_KEY": SECRET, "PYTHONPATH": os.getcwd()}
    procs = [subprocess.Popen([sys.executable, "-m", "dashboard", "digest", "send", "--now", db_.FIRST.isoformat()],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert sorted(len(smtp.inbox.to(e)) for e in ("coach@ex.com", "coach2@ex.com", "ins@ex.com")) == [0, 1, 1]
    assert sum(int(err.split(" due, ")[1].split(" sent")[0]) for _out, err in outs) == 2


# --- failures -----------------------------------------------------------------------------------------------------
def test_server_down_then_up(digest_db):
    closed = f"smtp://127.0.0.1:{free_port()}"
    down = run(digest_db, db_.FIRST, url=closed, senders=1)
    assert (down.sent, down.failed, down.left) == (0, 1, 2)  # the run stops at the first
    assert "connection refused" in down.errors[0]
    assert [s[:2] for s in sends(digest_db)] == [("coach", "failed")]
    several = run(digest_db, db_.FIRST, url=closed)  # four senders: each stops after its first failure
    assert several.sent == 0 and several.failed >= 1 and several.failed + several.left + several.empty == 3
    with Server() as server:
        up = run(digest_db, db_.FIRST, server)
        # ins's digest (nothing changed) needs no mail: recorded by the four senders if one reached it before
        # stopping, else now
        assert (up.due, up.sent, up.failed) == (3 - several.empty, 2, 0)
        assert len(server.inbox.to("coach@ex.com")) == 1 and len(server.inbox.to("coach2@ex.com")) == 1
    assert [s[:2] for s in sends(digest_db)] == [("coach", "sent"), ("coach2", "sent"), ("ins", "empty")]


def test_refused_address_is_retried_and_does_not_block_others(digest_db):
    with Server(Inbox(refuse={"coach@ex.com"})) as server:
        first = run(digest_db, db_.FIRST, server)
        assert (first.sent, first.empty, first.failed, first.left) == (1, 1, 1, 0)
        assert "coach@ex.com: 550" in first.errors[0]
        assert len(server.inbox.to("coach2@ex.com")) == 1
        for attempt in range(2, digest_store.MAX_ATTEMPTS + 1):
            again = run(digest_db, db_.FIRST, server)
            assert (again.due, again.failed) == (1, 1), attempt
        assert run(digest_db, db_.FIRST, server).due == 0  # given up on for this period
    with digest_db.connect() as conn:
        (row,) = [r for r in digest_store.history(conn, "coach")]
    assert (row["status"], row["attempts"]) == ("failed", digest_store.MAX_ATTEMPTS) and "550" in row["error"]


def test_a_process_that_died_while_sending_is_taken_over_after_its_lease(digest_db):
    with digest_db.connect() as conn:
        (item,) = [d for d in digest_store.due(conn, db_.FIRST, "UTC", 1_000) if d.user_id == "coach"]
    assert digest_store.claim(digest_db, "coach", item.period_at, 1_000) == 1_000 + digest_store.LEASE_S
    assert digest_store.claim(digest_db, "coach", item.period_at, 1_001) is None
    with digest_db.connect() as conn:
        assert "coach" not in {d.user_id for d in digest_store.due(conn, db_.FIRST, "UTC", 1_001)}
        later = 1_000 + digest_store.LEASE_S + 1
        assert "coach" in {d.user_id for d in digest_store.due(conn, db_.FIRST, "UTC", later)}
    assert digest_store.claim(digest_db, "coach", item.period_at, later) is not None


# --- schedule -----------------------------------------------------------------------------------------------------
def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("weekday, hour, now, tz, expected", [
    (0, 7, _utc(2026, 6, 15, 7, 0), "UTC", _utc(2026, 6, 15, 7, 0)),  # exactly then
    (0, 7, _utc(2026, 6, 15, 6, 59), "UTC", _utc(2026, 6, 8, 7, 0)),  # a minute before: last week's
    (4, 18, _utc(2026, 6, 15, 6, 0), "UTC", _utc(2026, 6, 12, 18, 0)),
    (0, 7, _utc(2026, 12, 7, 6, 30), "Europe/Paris", _utc(2026, 12, 7, 6, 0)),  # 07:00 in Paris, winter
    (0, 7, _utc(2026, 6, 15, 5, 30), "Europe/Paris", _utc(2026, 6, 15, 5, 0)),  # summer time
    (6, 23, _utc(2026, 6, 15, 3, 0), "America/New_York", _utc(2026, 6, 15, 3, 0)),  # Sunday 23:00 EDT
    (6, 23, _utc(2026, 6, 15, 2, 59), "America/New_York", _utc(2026, 6, 8, 3, 0)),
])
def test_period(weekday, hour, now, tz, expected):
    assert digest_store.period_at(weekday, hour, now, tz) == int(expected.timestamp())


def test_a_first_digest_comes_at_once_then_on_schedule_and_a_new_schedule_waits(digest_db, smtp):
    wednesday = _utc(2026, 6, 17, 10, 0)
    with digest_db.begin() as conn:
        digest_store.unsubscribe(conn, "coach")
        digest_store.subscribe(conn, "coach", 0, 7, int(wednesday.timestamp()))
        (first,) = [d for d in digest_store.due(conn, wednesday, "UTC", 0) if d.user_id == "coach"]
    assert first.period_at == int(_utc(2026, 6, 15, 7, 0).timestamp())  # the current period: Monday's
    assert run(digest_db, wednesday, smtp).sent == 2  # coach's first; coach2's of this week
    with digest_db.begin() as conn:
        assert "coach" not in {d.user_id for d in digest_store.due(conn, _utc(2026, 6, 21, 23, 0), "UTC", 0)}
        assert "coach" in {d.user_id for d in digest_store.due(conn, _utc(2026, 6, 22, 7, 0), "UTC", 0)}
        # Thursday: from Mondays to Tuesdays; this week's Tuesday has passed, so nothing before next Tuesday
        digest_store.subscribe(conn, "coach", 1, 7, int(_utc(2026, 6, 18, 9, 0).timestamp()))
        assert "coach" not in {d.user_id for d in digest_store.due(conn, _utc(2026, 6, 22, 7, 0), "UTC", 0)}
        assert "coach" in {d.user_id for d in digest_store.due(conn, _utc(2026, 6, 23, 7, 0), "UTC", 0)}


@pytest.mark.parametrize("value, expected", [("mon", 0), ("Sunday", 6), (3, 3), ("FRI", 4)])
def test_parse_day(value, expected):
    assert digest_store.parse_day(value) == expected


@pytest.mark.parametrize("value", ["", "someday", 7, -1, None, True, 2.5, [1]])
def test_parse_day_refuses(value):
    with pytest.raises(ValueError):
        digest_store.parse_day(value)


@pytest.mark.parametrize("value", [-1, 24, 7.5, "x", None, True, float("nan"), "1e9", [7]])
def test_parse_hour_refuses(value):
    with pytest.raises(ValueError):
        digest_store.parse_hour(value)


# --- one-click unsubscribe, and the links ---------------------------------------------------------------------------
@pytest.fixture
def app(digest_db, tmp_path):
    from dashboard.factory import create_app

    return create_app(Settings.from_env(env={}, database_url=_database_url(digest_db), seed_demo_on_empty=False,
                                        secret_key=SECRET, data_dir=tmp_path, now_override=db_.FIRST,
                                        public_url=PUBLIC))


def test_one_click_unsubscribe(app, digest_db, smtp):
    run(digest_db, db_.FIRST, smtp)
    msg = only(smtp.inbox, "coach@ex.com")
    url = msg["List-Unsubscribe"].strip("<>")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Unsubscribe: {url}" in text_of(msg) and f'href="{url}"' in html_of(msg)
    path = url[len(PUBLIC):]
    client = app.server.test_client()  # nobody signed in: a mail client has no cookie
    page = client.get(path)
    assert page.status_code == 200 and b"coach@ex.com" in page.data and b'method="post"' in page.data
    with digest_db.connect() as conn:
        assert digest_store.subscription(conn, "coach") is not None  # opening the link changes nothing
    done = client.post(path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200 and b"no longer receives" in done.data
    with digest_db.connect() as conn:
        assert digest_store.subscription(conn, "coach") is None
        assert digest_store.subscription(conn, "coach2") is not None
        assert digest_store.previous_at_risk(conn, "coach") == {}
    assert client.post(path).status_code == 200  # twice: still fine
    assert client.get(path).status_code == 200
    for bad in ("/digest/unsubscribe/nonsense", "/digest/unsubscribe/" + digest_mail.unsubscribe_token("x", "coach2"),
                "/digest/unsubscribe/" + digest_mail.unsubscribe_token(SECRET, "nobody")):
        assert client.post(bad).status_code == 404
    with digest_db.connect() as conn:
        assert digest_store.subscription(conn, "coach2") is not None


def test_links_ask_to_sign_in_and_come_back(app, digest_db, smtp):
    from tests.signing import page_content, sign_in_path

    run(digest_db, db_.FIRST, smtp)
    link = next(line.strip() for line in text_of(only(smtp.inbox, "coach@ex.com")).split("\n")
                if "/at-risk?session=r2&reason=low-score" in line)
    path = link[len(PUBLIC):]
    client = app.server.test_client()
    answer = client.get(path)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/login?next=%2Fat-risk%3Fsession%3Dr2%26reason%3Dlow-score"
    assert client.get(sign_in_path(digest_db, "coach@ex.com")).status_code == 302
    assert client.get(path).status_code == 200
    path_only, search = path.split("?")
    page = page_content(client, app, path_only, "?" + search)
    assert "There is no running cohort" not in page and '"value":"r2"' in page.replace(" ", "")
    path_only, search = path.split("?")
    page = page_content(client, app, path_only, "?" + search)
    assert "There is no running cohort" not in page and '"value":"r2"' in page.replace(" ", "")


# --- the command line ------------------------------------------------------------------------------------------------
def _cli(engine, *args, smtp_url=None, now=None):
    env = {"DATABASE_URL": _database_url(engine), "PATH": os.environ["PATH"], "PYTHONPATH": os.getcwd(),
           "LEARNPULSE_PUBLIC_URL": PUBLIC, "SECRET_KEY": SECRET}
    if now:
        env["LEARNPULSE_NOW"] = now.isoformat()
    if smtp_url:
        env["LEARNPULSE_SMTP_URL"] = smtp_url
    return cli.run(["digest", *args], env=env)


def test_cli(digest_db, smtp):
    done = _cli(digest_db, "subscribe", "COACH@ex.com", "--day", "fri", "--hour", "18", now=db_.FIRST)
    assert done.returncode == 0, done.stderr
    assert "coach@ex.com receives the weekly digest every Friday at 18:00 (UTC)" in done.stderr
    with digest_db.connect() as conn:
        sub = digest_store.subscription(conn, "coach")
    assert (sub.weekday, sub.hour) == (4, 18)
    for args, reason in [(("subscribe", "a1@ex.com"), "sees no cohorts"), (("subscribe", "zz@ex.com"), "no user"),
                         (("subscribe", "coach@ex.com", "--hour", "24"), "0 to 23"),
                         (("send",), "LEARNPULSE_SMTP_URL is not set")]:
        bad = _cli(digest_db, *args)
        assert bad.returncode == 2 and reason in bad.stderr, (args, bad.stderr)
    dry = _cli(digest_db, "send", "--now", db_.FIRST.isoformat(), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "To: Bo Second <coach2@ex.com>\nSubject: LearnPulse weekly digest: 4 newly at risk" in dry.stdout
    assert "- Gia Never, Spring cohort: inactive, behind" in dry.stdout
    assert "# ins@ex.com: nothing changed since the previous digest: no e-mail" in dry.stdout
    assert "To: Cora Coach <coach@ex.com>" in dry.stdout  # a first digest comes at once, whatever the day
    assert "(dry run: nothing sent or recorded)" in dry.stderr and sends(digest_db) == []
    sent = _cli(digest_db, "send", "--now", db_.FIRST.isoformat(), smtp_url=smtp.url())
    assert sent.returncode == 0 and "3 due, 2 sent, 1 with nothing new" in sent.stderr, sent.stderr
    assert len(smtp.inbox.to("coach2@ex.com")) == 1
    # then Fridays at 18:00: the Monday subscribers' next period (06-15 07:00) is due before, not coach's
    later = _cli(digest_db, "send", "--now", "2026-06-19T17:59:00Z", smtp_url=smtp.url())
    assert "2 due" in later.stderr, later.stderr
    friday = _cli(digest_db, "send", "--now", "2026-06-19T18:00:00Z", smtp_url=smtp.url())
    assert "1 due" in friday.stderr, friday.stderr
    gone = _cli(digest_db, "unsubscribe", "coach2@ex.com")
    assert gone.returncode == 0 and "coach2@ex.com no longer receives the weekly digest" in gone.stderr
    assert "was not subscribed" in _cli(digest_db, "unsubscribe", "coach2@ex.com").stderr


# --- LEARNPULSE_DIGEST=on: the app's own background thread ----------------------------------------------------------
def test_two_app_processes_with_the_background_thread_send_each_digest_once(digest_db, smtp, tmp_path, caplog):
    import time

    from dashboard.factory import create_app

    assert Settings.from_env(env={"LEARNPULSE_DIGEST": "on"}).digest_thread
    assert not Settings.from_env(env={}).digest_thread
    url = _database_url(digest_db)

    def app(smtp_url):
        return create_app(Settings.from_env(
            env={"LEARNPULSE_DIGEST": "on"}, database_url=url, seed_demo_on_empty=False, secret_key=SECRET,
            data_dir=tmp_path, now_override=db_.FIRST, public_url=PUBLIC, smtp_url=smtp_url))

    workers = [app(smtp.url()), app(smtp.url())]
    threads = [w.server.extensions["learnpulse-digest"] for w in workers]
    try:
        deadline = time.monotonic() + 60
        while len(smtp.inbox.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        for t in threads:  # one more round each: nothing is due any more
            assert t.run_once().due == 0
    finally:
        for t in threads:
            t.stop()
    assert sorted(len(smtp.inbox.to(e)) for e in ("coach@ex.com", "coach2@ex.com", "ins@ex.com")) == [0, 1, 1]
    no_mail = app(None)  # switched on without a mail server: said in the log, no thread
    assert "learnpulse-digest" not in no_mail.server.extensions
    assert "LEARNPULSE_SMTP_URL is not set" in caplog.text
