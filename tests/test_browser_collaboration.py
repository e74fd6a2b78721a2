"""Collaborative activity in a real browser (headless Chromium, the 300-learner demo): every tab shows what its
query says; picking a group narrows the users and their CSV; a course opens its page, a number opens exactly the
people behind it; each Download is the `learnpulse export` file, byte for byte."""

from __future__ import annotations

import pytest

from data_access.queries import collaboration as q
from data_access.scope import Scope
from tests import cli
from tests.browser import NOW, goto, reload, screenshot, wait_until

pytestmark = pytest.mark.browser
OWNER = Scope.owner()
PAGER = " .ag-paging-row-summary-panel"


def _cli(server, tmp_path, report: str, *args: str) -> bytes:
    out = tmp_path / f"{report}-cli.csv"
    done = cli.run(["export", report, *args, "--now", NOW.isoformat(), "-o", str(out)],
                   env={"DATABASE_URL": server.db_url, "PATH": ""})
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


def _download(page, selector: str) -> bytes:
    with page.expect_download() as download:
        page.locator(selector).click()
    return download.value.path().read_bytes()


def _shown(page, grid: str, column: str) -> list[str]:
    """The cells of a column the grid has drawn (it draws the rows in view), once it drew some."""
    cells = f'{grid} .ag-center-cols-container [col-id="{column}"]'
    wait_until(page, f"document.querySelectorAll('{cells}').length > 0")
    return [t for t in page.locator(cells).all_inner_texts() if t.strip()]


def _page(server, browser, errors: list):
    context = server.new_context(browser, accept_downloads=True, viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return context, page


def test_each_tab_shows_its_numbers(server, browser, tmp_path):
    with server.engine.connect() as conn:
        users = q.users_count(conn, OWNER, NOW)
        groups = q.groups_table(conn, OWNER, NOW)
        courses = q.courses_table(conn, OWNER, NOW)
        sessions = q.sessions_rows(conn, OWNER, NOW)
    errors: list[str] = []
    context, page = _page(server, browser, errors)
    goto(page, f"{server}/collaboration")
    page.locator("#collab-users-count").filter(has_text=f"{users:,} users").wait_for()
    page.locator("#collab-users-grid" + PAGER).filter(has_text=f"of {users:,}").wait_for()
    page.wait_for_selector("#collab-users-chart g.trace.bars path", state="attached")
    screenshot(page, "users.png", full_page=True)

    page.get_by_role("tab", name="Groups").click()
    page.wait_for_url("**/collaboration/groups")
    page.locator("#collab-groups-grid" + PAGER).filter(has_text=f"of {len(groups):,}").wait_for()
    first = page.locator('#collab-groups-grid .ag-center-cols-container [col-id="publications"]').first
    assert int(first.inner_text()) == groups[0]["publications"]  # by name, as the query
    screenshot(page, "groups.png", full_page=True)

    page.get_by_role("tab", name="Courses").click()
    page.wait_for_url("**/collaboration/courses")
    page.locator("#collab-courses-grid" + PAGER).filter(has_text=f"of {len(courses):,}").wait_for()
    assert _download(page, "#collab-courses-download") == _cli(server, tmp_path, "courses")

    page.get_by_role("tab", name="Sessions").click()
    page.wait_for_url("**/collaboration/sessions")
    page.locator("#sessions-collab-grid" + PAGER).filter(has_text=f"of {len(sessions):,}").wait_for()
    assert _download(page, "#sessions-collab-download") == _cli(server, tmp_path, "session-collab")
    screenshot(page, "sessions.png", full_page=True)
    assert errors == []
    context.close()


def test_a_group_narrows_the_users_and_their_csv(server, browser, tmp_path):
    with server.engine.connect() as conn:
        group = max(q.groups_table(conn, OWNER, NOW), key=lambda g: (g["level"], g["publications"], g["group_id"]))
        expected = q.users_page(conn, OWNER, NOW, group_id=group["group_id"], end=1000)
    errors: list[str] = []
    context, page = _page(server, browser, errors)
    goto(page, f"{server}/collaboration/users")
    page.locator("#collab-group").click()
    page.keyboard.type(group["name"])
    page.get_by_role("option", name=group["name"], exact=True).click()
    page.wait_for_url(f"**/collaboration/users?group={group['group_id']}")
    count = expected["total"]
    page.locator("#collab-users-count").filter(has_text=f"{count:,} user").wait_for()
    page.locator("#collab-users-grid" + PAGER).filter(has_text=f"of {count:,}").wait_for()
    assert set(_shown(page, "#collab-users-grid", "email")) <= {r["email"] for r in expected["rows"]}
    assert _download(page, "#collab-users-download") == _cli(server, tmp_path, "collab-users", "--group",
                                                             group["group_id"])
    # the link reopens the same group
    reload(page)
    page.locator("#collab-users-count").filter(has_text=f"{count:,} user").wait_for()
    assert errors == []
    context.close()


def test_a_course_number_opens_exactly_the_people_behind_it(server, browser, tmp_path):
    with server.engine.connect() as conn:
        course = max(q.courses_table(conn, OWNER, NOW), key=lambda c: (c["like"], c["course_id"]))
        activities = q.course_activities(conn, OWNER, NOW, course["course_id"])
        row = max(range(len(activities)), key=lambda i: (activities[i]["like"], -i))
        activity = activities[row]
        _, likers = q.activity_people(conn, OWNER, NOW, activity["activity_id"], "like")
    assert activity["like"] == len(likers) > 0
    errors: list[str] = []
    context, page = _page(server, browser, errors)
    goto(page, f"{server}/collaboration/courses")
    page.locator("#collab-courses-grid").get_by_role("link", name=course["name"], exact=True).click()
    page.wait_for_url(f"**/collaboration/courses/{course['course_id']}")
    page.locator("h2.lp-title").filter(has_text=course["name"]).wait_for()
    page.wait_for_selector("#collab-course-reactions-chart g.point path", state="attached")
    cell = page.locator(f'#collab-course-grid .ag-row[row-id="{activity["activity_id"]}"] [col-id="like"]')
    assert cell.inner_text() == str(activity["like"])
    cell.click()
    page.locator("#collab-course-people-title").filter(has_text=f"{activity['like']:,} like").wait_for()
    page.wait_for_url(f"**activity={activity['activity_id']}&action=like")
    page.locator("#collab-course-people-grid" + PAGER).filter(has_text=f"of {len(likers):,}").wait_for()
    shown = _shown(page, "#collab-course-people-grid", "email")
    assert shown and set(shown) <= {p["email"] for p in likers}
    screenshot(page, "course.png", full_page=True)
    assert _download(page, "#collab-course-people-download") == _cli(
        server, tmp_path, "activity-users", "--activity", activity["activity_id"], "--action", "like")
    assert _download(page, "#collab-course-download") == _cli(server, tmp_path, "course-activities", "--course",
                                                              course["course_id"])
    page.locator("#collab-course-people-close").click()
    page.locator("#collab-course-people-card").wait_for(state="hidden")
    assert "activity=" not in page.url
    assert errors == []
    context.close()


def test_an_unknown_course_says_not_found(server, browser):
    errors: list[str] = []
    context, page = _page(server, browser, errors)
    goto(page, f"{server}/collaboration/courses/nope")
    page.get_by_text("There is no course 'nope' you can see.").wait_for()
    assert errors == []
    context.close()
