"""Trends in a real browser (headless Chromium): the cohort's weeks under the activity chart, as a chart and as a
table with the numbers of `learnpulse export activity-trend`; one click to the comparison with the previous
cohorts of the template, whose download is the command's file and whose address keeps the choice."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from data_access.exports.trends import monday
from data_access.queries import participants as pq
from data_access.queries import trends as q
from data_access.scope import Scope
from tests import cli
from tests.browser import NOW, goto, reload, wait_until

pytestmark = pytest.mark.browser

TREND_BARS = "#trend-chart g.point path"
COMPARE_LINES = "#compare-chart g.scatterlayer g.trace"


def _cli(server, tmp_path, *args) -> bytes:
    out = tmp_path / "cli.csv"
    done = cli.run(["export", *args, "--now", NOW.isoformat(), "-o", str(out)],
                   env={"DATABASE_URL": server.db_url, "PATH": ""})
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


def test_trend_table_and_comparison(server, browser, tmp_path):
    with server.engine.connect() as conn:
        cohorts = pq.cohorts(conn, Scope.owner(), NOW)
        session = pq.default_cohort(cohorts)
        trend = q.activity_trend(conn, Scope.owner(), NOW, session_id=session, tz="UTC")
        chosen = q.default_comparison(conn, Scope.owner(), NOW, session_id=session)
    other = next(c for c in cohorts if c["state"] == "finished")
    assert trend["weeks"]
    context = server.new_context(browser, accept_downloads=True, viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    goto(page, f"{server}/participants?session={session}")
    page.wait_for_selector(TREND_BARS)
    assert page.locator(TREND_BARS).count() == len(trend["weeks"])

    # the table shows the CSV's numbers
    page.locator("#trend-as-table").check(force=True)
    page.wait_for_selector("#trend-table .ag-row")
    weeks = page.locator('#trend-table .ag-center-cols-container [col-id="week"]').all_inner_texts()
    active = page.locator('#trend-table .ag-center-cols-container [col-id="active"]').all_inner_texts()
    assert weeks == [monday(w["monday"]) for w in trend["weeks"]]
    assert [int(a.replace(",", "")) for a in active] == [w["active"] for w in trend["weeks"]]
    assert not page.locator("#trend-chart").is_visible()
    with page.expect_download() as download:
        page.locator("#trend-download").click()
    assert download.value.path().read_bytes() == _cli(server, tmp_path, "activity-trend", "--session", session)

    # one click to the comparison with the previous cohorts of the same template (the demo's flagship has none:
    # the page asks for a second cohort, picked by typing its name)
    page.locator("#trend-compare").click()
    page.wait_for_url("**/compare?*")
    assert parse_qs(urlparse(page.url).query)["session"] == chosen
    if len(chosen) < 2:
        page.locator("#compare-message, #compare-chart").filter(has_text="Choose 2 to 5").first.wait_for()
        page.locator("#compare-pick").click()
        # fill the dropdown's own search box (typing went to whatever had the focus, which a busy page moves)
        page.locator("input.dash-dropdown-search").fill(other["name"][:12])
        page.locator("[role=option]").filter(has_text=other["name"]).first.click()
        page.keyboard.press("Escape")
        chosen = chosen + [other["session_id"]]
    page.wait_for_selector(COMPARE_LINES)
    wait_until(page, f"new URLSearchParams(window.location.search).getAll('session').length === {len(chosen)}")
    assert parse_qs(urlparse(page.url).query)["session"] == chosen
    wait_until(page, f"document.querySelectorAll('{COMPARE_LINES}').length === {2 * len(chosen)}")
    page.wait_for_selector("#compare-grid .ag-row")
    args = [a for s in chosen for a in ("--session", s)]
    with page.expect_download() as download:
        page.locator("#compare-download").click()
    assert download.value.path().read_bytes() == _cli(server, tmp_path, "cohort-compare", *args)

    # a reload keeps the choice (the address holds it)
    reload(page)
    page.wait_for_selector(COMPARE_LINES)
    assert parse_qs(urlparse(page.url).query)["session"] == chosen
    wait_until(page, f"document.querySelectorAll('{COMPARE_LINES}').length === {2 * len(chosen)}")
    assert errors == []
    context.close()
