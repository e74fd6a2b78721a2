"""Overview queries and scopes, hand-computed from fixture_bundle at NOW = 2026-06-15 12:00 UTC."""

from __future__ import annotations

import pytest

from data_access.queries import overview as q
from data_access.queries import trends
from data_access.scope import Scope, UnknownViewer, scope_for_email


def test_kpis_as_owner(loaded, now):
    with loaded.connect() as conn:
        k = q.kpis(conn, Scope.owner(), now)
    # learners: u3, u4, u5 (u6 is deleted); active 7d: u3 (1 day), u4 (3 days); never: u5
    assert k["learners"] == 3
    assert (k["active_7d"], k["active_30d"], k["never"]) == (2, 2, 1)
    assert (k["sessions_running"], k["sessions_upcoming"], k["sessions_finished"]) == (1, 1, 0)
    # registered in s1: u3 (100%), u4 (0%), u6 (0%)
    assert k["registered_running"] == 3
    assert k["avg_progress_running"] == pytest.approx(100 / 3)


def test_learners_by_recency(loaded, now):
    with loaded.connect() as conn:
        rows = q.learners_by_recency(conn, Scope.owner(), now)
    assert rows == [{"bucket": "0–1", "learners": 1}, {"bucket": "2–3", "learners": 1},
                    {"bucket": "4–7", "learners": 0}, {"bucket": "8–14", "learners": 0},
                    {"bucket": "15–30", "learners": 0}, {"bucket": "31+", "learners": 0},
                    {"bucket": "Never", "learners": 1}]


def test_weekly_active_learners(loaded, now):
    with loaded.connect() as conn:
        rows = trends.weekly_active_learners(conn, Scope.owner(), now, tz="UTC", weeks=3)
    # now is Monday 06-15 12:00: the week of 06-01 holds u3 06-05; of 06-08 u4 06-12, u3 06-14; this week (its first
    # day, read from the raw logins) u2 06-15 08:00
    assert [(r["monday"], r["active"], r["current"]) for r in rows] == [
        ("2026-06-01", 1, False), ("2026-06-08", 2, False), ("2026-06-15", 1, True)]


def test_scope_for_email(loaded):
    with loaded.connect() as conn:
        assert scope_for_email(conn, "ADA@example.com").is_owner  # admin of the root group
        coach = scope_for_email(conn, "cora@example.com")
        instructor = scope_for_email(conn, "ivo@example.com")
        with pytest.raises(UnknownViewer):
            scope_for_email(conn, "nobody@example.com")
    assert coach == Scope(user_id="u2", coach_groups=("g1",))
    assert instructor.instructor_sessions == ("s1",)


def test_coach_sees_own_groups_and_descendants(loaded, now):
    with loaded.connect() as conn:
        coach = scope_for_email(conn, "cora@example.com")
        k = q.kpis(conn, coach, now)
        weeks = trends.weekly_active_learners(conn, coach, now, tz="UTC", weeks=2)
    # g1 and its descendant g2: u3, u4 (and deleted u6); Mia (g3) is out of scope
    assert (k["learners"], k["active_7d"], k["never"]) == (2, 2, 0)
    assert (k["sessions_running"], k["sessions_upcoming"]) == (1, 0)  # s2 belongs to g3
    # the coach is a member of g1 too, so their own login counts; u6's login is before the window
    assert [r["active"] for r in weeks] == [2, 1]
