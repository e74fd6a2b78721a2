"""Component ids, defined once. Pages use id(page, name); repeated components use dict ids."""

from __future__ import annotations


def cid(page: str, name: str) -> str:
    return f"{page}-{name}"


class Shell:
    URL = "url"
    NAV = "nav"
    DATA_NOTE = "shell-data-note"


class Overview:
    PAGE = "overview"
    KPIS = cid(PAGE, "kpis")
    LOGINS_CHART = cid(PAGE, "logins-chart")
    RECENCY_CHART = cid(PAGE, "recency-chart")
    SESSIONS = cid(PAGE, "sessions")
    LOAD = cid(PAGE, "load")


class Participants:
    PAGE = "participants"
    COHORT = cid(PAGE, "cohort")
    EXPORT = cid(PAGE, "export")
    MESSAGE = cid(PAGE, "message")
    SUMMARY = cid(PAGE, "summary")
    GREEN = cid(PAGE, "green-limit")
    YELLOW = cid(PAGE, "yellow-limit")
    LIMITS_STATUS = cid(PAGE, "limits-status")
    LIMITS = cid(PAGE, "limits")  # store: the limits in force
    LEGEND = cid(PAGE, "legend")
    CHART = cid(PAGE, "chart")
    ACTIVITY = cid(PAGE, "activity")  # store: bucket counts of the cohort
    SELECTED = cid(PAGE, "selected")  # store: the selected buckets
    URL_SYNC = cid(PAGE, "url-sync")
    LIST_CARD = cid(PAGE, "list-card")
    LIST_TITLE = cid(PAGE, "list-title")
    LIST_HINT = cid(PAGE, "list-hint")
    GRID = cid(PAGE, "grid")
    GRID_REFRESH = cid(PAGE, "grid-refresh")  # store: written when the grid must reload its rows
    EMAILS = cid(PAGE, "emails")  # store: the emails to copy
    DOWNLOAD = cid(PAGE, "download")
    COPY = cid(PAGE, "copy")
    COPY_STATUS = cid(PAGE, "copy-status")
    CLEAR = cid(PAGE, "clear")
