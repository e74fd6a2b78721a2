"""The `learnpulse` command (shared/spec/cli.md): serve, demo, import, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from dashboard.settings import Settings, parse_now
from data_access.exports import ALL_REPORT_NAMES


class CliError(Exception):
    """A one-line reason for a non-zero exit."""


def _progress(enabled: bool):
    if not enabled:
        return None

    def report(name: str, rows: int) -> None:
        print(f"\r  imported {name:<20} {rows:>12,} rows", file=sys.stderr, flush=True)

    return report


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="learnpulse", description="LearnPulse learning analytics dashboard")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="start the dashboard")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument("--debug", action="store_true")

    d = sub.add_parser("demo", help="write a realistic demo bundle and import it")
    d.add_argument("--learners", type=int, default=2000)
    d.add_argument("--seed", type=int, default=42)
    d.add_argument("--out", type=Path, help="only write the bundle into this folder (no import)")
    d.add_argument("--now", help="the moment the demo is built around (ISO 8601; default: now)")

    i = sub.add_parser("import", help="import a bundle folder (all or nothing)")
    i.add_argument("folder", type=Path)

    e = sub.add_parser("export", help="write one CSV report")
    e.add_argument("report", choices=ALL_REPORT_NAMES, metavar="REPORT")
    e.add_argument("-o", "--output", type=Path)
    e.add_argument("--now")
    e.add_argument("--as", dest="as_email", metavar="EMAIL")
    e.add_argument("--session", action="append", default=[])
    e.add_argument("--bucket", action="append", default=[], help="repeatable")
    e.add_argument("--status", choices=["in-progress", "finished", "all"], default="all")
    e.add_argument("--program")
    e.add_argument("--group", action="append", default=[])
    e.add_argument("--user", action="append", default=[])
    e.add_argument("--course")
    e.add_argument("--deleted", action="store_true")
    e.add_argument("--since")
    e.add_argument("--until")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        code = COMMANDS[args.command](args)
    except CliError as exc:
        print(f"learnpulse: {exc}", file=sys.stderr)
        code = 2
    except DBAPIError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        print(f"learnpulse: database unavailable: {reason}", file=sys.stderr)
        code = 3
    except KeyboardInterrupt:
        code = 130
    sys.exit(code or 0)


def _settings(**overrides) -> Settings:
    return Settings.from_env(**overrides)


def cmd_serve(args) -> int:
    from dashboard.factory import create_app

    settings = _settings(host=args.host, port=args.port, debug=True if args.debug else None)
    _print_database(settings)
    app = create_app(settings)
    print(f"LearnPulse: open http://{settings.host}:{settings.port}/", file=sys.stderr, flush=True)
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
    return 0


def _print_database(settings: Settings) -> None:
    where = settings.database_url
    if settings.is_sqlite:
        where = "SQLite file " + where.split("///", 1)[-1]
    else:
        where = where.split("@")[-1]  # never print credentials
    print(f"LearnPulse: database: {where}", file=sys.stderr, flush=True)


def _engine(settings: Settings):
    from data_access import db

    engine = db.make_engine(settings.database_url)
    db.ensure_schema(engine)
    return engine


def _now(text: str | None, settings: Settings):
    try:
        return parse_now(text) or settings.now()
    except ValueError as exc:
        raise CliError(f"--now: not an ISO 8601 timestamp: {text!r}") from exc


def cmd_demo(args) -> int:
    from data_access.demo import generate, run_demo, write_bundle

    if args.learners < 1:
        raise CliError("--learners must be at least 1")
    settings = _settings()
    now = _now(args.now, settings)
    if args.out:
        counts = write_bundle(generate(args.learners, args.seed, now), args.out)
        print(f"wrote {sum(counts.values()):,} rows in {len(counts)} files to {args.out}", file=sys.stderr)
        return 0
    _print_database(settings)
    engine = _engine(settings)
    counts, report, gen_s = run_demo(engine, args.learners, args.seed, now,
                                     on_progress=_progress(sys.stderr.isatty()))
    print(f"demo: generated {sum(counts.values()):,} rows in {gen_s:.1f} s, imported in {report.seconds:.1f} s",
          file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    from data_access.bundle_reader import ImportFailed
    from data_access.importer import import_bundle

    settings = _settings()
    engine = _engine(settings)
    try:
        report = import_bundle(engine, args.folder, on_progress=_progress(sys.stderr.isatty()))
    except ImportFailed as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(f"imported {report.total_rows:,} rows from {len(report.rows)} files in {report.seconds:.1f} s",
          file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    from data_access.exports import NotImplementedReport, get_writer
    from data_access.scope import Scope, UnknownViewer, scope_for_email

    try:
        writer = get_writer(args.report)
    except NotImplementedReport as exc:
        raise CliError(str(exc)) from exc
    settings = _settings()
    now = _now(args.now, settings)
    engine = _engine(settings)
    with engine.connect() as conn:
        try:
            scope = scope_for_email(conn, args.as_email) if args.as_email else Scope.owner()
        except UnknownViewer as exc:
            raise CliError(f"--as: {exc}") from exc
        try:
            chunks = writer(conn, scope, now, settings, args)
            out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
            try:
                for chunk in chunks:
                    out.write(chunk)
            finally:
                if args.output:
                    out.close()
        except (LookupError, ValueError) as exc:
            raise CliError(str(exc)) from exc
    return 0


COMMANDS = {"serve": cmd_serve, "demo": cmd_demo, "import": cmd_import, "export": cmd_export}
