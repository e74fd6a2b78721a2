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
