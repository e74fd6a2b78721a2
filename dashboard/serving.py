"""Which WSGI server `learnpulse serve` runs, and running it.

By default waitress: a production server, multi-threaded, on every platform (pure Python). `--debug` runs
Flask's development server (reloader, debugger), which must never face users. Several processes on Linux:
gunicorn (`gunicorn --workers 4 --bind 0.0.0.0:8050 app:server`, see the README).
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import security

WAITRESS = "waitress"
DEVELOPMENT = "flask-development"
DEFAULT_THREADS = 8
SERVER_IDENT = security.SERVER  # the Server header: the product, never a version


@dataclass(frozen=True)
class Plan:
    server: str  # WAITRESS or DEVELOPMENT
    threads: int


def plan(debug: bool, threads: int | None) -> Plan:
    """The server for these options: the development server only when debugging."""
    if threads is not None and threads < 1:
        raise ValueError("--threads must be at least 1")
    if debug:
        return Plan(DEVELOPMENT, 1)
    return Plan(WAITRESS, threads or DEFAULT_THREADS)


def waitress_options(host: str, port: int, threads: int) -> dict:
    """waitress.serve's keyword arguments. Proxy headers (X-Forwarded-For…) are left to the app, which honours
    them only from LEARNPULSE_TRUSTED_PROXIES (waitress would otherwise strip them from every request)."""
    return {"host": host, "port": port, "threads": threads, "ident": SERVER_IDENT,
            "clear_untrusted_proxy_headers": False}


def run(dash_app, chosen: Plan, host: str, port: int) -> None:
    """Serve the Dash app until interrupted."""
    if chosen.server == DEVELOPMENT:
        dash_app.run(host=host, port=port, debug=True, request_handler=security.QuietRequestHandler)
        return
    import waitress

    waitress.serve(dash_app.server, **waitress_options(host, port, chosen.threads))
