"""tests/at_risk_bundle.py with a second coach and an instructor, for the weekly digest.

- coach@ex.com (Cora Coach) coaches gA: a1-a6 (r1; a3 and a4 also in r2).
- coach2@ex.com (Bo Second) coaches gB: a7-a14 (their enrollments come through gB: r1, r2, r3).
- ins@ex.com (Ian Structor) teaches f1 only (finished: nobody is a candidate).

Worked out by hand (limits of the at-risk fixture: r2 and r3 yellow 10, r2 overdue 1 and score 60; r1 defaults):

At FIRST = 2026-06-15 06:00 UTC (b3 not due yet: 2 topics due in r1; r2 and r3 younger than 10 days):
  coach:  a3 r2 low score; a6 r1 low score                                               (2)
  coach2: a7 r1 inactive, behind; a8 r1 inactive, low score; a11 r1 behind; a12 r2 behind (4)

Then: a3 logs in at 12:30, a6 scores 100 on b4 at 12:30 (Session score 62.25), r1's score limit becomes 51 (a5's
50 is low), and the coach records a call with a4 in r1 at 12:30.

At SECOND = 2026-06-15 13:00 UTC (b3 due: 3 topics; r2 and r3 older than 10 days):
  coach:  a3 r2 low score; a4 r1 behind; a5 r1 low score                                  (3)
          newly a4 r1 (behind), a5 r1 (low score); no longer a6 r1 (was low score); the call with a4
  coach2: a7 r1, a8 r1, a11 r1, a12 r2 (now also inactive), a12 r3 inactive, a13 r3 inactive (6)
          newly a12 r3, a13 r3 (never logged in first); nobody recovered; no contact they see
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests import at_risk_bundle as ab

FIRST = datetime(2026, 6, 15, 6, 0, tzinfo=UTC)
CHANGES_AT = datetime(2026, 6, 15, 12, 30, tzinfo=UTC)
SECOND = datetime(2026, 6, 15, 13, 0, tzinfo=UTC)
SUBSCRIBED = int(datetime(2026, 6, 1, tzinfo=UTC).timestamp())

_extra_users = "coach2,Bo,Second,coach2@ex.com,,,2025-01-01,,,\nins,Ian,Structor,ins@ex.com,,,2025-01-01,,,\n"


def files() -> dict[str, str]:
    enrollments = "session_id,user_id,status,source,group_id,assigned_at,unassigned_at\n" + "".join(
        f"{s},{u},{st},group,{g or 'gB'},2026-04-20,\n" for u, s, st, g in ab.ENROLLMENTS)
    return {
        "users.csv": ab.FILES["users.csv"] + _extra_users,
        "memberships.csv": ab.FILES["memberships.csv"] + "coach2,gB,coach\n",
        "enrollments.csv": enrollments,
        "session_instructors.csv": "session_id,user_id\nf1,ins\n",
    }


def write(folder: Path) -> Path:
    return ab.write(folder, files())


def write_changes(folder: Path) -> Path:
    """The delta bundle of the changes between FIRST and SECOND (logins and results)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "logins.csv").write_text("user_id,at\na3,2026-06-15T12:30:00Z\n", encoding="utf-8")
    (folder / "assessment_results.csv").write_text(
        "user_id,block_id,score_pct,passed,submitted_at\na6,b4,100,true,2026-06-15T12:30:00Z\n", encoding="utf-8")
    return folder
