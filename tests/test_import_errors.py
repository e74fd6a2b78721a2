"""Bad input: every case names file, line, column and reason, and the database is untouched."""

from __future__ import annotations

import os

import pytest

from data_access.bundle_reader import ImportFailed
from data_access.importer import import_bundle, stored_counts
from tests import fixture_bundle
from tests.fixture_bundle import replace_line

USERS_HEADER = ("user_id,first_name,last_name,email,title,additional_info,registered_at,invited_by,deleted_at,"
                "auto_deletion_at")


def _fails(engine, folder) -> ImportFailed:
    before = stored_counts(engine)
    with pytest.raises(ImportFailed) as info:
        import_bundle(engine, folder)
    assert stored_counts(engine) == before, "a failed import must change nothing"
    return info.value


def _messages(exc: ImportFailed) -> list[str]:
    return [str(i) for i in exc.issues]


CASES = [
    ("missing required file", {"logins.csv": None},
     "logins.csv: required file is missing (the database is empty, so this must be a complete bundle)"),
    ("wrong header", {"logins.csv": "user_id,when\nu3,2026-06-14\n"},
     "logins.csv:1: column when: unknown column (expected: user_id, at)"),
    ("missing column", {"logins.csv": "user_id\nu3\n"}, "logins.csv:1: column at: missing column"),
    ("bad timestamp", replace_line("logins.csv", "u4,2026-06-12T11:00:00Z", "u4,2026-13-12T11:00:00Z"),
     "logins.csv:4: column at: not an ISO 8601 timestamp: '2026-13-12T11:00:00Z'"),
    ("negative percentage", replace_line("slot_attendance.csv", "sl1,u4,0", "sl1,u4,-5"),
     "slot_attendance.csv:3: column attendance_pct: percentage must be between 0 and 100, got '-5'"),
    ("duplicate id", replace_line("courses.csv", "c2,Sales 101", "c1,Sales 101"),
     "courses.csv:3: column course_id: duplicate course_id 'c1': already on line 2"),
    ("duplicate natural key", replace_line("logins.csv", "u2,2026-06-15T08:00:00Z",
                                           "u3,2026-06-14T12:00:00Z"),
     "logins.csv:6: duplicate (user_id, at) ('u3', '2026-06-14T12:00:00Z'): already on line 2"),
    ("dangling reference", replace_line("memberships.csv", "u5,g3,learner", "u5,g9,learner"),
     "memberships.csv:6: column group_id: unknown groups id 'g9' (not in groups.csv nor stored)"),
    ("second root group", replace_line("groups.csv", "g3,Ops,g0", "g3,Ops,"),
     "groups.csv:5: column parent_id: second root group 'g3': only one group may have an empty parent_id "
     "(also 'g0')"),
    ("group cycle", replace_line("groups.csv", "g1,Sales,g0", "g1,Sales,g2"),
     "groups.csv:3: column parent_id: group cycle: 'g1' → 'g2' → 'g1'"),
    ("empty required cell", replace_line("users.csv", "u3,Lea,Learner", "u3,,Learner"),
     "users.csv:4: column first_name: must not be empty"),
    ("bad enum", replace_line("memberships.csv", "u7,g0,instructor", "u7,g0,teacher"),
     "memberships.csv:8: column role: 'teacher' is not one of: learner, coach, admin, author, instructor"),
    ("duplicate email (case-insensitive)", replace_line("users.csv", "mia@example.com", "Lea@Example.com"),
     "users.csv:6: column email: email 'Lea@Example.com' already used on line 4"),
    ("course block without course", replace_line("blocks.csv", "b1,s1,1,course,Safety Basics,c1",
                                                  "b1,s1,1,course,Safety Basics,"),
     "blocks.csv:2: column course_id: required for a block of kind course"),
    ("slot on a non-classroom block", replace_line("classroom_slots.csv", "sl1,b3", "sl1,b2"),
     "classroom_slots.csv:2: column block_id: block 'b2' is of kind assessment, expected classroom"),
    ("reaction with both targets", replace_line("reactions.csv", "like,a1,", "like,a1,po1"),
     "reactions.csv:2: column activity_id: exactly one of activity_id and post_id must be set"),
    ("not a whole number", replace_line("blocks.csv", "b2,s1,2,", "b2,s1,2.5,"),
     "blocks.csv:3: column position: not a whole number: '2.5'"),
    ("bad boolean", replace_line("assessment_results.csv", "70,true", "70,yes"),
     "assessment_results.csv:2: column passed: 'yes' is not true or false"),
    ("unknown file", {"learners.csv": "a\n1\n"},
     "learners.csv: unknown file (expected one of: "),
    # every line has exactly the header's fields (pandas took extra leading fields of the first line as an
    # index and dropped them, and filled missing trailing fields with empty cells)
    ("extra leading fields on the first line", replace_line("users.csv", "u1,Ada", "junk1,junk2,u1,Ada"),
     "users.csv:2: 12 fields, the header has 10"),
    ("extra fields", replace_line("users.csv", "u6,Del", "junk1,junk2,u6,Del"),
     "users.csv:7: 12 fields, the header has 10"),
    ("a field missing", replace_line("users.csv", "2026-05-10T00:00:00Z,\n", "2026-05-10T00:00:00Z\n"),
     "users.csv:7: 9 fields, the header has 10"),
    ("NUL in a text cell", replace_line("users.csv", "u3,Lea,Learner", "u3,Le\x00a,Learner"),
     "users.csv:4: column first_name: NUL character (byte 0x00) in a cell"),
    ("NUL in a quoted cell of two lines", replace_line("users.csv", "u3,Lea,Learner", 'u3,"Le\na\x00",Learner'),
     "users.csv:4: column first_name: NUL character (byte 0x00) in a cell"),
    ("a cell longer than 64 KiB", replace_line("users.csv", "Part-time", "p" * (64 * 1024 + 1)),
     "users.csv:4: column additional_info: a cell is at most 65,536 characters"),
    ("a cell past the csv module's limit", replace_line("users.csv", "Part-time", "p" * 200_000),
     "users.csv:4: a cell is at most 65,536 characters"),
    ("a line longer than 1 MiB", replace_line("users.csv", "Part-time", ",".join(["p" * 60_000] * 20)),
     "users.csv:4: line longer than 1,048,576 characters (the limit; a line has at most 200 fields, a cell at "
     "most 65,536 characters)"),
    ("quoted cells joining lines past 1 MiB", replace_line("users.csv", "Part-time",
                                                          ",".join(['"' + "p\n" * 30_000 + '"'] * 20)),
     "users.csv:4: line longer than 1,048,576 characters"),
    ("a header of 250 fields", {"logins.csv": ",".join(f"c{i}" for i in range(250)) + "\nu3,x\n"},
     "logins.csv:1: 250 fields in the header (at most 200)"),
]


@pytest.mark.parametrize("label,overrides,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_bundle(engine, tmp_path, label, overrides, expected):
    folder = fixture_bundle.write(tmp_path / "bad", overrides)
    exc = _fails(engine, folder)
    assert any(m.startswith(expected) for m in _messages(exc)), _messages(exc)


def test_a_line_of_a_million_columns_is_refused_reading_at_most_the_limit(engine, tmp_path):
    """10^6 columns (2 MB on one line; pandas ran for minutes on it): refused after reading MAX_LINE characters
    of it, so the memory the reader holds is bounded by the limit, not by the line (bench/import_limits_bench.py
    prints the times)."""
    import tracemalloc

    from data_access.bundle_reader import MAX_LINE, Problems, read_raw

    wide = fixture_bundle.FILES["users.csv"] + "junk," * 1_000_000 + "\n"
    folder = fixture_bundle.write(tmp_path / "wide", {"users.csv": wide})
    problems = Problems()
    tracemalloc.start()
    read_raw(folder, problems)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [str(i) for i in problems.issues] == [
        "users.csv:9: line longer than 1,048,576 characters (the limit; a line has at most 200 fields, a cell at "
        "most 65,536 characters)"]
    assert peak < 6 * MAX_LINE
    assert _messages(_fails(engine, folder))[0] == str(problems.issues[0])


def test_lines_of_the_right_width_read_as_before(engine, tmp_path):
    """Quoted cells with commas and line breaks, blank lines and a BOM still read as one record each."""
    from data_access.bundle_reader import Problems, read_raw

    users = "\ufeff" + fixture_bundle.FILES["users.csv"].replace(
        "u3,Lea,Learner,lea@example.com,,Part-time", 'u3,Lea,Learner,lea@example.com,,"Part-time,\nevenings"') + "\n"
    folder = fixture_bundle.write(tmp_path / "ok", {"users.csv": users})
    problems = Problems()
    frames = read_raw(folder, problems)
    assert problems.total == 0
    assert list(frames["users"]["additional_info"])[2] == "Part-time,\nevenings"
    assert len(frames["users"]) == 7


def test_unreadable_folder(engine, tmp_path):
    exc = _fails(engine, tmp_path / "nope")
    assert _messages(exc) == [f"{tmp_path / 'nope'}: bundle folder does not exist"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file; permissions cannot be tested")
def test_unreadable_file(engine, tmp_path):  # pragma: no cover - CI runs as root
    folder = fixture_bundle.write(tmp_path / "b")
    (folder / "users.csv").chmod(0)
    exc = _fails(engine, folder)
    assert any("users.csv: cannot read file" in m for m in _messages(exc))


def test_not_utf8(engine, tmp_path):
    folder = fixture_bundle.write(tmp_path / "b")
    (folder / "programs.csv").write_bytes("program_id,name,kind,description\np1,Caf\xe9,program,\n".encode("latin-1"))
    exc = _fails(engine, folder)
    assert any(m.startswith("programs.csv:2: not UTF-8 text (byte 0xe9") for m in _messages(exc)), _messages(exc)


def test_all_errors_reported_not_only_the_first(engine, tmp_path):
    bad = fixture_bundle.FILES["logins.csv"].replace("2026-06", "2026-99")
    exc = _fails(engine, fixture_bundle.write(tmp_path / "b", {"logins.csv": bad}))
    assert exc.total == 4
    assert [i.line for i in exc.issues] == [2, 3, 4, 6]


def test_long_report_is_cut_after_100(engine, tmp_path):
    rows = "".join(f"u3,not-a-date-{i}\n" for i in range(150))
    exc = _fails(engine, fixture_bundle.write(tmp_path / "b", {"logins.csv": "user_id,at\n" + rows}))
    assert exc.total == 150
    assert len(exc.issues) == 100
    assert exc.report().splitlines()[-1] == "  … and 50 more"


def test_failed_delta_keeps_stored_data(loaded, tmp_path):
    delta = tmp_path / "delta"
    delta.mkdir()
    (delta / "logins.csv").write_text("user_id,at\nu5,2026-06-15T09:00:00Z\nu99,2026-06-15T09:00:00Z\n")
    exc = _fails(loaded, delta)
    assert _messages(exc) == ["logins.csv:3: column user_id: unknown users id 'u99' (not in users.csv nor stored)"]


def test_delta_references_resolve_against_stored_rows(loaded, tmp_path):
    delta = tmp_path / "delta"
    delta.mkdir()
    (delta / "groups.csv").write_text("group_id,name,parent_id\ng4,Sales South,g1\n")
    (delta / "memberships.csv").write_text("user_id,group_id,role\nu5,g4,learner\n")
    report = import_bundle(loaded, delta)
    assert report.rows == {"groups": 1, "memberships": 1}
    second_root = tmp_path / "root"
    second_root.mkdir()
    (second_root / "groups.csv").write_text("group_id,name,parent_id\ng5,Another platform,\n")
    exc = _fails(loaded, second_root)
    assert _messages(exc) == ["groups.csv:2: column parent_id: second root group 'g5': only one group may have "
                              "an empty parent_id (also 'g0')"]
