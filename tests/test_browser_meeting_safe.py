"""Meeting-safe mode in a real browser (headless Chromium) on the 300-learner demo: with the navbar's switch on,
a walk through every page shows no e-mail and no name of any user (page text, table cells, chart data and
labels, dialogs, the View as search), only pseudonyms; the switch is kept across pages and sign-ins; a
download asks first and still holds the names; search by a real name still finds the person."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from dashboard.core import pseudonyms
from data_access import accounts, schema
from tests.browser import goto, screenshot, settle, wait_until
from tests.walk import walk_paths

pytestmark = pytest.mark.browser

# everything a page shows or holds for a screen: its text, the charts' data and layout (labels, hover text)
SHOWN_JS = """() => {
  const parts = [document.body.innerText];
  document.querySelectorAll('.js-plotly-plot').forEach(el => {
    parts.push(JSON.stringify(el.data || []), JSON.stringify(el.layout || {}));
  });
  document.querySelectorAll('iframe').forEach(el => parts.push(el.getAttribute('srcdoc') || ''));
  document.querySelectorAll('input, [title], [aria-label]').forEach(el => {
    parts.push(el.value || '', el.getAttribute('title') || '', el.getAttribute('aria-label') || '');
  });
  return parts.join('\\n');
}"""
CODE = re.compile(f"^[0-9A-F]{{{pseudonyms.CODE_LENGTH}}}$")


def people(server):
    u = schema.users
    with server.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(u.c.user_id, u.c.first_name, u.c.last_name, u.c.email))]


def leaks(text: str, everyone) -> list[str]:
    """The e-mails and full names of `everyone` found in `text`, and any e-mail address at all."""
    lower = text.lower()
    found = [email for _, _, _, email in everyone if email and email.lower() in lower]
    found += [f"{first} {last}" for _, first, last, _ in everyone if f"{first} {last}" in text]
    found += re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text)
    return found


def name_cells(page) -> list[str]:
    return page.evaluate("Array.from(document.querySelectorAll('.ag-cell[col-id=\"last_name\"]'))"
                         ".map(c => c.innerText.trim()).filter(t => t)")


def switch(page, on: bool) -> None:
    """Flip the navbar's switch and wait for the page to load afresh with it."""
    page.locator("label[for='shell-meeting-safe']").click()
    banner = page.locator("#shell-meeting-banner")
    (banner.wait_for if on else lambda: banner.wait_for(state="detached"))()
    settle(page)


def test_meeting_safe_walk_shows_no_name_and_survives_sign_in(server, browser, tmp_path):
    everyone = people(server)
    context = server.new_context(browser, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    goto(page, f"{server}/users")
    assert leaks(page.evaluate(SHOWN_JS), everyone), "the mode is off: real names are shown"
    switch(page, True)
    assert "Names are hidden" in page.locator("#shell-meeting-banner").inner_text()

    for path in walk_paths(server):
        goto(page, f"{server}{path}")
        if path == "/digest" and page.locator("#digest-preview-button").count():
            page.locator("#digest-preview-button").click()  # the digest as it would be sent, on screen
            wait_until(page, "document.getElementById('digest-preview').innerHTML.length > 0")
            settle(page)
        assert page.locator("#shell-meeting-banner").count() == 1, path
        assert page.locator("#shell-meeting-safe").is_checked(), path
        shown = page.evaluate(SHOWN_JS)
        assert leaks(shown, everyone) == [], path
        assert all(CODE.match(c) for c in name_cells(page)), (path, name_cells(page)[:5])
        screenshot(page, f"meeting{re.sub(r'[^a-z0-9]+', '-', path.split('?')[0])}.png", full_page=True)

    # the user page: the person's pseudonym is the title, the same one the Users list shows
    user_path = next(p for p in walk_paths(server) if re.match(r"^/users/[^?]+$", p))
    user_id = user_path.rsplit("/", 1)[1]
    key = server.app.server.extensions["learnpulse"].pseudonyms.key()
    goto(page, f"{server}{user_path}")
    assert pseudonyms.pseudonym(key, user_id) in page.locator("h4, h1, h2, h3").first.inner_text()

    # a new sign-in (another browser) keeps the switch: it is kept per person on the server
    again = server.new_page(browser)
    goto(again, f"{server}/participants")
    assert again.locator("#shell-meeting-banner").count() == 1
    assert leaks(again.evaluate(SHOWN_JS), everyone) == []
    again.context.close()

    switch(page, False)
    goto(page, f"{server}/users")
    assert leaks(page.evaluate(SHOWN_JS), everyone)
    context.close()


def test_view_as_search_finds_a_real_name_and_shows_its_pseudonym(server, browser):
    everyone = people(server)
    key = server.app.server.extensions["learnpulse"].pseudonyms.key()
    user_id, first, last, _ = next(p for p in sorted(everyone) if p[1] and p[2])
    with server.engine.connect() as conn:
        owner = accounts.user_by_email(conn, accounts_owner_email(server)).user_id
    switches = server.app.server.extensions["learnpulse"].pseudonyms
    switches.set_switch(owner, True, datetime.now(UTC))  # as the navbar's switch does
    page = server.new_page(browser)
    try:
        goto(page, f"{server}/view-as")
        page.locator("#view-as-pick").click()
        page.locator(".dash-dropdown-search").fill(f"{first} {last}")  # searched on the server
        option = page.locator(".dash-dropdown-option", has_text=pseudonyms.pseudonym(key, user_id))
        option.wait_for()
        listed = page.evaluate("Array.from(document.querySelectorAll('.dash-dropdown-option'))"
                               ".map(o => o.innerText).join('\\n')")
        assert listed and leaks(listed, everyone) == []
        option.click()
        page.get_by_role("button", name="View as this person").click()
        page.wait_for_selector(".lp-view-as")
        assert pseudonyms.pseudonym(key, user_id) in page.inner_text(".lp-view-as")
        assert leaks(page.evaluate(SHOWN_JS), everyone) == []
        page.locator("#shell-stop-view-as").click()
        page.wait_for_selector(".lp-view-as", state="detached")
    finally:
        switches.set_switch(owner, False, datetime.now(UTC))
        page.context.close()


def accounts_owner_email(server) -> str:
    with server.engine.connect() as conn:
        owner_id = accounts.platform_owner(conn)
        return conn.execute(select(schema.users.c.email).where(schema.users.c.user_id == owner_id)).scalar()


def test_a_download_asks_first_and_keeps_the_names(server, browser):
    everyone = people(server)
    context = server.new_context(browser, accept_downloads=True)
    page = context.new_page()
    goto(page, f"{server}/users")
    switch(page, True)
    asked: list[str] = []

    def refuse(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    page.locator("#users-download").click()
    for _ in range(100):  # the confirmation opens once the click is handled
        if asked:
            break
        page.wait_for_timeout(50)
    assert asked and "This file contains names" in asked[0]

    page.once("dialog", lambda d: d.accept())
    with page.expect_download() as got:
        page.locator("#users-download").click()
    body = open(got.value.path(), encoding="utf-8").read()
    assert leaks(body, everyone), "the file keeps the names"
    switch(page, False)
    context.close()
