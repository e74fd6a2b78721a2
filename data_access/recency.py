"""Days-since-last-login buckets (metrics.md, "Participants"), defined once for every query."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, literal

DAY_S = 86_400
# (label, lowest day, highest day); None = open end. "Never" is for users with no login.
BUCKETS: list[tuple[str, int, int | None]] = [
    ("0–1", 0, 1), ("2–3", 2, 3), ("4–7", 4, 7), ("8–14", 8, 14), ("15–30", 15, 30), ("31+", 31, None),
]
NEVER = "Never"
LABELS = [b[0] for b in BUCKETS] + [NEVER]


def normalise_label(label: str) -> str:
    """Accept '8-14' for '8–14' (command line); raise ValueError for an unknown label."""
    text = label.strip().replace("-", "–")
    for known in LABELS:
        if text.lower() == known.lower():
            return known
    raise ValueError(f"unknown bucket {label!r} (expected one of: {', '.join(LABELS)})")


def days_since(last_login_epoch: int | None, now: datetime) -> int | None:
    if last_login_epoch is None:
        return None
    return max(0, (int(now.timestamp()) - int(last_login_epoch)) // DAY_S)


def bucket_of(days: int | None) -> str:
    if days is None:
        return NEVER
    for label, lo, hi in BUCKETS:
        if days >= lo and (hi is None or days <= hi):
            return label
    return BUCKETS[0][0]


def bucket_expr(last_login_col, now: datetime):
    """SQL CASE giving the bucket label of a last-login epoch column."""
    now_s = int(now.timestamp())
    whens = [(last_login_col.is_(None), literal(NEVER))]
    for label, _lo, hi in BUCKETS:
        if hi is not None:
            # days <= hi  <=>  now - last < (hi + 1) days
            whens.append((last_login_col > now_s - (hi + 1) * DAY_S, literal(label)))
    return case(*whens, else_=literal(BUCKETS[-1][0]))


def colour_of(label: str, green: int, yellow: int) -> str:
    """A bar's colour (metrics.md): 'green' up to the green limit, 'yellow' up to the yellow limit, 'red'
    beyond and for Never. A bar is judged by its highest day, so it is never greener than a learner in it
    (with limits 3 and 10: 2–3 green, 4–7 yellow, 8–14 red)."""
    if label == NEVER:
        return "red"
    hi = {lbl: top for lbl, _lo, top in BUCKETS}[label]
    if hi is not None and hi <= green:
        return "green"
    if hi is not None and hi <= yellow:
        return "yellow"
    return "red"
