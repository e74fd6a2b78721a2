"""POST /xapi/statements and PUT /xapi/statements?statementId=ID: the xAPI Statement Resource for writing.

Authenticated here with HTTP Basic against `learnpulse xapi credentials create` (LRS clients have no browser
session, so /xapi/ is outside the app's browser sign-in and CSRF protection). A batch is taken whole or not
at all: 400 with every problem, 409 when a statement id is already used by other content. The batch's
statements and events are stored before the answer; what many statements build together (attempts,
enrollments, results) and the derived facts are folded in the background (dashboard/refresher.py), coalescing
a burst of batches, so pages show it within a second or so.
"""

from __future__ import annotations

import json
import re
import time

import flask
from sqlalchemy.exc import SQLAlchemyError

from dashboard import services
from data_access.xapi.credentials import Checker
from data_access.xapi.ingest import XapiFailed, ingest
from data_access.xapi.sources import Item
from data_access.xapi.statement import loads

PREFIX = "/xapi/"
VERSION = "1.0.3"
MAX_BYTES = 16 << 20
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _answer(status: int, body=None, **headers) -> flask.Response:
    if isinstance(body, str):
        body = {"error": body}
    data = "" if body is None else json.dumps(body)
    response = flask.Response(data, status=status, mimetype="application/json" if body is not None else None)
    response.headers["X-Experience-API-Version"] = VERSION
    response.headers.update(headers)
    return response


def _failed(exc: XapiFailed) -> flask.Response:
    return _answer(409 if exc.conflict else 400, {
        "error": f"{exc.total} problem(s), nothing was stored",
        "problems": [f"{where}: {reason}" for where, reason in exc.issues]})


def register(server: flask.Flask) -> None:
    checker = Checker()

    @server.route(PREFIX + "statements", methods=["POST", "PUT"])
    def xapi_statements():
        version = flask.request.headers.get("X-Experience-API-Version")
        if not version:
            return _answer(400, "the X-Experience-API-Version header is required")
        if not version.startswith("1.0"):
            return _answer(400, f"xAPI version {version} is not supported (1.0.x)")
        svc = services.current()
        auth = flask.request.authorization
        try:
            allowed = bool(auth and auth.type == "basic" and auth.username and auth.password is not None
                           and checker.check(svc.engine, auth.username, auth.password))
        except SQLAlchemyError:
            return _answer(503, "the database did not answer; try again in a moment")
        if not allowed:
            return _answer(401, "HTTP Basic credentials from `learnpulse xapi credentials create` are required",
                           **{"WWW-Authenticate": 'Basic realm="LearnPulse xAPI"'})
        if (flask.request.content_length or 0) > MAX_BYTES:
            return _answer(413, f"at most {MAX_BYTES >> 20} MB per request")
        try:
            body = loads(flask.request.get_data(cache=False) or b"null")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return _answer(400, f"the body is not JSON: {getattr(exc, 'msg', exc)}")
        items, problem = _items(flask.request.method, body, flask.request.args.get("statementId"))
        if problem:
            return _answer(400, problem)
        try:
            report = ingest(svc.engine, items, int(time.time()), scoped=True, keep_ids=True, defer_fold=True)
        except XapiFailed as exc:
            return _failed(exc)
        except SQLAlchemyError:
            return _answer(503, "the database did not answer; try again in a moment")
        if report.stored:  # attempts, enrollments, results and every page's numbers follow within a second
            svc.refresher.request(set(), fold=True)
        if flask.request.method == "PUT":
            return _answer(204)
        return _answer(200, report.ids)


def _items(method: str, body, statement_id: str | None) -> tuple[list[Item], str | None]:
    if method == "PUT":
        if not statement_id or not _UUID.match(statement_id):
            return [], "PUT needs the statementId parameter (a UUID)"
        if not isinstance(body, dict):
            return [], "PUT takes one statement (a JSON object)"
        if "id" in body and str(body["id"]).lower() != statement_id.lower():
            return [], "the statement's id differs from the statementId parameter"
        return [Item("statement", {**body, "id": statement_id})], None
    if isinstance(body, list):
        if not body:
            return [], "an empty array holds no statement"
        return [Item(f"statement[{i}]", st) for i, st in enumerate(body)], None
    if isinstance(body, dict):
        return [Item("statement", body)], None
    return [], "the body must be a statement or an array of statements"
