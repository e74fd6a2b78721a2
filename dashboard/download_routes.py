"""The CSV download route: GET /download/<report>.csv streams the same writer `learnpulse export REPORT` uses,
for the signed-in viewer at the page's now (the links are built by dashboard.core.downloads.url)."""

from __future__ import annotations

import flask
from sqlalchemy.exc import SQLAlchemyError

from dashboard.core import auth, services
from dashboard.core.downloads import PREFIX, filename, options_from
from data_access.exports import get_writer


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
