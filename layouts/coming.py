"""Sections whose issue has not landed yet: one "Coming" page each, from one table.

When a section is built, its entry leaves PENDING and it gets layouts/<page>.py + callbacks/<page>.py.
"""

from __future__ import annotations

from functools import partial

import dash

from layouts.common import NAV, coming_soon

PENDING: dict[str, list[str]] = {
    'groups': [
        'Group statistics: ongoing sessions per month, blended learning',
        'Attendance, completion and success rates over the last 12 months',
        'One line per session, drill down to learners and blocks',
    ],
    'users': [
        'Current and deleted users: time spent, last activity, direct reports',
        "One user's certificates, programs, courses, answered questions and tags",
        'Users, general stats and registrations CSVs',
    ],
    'collaboration': [
        'Publications, comments and reactions per user and per group',
        'Engagement by course activity: views, reactions, comments, downloads',
        'Courses with their reaction score',
    ],
}


def register(app) -> None:
    for key, what in PENDING.items():
        path, name, order = NAV[key]
        dash.register_page(f"{__name__}.{key}", path=path, name=name, title=f"LearnPulse — {name}",
                           nav_order=order, layout=partial(coming_soon, name, what))
