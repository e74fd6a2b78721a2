"""How values read on screen (metrics.md, "Rounding"): days, durations as 1h 05m, scores or '-'."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from data_access.exports.csv_format import pct


@lru_cache(maxsize=4096)
def _day_of(epoch_day: int) -> str:
    return datetime.fromtimestamp(epoch_day * 86_400, UTC).strftime("%Y/%m/%d")


def day(epoch: int) -> str:
    """YYYY/MM/DD (UTC) of an epoch."""
    return _day_of(int(epoch) // 86_400)


def duration(seconds) -> str:
    """1h 05m ('-' when unknown)."""
    if seconds is None:
        return "-"
    minutes = int(round(float(seconds) / 60))
    return f"{minutes // 60}h {minutes % 60:02d}m"


def score_text(value) -> str:
    """A score or percentage with at most one decimal, '-' when there is none."""
    return "-" if value is None else pct(value)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def counts_text(g: dict) -> str:
    """members · learners · sessions, as the tree shows them (assets/30_groups_tree.js countsText)."""
    return " · ".join([_plural(g["members"], "member"), _plural(g["learners"], "learner"),
                       _plural(g["sessions"], "session")])
