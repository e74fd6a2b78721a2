"""Program sessions page (placeholder until its issue lands)."""

from __future__ import annotations

import dash

from layouts.common import NAV, coming_soon

PATH, NAME, ORDER = NAV["program_sessions"]
WHAT = [
    'Sessions table by program template, with In progress / Finished / All',
    'Session statistics: KPIs, progress by course, score by block, levels',
    'Results by group, individual and detailed results, and their CSVs',
]


def register(app) -> None:
    dash.register_page(__name__, path=PATH, name=NAME, title=f"LearnPulse — {NAME}", nav_order=ORDER,
                       layout=layout)


def layout(**_query):
    return coming_soon(NAME, WHAT)
