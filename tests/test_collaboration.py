"""Collaborative activity queries on tests/collab_bundle.py (every count worked out by hand in its docstring),
SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from data_access import schema
from data_access.collab_counts import live_sessions_select
from data_access.importer import import_bundle
from data_access.queries import collaboration as q
from data_access.scope import Scope, scope_for_email
from data_access.write import derive_collab
from tests import collab_bundle as cb
from tests import snapshot

OWNER = Scope.owner()
NOW = cb.NOW


@pytest.fixture
def collab(engine, tmp_path):
    snapshot.import_bundle(engine, cb.write(tmp_path / "collab"))
    return engine


def _counts(rows, key="user_id"):
    return {r[key]: (r["publications"], r["comments"], r["reactions"]) for r in rows}


def test_users_tab_counts_every_rule(collab):
    """l1: p1 published; p4 (archived reply in a session), p7 (archived reply on a course), p10 (learning need)
    commented; 2 likes + have_a_question + didnt_get_it. l2: replies in a group space count as comments; a
    'useful' on a post is not a like. l3: archived profile post is a publication; likes on posts and on an
    archived course's activity count. The deleted l4 is not listed."""
    with collab.connect() as conn:
        page = q.users_page(conn, OWNER, NOW)
    assert page["total"] == 9
    assert [r["user_id"] for r in page["rows"]] == ["adm", "aut", "cch", "l1", "l2", "l3", "own", "l5", "aut2"]
    assert _counts(page["rows"]) == {
        "adm": (0, 0, 0), "aut": (0, 0, 0), "cch": (1, 0, 1), "l1": (1, 3, 4), "l2": (0, 3, 2), "l3": (2, 2, 5),
        "own": (0, 0, 0), "l5": (1, 0, 0), "aut2": (0, 0, 0)}
    assert page["rows"][3] == {"user_id": "l1", "first_name": "Lia", "last_name": "Lund", "email": "l1@ex.com",
                               "additional_info": "Part-time", "publications": 1, "comments": 3, "reactions": 4}


def test_users_tab_group_sort_filter_and_top(collab):
    with collab.connect() as conn:
        alpha = q.users_page(conn, OWNER, NOW, group_id="ga")  # the subtree: ga1's people and ga's admin
        by_reactions = q.users_page(conn, OWNER, NOW, sort_model=[{"colId": "reactions", "sort": "desc"}], end=3)
        busy = q.users_page(conn, OWNER, NOW, filter_model={
            "comments": {"filterType": "number", "type": "greaterThanOrEqual", "filter": 2}})
        top = q.top_users(conn, OWNER, NOW)
        top_beta = q.top_users(conn, OWNER, NOW, group_id="gb")
        with pytest.raises(LookupError):
            q.users_page(conn, OWNER, NOW, group_id="nope")
    assert [r["user_id"] for r in alpha["rows"]] == ["adm", "aut", "l1", "l2"]
    assert [r["user_id"] for r in by_reactions["rows"]] == ["l3", "l1", "l2"] and by_reactions["total"] == 9
    assert [r["user_id"] for r in busy["rows"]] == ["l1", "l2", "l3"]
    assert [(t["name"], t["publications"] + t["comments"] + t["reactions"]) for t in top] == [
        ("Noa Nash", 9), ("Lia Lund", 8), ("Max Moss", 5), ("Carl Coach", 2), ("=Eve Vance", 1)]
    assert [t["user_id"] for t in top_beta] == ["l3", "l2", "cch", "l5"]  # l2 is an admin of Beta: a member


def test_groups_tab_counts_learners_of_the_subtree_only(collab):
    """Beta: l3 and l5 (the coach's post and like, and its admin l2's activity, do not count); Alpha and Alpha
    One: l1, l2 and the deleted l4; Platform: every learner."""
    with collab.connect() as conn:
        rows = q.groups_table(conn, OWNER, NOW)
        by_reactions = q.groups_page(conn, OWNER, NOW, sort_model=[{"colId": "reactions", "sort": "desc"}])
        beta = q.groups_page(conn, OWNER, NOW, filter_model={
            "name": {"filterType": "text", "type": "contains", "filter": "bet"}})
        teams = q.top_teams(conn, OWNER, NOW)
    assert [r["name"] for r in rows] == ["Alpha", "Alpha One", "Beta", "Platform"]
    assert [r["group_id"] for r in by_reactions["rows"]] == ["g0", "ga", "ga1", "gb"] and by_reactions["total"] == 4
    assert [r["group_id"] for r in beta["rows"]] == ["gb"]
    assert [r["group_id"] for r in teams] == ["ga1", "gb"]  # groups without subgroups, most active first
    assert _counts(rows, "group_id") == {"ga": (1, 7, 7), "ga1": (1, 7, 7), "gb": (3, 2, 5), "g0": (4, 9, 12)}
    assert rows[1]["parent"] == "Alpha" and rows[1]["level"] == 2


def test_courses_tab(collab):
    """c1: 3 attempts; p6, p7 and the activity-less p13 in its forum; 9 reactions of which like x3, learned
    something, useful are positive: 5/9. c2 (archived): like + didnt_get_it = 50. c3 (deleted): one like."""
    with collab.connect() as conn:
        rows = {r["course_id"]: r for r in q.courses_table(conn, OWNER, NOW)}
    assert list(rows) == ["c3", "c2", "c1"]  # by name: Gone, Old Sales, Safety
    c1 = rows["c1"]
    assert (c1["views"], c1["comments"], c1["reactions"]) == (3, 3, 9)
    assert [c1[k] for k in ("like", "learned_something", "outdated", "have_a_question", "useful", "irrelevant",
                            "didnt_get_it")] == [3, 1, 1, 1, 1, 1, 1]
    assert c1["reaction_score"] == pytest.approx(500 / 9) and c1["author"] == "Ari Author"
    assert (rows["c2"]["reaction_score"], rows["c2"]["status"], rows["c2"]["comments"]) == (50.0, "archived", 1)
    assert (rows["c3"]["reaction_score"], rows["c3"]["views"], rows["c3"]["like"]) == (100.0, 1, 1)


def test_engagement_by_activity_and_the_people_behind_each_number(collab):
    with collab.connect() as conn:
        acts = q.course_activities(conn, OWNER, NOW, "c1")
        info = q.course_info(conn, OWNER, NOW, "c1")
        likes = q.activity_people_page(conn, OWNER, NOW, "a1", "like")
        comments = q.activity_people_page(conn, OWNER, NOW, "a2", "comments")
        views = q.activity_people_page(conn, OWNER, NOW, "a1", "views", sort_model=[{"colId": "at", "sort": "asc"}])
        question_downloads = q.activity_people_page(conn, OWNER, NOW, "a2", "downloads")
        sheet_downloads = q.activity_people_page(conn, OWNER, NOW, "a3", "downloads")
        named = q.activity_people_page(conn, OWNER, NOW, "a1", "views", filter_model={
            "last_name": {"filterType": "text", "type": "equals", "filter": "moss"}})
        with pytest.raises(ValueError, match="unknown number"):
            q.activity_people_page(conn, OWNER, NOW, "a1", "shares")
        with pytest.raises(LookupError):
            q.activity_people_page(conn, OWNER, NOW, "nope", "views")
        with pytest.raises(LookupError):
            q.course_activities(conn, OWNER, NOW, "nope")
        with pytest.raises(LookupError, match="in course 'c1'"):  # another course's activity on c1's page
            q.activity_people_page(conn, OWNER, NOW, "a4", "views", course_id="c1")
        assert q.activity_people_page(conn, OWNER, NOW, "a1", "like", course_id="c1")["total"] == 3
    assert [(a["title"], a["type"], a["views"], a["like"], a["learned_something"], a["outdated"],
             a["have_a_question"], a["comments"], a["downloads"]) for a in acts] == [
        ("Intro doc", "document", 3, 3, 1, 0, 0, 0, 2), ("Quiz", "question", 1, 0, 0, 1, 1, 2, 0),
        ("Cheat sheet", "cheat_sheet", 1, 0, 0, 0, 0, 0, 1)]
    assert (info["downloads"], info["activities"], info["comments"]) == (3, 3, 3)  # p13 is on no activity
    assert [(r["user_id"], r["at"]) for r in likes["rows"]] == [  # most recent first; l1 liked twice
        ("cch", 1780823100), ("l1", 1780481100), ("l1", 1780394700)]
    assert [(r["user_id"], r["reply"], r["archived"]) for r in comments["rows"]] == [
        ("l1", True, True), ("l2", False, False)]
    assert [r["user_id"] for r in views["rows"]] == ["l1", "l2", "l1"] and views["total"] == 3
    assert question_downloads == {"total": 0, "rows": []}  # a question's download row is not a download
    assert [r["user_id"] for r in sheet_downloads["rows"]] == ["l1"]
    assert [r["user_id"] for r in named["rows"]] == ["l2"]


def test_course_with_no_activity_shows_zeros(collab, tmp_path):
    import_bundle(collab, cb.write(tmp_path / "delta", {
        **{name: None for name in cb.FILES},
        "courses.csv": cb.FILES["courses.csv"].splitlines()[0] + "\nc4,Empty,aut,,active,2026-01-01,,en,,,\n"}))
    with collab.connect() as conn:
        info = q.course_info(conn, OWNER, NOW, "c4")
        assert q.course_activities(conn, OWNER, NOW, "c4") == []
    assert (info["views"], info["comments"], info["reactions"], info["downloads"]) == (0, 0, 0, 0)
    assert info["reaction_score"] is None


def test_scopes(collab):
    """adm (admin of Alpha): Alpha's people and groups, the courses of Alpha's author (c1, c3). l2 (learner in
    Alpha One, admin of Beta): Beta's people, Beta, Bea's c2. aut: only their own courses, no users or
    groups."""
    with collab.connect() as conn:
        adm, l2, aut = (scope_for_email(conn, e) for e in ("adm@ex.com", "l2@ex.com", "aut@ex.com"))
        assert [r["user_id"] for r in q.users_page(conn, adm, NOW)["rows"]] == ["adm", "aut", "l1", "l2"]
        assert [r["group_id"] for r in q.groups_table(conn, adm, NOW)] == ["ga", "ga1"]
        assert [r["course_id"] for r in q.courses_table(conn, adm, NOW)] == ["c3", "c1"]
        assert [r["user_id"] for r in q.users_page(conn, l2, NOW)["rows"]] == ["cch", "l2", "l3", "l5", "aut2"]
        # one managed group or an opened group: the count is that group's kept count of current members
        assert q.users_count(conn, adm, NOW) == q.users_page(conn, adm, NOW)["total"] == 4
        assert q.users_count(conn, l2, NOW) == q.users_page(conn, l2, NOW)["total"] == 5
        ga1 = [r["user_id"] for r in q.users_page(conn, adm, NOW, group_id="ga1")["rows"]]
        assert q.users_count(conn, adm, NOW, group_id="ga1") == len(ga1) == len(set(ga1)) > 0
        assert [r["group_id"] for r in q.groups_table(conn, l2, NOW)] == ["gb"]
        assert [r["course_id"] for r in q.courses_table(conn, l2, NOW)] == ["c2"]
        assert q.users_page(conn, aut, NOW) == {"total": 0, "rows": []}
        assert q.groups_table(conn, aut, NOW) == [] and q.group_options(conn, aut, NOW) == []
        assert [r["course_id"] for r in q.courses_table(conn, aut, NOW)] == ["c3", "c1"]
        # out of scope answers exactly as missing
        for scope, call in ((adm, lambda s: q.course_info(conn, s, NOW, "c2")),
                            (adm, lambda s: q.activity_people_page(conn, s, NOW, "a4", "views")),
                            (adm, lambda s: q.users_page(conn, s, NOW, group_id="gb")),
                            (aut, lambda s: q.course_activities(conn, s, NOW, "c2"))):
            with pytest.raises(LookupError) as out_of_scope:
                call(scope)
            assert "visible to this user" in str(out_of_scope.value)
        # the author sees everyone behind their course's numbers (the users who played it)
        assert len(q.activity_people_page(conn, aut, NOW, "a1", "like")["rows"]) == 3


def test_sessions_tab(collab):
    """s1 (c1): no publication; c1's 3 forum posts; its 9 reactions. s2 (c2): p3; c2's forum post + the reply
    p4 in s2's messages; c2's 2 reactions. An admin of Alpha sees s1 with only Alpha's people: l1 and l2's
    forum posts (3) and their 6 reactions on c1."""
    with collab.connect() as conn:
        rows = {r["session_id"]: r for r in q.sessions_rows(conn, OWNER, NOW)}
        adm = {r["session_id"]: r for r in q.sessions_rows(conn, scope_for_email(conn, "adm@ex.com"), NOW)}
        by_reactions = q.sessions_page(conn, OWNER, NOW, sort_model=[{"colId": "reactions", "sort": "asc"}])
        published = q.sessions_page(conn, OWNER, NOW, filter_model={
            "publications": {"filterType": "number", "type": "greaterThan", "filter": 0}})
        top = q.top_sessions(conn, OWNER, NOW)
    assert _counts(rows.values(), "session_id") == {"s1": (0, 3, 9), "s2": (1, 2, 2)}
    assert list(rows) == ["s1", "s2"]  # most recent start first
    assert [r["session_id"] for r in by_reactions["rows"]] == ["s2", "s1"] and by_reactions["total"] == 2
    assert [r["session_id"] for r in published["rows"]] == ["s2"] and published["total"] == 1
    assert [(r["session_id"], r["name"]) for r in top] == [("s1", "Academy Alpha"), ("s2", "Academy Beta")]
    assert _counts(adm.values(), "session_id") == {"s1": (0, 3, 6)}


def _kept_sessions(conn) -> list[tuple]:
    t = schema.scope_collab_sessions
    return [tuple(r) for r in conn.execute(select(t).order_by(t.c.group_id, t.c.session_id))]


def test_sessions_of_one_kept_group_are_kept_at_import(collab, tmp_path):
    """Kept keys: ga (adm administers it) and gb (cch coaches it, l2 administers it). ga's people (adm, aut, l1, l2,
    l4): p4 in s2 (a reply); on c1 (s1) p6, p7, p13 and 6 reactions. gb's (cch, aut2, l2, l3, l5): p3 in s2; on c1
    p6, p13 and 5 reactions (l2 2, l3 2, cch 1); on c2 (s2) p8 and 2 reactions. A viewer of gb alone reads them for
    the sessions gb sees: what the live count gives; after a delta (l5 likes a3) too."""
    with collab.connect() as conn:
        assert _kept_sessions(conn) == [("ga", "s1", 0, 3, 6), ("ga", "s2", 0, 1, 0), ("gb", "s1", 0, 2, 5),
                                        ("gb", "s2", 1, 1, 2)]
        for email in ("cch@ex.com", "l2@ex.com"):
            scope = scope_for_email(conn, email)
            assert scope.managed_groups == ("gb",)
            kept = q.sessions_rows(conn, scope, NOW)
            assert _counts(kept, "session_id") == {"s2": (1, 1, 2)}
            assert kept == [q._session_row(r) for r in conn.execute(live_sessions_select(scope)).mappings()]
            assert [r["session_id"] for r in q.top_sessions(conn, scope, NOW)] == ["s2"]
            assert q.sessions_page(conn, scope, NOW)["total"] == 1
    import_bundle(collab, cb.write(tmp_path / "delta", {
        **{name: None for name in cb.FILES},
        "reactions.csv": "user_id,created_at,kind,activity_id,post_id\nl5,2026-06-14T09:00:00Z,like,a3,\n"}))
    with collab.connect() as conn:
        assert _kept_sessions(conn)[2:] == [("gb", "s1", 0, 2, 6), ("gb", "s2", 1, 1, 2)]


def test_delta_import_refreshes_the_counts(collab, tmp_path):
    """A nightly delta of reactions alone: l5 likes a3; the users, groups, activity and course counts follow."""
    import_bundle(collab, cb.write(tmp_path / "delta", {
        **{name: None for name in cb.FILES},
        "reactions.csv": "user_id,created_at,kind,activity_id,post_id\nl5,2026-06-14T09:00:00Z,like,a3,\n"}))
    with collab.connect() as conn:
        users = _counts(q.users_page(conn, OWNER, NOW)["rows"])
        groups = _counts(q.groups_table(conn, OWNER, NOW), "group_id")
        a3 = q.course_activities(conn, OWNER, NOW, "c1")[2]
        c1 = next(r for r in q.courses_table(conn, OWNER, NOW) if r["course_id"] == "c1")
        s1 = next(r for r in q.sessions_rows(conn, OWNER, NOW) if r["session_id"] == "s1")
    assert s1["reactions"] == 10  # the owner's per-session numbers are kept at import too
    assert users["l5"] == (1, 0, 1) and groups["gb"] == (3, 2, 6) and a3["like"] == 1
    assert (c1["like"], c1["reaction_score"]) == (4, pytest.approx(60.0))


def test_refresh_all_rebuilds_the_same_counts(collab):
    """What the 0004_collab migration runs on stored data gives what the import computed."""
    with collab.connect() as conn:
        before = (q.users_page(conn, OWNER, NOW), q.groups_table(conn, OWNER, NOW), q.courses_table(conn, OWNER, NOW))
    with collab.begin() as conn:
        derive_collab.refresh_all(conn)
    with collab.connect() as conn:
        after = (q.users_page(conn, OWNER, NOW), q.groups_table(conn, OWNER, NOW), q.courses_table(conn, OWNER, NOW))
    assert after == before
