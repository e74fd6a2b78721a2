"""The cohort picker of the Participants and At risk pages: a searchable dropdown showing the first cohorts;
what is typed is searched on the server among all of them (callbacks/cohorts.py)."""

from __future__ import annotations

OPTIONS_SHOWN = 200  # the picker lists this many cohorts; typing searches all of them on the server


def cohort_options(cohorts: list[dict], label, search: str | None = None, keep: str | None = None,
                   limit: int = OPTIONS_SHOWN) -> list[dict]:
    """The picker's options ({label: label(cohort), value: its id}): the first `limit` cohorts in the query's
    order, or those whose name or id contains `search`; `keep` (the chosen cohort) is always among them so its
    label shows."""
    needle = (search or "").strip().lower()
    out = []
    for c in cohorts:
        hit = not needle or needle in c["name"].lower() or needle in c["session_id"].lower()
        if c["session_id"] == keep or (hit and len(out) < limit):
            out.append({"label": label(c), "value": c["session_id"]})
    return out
