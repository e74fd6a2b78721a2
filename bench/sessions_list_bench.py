"""Benchmark: the Program sessions list and every page layout, for the owner, a division admin and an instructor,
cold and warm (the viewers and `timed` of roles_bench: wall clock and CPU time of this process plus, on PostgreSQL,
its backends).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/lp100k LEARNPULSE_NOW=2026-11-23T09:00:00Z \
        python bench/sessions_list_bench.py [ROLE…]

The Sessions list is timed as the browser asks for it: its first 100 rows in the grid's default order (program
template, then most recent start) with the count, for All and In progress; then sorted by Registered (the counts
of every session), searched, and its last block. A list that sends every row at once (before it was paged) is
timed through its one callback instead. Page layouts are opened as Dash's router does on navigation (bench/dashcalls
`page`); the entity pages open the largest session the viewer sees and its program template.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashcalls import page as open_page  # noqa: E402
from dashcalls import payload, post, signed_in_client  # noqa: E402
from roles_bench import targets, timed, viewers  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from dashboard.core import pages  # noqa: E402
from dashboard.core.ids import ProgramSessions as ID  # noqa: E402
from dashboard.core.settings import Settings  # noqa: E402
from dashboard.factory import create_app  # noqa: E402
from data_access import program_session_state, schema  # noqa: E402
from data_access.scope import Scope, scope_for_user, visible_sessions  # noqa: E402

DEFAULT_SORT = [{"colId": "program", "sort": "asc"}, {"colId": "start", "sort": "desc"}]


def _rows(start: int = 0, sort=None, filters=None) -> dict:
    return {"startRow": start, "endRow": start + 100, "sortModel": DEFAULT_SORT if sort is None else sort,
            "filterModel": filters or {}}


def sessions_list(app, client, svc, role: str, total: int, word: str) -> None:
    """The Sessions list's callbacks as this viewer."""
    outputs = {part for key in app.callback_map for part in key.strip(".").split("...")}
    paged = f"{ID.GRID}.getRowsResponse" in outputs
    if not paged:
        for status in ("all", "in-progress"):
            body = payload(app, ID.GRID, {f"{ID.STATUS}.value": status})
            timed(f"{role}: Sessions list, {status} (every row)", lambda b=body: post(client, b), svc)
        return

    def rows(label: str, request: dict, status: str = "all", search: str | None = None) -> None:
        body = payload(app, ID.GRID, {f"{ID.GRID}.getRowsRequest": request},
                       {f"{ID.STATUS}.value": status, f"{ID.SEARCH}.value": search})
        timed(f"{role}: Sessions list, {label}", lambda: post(client, body), svc)

    rows("all, first 100", _rows())
    rows("in progress, first 100", _rows(), status="in-progress")
    rows("all, by Registered", _rows(sort=[{"colId": "registered", "sort": "desc"}]))
    rows("all, Completion > 0", _rows(filters={"completed": {"filterType": "number", "type": "greaterThan",
                                                             "filter": 0}}))
    rows(f"all, search {word!r}", _rows(), search=word)
    rows("all, last block", _rows(start=max(0, (total - 1) // 100 * 100)))


def layouts(app, client, svc, role: str, scope: Scope, t: dict) -> None:
    """Every page layout this viewer's sections open, with the address's choices the pages offer."""
    sections = pages.sections(scope)
    paths = [(p.path, "") for p in pages.PAGES if "<" not in p.path and p.section in sections]
    paths.append(("/digest", ""))
    if t["session"]:
        paths += [(f"/sessions/{t['session']}", ""), (f"/sessions/program/{t['program']}", ""),
                  ("/participants", f"?session={t['session']}"), ("/compare", f"?session={t['session']}")]
        if t["running"]:
            paths.append(("/at-risk", f"?session={t['running']}"))
    for path, search in paths:
        timed(f"{role}: layout {path}{search}", lambda p=path, s=search: open_page(client, app, p, s), svc)


def bench(app, svc, role: str, user_id: str | None) -> None:
    s = schema.sessions
    with svc.engine.connect() as conn:
        scope = Scope.owner() if user_id is None else scope_for_user(conn, user_id)
        email = None if user_id is None else conn.execute(
            select(schema.users.c.email).where(schema.users.c.user_id == user_id)).scalar_one()
        t = targets(conn, scope)
        seen = select(s.c.session_id, s.c.program_id, s.c.name, s.c.start_at).where(visible_sessions(scope, s))
        total = conn.execute(select(func.count()).select_from(seen.subquery())).scalar_one()
        t["program"] = conn.execute(select(s.c.program_id).where(s.c.session_id == t["session"])).scalar()
        now_s = int(svc.now().timestamp())
        t["running"] = conn.execute(seen.where(program_session_state.running(s, now_s))
                                    .order_by(s.c.start_at.desc(), s.c.session_id).limit(1)).scalar()
        name = conn.execute(seen.with_only_columns(s.c.name).order_by(s.c.session_id).limit(1)).scalar() or "x"
    print(f"\n{role}: {email or 'platform owner'}; {total:,} sessions; session {t['session']}, "
          f"program {t['program']}; load average {os.getloadavg()[0]:.1f}")
    client = signed_in_client(app, email)
    sessions_list(app, client, svc, role, total, name.split()[0].lower())
    layouts(app, client, svc, role, scope, t)


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    svc = app.server.extensions["learnpulse"]
    with svc.engine.connect() as conn:
        who = viewers(conn)
    print(f"database: {settings.database_url.split('@')[-1]}   now: {svc.now().isoformat()}   "
          f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for role in sys.argv[1:] or ["owner", "admin", "instructor"]:
        if who.get(role, "") == "" and role != "owner":
            print(f"\n{role}: nobody with this role")
            continue
        bench(app, svc, role, who[role])
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
