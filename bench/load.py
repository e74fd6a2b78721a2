"""`make load`: a Locust load test of the dashboard, owner-only then mixed roles, on 127.0.0.1 only.

    python bench/load.py [--learners 20000] [--users 50] [--seconds 60] [--server gunicorn|waitress]
                         [--workers 2] [--threads 4]

The database is DATABASE_URL (with CACHE_REDIS_URL passed to the app when set), else a demo SQLite file in
the temp folder (built once per size with `learnpulse demo`, reused afterwards). Under a real clock (no
LEARNPULSE_NOW), the app is started on gunicorn (Linux; --workers processes of --threads threads) or waitress
(--threads), on a free port of 127.0.0.1. Then Locust runs headless twice for --seconds each with --users
clients and no think time (bench/locustfile.py): first every client is the platform owner, then the clients
are spread over the owner, 4 division admins, 8 coaches and 4 instructors, each inside their own scope (its
largest session, its busiest user, its first group). Prints p50 / p95 / requests per second / failures of each
run, the server's CPU time per request (its processes and, on PostgreSQL, the database's backends: the work
itself, comparable on a shared machine where the wall clock is not) and the mixed run's share of the owner-only
throughput.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dashcalls import payload  # noqa: E402
from roles_bench import REQUEST, targets  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from dashboard.core import pages  # noqa: E402
from dashboard.core.ids import AtRisk as AID  # noqa: E402
from dashboard.core.ids import Collaboration as CID  # noqa: E402
from dashboard.core.ids import Group as GID  # noqa: E402
from dashboard.core.ids import Overview as OID  # noqa: E402
from dashboard.core.ids import Participants as PID  # noqa: E402
from dashboard.core.ids import ProgramSession as SID  # noqa: E402
from dashboard.core.ids import Trend as TID  # noqa: E402
from dashboard.core.ids import UserPage as UID  # noqa: E402
from dashboard.core.ids import Users as USID  # noqa: E402
from data_access import accounts, schema  # noqa: E402
from data_access.scope import Scope, scope_for_user  # noqa: E402

HOST = "127.0.0.1"
MIX = {"admin": 4, "coach": 8, "instructor": 4}


def mixed_viewers(conn) -> list[tuple[str, str | None]]:
    """(role, user id) for the owner, the admins of the largest divisions, coaches and instructors."""
    g, m, gc, si = schema.groups, schema.memberships, schema.group_closure, schema.session_instructors
    root = conn.execute(select(g.c.group_id).where(g.c.parent_id.is_(None))).scalar_one()
    size = (select(gc.c.ancestor_id, func.count().label("n")).join(m, m.c.group_id == gc.c.descendant_id)
            .group_by(gc.c.ancestor_id).subquery())

    def managers(role: str, where, n: int) -> list[str]:
        rows = conn.execute(select(m.c.user_id, func.max(size.c.n)).join(g, g.c.group_id == m.c.group_id)
                            .join(size, size.c.ancestor_id == g.c.group_id).where(m.c.role == role, where)
                            .group_by(m.c.user_id).order_by(func.max(size.c.n).desc(), m.c.user_id).limit(n))
        return [r[0] for r in rows]

    teachers = conn.execute(select(si.c.user_id).group_by(si.c.user_id)
                            .order_by(func.count().desc(), si.c.user_id).limit(MIX["instructor"])).scalars().all()
    return ([("owner", None)] + [("admin", u) for u in managers("admin", g.c.parent_id == root, MIX["admin"])]
            + [("coach", u) for u in managers("coach", g.c.group_id != root, MIX["coach"])]
            + [("instructor", u) for u in teachers])


def calls_for(app, scope: Scope, t: dict) -> list[dict]:
    """The callbacks a viewer's client posts: (name, JSON body)."""
    sections = pages.sections(scope)
    out = [("overview", payload(app, OID.KPIS, {f"{OID.LOAD}.data": 1})),
           ("overview: at risk", payload(app, OID.AT_RISK, {f"{OID.LOAD}.data": 1}))]
    if t["session"]:
        sid = {f"{SID.ID}.data": t["session"]}
        cohort = {f"{PID.COHORT}.value": t["session"]}
        at_risk = {f"{AID.COHORT}.value": t["session"]}
        out += [("participants: cohort", payload(app, PID.ACTIVITY, cohort)),
                ("participants: trend", payload(app, TID.CHART, cohort)),
                ("participants: pace", payload(app, TID.PACE, cohort)),
                ("at risk: counts", payload(app, AID.SUMMARY, at_risk)),
                ("at risk: rows", payload(app, AID.GRID, {f"{AID.GRID}.getRowsRequest": REQUEST},
                                          {f"{AID.SELECTED}.data": [], **at_risk})),
                ("session: KPIs", payload(app, SID.KPIS, sid)),
                ("session: groups", payload(app, SID.GROUPS_GRID, {f"{SID.GROUPS_GRID}.getRowsRequest": REQUEST}, sid)),
                ("session: people", payload(app, SID.PEOPLE_GRID, {f"{SID.PEOPLE_GRID}.getRowsRequest": REQUEST},
                                            {**sid, f"{SID.PEOPLE_FILTER}.data": {}}))]
    if pages.USERS in sections:
        out.append(("users list", payload(app, USID.GRID, {f"{USID.GRID}.getRowsRequest": REQUEST},
                                          {f"{USID.TABS}.active_tab": "current", f"{USID.MANAGER}.data": None})))
    if t["user"]:
        out.append(("user page", payload(app, UID.PUBLIC, {f"{UID.ID}.data": t["user"]})))
    if t["group"] and pages.GROUPS in sections:
        gid = {f"{GID.ID}.data": t["group"]}
        out += [("group: rates", payload(app, GID.KPIS, gid)),
                ("group: sessions", payload(app, GID.SESSIONS_GRID,
                                            {f"{GID.SESSIONS_GRID}.getRowsRequest": REQUEST}, gid))]
    if pages.COLLABORATION in sections:
        out += [("collab: users count", payload(app, CID.USERS_COUNT, {f"{CID.GROUP}.value": None})),
                ("collab: users rows", payload(app, CID.USERS_GRID, {f"{CID.USERS_GRID}.getRowsRequest": REQUEST},
                                               {f"{CID.GROUP}.value": None}))]
    return [{"name": name, "body": json.dumps(body)} for name, body in out]


def write_plan(env: dict, users: int, path: Path) -> dict:
    """Both runs' clients, with one one-time sign-in token per client."""
    from dashboard.core.settings import Settings
    from dashboard.factory import create_app

    app = create_app(Settings.from_env(env=env, seed_demo_on_empty=False))
    engine = app.server.extensions["learnpulse"].engine
    plan: dict = {}
    with engine.begin() as conn:
        people = mixed_viewers(conn)
        clients = []
        for role, uid in people:
            scope = Scope.owner() if uid is None else scope_for_user(conn, uid)
            email = None if uid is None else conn.execute(
                select(schema.users.c.email).where(schema.users.c.user_id == uid)).scalar_one()
            clients.append({"viewer": f"{role}:{email or 'owner'}", "email": email,
                            "calls": calls_for(app, scope, targets(conn, scope))})
        owner = clients[0]
        clock = datetime.now(UTC)
        for network, (name, chosen) in enumerate((("owner", [owner]), ("mixed", clients)), start=1):
            per = -(-users // len(chosen))
            plan[name] = {"network": network, "clients": [
                {**c, "tokens": [accounts.issue_sign_in(conn, clock, c["email"]) for _ in range(per)]}
                for c in chosen]}
    engine.dispose()
    for name in plan:
        (path.parent / f"{path.stem}-{name}.json").write_text(json.dumps(plan[name]), encoding="utf-8")
    return {name: [c["viewer"] for c in plan[name]["clients"]] for name in plan}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(args, env: dict, port: int, log: Path) -> subprocess.Popen:
    if args.server == "gunicorn":
        cmd = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(args.workers), "--threads",
               str(args.threads), "--bind", f"{HOST}:{port}", "--log-level", "warning", "app:server"]
    else:
        cmd = [sys.executable, "-m", "dashboard", "serve", "--host", HOST, "--port", str(port), "--threads",
               str(args.threads)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w"),
                            start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/login", timeout=5)
            return proc
        except OSError:
            time.sleep(0.5)
    stop(proc)
    raise SystemExit("the server did not answer within 180 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and its workers: a session of their own
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # (gone meanwhile)
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def server_cpu_ms(proc: subprocess.Popen, database_url: str) -> float:
    """CPU time (ms) used so far by the server's processes (its process group: gunicorn and its workers) and, on
    PostgreSQL, by the backends serving its database: the work itself, which the wall clock mixes with the waits for
    a core when other programs share the machine (Linux /proc)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) == proc.pid:  # pgrp
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    if database_url.startswith("postgres"):
        from data_access import db

        engine = db.make_engine(database_url)
        with engine.connect() as conn:
            pids += conn.exec_driver_sql("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                         "AND pid <> pg_backend_pid()").scalars().all()
        engine.dispose()
    return sum(_ticks(p) for p in pids) * 1000 / os.sysconf("SC_CLK_TCK")


def run_locust(plan: Path, port: int, users: int, seconds: int, out: Path) -> dict:
    env = {**os.environ, "LOAD_PLAN": str(plan)}
    cmd = [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
           "--host", f"http://{HOST}:{port}", "--users", str(users), "--spawn-rate", str(max(1, users // 5)),
           "--run-time", f"{seconds}s", "--csv", str(out), "--only-summary", "--loglevel", "WARNING"]
    subprocess.run(cmd, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=seconds + 120)
    rows = list(csv.DictReader(open(f"{out}_stats.csv", encoding="utf-8")))
    per_name = {r["Name"]: r for r in rows if r["Name"] not in ("Aggregated", "sign in")}
    calls = [r for r in per_name.values()]
    total = sum(int(r["Request Count"]) for r in calls)
    failures = sum(int(r["Failure Count"]) for r in calls)
    agg = next(r for r in rows if r["Name"] == "Aggregated")
    errors = [f"{r['Name']}: {r['Error']} x{r['Occurrences']}"
              for r in csv.DictReader(open(f"{out}_failures.csv", encoding="utf-8"))]
    return {"requests": total, "failures": failures, "errors": errors,
            "rps": sum(float(r["Requests/s"]) for r in calls),
            "p50": float(agg["50%"]), "p95": float(agg["95%"]), "per_name": {
                n: (int(r["Request Count"]), float(r["50%"]), float(r["95%"])) for n, r in per_name.items()}}


def database(args) -> dict:
    """DATABASE_URL, or a demo SQLite file of --learners in the temp folder (built once)."""
    if os.environ.get("DATABASE_URL"):
        return {"DATABASE_URL": os.environ["DATABASE_URL"]}
    path = Path(tempfile.gettempdir()) / f"learnpulse-load-{args.learners}.sqlite3"
    url = f"sqlite:///{path}"
    if not path.exists():
        print(f"building the {args.learners:,}-learner demo in {path} …", flush=True)
        partial = path.with_suffix(".partial")
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-m", "dashboard", "demo", "--learners", str(args.learners)], cwd=ROOT,
                       env={**os.environ, "DATABASE_URL": f"sqlite:///{partial}", "LEARNPULSE_SEED_DEMO": "0"},
                       check=True)
        shutil.move(partial, path)
    return {"DATABASE_URL": url}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, default=20_000)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--server", choices=["gunicorn", "waitress"],
                    default="gunicorn" if sys.platform.startswith("linux") else "waitress")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "LEARNPULSE_NOW"}  # a real clock
    env.update(database(args), LEARNPULSE_SEED_DEMO="0", LEARNPULSE_FIRST_START_LINK="0")
    work = Path(tempfile.mkdtemp(prefix="learnpulse-load-"))
    viewers = write_plan(env, args.users, work / "plan.json")
    where = env["DATABASE_URL"].split("@")[-1]
    cache = "Redis" if env.get("CACHE_REDIS_URL") else "in-process cache"
    server = (f"gunicorn {args.workers} workers x {args.threads} threads" if args.server == "gunicorn"
              else f"waitress {args.threads} threads")
    print(f"database {where}; {server}; {cache}; {args.users} clients, {args.seconds} s a run, no think time; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("mixed viewers: " + ", ".join(v.split(":")[0] for v in viewers["mixed"]))
    results = {}
    for name in ("owner", "mixed"):
        port = free_port()
        proc = start_server(args, env, port, work / f"server-{name}.log")  # a fresh server (an empty cache)
        try:
            cpu0, load0 = server_cpu_ms(proc, env["DATABASE_URL"]), os.getloadavg()[0]
            results[name] = run_locust(work / f"plan-{name}.json", port, args.users, args.seconds, work / name)
            cpu = server_cpu_ms(proc, env["DATABASE_URL"]) - cpu0
            results[name].update(cpu_ms=cpu / max(1, results[name]["requests"]),
                                 load=(load0, os.getloadavg()[0]))
        finally:
            stop(proc)
    # server CPU per request: the server's and database's CPU time over the callbacks answered (sign-ins included
    # in the time), and what it allows on this machine's cores when nothing else runs there
    cores = os.cpu_count() or 1
    print(f"\n{'run':<12}{'requests':>10}{'failures':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'CPU ms/req':>12}{'req/s at CPU bound':>20}{'load avg':>14}")
    for name, r in results.items():
        print(f"{name:<12}{r['requests']:>10,}{r['failures']:>10,}{r['rps']:>9.1f}{r['p50']:>9.0f}{r['p95']:>9.0f}"
              f"{r['cpu_ms']:>12.1f}{cores * 1000 / max(r['cpu_ms'], 0.001):>20.0f}"
              f"{r['load'][0]:>7.1f}-{r['load'][1]:.1f}")
    for name, r in results.items():
        for error in r["errors"][:10]:
            print(f"  {name} failure: {error}")
        if r["failures"]:
            print(f"  {name}: the server's log ends with:\n" + (work / f"server-{name}.log").read_text()[-3000:])
    share = results["mixed"]["rps"] / results["owner"]["rps"] if results["owner"]["rps"] else 0
    print(f"mixed roles: {share:.0%} of the owner-only throughput\n\nmixed run per callback (count, p50, p95 ms):")
    for n, (count, p50, p95) in sorted(results["mixed"]["per_name"].items()):
        print(f"  {n:<24}{count:>8,}{p50:>8.0f}{p95:>8.0f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
