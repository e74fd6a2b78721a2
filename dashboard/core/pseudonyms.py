"""Meeting-safe mode: every person's name and e-mail shown as a stable pseudonym ("Learner 7F3A2C").

A pseudonym is the HMAC-SHA256 of the user id under a key made once per deployment and kept in the database
(accounts.pseudonym_key): the same person gets the same pseudonym on every page and every day, and a different
one in another deployment. Pages get their data through QueryRunner, whose results keep real names (they are
cached and shared by every viewer); `Masker.shape` replaces the names in a result after the cache, for a viewer
who switched the mode on. Downloads read the database directly and keep the names.

What is replaced, in any dict, list or tuple of a result:
- a row holding a user id and name parts: `first_name` becomes "Learner", `last_name` the code, so that
  "first last" reads as the pseudonym;
- any text that is a person's full name ("Ann Lee"), and every e-mail address inside any text (an address
  of nobody known becomes "(e-mail hidden)");
- values under the keys `id`, `*_id` and `*_ids` are never touched (links and selections keep working).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import dataclass

import flask

from dashboard.core import auth, services
from data_access import accounts
from data_access.scope import Scope

PREFIX = "Learner"
CODE_LENGTH = 6  # hex digits: 16.7 million codes, so two people of one deployment rarely share one
HIDDEN_EMAIL = "(e-mail hidden)"
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# name parts of a person row, and the key of the person's id in that row
NAME_PARTS = (("user_id", "first_name", "last_name"), ("author_id", "author_first", "author_last"))
# a person's whole name beside their id (the View as picker's rows): the id decides the pseudonym, so two
# namesakes get their own
WHOLE_NAMES = (("user_id", "name"),)


def code(key: str, user_id: str) -> str:
    return hmac.new(key.encode(), str(user_id).encode(), hashlib.sha256).hexdigest()[:CODE_LENGTH].upper()


def pseudonym(key: str, user_id: str) -> str:
    """'Learner 7F3A2C': the same for one user id under one key."""
    return f"{PREFIX} {code(key, user_id)}"


@dataclass(frozen=True)
class Directory:
    """Who can be recognised in a text: full names and e-mails (lower case) → pseudonym."""
    names: dict[str, str]
    emails: dict[str, str]
    codes: dict[str, str]  # user id → code

    @classmethod
    def build(cls, key: str, people) -> Directory:
        names, emails, codes = {}, {}, {}
        for user_id, first, last, email in people:
            c = code(key, user_id)
            codes[user_id] = c
            alias = f"{PREFIX} {c}"
            full = f"{first or ''} {last or ''}".strip()
            if full:
                names.setdefault(full, alias)
            if email:
                emails[email.lower()] = alias
        return cls(names, emails, codes)


class Masker:
    """Replaces names in query results (see the module docstring)."""

    def __init__(self, key: str, directory: Directory):
        self.key = key
        self.directory = directory

    def code(self, user_id: str) -> str:
        return self.directory.codes.get(user_id) or code(self.key, user_id)

    def person(self, user_id: str) -> str:
        """The pseudonym of one user id."""
        return f"{PREFIX} {self.code(user_id)}"

    def text(self, value: str) -> str:
        """A label: a full name becomes its pseudonym, every e-mail inside it too."""
        exact = self.directory.names.get(value.strip())
        if exact is not None:
            return exact
        if "@" not in value:
            return value
        return EMAIL.sub(lambda m: self.directory.emails.get(m.group(0).lower(), HIDDEN_EMAIL), value)

    def row(self, row: dict) -> dict:
        out = {}
        for k, v in row.items():
            out[k] = v if k == "id" or k.endswith(("_id", "_ids")) else self.shape(v)
        for id_key, first, last in NAME_PARTS:
            user_id = row.get(id_key)
            if (first in row or last in row) and isinstance(user_id, str) and user_id:
                if first in row:
                    out[first] = PREFIX
                if last in row:
                    out[last] = self.code(user_id)
            elif first in row or last in row:  # no id beside the parts: recognise the full name
                full = self.text(f"{row.get(first) or ''} {row.get(last) or ''}".strip())
                if full.startswith(PREFIX + " "):
                    out[first], out[last] = PREFIX, full[len(PREFIX) + 1:]
        for id_key, whole in WHOLE_NAMES:
            user_id, value = row.get(id_key), row.get(whole)
            if isinstance(user_id, str) and user_id and isinstance(value, str) and \
                    value.strip() in self.directory.names:  # (a course's or a certificate's name stays)
                out[whole] = self.person(user_id)
        return out

    def shape(self, value):
        """`value` with every name replaced (a new object; the cached one is left alone)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return self.row(value)
        if isinstance(value, list):
            return [self.shape(v) for v in value]
        if isinstance(value, tuple) and not hasattr(value, "_fields"):
            return tuple(self.shape(v) for v in value)
        return value


class Pseudonyms:
    """The app's pseudonym key and the directory of the current data version (rebuilt after an import)."""

    SWITCH_TTL_S = 1.0  # a switch changed in another process shows here within a second

    def __init__(self, engine, queries):
        self.engine = engine
        self.queries = queries
        self._key: str | None = None
        self._built: tuple[str, Masker] | None = None
        self._switches: dict[str, tuple[float, bool]] = {}  # user id -> (when read, meeting-safe on)

    def switch_of(self, user_id: str) -> bool:
        """A person's meeting-safe switch: read from the database at most once a second per process (every
        callback asks), like a sign-in session lookup."""
        known = self._switches.get(user_id)
        if known is not None and time.monotonic() - known[0] < self.SWITCH_TTL_S:
            return known[1]
        with self.engine.connect() as conn:
            on = accounts.meeting_safe(conn, user_id)
        if len(self._switches) > 10_000:
            self._switches.clear()
        self._switches[user_id] = (time.monotonic(), on)
        return on

    def set_switch(self, user_id: str, on: bool, at) -> None:
        with self.engine.begin() as conn:
            accounts.set_meeting_safe(conn, user_id, on, at)
        self._switches[user_id] = (time.monotonic(), bool(on))

    def key(self) -> str:
        if self._key is None:
            self._key = accounts.pseudonym_key(self.engine)
        return self._key

    def masker(self, now) -> Masker:
        version = self.queries.data_version()
        built = self._built
        if built is not None and built[0] == version:
            return built[1]
        people = self.queries.run_unshaped(accounts.people_directory, Scope.owner(), now)
        masker = Masker(self.key(), Directory.build(self.key(), people))
        self._built = (version, masker)
        return masker


DOWNLOAD_PREFIX = "/download/"


def shape_for_viewer(result):
    """QueryRunner.shape of the app: `result` as the current viewer sees it (pseudonyms when their
    meeting-safe mode is on; downloads and requests without a signed-in viewer get it as is)."""
    if not flask.has_request_context() or flask.request.path.startswith(DOWNLOAD_PREFIX):
        return result
    if not auth.meeting_safe():
        return result
    svc = services.current()
    return svc.pseudonyms.masker(svc.now()).shape(result)


def current_masker() -> Masker | None:
    """The masker of this request's viewer, or None when their meeting-safe mode is off."""
    if not auth.meeting_safe():
        return None
    svc = services.current()
    return svc.pseudonyms.masker(svc.now())
