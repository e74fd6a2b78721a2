"""Group statistics on the hand-made fixture tests/groups_bundle.py (read its docstring), SQLite and PostgreSQL.

Sales EMEA (ge) by hand: its subtree is ge + gp; its learners l1, l2, l3 (once, though also a coach), l4
(deleted: history counts); its sessions s1, s4, s6, s7 (catalog), s2, s5 (catalog of the descendant gp) and
s3 (reached only through l1's enrollment group_id ge) — not s8 (Ops) nor s9 (Sales North America).
"""

from __future__ import annotations

import pytest

from data_access.importer import import_bundle
from data_access.queries import groups as q
from data_access.scope import Scope, scope_for_email
from tests import cli
from tests import groups_bundle as gb
from tests.signing import page_content, signed_in_client

OWNER = Scope.owner()
NOW = gb.NOW


@pytest.fixture
def grouped(engine, tmp_path):
    import_bundle(engine, gb.write(tmp_path / "groups"))
    return engine


def test_tree_counts_current_members_and_learners_of_each_subtree(grouped):
    with grouped.connect() as conn:
        tree = {r["group_id"]: r for r in q.group_tree(conn, OWNER, NOW)}
    assert [tree[g]["parent_id"] for g in ("g0", "gs", "ge", "gp", "gn", "go", "gz")] == [
        None, "g0", "gs", "ge", "gs", "g0", "go"]
    counts = {g: (r["members"], r["learners"], r["sessions"], r["level"]) for g, r in tree.items()}
    assert counts == {
        "g0": (10, 6, 9, 0),  # ad cs ce in l1 l2 l3 l5 l7 l8 (not the deleted l4); learners l1 l2 l3 l5 l7 l8
        "gs": (7, 5, 8, 1),  # cs ce l1 l2 l3 l5 l8; sessions: all but s8
        "ge": (5, 4, 7, 2),  # ce l1 l2 l3 l8 (l3 once: learner in ge and gp, coach in gp)
        "gp": (2, 2, 2, 3),  # l2 l3; s2 s5 (not s1, although l2 is in it: s1 is ge's)
        "gn": (1, 1, 1, 2), "go": (1, 1, 1, 1), "gz": (0, 0, 0, 2)}


def test_sessions_table_of_a_group(grouped):
    with grouped.connect() as conn:
        rows = q.sessions_rows(conn, OWNER, NOW, "ge")
        page = q.sessions_page(conn, OWNER, NOW, "ge", end=3)
        by_score = q.sessions_page(conn, OWNER, NOW, "ge", sort_model=[{"colId": "score", "sort": "desc"}])
        filtered = q.sessions_page(conn, OWNER, NOW, "ge", filter_model={
            "learners": {"filterType": "number", "type": "greaterThan", "filter": 1}})
    assert [(r["session_id"], r["learners"], r["attendance"]) for r in rows] == [
        ("s6", 1, 0), ("s1", 4, 3), ("s2", 1, 1), ("s7", 0, 0), ("s3", 1, 0), ("s5", 1, 1), ("s4", 1, 1)]
    s1 = rows[1]
    assert s1["progress"] == pytest.approx(50.0)  # (100 + 100 + 0 + 0) / 4: l4 (deleted) counts, l7 / ce / l8 not
    assert s1["score"] == pytest.approx((75 + 70 + 40) / 3)  # l4 has no score
    assert (rows[3]["progress"], rows[3]["score"]) == (None, None)  # s7: no learner
    assert (rows[4]["progress"], rows[4]["score"]) == (0.0, None)  # s3: l1 registered through the group, idle
    assert page["total"] == 7 and [r["session_id"] for r in page["rows"]] == ["s6", "s1", "s2"]
    assert [r["session_id"] for r in by_score["rows"]] == ["s2", "s1", "s5", "s6", "s7", "s3", "s4"]
    assert [r["session_id"] for r in filtered["rows"]] == ["s1"]


def test_platform_group_counts_every_learner_once(grouped):
    with grouped.connect() as conn:
        rows = {r["session_id"]: r for r in q.sessions_rows(conn, OWNER, NOW, "g0")}
        gp = [r["session_id"] for r in q.sessions_rows(conn, OWNER, NOW, "gp")]
    assert len(rows) == 9 and gp == ["s2", "s5"]
    s1 = rows["s1"]  # l1 l2 l3 l4 l7 (the coach ce and the waiting l8 are not registered learners)
    assert (s1["learners"], s1["attendance"]) == (5, 4)
    assert s1["progress"] == pytest.approx((100 + 100 + 0 + 0 + 100 / 3) / 5)
    assert s1["score"] == pytest.approx((75 + 70 + 40 + 70) / 4)
    assert (rows["s3"]["learners"], rows["s9"]["learners"], rows["s8"]["attendance"]) == (2, 1, 0)


def test_rates_blended_and_ongoing_months(grouped):
    with grouped.connect() as conn:
        ge = q.group_statistics(conn, OWNER, NOW, "ge")
        paris = q.group_statistics(conn, OWNER, NOW, "ge", tz="Europe/Paris")
        gp = q.group_statistics(conn, OWNER, NOW, "gp")
    # last 12 months: s1 s2 s3 s5 s7 (s4 ends exactly on the edge, s6 has not started)
    assert (ge["sessions"], ge["sessions_12"], ge["blended"], ge["online"]) == (7, 5, 1, 4)  # s1 has a classroom
    # pairs: s1 4 (3 started, l1 + l2 completed, only l1 verified: l2 failed the assessment), s2 1 (1, 1, 1),
    # s3 1 (0, 0, 0), s5 1 (1, 0, 0)
    assert (ge["pairs"], ge["started"], ge["completed"], ge["verified"]) == (7, 5, 3, 2)
    assert ge["attendance_pct"] == pytest.approx(500 / 7)
    assert ge["completion_pct"] == pytest.approx(300 / 7)
    assert ge["success_pct"] == pytest.approx(200 / 7)
    assert [m["label"] for m in ge["months"]][::11] == ["Jul 2025", "Jun 2026"]
    # s3 Sep+Oct; s7 Jan only (ends at 1 Feb 00:00 UTC); s2 Mar only (starts at 1 Mar 00:00, ends at 1 Apr
    # 00:00); s1 May+Jun; s6 Jun (starts tomorrow); s4 and s5 ended before July 2025
    assert [m["sessions"] for m in ge["months"]] == [0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 2]
    # in Paris, 1 Feb 00:00 UTC is 01:00 on 1 Feb, 1 Apr 00:00 UTC is 02:00 on 1 Apr: s7 and s2 reach them
    assert [m["sessions"] for m in paris["months"]] == [0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 2]
    assert (gp["pairs"], gp["attendance_pct"], gp["completion_pct"], gp["success_pct"]) == (2, 100.0, 50.0, 50.0)


def test_group_without_session_has_no_rate(grouped):
    with grouped.connect() as conn:
        gz = q.group_statistics(conn, OWNER, NOW, "gz")
        assert q.sessions_rows(conn, OWNER, NOW, "gz") == []
        assert q.sessions_page(conn, OWNER, NOW, "gz") == {"total": 0, "rows": []}
    assert (gz["sessions"], gz["sessions_12"], gz["pairs"]) == (0, 0, 0)
    assert (gz["attendance_pct"], gz["completion_pct"], gz["success_pct"]) == (None, None, None)
    assert [m["sessions"] for m in gz["months"]] == [0] * 12


def test_breadcrumbs_and_sub_groups(grouped):
    with grouped.connect() as conn:
        gp = q.group_info(conn, OWNER, NOW, "gp")
        gs = q.group_info(conn, OWNER, NOW, "gs")
        with pytest.raises(LookupError, match="no group 'nope'"):
            q.group_info(conn, OWNER, NOW, "nope")
    assert [p["name"] for p in gp["path"]] == ["Platform", "Sales", "Sales EMEA"]
    assert (gp["name"], gp["level"], gp["learners"], gp["children"]) == ("Sales Paris", 3, 2, [])
    assert [(c["group_id"], c["learners"]) for c in gs["children"]] == [("ge", 4), ("gn", 1)]


def test_drill_down_to_learners_and_blocks(grouped):
    with grouped.connect() as conn:
        people = q.session_learners_page(conn, OWNER, NOW, "ge", "s1")
        by_score = q.session_learners_page(conn, OWNER, NOW, "ge", "s1",
                                           sort_model=[{"colId": "score", "sort": "asc"}])
        via_group = q.session_learners_page(conn, OWNER, NOW, "ge", "s3")
        bob = q.learner_blocks(conn, OWNER, NOW, "ge", "s1", "l2")
        with pytest.raises(LookupError):
            q.learner_blocks(conn, OWNER, NOW, "ge", "s1", "l7")  # in s1, but an Ops learner
        with pytest.raises(LookupError):
            q.session_learners_page(conn, OWNER, NOW, "ge", "s8")  # not a session of ge
    assert [(r["user_id"], r["progress"], r["score"], r["time_spent_s"], r["deleted"]) for r in people["rows"]] == [
        ("l1", 100.0, 75.0, 1800, False), ("l2", 100.0, 70.0, 1200, False), ("l3", 0.0, 40.0, 600, False),
        ("l4", 0.0, None, 0, True)]
    assert [r["user_id"] for r in by_score["rows"]] == ["l4", "l3", "l2", "l1"]
    assert [r["user_id"] for r in via_group["rows"]] == ["l1"]  # l5 is in s3 too, but a learner of gn
    assert (bob["first_name"], bob["last_name"]) == ("Bob", "Baker")
    assert [(b["block_id"], b["status"], b["score"]) for b in bob["blocks"]] == [
        ("k1", "Completed", 90.0), ("k2", "Failed", 50.0), ("k3", "Completed", None)]


def test_scopes(grouped):
    with grouped.connect() as conn:
        ce = scope_for_email(conn, "ce@ex.com")  # coach of Sales EMEA
        cs = scope_for_email(conn, "cs@ex.com")  # coach of Sales
        l3 = scope_for_email(conn, "l3@ex.com")  # learner, and coach of Sales Paris
        teacher = scope_for_email(conn, "in@ex.com")  # instructor of s1 only
        admin = scope_for_email(conn, "ad@ex.com")  # admin of the platform group: the owner
        assert admin.is_owner
        assert [(r["group_id"], r["parent_id"]) for r in q.group_tree(conn, ce, NOW)] == [("ge", None), ("gp", "ge")]
        assert {r["group_id"] for r in q.group_tree(conn, cs, NOW)} == {"gs", "ge", "gp", "gn"}
        assert [r["group_id"] for r in q.group_tree(conn, l3, NOW)] == ["gp"]
        assert q.group_tree(conn, teacher, NOW) == []
        for parent in ("gs", "g0", "go"):  # a coach of a subgroup cannot open the parent group: not found
            with pytest.raises(LookupError, match=f"no group '{parent}' visible to this user"):
                q.group_info(conn, ce, NOW, parent)
            with pytest.raises(LookupError):
                q.group_statistics(conn, ce, NOW, parent)
            with pytest.raises(LookupError):
                q.sessions_rows(conn, ce, NOW, parent)
        with pytest.raises(LookupError, match="no group 'nope' visible to this user"):  # the same answer
            q.group_info(conn, ce, NOW, "nope")
        with pytest.raises(LookupError):
            q.group_info(conn, teacher, NOW, "ge")
        # the coach sees the group exactly as the owner: its learners are all theirs
        assert q.group_statistics(conn, ce, NOW, "ge") == q.group_statistics(conn, OWNER, NOW, "ge")
        assert q.sessions_rows(conn, ce, NOW, "ge") == q.sessions_rows(conn, OWNER, NOW, "ge")
        assert [p["group_id"] for p in q.group_info(conn, ce, NOW, "gp")["path"]] == ["ge"]  # from their top
        # s3 is in the platform's catalog: the coach reaches it (and l1's blocks) through the group
        assert q.session_learners_page(conn, ce, NOW, "ge", "s3")["total"] == 1
        assert q.learner_blocks(conn, ce, NOW, "ge", "s3", "l1")["blocks"][0]["status"] == "Not started"


GE_CSV = (
    "\ufeffProgram session,Session ID,Start,End,Learners,Attendance,Progress,Score\r\n"
    "Future Cohort,s6,2026/06/16 00:00,2026/08/01 00:00,1,0,0,\r\n"
    "EMEA Catalog,s1,2026/05/01 00:00,2026/07/01 00:00,4,3,50,61.7\r\n"
    "Paris Deep Dive,s2,2026/03/01 00:00,2026/04/01 00:00,1,1,100,100\r\n"
    "'=Winter Gap,s7,2026/01/10 00:00,2026/02/01 00:00,0,0,,\r\n"
    '"Global, via group",s3,2025/09/01 00:00,2025/10/15 00:00,1,0,0,\r\n'
    "Edge Inside,s5,2025/05/01 00:00,2025/06/15 13:00,1,1,0,60\r\n"
    "Edge Outside,s4,2025/04/01 00:00,2025/06/15 12:00,1,1,100,\r\n"
)


def test_group_sessions_csv(grouped):
    """Every value by hand: most recent start first; the formula guard on '=Winter Gap'; a comma quoted; empty
    Progress and Score without learners, empty Score without any score; dates in the time zone."""
    from data_access.exports.groups import group_sessions

    with grouped.connect() as conn:
        assert "".join(group_sessions(conn, OWNER, NOW, "UTC", "ge")) == GE_CSV
        paris = "".join(group_sessions(conn, OWNER, NOW, "Europe/Paris", "gp")).splitlines()
        assert paris[1:] == ["Paris Deep Dive,s2,2026/03/01 01:00,2026/04/01 02:00,1,1,100,100",
                             "Edge Inside,s5,2025/05/01 02:00,2025/06/15 15:00,1,1,0,60"]
        assert "".join(group_sessions(conn, OWNER, NOW, "UTC", "gz")).splitlines() == [
            "\ufeffProgram session,Session ID,Start,End,Learners,Attendance,Progress,Score"]
        with pytest.raises(LookupError):
            "".join(group_sessions(conn, scope_for_email(conn, "ce@ex.com"), NOW, "UTC", "gs"))


@pytest.fixture
def app(tmp_path):
    """The web app on the fixture (SQLite), now = NOW."""
    from dashboard.factory import create_app
    from dashboard.settings import Settings

    url = f"sqlite:///{tmp_path / 'g.sqlite3'}"
    app = create_app(Settings.from_env(env={}, database_url=url, now_override=NOW, seed_demo_on_empty=False,
                                       data_dir=tmp_path))
    import_bundle(app.server.extensions["learnpulse"].engine, gb.write(tmp_path / "b"))
    app.db_url = url
    return app


def test_download_is_the_cli_file(app, tmp_path):
    url = app.db_url
    client = signed_in_client(app)
    response = client.get("/download/group-sessions.csv?group=ge")
    assert response.status_code == 200 and response.is_streamed
    assert response.data.decode("utf-8") == GE_CSV
    out = tmp_path / "cli.csv"
    done = cli.run(["export", "group-sessions", "--group", "ge", "--now",
                           NOW.isoformat(), "-o", str(out)], env={"DATABASE_URL": url, "PATH": ""},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == response.data
    assert client.get("/download/group-sessions.csv?group=nope").status_code == 404
    assert client.get("/download/group-sessions.csv").status_code == 400
    as_coach = cli.run(["export", "group-sessions", "--group", "gs",
                               "--as", "ce@ex.com", "--now", NOW.isoformat()], env={"DATABASE_URL": url, "PATH": ""},
                              capture_output=True, text=True)
    assert as_coach.returncode == 2 and "no group 'gs' visible to this user" in as_coach.stderr


def test_delta_import_refreshes_group_facts(grouped, tmp_path):
    """A nightly delta moving l8 from the waiting list into s1 updates the group's numbers."""
    folder = tmp_path / "delta"
    folder.mkdir()
    (folder / "enrollments.csv").write_text("session_id,user_id,status,source,group_id,assigned_at,unassigned_at\n"
                                            "s1,l8,registered,catalog,,2026-04-20,\n", encoding="utf-8")
    import_bundle(grouped, folder)
    with grouped.connect() as conn:
        s1 = q.group_session(conn, OWNER, NOW, "ge", "s1")
        assert q.group_statistics(conn, OWNER, NOW, "ge")["pairs"] == 8
    assert (s1["learners"], s1["progress"]) == (5, pytest.approx(40.0))


def test_group_without_session_shows_dashes_and_a_sentence(app):
    """The page's callback (as the browser calls it): cards with '-' and why, the charts hidden (no empty axes)."""
    import json

    from callbacks.group import NO_SESSION
    from dashboard.ids import Group as ID
    from tests.dashcalls import payload

    client = signed_in_client(app)
    response = client.post("/_dash-update-component", content_type="application/json",
                           data=json.dumps(payload(app, ID.KPIS, {f"{ID.ID}.data": "gz"})))
    out = json.loads(response.data)["response"]
    cards = json.dumps(out[ID.KPIS]["children"])
    assert cards.count('"-"') == 3 and cards.count("no learner registered in a session of the last 12 months") == 3
    assert out[ID.CHARTS]["style"] == {"display": "none"}
    assert NO_SESSION in json.dumps(out[ID.MESSAGE]["children"])
    full = json.loads(client.post("/_dash-update-component", content_type="application/json",
                                  data=json.dumps(payload(app, ID.KPIS, {f"{ID.ID}.data": "ge"}))).data)["response"]
    assert '"71.4%"' in json.dumps(full[ID.KPIS]["children"])
    assert "5 of 7 learner-sessions started, last 12 months" in json.dumps(full[ID.KPIS]["children"])
    assert [p["y"] for p in full[ID.ONGOING_CHART]["figure"]["data"]] == [[0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 2]]
    assert full[ID.BLENDED_CHART]["figure"]["data"][0]["values"] == [1, 4]


def test_unknown_group_page_says_not_found(app):
    client = signed_in_client(app)
    assert "Not found: there is no group 'nope' you can see." in page_content(client, app, "/groups/nope")
    assert "Sales EMEA" in page_content(client, app, "/groups/ge")
