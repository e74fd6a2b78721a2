"""Out of scope answers exactly as missing (metrics.md "Who sees what"): signed in as Cora, coach of Sales,
every download and every callback that takes an id is called with the ids of Ops (another group's session,
program, user) and with ids that do not exist; the two answers must be the same, byte for byte once the
id itself is blanked out. Instructors see only their sessions and anonymous calls are refused.

The fixture bundle gets an Ops program with an Ops session (ops-s3, program ops-p2) that Lea (u5, an Ops
learner) attends; Cora coaches Sales (s1).
"""

from __future__ import annotations

import pytest

from dashboard.core.ids import AtRisk as AR
from dashboard.core.ids import Collaboration as C
from dashboard.core.ids import CollaborationCourse as CC
from dashboard.core.ids import Compare as CMP
from dashboard.core.ids import Group as G
from dashboard.core.ids import Participants as P
from dashboard.core.ids import Program as PR
from dashboard.core.ids import ProgramSession as S
from dashboard.core.ids import Trend as T
from dashboard.core.ids import UserPage as UP
from dashboard.core.ids import Users as US
from dashboard.core.settings import Settings
from dashboard.factory import create_app
from data_access.exports import REPORTS
from tests import fixture_bundle, snapshot
from tests.dashcalls import payload
from tests.signing import page_content, signed_in_client

NOW = fixture_bundle.NOW
COACH, INSTRUCTOR = "cora@example.com", "ivo@example.com"
MISSING = "zz-nothing-here"
GRID_REQUEST = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}

OPS = {
    "programs.csv": fixture_bundle.FILES["programs.csv"] + "ops-p2,Ops Academy,program,\n",
    "sessions.csv": fixture_bundle.FILES["sessions.csv"]
    + "ops-s3,ops-p2,Ops June,2026-06-01,2026-07-01,u1,g3,60,,\n",
    "blocks.csv": fixture_bundle.FILES["blocks.csv"] + "ops-b1,ops-s3,1,course,Ops safety,c1,2026-06-05,,\n",
    "enrollments.csv": fixture_bundle.FILES["enrollments.csv"] + "ops-s3,u5,registered,group,g3,2026-05-20,\n",
    # an author with a course of her own
    "users.csv": fixture_bundle.FILES["users.csv"] + "u8,Aria,Author,aria@example.com,Designer,,2025-01-04,u1,,\n",
    "memberships.csv": fixture_bundle.FILES["memberships.csv"] + "u8,g0,author\n",
    "courses.csv": fixture_bundle.FILES["courses.csv"] + "c3,Aria's course,u8,,active,2025-03-01,,en,,,\n"
    "ops-c9,Ops course,u5,,active,2025-03-01,,en,,,\n",
    "activities.csv": fixture_bundle.FILES["activities.csv"] + "a4,c3,1,Aria's sheet,cheat_sheet,\n"
    "ops-a9,ops-c9,1,Ops sheet,document,\n",
}
AUTHOR = "aria@example.com"

# every report, with the option that names what it is about (None: a list of what the viewer sees)
REPORT_ID_OPTION = {
    "cohort-progress": ("session", "ops-s3"), "participant-activity": ("session", "ops-s3"),
    "session": ("session", "ops-s3"), "program": ("program", "ops-p2"),
    "group-sessions": ("group", "g3"),
    "collab-users": ("group", "g3"), "course-activities": ("course", "ops-c9"),
    "activity-users": ("activity", "ops-a9", "&action=views"),
    "user-stats": ("user", "u5"), "general-stats": ("group", "g3"),
    "at-risk": ("session", "ops-s3"),
    "activity-trend": ("session", "ops-s3"), "pace": ("session", "ops-s3"),
    "cohort-compare": ("session", "ops-s3", "&session=s1"),
    "sessions": None, "session-collab": None, "collab-groups": None, "courses": None, "users": None,
    "registrations": None,
}


@pytest.fixture
def app(engine, tmp_path):
    snapshot.import_bundle(engine, fixture_bundle.write(tmp_path / "bundle", OPS))
    url = engine.url.render_as_string(hide_password=False)
    return create_app(Settings.from_env(env={}, database_url=url, now_override=NOW, seed_demo_on_empty=False,
                                        data_dir=tmp_path))


def same_answer(foreign, missing, foreign_id: str) -> None:
    assert foreign.status_code == missing.status_code
    a = foreign.get_data(as_text=True).replace(foreign_id, "<id>")
    b = missing.get_data(as_text=True).replace(MISSING, "<id>")
    assert a == b


def test_every_report_is_covered_here():
    assert set(REPORTS) == set(REPORT_ID_OPTION), "classify each new report in REPORT_ID_OPTION"


@pytest.mark.parametrize("report", sorted(r for r, opt in REPORT_ID_OPTION.items() if opt))
def test_downloads_treat_another_groups_ids_as_missing(app, report):
    option, foreign_id, *more = REPORT_ID_OPTION[report]
    extra = more[0] if more else ""
    coach = signed_in_client(app, COACH)
    foreign = coach.get(f"/download/{report}.csv?{option}={foreign_id}{extra}")
    missing = coach.get(f"/download/{report}.csv?{option}={MISSING}{extra}")
    assert foreign.status_code == 404
    same_answer(foreign, missing, foreign_id)
    # and the owner gets the file, so the id is real
    assert signed_in_client(app).get(f"/download/{report}.csv?{option}={foreign_id}{extra}").status_code == 200


def test_list_downloads_hold_only_the_viewers_sessions(app):
    coach = signed_in_client(app, COACH)
    rows = coach.get("/download/sessions.csv").get_data(as_text=True).splitlines()[1:]
    assert [r.split(",")[0] for r in rows] == ["s1"]
    collab = coach.get("/download/session-collab.csv").get_data(as_text=True)
    assert "Ops June" not in collab and "Onboarding June" in collab


def call(client, app, first_output: str, inputs: dict, state: dict | None = None):
    return client.post("/_dash-update-component", json=payload(app, first_output, inputs, state))


# (first output, inputs, state) of every callback that takes an id from the browser; {id} is replaced
CALLBACKS = {
    "participants: choose a cohort": (P.ACTIVITY, {f"{P.COHORT}.value": "{id}"}, None),
    "participants: table rows": (P.GRID, {f"{P.GRID}.getRowsRequest": GRID_REQUEST},
                                 {f"{P.SELECTED}.data": ["0–1", "Never"], f"{P.COHORT}.value": "{id}"}),
    "participants: copy emails": (P.EMAILS, {f"{P.COPY}.n_clicks": 1},
                                  {f"{P.GRID}.getRowsRequest": GRID_REQUEST, f"{P.SELECTED}.data": ["Never"],
                                   f"{P.COHORT}.value": "{id}"}),
    "participants: save limits": (P.LIMITS, {f"{P.GREEN}.value": 3, f"{P.YELLOW}.value": 9},
                                  {f"{P.COHORT}.value": "{id}", f"{P.LIMITS}.data": None}),
    "participants: save at-risk limits": (P.RISK_LIMITS, {f"{P.OVERDUE}.value": 3, f"{P.SCORE}.value": 40},
                                          {f"{P.COHORT}.value": "{id}", f"{P.RISK_LIMITS}.data": None}),
    "participants: at-risk limits and contacts": (P.RISK_LIMITS, {f"{P.COHORT}.value": "{id}"}, None),
    "at risk: choose a cohort": (AR.SUMMARY, {f"{AR.COHORT}.value": "{id}"}, None),
    "at risk: table rows": (AR.GRID, {f"{AR.GRID}.getRowsRequest": GRID_REQUEST},
                            {f"{AR.SELECTED}.data": [], f"{AR.COHORT}.value": "{id}"}),
    "at risk: the selection": (AR.SELECTION_INFO, {f"{AR.GRID}.selectedRows": [{"user_id": "u5", "session_id": "{id}"}],
                                                   f"{AR.SUBJECT}.value": "Hi", f"{AR.BODY}.value": "Hello"}, None),
    "at risk: copy e-mails": (AR.EMAILS, {f"{AR.COPY}.n_clicks": 1},
                              {f"{AR.GRID}.selectedRows": [{"user_id": "u5", "session_id": "{id}"}]}),
    "at risk: selection CSV": (AR.SELECTION_FILE, {f"{AR.SELECTION_CSV}.n_clicks": 1},
                               {f"{AR.GRID}.selectedRows": [{"user_id": "u5", "session_id": "{id}"}]}),
    "at risk: record a contact": (AR.RECORD_STATUS, {f"{AR.RECORD}.n_clicks": 1},
                                  {f"{AR.GRID}.selectedRows": [{"user_id": "u5", "session_id": "{id}"}],
                                   f"{AR.CHANNEL}.value": "email", f"{AR.NOTE}.value": "hi"}),
    "participants: a cohort's weeks": (T.CHART, {f"{P.COHORT}.value": "{id}"}, None),
    "participants: a cohort's pace": (T.PACE, {f"{P.COHORT}.value": "{id}"}, None),
    "participants: the learners behind pace": (T.PACE_LIST, {f"{T.PACE_SHOW}.n_clicks": 1},
                                               {f"{T.PACE_LIST}.style": {"display": "none"},
                                                f"{P.COHORT}.value": "{id}"}),
    "compare: the chosen cohorts": (CMP.CHART, {f"{CMP.PICK}.value": ["{id}", "s1"]}, None),
    "session: general": (S.KPIS, {f"{S.ID}.data": "{id}"}, None),
    "session: individual results": (S.PEOPLE_GRID, {f"{S.PEOPLE_GRID}.getRowsRequest": GRID_REQUEST},
                                    {f"{S.ID}.data": "{id}", f"{S.PEOPLE_FILTER}.data": None}),
    "session: results by group": (S.GROUPS_GRID, {f"{S.GROUPS_GRID}.getRowsRequest": GRID_REQUEST},
                                  {f"{S.ID}.data": "{id}"}),
    "session: a group's learners": (S.PEOPLE_FILTER, {f"{S.GROUPS_GRID}.cellClicked": {"rowId": "{id}"}},
                                    {f"{S.ID}.data": "s1"}),
    "session: individual results of a group": (S.PEOPLE_GRID, {f"{S.PEOPLE_GRID}.getRowsRequest": GRID_REQUEST},
                                               {f"{S.ID}.data": "s1", f"{S.PEOPLE_FILTER}.data": {"group": "{id}"}}),
    "session: detailed results": (S.BLOCK_GRID, {f"{S.BLOCK_GRID}.getRowsRequest": GRID_REQUEST},
                                  {f"{S.ID}.data": "{id}", f"{S.BLOCK}.value": "ops-b1"}),
    "session: a learner's blocks": (S.LEARNER_MODAL, {f"{S.PEOPLE_GRID}.cellClicked": {"rowId": "u5"}},
                                    {f"{S.ID}.data": "{id}"}),
    "program: results": (PR.KPIS, {f"{PR.ID}.data": "{id}"}, None),
    "group: cards and charts": (G.KPIS, {f"{G.ID}.data": "{id}"}, None),
    "group: sessions table": (G.SESSIONS_GRID, {f"{G.SESSIONS_GRID}.getRowsRequest": GRID_REQUEST},
                              {f"{G.ID}.data": "{id}"}),
    "group: learners of a session": (G.PEOPLE_GRID, {f"{G.PEOPLE_GRID}.getRowsRequest": GRID_REQUEST},
                                     {f"{G.ID}.data": "{id}", f"{G.SESSION}.data": "ops-s3"}),
    "group: a learner's blocks": (G.LEARNER_MODAL, {f"{G.PEOPLE_GRID}.cellClicked": {"rowId": "u5"}},
                                  {f"{G.ID}.data": "{id}", f"{G.SESSION}.data": "ops-s3"}),
    "group: another group's session in the coach's group": (
        G.PEOPLE_GRID, {f"{G.PEOPLE_GRID}.getRowsRequest": GRID_REQUEST},
        {f"{G.ID}.data": "g1", f"{G.SESSION}.data": "{id}"}),
    "collaboration: users of a group": (C.USERS_COUNT, {f"{C.GROUP}.value": "{id}"}, None),
    "collaboration: users table of a group": (C.USERS_GRID, {f"{C.USERS_GRID}.getRowsRequest": GRID_REQUEST},
                                              {f"{C.GROUP}.value": "{id}"}),
    "collaboration: a course": (CC.REACTIONS_CHART, {f"{CC.ID}.data": "{id}"}, None),
    "collaboration: the people behind a course's number": (
        CC.PEOPLE_GRID, {f"{CC.PEOPLE_GRID}.getRowsRequest": GRID_REQUEST},
        {f"{CC.SELECTED}.data": {"activity": "ops-a9", "action": "views"}, f"{CC.ID}.data": "{id}"}),
    "users: a person's page": (UP.PUBLIC, {f"{UP.ID}.data": "{id}"}, None),
    "users: a person's contacts": (UP.CONTACTS, {f"{UP.ID}.data": "{id}"}, None),
    "users: a manager's team": (US.GRID, {f"{US.GRID}.getRowsRequest": GRID_REQUEST},
                                {f"{US.TABS}.active_tab": "current", f"{US.MANAGER}.data": "{id}"}),
}
FOREIGN_OF = {"users: a person's page": "u5", "users: a person's contacts": "u5", "users: a manager's team": "u5",
              "collaboration: users of a group": "g3", "collaboration: users table of a group": "g3",
              "collaboration: a course": "ops-c9", "collaboration: the people behind a course's number": "ops-c9",
              "program: results": "ops-p2", "session: individual results of a group": "g3",
              "session: a group's learners": "g3",
              **{name: "g3" for name in CALLBACKS if name.startswith("group:") and "session in" not in name}}


def _fill(spec, value):
    """The spec with "{id}" replaced by value, also one level down (a store holding {"group": id}, a list of ids)."""
    if spec is None:
        return None
    out = {}
    for k, v in spec.items():
        if isinstance(v, dict):
            v = {kk: (value if vv == "{id}" else vv) for kk, vv in v.items()}
        if isinstance(v, list):
            v = [value if vv == "{id}" else vv for vv in v]
        out[k] = value if v == "{id}" else v
    return out


@pytest.mark.parametrize("name", list(CALLBACKS))
def test_callbacks_treat_another_groups_ids_as_missing(app, name):
    output, inputs, state = CALLBACKS[name]
    foreign_id = FOREIGN_OF.get(name, "ops-s3")
    coach = signed_in_client(app, COACH)
    foreign = call(coach, app, output, _fill(inputs, foreign_id), _fill(state, foreign_id))
    missing = call(coach, app, output, _fill(inputs, MISSING), _fill(state, MISSING))
    same_answer(foreign, missing, foreign_id)
    assert "Lea" not in foreign.get_data(as_text=True) and "ops-b1" not in foreign.get_data(as_text=True)


def test_a_learner_of_another_group_inside_the_coachs_session_is_missing(app):
    """Mia (u5, Ops) is on s1's waiting list: Cora sees s1 but not her."""
    coach = signed_in_client(app, COACH)
    output, inputs, _ = CALLBACKS["session: a learner's blocks"]
    state = {f"{S.ID}.data": "s1"}
    foreign = call(coach, app, output, inputs, state)
    missing = call(coach, app, output, {f"{S.PEOPLE_GRID}.cellClicked": {"rowId": MISSING}}, state)
    same_answer(foreign, missing, "u5")
    owner = call(signed_in_client(app), app, output, inputs, state)
    assert "Mia Never" in owner.get_data(as_text=True)


@pytest.mark.parametrize("path,search,foreign_id", [
    ("/sessions/{id}", "", "ops-s3"), ("/sessions/program/{id}", "", "ops-p2"),
    ("/participants", "?session={id}", "ops-s3"), ("/at-risk", "?session={id}", "ops-s3"), ("/groups/{id}", "", "g3"),
    ("/compare", "?session={id}&session=s1", "ops-s3"), ("/compare", "?program={id}", "ops-p2"),
    ("/collaboration/courses/{id}", "", "ops-c9"), ("/collaboration/users", "?group={id}", "g3"),
    ("/users/{id}", "", "u5"), ("/users", "?manager={id}", "u5"),
])
def test_pages_treat_another_groups_ids_as_missing(app, path, search, foreign_id):
    coach = signed_in_client(app, COACH)
    foreign = page_content(coach, app, path.format(id=foreign_id), search.format(id=foreign_id))
    missing = page_content(coach, app, path.format(id=MISSING), search.format(id=MISSING))
    assert foreign.replace(foreign_id, "<id>") == missing.replace(MISSING, "<id>")
    assert "Ops June" not in foreign


def test_an_instructor_sees_only_their_sessions(app):
    instructor = signed_in_client(app, INSTRUCTOR)
    rows = instructor.get("/download/sessions.csv").get_data(as_text=True).splitlines()[1:]
    assert [r.split(",")[0] for r in rows] == ["s1"]
    assert instructor.get("/download/session.csv?session=s1").status_code == 200
    same_answer(instructor.get("/download/session.csv?session=ops-s3"),
                instructor.get(f"/download/session.csv?session={MISSING}"), "ops-s3")


def test_registrations_are_for_admins_only(app):
    """A coach asking for registrations gets what a report that does not exist for them gets."""
    coach = signed_in_client(app, COACH)
    refused = coach.get("/download/registrations.csv")
    assert refused.status_code == 404
    assert signed_in_client(app).get("/download/registrations.csv").status_code == 200


def test_an_author_sees_only_their_courses(app):
    author = signed_in_client(app, AUTHOR)
    courses = author.get("/download/courses.csv").get_data(as_text=True).splitlines()[1:]
    assert [line.split(",")[1] for line in courses] == ["c3"]
    assert author.get("/download/course-activities.csv?course=c3").status_code == 200
    same_answer(author.get("/download/course-activities.csv?course=ops-c9"),
                author.get(f"/download/course-activities.csv?course={MISSING}"), "ops-c9")
    assert "Aria's course" in page_content(author, app, "/collaboration/courses/c3")
    assert page_content(author, app, "/collaboration/courses/ops-c9").replace("ops-c9", "<id>") == \
        page_content(author, app, f"/collaboration/courses/{MISSING}").replace(MISSING, "<id>")
    # only the section of their courses
    assert "There is nothing at this address for you" in page_content(author, app, "/sessions")
    assert author.get("/download/sessions.csv").get_data(as_text=True).splitlines()[1:] == []


def test_anonymous_calls_are_refused(app):
    anonymous = app.server.test_client()
    for report, option in REPORT_ID_OPTION.items():
        query = f"?{option[0]}={option[1]}{''.join(option[2:])}" if option else ""
        assert anonymous.get(f"/download/{report}.csv{query}").status_code == 401
    for name, (output, inputs, state) in CALLBACKS.items():
        assert call(anonymous, app, output, _fill(inputs, "s1"), _fill(state, "s1")).status_code == 401, name


def test_the_weekly_digest_acts_only_for_the_signed_in_person(app):
    """Its callbacks take no id from the browser: the coach's settings and preview are hers alone; its one-click
    unsubscribe answers a forged token exactly as a token for nobody."""
    import json

    from dashboard.core.digest_mail import unsubscribe_token
    from dashboard.core.ids import Digest as D
    from data_access import digest_store

    coach = signed_in_client(app, COACH)
    saved = call(coach, app, D.STATUS, {f"{D.ON}.value": True, f"{D.DAY}.value": 2, f"{D.HOUR}.value": 9})
    assert "Saved. On: every Wednesday at 09:00" in saved.get_data(as_text=True)
    engine = app.server.extensions["learnpulse"].engine
    with engine.connect() as conn:
        assert [digest_store.subscription(conn, u) is not None for u in ("u2", "u1", "u5")] == [True, False, False]
    text = json.dumps(json.loads(call(coach, app, D.PREVIEW, {f"{D.PREVIEW_BUTTON}.n_clicks": 1}).data))
    assert "Mia Never" not in text and "Ops June" not in text and "1 newly at risk" in text
    anonymous = app.server.test_client()
    forged = anonymous.post("/digest/unsubscribe/" + unsubscribe_token("not the key", "u2"))
    nobody = anonymous.post("/digest/unsubscribe/" + unsubscribe_token(app.server.config["SECRET_KEY"], MISSING))
    same_answer(forged, nobody, "u2")
    assert forged.status_code == 404
    with engine.connect() as conn:
        assert digest_store.subscription(conn, "u2") is not None


def test_a_clicked_group_is_named_only_when_the_viewer_sees_it_in_the_session(app):
    """Sales North (g2) has registered learners of s1; Ops (g3) has none there: its id stands in for its name."""
    output, _, state = CALLBACKS["session: a group's learners"]
    owner = signed_in_client(app)
    named = call(owner, app, output, {f"{S.GROUPS_GRID}.cellClicked": {"rowId": "g2"}}, state).get_json()
    unnamed = call(owner, app, output, {f"{S.GROUPS_GRID}.cellClicked": {"rowId": "g3"}}, state).get_json()
    assert named["response"][S.PEOPLE_TITLE]["children"] == "Only Sales North"
    assert unnamed["response"][S.PEOPLE_TITLE]["children"] == "Only g3"
    assert named["response"][S.PEOPLE_FILTER]["data"] == {"group": "g2"}
