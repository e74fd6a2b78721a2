"""Accounts and schema on the command line, run as an administrator runs them: `learnpulse user set-password`
(standard input, or asked twice on a terminal), `learnpulse user invite`, `learnpulse db upgrade`, and the
first-start sign-in link printed by `learnpulse serve`."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import socket
import subprocess
import sys
import termios
import time
import urllib.error
import urllib.request

import pytest
from alembic import command
from sqlalchemy import text

from dashboard.core import passwords
from data_access import accounts, db, migrate, schema
from tests import fixture_bundle
from tests.cli import run_on as run

PASSWORD = "correct horse battery"


@pytest.fixture
def url(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert run(["import", str(fixture_bundle.write(tmp_path / "b"))], url).returncode == 0
    return url


def stored_hash(url: str, user_id: str) -> str | None:
    engine = db.make_engine(url)
    with engine.connect() as conn:
        return accounts.password_hash(conn, user_id)


def test_set_password_from_standard_input(url):
    result = run(["user", "set-password", "CORA@example.com"], url, input=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "password set for cora@example.com"
    assert passwords.verify(stored_hash(url, "u2"), PASSWORD)


def test_set_password_refuses_what_cannot_sign_in(url):
    short = run(["user", "set-password", "cora@example.com"], url, input="short\n")
    assert (short.returncode, short.stderr.strip()) == (2, "learnpulse: Choose a password of at least 10 characters.")
    unknown = run(["user", "set-password", "nobody@example.com"], url, input=PASSWORD + "\n")
    assert (unknown.returncode, unknown.stderr.strip()) == (2, "learnpulse: no user with email 'nobody@example.com'")
    deleted = run(["user", "invite", "del@example.com"], url)
    assert deleted.returncode == 2
    assert deleted.stderr.strip() == "learnpulse: del@example.com is a deleted user: deleted users cannot sign in"
    assert stored_hash(url, "u2") is None


def _controlling_terminal():  # pragma: no cover - runs in the child
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def test_set_password_on_a_terminal_asks_twice(url):
    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "user", "set-password", "lea@example.com"],
                            stdin=child, stdout=child, stderr=child, env={**os.environ, "DATABASE_URL": url},
                            preexec_fn=_controlling_terminal, close_fds=True)
    os.close(child)
    seen = b""

    def wait_for(prompt: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 60
        while prompt not in seen and time.monotonic() < deadline:
            if select.select([main], [], [], 1)[0]:
                seen += os.read(main, 1024)
        assert prompt in seen, seen

    wait_for(b"New password for lea@example.com: ")
    os.write(main, (PASSWORD + "\n").encode())
    wait_for(b"Same password again: ")
    os.write(main, (PASSWORD + "\n").encode())
    assert proc.wait(timeout=60) == 0
    os.close(main)
    assert PASSWORD.encode() not in seen  # never echoed
    assert passwords.verify(stored_hash(url, "u3"), PASSWORD)


def test_invite_prints_a_one_time_link(url):
    result = run(["user", "invite", "lea@example.com"], url)
    assert result.returncode == 0, result.stderr
    link = result.stdout.strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:8050/invite/[A-Za-z0-9_-]{40,}", link)
    assert "valid 7 days" in result.stderr
    engine = db.make_engine(url)
    with engine.connect() as conn:
        token = link.rsplit("/", 1)[1]
        assert accounts.token_user(conn, token, accounts.INVITE, accounts_now()) == "u3"
    public = run(["user", "invite", "lea@example.com"], url, env_extra={"LEARNPULSE_PUBLIC_URL": "https://lp.example.org/"})
    assert public.stdout.startswith("https://lp.example.org/invite/")


def accounts_now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_db_upgrade_and_current(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    first = run(["db", "upgrade"], url)
    assert first.returncode == 0, first.stderr
    assert f"schema upgraded: (none) -> {migrate.head()}" in first.stderr
    again = run(["db", "upgrade"], url)
    assert f"schema already at {migrate.head()}" in again.stderr
    current = run(["db", "current"], url)
    assert current.stdout.strip() == f"database: {migrate.head()}; this version: {migrate.head()}"


def test_a_shared_database_behind_is_not_migrated_by_serve_or_import(engine, tmp_path):
    if engine.dialect.name != "postgresql":
        pytest.skip("the embedded SQLite database migrates itself; this is about a shared server database")
    schema.drop_schema(engine)
    with engine.begin() as conn:
        command.upgrade(migrate.config(conn), migrate.BASELINE)
    url = engine.url.render_as_string(hide_password=False)
    refused = run(["import", str(fixture_bundle.write(tmp_path / "b"))], url)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (f"learnpulse: the database schema is at {migrate.BASELINE}; this version of "
                                      f"LearnPulse needs {migrate.head()}: run `learnpulse db upgrade`")
    assert run(["db", "upgrade"], url).returncode == 0
    assert run(["import", str(fixture_bundle.write(tmp_path / "b"))], url).returncode == 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM users")).scalar_one() == 7


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_first_start_prints_a_one_time_owner_link(tmp_path):
    """`learnpulse serve` on a new machine: demo data, then a link that signs the owner in once."""
    port = _free_port()
    env = {**os.environ, "LEARNPULSE_DATA_DIR": str(tmp_path), "LEARNPULSE_DEMO_LEARNERS": "40",
           "LEARNPULSE_PORT": str(port)}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve"], stderr=subprocess.PIPE, text=True, env=env)
    try:
        link, lines = None, []
        deadline = time.monotonic() + 120
        while link is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            lines.append(line)
            found = re.search(rf"http://127\.0\.0\.1:{port}/login/token/\S+", line)
            link = found.group(0) if found else None
        assert link, "".join(lines)
        assert any("sign in as the platform owner" in x for x in lines)
        opener = urllib.request.build_opener(_NoRedirect)
        for _ in range(50):  # the server may still be starting
            try:
                with opener.open(link) as response:
                    status, cookie = response.status, " ".join(response.headers.get_all("Set-Cookie") or [])
                break
            except urllib.error.HTTPError as exc:
                status, cookie = exc.code, " ".join(exc.headers.get_all("Set-Cookie") or [])
                break
            except urllib.error.URLError:
                time.sleep(0.2)
        assert status == 302 and "learnpulse_session=" in cookie
        with pytest.raises(urllib.error.HTTPError) as used:
            opener.open(link)
        assert used.value.code == 403  # one time only
    finally:
        proc.terminate()
        proc.wait(timeout=30)
