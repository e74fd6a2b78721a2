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


class Sessions:
    PAGE = "sessions"
    STATUS = cid(PAGE, "status")
    SEARCH = cid(PAGE, "search")
    GRID = cid(PAGE, "grid")
    DOWNLOAD = cid(PAGE, "download")
    COUNT = cid(PAGE, "count")
    MESSAGE = cid(PAGE, "message")


class SessionsCollab:
    PAGE = "sessions-collab"
    TABS = cid(PAGE, "tabs")
    GRID = cid(PAGE, "grid")
    DOWNLOAD = cid(PAGE, "download")


class Program:
    PAGE = "program"
    ID = cid(PAGE, "id")
    KPIS = cid(PAGE, "kpis")
    GRID = cid(PAGE, "grid")


class Session:
    PAGE = "session"
    ID = cid(PAGE, "id")  # store: the session id of the page
    KPIS = cid(PAGE, "kpis")
    PROGRESS_CHART = cid(PAGE, "progress-chart")
    SCORE_CHART = cid(PAGE, "score-chart")
    LEVELS_CHART = cid(PAGE, "levels-chart")
    GROUPS_CARD = cid(PAGE, "groups-card")
    PEOPLE_CARD = cid(PAGE, "people-card")
    BLOCK_CARD = cid(PAGE, "block-card")
    NOT_STARTED = cid(PAGE, "not-started")
    GROUPS_GRID = cid(PAGE, "groups-grid")
    PEOPLE_GRID = cid(PAGE, "people-grid")
    PEOPLE_FILTER = cid(PAGE, "people-filter")  # store: {"group": id, "band": n} narrowing Individual results
    PEOPLE_TITLE = cid(PAGE, "people-title")
    PEOPLE_CLEAR = cid(PAGE, "people-clear")
    PEOPLE_REFRESH = cid(PAGE, "people-refresh")
    LEARNER_MODAL = cid(PAGE, "learner-modal")
    LEARNER_TITLE = cid(PAGE, "learner-title")
    LEARNER_BODY = cid(PAGE, "learner-body")
    BLOCK = cid(PAGE, "block")
    BLOCK_GRID = cid(PAGE, "block-grid")
    BLOCK_REFRESH = cid(PAGE, "block-refresh")
    DOWNLOAD = cid(PAGE, "download")
    MESSAGE = cid(PAGE, "message")
