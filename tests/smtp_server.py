"""A real SMTP server on loopback for the tests (aiosmtpd, in a thread of the test process): it keeps every message
it accepts, can refuse chosen recipients, and can offer STARTTLS, implicit TLS and AUTH with a self-signed
certificate made by openssl for 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Inbox:
    """What the server accepted: (envelope recipients, parsed message), in order."""
    messages: list = field(default_factory=list)
    refuse: set = field(default_factory=set)  # recipients answered 550
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for rcpts, m in self.messages if address in rcpts]


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (cert, key)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


class Server:
    def __init__(self, inbox: Inbox | None = None, *, starttls_cert=None, implicit_cert=None, users=None):
        self.inbox = inbox or Inbox()
        self.port = free_port()
        kwargs = {}
        cert = starttls_cert or implicit_cert
        if cert is not None:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(*cert)
            kwargs["ssl_context" if implicit_cert else "tls_context"] = ctx
        if users is not None:
            def check(server, session, envelope, mechanism, auth_data):
                ok = (isinstance(auth_data, LoginPassword)
                      and users.get(auth_data.login.decode()) == auth_data.password.decode())
                return AuthResult(success=ok, handled=False)
            kwargs.update(authenticator=check, auth_required=True, auth_require_tls=starttls_cert is not None)
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port,
                                     server_hostname="localhost" if implicit_cert else None, **kwargs)

    def __enter__(self) -> Server:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    def url(self, user: str | None = None, password: str | None = None, scheme: str = "smtp") -> str:
        who = f"{user}:{password}@" if user else ""
        return f"{scheme}://{who}127.0.0.1:{self.port}"


def client_context(cert: Path) -> ssl.SSLContext:
    """A client TLS context that trusts the test certificate (and checks the host name against it)."""
    ctx = ssl.create_default_context()
    ctx.load_verify_locations(cafile=str(cert[0] if isinstance(cert, tuple) else cert))
    return ctx
