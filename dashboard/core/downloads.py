"""CSV download links. GET /download/<report>.csv (dashboard/download_routes.py) streams the same writer
`learnpulse export REPORT` uses, with the same options as query parameters (?session=ID&bucket=8-14), so a
button's file and the command's output are byte-identical for the same viewer and now."""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlencode

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
