"""The cohort pickers of the Participants, At risk and Compare pages: a searchable dropdown showing the first cohorts
(read with a LIMIT: data_access/queries/cohort_choices.py); what is typed is searched on the server among all of them
(callbacks/cohorts.py)."""

from __future__ import annotations

OPTIONS_SHOWN = 200  # the picker lists this many cohorts; typing searches all of them on the server


def cohort_options(cohorts: list[dict], label, search: str | None = None, keep=None,
                   limit: int = OPTIONS_SHOWN) -> list[dict]:
    """The picker's options ({label: label(cohort), value: its id}): the first `limit` cohorts in the query's
    order, or those whose name or id contains `search`; `keep` (the chosen cohort, or the chosen ones of a
    multiple choice) is always among them so its label shows."""
    needle = (search or "").strip().lower()
    kept = set(keep) if isinstance(keep, list | tuple | set) else {keep}
    out = []
    for c in cohorts:
        hit = not needle or needle in c["name"].lower() or needle in c["session_id"].lower()
        if c["session_id"] in kept or (hit and len(out) < limit):
            out.append({"label": label(c), "value": c["session_id"]})
    return out
