"""The cohort picker's server-side search (layouts/cohorts.py), for every page that has one."""

from __future__ import annotations

from dash import no_update

from callbacks import inputs
from dashboard import viewer
from layouts.cohorts import cohort_options


@viewer.answers(unavailable=no_update)
def search(query, label, typed, chosen):
    """The picker's options for what is typed (`query`: the cohorts the page offers; `label`: how the page names
    one), the chosen cohort kept; nothing changes before anything is typed or when the database does not answer."""
    if typed is None:
        return no_update
    return cohort_options(viewer.run(query), label, search=inputs.text(typed), keep=inputs.an_id(chosen))
