"""`learnpulse xapi pull URL`: read any LRS's statements resource (GET /statements, oldest first, following
`more`) and import each page as it comes, so a pull of millions of statements holds one page in memory.

Resumable: each page is imported in its own transaction together with the `stored` time of its newest
statement (kept in meta per LRS URL); the next pull without --since starts one second before it (statements
already stored are skipped, so the overlap costs nothing and no statement stored in the same second is lost).
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode, urljoin

from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access.write.bulk import upsert_rows
from data_access.write.xapi.ingest import ingest
from data_access.xapi.sources import Item
from data_access.xapi.statement import parse_timestamp

VERSION = "1.0.3"
TIMEOUT_S = 60


class PullError(Exception):
    """The LRS could not be read (one line, for the command line)."""


@dataclass
class PullResult:
    pages: int = 0
    received: int = 0
    stored: int = 0
    since: str | None = None  # where the next pull starts


def meta_key(url: str) -> str:
    return "xapi_pull:" + hashlib.sha1(url.rstrip("/").encode()).hexdigest()


def resume_point(engine: Engine, url: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": meta_key(url)}).scalar()


def _get(url: str, key: str, secret: str) -> dict:
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {token}", "Accept": "application/json",
                                                   "X-Experience-API-Version": VERSION})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 - the user's LRS
            data = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        raise PullError(f"the LRS answered {exc.code} {exc.reason} for {url}"
                        + (f": {detail[0][:200]}" if detail else "")) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise PullError(f"cannot reach the LRS at {url}: {getattr(exc, 'reason', exc)}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PullError(f"the LRS did not answer JSON at {url}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("statements"), list):
        raise PullError(f"the LRS answer at {url} is not a StatementResult (no statements list)")
    return data


def _start(since: str) -> str:
    """One second before a stored time, as ISO 8601 (the overlap is skipped as already stored)."""
    seconds = parse_timestamp(since)
    if seconds is None:
        raise PullError(f"--since: not an ISO 8601 timestamp: {since!r}")
    return datetime.fromtimestamp(seconds - 1, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def pull(engine: Engine, url: str, key: str, secret: str, since: str | None = None, limit: int = 500,
         on_page=None) -> PullResult:
    base = url.rstrip("/") + "/"
    result = PullResult(since=since or resume_point(engine, url))
    query = {"limit": limit, "ascending": "true"}
    if since is not None:
        if parse_timestamp(since) is None:
            raise PullError(f"--since: not an ISO 8601 timestamp: {since!r}")
        query["since"] = since
    elif result.since:
        query["since"] = _start(result.since)
    next_url = base + "statements?" + urlencode(query)
    while next_url:
        page = _get(next_url, key, secret)
        statements = page["statements"]
        newest = max((s.get("stored") for s in statements if isinstance(s, dict) and parse_timestamp(s.get("stored"))),
                     key=parse_timestamp, default=None)
        items = (Item(f"{next_url} statements[{i}]", s) for i, s in enumerate(statements))

        def remember(conn, newest=newest):
            if newest:
                upsert_rows(conn, "meta", ["key", "value"], ("key",), [(meta_key(url), newest)])

        report = ingest(engine, items, int(time.time()), before_commit=remember)
        result.pages += 1
        result.received += report.received
        result.stored += report.stored
        if newest:
            result.since = newest
        if on_page:
            on_page(len(statements))
        more = page.get("more")
        next_url = urljoin(base, more) if isinstance(more, str) and more and statements else None
    return result
