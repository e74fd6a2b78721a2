"""`learnpulse xapi import | pull | credentials create | replay` (docs/cli.md)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def add_parser(sub) -> None:
    x = sub.add_parser("xapi", help="xAPI statements: import files, pull from an LRS, endpoint credentials, replay")
    xs = x.add_subparsers(dest="xapi_command", required=True)
    i = xs.add_parser("import", help="import statement files or folders (all or nothing)")
    i.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p = xs.add_parser("pull", help="read an LRS's statements resource and import them (resumable)")
    p.add_argument("url", metavar="URL", help="the LRS endpoint, e.g. https://lrs.example/xAPI/")
    p.add_argument("--key", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--since", help="ISO 8601: statements stored after this (default: where the last pull stopped)")
    p.add_argument("--limit", type=int, default=500, help=argparse.SUPPRESS)
    c = xs.add_parser("credentials", help="HTTP Basic credentials for POST /xapi/statements")
    cs = c.add_subparsers(dest="credentials_command", required=True)
    cc = cs.add_parser("create", help="print a new key and secret")
    cc.add_argument("name", metavar="NAME", help="who or what will use them (e.g. moodle-prod)")
    xs.add_parser("replay", help="re-apply the mapping to every stored raw statement")


def _progress(enabled: bool):
    if not enabled:
        return None

    def report(count: int) -> None:
        print(f"\r  read {count:>12,} statements", end="", file=sys.stderr, flush=True)

    return report


def run(args, engine_factory, error_cls) -> int:
    from data_access.write.xapi.ingest import XapiFailed

    engine = engine_factory()
    try:
        return COMMANDS[args.xapi_command](args, engine, error_cls)
    except XapiFailed as exc:
        print(exc.report(), file=sys.stderr)
        return 1


def cmd_import(args, engine, _error) -> int:
    from data_access.write.xapi.ingest import ingest
    from data_access.xapi.sources import read_paths

    report = ingest(engine, read_paths(args.paths), int(time.time()), on_progress=_progress(sys.stderr.isatty()))
    _summary(report)
    return 0


def _summary(report) -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"xapi: {report.received:,} statements read, {report.stored:,} new, {report.duplicates:,} already stored, "
          f"{report.voided:,} voided, in {report.seconds:.1f} s", file=sys.stderr)


def cmd_pull(args, engine, error_cls) -> int:
    from data_access.xapi.pull import PullError, pull

    try:
        result = pull(engine, args.url, args.key, args.secret, since=args.since, limit=args.limit,
                      on_page=lambda n: print(f"  page of {n} statements imported", file=sys.stderr)
                      if sys.stderr.isatty() else None)
    except PullError as exc:
        raise error_cls(str(exc)) from exc
    print(f"xapi pull: {result.pages} page(s), {result.received:,} statements read, {result.stored:,} new; "
          f"next pull starts after {result.since or 'the beginning'}", file=sys.stderr)
    return 0


def cmd_credentials(args, engine, error_cls) -> int:
    from data_access.xapi.credentials import create

    if not args.name.strip():
        raise error_cls("NAME must not be empty")
    key, secret = create(engine, args.name.strip())
    print(f"key: {key}\nsecret: {secret}")
    print("Keep the secret now: only its hash is stored. Clients send them with HTTP Basic to POST /xapi/statements.",
          file=sys.stderr)
    return 0


def cmd_replay(args, engine, _error) -> int:
    from data_access.write.xapi.replay import replay

    report = replay(engine, on_progress=_progress(sys.stderr.isatty()))
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"xapi replay: {report.stored:,} statements mapped again in {report.seconds:.1f} s", file=sys.stderr)
    return 0


def demo(args, now, engine_factory) -> int:
    """`learnpulse demo --format xapi`: write the demo as statements (DIR/statements.ndjson) and import them."""
    import tempfile

    from data_access.demo import generate
    from data_access.write.xapi.ingest import XapiFailed, ingest
    from data_access.xapi.demo import write_statements
    from data_access.xapi.sources import read_paths

    t0 = time.perf_counter()
    frames = generate(args.learners, args.seed, now)
    with tempfile.TemporaryDirectory(prefix="learnpulse-xapi-") as tmp:
        path = (args.out or Path(tmp)) / "statements.ndjson"
        count = write_statements(frames, path)
        del frames
        print(f"wrote {count:,} statements to {path} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        if args.out:
            return 0
        try:
            report = ingest(engine_factory(), read_paths([path]), int(time.time()),
                            on_progress=_progress(sys.stderr.isatty()))
        except XapiFailed as exc:
            print(exc.report(), file=sys.stderr)
            return 1
    _summary(report)
    return 0


COMMANDS = {"import": cmd_import, "pull": cmd_pull, "credentials": cmd_credentials, "replay": cmd_replay}
