"""Sending mail (dashboard/mail.py) and writing the digest's e-mail (dashboard/digest_mail.py): the SMTP URL and
what it makes smtplib do (STARTTLS, implicit TLS, authentication), and real conversations with an SMTP server
on loopback (aiosmtpd): plain, STARTTLS + AUTH, implicit TLS, a refused recipient, a server that is down."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest

from dashboard.core import digest_mail
from dashboard.mail import (
    MailConfigError,
    Mailer,
    RecipientFailed,
    ServerFailed,
    SmtpConfig,
    parse_smtp_url,
)
from data_access.digest_store import Subscription
from tests.smtp_server import Inbox, Server, certificate, client_context, free_port

# implicit TLS: aiosmtpd cannot tell that the connection is encrypted, and warns
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


# --- the URL ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url, expected", [
    ("smtp://mail.example.org", SmtpConfig("mail.example.org", 25, False)),
    ("smtp://mail.example.org:587", SmtpConfig("mail.example.org", 587, False)),
    ("smtps://mail.example.org", SmtpConfig("mail.example.org", 465, True)),
    ("SMTPS://bot:s3cret@mail.example.org:2465", SmtpConfig("mail.example.org", 2465, True, "bot", "s3cret")),
    ("smtp://bot%40example.org:p%40ss%3Aw%2Fd@10.0.0.5:587",
     SmtpConfig("10.0.0.5", 587, False, "bot@example.org", "p@ss:w/d")),
    ("smtp://bot@mail.example.org", SmtpConfig("mail.example.org", 25, False, "bot", None)),
])
def test_smtp_url(url, expected):
    assert parse_smtp_url(url) == expected


@pytest.mark.parametrize("url, reason", [
    (None, "not set"), ("", "not set"), ("http://mail.example.org", "smtp:// or smtps://"),
    ("smtp://", "names no host"), ("smtp://mail.example.org:99999", "port"), ("smtp://mail.example.org:x", "port"),
    ("smtp://:pw@mail.example.org", "no user"),
])
def test_smtp_url_refused(url, reason):
    with pytest.raises(MailConfigError, match=reason):
        parse_smtp_url(url)


def test_the_password_never_shows_in_a_repr():
    assert "s3cret" not in repr(parse_smtp_url("smtp://bot:s3cret@mail.example.org"))


# --- what the URL makes smtplib do (a recording stand-in for smtplib.SMTP / SMTP_SSL) -------------------------------
class FakeSMTP:
    extensions = {"starttls", "auth"}
    instances: list = []

    def __init__(self, host, port, timeout=None, context=None):
        self.calls = [("connect", host, port, "tls" if context is not None else "plain")]
        FakeSMTP.instances.append(self)

    def ehlo(self):
        self.calls.append(("ehlo",))

    def has_extn(self, name):
        return name in self.extensions

    def starttls(self, context=None):
        assert context is not None
        self.calls.append(("starttls",))

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, msg):
        self.calls.append(("send", msg["To"]))
        return {}

    def quit(self):
        self.calls.append(("quit",))

    def close(self):
        self.calls.append(("close",))


class PlainOnly(FakeSMTP):
    extensions = {"auth"}


def _msg(to="ann@example.org") -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "LearnPulse <lp@example.org>", to, "hello"
    msg.set_content("hello")
    return msg


def _calls(url, smtp_class=FakeSMTP):
    FakeSMTP.instances.clear()
    with Mailer(parse_smtp_url(url), smtp_class=smtp_class, smtps_class=smtp_class) as mailer:
        mailer.send(_msg())
        mailer.send(_msg("bob@example.org"))
    return [c for conn in FakeSMTP.instances for c in conn.calls]


def test_starttls_when_offered_then_login_then_one_connection_for_every_message():
    assert _calls("smtp://bot:pw@mail.example.org:587") == [
        ("connect", "mail.example.org", 587, "plain"), ("ehlo",), ("starttls",), ("ehlo",), ("login", "bot", "pw"),
        ("send", "ann@example.org"), ("send", "bob@example.org"), ("quit",)]


def test_no_authentication_without_a_user():
    assert _calls("smtp://mail.example.org") == [
        ("connect", "mail.example.org", 25, "plain"), ("ehlo",), ("starttls",), ("ehlo",),
        ("send", "ann@example.org"), ("send", "bob@example.org"), ("quit",)]


def test_implicit_tls():
    assert _calls("smtps://bot:pw@mail.example.org") == [
        ("connect", "mail.example.org", 465, "tls"), ("ehlo",), ("login", "bot", "pw"),
        ("send", "ann@example.org"), ("send", "bob@example.org"), ("quit",)]


def test_no_starttls_offered_plain_relay_without_password_is_fine():
    assert ("send", "ann@example.org") in _calls("smtp://relay.internal", PlainOnly)


def test_a_password_is_never_sent_unencrypted_to_another_machine():
    with pytest.raises(ServerFailed, match="offers no STARTTLS"):
        _calls("smtp://bot:pw@relay.internal", PlainOnly)
    assert not any(c[0] == "login" for conn in FakeSMTP.instances for c in conn.calls)
    # on this machine (loopback) it is: nothing travels on a network
    assert ("login", "bot", "pw") in _calls("smtp://bot:pw@127.0.0.1:2525", PlainOnly)


def test_a_closed_connection_is_opened_again_once():
    class Drops(FakeSMTP):
        dropped = False

        def send_message(self, msg):
            if not Drops.dropped:
                Drops.dropped = True
                raise smtplib.SMTPServerDisconnected("gone")
            return super().send_message(msg)

    calls = _calls("smtp://mail.example.org", Drops)
    assert calls.count(("connect", "mail.example.org", 25, "plain")) == 2
    assert ("send", "ann@example.org") in calls and ("send", "bob@example.org") in calls


# --- a real server on loopback ------------------------------------------------------------------------------------
def test_real_server_plain(tmp_path):
    with Server() as server, Mailer(parse_smtp_url(server.url())) as mailer:
        mailer.send(_msg())
        mailer.send(_msg("bob@example.org"))
    assert [m["Subject"] for m in server.inbox.to("ann@example.org")] == ["hello"]
    assert len(server.inbox.messages) == 2


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    return certificate(tmp_path_factory.mktemp("tls"))


def test_real_server_starttls_and_authentication(cert):
    with Server(starttls_cert=cert, users={"bot": "s3 cret"}) as server:
        url = server.url("bot", "s3%20cret")
        with Mailer(parse_smtp_url(url), tls_context=client_context(cert)) as mailer:
            mailer.send(_msg())
        assert len(server.inbox.to("ann@example.org")) == 1
        with pytest.raises(ServerFailed, match="authentication failed for bot"), \
                Mailer(parse_smtp_url(server.url("bot", "wrong")), tls_context=client_context(cert)) as mailer:
            mailer.send(_msg())
        # an untrusted certificate is refused (the system's trust store does not know the test's)
        with pytest.raises(ServerFailed), Mailer(parse_smtp_url(url)) as mailer:
            mailer.send(_msg())
    assert len(server.inbox.messages) == 1


def test_real_server_implicit_tls(cert):
    with Server(implicit_cert=cert, users={"bot": "pw"}) as server:
        with Mailer(parse_smtp_url(server.url("bot", "pw", "smtps")), tls_context=client_context(cert)) as mailer:
            mailer.send(_msg())
    assert len(server.inbox.to("ann@example.org")) == 1


def test_a_refused_recipient_does_not_stop_the_next(tmp_path):
    inbox = Inbox(refuse={"nobody@example.org"})
    with Server(inbox) as server, Mailer(parse_smtp_url(server.url())) as mailer:
        with pytest.raises(RecipientFailed, match="nobody@example.org: 550"):
            mailer.send(_msg("nobody@example.org"))
        mailer.send(_msg("bob@example.org"))
    assert [r for r, _ in inbox.messages] == [["bob@example.org"]]


def test_server_down():
    with pytest.raises(ServerFailed, match="connection refused"), \
            Mailer(parse_smtp_url(f"smtp://127.0.0.1:{free_port()}"), timeout_s=5) as mailer:
        mailer.send(_msg())


# --- the e-mail ---------------------------------------------------------------------------------------------------
NOW = 1_795_420_800  # 2026-11-23 08:00 UTC (a Monday)


def _digest(**overrides) -> dict:
    newly = [{"user_id": f"u{i}", "session_id": "s1", "first_name": f"Ann{i}", "last_name": "<Lee>",
              "cohort": "Sales & Co", "reasons": ["inactive", "behind"], "days_since": 20, "overdue": 3,
              "score_pct": None} for i in range(25)]
    d = {"user_id": "c1", "now": NOW, "since": NOW - 7 * 86400, "first": False, "at_risk": 40,
         "previous_at_risk": 12, "previous_at": NOW - 7 * 86400,
         "newly": newly, "newly_total": 30,
         "recovered": [{"user_id": "u9", "session_id": "s2", "first_name": "Bob", "last_name": "Ray",
                        "email": "bob@x", "cohort": "Ops", "reasons": ["low score"]}], "recovered_total": 1,
         "contacts": [{"user_id": "u3", "session_id": "s1", "first_name": "Cy", "last_name": "Doe", "cohort": "Ops",
                       "recorded_at": NOW - 3600, "channel": "call", "by": "Carl Coach", "reasons": []}],
         "contacts_total": 1, "changed": True, "at_risk_now": []}
    d.update(overrides)
    return d


def test_the_email(tmp_path):
    links = digest_mail.Links("https://lp.example.org")
    rendered = digest_mail.render(_digest(), links, "UTC", Subscription("c1", 0, 7, 0), "TOKEN")
    msg = digest_mail.message(rendered, to_email="carl@example.org", to_name="Carl Coach",
                              sender="LearnPulse <lp@example.org>")
    with Server() as server, Mailer(parse_smtp_url(server.url())) as mailer:
        mailer.send(msg)
    (got,) = server.inbox.to("carl@example.org")
    assert got["Subject"] == "LearnPulse weekly digest: 30 newly at risk, 1 no longer at risk, 1 contact"
    assert got["To"] == "Carl Coach <carl@example.org>"
    assert got["List-Unsubscribe"] == "<https://lp.example.org/digest/unsubscribe/TOKEN>"
    assert got["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert got.get_content_type() == "multipart/alternative"
    text = got.get_body(("plain",)).get_content().replace("\r\n", "\n")
    page = got.get_body(("html",)).get_content()
    assert "At risk now: 40 (12 at your previous digest, 2026/11/16)" in text
    assert "Newly at risk (30)" in text
    assert text.count("https://lp.example.org/at-risk?session=s1&reason=inactive,behind\n") == 25
    assert "- Ann0 <Lee>, Sales & Co: inactive, behind" in text
    assert "and 5 more: https://lp.example.org/at-risk\n" in text
    assert "No longer at risk (1)\n- Bob Ray, Ops: was: low score\n  https://lp.example.org/users/u9" in text
    assert "- Cy Doe, Ops: call by Carl Coach, 2026/11/23 07:00 · not at risk now" in text
    assert "Unsubscribe: https://lp.example.org/digest/unsubscribe/TOKEN" in text
    assert "(Monday at 07:00, UTC)" in text
    # HTML: escaped, no script, no image, no external style sheet; the same links
    assert "&lt;Lee&gt;" in page and "<Lee>" not in page and "Sales &amp; Co" in page
    for forbidden in ("<script", "<img", "<link", "url("):
        assert forbidden not in page.lower()
    assert page.count('href="https://lp.example.org/at-risk?session=s1&amp;reason=inactive,behind"') == 25
    assert ">and 5 more</a>" in page and 'href="https://lp.example.org/digest/unsubscribe/TOKEN"' in page


def test_first_digest_and_empty_sections_are_left_out():
    d = _digest(first=True, previous_at_risk=None, previous_at=None, recovered=[], recovered_total=0, contacts=[],
                contacts_total=0, newly=_digest()["newly"][:2], newly_total=2)
    text = digest_mail.text_part(d, digest_mail.Links("http://h"), "Europe/Paris", None, None)
    assert "At risk now: 40\n" in text and "previous digest" not in text
    assert "At risk (your first digest: everyone counts as new) (2)" in text
    assert "No longer at risk" not in text and "Contacts recorded" not in text and "more" not in text
    assert digest_mail.subject(d) == "LearnPulse weekly digest: 2 newly at risk"


def test_unsubscribe_token_is_signed():
    token = digest_mail.unsubscribe_token("secret", "u1")
    assert digest_mail.token_user("secret", token) == "u1"
    assert digest_mail.token_user("other secret", token) is None
    assert digest_mail.token_user("secret", token[:-2] + "xx") is None
    assert digest_mail.token_user("secret", "") is None


def test_names_in_any_language_and_addresses_that_cannot_be_one():
    rendered = digest_mail.render(_digest(), digest_mail.Links("http://h"), "UTC", None, "T")
    msg = digest_mail.message(rendered, to_email="zoe@example.org", to_name="Zoë Ünal, \"Ops\"",
                              sender="LearnPulse Société <lp@example.org>")
    with Server() as server, Mailer(parse_smtp_url(server.url())) as mailer:
        mailer.send(msg)
    (got,) = server.inbox.to("zoe@example.org")
    assert got["To"].addresses[0].display_name == 'Zoë Ünal, "Ops"'
    assert got["From"].addresses[0].display_name == "LearnPulse Société"
    assert "Zoë" not in msg.as_string()  # encoded, as headers must be
    for bad in ("", "no-at-sign", "a@b.c\r\nBcc: x@y.z", "a b@c.d", "a@b.c>, <x@y.z"):
        with pytest.raises(ValueError):
            digest_mail.message(rendered, to_email=bad, to_name="X", sender="LearnPulse <lp@example.org>")
