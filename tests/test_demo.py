"""The demo generator: deterministic, valid, and shaped like a real platform."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import text

from data_access.demo import generate, stream_bundle, write_bundle
from data_access.importer import import_bundle
from data_access.queries import at_risk, participants
from data_access.scope import Scope

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(tmp_path):
    write_bundle(generate(300, 7, NOW), tmp_path / "a")
    write_bundle(generate(300, 7, NOW), tmp_path / "b")
    write_bundle(generate(300, 8, NOW), tmp_path / "c")
    stream_bundle(300, 7, NOW, tmp_path / "d")  # a chunk at a time, as `learnpulse demo` writes it
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b") == _digest(tmp_path / "d")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_demo_is_realistic_and_imports(engine, tmp_path):
    frames = generate(1000, 42, NOW)
    write_bundle(frames, tmp_path / "demo")
    import_bundle(engine, tmp_path / "demo")
    now_s = int(NOW.timestamp())
    with engine.connect() as conn:
        def one(sql):
            return conn.execute(text(sql)).one()

        max_level = one("SELECT MAX(level) FROM groups")[0]
        learners, never, recent, old = one(f"""
            SELECT COUNT(*), SUM(CASE WHEN last_login_at IS NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN last_login_at >= {now_s - 7 * 86400} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN last_login_at < {now_s - 30 * 86400} THEN 1 ELSE 0 END)
            FROM users WHERE user_id IN (SELECT user_id FROM memberships WHERE role = 'learner')""")
        past, running, future = one(f"""
            SELECT SUM(CASE WHEN end_at <= {now_s} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN start_at <= {now_s} AND end_at > {now_s} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN start_at > {now_s} THEN 1 ELSE 0 END) FROM sessions""")
        kinds = {r[0] for r in conn.execute(text("SELECT DISTINCT kind FROM blocks"))}
        multi = one("SELECT COUNT(*) FROM course_attempts WHERE attempt_no > 1")[0]
        deleted = one("SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL")[0]
        statuses = {r[0] for r in conn.execute(text("SELECT DISTINCT status FROM enrollments"))}
        sources = {r[0] for r in conn.execute(text("SELECT DISTINCT source FROM enrollments"))}
        expired, expiring, valid = one(f"""
            SELECT SUM(CASE WHEN expires_at <= {now_s} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN expires_at > {now_s} AND expires_at <= {now_s + 30 * 86400} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN expires_at IS NULL OR expires_at > {now_s + 30 * 86400} THEN 1 ELSE 0 END)
            FROM certificates""")
        scores = [r[0] for r in conn.execute(text("SELECT score_pct FROM session_users WHERE score_pct IS NOT NULL"))]
        # drop-off along the timeline: fewer learners per block reach block 3 than block 1
        by_pos = dict(conn.execute(text("""
            SELECT b.position, COUNT(br.user_id) * 1.0 / COUNT(DISTINCT b.block_id)
            FROM blocks b LEFT JOIN block_results br ON br.block_id = b.block_id
            WHERE b.position <= 3 GROUP BY b.position""")).all())
        replies = one("SELECT COUNT(*) FROM posts WHERE parent_id IS NOT NULL")[0]
    assert max_level == 3
    assert 0.05 * learners < never < 0.2 * learners
    assert recent > 0.4 * learners and old > 0.1 * learners
    assert past > 0 and running > 0 and future > 0
    assert kinds == {"course", "assessment", "classroom"}
    assert multi > 0 and deleted > 0 and replies > 0
    assert statuses == {"registered", "waiting_list"} and "catalog" in sources
    assert expired > 0 and expiring >= 0 and valid > 0
    s = pd.Series(scores)
    assert 65 < s.median() < 90 and s.std() > 8  # skewed high, with a spread
    assert by_pos[1] > by_pos[3]
    for name in ("reactions", "activity_views", "downloads", "answers"):
        assert len(frames[name]) > 0, name


def test_chunks_of_any_size_import(engine, tmp_path):
    """41 learners in chunks of 20: the last chunk holds one learner, who never logged in (seed 1), so it has no
    post, attempt or certificate of its own; the bundle still imports, with every learner."""
    counts = stream_bundle(41, 1, NOW, tmp_path / "demo", chunk=20)
    logins = pd.read_csv(tmp_path / "demo" / "logins.csv")
    assert "u00041" not in set(logins["user_id"])  # what this test is about
    report = import_bundle(engine, tmp_path / "demo")
    assert report.rows == counts
    with engine.connect() as conn:
        learners = conn.execute(text("SELECT COUNT(*) FROM memberships WHERE role = 'learner'")).scalar_one()
    assert learners == 41


def test_the_browser_tests_demo_has_what_they_look_for(engine, tmp_path):
    """The Chromium tests' demo (tests/browser.py: 300 learners, seed 42, built around 09:00 on NOW), checked here
    without a browser: the flagship cohort, which Participants opens first, has its first two topics due,
    learners behind on them and learners whose last login is 8-14 days ago; the at-risk list holds each reason
    and fits its first page; the first user has no namesake (meeting-safe labels name a person by full name)."""
    now = NOW.replace(hour=9)
    stream_bundle(300, 42, now, tmp_path / "demo")
    import_bundle(engine, tmp_path / "demo")
    owner = Scope.owner()
    with engine.connect() as conn:
        flagship = participants.default_cohort(participants.cohorts(conn, owner, now))
        due = participants.topics_due(conn, flagship, now)
        fading = participants.participants(conn, owner, now, flagship, ["8–14"])
        everyone = at_risk.at_risk(conn, owner, now)
        by_reason = at_risk.summary(conn, owner, now)["by_reason"]
        names = conn.execute(text("SELECT first_name, last_name FROM users ORDER BY user_id")).all()
    assert flagship == "s00001" and due == 2
    assert fading
    assert 3 <= len(everyone) <= 100
    assert all(by_reason[r] > 0 for r in at_risk.REASONS) and by_reason["behind"] < len(everyone)
    assert names.count(names[0]) == 1
