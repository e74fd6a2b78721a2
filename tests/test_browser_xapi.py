"""Real Moodle and Open edX statements on the pages (headless Chromium): after an xAPI import, the Moodle
course is a cohort on the Participants page (its learners in the bars by the days since they were last seen)
and a session on the Program sessions pages; POSTed statements show within a second."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from dashboard import ids
from data_access.write.xapi.ingest import ingest
from data_access.xapi.mapping import ident
from data_access.xapi.sources import read_paths
from tests.browser import NOW
from tests.xapi_bundle import REALDATA, first_of_each_id

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not (REALDATA / "moodle").exists(),
                                                      reason=f"real xAPI statements not present at {REALDATA}")]
MOODLE_COURSE = ident("http://www.example.org/course/view.php?id=2")
EDX_RUN = ident("http://localhost:18000/course/course-v1:TestX+XP101+2023_T1")


@pytest.fixture(scope="module")
def imported(server):
    # Moodle's statements carry no timestamp: stored (and so dated) two days before the demo's now
    ingest(server.engine, read_paths(first_of_each_id() + [REALDATA / "moodle"]), int(NOW.timestamp()) - 2 * 86400)
    return server


def _watch(page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_moodle_course_is_a_cohort_on_participants(imported, browser, tmp_path):
    page = imported.new_page(browser, viewport={"width": 1300, "height": 1000})
    errors = _watch(page)
    page.goto(f"{imported}/participants?session={quote(MOODLE_COURSE)}&bucket=2-3", wait_until="networkidle")
    page.locator(f"#{ids.Participants.LIST_TITLE}").filter(has_text="3 learners").wait_for(timeout=60_000)
    grid = page.locator(f"#{ids.Participants.GRID}")
    grid.locator(".ag-row").nth(2).wait_for(timeout=60_000)
    text = grid.inner_text()
    assert "test_recipient_lastname" in text and "Participant" in text
    page.screenshot(path="/tmp/xapi-participants.png", full_page=True)
    assert not errors, errors
    page.close()


def test_course_runs_are_sessions(imported, browser, tmp_path):
    page = imported.new_page(browser, viewport={"width": 1300, "height": 1000})
    errors = _watch(page)
    page.goto(f"{imported}/sessions/{MOODLE_COURSE}", wait_until="networkidle")
    page.wait_for_selector("h2.lp-title")
    assert page.locator("h2.lp-title").inner_text() == "test_name"
    page.locator("text=Registrations").first.wait_for()
    page.screenshot(path="/tmp/xapi-session.png", full_page=True)
    page.goto(f"{imported}/sessions/{EDX_RUN}", wait_until="networkidle")
    page.wait_for_selector("h2.lp-title")
    assert page.locator("h2.lp-title").inner_text() == "Demonstration Course — 2023_T1"
    assert not errors, errors
    page.close()


def test_an_xapi_learner_has_a_users_page(imported, browser, tmp_path):
    """The Users pages light up too: the Moodle learner is in the users list and has a statistics page whose
    Courses table holds the Moodle course."""
    from sqlalchemy import text

    with imported.engine.connect() as conn:
        # a Moodle learner with a course attempt (badge statements name two recipients alike: take the first)
        user_id, first, last = conn.execute(text(
            "SELECT u.user_id, u.first_name, u.last_name FROM users u "
            "WHERE u.last_name = 'test_recipient_lastname' AND EXISTS "
            "(SELECT 1 FROM course_attempts a WHERE a.user_id = u.user_id) ORDER BY u.user_id LIMIT 1")).one()
    page = imported.new_page(browser, viewport={"width": 1300, "height": 1000})
    errors = _watch(page)
    page.goto(f"{imported}/users", wait_until="networkidle")
    page.locator(f"#{ids.Users.GRID} .ag-floating-filter-input input").nth(1).fill("test_recipient")
    page.locator(f"#{ids.Users.GRID} .ag-row", has_text="test_recipient_lastname").first.wait_for(timeout=60_000)
    page.goto(f"{imported}/users/{quote(user_id)}", wait_until="networkidle")
    page.wait_for_selector("h2.lp-title")
    assert page.locator("h2.lp-title").inner_text() == f"{first} {last}"
    page.locator(f"#{ids.UserPage.COURSES} .ag-row").first.wait_for(timeout=60_000)
    page.screenshot(path=str(tmp_path / "xapi-user.png"), full_page=True)
    assert not errors, errors
    page.close()
