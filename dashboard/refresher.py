"""Refreshing, in the background, the facts built over whole tables (derive.refresh_dependent: the Users,
Groups and Collaborative activity pages' numbers) after statements posted to /xapi/statements.

A posted batch refreshes its learners' session facts at once (derive.refresh_for), but the facts over whole
tables take seconds on a large platform: redoing them inside every request would cap the endpoint at a few
batches a second. Instead each request notes what changed; one background thread per app process refreshes
them a moment later, coalescing a burst of batches into one refresh, and one process at a time across the
deployment (db.exclusive). Pages show the new numbers once it has run (the data version changes).
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.engine import Engine

from data_access import db, derive
from data_access.importer import bump_data_version

log = logging.getLogger(__name__)


class DependentRefresher:
    def __init__(self, engine: Engine, delay_s: float = 1.0):
        self.engine = engine
        self.delay_s = delay_s  # gathers the batches of a burst into one refresh
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()

    def request(self, changed: set[str]) -> None:
        """Note the tables a committed write changed; a refresh follows shortly."""
        if not changed:
            return
        with self._lock:
            self._pending |= set(changed)
            self._idle.clear()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="learnpulse-refresh", daemon=True)
                self._thread.start()

    def wait(self, timeout_s: float = 60.0) -> bool:
        """Until nothing is pending (tests, benchmarks, a clean shutdown)."""
        return self._idle.wait(timeout_s)

    def _run(self) -> None:
        while True:
            time.sleep(self.delay_s)
            with self._lock:
                changed, self._pending = self._pending, set()
                if not changed:
                    self._idle.set()
                    self._thread = None
                    return
            try:
                with db.exclusive(self.engine, "derive"), self.engine.begin() as conn:
                    derive.refresh_dependent(conn, changed)
                    bump_data_version(conn)
            except Exception:  # noqa: BLE001 - kept pending: the next posted batch starts a new attempt
                log.exception("background refresh of derived facts failed (%s)", ", ".join(sorted(changed)))
                with self._lock:
                    self._pending |= changed
                    self._idle.set()
                    self._thread = None
                return
