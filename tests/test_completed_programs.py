"""A completion is history (metrics.md "Users"): Completed programs / paths count the sessions where the learner
reached 100% whether or not they are still registered; Assigned programs / paths count current registrations only.

On tests/users_bundle.py, two unassignments are added:
  Lea (u1) completed s1 (program, 3 of 3 blocks, last one 05-25) and s2 (path, 2 of 2, last one 06-11), and was
  unassigned from both on 06-14: Completed programs 1 and paths 1, Assigned programs 0 and paths 0.
  Max (u2) completed 1 of 3 blocks of s1 (k1, 06-01) and was unassigned on 06-05 before completing: he counts
  in neither (before: Assigned programs 1).
"""

from __future__ import annotations

import pytest

from data_access.exports import users as export
from data_access.queries import users_export as q
from data_access.scope import Scope
from tests import snapshot
from tests import users_bundle as ub

NOW, OWNER, UTC = ub.NOW, Scope.owner(), "UTC"
ENROLLMENTS = ("session_id,user_id,status,source,group_id,assigned_at,unassigned_at\n"
               "s1,u1,registered,assigned,,2026-04-20,2026-06-14\ns2,u1,registered,group,ga,2026-03-20,2026-06-14\n"
               "s1,u2,registered,assigned,,2026-04-20,2026-06-05\ns3,u2,waiting_list,catalog,,2026-04-20,\n"
               "s1,u4,registered,assigned,,2026-04-20,\n")


@pytest.fixture
def unassigned_db(engine, tmp_path, monkeypatch):
    monkeypatch.setitem(ub.FILES, "enrollments.csv", ENROLLMENTS)
    snapshot.import_bundle(engine, ub.write(tmp_path / "users"))
    return engine


def _lines(chunks) -> list[str]:
    return "".join(chunks).split("\r\n")[1:-1]


def _counts(line: str) -> list[str]:
    """Completed programs, Assigned programs of a General stats line (after Managers and Avg score)."""
    cells = line.split(",")
    return cells[-8:-6]  # then Messages, Total time spent and the four group columns


def test_general_stats_keep_completions_after_unassignment(unassigned_db):
    with unassigned_db.connect() as conn:
        every = _lines(export.general_stats_csv(conn, OWNER, NOW, UTC))
        lea = next(x for x in every if x.startswith("Learner,Lea"))
        max_ = next(x for x in every if x.startswith("Formula,"))
        assert lea.endswith(",75,1,0,3,1500,,,x,")  # completed 1, assigned 0
        assert max_.endswith(",,0,0,3,1000,,x,,")  # unassigned before completing: neither
        # --session s1: its enrolled users (Lea and Max; Del is deleted), and only s1 counts
        assert [line.split(",")[0] + ":" + ",".join(_counts(line))
                for line in _lines(export.general_stats_csv(conn, OWNER, NOW, UTC, sessions=("s1",)))] == [
            "Formula:0,0", "Learner:1,0"]
        # --session s2 is a path: no program counts
        assert [line.split(",")[0] + ":" + ",".join(_counts(line))
                for line in _lines(export.general_stats_csv(conn, OWNER, NOW, UTC, sessions=("s2",)))] == [
            "Learner:0,0"]
        # --user and --group narrow the same lines; a window recomputes live (user_metrics) with the same rule
        assert _lines(export.general_stats_csv(conn, OWNER, NOW, UTC, users=("u1",))) == [lea]
        assert _lines(export.general_stats_csv(conn, OWNER, NOW, UTC, groups=("ga1",))) == [lea]
        windowed = _lines(export.general_stats_csv(conn, OWNER, NOW, UTC, window=(None, None)))
        assert next(x for x in windowed if x.startswith("Learner,Lea")) == lea


def test_user_stats_keep_completed_paths_and_programs(unassigned_db):
    with unassigned_db.connect() as conn:
        lea = "".join(export.user_stats_csv(conn, OWNER, NOW, "u1")).split("\r\n")[1]
        max_ = "".join(export.user_stats_csv(conn, OWNER, NOW, "u2")).split("\r\n")[1]
        general = q.user_general(conn, OWNER, NOW, "u1")
    # Avg score, Completed courses, Attended classrooms, Completed paths, Assigned paths, Completed programs,
    # Assigned programs, Messages, Total time spent (s)
    assert lea == "Learner,Lea,lea@ex.com,75,2,1,1,0,1,0,3,1500"
    assert max_ == "Formula,'=Max,max@ex.com,,1,0,0,0,0,0,3,1000"
    assert (general["completed_programs"], general["assigned_programs"],
            general["completed_paths"], general["assigned_paths"]) == (1, 0, 1, 0)
