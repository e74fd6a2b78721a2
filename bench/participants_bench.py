"""Benchmark: the Participants page's server time, cold (app cache empty) and warm, on an existing database.

    DATABASE_URL=sqlite:///path.sqlite3 LEARNPULSE_NOW=2026-11-23T09:00:00Z python bench/participants_bench.py [SESSION]

Each callback is called the way the browser calls it (POST /_dash-update-component through Flask's test
client), so the figures include Dash's serialisation; the page layout (cohort picker) is timed inside a
request context. SESSION defaults to the cohort the page preselects (the demo's flagship cohort:
~10% of learners, 10,000 at 100k). Prints milliseconds; "cold" clears the cache before every call.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashcalls import page as open_page  # noqa: E402
from dashcalls import payload as _payload  # noqa: E402
from dashcalls import post as _post  # noqa: E402
from dashcalls import signed_in_client, timed  # noqa: E402

from dashboard.core.ids import Participants as ID  # noqa: E402
from dashboard.core.settings import Settings  # noqa: E402
from dashboard.factory import create_app  # noqa: E402
from data_access.queries import participants as q  # noqa: E402
from data_access.scope import Scope  # noqa: E402


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    svc = app.server.extensions["learnpulse"]
    now = settings.now()
    with svc.engine.connect() as conn:
        session = sys.argv[1] if len(sys.argv) > 1 else q.default_cohort(q.cohorts(conn, Scope.owner(), now))
        activity = q.activity(conn, Scope.owner(), now, session)
    print(f"database: {settings.database_url.split('@')[-1]}   now: {now.isoformat()}")
    print(f"cohort {session}: {activity['participants']:,} participants, buckets "
          + ", ".join(f"{b['bucket']} {b['learners']:,}" for b in activity["buckets"]))
    client = signed_in_client(app)

    def layout():
        return open_page(client, app, "/participants", f"?session={session}")

    limits = {"green": 7, "yellow": 14}
    cohort = {f"{ID.COHORT}.value": session}
    timed("page layout (cohort picker)", layout, svc)
    timed("load cohort (summary, limits, activity)", lambda: _post(client, _payload(app, ID.ACTIVITY, cohort)), svc)
    activity["session_id"] = session
    draw_inputs = {f"{ID.ACTIVITY}.data": activity, f"{ID.LIMITS}.data": limits, f"{ID.SELECTED}.data": ["8–14"]}
    timed("draw chart (recolour / select)", lambda: _post(client, _payload(app, ID.CHART, draw_inputs)), svc)
    all_bars = [b["bucket"] for b in activity["buckets"]]
    header = {f"{ID.SELECTED}.data": all_bars, f"{ID.ACTIVITY}.data": activity}
    timed("list header (title, buttons)", lambda: _post(client, _payload(app, ID.LIST_TITLE, header,
                                                                         {f"{ID.COHORT}.value": session})), svc)
    by_days = [{"colId": "days_since", "sort": "desc"}]
    behind = {"progress": {"filterType": "number", "type": "lessThan", "filter": 50}}
    for label, buckets, sort, filters, start in (
            ("8–14, first page", ["8–14"], [], {}, 0),
            ("all bars, first page", all_bars, [], {}, 0),
            ("all bars, by days since, page 40", all_bars, by_days, {}, 3900),
            ("all bars, progress < 50 filter", all_bars, by_days, behind, 0)):
        request = {"startRow": start, "endRow": start + 100, "sortModel": sort, "filterModel": filters}
        inputs = {f"{ID.GRID}.getRowsRequest": request}
        state = {f"{ID.SELECTED}.data": buckets, **cohort}
        timed(f"table rows: {label}", lambda i=inputs, st=state: _post(client, _payload(app, ID.GRID, i, st)), svc)
    copy_state = {f"{ID.GRID}.getRowsRequest": {"sortModel": [], "filterModel": {}},
                  f"{ID.SELECTED}.data": all_bars, **cohort}
    timed("copy emails: all bars", lambda: _post(client, _payload(app, ID.EMAILS, {f"{ID.COPY}.n_clicks": 1},
                                                                  copy_state)), svc)
    for report, query in (("cohort-progress", f"session={session}"),
                          ("participant-activity", f"session={session}&bucket=8-14")):
        timed(f"download {report}.csv",
              lambda r=report, qs=query: len(client.get(f"/download/{r}.csv?{qs}").data), svc)


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
