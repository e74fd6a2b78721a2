"""`learnpulse serve` runs a production server (waitress) unless debugging."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from dashboard import serving


def test_waitress_by_default_with_threads():
    assert serving.plan(debug=False, threads=None) == serving.Plan(serving.WAITRESS, serving.DEFAULT_THREADS)
    assert serving.plan(debug=False, threads=3) == serving.Plan(serving.WAITRESS, 3)


def test_development_server_only_when_debugging():
    assert serving.plan(debug=True, threads=None).server == serving.DEVELOPMENT


def test_threads_must_be_positive():
    with pytest.raises(ValueError, match="--threads must be at least 1"):
        serving.plan(debug=False, threads=0)


def test_waitress_names_no_version_and_leaves_proxy_headers_to_the_app():
    options = serving.waitress_options("127.0.0.1", 8050, 4)
    assert options["ident"] == "LearnPulse"
    assert options["threads"] == 4
    assert options["clear_untrusted_proxy_headers"] is False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_waitress_and_answers(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}", "LEARNPULSE_DEMO_LEARNERS": "40",
           "LEARNPULSE_DATA_DIR": str(tmp_path)}
    env.pop("LEARNPULSE_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--port", str(port), "--threads", "2"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        response = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        assert response is not None, "serve did not answer"
        assert response.status == 200
        assert response.headers.get_all("Server") == ["LearnPulse"]
        assert "Via" not in response.headers
        assert b"password" in response.read()
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert "server: waitress, 2 threads" in output
    assert "development server" not in output.lower()
