"""The Program sessions list paged in SQL (sessions_page) and the cohort pickers' bounded choices, on SQLite and
PostgreSQL, with values computed by hand on the fixture (tests/fixture_bundle.py) widened to five sessions.

now = 2026-06-15 12:00 UTC. Programs p1 Onboarding, p2 Advanced. Sessions (group, start -> end, state):
  s1 p1 Onboarding June       g1  06-01 -> 07-01  in progress  u3, u4, u6 registered (u6 deleted), u3 completes
                                                               every block: registered 3, completed 1; instructor u7
  s2 p1 Onboarding September  g3  09-01 -> 10-01  upcoming     nobody
  s3 p2 Advanced Spring       g1  03-01 -> 04-01  finished     u3 (through g2)
  s4 p2 Advanced Summer       g3  06-10 -> 08-01  in progress  u3 (through g2), u5 (assigned); instructor u7
  s5 p1 Onboarding May        g2  05-01 -> 06-01  finished     u4 (assigned)
Viewers: the owner sees all; Cora, coach of g1 (users u2, u3, u4, u6 of g1 and g2), sees s1, s3, s5 (their group)
and s4 (u3's enrollment through g2), and counts only her users there (s4: u3 alone); Ivo, instructor of s1 and s4,
sees those two with every user.
"""

from __future__ import annotations

import pytest

from data_access.queries import at_risk, cohort_choices, participants, sessions, trends
from data_access.scope import Scope, scope_for_email
from tests import fixture_bundle as fb
from tests import snapshot

OWNER = Scope.owner()
NOW = fb.NOW
DEFAULT = [{"colId": "program", "sort": "asc"}, {"colId": "start", "sort": "desc"}]  # the grid's first request


def _bundle(folder, instructors: str = "s1,u7\ns4,u7\n"):
    return fb.write(folder, {
        "programs.csv": "program_id,name,kind,description\np1,Onboarding,program,Welcome program\n"
                        "p2,Advanced,program,\n",
        "sessions.csv": fb.FILES["sessions.csv"]
        + "s3,p2,Advanced Spring,2026-03-01,2026-04-01,u1,g1,,,\n"
          "s4,p2,Advanced Summer,2026-06-10,2026-08-01,u1,g3,,,\n"
          "s5,p1,Onboarding May,2026-05-01,2026-06-01,u1,g2,,,\n",
        "session_instructors.csv": "session_id,user_id\n" + instructors,
        "enrollments.csv": fb.FILES["enrollments.csv"]
        + "s3,u3,registered,group,g2,2026-02-20,\n"
          "s4,u3,registered,group,g2,2026-06-01,\n"
          "s4,u5,registered,assigned,,2026-06-01,\n"
          "s5,u4,registered,assigned,,2026-04-20,\n",
    })


@pytest.fixture
def five(engine, tmp_path):
    return snapshot.import_bundle(engine, _bundle(tmp_path / "five"))


def _page(engine, scope=OWNER, **kw):
    with engine.connect() as conn:
        if isinstance(scope, str):
            scope = scope_for_email(conn, scope)
        return sessions.sessions_page(conn, scope, NOW, **kw)


def _ids(page):
    return [r["session_id"] for r in page["rows"]]


def _figures(page):
    return [(r["session_id"], r["registered"], r["completed"], r["instructors"], r["state"]) for r in page["rows"]]


def test_the_default_order_and_every_figure(five):
    page = _page(five, sort_model=DEFAULT)
    assert page["total"] == 5
    # Advanced before Onboarding, each most recent start first
    assert _figures(page) == [("s4", 2, 0, 1, "in progress"), ("s3", 1, 0, 0, "finished"),
                              ("s2", 0, 0, 0, "upcoming"), ("s1", 3, 1, 1, "in progress"),
                              ("s5", 1, 0, 0, "finished")]
    assert page["rows"][0]["program"] == "Advanced" and page["rows"][0]["program_id"] == "p2"
    assert page["rows"][3]["name"] == "Onboarding June"
    # no sort: the Sessions table's order (most recent start first), the same lines as sessions_table
    plain = _page(five)
    assert _ids(plain) == ["s2", "s4", "s1", "s5", "s3"]
    with five.connect() as conn:
        assert plain["rows"] == sessions.sessions_table(conn, OWNER, NOW)


def test_sorted_on_a_count_every_session_is_counted(five):
    by_registered = _page(five, sort_model=[{"colId": "registered", "sort": "desc"}])
    # 3, 2, 1, 1, 0; the two 1s by the most recent start (s5 in May before s3 in March)
    assert _figures(by_registered) == [("s1", 3, 1, 1, "in progress"), ("s4", 2, 0, 1, "in progress"),
                                       ("s5", 1, 0, 0, "finished"), ("s3", 1, 0, 0, "finished"),
                                       ("s2", 0, 0, 0, "upcoming")]
    by_instructors = _page(five, sort_model=[{"colId": "instructors", "sort": "asc"}, *DEFAULT])
    assert _ids(by_instructors) == ["s3", "s2", "s5", "s4", "s1"]


def test_page_bounds(five):
    assert _ids(_page(five, sort_model=DEFAULT, start=2, end=4)) == ["s2", "s1"]
    last = _page(five, sort_model=DEFAULT, start=4, end=104)
    assert _ids(last) == ["s5"] and last["total"] == 5
    past = _page(five, sort_model=DEFAULT, start=100, end=200)
    assert past == {"total": 5, "rows": []}


def test_column_filters(five):
    def ids(filters, **kw):
        page = _page(five, sort_model=DEFAULT, filter_model=filters, **kw)
        return _ids(page), page["total"]

    assert ids({"registered": {"filterType": "number", "type": "greaterThan", "filter": 1}}) == (["s4", "s1"], 2)
    assert ids({"completed": {"filterType": "number", "type": "equals", "filter": 1}}) == (["s1"], 1)
    assert ids({"program": {"filterType": "text", "type": "contains", "filter": "ADV"}}) == (["s4", "s3"], 2)
    assert ids({"state": {"filterType": "text", "type": "equals", "filter": "finished"}}) == (["s3", "s5"], 2)
    assert ids({"session_id": {"filterType": "text", "type": "notEqual", "filter": "s1"}})[1] == 4
    assert ids({"name": {"filterType": "text", "type": "startsWith", "filter": "onboarding j"}}) == (["s1"], 1)
    # dates: whole days in the time zone the list shows them in (s1 starts 2026-06-01 00:00 UTC)
    before = {"start": {"filterType": "date", "type": "lessThan", "dateFrom": "2026-05-15 00:00:00"}}
    assert ids(before) == (["s3", "s5"], 2)
    june_first = {"start": {"filterType": "date", "type": "equals", "dateFrom": "2026-06-01 00:00:00"}}
    assert ids(june_first) == (["s1"], 1)
    assert ids(june_first, tz="America/New_York") == ([], 0)  # there it starts on 31 May, 20:00
    may_31 = {"start": {"filterType": "date", "type": "equals", "dateFrom": "2026-05-31 00:00:00"}}
    assert ids(may_31, tz="America/New_York") == (["s1"], 1)
    # inRange leaves both ends out, as AG Grid's own date filter does: ends strictly between 1 June and 1 August
    ending = {"end": {"filterType": "date", "type": "inRange", "dateFrom": "2026-06-01", "dateTo": "2026-08-01"}}
    assert ids(ending) == (["s1"], 1)
    after = {"end": {"filterType": "date", "type": "greaterThan", "dateFrom": "2026-07-01"}}
    assert ids(after) == (["s4", "s2"], 2)
    with pytest.raises(ValueError):
        _page(five, filter_model={"start": {"filterType": "date", "type": "equals", "dateFrom": "soon"}})
    with pytest.raises(ValueError):
        _page(five, filter_model={"nope": {"filterType": "text", "type": "contains", "filter": "x"}})


def test_status_and_search(five):
    assert _ids(_page(five, status=sessions.IN_PROGRESS, sort_model=DEFAULT)) == ["s4", "s1"]
    assert _ids(_page(five, status=sessions.FINISHED, sort_model=DEFAULT)) == ["s3", "s5"]
    # every word somewhere in the template, the name, the id or the status, ignoring case
    assert _ids(_page(five, search="onboarding SEP", sort_model=DEFAULT)) == ["s2"]
    assert _ids(_page(five, search="progress", sort_model=DEFAULT)) == ["s4", "s1"]
    assert _ids(_page(five, search="S3")) == ["s3"]
    assert _ids(_page(five, search="advanced", status=sessions.FINISHED)) == ["s3"]
    assert _page(five, search="50%") == {"total": 0, "rows": []}  # LIKE's wildcards are text
    with pytest.raises(ValueError):
        _page(five, status="soon")


def test_a_viewer_sees_only_their_sessions_and_users(five):
    coach = _page(five, "cora@example.com", sort_model=DEFAULT)
    # s2 (Ops) is not hers; in s4 she counts u3, not u5
    assert _figures(coach) == [("s4", 1, 0, 1, "in progress"), ("s3", 1, 0, 0, "finished"),
                               ("s1", 3, 1, 1, "in progress"), ("s5", 1, 0, 0, "finished")]
    counted = _page(five, "cora@example.com", sort_model=[{"colId": "registered", "sort": "desc"}])
    assert _figures(counted) == [("s1", 3, 1, 1, "in progress"), ("s4", 1, 0, 1, "in progress"),
                                 ("s5", 1, 0, 0, "finished"), ("s3", 1, 0, 0, "finished")]
    # an id outside the scope is not found by the search, a filter or a count
    assert _page(five, "cora@example.com", search="s2")["total"] == 0
    assert _page(five, "cora@example.com", filter_model={
        "session_id": {"filterType": "text", "type": "equals", "filter": "s2"}})["total"] == 0
    assert _page(five, "cora@example.com", filter_model={
        "registered": {"filterType": "number", "type": "lessThan", "filter": 1}})["total"] == 0
    instructor = _page(five, "ivo@example.com", sort_model=DEFAULT)
    assert _figures(instructor) == [("s4", 2, 0, 1, "in progress"), ("s1", 3, 1, 1, "in progress")]
    learner = _page(five, "lea@example.com")
    assert learner == {"total": 0, "rows": []}


def test_a_coach_who_also_instructs_counts_every_user_of_the_sessions_taught(engine, tmp_path):
    """Cora also instructs s4: there she sees u5 too (2 registered); elsewhere only her groups' users."""
    snapshot.import_bundle(engine, _bundle(tmp_path / "taught", "s1,u7\ns4,u7\ns4,u2\n"))
    shown = _page(engine, "cora@example.com", sort_model=DEFAULT)
    assert _figures(shown) == [("s4", 2, 0, 2, "in progress"), ("s3", 1, 0, 0, "finished"),
                               ("s1", 3, 1, 1, "in progress"), ("s5", 1, 0, 0, "finished")]
    counted = _page(engine, "cora@example.com", sort_model=[{"colId": "registered", "sort": "desc"}])
    # counted over every session (the sort): the same figures as counted for the rows shown
    assert counted["rows"] == [shown["rows"][i] for i in (2, 0, 3, 1)]
    with engine.connect() as conn:
        program = sessions.program_overview(conn, scope_for_email(conn, "cora@example.com"), NOW, "p2")
    assert [(s["session_id"], s["registered"]) for s in program["sessions"]] == [("s4", 2), ("s3", 1)]
    assert (program["registrations"], program["attendees"], program["completed"]) == (3, 0, 0)


def test_a_program_templates_sessions_are_counted_alone(five):
    with five.connect() as conn:
        advanced = sessions.program_overview(conn, OWNER, NOW, "p2")
        coach = sessions.program_overview(conn, scope_for_email(conn, "cora@example.com"), NOW, "p2")
    assert [(s["session_id"], s["registered"], s["instructors"]) for s in advanced["sessions"]] == [
        ("s4", 2, 1), ("s3", 1, 0)]
    assert advanced["registrations"] == 3
    assert [(s["session_id"], s["registered"]) for s in coach["sessions"]] == [("s4", 1), ("s3", 1)]


# --- the cohort pickers: a bounded read -----------------------------------------------------------------------
def _cohorts(engine, query, scope=OWNER, **kw):
    with engine.connect() as conn:
        return [c["session_id"] for c in query(conn, scope, NOW, **kw)]


def test_participants_picker_first_cohorts_search_and_kept(five):
    # running (most recent start first), upcoming (soonest first), finished (most recently ended first)
    assert _cohorts(five, participants.cohorts) == ["s4", "s1", "s2", "s5", "s3"]
    assert _cohorts(five, participants.cohorts, limit=2) == ["s4", "s1"]
    assert _cohorts(five, participants.cohorts, limit=2, keep=["s3"]) == ["s4", "s1", "s3"]
    assert _cohorts(five, participants.cohorts, limit=2, keep=["s1", "nope"]) == ["s4", "s1"]
    assert _cohorts(five, participants.cohorts, search="ONBOARDING", limit=2) == ["s1", "s2"]
    assert _cohorts(five, participants.cohorts, search="s5", limit=2, keep=["s4"]) == ["s4", "s5"]
    assert _cohorts(five, participants.cohorts, limit=0, keep=["s2"]) == ["s2"]
    with five.connect() as conn:
        coach = scope_for_email(conn, "cora@example.com")
        assert participants.default_cohort_id(conn, OWNER, NOW) == "s4"  # the most recently started running one
        assert participants.default_cohort_id(conn, coach, NOW) == "s4"
        assert participants.default_cohort(participants.cohorts(conn, OWNER, NOW)) == "s4"
    assert _cohorts(five, participants.cohorts, scope=coach, limit=0, keep=["s2"]) == []  # not hers


def test_the_default_cohort_when_none_is_running(five):
    later = NOW.replace(year=2026, month=8, day=15)  # s4 and s1 finished, s2 upcoming
    with five.connect() as conn:
        assert participants.default_cohort_id(conn, OWNER, later) == "s4"  # ended 1 August: most recently finished
        listed = participants.cohorts(conn, OWNER, later)
        assert [c["session_id"] for c in listed] == ["s2", "s4", "s1", "s5", "s3"]
        assert participants.default_cohort(listed) == "s4"


def test_at_risk_and_compare_pickers(five):
    assert _cohorts(five, at_risk.running_cohorts) == ["s4", "s1"]
    assert _cohorts(five, at_risk.running_cohorts, limit=0, keep=["s1"]) == ["s1"]
    assert _cohorts(five, at_risk.running_cohorts, limit=0, keep=["s3"]) == []  # finished: not offered
    assert _cohorts(five, at_risk.running_cohorts, search="june", limit=5) == ["s1"]
    # started ones, most recent start first
    assert _cohorts(five, trends.comparable_cohorts) == ["s4", "s1", "s5", "s3"]
    assert _cohorts(five, trends.comparable_cohorts, limit=1, keep=["s3", "s2"]) == ["s4", "s3"]  # s2: not started
    assert _cohorts(five, trends.comparable_cohorts, search="spring", limit=1) == ["s3"]


def test_choose_escapes_what_is_typed(five):
    from sqlalchemy import select

    from data_access import schema

    s = schema.sessions
    with five.connect() as conn:
        rows = cohort_choices.choose(conn, select(s.c.session_id), [s.c.session_id], search="_", limit=10)
        assert rows == []  # no id or name holds an underscore; LIKE's _ is not a wildcard here


# --- the callbacks and layouts, as the browser calls them ----------------------------------------------------------
@pytest.fixture
def app(five, tmp_path):
    from dashboard.core.settings import Settings
    from dashboard.factory import create_app

    url = five.url.render_as_string(hide_password=False)
    return create_app(Settings.from_env(env={}, database_url=url, now_override=NOW, seed_demo_on_empty=False,
                                        data_dir=tmp_path))


def _answer(client, app, output, inputs, state=None) -> dict:
    from tests.dashcalls import payload

    response = client.post("/_dash-update-component", json=payload(app, output, inputs, state))
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]


def test_the_list_callback_count_line_and_empty_states(app):
    import json

    from dashboard.core.ids import ProgramSessions as ID
    from tests.signing import signed_in_client

    client = signed_in_client(app)

    def rows(status, search=None, filters=None):
        request = {"startRow": 0, "endRow": 100, "sortModel": DEFAULT, "filterModel": filters or {}}
        out = _answer(client, app, ID.GRID, {f"{ID.GRID}.getRowsRequest": request},
                      {f"{ID.STATUS}.value": status, f"{ID.SEARCH}.value": search})
        return out[ID.GRID]["getRowsResponse"], out[ID.COUNT]["children"], json.dumps(out[ID.MESSAGE]["children"])

    grid, count, message = rows("all")
    assert grid["rowCount"] == 5 and count == "5 sessions" and message == "null"
    assert [r["session_id"] for r in grid["rowData"]] == ["s4", "s3", "s2", "s1", "s5"]
    first = grid["rowData"][0]
    assert first["name_link"] == "[Advanced Summer](/sessions/s4)"
    assert first["program_link"] == "[Advanced](/sessions/program/p2)"
    assert (first["start"], first["end"], first["registered"]) == ("2026/06/10 00:00", "2026/08/01 00:00", 2)
    assert rows("in-progress")[1] == "2 sessions"
    assert rows("all", search="  june ")[1] == "1 session matches the search"
    registered = {"registered": {"filterType": "number", "type": "greaterThan", "filter": 0}}
    assert rows("all", filters=registered)[1] == "4 sessions match the filters"
    assert rows("all", search="onboarding", filters=registered)[1] == "2 sessions match the search and the filters"
    grid, count, message = rows("all", search="zzz")
    assert grid == {"rowData": [], "rowCount": 0} and count == "0 sessions match the search"
    assert "No session matches the search or the column filters." in message
    grid, count, message = rows("soon")
    assert grid["rowCount"] == 0 and count is None and "Choose which sessions to list" in message
    href = _answer(client, app, ID.DOWNLOAD, {f"{ID.STATUS}.value": "finished"})[ID.DOWNLOAD]["href"]
    assert href == "/download/sessions.csv?status=finished"  # every finished session: the search does not narrow it


def _options(content: str, ident: str) -> tuple[list, object]:
    """The options and value of the dropdown `ident` in a rendered layout (JSON)."""
    import json

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == ident:
                return props
            return next((found for v in node.values() if (found := walk(v)) is not None), None)
        if isinstance(node, list):
            return next((found for v in node if (found := walk(v)) is not None), None)
        return None

    props = walk(json.loads(content))
    return [o["value"] for o in props["options"]], props["value"]


def test_the_pickers_open_with_their_first_cohorts_and_the_chosen_ones(app, monkeypatch):
    from callbacks import cohorts as picker
    from dashboard.core.ids import Compare, Participants
    from layouts import at_risk as at_risk_layout
    from layouts import compare
    from layouts import participants as participants_layout
    from tests.signing import page_content, signed_in_client

    for module in (participants_layout, at_risk_layout, compare, picker):
        monkeypatch.setattr(module, "OPTIONS_SHOWN", 2)
    client = signed_in_client(app)
    assert _options(page_content(client, app, "/participants"), Participants.COHORT) == (["s4", "s1"], "s4")
    assert _options(page_content(client, app, "/participants", "?session=s3"), Participants.COHORT) == (
        ["s4", "s1", "s3"], "s3")
    assert _options(page_content(client, app, "/participants", "?session=zz"), Participants.COHORT) == (
        ["s4", "s1"], "s4")
    assert _options(page_content(client, app, "/compare", "?session=s3&session=s5"), Compare.PICK) == (
        ["s4", "s1", "s5", "s3"], ["s3", "s5"])
    found = _answer(client, app, Compare.PICK, {f"{Compare.PICK}.search_value": "spring"},
                    {f"{Compare.PICK}.value": ["s4", "s1"]})[Compare.PICK]["options"]
    assert [o["value"] for o in found] == ["s4", "s1", "s3"]
    assert found[2]["label"] == "Advanced Spring · from 2026/03/01"
    found = _answer(client, app, Participants.COHORT, {f"{Participants.COHORT}.search_value": "onboarding"},
                    {f"{Participants.COHORT}.value": "s4"})[Participants.COHORT]["options"]
    assert [o["value"] for o in found] == ["s4", "s1", "s2"]


@pytest.mark.parametrize("condition", [
    {"filterType": "date", "type": "equals", "dateFrom": 20260601},
    {"filterType": "date", "type": "equals", "dateFrom": "2026-06-01" + "x" * 100},
    {"filterType": "date", "type": "equals", "dateFrom": "2026-06-01\x00"},
    {"filterType": "date", "type": "inRange", "dateFrom": "2026-06-01", "dateTo": ["2026-07-01"]},
])
def test_a_date_filter_is_read_whole_or_refused(condition):
    from data_access.grid_filters import read_request

    with pytest.raises(ValueError):
        read_request({"startRow": 0, "endRow": 100, "filterModel": {"start": condition}})
    assert read_request({"filterModel": {"start": {"filterType": "date", "type": "lessThan",
                                                   "dateFrom": "2026-06-01 00:00:00"}}})["filter_model"]


@pytest.mark.parametrize("email", [None, "cora@example.com", "ivo@example.com"])
def test_every_sessions_counts_read_from_the_viewers_kept_key_equal_the_counted_ones(five, email):
    """A sort on a count reads Registered and Completion of every session from the cohort facts of the viewer's key
    (the owner and Ivo: PLATFORM; Cora: g1): the same figures, session by session, as counted over session_users."""
    with five.connect() as conn:
        scope = OWNER if email is None else scope_for_email(conn, email)
        kept = {r.session_id: (r.registered, r.completed) for r in conn.execute(sessions._every_count(conn, scope))}
        counted = {r.session_id: (r.registered, r.completed) for r in conn.execute(sessions._counts(scope))}
        assert "scope_session_kpis" in str(sessions._every_count(conn, scope))
    seen = _ids(_page(five, email or OWNER))  # (the list joins the counts to the sessions the viewer sees)
    assert {i: kept.get(i) for i in seen} == {i: counted.get(i) for i in seen}
    assert kept["s1"] == (3, 1)
