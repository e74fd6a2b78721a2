"""CSV downloads: GET /download/<report>.csv streams the same writer `learnpulse export REPORT` uses, with
the same options as query parameters (?session=ID&bucket=8-14), so a button's file and the command's
output are byte-identical for the same viewer and now."""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlencode

import flask
from sqlalchemy.exc import SQLAlchemyError

from dashboard import auth, services
from data_access.exports import get_writer

PREFIX = "/download/"
LIST_OPTIONS = ("session", "bucket", "group", "user")
TEXT_OPTIONS = ("program", "course", "since", "until", "activity", "action")


def url(report: str, **options) -> str:
    """The download link of a report; list options repeat (session=a&session=b)."""
    query = []
    for name, value in options.items():
        if value is None or value == [] or value is False:
            continue
        for item in value if isinstance(value, list | tuple) else [value]:
            query.append((name, "1" if item is True else str(item)))
    return f"{PREFIX}{report}.csv" + (f"?{urlencode(query)}" if query else "")


def filename(report: str, args) -> str:
    parts = [report] + args.getlist("session") + args.getlist("bucket") + args.getlist("program")
    parts += args.getlist("group") + args.getlist("course") + args.getlist("activity") + args.getlist("action")
    return re.sub(r"[^A-Za-z0-9._+-]+", "-", "-".join(parts)).strip("-") + ".csv"


def options_from(args) -> SimpleNamespace:
    """The export options of the command line, read from the query string."""
    opts = {name: args.getlist(name) for name in LIST_OPTIONS}
    opts.update({name: args.get(name) or None for name in TEXT_OPTIONS})
    opts["status"] = args.get("status") or "all"
    opts["deleted"] = args.get("deleted") in ("1", "true", "yes")
    return SimpleNamespace(**opts)


def register(server: flask.Flask) -> None:
    @server.route(PREFIX + "<report>.csv")
    def download(report: str):
        try:
            writer = get_writer(report)
        except KeyError:
            flask.abort(404, f"no report named {report!r}")
        if any("\x00" in value for _, values in flask.request.args.lists() for value in values):
            # PostgreSQL refuses NUL in text: the report would fail as if the database were down
            flask.abort(400, "A query value holds a NUL character.")
        svc = services.current()
        conn = svc.engine.connect()
        try:
            chunks = writer(conn, auth.viewer_scope(), svc.now(), svc.settings, options_from(flask.request.args))
            first = next(chunks)  # errors surface here, before any byte is sent
        except LookupError as exc:
            conn.close()
            flask.abort(404, exc.args[0] if exc.args else str(exc))
        except ValueError as exc:
            conn.close()
            flask.abort(400, str(exc))
        except SQLAlchemyError:
            conn.close()
            flask.abort(503, "The database did not answer; try again in a moment.")

        def stream():
            try:
                yield first
                yield from chunks
            finally:
                conn.close()

        name = filename(report, flask.request.args)
        return flask.Response(flask.stream_with_context(stream()), mimetype="text/csv",
                              headers={"Content-Disposition": f'attachment; filename="{name}"',
                                       "Cache-Control": "no-store"})
