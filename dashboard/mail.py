"""Sending e-mail over SMTP (smtplib), configured by one URL (docs/cli.md, LEARNPULSE_SMTP_URL):

- `smtp://user:password@host:port`: a plain connection (port 25 by default), upgraded with STARTTLS whenever the
  server offers it; the password is only ever sent encrypted, or to a server on this machine (loopback).
- `smtps://user:password@host:port`: TLS from the first byte (port 465 by default).

User and password are optional (a relay that needs no authentication) and percent-encoded in the URL
(`p%40ss` for `p@ss`). Certificates are verified against the system's trust store.

`Mailer.send` raises `RecipientFailed` when the server refuses this one message (a bad address, a rejected
message: the other recipients go on) and `ServerFailed` when the server cannot be used at all (unreachable,
wrong password, refuses the sender: nobody can be sent to until that is fixed).
"""

from __future__ import annotations

import ipaddress
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

TIMEOUT_S = 30


class MailConfigError(ValueError):
    """LEARNPULSE_SMTP_URL is not usable; the message says why."""


class RecipientFailed(Exception):
    """The server refused this message (an address it does not accept, content it rejects)."""


class ServerFailed(Exception):
    """The server cannot be used (unreachable, authentication failed, sender refused, no TLS for a password)."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    implicit_tls: bool  # smtps://
    user: str | None = None
    password: str | None = None

    def __repr__(self) -> str:  # never print the password
        scheme = "smtps" if self.implicit_tls else "smtp"
        who = f"{self.user}:***@" if self.user else ""
        return f"SmtpConfig({scheme}://{who}{self.host}:{self.port})"

    @property
    def display(self) -> str:
        return f"{'smtps' if self.implicit_tls else 'smtp'}://{self.host}:{self.port}"


def parse_smtp_url(url: str | None) -> SmtpConfig:
    """The configuration a LEARNPULSE_SMTP_URL describes; MailConfigError with the reason when it does not."""
    if not url or not url.strip():
        raise MailConfigError("LEARNPULSE_SMTP_URL is not set (smtp://user:password@host:port or smtps://…)")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise MailConfigError(f"LEARNPULSE_SMTP_URL must start with smtp:// or smtps://, not {parts.scheme or '…'}://")
    if not parts.hostname:
        raise MailConfigError("LEARNPULSE_SMTP_URL names no host (smtp://user:password@host:port)")
    try:
        port = parts.port
    except ValueError as exc:
        raise MailConfigError("LEARNPULSE_SMTP_URL: the port is not a number from 1 to 65535") from exc
    implicit = scheme == "smtps"
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if password is not None and not user:
        raise MailConfigError("LEARNPULSE_SMTP_URL has a password but no user")
    return SmtpConfig(parts.hostname, port or (465 if implicit else 25), implicit, user, password)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Mailer:
    """One SMTP connection, opened at the first message and kept for the next ones (reopened when the server
    closed it). Use as a context manager, or call close()."""

    def __init__(self, config: SmtpConfig, timeout_s: float = TIMEOUT_S, smtp_class=smtplib.SMTP,
                 smtps_class=smtplib.SMTP_SSL, tls_context: ssl.SSLContext | None = None):
        self.config = config
        self.timeout_s = timeout_s
        self._smtp_class, self._smtps_class = smtp_class, smtps_class
        self._tls = tls_context
        self._conn = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _context(self) -> ssl.SSLContext:
        if self._tls is None:
            self._tls = ssl.create_default_context()
        return self._tls

    def _connect(self):
        cfg = self.config
        conn = None
        try:
            if cfg.implicit_tls:
                conn = self._smtps_class(cfg.host, cfg.port, timeout=self.timeout_s, context=self._context())
                conn.ehlo()
            else:
                conn = self._smtp_class(cfg.host, cfg.port, timeout=self.timeout_s)
                conn.ehlo()
                if conn.has_extn("starttls"):
                    conn.starttls(context=self._context())
                    conn.ehlo()
                elif cfg.user and not is_loopback(cfg.host):
                    raise ServerFailed(f"{cfg.display} offers no STARTTLS: the password is not sent unencrypted "
                                       "(use smtps:// or a server that offers STARTTLS)")
            if cfg.user:
                conn.login(cfg.user, cfg.password or "")
            return conn
        except Exception as exc:
            _close(conn)
            if isinstance(exc, ServerFailed):
                raise
            if isinstance(exc, smtplib.SMTPAuthenticationError):
                raise ServerFailed(f"{cfg.display}: authentication failed for {cfg.user}: {_reply(exc)}") from exc
            if isinstance(exc, smtplib.SMTPException | OSError):
                raise ServerFailed(f"{cfg.display}: {_describe(exc)}") from exc
            raise

    def send(self, message: EmailMessage) -> None:
        """Send one message; RecipientFailed or ServerFailed (see the module's docstring)."""
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = self._connect()
            try:
                refused = self._conn.send_message(message)
            except smtplib.SMTPServerDisconnected as exc:
                self._conn = None  # the server closed a kept connection: open a new one once
                if attempt == 2:
                    raise ServerFailed(f"{self.config.display}: {_describe(exc)}") from exc
                continue
            except smtplib.SMTPRecipientsRefused as exc:
                raise RecipientFailed("refused " + "; ".join(
                    f"{addr}: {_reply(err)}" for addr, err in exc.recipients.items())) from exc
            except smtplib.SMTPSenderRefused as exc:
                self.close()
                raise ServerFailed(f"{self.config.display} refused the sender {exc.sender}: {_reply(exc)}") from exc
            except smtplib.SMTPDataError as exc:
                raise RecipientFailed(f"message refused: {_reply(exc)}") from exc
            except (smtplib.SMTPException, OSError) as exc:
                self.close()
                raise ServerFailed(f"{self.config.display}: {_describe(exc)}") from exc
            if refused:
                raise RecipientFailed("refused " + "; ".join(f"{a}: {_reply(e)}" for a, e in refused.items()))
            return

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            _close(conn)


def _close(conn) -> None:
    if conn is None:
        return
    try:
        conn.close()
    except OSError:
        pass


def _reply(err) -> str:
    """An SMTP error's code and text, on one line."""
    code = getattr(err, "smtp_code", None)
    text = getattr(err, "smtp_error", None)
    if code is None and isinstance(err, tuple) and len(err) == 2:
        code, text = err
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(str(text or '').split())}".strip()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "no answer (timed out)"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc)
    return " ".join(str(exc).split()) or type(exc).__name__
