"""Program session rows as every program session table shows them (Program sessions, a program template, a group,
the Sessions tab of Collaborative activity): the name a link to the session's page, the template a link to its
page, dates as text."""

from __future__ import annotations

from dashboard.pages import program_href, program_session_href
from data_access.exports.csv_format import date


def link_text(text: str) -> str:
    """Markdown link text: escape what would break the link."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def grid_rows(rows: list[dict], tz: str, when=date) -> list[dict]:
    """Rows with the session's name as a link and dates as text (when: the date formatter)."""
    out = []
    for r in rows:
        row = {**r, "name_link": f"[{link_text(r['name'])}]({program_session_href(r['session_id'])})",
               "start": when(r["start_at"], tz), "end": when(r["end_at"], tz)}
        if "program" in r:
            row["program_link"] = f"[{link_text(r['program'])}]({program_href(r['program_id'])})"
        out.append(row)
    return out
