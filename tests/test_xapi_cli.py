"""`learnpulse xapi …` and `learnpulse demo --format xapi`, run as a user runs them (a subprocess)."""

from __future__ import annotations

import json

from sqlalchemy import text

from data_access import db
from data_access.xapi import credentials
from tests import xapi_bundle as xb
from tests.cli import run_on as run


def test_import_twice_then_a_bad_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    folder = tmp_path / "in"
    xb.write(folder)
    first = run(["xapi", "import", str(folder)], url)
    assert first.returncode == 0, first.stderr
    assert "16 statements read, 16 new, 0 already stored, 0 voided" in first.stderr
    again = run(["xapi", "import", str(folder / "statements.json")], url)
    assert "16 statements read, 0 new, 16 already stored" in again.stderr
    (folder / "more.ndjson").write_text('{"actor": {"mbox": "mailto:x@ex.com"}}\n', encoding="utf-8")
    bad = run(["xapi", "import", str(folder)], url)
    assert bad.returncode == 1
    assert bad.stderr.splitlines() == ["xapi import failed: 2 problem(s), nothing was changed",
                                       f"  {folder / 'more.ndjson'}:1: missing verb",
                                       f"  {folder / 'more.ndjson'}:1: missing object"]
    missing = run(["xapi", "import", str(tmp_path / "nowhere")], url)
    assert missing.returncode == 1 and "no such file or folder" in missing.stderr
    assert run(["xapi", "replay"], url).returncode == 0


def test_credentials_create_prints_a_working_key(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    made = run(["xapi", "credentials", "create", "moodle-prod"], url)
    assert made.returncode == 0, made.stderr
    key = made.stdout.split("key: ")[1].split()[0]
    secret = made.stdout.split("secret: ")[1].split()[0]
    engine = db.make_engine(url)
    with engine.connect() as conn:
        assert credentials.verify(conn, key, secret)
        assert not credentials.verify(conn, key, secret + "x")
        assert secret not in conn.execute(text("SELECT secret_hash FROM xapi_credentials")).scalar()


def test_demo_as_statements(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    out = tmp_path / "demo"
    wrote = run(["demo", "--format", "xapi", "--learners", "40", "--now", "2026-11-23T09:00:00Z", "--out",
                 str(out)], url)
    assert wrote.returncode == 0, wrote.stderr
    lines = (out / "statements.ndjson").read_text(encoding="utf-8").splitlines()
    verbs = {json.loads(line)["verb"]["display"]["en-US"] for line in lines}
    assert {"logged-in", "registered", "launched", "completed", "terminated", "answered", "viewed"} <= verbs
    again = run(["demo", "--format", "xapi", "--learners", "40", "--now", "2026-11-23T09:00:00Z", "--out",
                 str(tmp_path / "demo2")], url)
    assert again.returncode == 0
    assert (tmp_path / "demo2" / "statements.ndjson").read_bytes() == (out / "statements.ndjson").read_bytes()
    imported = run(["xapi", "import", str(out)], url)
    assert imported.returncode == 0, imported.stderr
    engine = db.make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM session_users WHERE registered = 1")).scalar() > 40
        assert conn.execute(text("SELECT COUNT(*) FROM users WHERE last_login_at IS NOT NULL")).scalar() > 20
