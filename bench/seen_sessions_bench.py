"""Benchmark: what reads "the sessions a viewer sees" (scope.visible_sessions, visible_session, require_session,
require_program) outside the Sessions list, for a division admin (default) or another role of roles_bench, cold.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/lp_million LEARNPULSE_NOW=2026-11-23T09:00:00Z \
        python bench/seen_sessions_bench.py [ROLE]

Read only: the engine's transactions are read-only on PostgreSQL (the shared demo databases must not change), so
the data-access functions the callbacks and downloads run are called directly (no sign-in, no query cache: every
call computes afresh, as a cold callback does; Dash serialisation, a few ms, is not included). Each line is
roles_bench-style: median of 3 wall-clock times and of 3 CPU times (this thread plus the PostgreSQL backend of its
connection and that backend's parallel workers, BackendCpu: /proc, 10 ms ticks; other sessions on the shared
server are not counted), and the load average when the line was printed.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from roles_bench import viewers  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from dashboard.core.settings import Settings  # noqa: E402
from data_access import db, program_session_state, schema  # noqa: E402
from data_access.exports import session_csv as session_csv_export  # noqa: E402
from data_access.exports import users as users_export  # noqa: E402
from data_access.queries import at_risk, collaboration, digest  # noqa: E402
from data_access.queries import users_export as general  # noqa: E402
from data_access.scope import Scope, require_program, require_session, scope_for_user, visible_users  # noqa: E402

PAIRS = 2000  # a division's earlier at-risk pairs that the digest checks again
RUNS = int(os.environ.get("BENCH_RUNS", "3"))  # 1 for a version whose calls take tens of seconds


def read_only_engine(url: str):
    url = db.normalise_url(url)
    if url.startswith("postgresql"):
        options = "-c default_transaction_read_only=on -c statement_timeout=300000"
        return create_engine(url, connect_args={"prepare_threshold": None, "options": options})
    return db.make_engine(url)


def _ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime + stime


class BackendCpu:
    """CPU time (ms) of one connection's PostgreSQL backend and of the parallel workers it starts, read from /proc:
    the backend before and after; its workers (which end with their query) sampled every 10 ms from a second
    connection, each counted at its last reading. Other sessions on the server are not counted."""

    def __init__(self, engine, pid: int):
        self.engine, self.pid, self.workers = engine, pid, {}
        self._stop = threading.Event()

    def __enter__(self):
        self.start = _ticks(self.pid) or 0
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        with self.engine.connect() as probe:
            while not self._stop.wait(0.01):
                for pid in probe.execute(text("SELECT pid FROM pg_stat_activity WHERE leader_pid = :p AND pid <> :p"),
                                         {"p": self.pid}).scalars():
                    ticks = _ticks(pid)
                    if ticks is not None:
                        self.workers[pid] = ticks
                probe.rollback()

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.ms = ((_ticks(self.pid) or 0) - self.start + sum(self.workers.values())) * 1000 / os.sysconf(
            "SC_CLK_TCK")


def timed(label: str, engine, fn) -> None:
    walls, cpus = [], []
    postgres = engine.dialect.name == "postgresql"
    for _ in range(RUNS):
        with engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar() if postgres else None
            conn.rollback()
            server = BackendCpu(engine, pid) if postgres else contextlib.nullcontext()
            with server:
                t, c = time.perf_counter(), time.thread_time()
                result = fn(conn)
                walls.append((time.perf_counter() - t) * 1000)
                cpus.append((time.thread_time() - c) * 1000)
            conn.rollback()
        if postgres:
            cpus[-1] += server.ms
    print(f"{label:<58} {statistics.median(walls):9.1f} ms  (CPU {statistics.median(cpus):8.1f})  "
          f"{result!s:<14.14} load {os.getloadavg()[0]:.1f}", flush=True)


def seen_ids(conn, scope: Scope) -> list[str]:
    """The viewer's sessions from the group facts (equal to visible_sessions at import; fast in every version)."""
    s, gs = schema.sessions, schema.group_sessions
    if scope.is_owner:
        return list(conn.execute(select(s.c.session_id)).scalars())
    ids = set(conn.execute(select(gs.c.session_id).where(gs.c.group_id.in_(scope.managed_groups))).scalars())
    return sorted(ids | set(scope.instructor_sessions))


def targets(conn, scope: Scope, now_s: int) -> dict:
    """The viewer's largest running session, its busiest learner, the viewer's largest program template and a
    word of a session name."""
    s, su = schema.sessions, schema.session_users
    ids = seen_ids(conn, scope)
    running = set(conn.execute(select(s.c.session_id).where(program_session_state.running(s, now_s))).scalars())
    chosen = [i for i in ids if i in running] or ids
    sizes = dict(conn.execute(select(su.c.session_id, func.count()).where(su.c.registered == 1)
                              .group_by(su.c.session_id)).all())
    session = max(chosen, key=lambda i: (sizes.get(i, 0), i))
    learner = conn.execute(select(su.c.user_id).where(su.c.session_id == session, su.c.registered == 1,
                                                      visible_users(scope, su.c.user_id))
                           .order_by(su.c.user_id).limit(1)).scalar()
    programs = dict(conn.execute(select(s.c.session_id, s.c.program_id)).all())
    by_program: dict[str, int] = {}
    for i in ids:
        by_program[programs[i]] = by_program.get(programs[i], 0) + 1
    program = max(by_program, key=lambda p: (by_program[p], p))
    small = min(by_program, key=lambda p: (by_program[p], p))
    name = conn.execute(select(s.c.name).where(s.c.session_id == session)).scalar()
    return {"session": session, "learner": learner, "program": program, "program_n": by_program[program],
            "small": small, "small_n": by_program[small], "word": name.split()[0].lower(), "seen": len(ids)}


def first_chunks(chunks, n: int = 2) -> int:
    """The first n chunks of a CSV (the header, then the first rows): what a download's first byte waits for."""
    size = 0
    for i, chunk in enumerate(chunks):
        size += len(chunk)
        if i + 1 >= n:
            break
    return size


def bench(engine, now, role_user: str | None, tz: str) -> None:
    with engine.connect() as conn:
        scope = Scope.owner() if role_user is None else scope_for_user(conn, role_user)
        t = targets(conn, scope, int(now.timestamp()))
    print(f"viewer {role_user}: {len(scope.managed_groups)} managed groups, {t['seen']:,} sessions seen; "
          f"session {t['session']}, learner {t['learner']}, program {t['program']} ({t['program_n']} sessions), "
          f"small program {t['small']} ({t['small_n']})", flush=True)
    sid, uid = t["session"], t["learner"]
    timed("require_session (a session page's check)", engine, lambda c: require_session(c, scope, sid))
    timed("require_program (a template page's check)", engine, lambda c: require_program(c, scope, t["program"]))
    timed("digest preview (digest + settings)", engine,
          lambda c: (digest.digest(c, scope, now, user_id=role_user or ""),
                     digest.settings_of(c, scope, now, user_id=role_user or ""))[0]["at_risk"])
    timed("Participants: at-risk limits + contacts", engine,
          lambda c: (at_risk.risk_limits(c, scope, now, sid), at_risk.cohort_contacts(c, scope, now, sid))[1]
          ["contacts"])
    pairs = [(r["user_id"], r["session_id"]) for r in at_risk.at_risk(engine.connect(), scope, now)]
    timed(f"digest: still at risk, of {min(len(pairs), PAIRS):,} earlier pairs", engine,
          lambda c: len(digest._still_participants(c, scope, int(now.timestamp()), pairs[:PAIRS])))
    timed("contacts: check of 25 selected learners", engine,
          lambda c: len(c.execute(at_risk._participant_seen(scope, pairs[:25])).all()))
    timed("User page: contacts", engine, lambda c: len(at_risk.user_contacts(c, scope, now, uid)))
    timed("Collaborative activity: most active sessions", engine,
          lambda c: len(collaboration.top_sessions(c, scope, now)))
    timed("Collaborative activity: sessions, first 100 rows", engine,
          lambda c: collaboration.sessions_page(c, scope, now)["total"])
    timed("Users CSV (General stats): session picker, search", engine,
          lambda c: len(general.session_options(c, scope, now, search=t["word"], keep=(sid,))))
    timed("Users CSV (General stats): preview, one session", engine,
          lambda c: general.general_preview(c, scope, now, sessions=(sid,))["total"])
    timed("Users CSV (General stats): one session, first rows", engine,
          lambda c: first_chunks(users_export.general_stats_csv(c, scope, now, tz, sessions=(sid,))))
    for key in ("small", "program"):
        pid = t[key]
        timed(f"program Session CSV: sessions list ({t[key + '_n']} sessions)", engine,
              lambda c, p=pid: len(session_csv_export.program_sessions(c, scope, p)))
        timed(f"program Session CSV: first rows ({t[key + '_n']} sessions)", engine,
              lambda c, p=pid: first_chunks(session_csv_export.session_csv(
                  c, scope, now, tz, session_csv_export.program_sessions(c, scope, p))))


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    engine = read_only_engine(settings.database_url)
    now = settings.now()
    role = sys.argv[1] if len(sys.argv) > 1 else "admin"
    print(f"database: {settings.database_url.split('@')[-1]}   now: {now.isoformat()}   "
          f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    with engine.connect() as conn:
        uid = viewers(conn)[role]
    bench(engine, now, uid, settings.timezone)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
