"""Participants in a real browser (headless Chromium): click the 8–14 bar, the table lists exactly those
learners, its CSV equals `learnpulse export`, a changed limit recolours a bar and survives a reload."""

from __future__ import annotations

import re

import pytest

from data_access.queries import participants as q
from data_access.scope import Scope
from tests import cli
from tests.browser import NOW, goto, reload, wait_until

pytestmark = pytest.mark.browser

BARS = "#participants-chart g.point path"
RED, YELLOW = "rgb(217, 83, 79)", "rgb(224, 168, 0)"
RED_HEX = "#d9534f"
RED_DRAWN = f"document.querySelector('#participants-chart .js-plotly-plot').data[0].marker.color[3] === '{RED_HEX}'"


def _flagship(engine) -> tuple[str, list[dict]]:
    with engine.connect() as conn:
        session = q.default_cohort(q.cohorts(conn, Scope.owner(), NOW))
        return session, q.participants(conn, Scope.owner(), NOW, session, ["8–14"])


def _bar_fill(page, index: int) -> str:
    """A bar's colour as drawn (the figure's marker colour; bars are also patterned: yellow striped, red crossed)."""
    return page.evaluate("""i => {
        const hex = document.querySelector('#participants-chart .js-plotly-plot').data[0].marker.color[i];
        const n = parseInt(hex.slice(1), 16);
        return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
    }""", index)


def test_click_bar_list_download_and_limits(server, browser, tmp_path):
    session, expected = _flagship(server.engine)
    assert expected, "the demo cohort has learners 8-14 days away"
    context = server.new_context(browser, accept_downloads=True, permissions=["clipboard-read", "clipboard-write"],
                                  viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    goto(page, server + "/participants")
    page.wait_for_selector(BARS)
    with server.engine.connect() as conn:
        total = q.activity(conn, Scope.owner(), NOW, session)["participants"]
    assert page.locator("#participants-summary").inner_text().startswith(f"{total:,} participants")
    assert _bar_fill(page, 3) == YELLOW  # 8-14 with the default limits 7 / 14

    page.locator(BARS).nth(3).click(force=True)  # Plotly's drag layer sits on top of the bars
    title = page.locator("#participants-list-title")
    title.filter(has_text="8–14 days").wait_for()
    assert title.inner_text() == f"8–14 days: {len(expected)} learner{'s' if len(expected) != 1 else ''}"
    assert f"session={session}" in page.url and "bucket=8-14" in page.url
    page.wait_for_selector("#participants-grid .ag-row")
    shown = sorted(page.locator('#participants-grid .ag-center-cols-container [col-id="email"]').all_inner_texts())
    assert shown == sorted(r["email"] for r in expected)

    # sorted and filtered by the server: most inactive first, then one email typed in the column filter
    page.locator('#participants-grid .ag-header-cell[col-id="days_since"] .ag-header-cell-label').click()
    page.locator('#participants-grid .ag-header-cell[col-id="days_since"] .ag-header-cell-label').click()
    most = str(max(r["days_since"] for r in expected))
    wait_until(page, "document.querySelector('#participants-grid .ag-row[row-index=\"0\"] "
                     f"[col-id=\"days_since\"]')?.innerText === '{most}'")
    target = expected[0]["email"]
    page.locator("#participants-grid .ag-floating-filter-input input").nth(2).fill(target)
    emails_shown = ("Array.from(document.querySelectorAll('#participants-grid .ag-center-cols-container "
                    "[col-id=\"email\"]')).map(e => e.innerText).join(',')")
    wait_until(page, f"{emails_shown} === '{target}'")
    page.locator("#participants-grid .ag-floating-filter-input input").nth(2).fill("")
    wait_until(page, f"{emails_shown}.split(',').filter(Boolean).length === {len(expected)}")

    # the CSV of exactly those rows is the command's file, byte for byte
    with page.expect_download() as download:
        page.locator("#participants-download").click()
    got = download.value.path().read_bytes()
    out = tmp_path / "cli.csv"
    done = cli.run(["export", "participant-activity", "--session", session, "--bucket", "8-14", "--now",
                    NOW.isoformat(), "-o", str(out)], env={"DATABASE_URL": server.db_url, "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert got == out.read_bytes()
    assert got.decode("utf-8").count("\r\n") == len(expected) + 1

    # copy emails for a nudge
    page.locator("#participants-copy").click()
    page.locator("#participants-copy-status").filter(has_text="Copied").wait_for()
    clip = page.evaluate("navigator.clipboard.readText()")
    assert sorted(clip.split(", ")) == sorted(r["email"] for r in expected)

    # a daily check-in program: yellow up to 10 days turns the 8-14 bar red at once
    page.fill("#participants-yellow-limit", "10")
    page.keyboard.press("Enter")
    page.locator("#participants-limits-status").filter(has_text="Saved").wait_for()
    wait_until(page, RED_DRAWN)

    # reload: the limit is kept (stored for the cohort) and the shared link reopens the same bar
    reload(page)
    page.wait_for_selector(BARS)
    wait_until(page, RED_DRAWN)
    assert page.input_value("#participants-yellow-limit") == "10"
    title.filter(has_text="8–14 days").wait_for()

    # clear empties the list and the URL
    page.locator("#participants-clear").click()
    title.filter(has_text=re.compile(r"^Learners$")).wait_for()  # has_text alone would match "11 learners"
    wait_until(page, "!window.location.search.includes('bucket=')")
    assert errors == []
    context.close()


def test_export_cohort_progress_button(server, browser, tmp_path):
    session, _ = _flagship(server.engine)
    context = server.new_context(browser, accept_downloads=True)
    page = context.new_page()
    goto(page, f"{server}/participants?session={session}")
    page.wait_for_selector(BARS)
    with page.expect_download() as download:
        page.locator("#participants-export").click()
    assert download.value.suggested_filename == f"cohort-progress-{session}.csv"
    out = tmp_path / "cli.csv"
    cli.run(["export", "cohort-progress", "--session", session, "--now", NOW.isoformat(), "-o", str(out)],
             env={"DATABASE_URL": server.db_url, "PATH": ""}).check_returncode()
    assert download.value.path().read_bytes() == out.read_bytes()
    context.close()
