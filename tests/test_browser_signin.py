"""Sign-in in a real browser (headless Chromium): a coach signs in with the form, sees only their groups'
sessions in the Participants picker and only their sections, signs out (a button on /logout); the owner views
the app as that coach and stops; the navbar collapses on a narrow screen; no page breaks the
Content-Security-Policy."""

from __future__ import annotations

import pytest

from dashboard.core import passwords
from data_access import accounts, schema
from data_access.queries import participants as q
from data_access.scope import scope_for_user
from tests.browser import NOW, goto, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "a coach's long password"


def _coach(engine) -> tuple[str, str, list[str]]:
    """A demo coach who sees some sessions but not all (the fewest): (email, name, their cohorts' ids)."""
    with engine.connect() as conn:
        m, u = schema.memberships, schema.users
        coaches = conn.execute(m.select().where(m.c.role == "coach").with_only_columns(m.c.user_id)).scalars().all()
        counts = {uid: len(q.cohorts(conn, scope_for_user(conn, uid), NOW)) for uid in coaches}
        best = min((uid for uid in coaches if counts[uid]), key=lambda uid: (counts[uid], uid))
        cohorts = [c["session_id"] for c in q.cohorts(conn, scope_for_user(conn, best), NOW)]
        row = conn.execute(u.select().where(u.c.user_id == best)).mappings().one()
    return row["email"], f"{row['first_name']} {row['last_name']}", cohorts


def _picker_values(page) -> set[str]:
    page.locator("#participants-cohort").click()
    page.wait_for_selector(".Select-menu-outer, [role=listbox], .dash-dropdown-options", state="attached")
    options = page.evaluate("""() => Array.from(document.querySelectorAll(
        '#participants-cohort [role=option], .dash-dropdown-option, .VirtualizedSelectOption'))
        .map(o => o.innerText)""")
    page.keyboard.press("Escape")
    return set(options)


def test_a_coach_signs_in_sees_only_their_sessions_and_signs_out(server, browser, tmp_path):
    email, name, cohorts = _coach(server.engine)
    assert cohorts, "the demo's coaches have sessions"
    with server.engine.begin() as conn:
        accounts.set_password_hash(conn, accounts.user_by_email(conn, email).user_id,
                                   passwords.hash_password(PASSWORD), NOW)
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status == 401 else None)
    goto(page, server + "/participants")
    assert page.url.startswith(server + "/login?next=")
    screenshot(page, "login.png")
    page.fill("#email", email)
    page.fill("#password", "wrong password")
    page.click("button[type=submit]")
    page.wait_for_selector(".alert-danger")
    assert "Wrong email or password." in page.inner_text(".alert-danger")
    errors.clear()  # the refused sign-in answered 401, as it should
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(server + "/participants")
    page.wait_for_selector("#participants-cohort")
    with server.engine.connect() as conn:
        owner_cohorts = q.cohorts(conn, accounts.Scope.owner(), NOW)
        coach_cohorts = q.cohorts(conn, scope_for_user(conn, accounts.user_by_email(conn, email).user_id), NOW)
    labels = {c["session_id"]: c["name"] for c in owner_cohorts}
    shown = _picker_values(page)
    assert {s.split(" · ")[0] for s in shown} == {c["name"] for c in coach_cohorts}
    assert len(coach_cohorts) < len(labels)
    screenshot(page, "coach.png")
    nav = page.locator("#nav .nav-link").all_inner_texts()
    assert nav == ["Overview", "Participants", "At risk", "Program sessions", "Groups", "Users",
                   "Collaborative activity"]
    page.locator(".lp-viewer .dropdown-toggle").click()
    assert page.locator(".lp-viewer").inner_text().count(email) == 1
    page.get_by_text("Sign out", exact=True).click()
    page.wait_for_url(server + "/logout")  # signing out is a POST: a page with the button
    screenshot(page, "logout.png")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_selector(".alert-success")
    assert "You are signed out." in page.inner_text(".alert-success")
    goto(page, server + "/sessions")
    assert page.url.startswith(server + "/login")
    assert errors == []
    context.close()


def test_owner_views_as_a_coach_and_stops(server, browser, tmp_path):
    email, name, cohorts = _coach(server.engine)
    context = server.new_context(browser, viewport={"width": 1300, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    goto(page, server + "/view-as")
    page.locator("#view-as-pick").click()
    page.locator(".dash-dropdown-search").fill(email)  # searched on the server
    page.locator(".dash-dropdown-option", has_text=email).click()
    page.get_by_role("button", name="View as this person").click()
    page.wait_for_selector(".lp-view-as")
    assert f"You are viewing LearnPulse as {name}" in page.inner_text(".lp-view-as")
    goto(page, server + "/participants")
    page.wait_for_selector("#participants-cohort")
    with server.engine.connect() as conn:
        coach_cohorts = q.cohorts(conn, scope_for_user(conn, accounts.user_by_email(conn, email).user_id), NOW)
    assert {s.split(" · ")[0] for s in _picker_values(page)} == {c["name"] for c in coach_cohorts}
    screenshot(page, "view-as.png")
    page.get_by_role("button", name="Stop viewing as").click()
    page.wait_for_selector(".lp-view-as", state="detached")
    page.wait_for_selector("#overview-kpis .kpi-value")
    assert errors == []
    context.close()


def test_navbar_collapses_on_a_narrow_screen(server, browser, tmp_path):
    page = server.new_page(browser, viewport={"width": 420, "height": 800})
    goto(page, server + "/")
    page.wait_for_selector(".navbar-toggler")
    assert not page.locator("#nav").is_visible()
    page.click(".navbar-toggler")
    page.locator("#nav").wait_for(state="visible")
    screenshot(page, "narrow.png")
    page.get_by_role("link", name="Program sessions").click()
    page.wait_for_url(server + "/sessions")
    page.close()
