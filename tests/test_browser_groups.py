"""Groups in a real browser (headless Chromium) on the 300-learner demo: the tree opens and closes, a search
marks the matching groups and opens their ancestors, a group opens with its breadcrumbs and numbers, a session
line lists the group's learners in it, a learner opens their blocks, and Download is the `learnpulse export
group-sessions` file byte for byte."""

from __future__ import annotations

import pytest

from data_access.queries import groups as q
from data_access.queries import sessions as sq
from data_access.scope import Scope
from tests import cli
from tests.browser import NOW, goto

pytestmark = pytest.mark.browser
OWNER = Scope.owner()
ROWS = "#group-{grid}-grid .ag-center-cols-container .ag-row"


def _console_errors(page) -> list:
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_tree_expands_and_search_marks_matches(server, browser):
    with server.engine.connect() as conn:
        tree = q.group_tree(conn, OWNER, NOW)
    root = next(g for g in tree if g["parent_id"] is None)
    division = min((g for g in tree if g["parent_id"] == root["group_id"]), key=lambda g: g["name"])
    region = min((g for g in tree if g["parent_id"] == division["group_id"]), key=lambda g: g["name"])
    north = sorted(g["name"] for g in tree if "north" in g["name"].lower())
    page = server.new_page(browser)
    errors = _console_errors(page)
    goto(page, server + "/groups")
    page.locator("#groups-count").filter(has_text=f"{len(tree)} groups").wait_for()
    division_link = page.get_by_role("link", name=division["name"], exact=True)
    region_link = page.get_by_role("link", name=region["name"], exact=True)
    assert division_link.is_visible() and not region_link.is_visible()  # the root is open, divisions closed
    page.locator(".lp-tree-line", has=division_link).locator(".lp-tree-counts").click()  # open the division
    region_link.wait_for()
    page.locator(".lp-tree-line", has=division_link).locator(".lp-tree-counts").click()  # and close it again
    region_link.wait_for(state="hidden")
    toggle = page.get_by_role("button", name=f"Sub-groups of {division['name']}", exact=True)
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()  # the keyboard opens it too
    page.keyboard.press("Enter")
    region_link.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Space")
    region_link.wait_for(state="hidden")

    page.fill("#groups-search", "North")
    page.locator("#groups-count").filter(has_text=f"{len(north)} groups match “North”").wait_for()
    marked = page.locator("#groups-tree .lp-tree-match")
    assert sorted(marked.all_inner_texts()) == north  # each visible: their ancestors were opened
    assert all(m.is_visible() for m in marked.all())
    assert page.locator("#groups-tree mark").count() == len(north)
    page.fill("#groups-search", "zzz-no-such-group")
    page.locator("#groups-tree").filter(has_text="No group name contains “zzz-no-such-group”").wait_for()
    page.fill("#groups-search", "")
    page.locator("#groups-count").filter(has_text=f"{len(tree)} groups").wait_for()  # the search answered
    page.get_by_role("button", name="Expand all").click()
    region_link.wait_for()
    page.get_by_role("button", name="Collapse all").click()
    division_link.wait_for(state="hidden")
    assert errors == []
    page.close()


def _group_with_sessions(engine) -> tuple[dict, dict, list, dict]:
    """A region (level 2) with the most sessions, its info, its statistics and its sessions table."""
    with engine.connect() as conn:
        region = max((g for g in q.group_tree(conn, OWNER, NOW) if g["level"] == 2),
                     key=lambda g: (g["sessions"], g["group_id"]))
        gid = region["group_id"]
        return (q.group_info(conn, OWNER, NOW, gid), q.group_statistics(conn, OWNER, NOW, gid),
                q.sessions_rows(conn, OWNER, NOW, gid), region)


def test_group_page_drill_down_and_download(server, browser, tmp_path):
    info, stats, sessions, region = _group_with_sessions(server.engine)
    gid = info["group_id"]
    context = server.new_context(browser, accept_downloads=True, viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    errors = _console_errors(page)

    # from the tree: search the group, open it
    goto(page, server + "/groups")
    page.fill("#groups-search", region["name"])
    page.locator("#groups-tree .lp-tree-match", has_text=region["name"]).first.click()
    page.wait_for_url(f"**/groups/{gid}")
    page.locator("h2.lp-title").filter(has_text=info["name"]).wait_for()
    crumbs = page.locator(".breadcrumb .breadcrumb-item").all_inner_texts()
    assert crumbs == [p["name"] for p in info["path"]] + [info["name"]]  # platform › division › region

    # the rate cards are the query's numbers
    page.locator("#group-kpis .kpi-value").first.wait_for()
    values = page.locator("#group-kpis .kpi-value").all_inner_texts()
    assert values[:3] == [f"{round(v, 1):g}%" if v is not None else "-"
                          for v in (stats["attendance_pct"], stats["completion_pct"], stats["success_pct"])]
    assert f"of {stats['pairs']:,} learner-sessions" in page.locator("#group-kpis").inner_text()
    page.locator("#group-ongoing-chart .point").nth(11).wait_for(state="attached")
    assert page.locator("#group-ongoing-chart .point").count() == 12  # one bar per month

    # the sessions table, most recent start first; a line lists the group's learners in that session
    page.locator("#group-sessions-grid .ag-paging-row-summary-panel").filter(
        has_text=f"of {len(sessions):,}").wait_for()
    index, chosen = next((i, s) for i, s in enumerate(sessions) if s["learners"])
    first_name = page.locator(ROWS.format(grid="sessions") + '[row-index="0"] [col-id="name"]').inner_text()
    assert first_name == sessions[0]["name"]
    page.locator(ROWS.format(grid="sessions") + f'[row-index="{index}"] [col-id="learners"]').click()
    page.locator("#group-people-title").filter(has_text=chosen["name"]).wait_for()
    page.locator("#group-people-grid .ag-paging-row-summary-panel").filter(
        has_text=f"of {chosen['learners']:,}").wait_for()
    session_csv = f"/download/session.csv?session={chosen['session_id']}"
    assert page.get_attribute("#group-people-download", "href") == session_csv

    # a learner opens the session page's dialog with their blocks
    page.locator(ROWS.format(grid="people") + ' [col-id="last_name"]').first.click()
    page.locator(".modal-title").filter(has_text="results per block").wait_for()
    with server.engine.connect() as conn:
        n_blocks = len(sq.session_info(conn, OWNER, NOW, chosen["session_id"])["blocks"])
    assert page.locator(".modal-body tbody tr").count() == n_blocks
    page.keyboard.press("Escape")
    page.locator(".modal-title").wait_for(state="hidden")

    # Download is the command's file
    with page.expect_download() as download:
        page.locator("#group-download").click()
    out = tmp_path / "cli.csv"
    done = cli.run(["export", "group-sessions", "--group", gid, "--now", NOW.isoformat(), "-o", str(out)],
                   env={"DATABASE_URL": server.db_url, "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert download.value.path().read_bytes() == out.read_bytes()
    assert out.read_bytes().count(b"\r\n") == len(sessions) + 1

    # a session name opens its page
    page.locator(ROWS.format(grid="sessions") + '[row-index="0"] [col-id="name"] a').click()
    page.wait_for_url(f"**/sessions/{sessions[0]['session_id']}")
    page.locator("h2.lp-title").filter(has_text=sessions[0]["name"]).wait_for()
    assert errors == []
    context.close()


def test_unknown_group_is_not_found(server, browser):
    page = server.new_page(browser)
    errors = _console_errors(page)
    goto(page, server + "/groups/no-such-group")
    page.locator(".alert").filter(has_text="Not found").wait_for()
    assert errors == []
    page.close()
