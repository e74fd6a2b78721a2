"""The Weekly digest page in a real browser (headless Chromium, the 300-learner demo): a coach opens it from the
account menu, switches the digest on for Friday 18:00, and previews their digest, shown in a sandboxed frame
under the app's Content-Security-Policy with no console error."""

from __future__ import annotations

import pytest

from data_access import digest_store, schema
from data_access.queries import at_risk as risk
from data_access.scope import scope_for_user
from tests.browser import NOW, goto, screenshot, wait_until

pytestmark = pytest.mark.browser


def _coach(engine) -> tuple[str, str, list[dict]]:
    """A demo coach with learners at risk: (user id, email, their at-risk list)."""
    with engine.connect() as conn:
        m, u = schema.memberships, schema.users
        for uid in conn.execute(m.select().where(m.c.role == "coach").with_only_columns(m.c.user_id)
                                .order_by(m.c.user_id)).scalars():
            rows = risk.at_risk(conn, scope_for_user(conn, uid), NOW)
            if rows:
                email = conn.execute(u.select().where(u.c.user_id == uid).with_only_columns(u.c.email)).scalar()
                return uid, email, rows
    raise AssertionError("no demo coach has learners at risk")


def _dropdown(page, ident: str, label: str) -> None:
    page.locator(f"#{ident}").click()
    page.get_by_role("option", name=label, exact=True).click()


def test_a_coach_switches_the_digest_on_and_previews_it(server, browser, tmp_path):
    uid, email, rows = _coach(server.engine)
    context = server.new_context(browser, email, viewport={"width": 1300, "height": 1100})
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    goto(page, server + "/")
    page.locator(".lp-viewer .dropdown-toggle").click()
    page.locator(".lp-viewer .dropdown-item", has_text="Weekly digest").click()
    page.wait_for_selector("#digest-on")
    assert page.url == server + "/digest"
    page.locator("#digest-on").check()
    wait_until(page, "() => document.querySelector('#digest-status').innerText.startsWith('Saved. On')")
    _dropdown(page, "digest-day", "Friday")
    _dropdown(page, "digest-hour", "18:00")
    wait_until(page, "() => document.querySelector('#digest-status').innerText.includes('Friday at 18:00')")
    with server.engine.connect() as conn:
        sub = digest_store.subscription(conn, uid)
    assert (sub.weekday, sub.hour) == (4, 18)
    page.get_by_role("button", name="Preview").click()
    page.wait_for_selector("#digest-preview iframe")
    frame = page.frame_locator("#digest-preview iframe")
    first = rows[0]
    frame.get_by_text(f"{first['first_name']} {first['last_name']}").first.wait_for()
    body = frame.locator("body").inner_text()
    assert "Your LearnPulse weekly digest" in body and f"At risk now: {len(rows):,}" in body
    assert "An e-mail would be sent" in page.inner_text("#digest-preview")
    screenshot(page, "digest.png", full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    assert not errors, errors
    context.close()
