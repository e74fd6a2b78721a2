"""Benchmark: the Groups tree and a group's page, cold (app cache empty) and warm, on an existing database.

    DATABASE_URL=sqlite:///path.sqlite3 LEARNPULSE_NOW=2026-11-23T09:00:00Z python bench/groups_bench.py [--browser]

Groups timed: the platform group (every session of the platform and every learner), the largest region and
the smallest team. Callbacks are called through Flask's test client (Dash serialisation included), layouts
inside a request context (and serialised). "page total" adds what opening a group costs the server: its
layout, the load of the cards and charts, and the first block of the sessions table. With --browser, headless
Chromium also times the tree, which the browser draws: the drawing itself and a click's time to the painted
tree (Expand all: every group on screen at once; a search, its 150 ms debounce included).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashcalls import WARM_RUNS, payload, post, signed_in_client, timed  # noqa: E402
from dashcalls import page as open_page  # noqa: E402

from dashboard.core.ids import Group as ID  # noqa: E402
from dashboard.core.settings import Settings  # noqa: E402
from dashboard.factory import create_app  # noqa: E402
from data_access.queries import groups as q  # noqa: E402
from data_access.scope import Scope  # noqa: E402


def pick_groups(svc, now) -> list[dict]:
    with svc.engine.connect() as conn:
        tree = q.group_tree(conn, Scope.owner(), now)
    root = next(g for g in tree if g["parent_id"] is None)
    leaves = [g for g in tree if g["group_id"] not in {t["parent_id"] for t in tree}]
    region = max((g for g in tree if g["level"] == 2), key=lambda g: g["sessions"], default=root)
    team = min(leaves, key=lambda g: (g["sessions"], g["group_id"]))
    return [root, region, team]


def page_total(app, client, svc, gid: str) -> tuple[float, float]:
    """Cold and warm milliseconds of everything the server does to open a group: layout + load + first block."""
    request = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}

    def once():
        open_page(client, app, f"/groups/{gid}")
        post(client, payload(app, ID.KPIS, {f"{ID.ID}.data": gid}))
        post(client, payload(app, ID.SESSIONS_GRID, {f"{ID.SESSIONS_GRID}.getRowsRequest": request},
                             {f"{ID.ID}.data": gid}))

    colds = []
    for _ in range(3):
        svc.queries.clear()
        t = time.perf_counter()
        once()
        colds.append((time.perf_counter() - t) * 1000)
    once()
    t = time.perf_counter()
    for _ in range(WARM_RUNS):
        once()
    return statistics.median(colds), (time.perf_counter() - t) * 1000 / WARM_RUNS


CLICK_TO_PAINT = """(selector) => new Promise(done => {
    const tree = document.getElementById('groups-tree');
    const before = tree.getAttribute('data-rendered-at');
    const t0 = performance.now();
    if (selector.startsWith('#groups-search')) {
        const input = document.querySelector('#groups-search');
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
        setter.call(input, selector.split('=')[1]);
        input.dispatchEvent(new Event('input', {bubbles: true}));
    } else { document.querySelector(selector).click(); }
    const poll = () => { const at = tree.getAttribute('data-rendered-at');
        if (at !== before) { requestAnimationFrame(() => done([parseFloat(tree.getAttribute('data-render-ms')),
                                                              performance.now() - t0])); }
        else { requestAnimationFrame(poll); } };
    poll(); })"""


def browser_tree(app) -> None:
    """In Chromium: the tree's drawing (data-render-ms, set by assets/30_groups_tree.js) and a click's time to
    the painted tree, for the first drawing, Expand all (every group), Collapse all and a search (its debounce
    included)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import ARGS, CHROMIUM, Server, serve

    base, srv = serve(app)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = Server(base, "", app).new_page(browser, viewport={"width": 1300, "height": 900})
            page.goto(base + "/groups", wait_until="networkidle")
            page.wait_for_selector("#groups-tree .lp-tree-link")
            first = page.get_attribute("#groups-tree", "data-render-ms")
            print(f"{'browser: first drawing of the tree':<44} draw {float(first):7.1f} ms")
            for label, selector in (("Expand all (every group)", "#groups-expand"),
                                    ("Collapse all", "#groups-collapse"),
                                    ("search 'north'", "#groups-search=north"),
                                    ("search cleared", "#groups-search=")):
                runs = [page.evaluate(CLICK_TO_PAINT, selector) for _ in range(5 if "search" not in label else 1)]
                draw = statistics.median(r[0] for r in runs)
                paint = statistics.median(r[1] for r in runs)
                print(f"{'browser: ' + label:<44} draw {draw:7.1f} ms   click to paint {paint:7.1f} ms")
            browser.close()
    finally:
        srv.shutdown()


def main() -> None:
    settings = Settings.from_env(seed_demo_on_empty=False)
    app = create_app(settings)
    svc = app.server.extensions["learnpulse"]
    now = settings.now()
    client = signed_in_client(app)
    chosen = pick_groups(svc, now)
    with svc.engine.connect() as conn:
        n_groups = len(q.group_tree(conn, Scope.owner(), now))
    print(f"database: {settings.database_url.split('@')[-1]}   now: {now.isoformat()}   groups: {n_groups}")

    def tree_layout():
        return open_page(client, app, "/groups")

    timed("tree: page layout (the group list)", tree_layout, svc)

    request = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
    for g in chosen:
        gid = g["group_id"]
        print(f"\n{g['name']} ({gid}): {g['sessions']:,} sessions, {g['learners']:,} learners")
        sid = {f"{ID.ID}.data": gid}

        def layout(gid=gid):
            return open_page(client, app, f"/groups/{gid}")

        timed("group: page layout (breadcrumbs, counts)", layout, svc)
        timed("group: cards + ongoing + blended", lambda s=sid: post(client, payload(app, ID.KPIS, s)), svc)
        for label, sort in (("group: sessions table, first 100", []),
                            ("group: sessions table, by score", [{"colId": "score", "sort": "desc"}])):
            inputs = {f"{ID.SESSIONS_GRID}.getRowsRequest": {**request, "sortModel": sort}}
            timed(label, lambda i=inputs, s=sid: post(client, payload(app, ID.SESSIONS_GRID, i, s)), svc)
        cold, warm = page_total(app, client, svc, gid)
        print(f"{'group: page total (layout + load + table)':<44} cold {cold:8.1f} ms   warm {warm:7.2f} ms")
        with svc.engine.connect() as conn:
            rows = q.sessions_rows(conn, Scope.owner(), now, gid)
        if not rows:
            continue
        biggest = max(rows, key=lambda r: r["learners"])
        state = {**sid, f"{ID.SESSION}.data": biggest["session_id"]}
        timed(f"group: a line ({biggest['learners']:,} learners)",
              lambda s=state: post(client, payload(app, ID.SESSION, {f"{ID.SESSIONS_GRID}.cellClicked": {
                  "rowId": s[f"{ID.SESSION}.data"]}}, s)), svc)
        timed("group: its learners, first 100",
              lambda s=state: post(client, payload(app, ID.PEOPLE_GRID, {
                  f"{ID.PEOPLE_GRID}.getRowsRequest": request}, s)), svc)
        t = time.perf_counter()
        size = len(client.get(f"/download/group-sessions.csv?group={gid}").data)
        ms = (time.perf_counter() - t) * 1000
        print(f"{'group-sessions.csv':<44} {ms:8.1f} ms   {size:,} B, {len(rows):,} lines")
    if "--browser" in sys.argv:
        print()
        browser_tree(app)


if __name__ == "__main__":
    os.environ.setdefault("LEARNPULSE_SEED_DEMO", "0")
    main()
