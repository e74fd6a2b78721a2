"""At-risk CSV (metrics.md, "At risk"): every learner at risk in the running sessions in scope, or in one."""

from __future__ import annotations

from collections.abc import Iterator

from data_access.exports.csv_format import csv_chunks, date, pct
from data_access.queries import at_risk as q
from data_access.scope import require_session

HEADER = ["First name", "Last name", "Email", "Cohort", "Session ID", "Reasons", "Days since last login",
          "Topics overdue", "Score", "Last contacted"]


def lines(rows: list[dict], tz: str) -> Iterator[list]:
    for r in rows:
        yield [r["first_name"], r["last_name"], r["email"], r["cohort"], r["session_id"], "|".join(r["reasons"]),
               "" if r["days_since"] is None else r["days_since"], r["overdue"], pct(r["score_pct"]),
               date(r["last_contacted_at"], tz)]


def at_risk(conn, scope, now, tz: str, session_id: str | None = None) -> Iterator[str]:
    """Without a session, every running session the viewer sees; with one, that session (LookupError when the
    viewer does not see it; the header alone when it is not running)."""
    if session_id is not None:
        require_session(conn, scope, session_id)
    rows = q.at_risk(conn, scope, now, sessions=None if session_id is None else [session_id])
    return csv_chunks(HEADER, lines(rows, tz))


def selection(conn, scope, now, tz: str, pairs: list) -> str:
    """The same columns over the selected learners (user id, session id) the viewer sees at risk."""
    return "".join(csv_chunks(HEADER, lines(q.selection(conn, scope, now, pairs), tz)))


def _report(conn, scope, now, settings, options):
    sessions = [s for s in (options.session or []) if s]
    if len(sessions) > 1:
        raise ValueError("--session ID: at most one program session")
    return at_risk(conn, scope, now, settings.timezone, sessions[0] if sessions else None)


REPORTS = {"at-risk": _report}
