"""The parts of the page frame that depend on who is viewing: the account menu and the view-as banner."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import auth
from dashboard.auth import Viewer
from dashboard.digest_mail import SETTINGS_PATH as DIGEST_PATH
from dashboard.ids import Shell as ID

VIEW_AS_PATH = "/view-as"
LOGOUT_PATH = "/logout"  # a page with the button that signs out (dashboard.signin)


def roles_text(scope) -> str:
    """A person's roles in a few words: 'coach of 2 groups, instructor of 1 session'."""
    if scope.is_owner:
        return "platform owner"
    held = [("admin", scope.admin_groups, "group"), ("coach", scope.coach_groups, "group"),
            ("instructor", scope.instructor_sessions, "session"), ("author", scope.author_courses, "course")]
    parts = [f"{role} of {len(items)} {noun}{'s' if len(items) > 1 else ''}" for role, items, noun in held if items]
    return ", ".join(parts) or "learner"


def viewer_menu(viewer: Viewer | None):
    """The signed-in person, with View as (owners), Sign out and Sign out everywhere (every browser of theirs)."""
    if viewer is None:
        return None
    acct = viewer.account
    items = [dbc.DropdownMenuItem([html.Div(acct.name, className="fw-semibold"),
                                   html.Div(acct.email, className="small text-muted"),
                                   html.Div(roles_text(acct.scope), className="small text-muted")],
                                  header=True)]
    if auth.PARTICIPANTS in viewer.sections:
        items.append(dbc.DropdownMenuItem("Weekly digest", href=DIGEST_PATH))
    if acct.scope.is_owner:
        items.append(dbc.DropdownMenuItem("View as…", href=VIEW_AS_PATH))
    items += [dbc.DropdownMenuItem(divider=True),
              dbc.DropdownMenuItem("Sign out", href=LOGOUT_PATH, external_link=True),
              dbc.DropdownMenuItem("Sign out everywhere", href=f"{LOGOUT_PATH}?everywhere=1", external_link=True)]
    return dbc.Nav(dbc.DropdownMenu(items, label=acct.name, nav=True, align_end=True, className="lp-viewer"),
                   navbar=True)


def view_as_banner(viewer: Viewer | None):
    if viewer is None or not viewer.viewing_as:
        return None
    who = viewer.acting
    return dbc.Alert(dbc.Container([
        html.Span(["You are viewing LearnPulse as ", html.Strong(who.name), f" ({who.email}, {roles_text(who.scope)}): "
                   "exactly what they see."], className="me-3"),
        dbc.Button("Stop viewing as", id=ID.STOP_VIEW_AS, size="sm", color="dark", outline=True),
    ], fluid=True, className="d-flex flex-wrap align-items-center"), color="warning", className="lp-view-as py-2")
