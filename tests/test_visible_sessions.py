"""The sessions a viewer sees (scope.visible_sessions, visible_session, require_session), read from the group facts,
equal to the rule of metrics.md ("Who sees what") computed from the raw tables, on a fixture with every way of
seeing a session: a managed group's catalog, a subgroup's catalog, assigned through the group or a subgroup (an
enrollment's group, whatever its status: waiting list, unassigned, a deleted user's), instructed; and the ways
of not seeing one (an enrollment without a group, a learner of the group enrolled elsewhere)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from data_access import schema
from data_access.importer import import_bundle
from data_access.scope import Scope, require_session, scope_for_user, visible_session, visible_sessions
from data_access.write import derive
from tests import fixture_bundle
from tests import xapi_bundle as xb
from tests.test_scope_facts import _xapi

GROUPS = """group_id,name,parent_id
g0,Platform,
g1,Sales,g0
g2,Sales North,g1
g3,Ops,g0
g4,Ops East,g3
g5,Partners,g0
"""
SESSIONS = """session_id,program_id,name,start_at,end_at,author_id,group_id,expected_duration_min,tags,description
s1,p1,Onboarding June,2026-06-01,2026-07-01,u1,g1,120,,
s2,p1,North catalog,2026-06-01,2026-07-01,u1,g2,120,,
s3,p1,Assigned to North,2026-06-01,2026-07-01,u1,g5,120,,
s4,p1,Unassigned from Ops,2026-06-01,2026-07-01,u1,g5,120,,
s5,p1,A deleted user's,2026-06-01,2026-07-01,u1,g5,120,,
s6,p1,No group,2026-06-01,2026-07-01,u1,g5,120,,
s7,p1,Instructed,2026-06-01,2026-07-01,u1,g5,120,,
s8,p1,Waiting list,2026-06-01,2026-07-01,u1,g5,120,,
"""
# s1: the fixture's enrollments (u3's through g2); s3: assigned through the subgroup g2; s4: through g3, unassigned
# since; s5: through g4, of u6 (deleted); s6: u4 (a learner of g2) without a group; s8: through g1, waiting list
ENROLLMENTS = """session_id,user_id,status,source,group_id,assigned_at,unassigned_at
s1,u3,registered,group,g2,2026-05-20,
s1,u4,registered,assigned,,2026-05-20,
s1,u5,waiting_list,catalog,,2026-05-21,
s1,u6,registered,assigned,,2026-05-20,
s3,u3,registered,group,g2,2026-05-20,
s4,u5,registered,group,g3,2026-05-20,2026-06-02
s5,u6,registered,group,g4,2026-05-20,
s6,u4,registered,assigned,,2026-05-20,
s8,u5,waiting_list,group,g1,2026-05-20,
"""
INSTRUCTORS = """session_id,user_id
s7,u7
"""
EVERY = {f"s{n}" for n in range(1, 9)}
# viewer -> the sessions metrics.md gives them, by hand: g1's subtree is g1 + g2 (catalogs s1, s2; assigned s1, s3
# through g2, s8 through g1); g2: s2 (catalog), s1, s3 (assigned); g3 + g4: s4, s5; g5: its catalog s3-s8
VIEWERS = {
    "owner": (Scope.owner(), EVERY),
    "coach of g1": (Scope(user_id="u2", coach_groups=("g1",)), {"s1", "s2", "s3", "s8"}),
    "admin of g2": (Scope(user_id="x", admin_groups=("g2",)), {"s1", "s2", "s3"}),
    "admin of g3": (Scope(user_id="x", admin_groups=("g3",)), {"s4", "s5"}),
    "coach of g4": (Scope(user_id="x", coach_groups=("g4",)), {"s5"}),
    "admin of g5": (Scope(user_id="x", admin_groups=("g5",)), {"s3", "s4", "s5", "s6", "s7", "s8"}),
    "admin of g2 and coach of g4": (Scope(user_id="x", admin_groups=("g2",), coach_groups=("g4",)),
                                    {"s1", "s2", "s3", "s5"}),
    "instructor of s7": (Scope(user_id="u7", instructor_sessions=("s7",)), {"s7"}),
    "coach of g4, instructor of s7": (Scope(user_id="x", coach_groups=("g4",), instructor_sessions=("s7",)),
                                      {"s5", "s7"}),
    "nobody": (Scope(user_id="x"), set()),
}


@pytest.fixture
def seen(engine, tmp_path):
    import_bundle(engine, fixture_bundle.write(tmp_path / "b", {
        "groups.csv": GROUPS, "sessions.csv": SESSIONS, "enrollments.csv": ENROLLMENTS,
        "session_instructors.csv": INSTRUCTORS}))
    return engine


def by_definition(conn, scope: Scope) -> set[str]:
    """metrics.md's rule over the raw tables: sessions whose group_id is in a managed group's subtree, or with an
    enrollment (any) whose group_id is in it, and the sessions one instructs."""
    if scope.is_owner:
        return set(conn.execute(text("SELECT session_id FROM sessions")).scalars())
    subtree = {d for a, d in conn.execute(text("SELECT ancestor_id, descendant_id FROM group_closure"))
               if a in scope.managed_groups}
    catalog = {s for s, g in conn.execute(text("SELECT session_id, group_id FROM sessions")) if g in subtree}
    assigned = {s for s, g in conn.execute(text("SELECT session_id, group_id FROM enrollments")) if g in subtree}
    return catalog | assigned | set(scope.instructor_sessions)


def listed(conn, scope: Scope) -> set[str]:
    s = schema.sessions
    return set(conn.execute(select(s.c.session_id).where(visible_sessions(scope, s))).scalars())


def probed(conn, scope: Scope) -> set[str]:
    """Each session through the per-session form and through require_session."""
    s = schema.sessions
    out = set()
    for sid in sorted(EVERY):
        one = conn.execute(select(s.c.session_id).where(s.c.session_id == sid, visible_session(scope, s))).first()
        try:
            require_session(conn, scope, sid)
            required = True
        except LookupError:
            required = False
        assert required == (one is not None), (sid, scope)
        if required:
            out.add(sid)
    return out


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_kind_of_visibility(seen, viewer):
    scope, expected = VIEWERS[viewer]
    with seen.connect() as conn:
        assert by_definition(conn, scope) == expected  # the fixture is what the comments say
        assert listed(conn, scope) == expected
        assert probed(conn, scope) == expected


def test_viewers_of_the_fixture_from_their_roles(seen):
    # u2 coaches g1; u7 has the instructor role in g0 and instructs s7
    with seen.connect() as conn:
        assert listed(conn, scope_for_user(conn, "u2")) == VIEWERS["coach of g1"][1]
        assert listed(conn, scope_for_user(conn, "u7")) == {"s7"}


def test_a_session_out_of_scope_answers_as_a_missing_one(seen):
    scope = VIEWERS["admin of g3"][0]
    with seen.connect() as conn:
        messages = []
        for sid in ("s1", "nope"):
            with pytest.raises(LookupError) as caught:
                require_session(conn, scope, sid)
            messages.append(str(caught.value).replace(repr(sid), "ID"))
    assert messages[0] == messages[1] == "no program session ID visible to this user"


def test_the_rule_follows_an_import(seen):
    # s6's enrollment now goes through g3, s3's leaves g2 for no group, s2 moves to g3's catalog: the facts are
    # rebuilt with the import's other derived facts, so the rule and the raw tables agree again at once
    with seen.begin() as conn:
        conn.execute(text("UPDATE enrollments SET group_id = 'g3' WHERE session_id = 's6'"))
        conn.execute(text("UPDATE enrollments SET group_id = NULL WHERE session_id = 's3'"))
        conn.execute(text("UPDATE sessions SET group_id = 'g3' WHERE session_id = 's2'"))
        derive.refresh(conn, {"enrollments", "sessions"})
    with seen.connect() as conn:
        for scope, _ in VIEWERS.values():
            assert listed(conn, scope) == by_definition(conn, scope)
        assert listed(conn, VIEWERS["admin of g3"][0]) == {"s2", "s4", "s5", "s6"}
        assert listed(conn, VIEWERS["admin of g2"][0]) == {"s1"}


def test_a_session_a_posted_batch_adds_shows_at_the_refreshers_pass(engine, tmp_path):
    # the LMS's group (xapi:lms.test) holds the run R; a posted batch registers bob in a second run R2 of that LMS,
    # which becomes a session of the group's catalog: its coach sees it once the refresher has rebuilt the facts
    _xapi(engine, tmp_path)
    coach = Scope(user_id="x", coach_groups=("xapi:lms.test",))
    r2 = {"id": f"{xb.HOST}/course/course-v1:Org+C2+2026",
          "definition": {"type": "http://adlnet.gov/expapi/activities/course", "name": {"en": "Course Two"}}}
    report = _xapi(engine, tmp_path, [xb.st(17, "bob", "registered", r2, "2026-06-10T09:00:00Z", context=None)],
                   scoped=True, name="more")
    with engine.connect() as conn:
        before = listed(conn, coach)
    with engine.begin() as conn:
        derive.refresh_dependent(conn, report.changed)
    with engine.connect() as conn:
        after, everything = listed(conn, coach), by_definition(conn, coach)
    assert before == {xb.SESSION}
    assert after == everything == {xb.SESSION, xb.ident(r2["id"])}


def test_a_programs_session_csv_reads_its_sessions_a_chunk_at_a_time(seen, now, monkeypatch):
    # every session is of p1; s1 alone has blocks (b1, b2 started; b3 a classroom block with slot sl1). One session
    # a statement (CHUNK = 1) gives what one statement for all gives
    from data_access.exports.session_csv import program_sessions
    from data_access.queries import session_export

    admin = VIEWERS["admin of g2 and coach of g4"][0]
    plans = []
    with seen.connect() as conn:
        ids = program_sessions(conn, admin, "p1")
        for chunk in (session_export.CHUNK, 1):
            monkeypatch.setattr(session_export, "CHUNK", chunk)
            plans.append(session_export.plan(conn, admin, now, ["s5", "s1", "s3"]))
        with pytest.raises(LookupError) as caught:
            session_export.plan(conn, admin, now, ["s1", "s4", "nope"])
    assert ids == ["s1", "s2", "s3", "s5"]  # by start, then id
    assert plans[0] == plans[1]
    assert plans[0]["blocks"] == {"s5": [], "s3": [], "s1": [
        {"block_id": "b1", "title": "Safety Basics", "kind": "course"},
        {"block_id": "b2", "title": "Check", "kind": "assessment"}]}
    assert {sid: [x["slot_id"] for x in v] for sid, v in plans[0]["slots"].items()} == {"s5": [], "s1": ["sl1"],
                                                                                         "s3": []}
    assert plans[0]["slots"]["s1"][0]["block_title"] == "Workshop"
    assert (plans[0]["n_blocks"], plans[0]["n_slots"]) == (2, 1)
    assert str(caught.value) == "no program session 's4' visible to this user"  # the first one out of scope
