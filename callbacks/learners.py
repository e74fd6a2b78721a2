"""Learner parts every page fills the same way: the rows of a learner table (layouts.learners.PEOPLE_COLUMNS)
and the dialog with a learner's results per block (layouts.learners.learner_modal)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import viewer
from dashboard.pages import profile_link
from data_access.exports.csv_format import date
from layouts.common import data_unavailable
from layouts.formats import duration, score_text


def people_rows(rows: list[dict], tz: str) -> list[dict]:
    return [{"user_id": r["user_id"], "first_name": r["first_name"], "last_name": r["last_name"],
             "unassigned": r["unassigned"], "deleted": r["deleted"], "progress": round(r["progress"], 1),
             "score": None if r["score"] is None else round(r["score"], 1),
             "time_spent": duration(r["time_spent_s"]) if r["time_spent_s"] else "-",
             "last_activity": date(r["last_activity_at"], tz), "profile_link": profile_link(r["user_id"])}
            for r in rows]


def learner_table(blocks: list[dict]):
    head = html.Thead(html.Tr([html.Th(h) for h in ("#", "Block", "Kind", "Status", "Score", "Time", "Attempts")]))
    body = html.Tbody([html.Tr([html.Td(b["position"]), html.Td(b["title"]), html.Td(b["kind"]),
                                html.Td(b["status"]), html.Td(score_text(b["score"])),
                                html.Td(duration(b["time_spent_s"])), html.Td(b["attempts"])]) for b in blocks])
    return dbc.Table([head, body], size="sm", striped=True, className="mb-0")


@viewer.answers(unavailable=lambda: (True, "Not available", data_unavailable()),
                # gone since the table was drawn, or never visible: the same answer
                missing=lambda: (True, "Not found", dbc.Alert("This learner is not in this list (any more).",
                                                              color="secondary")))
def learner_dialog(query, **filters) -> tuple:
    """(is_open, title, body) of the learner dialog from a learner-blocks query (the session page's, or the
    group page's which checks access through the group)."""
    learner = viewer.run(query, **filters)
    return True, f"{learner['first_name']} {learner['last_name']}: results per block", learner_table(learner["blocks"])
