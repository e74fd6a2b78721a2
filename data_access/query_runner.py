"""The query runner: every page query runs through QueryRunner: `run` (cached), `fresh` (uncached: settings a
colleague may have just changed) and `write` (a writing function in one transaction).

Keys are built from JSON-serialisable arguments only: the query's stable dotted name (the same in
every gunicorn worker), the data version stored in the database (a new import, from any
process, makes old entries unreachable), the viewer's scope, 'now' and the keyword arguments.
Under a real clock 'now' is first floored to the query's window (data_access/freshness.py), and the query
computes with that floored value, so one entry serves the same view for the whole window.
Failures are never cached; a cache outage is logged and the query runs uncached.
`shape` (set by the app) is applied to every result after the cache, for what depends on the viewer's display
settings rather than their scope (the meeting-safe pseudonyms): the cache keeps the query's own result.
Both backends (SimpleCache, Redis) store pickled bytes, so every hit is a fresh object: a caller may
shape a result in place without touching the cache (no deepcopy needed, which costs ~70 ms on 2,500 rows).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import datetime

from sqlalchemy.engine import Engine

from data_access import db, freshness
from data_access.scope import Scope

log = logging.getLogger(__name__)


class QueryRunner:
    def __init__(self, engine: Engine, cache=None, timeout_s: int = 300, version_ttl_s: float = 0.0,
                 real_clock: bool = False):
        self.engine = engine
        # True when 'now' is the wall clock: floor it to each query's window (a fixed 'now' is used as given)
        self.real_clock = real_clock
        self.cache = cache  # a flask_caching.Cache, or None for no caching (CLI)
        self.timeout_s = timeout_s
        # the data version is re-read at most every version_ttl_s seconds (the app: 1 s, so a page of
        # several cached queries costs no database round trip on a hit; an import shows within a second)
        self.version_ttl_s = version_ttl_s
        self._version: tuple[float, str] | None = None
        self.shape = None  # result -> result shown to the current viewer, or None for as is

    def _shaped(self, result):
        return result if self.shape is None else self.shape(result)

    def key(self, fn, version: str, scope: Scope, now: datetime, kwargs: dict) -> str:
        raw = json.dumps([f"{fn.__module__}.{fn.__qualname__}", version, scope.cache_key(), now.isoformat(),
                          kwargs], sort_keys=True, default=str)
        return "lp:" + hashlib.sha1(raw.encode()).hexdigest()

    def data_version(self) -> str:
        known = self._version
        if known is not None and time.monotonic() - known[0] < self.version_ttl_s:
            return known[1]
        with self.engine.connect() as conn:
            version = db.data_version(conn)
        self._version = (time.monotonic(), version)
        return version

    def now_for(self, fn, now: datetime) -> datetime:
        """The 'now' a query computes with: floored to its window under a real clock."""
        return freshness.bucket(now, freshness.window_of(fn)) if self.real_clock else now

    def run(self, fn, scope: Scope, now: datetime, **kwargs):
        return self._shaped(self.run_unshaped(fn, scope, now, **kwargs))

    def run_unshaped(self, fn, scope: Scope, now: datetime, **kwargs):
        """run() without `shape`: the query's own result (real names), for what is not shown on screen."""
        now = self.now_for(fn, now)
        if self.cache is None:
            with self.engine.connect() as conn:
                return fn(conn, scope, now, **kwargs)
        key = self.key(fn, self.data_version(), scope, now, kwargs)
        try:
            hit = self.cache.get(key)
        except Exception:  # noqa: BLE001 - an outage must not break the page
            log.warning("cache unavailable (get); running %s uncached", fn.__name__, exc_info=True)
            hit = None
        if hit is not None:
            return hit
        with self.engine.connect() as conn:
            result = fn(conn, scope, now, **kwargs)
        try:
            self.cache.set(key, result, timeout=self.timeout_s)
        except Exception:  # noqa: BLE001
            log.warning("cache unavailable (set) for %s", fn.__name__, exc_info=True)
        return result

    def fresh(self, fn, scope: Scope, now: datetime, **kwargs):
        """Run a query uncached: for small settings a colleague may have just changed."""
        with self.engine.connect() as conn:
            return self._shaped(fn(conn, scope, now, **kwargs))

    def write(self, fn, scope: Scope, now: datetime, **kwargs):
        """Run a writing function in one transaction (committed when it returns, rolled back if it raises). The
        data version is read afresh afterwards: a write that moves it on (recorded contacts) shows at once here."""
        try:
            with self.engine.begin() as conn:
                return fn(conn, scope, now, **kwargs)
        finally:
            self._version = None

    def clear(self) -> None:
        if self.cache is not None:
            try:
                self.cache.clear()
            except Exception:  # noqa: BLE001
                log.warning("cache unavailable (clear)", exc_info=True)
