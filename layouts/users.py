"""Users page (placeholder until its issue lands)."""

from __future__ import annotations

import dash

from layouts.common import NAV, coming_soon

PATH, NAME, ORDER = NAV["users"]
WHAT = [
    'Current and deleted users: time spent, last activity, direct reports',
    "One user's certificates, programs, courses, answered questions and tags",
    'Users, general stats and registrations CSVs',
]


def register(app) -> None:
    dash.register_page(__name__, path=PATH, name=NAME, title=f"LearnPulse — {NAME}", nav_order=ORDER,
                       layout=layout)


def layout(**_query):
    return coming_soon(NAME, WHAT)
