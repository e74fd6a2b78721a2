"""Import: counts, conversions, idempotence, deltas, derived facts (hand-computed from fixture_bundle)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text

from data_access import schema
from data_access.importer import import_bundle, stored_counts
from tests import fixture_bundle


def ts(text_: str) -> int:
    return int(datetime.fromisoformat(text_.replace("Z", "+00:00")).astimezone(UTC).timestamp())


def test_import_counts_every_file(engine, bundle):
    report = import_bundle(engine, bundle)
    expected = {name[:-4]: text_.count("\n") - 1 for name, text_ in fixture_bundle.FILES.items()}
    assert report.rows == expected
    counts = stored_counts(engine)
    for name, n in expected.items():
        assert counts[name] == n, name


def test_timestamps_offsets_and_dates(loaded):
    with loaded.connect() as conn:
        reg = dict(conn.execute(select(schema.users.c.user_id, schema.users.c.registered_at)).all())
    assert reg["u3"] == ts("2025-02-01T09:00:00Z")
    assert reg["u4"] == ts("2025-02-01T07:00:00Z")  # +02:00 converted to UTC
    assert reg["u5"] == ts("2025-03-01T00:00:00Z")  # a date alone is midnight UTC


def test_reimport_changes_nothing(loaded, bundle):
    before = stored_counts(loaded)
    with loaded.connect() as conn:
        users_before = conn.execute(select(schema.users).order_by(schema.users.c.user_id)).all()
    import_bundle(loaded, bundle)
    after = stored_counts(loaded)
    with loaded.connect() as conn:
        users_after = conn.execute(select(schema.users).order_by(schema.users.c.user_id)).all()
    assert before == after
    assert users_before == users_after


def test_delta_adds_logins_and_updates_rows(loaded, tmp_path):
    delta = tmp_path / "delta"
    delta.mkdir()
    (delta / "logins.csv").write_text("user_id,at\nu5,2026-06-15T09:00:00Z\n")
    (delta / "users.csv").write_text(
        "user_id,first_name,last_name,email,title,additional_info,registered_at,invited_by,deleted_at,"
        "auto_deletion_at\nu5,Mia,Renamed,mia@example.com,,,2025-03-01,,,\n")
    import_bundle(loaded, delta)
    with loaded.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.user_id == "u5")).one()
        n_logins = conn.execute(text("SELECT COUNT(*) FROM logins")).scalar_one()
    assert row.last_name == "Renamed"
    assert row.last_login_at == ts("2026-06-15T09:00:00Z")
    assert row.login_count == 1
    assert row.auto_deletion_at is None  # an empty cell updates to empty
    assert n_logins == 6


def test_last_login_maintained(loaded):
    with loaded.connect() as conn:
        rows = {r.user_id: (r.last_login_at, r.login_count)
                for r in conn.execute(select(schema.users.c.user_id, schema.users.c.last_login_at,
                                             schema.users.c.login_count))}
    assert rows["u3"] == (ts("2026-06-14T12:00:00Z"), 2)
    assert rows["u4"] == (ts("2026-06-12T11:00:00Z"), 1)
    assert rows["u5"] == (None, 0)


def test_group_levels_and_closure(loaded):
    with loaded.connect() as conn:
        levels = dict(conn.execute(select(schema.groups.c.group_id, schema.groups.c.level)).all())
        closure = set(conn.execute(select(schema.group_closure.c.ancestor_id,
                                          schema.group_closure.c.descendant_id)).all())
    assert levels == {"g0": 0, "g1": 1, "g2": 2, "g3": 1}
    assert ("g0", "g2") in closure and ("g1", "g2") in closure and ("g2", "g2") in closure
    assert ("g3", "g2") not in closure
    assert len(closure) == 4 + 3 + 1  # self pairs, (g0,g1) (g0,g2) (g0,g3), (g1,g2)


def test_block_results_most_recent_attempt_wins(loaded):
    br = schema.block_results
    with loaded.connect() as conn:
        rows = {(r.block_id, r.user_id): r for r in conn.execute(select(br))}
    b1u3 = rows[("b1", "u3")]
    assert (b1u3.completed, b1u3.score_pct, b1u3.time_spent_s, b1u3.attempts) == (1, 80.0, 300, 2)
    assert b1u3.started_at == ts("2026-06-02T10:00:00Z")
    b1u4 = rows[("b1", "u4")]
    assert (b1u4.completed, b1u4.score_pct, b1u4.attempts) == (0, 40.0, 1)
    assert (rows[("b2", "u3")].completed, rows[("b2", "u3")].score_pct, rows[("b2", "u3")].passed) == (1, 70.0, 1)
    assert rows[("b3", "u3")].completed == 1
    assert rows[("b3", "u4")].completed == 0  # attendance 0 is not completion
    assert len(rows) == 5


def test_session_users(loaded):
    su = schema.session_users
    with loaded.connect() as conn:
        rows = {r.user_id: r for r in conn.execute(select(su).where(su.c.session_id == "s1"))}
    assert set(rows) == {"u3", "u4", "u5", "u6"}
    u3 = rows["u3"]
    assert (u3.registered, u3.blocks_total, u3.blocks_completed, u3.progress_pct) == (1, 3, 3, 100.0)
    assert u3.score_pct == 75.0  # mean of 80 (course, latest attempt) and 70 (assessment)
    assert (u3.time_spent_s, u3.started, u3.verified) == (300, 1, 1)
    assert u3.last_activity_at == ts("2026-06-09T15:00:00Z")
    u4 = rows["u4"]
    assert (u4.progress_pct, u4.score_pct, u4.time_spent_s, u4.started, u4.verified) == (0.0, 40.0, 200, 1, 0)
    assert (rows["u5"].registered, rows["u5"].started) == (0, 0)  # waiting list
    assert (rows["u6"].registered, rows["u6"].started, rows["u6"].score_pct) == (1, 0, None)


def test_failed_assessment_blocks_verified(engine, tmp_path):
    bundle = fixture_bundle.write(tmp_path / "b", fixture_bundle.replace_line(
        "assessment_results.csv", "u3,b2,70,true", "u3,b2,55,false"))
    import_bundle(engine, bundle)
    with engine.connect() as conn:
        row = conn.execute(select(schema.session_users).where(schema.session_users.c.user_id == "u3")).one()
    assert (row.progress_pct, row.verified) == (100.0, 0)


def test_reactions_key_and_bools(loaded):
    with loaded.connect() as conn:
        targets = sorted(conn.execute(text("SELECT target FROM reactions")).scalars())
        archived = dict(conn.execute(text("SELECT post_id, archived FROM posts")).all())
    assert targets == ["a:a1", "p:po1"]
    assert archived == {"po1": 0, "po2": 0, "po3": 1}


def test_bulk_upsert_and_delete_agree_below_and_above_the_staging_threshold(engine):
    """upsert_rows / delete_rows: an executemany below STAGE_ROWS, a COPY into a staging table above it on
    PostgreSQL; either way the last row of a repeated key wins and exactly the named keys are deleted."""
    from data_access.write import bulk

    n = bulk.STAGE_ROWS + 10
    with engine.begin() as conn:
        for prefix, count in (("small", 3), ("large", n)):
            rows = [(f"{prefix}-{i}", f"First {i}", "Last", f"{prefix}{i}@x.org", f"{prefix}{i}@x.org")
                    for i in range(count)]
            rows.append((f"{prefix}-0", "Renamed", "Last", f"{prefix}0@x.org", f"{prefix}0@x.org"))  # last wins
            cols = ["user_id", "first_name", "last_name", "email", "email_lower"]
            bulk.upsert_rows(conn, "users", cols, ("user_id",), rows)
            bulk.upsert_rows(conn, "logins", ["user_id", "at"], ("user_id", "at"),
                                 [(f"{prefix}-{i}", 1000 + i) for i in range(count)] * 2)
            bulk.delete_rows(conn, "logins", ("user_id", "at"),
                                 [(f"{prefix}-{i}", 1000 + i) for i in range(1, count)])
    with engine.connect() as conn:
        for prefix, count in (("small", 3), ("large", n)):
            names = dict(conn.execute(text("SELECT user_id, first_name FROM users WHERE user_id LIKE :p"),
                                      {"p": prefix + "-%"}).all())
            assert len(names) == count
            assert names[f"{prefix}-0"] == "Renamed" and names[f"{prefix}-2"] == "First 2"
            logins = conn.execute(text("SELECT user_id, at FROM logins WHERE user_id LIKE :p"),
                                  {"p": prefix + "-%"}).all()
            assert [tuple(r) for r in logins] == [(f"{prefix}-0", 1000)]
