"""The cached query runner: hits, invalidation by import, failures never cached, outages tolerated."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_caching import Cache

from data_access.cache import CachedQueries
from data_access.importer import bump_data_version
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
    runner = CachedQueries(loaded, _simple_cache())
    query, calls = _counting()
    first = runner.run(query, Scope.owner(), now, session="s1")
    first["value"] = 99  # callers get copies: mutating a result must not change the cache
    assert runner.run(query, Scope.owner(), now, session="s1") == {"value": 1, "kw": {"session": "s1"}}
    runner.run(query, Scope(user_id="u2", coach_groups=("g1",)), now, session="s1")
    runner.run(query, Scope.owner(), now, session="s2")
    assert len(calls) == 3


def test_new_import_invalidates(loaded, now):
    runner = CachedQueries(loaded, _simple_cache())
    query, calls = _counting()
    runner.run(query, Scope.owner(), now)
    with loaded.begin() as conn:
        bump_data_version(conn)  # what every import does, from any process
    runner.run(query, Scope.owner(), now)
    assert len(calls) == 2


def test_failures_are_not_cached(loaded, now):
    runner = CachedQueries(loaded, _simple_cache())
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

    runner = CachedQueries(loaded, Broken())
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
    a = CachedQueries(loaded, cache)
    b = CachedQueries(loaded, cache)  # a second app process sharing the cache
    a.run(query, Scope.owner(), now)
    assert b.run(query, Scope.owner(), now)["value"] == 1
    assert len(calls) == 1
    cache.clear()


def test_data_version_is_reread_after_its_ttl(loaded, now, monkeypatch):
    """The app re-reads the data version at most once per version_ttl_s: no round trip per cached query."""
    import time as clock

    from data_access import importer

    runner = CachedQueries(loaded, _simple_cache(), version_ttl_s=60)
    first = runner.data_version()
    with loaded.begin() as conn:
        importer.bump_data_version(conn)
    assert runner.data_version() == first  # within the TTL: the known version
    later = clock.monotonic() + 61
    monkeypatch.setattr("data_access.cache.time.monotonic", lambda: later)
    assert runner.data_version() != first
