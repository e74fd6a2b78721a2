"""Benchmark: the weekly digests of N subscribed staff (default 2,000), computed and sent to a local SMTP server.

    DATABASE_URL=sqlite:///copy-of-the-100k-demo.sqlite3 LEARNPULSE_NOW=2026-11-23T09:00:00Z \\
        python bench/digest_bench.py [--staff 2000] [--check 10]

It CHANGES the database it is given (use a copy): it makes staff up to N (the demo's admins, coaches and
instructors, then demo learners made coaches of teams, round-robin over the teams), subscribes them all and
forgets earlier digests. The SMTP server (aiosmtpd, counting then discarding each message) runs in its own process
on loopback. Prints the run's time, per recipient, the messages the server received, and this process's resident
memory sampled during the run (start, quartiles, peak, end: flat means it does not grow with recipients). Then a
second run at the same now (nothing is due), a run a week later (each digest compared with the first), and with
--check K, K recipients' parts of the run's at-risk list compared with the at-risk list computed in their scope.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, func, insert, select  # noqa: E402

from dashboard.core.settings import Settings  # noqa: E402
from dashboard.digest_run import send_due  # noqa: E402
from data_access import db, migrate, schema  # noqa: E402
from data_access.queries import at_risk as risk  # noqa: E402
from data_access.queries import digest as digest_query  # noqa: E402
from data_access.scope import scope_for_user  # noqa: E402

SERVER = r"""
import asyncio, sys
from aiosmtpd.controller import Controller
class Count:
    n = 0
    size = 0
    async def handle_DATA(self, server, session, envelope):
        Count.n += 1
        Count.size += len(envelope.content)
        return "250 OK"
c = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
sys.stdin.read()
c.stop()
print(Count.n, Count.size, flush=True)
"""


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Sampler(threading.Thread):
    def __init__(self, every_s: float = 0.25):
        super().__init__(daemon=True)
        self.every_s, self.samples, self.stop = every_s, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(rss_mb())
            self.stop.wait(self.every_s)


def make_staff(engine, wanted: int) -> list[str]:
    """Everyone who sees cohorts (admins, coaches, instructors), topped up to `wanted` with learners made coaches
    of the lowest-level groups (teams), round-robin."""
    m, g, si = schema.memberships, schema.groups, schema.session_instructors
    with engine.begin() as conn:
        staff = set(conn.execute(select(m.c.user_id).where(m.c.role.in_(("admin", "coach")))).scalars())
        staff |= set(conn.execute(select(si.c.user_id)).scalars())
        deepest = conn.execute(select(func.max(g.c.level))).scalar()
        teams = conn.execute(select(g.c.group_id).where(g.c.level == deepest).order_by(g.c.group_id)).scalars().all()
        by_team = {t: conn.execute(select(m.c.user_id).where(m.c.group_id == t, m.c.role == "learner")
                                   .order_by(m.c.user_id).limit(wanted)).scalars().all() for t in teams}
        new, i = [], 0
        while len(staff) + len(new) < wanted and any(by_team.values()):
            team = teams[i % len(teams)]
            i += 1
            if by_team[team]:
                user = by_team[team].pop(0)
                if user not in staff:
                    new.append({"user_id": user, "group_id": team, "role": "coach"})
        if new:
            conn.execute(insert(m), new)
    return sorted(staff | {r["user_id"] for r in new})[:wanted]


def subscribe_all(engine, users: list[str], now_s: int) -> None:
    with engine.begin() as conn:
        for table in (schema.digest_subscriptions, schema.digest_sends, schema.digest_at_risk):
            conn.execute(delete(table))
        conn.execute(insert(schema.digest_subscriptions),
                     [{"user_id": u, "weekday": 0, "hour": 7, "subscribed_at": now_s} for u in users])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=2000)
    parser.add_argument("--check", type=int, default=0, help="recipients whose part is checked against at_risk")
    args = parser.parse_args()
    settings = Settings.from_env(seed_demo_on_empty=False)
    engine = db.make_engine(settings.database_url)
    migrate.ensure_current(engine, True)
    now = settings.now()
    with engine.connect() as conn:
        learners = conn.execute(select(func.count()).select_from(schema.users)).scalar()
    print(f"database: {settings.database_url.split('@')[-1]}   now: {now.isoformat()}   users: {learners:,}")

    t = time.perf_counter()
    staff = make_staff(engine, args.staff)
    subscribe_all(engine, staff, int(now.timestamp()))
    print(f"staff subscribed: {len(staff):,} ({time.perf_counter() - t:.1f} s to set up)")

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert server.stdout.readline().strip() == "ready"
    run_settings = settings.with_(smtp_url=f"smtp://127.0.0.1:{port}", public_url="https://lp.example.org")

    sampler = Sampler()
    before = rss_mb()
    sampler.start()
    t = time.perf_counter()
    report = send_due(engine, run_settings, now)
    seconds = time.perf_counter() - t
    sampler.stop.set()
    sampler.join()
    after = rss_mb()
    t = time.perf_counter()
    again = send_due(engine, run_settings, now)
    second_s = time.perf_counter() - t
    t = time.perf_counter()
    week = send_due(engine, run_settings, now + timedelta(days=7))
    week_s = time.perf_counter() - t
    server.stdin.close()
    received, size = (int(x) for x in server.stdout.readline().split())
    server.wait(30)

    s = sampler.samples or [before]
    q = [s[min(len(s) - 1, int(len(s) * f))] for f in (0.25, 0.5, 0.75)]
    print(report.summary())
    print(f"first run: {seconds:.1f} s for {report.due:,} recipients ({1000 * seconds / max(report.due, 1):.1f} ms "
          "each)")
    print(f"memory (RSS, MB): before {before:.0f}, at 25/50/75% of the run {q[0]:.0f} / {q[1]:.0f} / {q[2]:.0f}, "
          f"peak {max(s):.0f}, after {after:.0f}")
    print(f"second run at the same now: {again.due:,} due, {again.sent:,} sent, {second_s:.2f} s")
    print(f"a week later (compared with the first digests): {week.summary()}; {week_s:.1f} s")
    print(f"the SMTP server received {received:,} messages in all ({report.sent + week.sent:,} sent), "
          f"{size / 1e6:.1f} MB")
    with engine.connect() as conn:
        kept = conn.execute(select(func.count()).select_from(schema.digest_at_risk)).scalar()
    print(f"kept for the next digests: {kept:,} (recipient, learner, cohort) rows")
    if args.check:
        with engine.connect() as conn:
            pool = digest_query.RiskPool(conn, now)
            for uid in random.Random(1).sample(staff, min(args.check, len(staff))):
                scope = scope_for_user(conn, uid)
                t = time.perf_counter()
                own = risk.at_risk(conn, scope, now)
                ms = 1000 * (time.perf_counter() - t)
                assert pool.part(conn, scope) == own, uid
                print(f"  checked {uid}: {len(own):,} at risk, the same rows as at_risk in their scope ({ms:.0f} ms)")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
