"""Participants page (placeholder until its issue lands)."""

from __future__ import annotations

import dash

from layouts.common import NAV, coming_soon

PATH, NAME, ORDER = NAV["participants"]
WHAT = [
    "Participant activity: learners per days-since-last-login bucket, coloured by this cohort's limits",
    'Click a bar to list those learners, copy their emails, download them',
    'Cohort progress CSV: topics due so far, completed, progress',
]


def register(app) -> None:
    dash.register_page(__name__, path=PATH, name=NAME, title=f"LearnPulse — {NAME}", nav_order=ORDER,
                       layout=layout)


def layout(**_query):
    return coming_soon(NAME, WHAT)
