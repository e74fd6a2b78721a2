"""Users pages in a real browser (headless Chromium) on the 300-learner demo: the list sorts and filters in
SQL, Download is the `learnpulse export users` file, a direct-report number opens that manager's team, a row
opens the user's page, whose program opens its blocks and a block its attempts, and the radar answers a hover;
the General stats panel downloads the command's file for its filters."""

from __future__ import annotations

import pytest

from data_access.queries import users as q
from data_access.scope import Scope
from tests import cli
from tests.browser import NOW, goto, screenshot, wait_until

pytestmark = pytest.mark.browser
OWNER = Scope.owner()


def _cli(server, out, *args) -> bytes:
    done = cli.run(["export", *args, "--now", NOW.isoformat(), "-o", str(out)],
                   env={"DATABASE_URL": server.db_url, "PATH": ""})
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


# the cells of one column of a grid, in row order
ROWS_JS = ("((grid, col) => Array.from(document.querySelectorAll('#' + grid + ' .ag-center-cols-container .ag-row'))"
           ".sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))"
           ".map(r => r.querySelector('[col-id=\"' + col + '\"]').innerText))")


def _cells(page, grid: str, col: str) -> list[str]:
    return page.evaluate(f"{ROWS_JS}('{grid}', '{col}')")


def test_users_list_sorts_filters_downloads_and_opens_a_team(server, browser, tmp_path):
    with server.engine.connect() as conn:
        by_time = q.users_page(conn, OWNER, NOW, sort_model=[{"colId": "time_spent", "sort": "desc"}], end=5)
        total = q.user_counts(conn, OWNER, NOW)["current"]
        manager = q.users_page(conn, OWNER, NOW, sort_model=[{"colId": "direct_reports", "sort": "desc"}],
                               end=1)["rows"][0]
        team = q.users_page(conn, OWNER, NOW, manager_id=manager["user_id"], end=500)
        abbott = q.users_page(conn, OWNER, NOW, filter_model={
            "last_name": {"filterType": "text", "type": "contains", "filter": "ab"}})["total"]
    context = server.new_context(browser, accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors = _watch(page)
    goto(page, f"{server}/users")
    page.locator("#users-count").filter(has_text=f"{total:,} users").wait_for()
    screenshot(page, "users.png")

    # sort by time spent, most first (two clicks: ascending, then descending)
    header = page.locator('#users-grid .ag-header-cell[col-id="time_spent"] .ag-header-cell-label')
    header.click()
    header.click()
    wait_until(page, "document.querySelector('#users-grid .ag-header-cell[col-id=\"time_spent\"]')"
                           ".getAttribute('aria-sort') === 'descending'")
    expected = [r["email"] for r in by_time["rows"]]
    wait_until(page, f"want => JSON.stringify(({ROWS_JS}('users-grid', 'email')).slice(0, 5)) === "
                           "JSON.stringify(want)", arg=expected)

    # filter last names containing "ab" (in SQL: the count is the server's)
    page.locator('#users-grid .ag-floating-filter[aria-colindex="2"] input').fill("ab")
    page.locator("#users-count").filter(has_text=f"{abbott:,} user").wait_for()

    # Download = the command's file, byte for byte
    with page.expect_download() as download:
        page.locator("#users-download").click()
    assert download.value.path().read_bytes() == _cli(server, tmp_path / "users.csv", "users")

    # a manager's team: the URL says whose team, the rows are their direct reports
    goto(page, f"{server}/users")
    page.locator('#users-grid .ag-header-cell[col-id="direct_reports"] .ag-header-cell-label').click()
    page.locator('#users-grid .ag-header-cell[col-id="direct_reports"] .ag-header-cell-label').click()
    link = page.locator(f'#users-grid [row-id="{manager["user_id"]}"] [col-id="direct_reports"] a')
    link.click()
    page.wait_for_url(f"**/users?manager={manager['user_id']}")
    page.locator("#users-count").filter(has_text=f"{team['total']:,} user").wait_for()
    assert page.locator(".lp-team h4").inner_text() == f"Team of {manager['first_name']} {manager['last_name']}"
    wait_until(page, "document.querySelectorAll('#users-grid .ag-center-cols-container .ag-row').length > 0")
    shown = set(_cells(page, "users-grid", "email"))
    assert shown <= {r["email"] for r in team["rows"]} and shown
    screenshot(page, "team.png")
    page.get_by_role("tab", name="Deleted").click()
    page.wait_for_url("**tab=deleted**")
    page.locator(".lp-back", has_text="All users").click()
    page.wait_for_url(f"{server}/users")
    assert errors == []
    context.close()


def _rich_user(engine) -> str:
    """A current demo learner with a program, several courses and tags."""
    from sqlalchemy import text

    with engine.connect() as conn:
        return conn.execute(text(
            "SELECT s.user_id FROM user_stats s WHERE s.deleted = 0 AND s.answers > 0 AND EXISTS ("
            "SELECT 1 FROM user_tags t WHERE t.user_id = s.user_id AND t.assessments > 0) AND EXISTS ("
            "SELECT 1 FROM course_attempts a WHERE a.user_id = s.user_id AND a.session_id IS NOT NULL) "
            "ORDER BY s.answers DESC, s.user_id LIMIT 1")).scalar_one()


def test_user_page_program_blocks_attempts_and_radar(server, browser, tmp_path):
    user_id = _rich_user(server.engine)
    with server.engine.connect() as conn:
        profile = q.user_profile(conn, OWNER, NOW, user_id)
        sessions = q.user_sessions(conn, OWNER, NOW, user_id)
        played = next(s for s in sessions if any(b["attempts"] and b["kind"] == "course"
                                                 for b in q.session_blocks(conn, OWNER, NOW, user_id, s["session_id"])))
        blocks = q.session_blocks(conn, OWNER, NOW, user_id, played["session_id"])
        block = next(b for b in blocks if b["kind"] == "course" and b["attempts"])
        tags = q.user_tags(conn, OWNER, NOW, user_id)
    page = server.new_page(browser, viewport={"width": 1400, "height": 1000})
    errors = _watch(page)
    # from the list: the user's row opens their page
    goto(page, f"{server}/users")
    page.locator('#users-grid .ag-floating-filter[aria-colindex="3"] input').fill(profile["email"])
    page.locator(f'#users-grid [row-id="{user_id}"] [col-id="profile"] a').click()
    page.wait_for_url(f"**/users/{user_id}")
    page.locator("h2.lp-title").filter(has_text=f"{profile['first_name']} {profile['last_name']}").wait_for()
    page.locator(".lp-public .kpi-label").first.wait_for()
    page.wait_for_selector("#user-sessions .ag-row")
    assert page.locator("#user-sessions .ag-center-cols-container .ag-row").count() == len(sessions)
    screenshot(page, "user.png", full_page=True)

    # a program row opens its blocks; a course block's attempts open each attempt
    page.locator(f'#user-sessions [row-id="{played["session_id"]}"] [col-id="name"]').click()
    page.locator(".modal-title").filter(has_text=f"{played['name']}: blocks").wait_for()
    page.wait_for_selector("#user-blocks .ag-row")
    assert page.locator("#user-blocks .ag-center-cols-container .ag-row").count() == len(blocks)
    page.locator(f'#user-blocks [row-id="{block["block_id"]}"] [col-id="attempts"]').click()
    page.wait_for_selector("#user-block-attempts-grid .ag-row")
    assert page.locator("#user-block-attempts-grid .ag-center-cols-container .ag-row").count() == block["attempts"]
    screenshot(page, "blocks.png")
    page.keyboard.press("Escape")
    page.locator(".modal-dialog").wait_for(state="hidden")

    # the radar answers a hover with the tag's training and assessment scores
    point = page.locator("#user-radar .scatterlayer .points path").first
    point.wait_for(state="attached")
    point.hover(force=True)
    hover = page.locator("#user-radar .hoverlayer .hovertext")
    hover.wait_for()
    text = hover.text_content()
    assert "Training" in text and "Assessment" in text
    assert any(t["tag"] in text for t in tags)
    assert errors == []
    page.close()


def test_general_stats_panel_and_not_found(server, browser, tmp_path):
    context = server.new_context(browser, accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors = _watch(page)
    goto(page, f"{server}/users?tab=general")
    page.wait_for_selector("#general-stats-preview .ag-row")
    page.locator("#general-stats-groups").click()
    page.keyboard.type("Sales")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_until(page, "document.querySelector('#general-stats-download').href.includes('group=')")
    href = page.locator("#general-stats-download").get_attribute("href")
    group = href.split("group=")[1].split("&")[0]
    with page.expect_download() as download:
        page.locator("#general-stats-download").click()
    assert download.value.path().read_bytes() == _cli(server, tmp_path / "general.csv", "general-stats",
                                                      "--group", group)
    screenshot(page, "general.png")
    goto(page, f"{server}/users/nobody")
    page.locator(".alert").filter(has_text="There is no user 'nobody' you can see.").wait_for()
    assert errors == []
    context.close()
