"""Accessibility in a real browser (headless Chromium) on the 300-learner demo: axe-core finds no serious or
critical WCAG 2.1 A/AA violation on any page, signed in as the platform owner, a coach, an instructor and a
learner, nor in an opened dialog."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from data_access import schema
from tests.axe import describe, serious_violations
from tests.browser import goto, screenshot, settle, wait_until
from tests.walk import walk_paths

pytestmark = pytest.mark.browser


def role_emails(engine) -> dict[str, str]:
    """A demo coach, instructor (teaching, admin or coach of no group) and learner (no other role)."""
    m, u, si = schema.memberships, schema.users, schema.session_instructors
    with engine.connect() as conn:
        coach = conn.execute(select(m.c.user_id).where(m.c.role == "coach").order_by(m.c.user_id)).scalar()
        staff = select(m.c.user_id).where(m.c.role != "learner")
        managers = select(m.c.user_id).where(m.c.role.in_(("admin", "coach")))
        instructor = conn.execute(select(si.c.user_id).where(si.c.user_id.not_in(managers))
                                  .order_by(si.c.user_id)).scalar()
        learner = conn.execute(select(m.c.user_id).where(m.c.role == "learner", m.c.user_id.not_in(staff),
                                                         m.c.user_id.not_in(select(si.c.user_id)))
                               .order_by(m.c.user_id)).scalar()
        emails = {role: conn.execute(select(u.c.email).where(u.c.user_id == uid)).scalar()
                  for role, uid in (("coach", coach), ("instructor", instructor), ("learner", learner))}
    return {role: email for role, email in emails.items() if email}


def check(page, where: str, found: dict) -> None:
    settle(page)
    violations = serious_violations(page)
    if violations:
        found[where] = violations


def test_axe_finds_nothing_serious_on_any_page_as_the_owner(server, browser):
    page = server.new_page(browser, viewport={"width": 1400, "height": 1000})
    found: dict = {}
    for path in walk_paths(server):
        goto(page, f"{server}{path}")
        check(page, f"owner {path}", found)
    page.context.close()
    assert not found, describe(found)


@pytest.mark.parametrize("role", ["coach", "instructor", "learner"])
def test_axe_finds_nothing_serious_on_the_pages_of_each_role(server, browser, role):
    email = role_emails(server.engine)[role]
    page = server.new_page(browser, email=email, viewport={"width": 1400, "height": 1000})
    found: dict = {}
    goto(page, f"{server}/")
    check(page, f"{role} /", found)
    links = page.evaluate("Array.from(document.querySelectorAll('#nav a')).map(a => a.getAttribute('href'))")
    for href in links:
        goto(page, f"{server}{href}")
        check(page, f"{role} {href}", found)
    page.context.close()
    assert not found, describe(found)


def test_keyboard_alone_selects_a_bar_on_participants_and_lists_its_learners(server, browser, tmp_path):
    from data_access.queries import participants as q
    from data_access.scope import Scope
    from tests.browser import NOW

    with server.engine.connect() as conn:
        session_id = q.default_cohort(q.cohorts(conn, Scope.owner(), NOW))
        bars = q.activity(conn, Scope.owner(), NOW, session_id)["buckets"]
    index = next(i for i, b in enumerate(bars) if b["learners"] and i > 0)
    bar = bars[index]
    page = server.new_page(browser, viewport={"width": 1300, "height": 1000})
    goto(page, f"{server}/participants?session={session_id}")
    chart = page.locator("#participants-chart")
    wait_until(page, "document.getElementById('participants-chart').tabIndex === 0")
    chart.focus()
    for _ in range(index):
        page.keyboard.press("ArrowRight")
    live = page.locator("#participants-chart ~ [aria-live]").first
    assert live.inner_text().startswith(f"{bar['bucket']}: {bar['learners']} ({index + 1} of {len(bars)})")
    page.keyboard.press("Enter")
    days = "" if bar["bucket"] == "Never" else " days"
    title = f"{bar['bucket']}{days}: {bar['learners']} learner{'s' if bar['learners'] != 1 else ''}"
    page.locator("#participants-list-title").filter(has_text=title).wait_for()
    assert f"bucket={bar['bucket'].replace('–', '-')}" in page.url.replace("%E2%80%93", "-")
    screenshot(page, "keyboard.png")
    page.keyboard.press("Enter")  # the same bar again: unselected, as a second click does
    page.locator("#participants-list-title").filter(has_text="Learners").wait_for()

    # Show as table: the chart's numbers as a table
    page.locator("#participants-chart ~ .lp-show-table").first.click()
    cells = page.evaluate("Array.from(document.querySelectorAll('#participants-chart-as-table tbody tr'))"
                          ".map(r => Array.from(r.cells).map(c => c.innerText))")
    assert cells == [[b["bucket"], f"{b['learners']:,}"] for b in bars]
    assert serious_violations(page) == []
    page.context.close()


def test_opened_dialogs_have_nothing_serious(server, browser):
    found: dict = {}
    page = server.new_page(browser, viewport={"width": 1400, "height": 1000})
    path = next(p for p in walk_paths(server) if p.startswith("/users/"))
    goto(page, f"{server}{path}")
    rows = page.locator("#user-sessions .ag-center-cols-container .ag-row")
    if rows.count():
        rows.first.locator(".ag-cell").first.click()
        page.locator(".modal.show").wait_for()
        check(page, f"dialog on {path}", found)
        page.keyboard.press("Escape")
    goto(page, f"{server}/")
    page.locator(".lp-viewer .dropdown-toggle").click()
    page.locator(".dropdown-menu.show").wait_for()
    check(page, "account menu", found)
    page.context.close()
    assert not found, describe(found)
