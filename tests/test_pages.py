"""The page map (dashboard/pages.py): the sections each role opens, the navbar each role sees, the links the href
builders write, and each link opening its page through Dash's router and the section guard.

Fixture bundle (tests/fixture_bundle.py) for the guard: Ada (u1) owner, Cora (u2) coach of Sales, Ivo (u7)
instructor of s1, Lea (u3) a learner.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import dash
import pytest
from dash._pages import _path_to_page  # the router's own choice of page for an address

from dashboard import pages
from dashboard.factory import create_app
from dashboard.settings import Settings
from data_access.scope import Scope
from tests import fixture_bundle
from tests.signing import page_content, signed_in_client

OWNER = Scope.owner()
COACH = Scope(user_id="u2", coach_groups=("g1",))
ADMIN = Scope(user_id="u8", admin_groups=("g3",))
INSTRUCTOR = Scope(user_id="u7", instructor_sessions=("s1",))
AUTHOR = Scope(user_id="u9", author_courses=("c1",))
INSTRUCTOR_AUTHOR = Scope(user_id="u10", instructor_sessions=("s1",), author_courses=("c1",))
LEARNER = Scope(user_id="u3")

EVERY_SECTION = {"overview", "participants", "at_risk", "program_sessions", "groups", "users", "collaboration"}
EVERY_NAV_PATH = ["/", "/participants", "/at-risk", "/sessions", "/groups", "/users", "/collaboration"]

# every href builder, with the address it writes and the page it opens (written out by hand)
LINKS = [
    (pages.program_session_href("s1"), "/sessions/s1", pages.PROGRAM_SESSION_PAGE),
    (pages.program_href("p1"), "/sessions/program/p1", pages.PROGRAM_PAGE),
    (pages.group_href("g2"), "/groups/g2", pages.GROUP_PAGE),
    (pages.user_href("u3"), "/users/u3", pages.USER_PAGE),
    (pages.team_href("u2"), "/users?manager=u2", pages.USERS_PAGE),
    (pages.collaboration_tab_href("sessions"), "/collaboration/sessions", pages.COLLABORATION_TAB_PAGES[3]),
    (pages.collaboration_tab_href("courses"), "/collaboration/courses", pages.COLLABORATION_TAB_PAGES[2]),
    (pages.collaboration_group_href("g1"), "/collaboration/users?group=g1", pages.COLLABORATION_TAB_PAGES[0]),
    (pages.course_href("c1"), "/collaboration/courses/c1", pages.COURSE_PAGE),
    (pages.participants_href(), "/participants", pages.PARTICIPANTS_PAGE),
    (pages.participants_href("s 1"), "/participants?session=s+1", pages.PARTICIPANTS_PAGE),
    (pages.compare_href(), "/compare", pages.COMPARE_PAGE),
    (pages.compare_href("s1"), "/compare?session=s1", pages.COMPARE_PAGE),
    (pages.compare_href(program_id="p1"), "/compare?program=p1", pages.COMPARE_PAGE),
    (pages.at_risk_href(), "/at-risk", pages.AT_RISK_PAGE),
    (pages.at_risk_href("s/1", ["not logged in", "overdue"]), "/at-risk?session=s%2F1&reason=not-logged-in,overdue",
     pages.AT_RISK_PAGE),
]


def test_the_sections_each_role_opens():
    assert pages.sections(OWNER) == EVERY_SECTION
    assert pages.sections(COACH) == EVERY_SECTION
    assert pages.sections(ADMIN) == EVERY_SECTION
    assert pages.sections(INSTRUCTOR) == {"overview", "participants", "at_risk", "program_sessions"}
    assert pages.sections(AUTHOR) == {"collaboration"}
    assert pages.sections(INSTRUCTOR_AUTHOR) == {"overview", "participants", "at_risk", "program_sessions",
                                                 "collaboration"}
    assert pages.sections(LEARNER) == set()


def test_every_navbar_page_shows_to_the_roles_that_open_it():
    def nav(scope):
        return [p.path for p in pages.nav_pages(pages.sections(scope))]

    assert nav(OWNER) == nav(COACH) == nav(ADMIN) == EVERY_NAV_PATH
    assert nav(INSTRUCTOR) == ["/", "/participants", "/at-risk", "/sessions"]
    assert nav(AUTHOR) == ["/collaboration"]
    assert nav(LEARNER) == []
    assert [p.title for p in pages.nav_pages(frozenset(EVERY_SECTION))] == [
        "Overview", "Participants", "At risk", "Program sessions", "Groups", "Users", "Collaborative activity"]


def test_the_map_names_each_page_once():
    assert len({p.name for p in pages.PAGES}) == len({p.path for p in pages.PAGES}) == len(pages.PAGES) == 19
    assert pages.PROGRAM_SESSION_PAGE.browser_title == "LearnPulse — Program session"
    assert pages.COURSE_PAGE.browser_title == "LearnPulse — Course collaborative activity"
    assert pages.USER_PAGE.variables == ("user_id",)
    assert pages.group_href("") == "/groups/"  # the groups tree appends an id in the browser
    assert pages.profile_link("u3") == "[View profile](/users/u3)"


@pytest.mark.parametrize("href,expected,page", LINKS, ids=[link[1] for link in LINKS])
def test_each_href_builder_writes_the_address_of_its_page(href, expected, page):
    assert href == expected
    assert pages.page_at(urlsplit(href).path) is page


def test_the_map_routes_as_dash_does(tmp_path):
    create_app(Settings.from_env(env={}, database_url=f"sqlite:///{tmp_path / 'e.sqlite3'}",
                                 seed_demo_on_empty=False, data_dir=tmp_path))
    assert sorted(dash.page_registry) == sorted(f"layouts.{p.name}" for p in pages.PAGES)
    addresses = [urlsplit(href).path for href, _, _ in LINKS] + [
        p.href(**dict.fromkeys(p.variables, "x1")) for p in pages.PAGES] + ["/nowhere", "/sessions/a/b"]
    for address in addresses:
        routed = _path_to_page(address.strip("/"))[0].get("module")
        mapped = pages.page_at(address)
        assert routed == (f"layouts.{mapped.name}" if mapped else None), address
        if mapped is not None:
            assert dash.page_registry[routed]["title"] == mapped.browser_title


NOT_YOURS = "There is nothing at this address for you"


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_each_link_passes_the_guard_exactly_for_the_roles_whose_sections_hold_it(loaded, tmp_path):
    url = loaded.url.render_as_string(hide_password=False)
    app = create_app(Settings.from_env(env={}, database_url=url, now_override=fixture_bundle.NOW,
                                       seed_demo_on_empty=False, data_dir=tmp_path))
    roles = {"ada@example.com": OWNER, "cora@example.com": COACH, "ivo@example.com": INSTRUCTOR,
             "lea@example.com": LEARNER}
    for email, scope in roles.items():
        client = signed_in_client(app, email)
        allowed = pages.sections(scope)
        for href, _, page in LINKS:
            parts = urlsplit(href)
            content = page_content(client, app, parts.path, f"?{parts.query}" if parts.query else "")
            own_page = page is pages.USER_PAGE and parts.path == pages.user_href(scope.user_id or "")
            assert (NOT_YOURS in content) == (page.section not in allowed and not own_page), (email, href)
