"""At risk in a real browser (headless Chromium) on the 300-learner demo: a reason bar lists exactly its learners,
shift-click adds a reason, the address keeps the filters; three learners ticked give a mailto with them in Bcc,
and "Record contact" records them (Last contacted shows it)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from sqlalchemy import select

from data_access import schema
from data_access.queries import at_risk as q
from data_access.scope import Scope
from tests.browser import NOW, goto, wait_until

pytestmark = pytest.mark.browser

BARS = "#at-risk-chart g.point path"
# the e-mails of every row the grid holds (its first block: up to 100), read from the grid rather than from the
# screen, which draws only the rows its 520 px show
EMAILS = ("(() => { try { const out = []; dash_ag_grid.getApi('at-risk-grid').forEachNode(n => n.data && "
          "out.push(n.data.email)); return out.sort().join(','); } catch (e) { return ''; } })()")


def _expected(engine, reasons=None) -> list[dict]:
    with engine.connect() as conn:
        return q.at_risk(conn, Scope.owner(), NOW, reasons=reasons)


def test_reason_bars_list_and_contact(server, browser):
    everyone, behind = _expected(server.engine), _expected(server.engine, ["behind"])
    assert 3 <= len(everyone) <= 100 and behind and len(behind) < len(everyone), "the demo has people at risk"
    context = server.new_context(browser, viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    goto(page, server + "/at-risk")
    page.wait_for_selector(BARS)
    # the bars drawn from the counts (not the empty chart drawn before them), so that a click lands on them
    counts = [len(_expected(server.engine, [r])) for r in q.REASONS]
    wait_until(page, "(want) => { const g = document.querySelector('#at-risk-chart .js-plotly-plot');"
                     " return !!(g && g.data && g.data[0].x.join(',') === want); }", ",".join(map(str, counts)))
    assert page.locator("#at-risk-count").inner_text().startswith(f"{len(everyone)} learners at risk")
    page.wait_for_selector("#at-risk-grid .ag-row")
    wait_until(page, f"{EMAILS} === {','.join(sorted(r['email'] for r in everyone))!r}")

    # the "behind" bar lists exactly those learners, and the address says so
    page.locator(BARS).nth(1).click(force=True)  # Plotly's drag layer sits on top of the bars
    title = page.locator("#at-risk-list-title")
    title.filter(has_text=f"Behind: {len(behind)}").wait_for()
    wait_until(page, f"{EMAILS} === {','.join(sorted(r['email'] for r in behind))!r}")
    assert "reason=behind" in page.url
    either = _expected(server.engine, ["inactive", "behind"])
    # once the chart shows the selection (the other bars faded), shift-click adds "inactive"
    wait_until(page, f"getComputedStyle(document.querySelectorAll('{BARS}')[0]).opacity === '0.3'")
    # Plotly clicks the point it last hovered: hover the bar until its label shows; and a second click within
    # Plotly's double-click delay (300 ms) of the first is a double click, which unselects everything
    page.locator(BARS).nth(0).hover(force=True)
    wait_until(page, "(document.querySelector('#at-risk-chart .hoverlayer') || {}).textContent?.includes('inactive')")
    page.wait_for_timeout(400)
    page.locator(BARS).nth(0).click(force=True, modifiers=["Shift"])
    title.filter(has_text="Inactive or behind").wait_for()
    wait_until(page, f"{EMAILS} === {','.join(sorted(r['email'] for r in either))!r}")
    assert "reason=inactive%2Cbehind" in page.url or "reason=inactive,behind" in page.url

    # a shared link reopens the same view
    goto(page, server + "/at-risk?reason=behind")
    title.filter(has_text=f"Behind: {len(behind)}").wait_for()
    page.locator("#at-risk-clear").click()
    title.filter(has_text=f"Everyone at risk: {len(everyone)}").wait_for()
    wait_until(page, "!window.location.search.includes('reason=')")

    # tick three learners: the mail goes to them in Bcc
    wait_until(page, f"{EMAILS} === {','.join(sorted(r['email'] for r in everyone))!r}")
    first = everyone[:3]  # the grid's default order is the query's
    for i in range(3):
        page.locator(f'#at-risk-grid .ag-row[row-index="{i}"] .ag-selection-checkbox input').first.check()
    page.locator("#at-risk-selection-info").filter(has_text="3 selected").wait_for()
    href = page.locator("#at-risk-mailto").get_attribute("href")
    assert href.startswith("mailto:?bcc=")
    bcc = unquote(href.split("bcc=", 1)[1].split("&", 1)[0]).split(",")
    assert sorted(bcc) == sorted({r["email"] for r in first})
    assert "subject=" in href and "body=" in href

    # record the contact: stored for the three, shown in Last contacted
    page.select_option("#at-risk-channel", "call")
    page.fill("#at-risk-note", "Called about the overdue topics")
    page.locator("#at-risk-record").click()
    page.locator("#at-risk-record-status").filter(has_text="with 3 learners").wait_for()
    c = schema.contacts
    with server.engine.connect() as conn:
        rows = conn.execute(select(c.c.user_id, c.c.session_id, c.c.channel, c.c.note, c.c.recorded_at)).all()
    assert sorted((r.user_id, r.session_id) for r in rows) == sorted((r["user_id"], r["session_id"]) for r in first)
    assert {(r.channel, r.note, r.recorded_at) for r in rows} == {
        ("call", "Called about the overdue topics", int(NOW.timestamp()))}
    wait_until(page, "Array.from(document.querySelectorAll('#at-risk-grid .ag-center-cols-container "
                     "[col-id=\"last_contacted\"]')).filter(e => e.innerText === '2026/11/23 09:00').length === 3")
    assert errors == []
    context.close()


def test_overview_card_opens_the_list(server, browser):
    everyone = _expected(server.engine)
    page = server.new_page(browser)
    goto(page, server + "/")
    card = page.locator("#overview-at-risk a")
    card.wait_for()
    assert str(len(everyone)) in card.inner_text()
    card.click()
    page.wait_for_url("**/at-risk")
    page.wait_for_selector(BARS)
    page.context.close()
