"""Reading the export options (command line or download query string) that several reports share."""

from __future__ import annotations


def one_session(options) -> str:
    sessions = [s for s in (options.session or []) if s]
    if len(sessions) != 1:
        raise ValueError("--session ID is required: the program session (cohort) to export")
    return sessions[0]
