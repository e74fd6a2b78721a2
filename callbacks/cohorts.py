"""The cohort picker's server-side search (layouts/cohorts.py), for every page that has one."""

from __future__ import annotations

from dash import no_update

from callbacks import inputs
from dashboard.core import viewer
from layouts.cohorts import OPTIONS_SHOWN, cohort_options


def chosen_ids(chosen) -> list[str]:
    """The picker's chosen cohort ids (one, or a multiple choice's list), as sent: the ids among them."""
    values = chosen if isinstance(chosen, list) else [chosen]
    return [v for v in (inputs.an_id(value) for value in values[:OPTIONS_SHOWN]) if v]


@viewer.answers(unavailable=no_update)
def search(query, label, typed, chosen):
    """The picker's options for what is typed (`query`: the cohorts the page offers, searched in SQL; `label`: how
    the page names one), the chosen cohorts kept; nothing changes before anything is typed or when the database does
    not answer."""
    if typed is None:
        return no_update
    keep = chosen_ids(chosen)
    rows = viewer.run(query, search=inputs.text(typed).strip() or None, keep=keep, limit=OPTIONS_SHOWN)
    return cohort_options(rows, label, keep=keep)
