"""Program sessions in a real browser (headless Chromium): the sessions table opens a session; clicking a
level band lists exactly its learners; a learner row opens their blocks; the session CSV downloaded by
the button is the `learnpulse export session` file."""

from __future__ import annotations

import re

import pytest

from data_access.queries import collaboration
from data_access.queries import sessions as q
from data_access.scope import Scope
from tests import cli
from tests.browser import NOW, goto, wait_until

pytestmark = pytest.mark.browser
OWNER = Scope.owner()


def _busiest_session(engine) -> tuple[str, int, list[str]]:
    """The session with the most attendees, its fullest level band and that band's learners."""
    with engine.connect() as conn:
        best = max(q.sessions_table(conn, OWNER, NOW), key=lambda r: (r["registered"], r["session_id"]))
        g = q.general(conn, OWNER, NOW, best["session_id"])
        band = max(range(5), key=lambda i: g["levels"][i]["learners"])
        rows = q.individual_page(conn, OWNER, NOW, best["session_id"], band=band, end=1000)["rows"]
    return best["session_id"], band, [f"{r['first_name']} {r['last_name']}" for r in rows]


def test_sessions_table_opens_a_session(server, browser):
    page = server.new_page(browser)
    goto(page, server + "/sessions")
    page.wait_for_selector("#sessions-grid .ag-row")
    page.locator("label", has_text="All").click()
    with server.engine.connect() as conn:
        total = len(q.sessions_table(conn, OWNER, NOW))
    page.locator("#sessions-count").filter(has_text=f"{total:,} sessions").wait_for()
    link = page.locator('#sessions-grid [col-id="name"] a').first
    name = link.inner_text()
    link.click()
    page.wait_for_selector("h2.lp-title")
    assert page.locator("h2.lp-title").inner_text() == name
    page.close()


def test_sessions_list_searches_and_pages_on_the_server(server, browser):
    default = [{"colId": "program", "sort": "asc"}, {"colId": "start", "sort": "desc"}]
    with server.engine.connect() as conn:
        total = q.sessions_page(conn, OWNER, NOW, end=1)["total"]
        word = q.sessions_table(conn, OWNER, NOW)[0]["name"].split()[0]
        found = q.sessions_page(conn, OWNER, NOW, search=word, sort_model=default)
        running = q.sessions_page(conn, OWNER, NOW, status=q.IN_PROGRESS, end=1)["total"]
        running_found = q.sessions_page(conn, OWNER, NOW, status=q.IN_PROGRESS, search=word, end=1)["total"]
    assert 0 < found["total"] < total
    page = server.new_page(browser)
    goto(page, server + "/sessions?status=all")
    count = page.locator("#sessions-count")

    def says(text: str):
        count.filter(has_text=re.compile(f"^{re.escape(text)}$")).wait_for()

    says(f"{total:,} sessions")
    page.locator("#sessions-search").fill(word)  # searched on the server once typing pauses
    says(f"{found['total']:,} session{'s match' if found['total'] != 1 else ' matches'} the search")
    top = found["rows"][0]["session_id"]  # the first row of the grid's order (template, then latest start)
    page.locator(f'#sessions-grid .ag-center-cols-container .ag-row[row-index="0"][row-id="{top}"]').wait_for()
    shown = page.evaluate("Array.from(document.querySelectorAll('#sessions-grid .ag-center-cols-container "
                          ".ag-row')).map(r => r.getAttribute('row-id'))")
    assert shown and set(shown) <= {r["session_id"] for r in found["rows"]}
    page_count = page.locator("#sessions-grid .ag-paging-row-summary-panel")
    page_count.filter(has_text=f"of {found['total']:,}").wait_for()
    page.locator("label", has_text="In progress").click()
    says(f"{running_found:,} session{'s match' if running_found != 1 else ' matches'} the search")
    page.locator("#sessions-search").fill("")
    says(f"{running:,} session{'s' if running != 1 else ''}")
    assert page.locator("#sessions-download").get_attribute("href") == "/download/sessions.csv?status=in-progress"
    page.close()


def test_level_band_learner_detail_and_session_csv(server, browser, tmp_path):
    session, band, expected = _busiest_session(server.engine)
    assert expected, "the demo's busiest session has scored attendees"
    context = server.new_context(browser, accept_downloads=True, viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    goto(page, f"{server}/sessions/{session}")
    page.wait_for_selector("#session-levels-chart g.point path", state="attached")
    page.locator("#session-levels-chart g.point path").nth(band).click(force=True)
    page.locator("#session-people-title").filter(has_text=q.LEVEL_BANDS[band]).wait_for()
    names = ("Array.from(document.querySelectorAll('#session-people-grid .ag-center-cols-container .ag-row'))"
             ".map(r => r.querySelector('[col-id=\"first_name\"]').innerText + ' ' + "
             "r.querySelector('[col-id=\"last_name\"]').innerText)")
    summary = page.locator("#session-people-grid .ag-paging-row-summary-panel")
    summary.filter(has_text=f"of {len(expected):,}").wait_for()  # the grid's count of all rows
    wait_until(page, f"{names}.filter(n => n.trim()).length > 0")
    shown = [n for n in page.evaluate(names) if n.strip()]
    assert set(shown) <= set(expected)

    # a learner opens their results per block
    page.locator('#session-people-grid .ag-center-cols-container [col-id="last_name"]').first.click()
    page.locator(".modal-title").filter(has_text="results per block").wait_for()
    with server.engine.connect() as conn:
        n_blocks = len(q.session_info(conn, OWNER, NOW, session)["blocks"])
    assert page.locator(".modal-body tbody tr").count() == n_blocks
    page.keyboard.press("Escape")

    # Download -> Now is the command's file, byte for byte
    with page.expect_download() as download:
        page.locator("#session-download").click()
    out = tmp_path / "cli.csv"
    done = cli.run(["export", "session", "--session", session, "--now", NOW.isoformat(), "-o", str(out)],
                   env={"DATABASE_URL": server.db_url, "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert download.value.path().read_bytes() == out.read_bytes()
    assert errors == []
    context.close()


def test_results_by_group_page_in_sql_and_a_group_lists_its_learners(server, browser):
    session = _busiest_session(server.engine)[0]
    with server.engine.connect() as conn:
        groups = q.results_by_group_page(conn, OWNER, NOW, session)
    first = groups["rows"][0]
    page = server.new_page(browser)
    goto(page, f"{server}/sessions/{session}")
    page.locator("#session-groups-grid .ag-paging-row-summary-panel").filter(
        has_text=f"of {groups['total']:,}").wait_for()
    page.locator(f'#session-groups-grid .ag-row[row-id="{first["group_id"]}"] [col-id="group"]').click()
    page.locator("#session-people-title").filter(has_text=f"Only {first['group']}").wait_for()
    page.locator("#session-people-grid .ag-paging-row-summary-panel").filter(
        has_text=f"of {first['users']:,}").wait_for()
    page.close()


def test_program_template_and_collaboration_tab(server, browser):
    with server.engine.connect() as conn:
        program = q.sessions_table(conn, OWNER, NOW)[0]["program_id"]
        expected = q.program_overview(conn, OWNER, NOW, program)
        collab = collaboration.sessions_rows(conn, OWNER, NOW)
    page = server.new_page(browser)
    goto(page, f"{server}/sessions/program/{program}")
    page.locator("h2.lp-title").filter(has_text=expected["name"]).wait_for()
    page.wait_for_selector("#program-grid .ag-row")
    assert page.locator("#program-grid .ag-center-cols-container .ag-row").count() == len(expected["sessions"])
    goto(page, f"{server}/sessions")
    page.get_by_role("link", name="Collaborative activity per session").click()  # moved to its section's tab
    page.wait_for_url("**/collaboration/sessions")
    page.wait_for_selector("#sessions-collab-grid .ag-row")
    summary = page.locator("#sessions-collab-grid .ag-paging-row-summary-panel")
    summary.filter(has_text=f"of {len(collab):,}").wait_for()
    page.close()
