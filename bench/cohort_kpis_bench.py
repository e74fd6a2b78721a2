"""Benchmark: a cohort's headline numbers for each kind of viewer, cold and warm: the Participants page's "load
cohort", the session page's General section, the Overview's at-risk card, and the At risk page's count and first
rows for the largest session the viewer sees.

    DATABASE_URL=… LEARNPULSE_NOW=2026-11-23T09:00:00Z python bench/cohort_kpis_bench.py [ROLE…]

ROLE: owner, admin, coach, instructor (default all four), the viewers of roles_bench.py; each line is
roles_bench.timed (wall clock and CPU time of this process plus, on PostgreSQL, its server's).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashcalls import payload, post, signed_in_client  # noqa: E402
from roles_bench import REQUEST, targets, timed, viewers  # noqa: E402
from sqlalchemy import select  # noqa: E402

from dashboard.core.ids import AtRisk as AID  # noqa: E402
from dashboard.core.ids import Overview as OID  # noqa: E402
from dashboard.core.ids import Participants as PID  # noqa: E402
from dashboard.core.ids import ProgramSession as SID  # noqa: E402
from dashboard.core.settings import Settings  # noqa: E402
from dashboard.factory import create_app  # noqa: E402
from data_access import schema  # noqa: E402
from data_access.scope import Scope, scope_for_user  # noqa: E402

ROLES = ("owner", "admin", "coach", "instructor")


def bench(app, svc, role: str, user_id: str | None) -> None:
    with svc.engine.connect() as conn:
        scope = Scope.owner() if user_id is None else scope_for_user(conn, user_id)
        email = None if user_id is None else conn.execute(
            select(schema.users.c.email).where(schema.users.c.user_id == user_id)).scalar_one()
        session = targets(conn, scope)["session"]
    print(f"\n{role}: {email or 'platform owner'}; session {session}")
    client = signed_in_client(app, email)

    def call(first_output: str, inputs: dict, state: dict | None = None):
        return lambda: post(client, payload(app, first_output, inputs, state))

    timed(f"{role}: Participants, load cohort", call(PID.ACTIVITY, {f"{PID.COHORT}.value": session}), svc)
    timed(f"{role}: Session KPIs (General)", call(SID.KPIS, {f"{SID.ID}.data": session}), svc)
    timed(f"{role}: Overview at-risk card", call(OID.AT_RISK, {f"{OID.LOAD}.data": 1}), svc)
    timed(f"{role}: At risk, cohort count + bars", call(AID.SUMMARY, {f"{AID.COHORT}.value": session}), svc)
    timed(f"{role}: At risk, cohort first 100", call(AID.GRID, {f"{AID.GRID}.getRowsRequest": REQUEST}, {
        f"{AID.SELECTED}.data": [], f"{AID.COHORT}.value": session}), svc)


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    svc = app.server.extensions["learnpulse"]
    with svc.engine.connect() as conn:
        who = viewers(conn)
    print(f"database: {settings.database_url.split('@')[-1]}   now: {svc.now().isoformat()}   "
          f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for role in sys.argv[1:] or ROLES:
        if who.get(role, "") == "" and role != "owner":
            print(f"\n{role}: nobody with this role")
            continue
        bench(app, svc, role, who[role])


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
