"""The `learnpulse` command run in this process, as a subprocess would run it: the environment replaced by `env`,
standard input from `input`, standard output and error captured, the exit code returned. Launching Python
and importing Dash costs 2–4 s a command; the suite runs dozens. tests/test_cli.py still runs the real
command as a user does (a subprocess), so the console entry point stays covered."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys

from dashboard import cli


@contextlib.contextmanager
def _environment(env: dict | None):
    saved = dict(os.environ)
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run(args: list[str], env: dict | None = None, input: str | None = None, **_subprocess_options
        ) -> subprocess.CompletedProcess:
    """`learnpulse ARGS` (subprocess.run's keyword arguments such as capture_output or timeout are accepted
    and need nothing here)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    stdin = io.StringIO(input or "")
    code = 0
    with _environment(env), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        saved_stdin, sys.stdin = sys.stdin, stdin
        try:
            cli.main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.stdin = saved_stdin
    return subprocess.CompletedProcess(["learnpulse", *args], code, stdout.getvalue(), stderr.getvalue())


def run_on(args: list[str], db_url: str, env_extra: dict | None = None, **options) -> subprocess.CompletedProcess:
    """`learnpulse ARGS` with DATABASE_URL (and env_extra) added to this process's environment."""
    return run(args, {**os.environ, "DATABASE_URL": db_url, **(env_extra or {})}, **options)
