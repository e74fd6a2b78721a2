"""The learnpulse command: `run` as a user runs it (a subprocess with DATABASE_URL, for the console entry point
and a one-line failure), `cli.run_on` in this process for the rest (a launch costs 2–4 s of imports)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests import cli, fixture_bundle


def run(args, db_url, env_extra: dict | None = None, **kw):
    env = {**os.environ, "DATABASE_URL": db_url, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, env=env,
                          timeout=300, **kw)


def test_import_then_reimport(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    bundle = fixture_bundle.write(tmp_path / "b")
    first = run(["import", str(bundle)], url)
    assert first.returncode == 0, first.stderr
    assert "imported 62 rows from 23 files" in first.stderr
    assert run(["import", str(bundle)], url).returncode == 0


def test_import_errors_exit_nonzero_with_every_error(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    bad = fixture_bundle.write(tmp_path / "b", {
        **fixture_bundle.replace_line("logins.csv", "u4,2026-06-12T11:00:00Z", "u4,soon"),
        **fixture_bundle.replace_line("groups.csv", "g3,Ops,g0", "g3,Ops,"),
    })
    result = cli.run_on(["import", str(bad)], url)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "import failed: 2 error(s), nothing was changed"
    assert "  logins.csv:4: column at: not an ISO 8601 timestamp: 'soon'" in lines
    assert any(line.startswith("  groups.csv:5: column parent_id: second root group 'g3'") for line in lines)


def test_demo_out_writes_a_bundle_only(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    result = cli.run_on(["demo", "--learners", "60", "--seed", "3", "--out", str(tmp_path / "demo"),
                         "--now", "2026-11-23T00:00:00Z"], url)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo" / "users.csv").exists()
    assert not (tmp_path / "cli.sqlite3").exists()  # --out: only writes it
    imported = cli.run_on(["import", str(tmp_path / "demo")], url)
    assert imported.returncode == 0, imported.stderr


def test_demo_imports(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    result = cli.run_on(["demo", "--learners", "60"], url)
    assert result.returncode == 0, result.stderr
    assert "demo: generated" in result.stderr


def test_every_report_of_the_spec_has_a_writer():
    from data_access.exports import ALL_REPORT_NAMES, REPORTS

    assert sorted(ALL_REPORT_NAMES) == sorted(REPORTS)


def test_export_refuses_an_unknown_report(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    unknown = cli.run_on(["export", "nonsense"], url)
    assert unknown.returncode == 2 and "invalid choice: 'nonsense'" in unknown.stderr


def test_database_down_is_one_line(tmp_path):
    result = run(["import", str(fixture_bundle.write(tmp_path / "b"))],
                 "postgresql://postgres@127.0.0.1:1/test?connect_timeout=2")
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("learnpulse: database unavailable: ")
