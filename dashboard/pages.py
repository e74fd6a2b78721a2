"""The page map: every page's address, title, place in the navigation bar and section, the sections each role may
open, and the functions that build a link to a page. The navbar (layouts/shell.py), the section guard
(dashboard/router.py), Dash's page registry and every link read it; no other module writes a page's path.

Words: a "program session" is a run of a learning program (a cohort, /sessions/<session_id>); a "sign-in session"
is a browser's authentication (dashboard.signin_sessions) and has no page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from data_access.scope import Scope

# --- sections: what a viewer may open ------------------------------------------------------------------------------
OVERVIEW, PARTICIPANTS, AT_RISK, PROGRAM_SESSIONS, GROUPS, USERS, COLLABORATION = (
    "overview", "participants", "at_risk", "program_sessions", "groups", "users", "collaboration")
ALL_SECTIONS = (OVERVIEW, PARTICIPANTS, AT_RISK, PROGRAM_SESSIONS, GROUPS, USERS, COLLABORATION)
INSTRUCTOR_SECTIONS = frozenset({OVERVIEW, PARTICIPANTS, AT_RISK, PROGRAM_SESSIONS})
AUTHOR_SECTIONS = frozenset({COLLABORATION})


def sections(scope: Scope) -> frozenset[str]:
    """The sections a viewer may open (metrics.md "Who sees what"): the owner and admins and coaches (who follow
    their groups' people and program sessions) every one; instructors those of their program sessions; authors
    their courses' collaborative activity; anyone else (a learner) none."""
    if scope.is_owner or scope.managed_groups:
        return frozenset(ALL_SECTIONS)
    allowed: set[str] = set()
    if scope.instructor_sessions:
        allowed |= INSTRUCTOR_SECTIONS
    if scope.author_courses:
        allowed |= AUTHOR_SECTIONS
    return frozenset(allowed)


# --- the pages -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    name: str  # layouts.<name> registers it (Dash's page registry key, without "layouts.")
    path: str  # its address, or the template of its addresses ("/users/<user_id>")
    title: str  # its name: the heading, the navbar link, and the browser tab after "LearnPulse — "
    section: str | None  # who may open it (sections()); None: every signed-in viewer (the page checks itself)
    nav_order: float | None = None  # its place in the navbar; None: not in it
    tab_title: str | None = None  # the browser tab's words when they are not `title`

    @property
    def browser_title(self) -> str:
        return f"LearnPulse — {self.tab_title or self.title}"

    @property
    def variables(self) -> tuple[str, ...]:
        """The names of the ids in its address ("/users/<user_id>": ("user_id",))."""
        return tuple(re.findall(r"<(\w+)>", self.path))

    def href(self, **values: str) -> str:
        """Its address with these ids in place of the template's variables."""
        return re.sub(r"<(\w+)>", lambda m: str(values[m.group(1)]), self.path)


COLLABORATION_TABS = (("users", "Users"), ("groups", "Groups"), ("courses", "Courses"),
                      ("sessions", "Sessions"))  # the Sessions tab: collaborative activity per program session

OVERVIEW_PAGE = Page("overview", "/", "Overview", OVERVIEW, nav_order=0)
PARTICIPANTS_PAGE = Page("participants", "/participants", "Participants", PARTICIPANTS, nav_order=1)
AT_RISK_PAGE = Page("at_risk", "/at-risk", "At risk", AT_RISK, nav_order=1.5)
PROGRAM_SESSIONS_PAGE = Page("program_sessions", "/sessions", "Program sessions", PROGRAM_SESSIONS, nav_order=2)
PROGRAM_SESSION_PAGE = Page("session", "/sessions/<session_id>", "Program session", PROGRAM_SESSIONS)
PROGRAM_PAGE = Page("program", "/sessions/program/<program_id>", "Program template", PROGRAM_SESSIONS)
GROUPS_PAGE = Page("groups", "/groups", "Groups", GROUPS, nav_order=3)
GROUP_PAGE = Page("group", "/groups/<group_id>", "Group", GROUPS)
USERS_PAGE = Page("users", "/users", "Users", USERS, nav_order=4)
USER_PAGE = Page("user", "/users/<user_id>", "User statistics", USERS)  # everyone may open their own (router)
COLLABORATION_PAGE = Page("collaboration", "/collaboration", "Collaborative activity", COLLABORATION, nav_order=5)
COLLABORATION_TAB_PAGES = tuple(
    Page(f"collaboration.{key}", f"/collaboration/{key}", f"Collaborative activity: {label}", COLLABORATION)
    for key, label in COLLABORATION_TABS)  # exact paths: /collaboration/courses/<id> stays the course page's
COURSE_PAGE = Page("collaboration_course", "/collaboration/courses/<course_id>", "Course", COLLABORATION,
                   tab_title="Course collaborative activity")
VIEW_AS_PAGE = Page("view_as", "/view-as", "View as", None)  # owners only: the page says so to anyone else
COMPARE_PAGE = Page("compare", "/compare", "Compare cohorts", PARTICIPANTS)
DIGEST_PAGE = Page("digest", "/digest", "Weekly digest", None)  # those who may open Participants (the page checks)

# Dash's router opens the first page, in this order, whose path is the address or whose template matches it; a
# template's variable matches any text, "/" included, so a page under a template's prefix comes before it
# (/sessions/program/<program_id> before /sessions/<session_id>)
PAGES = (OVERVIEW_PAGE, PARTICIPANTS_PAGE, AT_RISK_PAGE, PROGRAM_SESSIONS_PAGE, PROGRAM_PAGE, PROGRAM_SESSION_PAGE,
         GROUPS_PAGE, GROUP_PAGE, USERS_PAGE, USER_PAGE, COLLABORATION_PAGE, *COLLABORATION_TAB_PAGES, COURSE_PAGE,
         VIEW_AS_PAGE, COMPARE_PAGE, DIGEST_PAGE)
BY_NAME = {p.name: p for p in PAGES}


def nav_pages(allowed: frozenset[str]) -> list[Page]:
    """The navbar's pages a viewer with these sections may open, in navbar order."""
    return sorted((p for p in PAGES if p.nav_order is not None and p.section in allowed), key=lambda p: p.nav_order)


def register(page: Page, layout) -> None:
    """Put a page in Dash's page registry (its router) as the map describes it."""
    import dash  # here: the digest mail and the CLI use the map without loading Dash

    where = {"path_template": page.path} if page.variables else {"path": page.path}
    dash.register_page(f"layouts.{page.name}", **where, name=page.title, title=page.browser_title,
                       nav_order=page.nav_order, order=PAGES.index(page), layout=layout)


def page_at(path: str | None) -> Page | None:
    """The page an address (without its query) opens, matched as Dash's router does (see PAGES)."""
    path = (path or "").strip("/")
    for p in PAGES:
        pattern = "(?:.*)".join(re.escape(part) for part in re.split(r"<\w+>", p.path.strip("/")))
        if re.fullmatch(pattern, path, flags=re.S):
            return p
    return None


# --- links ---------------------------------------------------------------------------------------------------------
def program_session_href(session_id: str) -> str:
    return PROGRAM_SESSION_PAGE.href(session_id=session_id)


def program_href(program_id: str) -> str:
    return PROGRAM_PAGE.href(program_id=program_id)


def group_href(group_id: str) -> str:
    """A group's page ("" gives the prefix the groups tree appends an id to in the browser)."""
    return GROUP_PAGE.href(group_id=group_id)


def user_href(user_id: str) -> str:
    return USER_PAGE.href(user_id=user_id)


def team_href(manager_id: str) -> str:
    """The Users list narrowed to someone's direct reports."""
    return f"{USERS_PAGE.path}?manager={manager_id}"


def profile_link(user_id: str) -> str:
    """A grid cell's link to a person's statistics page (markdown)."""
    return f"[View profile]({user_href(user_id)})"


def collaboration_tab_href(tab: str) -> str:
    """A tab of Collaborative activity (users, groups, courses, sessions)."""
    return f"{COLLABORATION_PAGE.path}/{tab}"


def collaboration_group_href(group_id: str) -> str:
    """The Users tab of Collaborative activity narrowed to a group."""
    return f"{collaboration_tab_href('users')}?group={group_id}"


def course_href(course_id: str) -> str:
    return COURSE_PAGE.href(course_id=course_id)


def participants_href(session_id: str | None = None) -> str:
    """Participants, showing a cohort (a program session) when given."""
    return PARTICIPANTS_PAGE.path + (f"?{urlencode({'session': session_id})}" if session_id else "")


def compare_href(session_id: str | None = None, program_id: str | None = None) -> str:
    """Compare cohorts: a cohort beside its program template's previous sessions, or a template's latest ones."""
    query = {k: v for k, v in (("session", session_id), ("program", program_id)) if v}
    return COMPARE_PAGE.path + (f"?{urlencode(query)}" if query else "")


def at_risk_href(session_id: str | None = None, reasons: list[str] | None = None) -> str:
    """The at-risk list, narrowed to a cohort and to learners with any of these reasons."""
    query = []
    if session_id:
        query.append("session=" + quote(session_id, safe=""))
    if reasons:
        query.append("reason=" + ",".join(quote(r.replace(" ", "-"), safe="") for r in reasons))
    return AT_RISK_PAGE.path + ("?" + "&".join(query) if query else "")
