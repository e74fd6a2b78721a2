"""Dash's page router, guarded by the page map: every page shows only to viewers whose sections include it
(the navbar hides the others, and an address typed by hand gets the same answer as a page that does not exist)."""

from __future__ import annotations

import dash
from dash._pages import _parse_path_variables  # the router's own matching of path templates
from dash.exceptions import MissingCallbackContextException

from dashboard import auth, pages
from layouts.common import nothing_to_show, page_not_found

ROUTER_PATHNAME = "_pages_location.pathname"  # the input of Dash's page router: the address being shown


def guard_pages() -> None:
    """Wrap every registered page's layout in the guard of its section. The section, and the ids in a page's path,
    come from the page map alone: a query parameter of the same name never replaces them. A registered page
    missing from the map is an error (KeyError), not a page left unguarded."""
    for key, entry in dash.page_registry.items():
        if not getattr(entry["layout"], "guarded", False):
            entry["layout"] = _guarded(pages.BY_NAME[key.removeprefix("layouts.")], entry["layout"])


def route_values(path_template: str | None) -> dict:
    """The variables of `path_template` in the address Dash's router is showing ({} outside the router or when the
    address does not match the template)."""
    try:
        pathname = dash.callback_context.inputs.get(ROUTER_PATHNAME)
    except MissingCallbackContextException:
        return {}
    if not isinstance(pathname, str):
        return {}
    values = _parse_path_variables(pathname.strip("/"), path_template.strip("/"))
    return values or {}


def _guarded(page: pages.Page, layout):
    names = set(page.variables)

    def guarded(**query):
        route = route_values(page.path) if names else {}
        values = {**{k: v for k, v in query.items() if k not in names}, **route}
        viewer = auth.current_viewer()
        if page.section is None or (viewer is not None and page.section in viewer.sections):
            return layout(**values) if callable(layout) else layout
        if viewer is not None and page is pages.USER_PAGE and route.get("user_id") == viewer.acting.user_id:
            return layout(**values)  # everyone sees their own statistics page (/users/<their id>)
        if viewer is not None and page.section == pages.OVERVIEW:
            return own_page(viewer.acting.user_id)  # a learner's home is their own page
        return page_not_found()

    guarded.guarded = True
    guarded.unguarded = layout
    return guarded


def own_page(user_id: str):
    """The signed-in person's own statistics page, for those who follow no one."""
    entry = dash.page_registry.get(f"layouts.{pages.USER_PAGE.name}")
    if entry is None:
        return nothing_to_show()
    layout = getattr(entry["layout"], "unguarded", entry["layout"])
    return layout(user_id=user_id)
