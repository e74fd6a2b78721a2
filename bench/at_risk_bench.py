"""Benchmark: the At risk page's server time, cold (app cache empty) and warm, for the platform owner and for the
admin of the largest division, on an existing database; and the at-risk CSV of every running session.

    DATABASE_URL=sqlite:///path.sqlite3 LEARNPULSE_NOW=2026-11-23T09:00:00Z python bench/at_risk_bench.py

Each callback is called the way the browser calls it (POST /_dash-update-component through Flask's test client),
so the figures include Dash's serialisation; the page layout goes through Dash's page router. Prints milliseconds;
"cold" clears the cache before every call.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashcalls import page as open_page  # noqa: E402
from dashcalls import payload as _payload  # noqa: E402
from dashcalls import post as _post  # noqa: E402
from dashcalls import signed_in_client, timed  # noqa: E402
from sqlalchemy import text  # noqa: E402

from dashboard.core.ids import AtRisk as ID  # noqa: E402
from dashboard.core.ids import Overview as OV  # noqa: E402
from dashboard.core.settings import Settings  # noqa: E402
from dashboard.factory import create_app  # noqa: E402
from data_access.queries import at_risk as q  # noqa: E402
from data_access.scope import Scope, scope_for_email  # noqa: E402


def division_admin(conn) -> tuple[str, str] | None:
    """The email of an admin of the level-1 group with the most members, and that group's name."""
    row = conn.execute(text("""
        SELECT u.email, g.name FROM memberships m JOIN groups g ON g.group_id = m.group_id
        JOIN users u ON u.user_id = m.user_id JOIN group_counts c ON c.group_id = g.group_id
        WHERE m.role = 'admin' AND g.level = 1 AND u.deleted_at IS NULL
        ORDER BY c.members DESC, u.email LIMIT 1""")).first()
    return (row[0], row[1]) if row else None


def viewer(app, svc, label: str, email: str | None, scope: Scope, now) -> None:
    with svc.engine.connect() as conn:
        s = q.summary(conn, scope, now)
    print(f"\n{label}: {s['at_risk']:,} at risk of {s['candidates']:,} participants in {s['cohorts']:,} running "
          f"cohorts; by reason {s['by_reason']}")
    client = signed_in_client(app, email)
    timed("page layout (cohort filter)", lambda: open_page(client, app, "/at-risk"), svc)
    timed("count + reason bars", lambda: _post(client, _payload(app, ID.SUMMARY, {f"{ID.COHORT}.value": None})),
          svc)
    timed("overview at-risk card", lambda: _post(client, _payload(app, OV.AT_RISK, {f"{OV.LOAD}.data": True})), svc)
    for name, reasons, sort, filters, start in (
            ("first page", [], [], {}, 0),
            ("one reason (low score)", ["low score"], [], {}, 0),
            ("by score", [], [{"colId": "score", "sort": "asc"}], {}, 0),
            ("name contains 'son'", [], [], {"name": {"filterType": "text", "type": "contains", "filter": "son"}}, 0),
            ("rows 2,000-2,100", [], [], {}, 2000)):
        request = {"startRow": start, "endRow": start + 100, "sortModel": sort, "filterModel": filters}
        state = {f"{ID.SELECTED}.data": reasons, f"{ID.COHORT}.value": None}
        timed(f"table: {name}", lambda r=request, st=state: _post(
            client, _payload(app, ID.GRID, {f"{ID.GRID}.getRowsRequest": r}, st)), svc)
    with svc.engine.connect() as conn:
        some = q.at_risk_page(conn, scope, now, end=25)["rows"]
    chosen = [{"user_id": r["user_id"], "session_id": r["session_id"]} for r in some]
    timed("selection of 25 (mailto)", lambda: _post(client, _payload(
        app, ID.SELECTION_INFO, {f"{ID.GRID}.selectedRows": chosen, f"{ID.SUBJECT}.value": "Hi",
                                 f"{ID.BODY}.value": "Hello"})), svc)
    t = time.perf_counter()
    size = len(client.get("/download/at-risk.csv").data)
    print(f"{'download at-risk.csv (every running session)':<44} {time.perf_counter() - t:8.2f} s    "
          f"{size:>12,} B")


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    svc = app.server.extensions["learnpulse"]
    now = settings.now()
    print(f"database: {settings.database_url.split('@')[-1]}   now: {now.isoformat()}")
    viewer(app, svc, "owner", None, Scope.owner(), now)
    with svc.engine.connect() as conn:
        found = division_admin(conn)
        scope = scope_for_email(conn, found[0]) if found else None
    if found:
        viewer(app, svc, f"division admin ({found[1]})", found[0], scope, now)


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
