"""Folding, in the background, what statements posted to /xapi/statements leave, and refreshing the facts the
fold changes.

A posted batch is stored with its events (views, answers, posts, reactions) in the request's transaction,
together with the keys whose rows many statements build (attempts, enrollments, logins, results: table
xapi_pending). Folding those keys and refreshing their learners' session facts (ingest.fold_pending), then
the facts over whole tables (derive.refresh_dependent: the Users, Groups and Collaborative activity numbers),
would cap the endpoint at a few batches a second if every request did it. Instead each request notes what it
left; one background thread per app process works it off a moment later, coalescing a burst of batches into
one fold, and one process at a time across the deployment (db.exclusive). Pages show the new numbers once it
has run (the data version changes). Keys left pending by a process that stopped are folded by the next
request, the next import or the next start.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.engine import Engine

from data_access import db
from data_access.write import derive
from data_access.write.xapi.ingest import fold_pending

log = logging.getLogger(__name__)
RETRIES = 5  # a failed fold or refresh (a deadlock, a locked database) is tried again after 2, 4, 8, 16 s


class XapiFolder:
    def __init__(self, engine: Engine, delay_s: float = 1.0, dependent_every_s: float = 15.0, quiet_s: float = 1.0):
        self.engine = engine
        self.delay_s = delay_s  # gathers the batches of a burst into one fold
        self.dependent_every_s = dependent_every_s
        self.quiet_s = quiet_s  # a burst is over when no batch came for this long
        self._last_dependent = time.monotonic()
        self._last_request = 0.0
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._fold = False
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()

    def request(self, changed: set[str], fold: bool = False) -> None:
        """Note the tables a committed write changed (and, with fold, that it left keys in xapi_pending); a fold
        and refresh follow shortly."""
        if not changed and not fold:
            return
        with self._lock:
            self._pending |= set(changed)
            self._fold = self._fold or fold
            if fold:
                self._last_request = time.monotonic()
            self._idle.clear()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="learnpulse-refresh", daemon=True)
                self._thread.start()

    def wait(self, timeout_s: float = 60.0) -> bool:
        """Until nothing is pending (tests, benchmarks, a clean shutdown)."""
        return self._idle.wait(timeout_s)

    def _run(self) -> None:
        failures = 0
        while True:
            time.sleep(self.delay_s)
            with self._lock:
                fold, self._fold = self._fold, False
                if not self._pending and not fold:
                    self._idle.set()
                    self._thread = None
                    return
            changed: set[str] = set()
            try:
                with db.exclusive(self.engine, "derive"):
                    if fold:  # the rows of the keys posted batches left: soon after each batch
                        folded = fold_pending(self.engine)
                        with self._lock:
                            self._pending |= folded
                    with self._lock:
                        # the facts over whole tables take seconds and, on SQLite, hold the only write lock:
                        # during a burst of batches at most every dependent_every_s, then once it is over (no
                        # batch for quiet_s; "none came during the fold" says nothing on SQLite, where no batch
                        # can commit during a fold)
                        now = time.monotonic()
                        due = self._pending and (now - self._last_request >= self.quiet_s
                                                 or now - self._last_dependent >= self.dependent_every_s)
                        if due:
                            changed, self._pending = self._pending, set()
                    if changed:
                        with self.engine.begin() as conn:
                            derive.refresh_dependent(conn, changed)
                            db.bump_data_version(conn)
                        self._last_dependent = time.monotonic()
                failures = 0
            except Exception:  # noqa: BLE001 - kept pending (the keys stay in xapi_pending): tried again
                failures += 1
                log.exception("background fold / refresh of derived facts failed (attempt %d; %s)", failures,
                              ", ".join(sorted(changed)))
                with self._lock:
                    self._pending |= changed
                    self._fold = self._fold or fold
                if failures >= RETRIES:  # the database is gone: the next posted batch or start tries again
                    with self._lock:
                        self._idle.set()
                        self._thread = None
                    return
                time.sleep(min(30.0, 2.0 ** failures))
