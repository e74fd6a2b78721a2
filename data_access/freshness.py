"""How far 'now' may lag behind the wall clock for each metric family, so that cached views stay warm.

Under a real clock the page queries see 'now' floored to their family's window (UTC, from the epoch), and the
cache key holds that floored value: the same view for the same scope is one cache entry for the whole window,
in every process. The floored value is also what the query computes with, so a cached answer is exactly the
answer for the 'now' in its key. A fixed now (LEARNPULSE_NOW, tests, `export --now`) is used as given.

Families (README "Cache policy under a real clock" lists each metric):
- DAYS, 5 minutes: numbers counted in days or weeks from now — days since last login and its bars, active
  in the last 7 days, never logged in, logins per week, 30/90-day windows, session status (upcoming, in
  progress, finished) and topics due by now. None of them changes meaning within 5 minutes of a boundary.
- Queries that do not read 'now' at all (names, counts kept at import) are keyed by the same window: their
  entries live as long as the cache timeout (CACHE_TIMEOUT) allows.
A query may declare a longer window with @window(seconds); windows are multiples of DAYS_S, so flooring the
already floored 'now' of Services.now() again gives the same value as flooring the wall clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

DAYS_S = 300
DEFAULT_S = DAYS_S
ATTRIBUTE = "now_window_s"


def bucket(now: datetime, seconds: int) -> datetime:
    """`now` floored to a multiple of `seconds` since the epoch (UTC; an aware datetime is returned)."""
    if seconds <= 0:
        raise ValueError("a window is a positive number of seconds")
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)


def window(seconds: int):
    """Decorator: the query may see 'now' up to `seconds` late (a multiple of DAYS_S)."""
    if seconds % DAYS_S:
        raise ValueError(f"a window is a multiple of {DAYS_S} s")

    def mark(fn):
        setattr(fn, ATTRIBUTE, seconds)
        return fn

    return mark


def window_of(fn) -> int:
    return getattr(fn, ATTRIBUTE, DEFAULT_S)
