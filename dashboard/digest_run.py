"""Sending the weekly digests that are due (`learnpulse digest send`, or the app's background thread with
LEARNPULSE_DIGEST=on).

For each subscription whose period is due (data_access.digest_store.due), SENDERS recipients at a time: claim it
(exactly once across processes), compute the digest in the recipient's own scope at `now`
(data_access.queries.digest), then either record "empty" (nothing changed: no e-mail) or send it and record
"sent", keeping what it counted at risk for the next one. A recipient the server refuses (a bad address) is
recorded as failed and tried again at the next run, at most digest_store.MAX_ATTEMPTS times a period; the others
go on. A server that cannot be used stops the run: the recipients not reached yet stay due for the next run.
Memory stays flat: each sender holds one recipient's digest at a time.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from dashboard.core.digest_mail import Composer
from dashboard.core.settings import Settings
from dashboard.mail import Mailer, RecipientFailed, ServerFailed, parse_smtp_url
from data_access import accounts, digest_store
from data_access.queries import digest as digest_query
from data_access.scope import Scope

log = logging.getLogger("learnpulse.digest")


@dataclass
class RunReport:
    due: int = 0
    sent: int = 0
    empty: int = 0  # nothing changed: no e-mail
    failed: int = 0  # tried again at the next run
    skipped: int = 0  # another process had it, or it was done meanwhile
    left: int = 0  # not reached: the mail server could not be used
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (f"digest: {self.due:,} due, {self.sent:,} sent, {self.empty:,} with nothing new (no e-mail), "
                f"{self.failed:,} failed (tried again at the next run)")
        if self.skipped:
            text += f", {self.skipped:,} taken by another process"
        if self.left:
            text += f", {self.left:,} left for the next run (mail server unusable)"
        return text


class Pool:
    """The run's at-risk list (digest_query.RiskPool), computed once, by the first sender that needs it."""

    def __init__(self, engine, now: datetime):
        self.engine, self.now, self._pool = engine, now, None
        self._lock = threading.Lock()

    def get(self, conn) -> digest_query.RiskPool:
        with self._lock:
            if self._pool is None:
                self._pool = digest_query.RiskPool(conn, self.now)
            return self._pool


def compute(engine, user_id: str, now: datetime, pool: Pool | None = None):
    """(account, subscription, digest) of one recipient at now, in their own scope; None when they cannot sign in
    any more (deleted)."""
    with engine.connect() as conn:
        acct = accounts.account(conn, Scope.owner(), now, user_id)
        if acct is None or acct.deleted:
            return None
        sub = digest_store.subscription(conn, user_id)
        return acct, sub, digest_query.digest(conn, acct.scope, now, user_id,
                                              pool.get(conn) if pool is not None else None)


SENDERS = 4  # recipients handled at once, each sender with its own mail and database connection


def send_due(engine, settings: Settings, now: datetime, mailer_factory: Callable[[], Mailer] | None = None,
             dry_run: bool = False, out: TextIO | None = None, senders: int = SENDERS) -> RunReport:
    """Send every digest that is due at now (see the module), `senders` recipients at a time (most of a digest's
    time is spent waiting for the database and the mail server; the claims keep each digest to one sender).
    dry_run: print them to `out` instead, one after the other, and change nothing."""
    clock_s = int(time.time())
    with engine.connect() as conn:
        todo = digest_store.due(conn, now, settings.timezone, clock_s)
    report = RunReport(due=len(todo))
    if not todo:
        return report
    composer = Composer.from_settings(settings, engine)
    pool = Pool(engine, now)
    if dry_run:
        for item in todo:
            _print(out, engine, composer, item, now, pool)
        return report
    factory = mailer_factory or (lambda: Mailer(parse_smtp_url(settings.smtp_url)))
    queue, lock, stop = deque(todo), threading.Lock(), threading.Event()

    def work() -> None:
        mailer = factory()
        try:
            while not stop.is_set():
                with lock:
                    if not queue:
                        return
                    item = queue.popleft()
                outcome, error = _one(engine, composer, mailer, item, now, pool)
                with lock:
                    if outcome != "released":
                        setattr(report, outcome, getattr(report, outcome) + 1)
                    if error:
                        report.errors.append(f"{item.email}: {error}")
                if error and outcome == "failed" and error.startswith(SERVER_DOWN):
                    stop.set()
        finally:
            mailer.close()

    workers = [threading.Thread(target=work, name=f"learnpulse-digest-{i}", daemon=True)
               for i in range(max(1, min(senders, len(todo))))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    report.left = len(queue)
    return report


SERVER_DOWN = "mail server: "


def _one(engine, composer: Composer, mailer: Mailer, item: digest_store.Due, now: datetime,
         pool: Pool) -> tuple[str, str | None]:
    """One recipient's digest: (what happened: a RunReport field or "released", the error if it failed). An error
    starting with SERVER_DOWN means the mail server cannot be used (the run stops)."""
    token = digest_store.claim(engine, item.user_id, item.period_at, int(time.time()))
    if token is None:
        return "skipped", None

    def failed(reason: str, refused: bool) -> tuple[str, str]:
        digest_store.fail(engine, item.user_id, item.period_at, token, reason, counts_attempt=refused)
        return "failed", reason

    try:
        computed = compute(engine, item.user_id, now, pool)
        if computed is None:
            digest_store.release(engine, item.user_id, item.period_at, token)
            return "released", None
        acct, sub, d = computed
        counts = digest_query.counts(d)
        if not d["changed"]:
            digest_store.finish(engine, item.user_id, item.period_at, token, digest_store.EMPTY, d["now"],
                                int(time.time()), counts, d["at_risk_now"])
            log.info("digest for %s: nothing changed, no e-mail", item.email)
            return "empty", None
        msg = composer.message(d, acct, sub)
    except Exception as exc:  # noqa: BLE001 - one recipient's problem must not stop the others
        log.exception("digest for %s could not be computed", item.email)
        return failed(f"not computed: {type(exc).__name__}: {exc}", refused=False)
    try:
        mailer.send(msg)
    except RecipientFailed as exc:
        log.warning("digest for %s refused by the mail server: %s", item.email, exc)
        return failed(str(exc), refused=True)
    except ServerFailed as exc:
        log.error("digest for %s not sent: %s", item.email, exc)
        return failed(SERVER_DOWN + str(exc), refused=False)
    digest_store.finish(engine, item.user_id, item.period_at, token, digest_store.SENT, d["now"], int(time.time()),
                        counts, d["at_risk_now"])
    log.info("digest sent to %s: %s", item.email, msg["Subject"])
    return "sent", None


def _print(out: TextIO | None, engine, composer: Composer, item: digest_store.Due, now: datetime,
           pool: Pool) -> None:
    computed = compute(engine, item.user_id, now, pool)
    if out is None or computed is None:
        return
    acct, sub, d = computed
    if not d["changed"]:
        print(f"# {acct.email}: nothing changed since the previous digest: no e-mail\n", file=out)
        return
    rendered = composer.render(d, acct, sub)
    print(f"To: {acct.name} <{acct.email}>\nSubject: {rendered.subject}\n", file=out)
    print(rendered.text, file=out)


class DigestThread:
    """LEARNPULSE_DIGEST=on: every app process sends the due digests every `every_s` seconds (a little jitter
    spreads several workers). The claims make several processes safe: each digest is sent once."""

    def __init__(self, engine, settings: Settings, every_s: float = 300.0):
        self.engine, self.settings, self.every_s = engine, settings, every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = None
        self._lock = threading.Lock()

    def ensure_started(self) -> None:
        """Start the thread in this process if it is not running (a forked worker does not inherit threads)."""
        if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="learnpulse-digest", daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def run_once(self) -> RunReport:
        report = send_due(self.engine, self.settings, self.settings.now())
        if report.due:
            log.info(report.summary())
        return report

    def _run(self) -> None:
        self._stop.wait(random.uniform(1.0, 5.0))  # noqa: S311 - spreading workers, not security
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - a database or configuration problem: logged, tried again later
                log.exception("weekly digest run failed")
            self._stop.wait(self.every_s * random.uniform(0.9, 1.1))  # noqa: S311
