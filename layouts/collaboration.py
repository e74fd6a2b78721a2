"""Collaborative activity page (placeholder until its issue lands)."""

from __future__ import annotations

import dash

from layouts.common import NAV, coming_soon

PATH, NAME, ORDER = NAV["collaboration"]
WHAT = [
    'Publications, comments and reactions per user and per group',
    'Engagement by course activity: views, reactions, comments, downloads',
    'Courses with their reaction score',
]


def register(app) -> None:
    dash.register_page(__name__, path=PATH, name=NAME, title=f"LearnPulse — {NAME}", nav_order=ORDER,
                       layout=layout)


def layout(**_query):
    return coming_soon(NAME, WHAT)
