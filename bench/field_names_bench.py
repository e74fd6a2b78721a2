"""Benchmark: what the CSVs with custom-field columns read before their rows (csv_columns.custom_fields), the
General stats preview (its count and first lines) and the first rows of the Users, General stats and program
Session CSVs, for a division admin (default) or another role of roles_bench, cold.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/lp_million2 LEARNPULSE_NOW=2026-11-23T09:00:00Z \
        python bench/field_names_bench.py [ROLE]

Read only, measured as bench/seen_sessions_bench.py does (its `timed`: median of BENCH_RUNS wall-clock and CPU
times, CPU = this thread + the connection's PostgreSQL backend and its parallel workers; load average per line).

A database at a revision before user_field_names (a shared read-only one) cannot hold the kept names: there the
names are read once, untimed, and every call reads them from a VALUES list of those rows (a read of a few rows,
as from the kept table), so the rest of each call is measured on the real data; the first line says so.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from roles_bench import viewers  # noqa: E402
from seen_sessions_bench import first_chunks, read_only_engine, targets, timed  # noqa: E402
from sqlalchemy import inspect, literal_column, select, values  # noqa: E402

from dashboard.core.settings import Settings  # noqa: E402
from data_access import schema  # noqa: E402
from data_access.exports import session_csv as session_csv_export  # noqa: E402
from data_access.exports import users as users_export  # noqa: E402
from data_access.queries import csv_columns, session_export  # noqa: E402
from data_access.queries import users_export as general  # noqa: E402
from data_access.scope import Scope, scope_for_user  # noqa: E402


def stand_in_names(engine) -> None:
    """Without user_field_names (see the module's docstring): the names as a VALUES list, read by every call."""
    with engine.connect() as conn:
        if inspect(conn).has_table("user_field_names"):
            return
        uf = schema.user_fields
        names = list(conn.execute(select(uf.c.field).distinct().order_by(uf.c.field)).scalars())
    rows = values(literal_column("field"), name="kept").data([(n,) for n in names])

    def kept(conn) -> list[str]:
        return list(conn.execute(select(rows.c.field).order_by(rows.c.field)).scalars())

    csv_columns.custom_fields = general.custom_fields = session_export.custom_fields = kept
    print(f"no user_field_names at this revision: the {len(names)} names read from a VALUES list", flush=True)


def bench(engine, now, role_user: str | None, tz: str) -> None:
    with engine.connect() as conn:
        scope = Scope.owner() if role_user is None else scope_for_user(conn, role_user)
        t = targets(conn, scope, int(now.timestamp()))
    print(f"viewer {role_user}: {len(scope.managed_groups)} managed groups; session {t['session']}, "
          f"program {t['program']} ({t['program_n']} sessions)", flush=True)
    sid, pid = t["session"], t["program"]
    timed("custom field names (csv_columns.custom_fields)", engine, lambda c: general.custom_fields(c))
    timed("General stats preview, no filter", engine, lambda c: general.general_preview(c, scope, now)["total"])
    timed("General stats preview, one session", engine,
          lambda c: general.general_preview(c, scope, now, sessions=(sid,))["total"])
    timed("General stats CSV, one session: first rows", engine,
          lambda c: first_chunks(users_export.general_stats_csv(c, scope, now, tz, sessions=(sid,))))
    timed("Users CSV: first rows", engine, lambda c: first_chunks(users_export.users_csv(c, scope, now, tz)))
    timed(f"program Session CSV: first rows ({t['program_n']} sessions)", engine,
          lambda c: first_chunks(session_csv_export.session_csv(
              c, scope, now, tz, session_csv_export.program_sessions(c, scope, pid))))


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    engine = read_only_engine(settings.database_url)
    now = settings.now()
    role = sys.argv[1] if len(sys.argv) > 1 else "admin"
    print(f"database: {settings.database_url.split('@')[-1]}   now: {now.isoformat()}   "
          f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    with engine.connect() as conn:
        uid = viewers(conn)[role]
    if os.environ.get("BENCH_STAND_IN", "1") == "1":
        stand_in_names(engine)
    bench(engine, now, uid, settings.timezone)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
