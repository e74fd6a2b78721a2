"""Learner parts every page shows the same way: the "View profile" column, the learner table's columns and the
dialog with a learner's results per block (callbacks/learners.py fills it)."""

from __future__ import annotations

import dash_bootstrap_components as dbc

from layouts.grids import NUMBER_FILTER, TEXT_FILTER

# the "View profile" column of every learner table (rows carry profile_link(user_id))
PROFILE_COLUMN = {"colId": "profile", "field": "profile_link", "headerName": "", "cellRenderer": "markdown",
                  "sortable": False, "filter": False, "maxWidth": 130, "minWidth": 120}

# a server-paged table of learners with their progress (rows: callbacks.learners.people_rows)
PEOPLE_COLUMNS = [
    {"field": "first_name", "headerName": "First name", **TEXT_FILTER},
    {"field": "last_name", "headerName": "Last name", **TEXT_FILTER},
    {"field": "progress", "headerName": "Progress (%)", **NUMBER_FILTER},
    {"field": "score", "headerName": "Score", **NUMBER_FILTER},
    {"field": "time_spent", "headerName": "Time spent", "filter": False, "type": "numericColumn"},
    {"field": "last_activity", "headerName": "Last activity", "filter": False},
    PROFILE_COLUMN,
]


def learner_modal(ids):
    """The dialog with a learner's results per block (ids: a class with LEARNER_MODAL, LEARNER_TITLE and
    LEARNER_BODY); opened from the session page and the group page."""
    return dbc.Modal([dbc.ModalHeader(dbc.ModalTitle(id=ids.LEARNER_TITLE)), dbc.ModalBody(id=ids.LEARNER_BODY)],
                     id=ids.LEARNER_MODAL, size="lg", is_open=False)
