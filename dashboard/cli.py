"""The `learnpulse` command (docs/cli.md): serve, demo, import, export, user, db, xapi, digest."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from dashboard import digest_cli, xapi_cli
from dashboard.core.settings import Settings, parse_now
from data_access.exports import ALL_REPORT_NAMES
from data_access.migrate import SchemaBehind


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
    s.add_argument("--threads", type=int, help="worker threads of the waitress server (default 8)")
    s.add_argument("--debug", action="store_true", help="Flask's development server, reloader (never in production)")

    d = sub.add_parser("demo", help="write a realistic demo bundle and import it")
    d.add_argument("--learners", type=int, default=2000)
    d.add_argument("--seed", type=int, default=42)
    d.add_argument("--out", type=Path, help="only write the bundle into this folder (no import)")
    d.add_argument("--now", help="the moment the demo is built around (ISO 8601; default: now)")
    d.add_argument("--format", choices=["bundle", "xapi"], default="bundle",
                   help="bundle: CSV files (default); xapi: the same activity as xAPI statements (.ndjson)")

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
    e.add_argument("--activity")
    e.add_argument("--action", help="activity-users: views, a reaction kind, comments or downloads")
    e.add_argument("--deleted", action="store_true")
    e.add_argument("--since")
    e.add_argument("--until")

    us = sub.add_parser("user", help="sign-in accounts")
    usub = us.add_subparsers(dest="user_command", required=True)
    sp = usub.add_parser("set-password", help="set a user's password (standard input when it is not a terminal)")
    sp.add_argument("email")
    iv = usub.add_parser("invite", help="print a one-time link, valid 7 days, where the user chooses a password")
    iv.add_argument("email")

    dbp = sub.add_parser("db", help="database schema")
    dbsub = dbp.add_subparsers(dest="db_command", required=True)
    up = dbsub.add_parser("upgrade", help="bring the database schema to this version (Alembic migrations)")
    up.add_argument("--revision", default="head", help=argparse.SUPPRESS)
    dbsub.add_parser("current", help="print the schema revision of the database and of this version")
    xapi_cli.add_parser(sub)
    digest_cli.add_parser(sub)
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
    except SchemaBehind as exc:
        print(f"learnpulse: {exc}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        code = 130
    sys.exit(code or 0)


def _settings(**overrides) -> Settings:
    return Settings.from_env(**overrides)


def cmd_serve(args) -> int:
    from dashboard import serving
    from dashboard.factory import create_app

    settings = _settings(host=args.host, port=args.port, debug=True if args.debug else None)
    try:
        chosen = serving.plan(settings.debug, args.threads)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    _print_database(settings)
    app = create_app(settings)
    where = "Flask's development server (--debug)" if chosen.server == serving.DEVELOPMENT else \
        f"waitress, {chosen.threads} threads"
    print(f"LearnPulse: open {settings.base_url}/ (server: {where})", file=sys.stderr, flush=True)
    if settings.prints_first_start_link:
        _print_owner_link(app, settings)
    serving.run(app, chosen, settings.host, settings.port)
    return 0


def _print_owner_link(app, settings: Settings) -> None:
    """As Jupyter does: a one-time sign-in link for the platform owner, so the first start needs no password.
    Only on the embedded database by default: whoever starts it can read that file anyway."""
    from datetime import UTC, datetime

    from data_access import accounts

    engine = app.server.extensions["learnpulse"].engine
    clock = datetime.now(UTC)
    with engine.begin() as conn:
        accounts.forget_expired_tokens(conn, clock)
        try:
            token = accounts.issue_sign_in(conn, clock)
        except LookupError as exc:
            print(f"LearnPulse: {exc} to sign in as; use `learnpulse user invite EMAIL`", file=sys.stderr, flush=True)
            return
    print(f"LearnPulse: sign in as the platform owner with this one-time link (valid "
          f"{accounts.FIRST_START_HOURS} hours):\n    {settings.base_url}/login/token/{token}", file=sys.stderr,
          flush=True)


def _print_database(settings: Settings) -> None:
    where = settings.database_url
    if settings.is_sqlite:
        where = "SQLite file " + where.split("///", 1)[-1]
    else:
        where = where.split("@")[-1]  # never print credentials
    print(f"LearnPulse: database: {where}", file=sys.stderr, flush=True)


def _engine(settings: Settings):
    """The database, its schema brought up to date where that is allowed (migrate.ensure_current)."""
    from data_access import db, migrate

    engine = db.make_engine(settings.database_url)
    migrate.ensure_current(engine, settings.migrates_automatically)
    return engine


def cmd_db(args) -> int:
    from data_access import db, migrate

    settings = _settings()
    _print_database(settings)
    engine = db.make_engine(settings.database_url)
    if args.db_command == "current":
        st = migrate.status(engine)
        print(f"database: {st.revision or ('(empty)' if st.empty else 'from before migrations')}; "
              f"this version: {migrate.head()}")
        return 0
    before, after = migrate.upgrade(engine, args.revision)
    if before == after:
        print(f"schema already at {after}", file=sys.stderr)
    else:
        print(f"schema upgraded: {before or '(none)'} -> {after}", file=sys.stderr)
    return 0


def _now(text: str | None, settings: Settings):
    try:
        return parse_now(text) or settings.now()
    except ValueError as exc:
        raise CliError(f"--now: not an ISO 8601 timestamp: {text!r}") from exc


def cmd_demo(args) -> int:
    from data_access.demo import run_demo, stream_bundle

    if args.learners < 1:
        raise CliError("--learners must be at least 1")
    settings = _settings()
    now = _now(args.now, settings)
    if args.format == "xapi":
        return xapi_cli.demo(args, now, lambda: _engine(settings))
    if args.out:
        counts = stream_bundle(args.learners, args.seed, now, args.out)
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
    from data_access.exports import get_writer
    from data_access.scope import Scope, UnknownViewer, scope_for_email

    writer = get_writer(args.report)  # argparse already refused any other name
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


def _signing_user(conn, email: str):
    """The user an account command is for: must exist and not be deleted (a deleted user cannot sign in)."""
    from data_access import accounts

    row = accounts.user_by_email(conn, email)
    if row is None:
        raise CliError(f"no user with email {email!r}")
    if row.deleted_at is not None:
        raise CliError(f"{row.email} is a deleted user: deleted users cannot sign in")
    return row


def _read_password(email: str) -> str:
    import getpass

    from dashboard.core import passwords

    if sys.stdin.isatty():
        first = getpass.getpass(f"New password for {email}: ")
        second = getpass.getpass("Same password again: ")
    else:
        first = sys.stdin.readline().rstrip("\r\n")
        second = None
    problem = passwords.problem(first, second, email)
    if problem:
        raise CliError(problem)
    return first


def cmd_user(args) -> int:
    from datetime import UTC, datetime

    from dashboard.core import passwords
    from data_access import accounts

    settings = _settings()
    engine = _engine(settings)
    clock = datetime.now(UTC)
    with engine.connect() as conn:
        row = _signing_user(conn, args.email)
    if args.user_command == "set-password":
        hashed = passwords.hash_password(_read_password(row.email))
        with engine.begin() as conn:
            accounts.set_password_hash(conn, row.user_id, hashed, clock)
            ended = accounts.end_signin_sessions(conn, row.user_id)  # a new password signs them out everywhere
            accounts.record(conn, clock, "password_set", user_id=row.user_id, detail="learnpulse user set-password")
        print(f"password set for {row.email}" + (f"; signed out of {ended} sign-in session(s)" if ended else ""),
              file=sys.stderr)
        return 0
    with engine.begin() as conn:
        token = accounts.issue_token(conn, row.user_id, accounts.INVITE, clock, accounts.INVITE_DAYS * 86_400)
        accounts.record(conn, clock, "invite", subject_id=row.user_id, detail="learnpulse user invite")
    print(f"{settings.base_url}/invite/{token}")
    print(f"one-time link for {row.email}, valid {accounts.INVITE_DAYS} days: they choose a password there",
          file=sys.stderr)
    return 0


def cmd_xapi(args) -> int:
    return xapi_cli.run(args, lambda: _engine(_settings()), CliError)


def cmd_digest(args) -> int:
    settings = _settings()
    return digest_cli.run(args, settings, lambda: _engine(settings), _now, CliError)


COMMANDS = {"serve": cmd_serve, "demo": cmd_demo, "import": cmd_import, "export": cmd_export, "user": cmd_user,
            "db": cmd_db, "xapi": cmd_xapi, "digest": cmd_digest}
