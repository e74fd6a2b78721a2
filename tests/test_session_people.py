"""A session's learner lists (Individual results, a group's learners of a session) read both ways, on the hand-made
fixture (tests/fixture_bundle.py), SQLite and PostgreSQL: walking the users' name index, or sorting the session's
rows (session_people), forced each way and as chosen; orders by a session_users column read inside one value and
across values. The same rows and totals every way.

Session s1's users (every enrollment), by last name, first name:
  u6 Del Gone      registered, deleted   progress 0    score None  time 0    no activity
  u3 Lea Learner   registered            progress 100  score 75    time 300
  u4 Leo Learner   registered            progress 0    score 40    time 200  (last activity before u3's)
  u5 Mia Never     waiting list          progress 0    score None  time 0    no activity
Cora (coach of g1) sees u3, u4 and u6 (members of g2, under g1); Ivo instructs s1 and sees all four.
Results by group as a coach sees them: the users she sees read first, then their memberships.
"""

from __future__ import annotations

import pytest
from pytest import approx

from data_access.queries import groups as gq
from data_access.queries import session_people
from data_access.queries import sessions as q
from data_access.scope import Scope, scope_for_email
from tests import fixture_bundle, snapshot

OWNER = Scope.owner()


@pytest.fixture(params=["walk", "sort", "chosen"])
def strategy(request, monkeypatch):
    """Walk whenever the order allows it, never, or as the rule says (the fixture's 7 users: always sort)."""
    if request.param != "chosen":
        monkeypatch.setattr(session_people, "WALK_RATIO", 0.0 if request.param == "walk" else float("inf"))
    return request.param


def ids(page: dict) -> list[str]:
    return [r["user_id"] for r in page["rows"]]


def by(col: str, direction: str = "asc", *more) -> list[dict]:
    return [{"colId": col, "sort": direction}, *({"colId": c, "sort": d} for c, d in more)]


def test_name_order_pages_and_scopes(loaded, now, strategy):
    with loaded.connect() as conn:
        cora = scope_for_email(conn, "cora@example.com")
        ivo = scope_for_email(conn, "ivo@example.com")
        pages = {
            "default": q.individual_page(conn, OWNER, now, "s1"),
            "by last name": q.individual_page(conn, OWNER, now, "s1", sort_model=by("last_name")),
            "last name desc": q.individual_page(conn, OWNER, now, "s1", sort_model=by("last_name", "desc")),
            "both desc": q.individual_page(conn, OWNER, now, "s1",
                                           sort_model=by("last_name", "desc", ("first_name", "desc"))),
            "by first name": q.individual_page(conn, OWNER, now, "s1", sort_model=by("first_name")),
            "rows 1-3": q.individual_page(conn, OWNER, now, "s1", start=1, end=3),
            "past the end": q.individual_page(conn, OWNER, now, "s1", start=4, end=104),
            "coach": q.individual_page(conn, cora, now, "s1"),
            "coach, row 2": q.individual_page(conn, cora, now, "s1", start=2, end=3),
            "instructor": q.individual_page(conn, ivo, now, "s1"),
            "named": q.individual_page(conn, OWNER, now, "s1", filter_model={
                "last_name": {"filterType": "text", "type": "contains", "filter": "learner"}}),
            "named, paged": q.individual_page(conn, OWNER, now, "s1", start=1, end=2, filter_model={
                "last_name": {"filterType": "text", "type": "contains", "filter": "learner"}}),
        }
    assert {k: (p["total"], ids(p)) for k, p in pages.items()} == {
        "default": (4, ["u6", "u3", "u4", "u5"]),  # Gone, Learner Lea, Learner Leo, Never
        "by last name": (4, ["u6", "u3", "u4", "u5"]),
        "last name desc": (4, ["u5", "u3", "u4", "u6"]),  # the two Learners still by first name
        "both desc": (4, ["u5", "u4", "u3", "u6"]),
        "by first name": (4, ["u6", "u3", "u4", "u5"]),  # Del, Lea, Leo, Mia
        "rows 1-3": (4, ["u3", "u4"]),
        "past the end": (4, []),
        "coach": (3, ["u6", "u3", "u4"]),  # not u5 (Ops)
        "coach, row 2": (3, ["u4"]),
        "instructor": (4, ["u6", "u3", "u4", "u5"]),
        "named": (2, ["u3", "u4"]),
        "named, paged": (2, ["u4"]),
    }
    rows = {r["user_id"]: r for r in pages["default"]["rows"]}
    assert (rows["u6"]["deleted"], rows["u6"]["registered"], rows["u5"]["waiting_list"]) == (True, True, True)
    assert (rows["u3"]["progress"], rows["u3"]["score"], rows["u3"]["time_spent_s"]) == (100.0, 75.0, 300)
    assert (rows["u5"]["registered"], rows["u5"]["score"], rows["u5"]["last_activity_at"]) == (False, None, None)


def test_orders_by_a_figure_inside_one_value_and_across_values(loaded, now, strategy):
    """progress 0 is shared by u6, u4 and u5 (then by name); no score (u6, u5) is the lowest score."""
    cases = {
        "progress": (by("progress"), 0, 4, ["u6", "u4", "u5", "u3"]),
        "progress, rows 0-2 (inside 0)": (by("progress"), 0, 2, ["u6", "u4"]),
        "progress, rows 1-2 (inside 0)": (by("progress"), 1, 2, ["u4"]),
        "progress, rows 2-4 (0 to 100)": (by("progress"), 2, 4, ["u5", "u3"]),
        "progress, row 3 (inside 100)": (by("progress"), 3, 4, ["u3"]),
        "progress desc": (by("progress", "desc"), 0, 4, ["u3", "u6", "u4", "u5"]),
        "progress, last name desc": (by("progress", "asc", ("last_name", "desc")), 0, 4, ["u5", "u4", "u6", "u3"]),
        "progress, first name": (by("progress", "asc", ("first_name", "asc")), 1, 3, ["u4", "u5"]),
        "score desc": (by("score", "desc"), 0, 4, ["u3", "u4", "u6", "u5"]),  # no score last
        "score desc, rows 2-4 (inside none)": (by("score", "desc"), 2, 4, ["u6", "u5"]),
        "score desc, rows 1-3 (40 to none)": (by("score", "desc"), 1, 3, ["u4", "u6"]),
        "score": (by("score"), 0, 4, ["u6", "u5", "u4", "u3"]),  # no score first
        "score, rows 1-3 (none to 40)": (by("score"), 1, 3, ["u5", "u4"]),
        "time spent desc": (by("time_spent", "desc"), 0, 4, ["u3", "u4", "u6", "u5"]),
        "time spent, row 2": (by("time_spent"), 2, 3, ["u4"]),
        "last activity": (by("last_activity"), 0, 4, ["u6", "u5", "u4", "u3"]),
        "last activity desc, rows 1-3": (by("last_activity", "desc"), 1, 3, ["u4", "u6"]),
        "progress then score": (by("progress", "asc", ("score", "desc")), 0, 4, ["u4", "u6", "u5", "u3"]),
    }
    with loaded.connect() as conn:
        got = {k: ids(q.individual_page(conn, OWNER, now, "s1", sort_model=sort, start=start, end=end))
               for k, (sort, start, end, _) in cases.items()}
        coach = q.individual_page(conn, scope_for_email(conn, "cora@example.com"), now, "s1", sort_model=by("score"))
        filtered = q.individual_page(conn, OWNER, now, "s1", sort_model=by("progress"), filter_model={
            "last_name": {"filterType": "text", "type": "notEqual", "filter": "gone"}}, start=1, end=3)
    assert got == {k: want for k, (*_, want) in cases.items()}
    assert (coach["total"], ids(coach)) == (3, ["u6", "u4", "u3"])
    assert (filtered["total"], ids(filtered)) == (3, ["u5", "u3"])  # u4, u5 (progress 0), u3 (100)


def test_narrowed_lists(loaded, now, strategy):
    with loaded.connect() as conn:
        cora = scope_for_email(conn, "cora@example.com")
        got = {
            "level 60-80": q.individual_page(conn, OWNER, now, "s1", band=3),
            "level 40-60": q.individual_page(conn, OWNER, now, "s1", band=2, sort_model=by("score", "desc")),
            "group g2": q.individual_page(conn, OWNER, now, "s1", group_id="g2"),
            "group g2, by progress": q.individual_page(conn, OWNER, now, "s1", group_id="g2",
                                                       sort_model=by("progress")),
            "group g3": q.individual_page(conn, OWNER, now, "s1", group_id="g3"),  # u5 is on the waiting list
            "one user": q.individual_page(conn, OWNER, now, "s1", user_id="u4"),
            "Groups page, g1": gq.session_learners_page(conn, OWNER, now, "g1", "s1"),
            "Groups page, g1, coach": gq.session_learners_page(conn, cora, now, "g1", "s1", start=1, end=2),
            "Groups page, g0, by time": gq.session_learners_page(conn, OWNER, now, "g0", "s1",
                                                                 sort_model=by("time_spent", "desc")),
        }
    assert {k: (p["total"], ids(p)) for k, p in got.items()} == {
        "level 60-80": (1, ["u3"]), "level 40-60": (1, ["u4"]),
        "group g2": (3, ["u6", "u3", "u4"]), "group g2, by progress": (3, ["u6", "u4", "u3"]),
        "group g3": (0, []), "one user": (1, ["u4"]),
        "Groups page, g1": (3, ["u6", "u3", "u4"]), "Groups page, g1, coach": (3, ["u3"]),
        "Groups page, g0, by time": (3, ["u3", "u4", "u6"]),
    }


def test_the_rule_walks_a_large_session_early_in_it():
    users = 1_000_000
    assert session_people.walks(100_000, 100, users)  # the flagship cohort's first page: ~1,000 users walked
    assert session_people.walks(100_000, 5_100, users)
    assert not session_people.walks(100_000, 90_000, users)  # deep in it: sorting its rows is cheaper
    assert session_people.walks(10_000, 100, users) and not session_people.walks(5_000, 100, users)
    assert not session_people.walks(4, 100, 7)
    assert session_people.walkable([]) and session_people.walkable(by("last_name", "desc", ("first_name", "asc")))
    assert session_people.walkable(by("first_name", "desc")) and not session_people.walkable(by("score"))
    assert not session_people.walkable(by("last_name", "asc", ("progress", "asc")))


def test_counts_rely_on_every_session_user_being_an_enrollment_of_a_user(loaded):
    """The totals count session_users alone: its rows are exactly the enrollments, each of an existing user."""
    from data_access import schema
    with loaded.connect() as conn:
        su, e, u = schema.session_users, schema.enrollments, schema.users
        facts = set(conn.execute(su.select().with_only_columns(su.c.session_id, su.c.user_id)).all())
        enrolled = set(conn.execute(e.select().with_only_columns(e.c.session_id, e.c.user_id)).all())
        users = set(conn.execute(u.select().with_only_columns(u.c.user_id)).scalars())
    assert facts == enrolled and len(facts) == 4 and {user for _, user in facts} <= users


def test_results_by_group_as_a_coach_counts_each_member_once_in_each_of_their_groups(engine, tmp_path, now):
    """u3 is also a coach of g2 (one pair, not two) and u4 also a learner of Ops (g3, outside Cora's groups: Ops
    counts u4 alone). Sales North: u3, u4, u6 registered, u3 and u4 started (progress 100 and 0, scores 75 and 40)."""
    memberships = fixture_bundle.FILES["memberships.csv"] + "u3,g2,coach\nu4,g3,learner\n"
    snapshot.import_bundle(engine, fixture_bundle.write(tmp_path / "b", {"memberships.csv": memberships}))
    with engine.connect() as conn:
        cora = q.results_by_group(conn, scope_for_email(conn, "cora@example.com"), now, "s1")
        owner = q.results_by_group(conn, OWNER, now, "s1")
    rows = [(r["group_id"], r["level"], r["users"], r["attendance_pct"], r["progress"], r["score"]) for r in cora]
    assert rows == [("g3", 1, 1, approx(100.0), approx(0.0), approx(40.0)),
                    ("g2", 2, 3, approx(200 / 3), approx(50.0), approx(57.5))]
    assert [(r["group_id"], r["users"]) for r in owner] == [("g3", 1), ("g2", 3)]  # the kept facts agree
