"""`learnpulse xapi pull` against a real LRS: Ralph (ralph-malph, filesystem backend) started on loopback from its
own virtualenv (.venv-ralph, made by `make test`); skipped with the reason when it is not installed."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text

from data_access import db
from data_access.xapi.pull import PullError, pull, resume_point
from tests import xapi_bundle as xb

RALPH = Path(__file__).resolve().parent.parent / ".venv-ralph" / "bin" / "ralph"
USER, PASSWORD = "learnpulse", "pull-test-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lrs(tmp_path_factory):
    if not RALPH.exists():
        pytest.skip(f"Ralph LRS not installed at {RALPH} (`make test` installs it into .venv-ralph)")
    tmp = tmp_path_factory.mktemp("ralph")
    env = dict(os.environ, RALPH_AUTH_FILE=str(tmp / "auth.json"), RALPH_RUNSERVER_BACKEND="fs")
    made = subprocess.run([str(RALPH), "auth", "-u", USER, "-p", PASSWORD, "-s", "all", "-M",
                           "mailto:lrs@ex.com", "-w"], env=env, capture_output=True, text=True, timeout=120)
    if made.returncode:
        pytest.skip(f"Ralph could not make credentials: {made.stderr.strip().splitlines()[-1:]}")
    port = _free_port()
    proc = subprocess.Popen([str(RALPH), "runserver", "-b", "fs", "--fs-default-directory-path", str(tmp / "data"),
                             "-h", "127.0.0.1", "-p", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/xAPI/"
    base_file = tmp / "data" / "fs_lrs.jsonl"
    try:
        for _ in range(120):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    pytest.skip("Ralph LRS exited at start")
                time.sleep(0.5)
        else:
            pytest.skip("Ralph LRS did not start within 60 s")
        yield base, base_file
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def engine(tmp_path, sqlite_template):
    """SQLite only: Ralph's filesystem backend takes one POST per LRS, and pulling is the same on both databases
    (the import it feeds is tested on SQLite and PostgreSQL in test_xapi.py)."""
    shutil.copyfile(sqlite_template, tmp_path / "pull.sqlite3")
    eng = db.make_engine(f"sqlite:///{tmp_path / 'pull.sqlite3'}")
    yield eng
    eng.dispose()


def _post(base: str, statements: list[dict]) -> list[str]:
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    request = urllib.request.Request(base + "statements", data=json.dumps(statements).encode(), method="POST",
                                     headers={"Authorization": f"Basic {token}", "Content-Type": "application/json",
                                              "X-Experience-API-Version": "1.0.3"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _append(path: Path, statements: list[dict]) -> None:
    """Ralph 5's filesystem backend writes its file once (a second POST answers 500: the file exists), so later
    statements are added to the file the way Ralph writes them: one a line, with id, stored and authority. (That
    backend also applies `since` to the timestamp rather than to stored: these statements are stamped now.)"""
    now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() + 5))
    with open(path, "a", encoding="utf-8") as fh:
        for st in statements:
            fh.write(json.dumps(st | {"timestamp": now, "stored": now, "authority": {"mbox": "mailto:lrs@ex.com"}})
                     + "\n")


def test_pull_reads_every_page_and_resumes(lrs, engine):
    lrs, lrs_file = lrs
    assert len(_post(lrs, xb.statements())) == 16
    result = pull(engine, lrs, USER, PASSWORD, limit=5)
    assert (result.received, result.stored) == (16, 16)
    assert result.pages >= 4  # 5 + 5 + 5 + 1, following `more`
    assert resume_point(engine, lrs) == result.since
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT user_id, registered, progress_pct FROM session_users ORDER BY user_id"))
        assert [tuple(r) for r in rows] == [(xb.ADA, 1, 100.0), (xb.BOB, 0, 50.0), (xb.CY, 1, 0.0)]
    # the next pull starts where this one stopped: only the new statements are read and stored
    dan = {"name": "Dan Brown", "mbox": "mailto:dan@ex.com"}
    _append(lrs_file, [xb.st(60, "ada", "launched", xb.RUN_OBJ, "") | {"actor": dan},
                       xb.st(61, "ada", "completed", xb.RUN_OBJ, "") | {"actor": dan}])
    again = pull(engine, lrs, USER, PASSWORD, limit=5)
    assert (again.received, again.stored) == (2, 2)
    with engine.connect() as conn:
        done = conn.execute(text("SELECT completed_at IS NOT NULL FROM course_attempts WHERE user_id = 'dan@ex.com'"))
        assert [tuple(r) for r in done] == [(1,)]
    assert pull(engine, lrs, USER, PASSWORD).stored == 0


def test_pull_says_why_it_cannot_read(lrs, engine):
    lrs, _ = lrs
    with pytest.raises(PullError, match="401|403"):
        pull(engine, lrs, USER, "wrong")
    with pytest.raises(PullError, match="cannot reach"):
        pull(engine, "http://127.0.0.1:9/xAPI/", USER, PASSWORD)
