"""The page frame around every page: the navbar (its links from the page map, the meeting-safe switch, the
account menu), the meeting-safe and view-as banners, and the page the router shows. Its callbacks are in
callbacks/shell.py."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import auth, pages, pseudonyms
from dashboard.auth import Viewer
from dashboard.ids import Shell as ID
from dashboard.pseudonyms import HIDDEN_EMAIL
from dashboard.signin import LOGOUT_PATH  # a page with the button that signs out


def layout():
    viewer = auth.current_viewer()
    masker = pseudonyms.current_masker() if viewer is not None else None
    return html.Div([
        dcc.Location(id=ID.URL),
        dcc.Store(id=ID.RELOAD),
        dcc.Store(id=ID.RELOADED),
        dcc.Store(id=ID.MEETING_SAVED),
        navbar(viewer, masker),
        meeting_banner(masker is not None),
        view_as_banner(viewer, masker),
        dbc.Container(dash.page_container, fluid=True, className="lp-page mt-3"),
    ])


def navbar(viewer: Viewer | None, masker=None):
    """The brand, the links to the pages this viewer may open (collapsed behind a toggler on narrow screens), the
    meeting-safe switch and the account menu."""
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand([html.Span("●", className="brand-dot", **{"aria-hidden": "true"}), " LearnPulse"],
                            href=pages.OVERVIEW_PAGE.path),
            dbc.NavbarToggler(id=ID.TOGGLER),
            dbc.Collapse([
                dbc.Nav(nav_links(viewer), id=ID.NAV, navbar=True, className="me-auto"),
                meeting_switch(masker is not None) if viewer is not None else None,
                viewer_menu(viewer, masker),
            ], id=ID.COLLAPSE, navbar=True, is_open=False),
        ], fluid=True),
        color="dark", dark=True, expand="lg", className="lp-navbar",
    )


def nav_links(viewer: Viewer | None):
    allowed = viewer.sections if viewer else frozenset()
    return [dbc.NavItem(dbc.NavLink(p.title, href=dash.get_relative_path(p.path), active="exact"))
            for p in pages.nav_pages(allowed)]


def roles_text(scope) -> str:
    """A person's roles in a few words: 'coach of 2 groups, instructor of 1 session'."""
    if scope.is_owner:
        return "platform owner"
    held = [("admin", scope.admin_groups, "group"), ("coach", scope.coach_groups, "group"),
            ("instructor", scope.instructor_sessions, "session"), ("author", scope.author_courses, "course")]
    parts = [f"{role} of {len(items)} {noun}{'s' if len(items) > 1 else ''}" for role, items, noun in held if items]
    return ", ".join(parts) or "learner"


def shown_name(acct, masker) -> tuple[str, str]:
    """A person's name and e-mail as the viewer sees them (pseudonyms in meeting-safe mode)."""
    if masker is None:
        return acct.name, acct.email
    return masker.person(acct.user_id), HIDDEN_EMAIL


def meeting_switch(on: bool):
    """The navbar's meeting-safe switch (kept per person on the server)."""
    return html.Div(dbc.Switch(id=ID.MEETING_SAFE, label="Meeting-safe", value=bool(on),
                               className="lp-meeting-switch mb-0", label_class_name="text-light"),
                    title="Hide every person's name and e-mail (shown as pseudonyms), for a projector",
                    className="me-lg-3 align-self-lg-center")


def meeting_banner(on: bool):
    if not on:
        return None
    return html.Div(dbc.Container([
        html.Strong("Names are hidden. ", className="me-1"),
        html.Span("Meeting-safe mode is on: every person is shown as a pseudonym such as “Learner 7F3A2C”, the same "
                  "on every page; numbers are unchanged. Downloads still contain names."),
    ], fluid=True), id=ID.MEETING_BANNER, className="alert alert-info lp-meeting-banner py-2 mb-0 rounded-0",
        role="status")


def viewer_menu(viewer: Viewer | None, masker=None):
    """The signed-in person, with View as (owners), Sign out and Sign out everywhere (every browser of theirs)."""
    if viewer is None:
        return None
    acct = viewer.account
    name, email = shown_name(acct, masker)
    items = [html.Div([html.Div(name, className="fw-semibold"),
                       html.Div(email, className="small text-muted"),
                       html.Div(roles_text(acct.scope), className="small text-muted")],
                      className="px-3 py-1 lp-viewer-who")]
    if pages.PARTICIPANTS in viewer.sections:
        items.append(dbc.DropdownMenuItem(pages.DIGEST_PAGE.title, href=pages.DIGEST_PAGE.path))
    if acct.scope.is_owner:
        items.append(dbc.DropdownMenuItem("View as…", href=pages.VIEW_AS_PAGE.path))
    items += [dbc.DropdownMenuItem(divider=True),
              dbc.DropdownMenuItem("Sign out", href=LOGOUT_PATH, external_link=True),
              dbc.DropdownMenuItem("Sign out everywhere", href=f"{LOGOUT_PATH}?everywhere=1", external_link=True)]
    return dbc.Nav(dbc.DropdownMenu(items, label=name, nav=True, align_end=True, className="lp-viewer"),
                   navbar=True)


def view_as_banner(viewer: Viewer | None, masker=None):
    if viewer is None or not viewer.viewing_as:
        return None
    who = viewer.acting
    name, email = shown_name(who, masker)
    return dbc.Alert(dbc.Container([
        html.Span(["You are viewing LearnPulse as ", html.Strong(name), f" ({email}, {roles_text(who.scope)}): "
                   "exactly what they see."], className="me-3"),
        dbc.Button("Stop viewing as", id=ID.STOP_VIEW_AS, size="sm", color="dark", outline=True),
    ], fluid=True, className="d-flex flex-wrap align-items-center"), color="warning", className="lp-view-as py-2")
