"""Groups page (placeholder until its issue lands)."""

from __future__ import annotations

import dash

from layouts.common import NAV, coming_soon

PATH, NAME, ORDER = NAV["groups"]
WHAT = [
    'Group statistics: ongoing sessions per month, blended learning',
    'Attendance, completion and success rates over the last 12 months',
    'One line per session, drill down to learners and blocks',
]


def register(app) -> None:
    dash.register_page(__name__, path=PATH, name=NAME, title=f"LearnPulse — {NAME}", nav_order=ORDER,
                       layout=layout)


def layout(**_query):
    return coming_soon(NAME, WHAT)
