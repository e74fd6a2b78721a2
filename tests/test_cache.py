"""The cached query runner: hits, invalidation by import, failures never cached, outages tolerated."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_caching import Cache

from data_access import db
from data_access.query_runner import QueryRunner
from data_access.scope import Scope


def _counting():
    calls = []

    def query(conn, scope, now, **kw):
        calls.append(kw)
        return {"value": len(calls), "kw": kw}

    return query, calls


def _simple_cache():
    return Cache(Flask("t"), config={"CACHE_TYPE": "SimpleCache"})


def test_hit_miss_and_scope_in_key(loaded, now):
    runner = QueryRunner(loaded, _simple_cache())
    query, calls = _counting()
    first = runner.run(query, Scope.owner(), now, session="s1")
    first["value"] = 99  # callers get copies: mutating a result must not change the cache
    assert runner.run(query, Scope.owner(), now, session="s1") == {"value": 1, "kw": {"session": "s1"}}
    runner.run(query, Scope(user_id="u2", coach_groups=("g1",)), now, session="s1")
    runner.run(query, Scope.owner(), now, session="s2")
    assert len(calls) == 3


def test_new_import_invalidates(loaded, now):
    runner = QueryRunner(loaded, _simple_cache())
    query, calls = _counting()
    runner.run(query, Scope.owner(), now)
    with loaded.begin() as conn:
        db.bump_data_version(conn)  # what every import does, from any process
    runner.run(query, Scope.owner(), now)
    assert len(calls) == 2


def test_failures_are_not_cached(loaded, now):
    runner = QueryRunner(loaded, _simple_cache())
    attempts = []

    def flaky(conn, scope, now):
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("boom")
        return "ok"

    with pytest.raises(RuntimeError):
        runner.run(flaky, Scope.owner(), now)
    assert runner.run(flaky, Scope.owner(), now) == "ok"


def test_cache_outage_is_logged_not_raised(loaded, now, caplog):
    class Broken:
        def get(self, key):
            raise ConnectionError("redis down")

        def set(self, *a, **k):
            raise ConnectionError("redis down")

    runner = QueryRunner(loaded, Broken())
    query, calls = _counting()
    assert runner.run(query, Scope.owner(), now)["value"] == 1
    assert "cache unavailable" in caplog.text


def test_redis_cache(loaded, now):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379: {type(exc).__name__}")
    cache = Cache(Flask("t"), config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://127.0.0.1:6379/0",
                                      "CACHE_KEY_PREFIX": "learnpulse-test:"})
    cache.clear()
    query, calls = _counting()
    a = QueryRunner(loaded, cache)
    b = QueryRunner(loaded, cache)  # a second app process sharing the cache
    a.run(query, Scope.owner(), now)
    assert b.run(query, Scope.owner(), now)["value"] == 1
    assert len(calls) == 1
    cache.clear()


def test_data_version_is_reread_after_its_ttl(loaded, now, monkeypatch):
    """The app re-reads the data version at most once per version_ttl_s: no round trip per cached query."""
    import time as clock

    runner = QueryRunner(loaded, _simple_cache(), version_ttl_s=60)
    first = runner.data_version()
    with loaded.begin() as conn:
        db.bump_data_version(conn)
    assert runner.data_version() == first  # within the TTL: the known version
    later = clock.monotonic() + 61
    monkeypatch.setattr("data_access.query_runner.time.monotonic", lambda: later)
    assert runner.data_version() != first


def test_bucket_floors_to_the_window_in_utc():
    from datetime import UTC, datetime, timedelta, timezone

    from data_access.freshness import bucket

    at = datetime(2026, 6, 15, 12, 4, 59, 999_000, tzinfo=UTC)
    assert bucket(at, 300) == datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
    assert bucket(datetime(2026, 6, 15, 12, 5, tzinfo=UTC), 300) == datetime(2026, 6, 15, 12, 5, tzinfo=UTC)
    assert bucket(datetime(2026, 6, 15, 23, 59, 59, tzinfo=UTC), 3600) == datetime(2026, 6, 15, 23, 0, tzinfo=UTC)
    # 14:07 at +02:00 is 12:07 UTC
    paris = datetime(2026, 6, 15, 14, 7, tzinfo=timezone(timedelta(hours=2)))
    assert bucket(paris, 300) == datetime(2026, 6, 15, 12, 5, tzinfo=UTC)
    with pytest.raises(ValueError):
        bucket(at, 0)


def test_a_real_clock_is_floored_per_query_window(loaded):
    from datetime import UTC, datetime

    from data_access import freshness

    seen = []

    def days_query(conn, scope, now):
        seen.append(now)
        return len(seen)

    @freshness.window(3600)
    def hourly_query(conn, scope, now):
        seen.append(now)
        return len(seen)

    runner = QueryRunner(loaded, _simple_cache(), real_clock=True)
    at = datetime(2026, 6, 15, 12, 1, 30, tzinfo=UTC)
    assert runner.run(days_query, Scope.owner(), at) == 1
    assert runner.run(days_query, Scope.owner(), at.replace(minute=4, second=59)) == 1  # same window: a hit
    assert runner.run(days_query, Scope.owner(), at.replace(minute=5, second=0)) == 2
    runner.run(hourly_query, Scope.owner(), at.replace(minute=59))
    assert seen == [datetime(2026, 6, 15, 12, 0, tzinfo=UTC), datetime(2026, 6, 15, 12, 5, tzinfo=UTC),
                    datetime(2026, 6, 15, 12, 0, tzinfo=UTC)]
    fixed = QueryRunner(loaded, _simple_cache())  # a fixed now (LEARNPULSE_NOW, tests) is used as given
    fixed.run(days_query, Scope.owner(), at)
    assert seen[-1] == at
    with pytest.raises(ValueError):
        freshness.window(90)


def test_the_same_scoped_callback_twice_runs_its_queries_once(engine, tmp_path):
    """A coach opens a cohort twice under a real clock: the second time only the cohort's limits are read (fresh:
    a colleague may have changed them); the scoped queries are cache hits."""
    from sqlalchemy import event

    from dashboard.factory import create_app
    from dashboard.ids import Participants
    from dashboard.settings import Settings
    from data_access.importer import import_bundle
    from tests import participants_bundle as pb
    from tests.dashcalls import payload
    from tests.signing import signed_in_client

    import_bundle(engine, pb.write(tmp_path / "cohort"))
    url = engine.url.render_as_string(hide_password=False)
    app = create_app(Settings.from_env(env={}, database_url=url, seed_demo_on_empty=False, data_dir=tmp_path))
    assert app.server.extensions["learnpulse"].queries.real_clock
    client = signed_in_client(app, "coach@ex.com")
    body = payload(app, Participants.ACTIVITY, {f"{Participants.COHORT}.value": "c1"})
    statements = []
    db_engine = app.server.extensions["learnpulse"].engine
    event.listen(db_engine, "before_cursor_execute", lambda conn, cur, sql, *a: statements.append(sql))
    first = client.post("/_dash-update-component", json=body)
    assert first.status_code == 200 and "participants" in first.get_data(as_text=True)
    assert any("group_closure" in s or "memberships" in s for s in statements)  # the scope was applied
    statements.clear()
    again = client.post("/_dash-update-component", json=body)
    assert again.get_data() == first.get_data()
    read = [s for s in statements if "data_version" not in s]  # the version is re-read at most once a second
    assert len(read) == 1 and "cohort_settings" in read[0], read
