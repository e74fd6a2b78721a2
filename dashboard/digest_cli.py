"""`learnpulse digest subscribe | unsubscribe | send` (docs/cli.md)."""

from __future__ import annotations

import sys

from data_access.digest_store import DAYS


def add_parser(sub) -> None:
    d = sub.add_parser("digest", help="the weekly digest by e-mail: subscribe people, send the digests that are due")
    ds = d.add_subparsers(dest="digest_command", required=True)
    s = ds.add_parser("subscribe", help="that person receives the weekly digest (default Monday 7)")
    s.add_argument("email", metavar="EMAIL")
    s.add_argument("--day", default="mon", type=str.lower, choices=DAYS, help="day of the week (default mon)")
    s.add_argument("--hour", default=7, type=int, help="hour of the day, 0-23, in LEARNPULSE_TIMEZONE (default 7)")
    u = ds.add_parser("unsubscribe", help="stops it")
    u.add_argument("email", metavar="EMAIL")
    send = ds.add_parser("send", help="send every digest that is due (for cron or a systemd timer)")
    send.add_argument("--now", help="ISO 8601: the moment to send as of (default: now)")
    send.add_argument("--dry-run", action="store_true", help="print the digests instead of sending them")


def run(args, settings, engine_factory, now_parser, error_cls) -> int:
    return COMMANDS[args.digest_command](args, settings, engine_factory, now_parser, error_cls)


def _person(conn, email: str, error_cls):
    from data_access import accounts

    row = accounts.user_by_email(conn, email)
    if row is None:
        raise error_cls(f"no user with email {email!r}")
    return row


def cmd_subscribe(args, settings, engine_factory, _now, error_cls) -> int:
    from dashboard.pages import PARTICIPANTS, sections
    from data_access import digest_store
    from data_access.scope import scope_for_user

    if not 0 <= args.hour <= 23:
        raise error_cls("--hour is a whole number from 0 to 23")
    engine = engine_factory()
    with engine.begin() as conn:
        row = _person(conn, args.email, error_cls)
        if row.deleted_at is not None:
            raise error_cls(f"{row.email} is a deleted user")
        if PARTICIPANTS not in sections(scope_for_user(conn, row.user_id)):
            raise error_cls(f"{row.email} sees no cohorts (not an admin, coach or instructor): the digest would "
                            "always be empty")
        sub = digest_store.subscribe(conn, row.user_id, DAYS.index(args.day), args.hour,
                                     int(settings.now().timestamp()))
    print(f"{row.email} receives the weekly digest every {sub.when} ({settings.timezone})", file=sys.stderr)
    return 0


def cmd_unsubscribe(args, settings, engine_factory, _now, error_cls) -> int:
    from data_access import digest_store

    engine = engine_factory()
    with engine.begin() as conn:
        row = _person(conn, args.email, error_cls)
        was = digest_store.unsubscribe(conn, row.user_id)
    print(f"{row.email} no longer receives the weekly digest" if was
          else f"{row.email} was not subscribed to the weekly digest", file=sys.stderr)
    return 0


def cmd_send(args, settings, engine_factory, now_parser, error_cls) -> int:
    from dashboard import digest_run
    from dashboard.mail import MailConfigError, parse_smtp_url

    now = now_parser(args.now, settings)
    if not args.dry_run:
        try:
            parse_smtp_url(settings.smtp_url)
        except MailConfigError as exc:
            raise error_cls(str(exc)) from exc
    if not settings.public_url:
        print("learnpulse: warning: LEARNPULSE_PUBLIC_URL is not set: the e-mails' links point to "
              f"{settings.base_url}", file=sys.stderr)
    report = digest_run.send_due(engine_factory(), settings, now, dry_run=args.dry_run, out=sys.stdout)
    for line in report.errors:
        print(f"  failed: {line}", file=sys.stderr)
    print(report.summary() + (" (dry run: nothing sent or recorded)" if args.dry_run else ""), file=sys.stderr)
    return 1 if report.failed or report.left else 0


COMMANDS = {"subscribe": cmd_subscribe, "unsubscribe": cmd_unsubscribe, "send": cmd_send}
