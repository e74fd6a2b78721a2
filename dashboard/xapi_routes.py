"""/xapi/: the xAPI 1.0.3 Statement Resource (GET, POST, PUT /xapi/statements) and About Resource (GET /xapi/about).

Authenticated here with HTTP Basic against `learnpulse xapi credentials create` (LRS clients have no browser
session, so /xapi/ is outside the app's browser sign-in and CSRF protection). Every answer under /xapi/ is JSON:
an unknown path 404, a method a resource does not take 405, never the dashboard's page.

Writing: a batch is taken whole or not at all: 400 with every problem (each with its statement and JSON path),
409 when a statement id is already used by other content, 413 past 16 MB (counted while reading, so a chunked
body is cut there too). `multipart/mixed` requests (statements with attachments, signed statements) are taken
when every attachment's part matches its sha2; only the statements are kept. The alternate request syntax (a
form POST with `?method=PUT|POST|GET`) is taken as the request it stands for. The batch's statements and events
are stored before the answer; what many statements build together (attempts, enrollments, results) and the
derived facts are folded in the background (data_access/write/xapi/folder.py), coalescing a burst of batches.

Reading: `?statementId=` / `?voidedStatementId=` answer one statement; the other parameters a StatementResult
with `more` (data_access/xapi/lrs.py), with `X-Experience-API-Consistent-Through`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

import flask
from sqlalchemy.exc import SQLAlchemyError

from dashboard import services
from data_access.write.xapi.ingest import XapiFailed, ingest
from data_access.xapi import lrs
from data_access.xapi.credentials import Checker
from data_access.xapi.sources import Item
from data_access.xapi.statement import loads, parse_timestamp
from data_access.xapi.validate import Checker as Walk
from data_access.xapi.validate import is_iri, is_timestamp, is_uuid

PREFIX = "/xapi/"
VERSION = "1.0.3"
VERSIONS = ["1.0.3", "1.0.2", "1.0.1", "1.0.0"]
MAX_BYTES = 16 << 20
READ_CHUNK = 1 << 16
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
_VERSION = re.compile(r"^1\.0(?:\.\d+)?\Z")
_CURSOR = re.compile(r"^(\d{1,12})_([0-9a-f-]{36})\Z")
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
QUERY_PARAMS = {"agent", "verb", "activity", "registration", "related_activities", "related_agents", "since", "until",
                "limit", "format", "attachments", "ascending", "cursor"}
ONE_PARAMS = {"statementId", "voidedStatementId", "format", "attachments"}
# the form fields of the alternate request syntax that stand for headers
FORM_HEADERS = {"authorization": "Authorization", "x-experience-api-version": "X-Experience-API-Version",
                "content-type": "Content-Type", "content-length": "Content-Length", "if-match": "If-Match",
                "if-none-match": "If-None-Match"}


class Refused(Exception):
    """A request answered with an error status and a JSON message."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None, **headers):
        super().__init__(message)
        self.status, self.message, self.problems, self.headers = status, message, problems, headers


@dataclass
class Call:
    """One request to the Statement Resource, the alternate syntax unwrapped."""

    method: str
    params: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""
    content_type: str = ""
    key: str = ""  # the credential's key, once authenticated
    statements: list = field(default_factory=list)


def _answer(status: int, body=None, **headers) -> flask.Response:
    if isinstance(body, str):
        body = {"error": body}
    data = "" if body is None else json.dumps(body, ensure_ascii=False)
    response = flask.Response(data, status=status, mimetype="application/json" if body is not None else None)
    response.headers["X-Experience-API-Version"] = VERSION
    response.headers.update(headers)
    return response


def _refused(exc: Refused) -> flask.Response:
    body = {"error": exc.message}
    if exc.problems is not None:
        body["problems"] = exc.problems
    return _answer(exc.status, body, **exc.headers)


def _read_body() -> bytes:
    """The request body, refused past MAX_BYTES as it is read (a chunked body has no Content-Length to check)."""
    if (flask.request.content_length or 0) > MAX_BYTES:
        raise Refused(413, f"at most {MAX_BYTES >> 20} MB per request")
    stream = flask.request.stream
    chunks, size = [], 0
    while True:
        chunk = stream.read(READ_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            raise Refused(413, f"at most {MAX_BYTES >> 20} MB per request")
        chunks.append(chunk)


def _call() -> Call:
    request = flask.request
    headers = {k.lower(): v for k, v in request.headers.items()}
    params = dict(request.args.items(multi=False))
    if any(len(values) > 1 for values in request.args.listvalues()):
        raise Refused(400, "a parameter is given twice")
    if "method" not in params:
        return Call(request.method, params, headers, content_type=headers.get("content-type", ""))
    # the alternate request syntax: POST ?method=X, headers, parameters and content in a form
    if request.method != "POST":
        raise Refused(400, "the method parameter (alternate request syntax) is only taken on a POST")
    if set(params) != {"method"}:
        raise Refused(400, "with the alternate request syntax, method is the only parameter of the address: "
                           f"move {', '.join(sorted(set(params) - {'method'}))} into the form")
    method = params["method"].upper()
    if method not in ("GET", "PUT", "POST"):
        raise Refused(405 if method in ALL_METHODS else 400, f"the statements resource takes no {method}",
                      Allow="GET, HEAD, POST, PUT")
    if not headers.get("content-type", "").lower().startswith("application/x-www-form-urlencoded"):
        raise Refused(400, "the alternate request syntax is a form: Content-Type application/x-www-form-urlencoded")
    try:
        fields = parse_qsl(_read_body().decode("utf-8"), keep_blank_values=True, strict_parsing=False,
                           max_num_fields=1000)
    except (UnicodeDecodeError, ValueError) as exc:
        raise Refused(400, f"the form cannot be read: {exc}") from None
    call = Call(method, {}, {k: v for k, v in headers.items() if k not in FORM_HEADERS})
    for name, value in fields:
        lower = name.lower()
        if lower in FORM_HEADERS:
            call.headers[lower] = value
        elif name == "content":
            call.body = value.encode("utf-8")
        elif name in call.params:
            raise Refused(400, f"the parameter {name} is given twice")
        else:
            call.params[name] = value
    call.content_type = call.headers.get("content-type", "application/json")
    if call.content_type.lower().startswith("application/x-www-form-urlencoded"):
        call.content_type = "application/json"
    return call


def _check_version(call: Call) -> None:
    version = call.headers.get("x-experience-api-version")
    if not version:
        raise Refused(400, "the X-Experience-API-Version header is required")
    if not _VERSION.match(version.strip()):
        raise Refused(400, f"xAPI version {version[:40]!r} is not supported (1.0 or 1.0.x, with digits)")


def _authenticate(call: Call, checker: Checker, engine) -> None:
    auth = call.headers.get("authorization", "")
    key = secret = None
    if auth[:6].lower() == "basic ":
        try:
            key, _, secret = base64.b64decode(auth[6:].strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            key = None
    try:
        allowed = bool(key and secret is not None and checker.check(engine, key, secret))
    except SQLAlchemyError:
        raise Refused(503, "the database did not answer; try again in a moment") from None
    if not allowed:
        raise Refused(401, "HTTP Basic credentials from `learnpulse xapi credentials create` are required",
                      **{"WWW-Authenticate": 'Basic realm="LearnPulse xAPI"'})
    call.key = key


def _authority(key: str) -> dict:
    """The authority of statements posted with a credential: that credential, as an Agent."""
    return {"objectType": "Agent", "account": {"homePage": flask.request.host_url + "xapi/", "name": key}}


def _importer() -> dict:
    """The authority of statements imported from files or pulled without one: this LRS's importer."""
    return {"objectType": "Agent", "account": {"homePage": flask.request.host_url + "xapi/", "name": "import"}}


def register(server: flask.Flask) -> None:
    checker = Checker()

    @server.route(PREFIX + "about", methods=ALL_METHODS)
    def xapi_about():
        if flask.request.method not in ("GET", "HEAD"):
            return _answer(405, "the about resource takes GET", Allow="GET, HEAD")
        return _answer(200, {"version": VERSIONS})

    @server.route(PREFIX + "statements", methods=ALL_METHODS)
    def xapi_statements():
        try:
            return _statements(checker)
        except Refused as exc:
            return _refused(exc)

    @server.route(PREFIX.rstrip("/"), methods=ALL_METHODS)
    @server.route(PREFIX, methods=ALL_METHODS)
    @server.route(PREFIX + "<path:rest>", methods=ALL_METHODS)
    def xapi_unknown(rest: str = ""):
        return _unknown()

    def only_xapi_here():
        """A path under /xapi/ that another rule matched (the pages' catch-all takes `/xapi//x`) is no resource: JSON
        404 before any other handler (the browser sign-in would redirect `/xapi`)."""
        path = flask.request.path
        if path == PREFIX.rstrip("/") or path.startswith(PREFIX):
            rule = flask.request.url_rule
            if rule is None or rule.endpoint not in ("xapi_about", "xapi_statements"):
                return _unknown()
        return None

    server.before_request_funcs.setdefault(None, []).insert(0, only_xapi_here)


def _unknown() -> flask.Response:
    return _answer(404, f"no xAPI resource at {flask.request.path[:200]} (this LRS has /xapi/statements and "
                        "/xapi/about)")


def _statements(checker: Checker) -> flask.Response:
    if flask.request.method not in ("GET", "HEAD", "POST", "PUT"):
        raise Refused(405, f"the statements resource takes no {flask.request.method}", Allow="GET, HEAD, POST, PUT")
    svc = services.current()
    call = _call()  # (the alternate syntax's form is read here: its headers are in it)
    _check_version(call)
    _authenticate(call, checker, svc.engine)
    if "method" not in flask.request.args and call.method in ("POST", "PUT"):
        call.body = _read_body()
    if call.method in ("GET", "HEAD"):
        return _read(call, svc)
    return _write(call, svc)


# --- writing --------------------------------------------------------------------------------------------------------
def _write(call: Call, svc) -> flask.Response:
    allowed = {"statementId"} if call.method == "PUT" else set()
    unknown = sorted(set(call.params) - allowed)
    if unknown:
        raise Refused(400, f"{call.method} /xapi/statements takes no parameter {', '.join(unknown)}")
    body, parts = _body(call)
    items = _items(call.method, body, call.params.get("statementId"))
    _check_attachments(items, parts)
    authority = _authority(call.key)
    items = [Item(i.where, {**i.statement, "authority": authority}) if isinstance(i.statement, dict) else i
             for i in items]
    try:
        report = ingest(svc.engine, items, int(time.time()), scoped=True, keep_ids=True, defer_fold=True)
    except XapiFailed as exc:
        raise Refused(409 if exc.conflict else 400, f"{exc.total} problem(s), nothing was stored",
                      [f"{where}: {reason}" for where, reason in exc.issues]) from None
    except SQLAlchemyError:
        raise Refused(503, "the database did not answer; try again in a moment") from None
    if report.stored:  # attempts, enrollments, results and every page's numbers follow within a second
        svc.xapi_folder.request(set(), fold=True)
    if call.method == "PUT":
        return _answer(204)
    return _answer(200, report.ids)


def _json(data: bytes):
    try:
        return loads(data or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refused(400, f"the body is not JSON: {getattr(exc, 'msg', exc)}") from None


def _body(call: Call) -> tuple[object, dict[str, bytes]]:
    """The statements' JSON and, for multipart/mixed, the attachment parts by their sha2."""
    ctype = call.content_type.lower()
    if not ctype.startswith("multipart/mixed"):
        return _json(call.body), {}
    match = re.search(r'boundary="?([^";]+)"?', call.content_type)
    if not match:
        raise Refused(400, "a multipart/mixed body needs a boundary")
    parts = _parts(call.body, match.group(1).encode("latin-1"))
    if not parts:
        raise Refused(400, "the multipart/mixed body has no part")
    first_headers, first = parts[0]
    if not first_headers.get("content-type", "").lower().startswith("application/json"):
        raise Refused(400, "the first part of a multipart/mixed body is the statements (application/json)")
    attachments: dict[str, bytes] = {}
    for i, (headers, data) in enumerate(parts[1:], start=1):
        declared = headers.get("x-experience-api-hash", "").strip().lower()
        if not declared:
            raise Refused(400, f"part {i} has no X-Experience-API-Hash header")
        if headers.get("content-transfer-encoding", "binary").strip().lower() != "binary":
            raise Refused(400, f"part {i}: Content-Transfer-Encoding must be binary")
        actual = {len(h.hexdigest()): h.hexdigest() for h in (hashlib.sha224(data), hashlib.sha256(data),
                                                                 hashlib.sha384(data), hashlib.sha512(data))}
        if actual.get(len(declared)) != declared:
            raise Refused(400, f"part {i}: its content does not match its X-Experience-API-Hash {declared[:16]}…")
        attachments[declared] = data
    return _json(first), attachments


def _parts(body: bytes, boundary: bytes) -> list[tuple[dict[str, str], bytes]]:
    delimiter = b"--" + boundary
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise Refused(400, "the multipart/mixed body is not closed by its boundary")
    out = []
    for chunk in chunks[1:-1]:
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise Refused(400, "a part of the multipart/mixed body has no blank line after its headers")
        if data.endswith(b"\r\n"):
            data = data[:-2]
        headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            name, colon, value = line.partition(":")
            if colon:
                headers[name.strip().lower()] = value.strip()
        out.append((headers, data))
    return out


def _check_attachments(items: list[Item], parts: dict[str, bytes]) -> None:
    """Every attachment without a fileUrl has its part; every part belongs to an attachment; signatures are JWS."""
    needed: set[str] = set()
    for item in items:
        atts = item.statement.get("attachments") if isinstance(item.statement, dict) else None
        for j, att in enumerate(atts if isinstance(atts, list) else []):
            if not isinstance(att, dict) or not isinstance(att.get("sha2"), str):
                continue  # (the statement's own checks report it)
            sha2 = att["sha2"].lower()
            if sha2 in parts:
                needed.add(sha2)
                if att.get("usageType") == SIGNATURE:
                    _check_signature(parts[sha2], item.statement, f"{item.where}.attachments[{j}]")
            elif "fileUrl" not in att:
                raise Refused(400, f"{item.where}.attachments[{j}]: no part of the request has its sha2 and it has "
                                   "no fileUrl")
    extra = set(parts) - needed
    if extra:
        raise Refused(400, f"{len(extra)} part(s) of the request belong to no attachment of its statements")


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _check_signature(jws: bytes, statement: dict, where: str) -> None:
    """A signature is a JWS (compact) with an RS256/384/512 header whose payload is this statement."""
    try:
        header, payload, _signature = jws.decode("ascii").strip().split(".")
        alg = json.loads(_b64(header)).get("alg")
        signed = json.loads(_b64(payload))
    except (ValueError, UnicodeDecodeError, AttributeError, binascii.Error):
        raise Refused(400, f"{where}: the signature is not a JWS (header.payload.signature)") from None
    if alg not in ("RS256", "RS384", "RS512"):
        raise Refused(400, f"{where}: the signature's algorithm must be RS256, RS384 or RS512, got {alg!r}")
    if not isinstance(signed, dict) or any(signed.get(k) != statement.get(k) for k in ("actor", "verb", "object")):
        raise Refused(400, f"{where}: the signature's payload is not this statement")


def _items(method: str, body, statement_id: str | None) -> list[Item]:
    if method == "PUT":
        if not statement_id or not is_uuid(statement_id):
            raise Refused(400, "PUT needs the statementId parameter (a UUID)")
        if not isinstance(body, dict):
            raise Refused(400, "PUT takes one statement (a JSON object)")
        if "id" in body and str(body["id"]).lower() != statement_id.lower():
            raise Refused(400, "the statement's id differs from the statementId parameter")
        return [Item("statement", {**body, "id": statement_id})]
    if isinstance(body, list):
        if not body:
            raise Refused(400, "an empty array holds no statement")
        items = [Item(f"statement[{i}]", st) for i, st in enumerate(body)]
    elif isinstance(body, dict):
        items = [Item("statement", body)]
    else:
        raise Refused(400, "the body must be a statement or an array of statements")
    seen: dict[str, str] = {}
    problems = []
    for item in items:
        sid = item.statement.get("id") if isinstance(item.statement, dict) else None
        if isinstance(sid, str):
            if sid.lower() in seen:
                problems.append(f"{item.where}: the id {sid} is used twice in this batch (first at "
                                f"{seen[sid.lower()]})")
            else:
                seen[sid.lower()] = item.where
    if problems:
        raise Refused(400, f"{len(problems)} problem(s), nothing was stored", problems)
    return items


# --- reading --------------------------------------------------------------------------------------------------------
def _flag(params: dict, name: str) -> bool:
    value = params.get(name, "false")
    if value not in ("true", "false"):
        raise Refused(400, f"{name} is true or false, got {value[:40]!r}")
    return value == "true"


def _read(call: Call, svc) -> flask.Response:
    params = call.params
    fmt = params.get("format", "exact")
    if fmt not in ("ids", "exact", "canonical"):
        raise Refused(400, f"format is ids, exact or canonical, got {fmt[:40]!r}")
    _flag(params, "attachments")  # (attachment bodies are not kept: answers are JSON only)
    one = [k for k in ("statementId", "voidedStatementId") if k in params]
    try:
        if one:
            return _read_one(params, one, fmt, svc)
        return _read_query(params, fmt, svc)
    except SQLAlchemyError:
        raise Refused(503, "the database did not answer; try again in a moment") from None


def _read_one(params: dict, one: list[str], fmt: str, svc) -> flask.Response:
    extra = sorted(set(params) - ONE_PARAMS)
    if len(one) > 1 or extra:
        raise Refused(400, f"{one[0]} takes no other parameter than format and attachments, got "
                           f"{', '.join(one[1:] + extra)}")
    sid = params[one[0]]
    if not is_uuid(sid):
        raise Refused(400, f"{one[0]} must be a UUID, got {sid[:40]!r}")
    with svc.engine.connect() as conn:
        st = lrs.get_statement(conn, sid, one[0] == "voidedStatementId", _importer(), fmt)
    through = lrs.consistent_through()
    if st is None:
        raise Refused(404, f"no {'voided ' if one[0] == 'voidedStatementId' else ''}statement {sid}",
                      **{"X-Experience-API-Consistent-Through": through})
    return _answer(200, st, **{"X-Experience-API-Consistent-Through": through, "Last-Modified": st["stored"]})


def _read_query(params: dict, fmt: str, svc) -> flask.Response:
    unknown = sorted(set(params) - QUERY_PARAMS)
    if unknown:
        raise Refused(400, f"GET /xapi/statements takes no parameter {', '.join(unknown)}")
    agent = None
    if "agent" in params:
        agent = _json(params["agent"].encode("utf-8"))
        walk = Walk()
        walk.actor(agent, "agent")
        if walk.out or not any(k in agent for k in lrs.IFIS):
            raise Refused(400, "agent must be an Agent or an identified Group (JSON with one identifier)",
                          [f"{p}: {r}" for p, r in walk.out])
    for name in ("verb", "activity"):
        if name in params and not is_iri(params[name]):
            raise Refused(400, f"{name} must be an IRI, got {params[name][:40]!r}")
    if "registration" in params and not is_uuid(params["registration"]):
        raise Refused(400, f"registration must be a UUID, got {params['registration'][:40]!r}")
    times = {}
    for name in ("since", "until"):
        if name in params:
            times[name] = parse_timestamp(params[name])
            if times[name] is None or not is_timestamp(params[name]):
                raise Refused(400, f"{name} must be an ISO 8601 timestamp, got {params[name][:40]!r}")
    limit = params.get("limit", "0")
    if not limit.isdigit() or len(limit) > 9:
        raise Refused(400, f"limit is a whole number (0: as many as the LRS gives), got {limit[:40]!r}")
    after = None
    if "cursor" in params:
        m = _CURSOR.match(params["cursor"])
        if not m:
            raise Refused(400, "cursor is the one the `more` of a previous answer gave")
        after = (int(m.group(1)), m.group(2))
    query = lrs.Query(agent=agent, verb=params.get("verb"), activity=params.get("activity"),
                      registration=params.get("registration"),
                      related_activities=_flag(params, "related_activities"),
                      related_agents=_flag(params, "related_agents"), since=times.get("since"),
                      until=times.get("until"), ascending=_flag(params, "ascending"),
                      limit=min(int(limit) or lrs.MAX_LIMIT, lrs.MAX_LIMIT), format=fmt, after=after)
    with svc.engine.connect() as conn:
        statements, last = lrs.query(conn, query, _importer())
    more = ""
    if last is not None:
        more = PREFIX + "statements?" + urlencode({**{k: v for k, v in params.items() if k != "cursor"},
                                                   "cursor": f"{last[0]}_{last[1]}"})
    return _answer(200, {"statements": statements, "more": more},
                   **{"X-Experience-API-Consistent-Through": lrs.consistent_through()})
