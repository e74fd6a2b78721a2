"""Meeting-safe mode without a browser: the pseudonym key is made once per deployment and kept in the database,
the switch is kept per person, and the masker replaces names and e-mails in query results (rows, labels,
nested lists) while ids, counts and scores stay as they are, on SQLite and PostgreSQL with the fixture bundle."""

from __future__ import annotations

import hashlib
import hmac

from dashboard.core import pseudonyms
from dashboard.core.settings import Settings
from dashboard.factory import create_app
from data_access import accounts
from data_access.importer import import_bundle
from data_access.queries import participants
from data_access.scope import Scope
from tests import fixture_bundle
from tests.signing import page_content, signed_in_client


def masker_for(engine) -> pseudonyms.Masker:
    key = accounts.pseudonym_key(engine)
    with engine.connect() as conn:
        people = accounts.people_directory(conn, Scope.owner(), None)
    return pseudonyms.Masker(key, pseudonyms.Directory.build(key, people))


def test_key_is_made_once_and_pseudonyms_are_stable(engine, tmp_path):
    key = accounts.pseudonym_key(engine)
    assert len(key) == 64 and accounts.pseudonym_key(engine) == key  # kept, not made again
    assert key != accounts.app_secret(engine)
    expected = hmac.new(key.encode(), b"u3", hashlib.sha256).hexdigest()[:6].upper()
    assert pseudonyms.pseudonym(key, "u3") == f"Learner {expected}"
    assert pseudonyms.pseudonym(key, "u3") != pseudonyms.pseudonym(key, "u4")
    # another deployment (another database) has another key, so other pseudonyms
    from data_access import db, migrate

    other = db.make_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    migrate.upgrade(other)
    assert accounts.pseudonym_key(other) != key
    other.dispose()


def test_switch_is_kept_per_person(engine, now):
    with engine.begin() as conn:
        assert accounts.meeting_safe(conn, "u2") is False
        accounts.set_meeting_safe(conn, "u2", True, now)
        accounts.set_meeting_safe(conn, "u3", False, now)
    with engine.begin() as conn:
        assert (accounts.meeting_safe(conn, "u2"), accounts.meeting_safe(conn, "u3")) == (True, False)
        accounts.set_meeting_safe(conn, "u2", False, now)
        assert accounts.meeting_safe(conn, "u2") is False


def test_masker_replaces_names_and_emails_keeps_ids_and_numbers(loaded, now):
    m = masker_for(loaded)
    lea, ada, leo = m.person("u3"), m.person("u1"), m.person("u4")
    rows = [{"user_id": "u3", "first_name": "Lea", "last_name": "Learner", "email": "lea@example.com",
             "days_since": 4, "score": 71.5},
            {"author_id": "u1", "author_first": "Ada", "author_last": "Admin", "name": "Safety Basics"}]
    shaped = m.shape({"rows": rows, "total": 2, "instructors": ["Ada Admin", "Ivo Instructor"],
                      "managers": "LEO@example.com, stranger@elsewhere.org", "session_id": "lea@example.com"})
    assert shaped["rows"][0] == {"user_id": "u3", "first_name": "Learner", "last_name": lea.split()[1],
                                 "email": lea, "days_since": 4, "score": 71.5}
    assert shaped["rows"][1] == {"author_id": "u1", "author_first": "Learner", "author_last": ada.split()[1],
                                 "name": "Safety Basics"}
    assert shaped["instructors"] == [ada, m.person("u7")]
    assert shaped["managers"] == f"{leo}, {pseudonyms.HIDDEN_EMAIL}"
    assert shaped["total"] == 2 and shaped["session_id"] == "lea@example.com"  # ids are never touched
    assert rows[0]["first_name"] == "Lea"  # the cached result is left alone

    # a real query's rows: the same numbers, no name left
    with loaded.connect() as conn:
        listed = participants.participants(conn, Scope.owner(), now, session_id="s1")
    masked = m.shape(listed)
    assert listed and [r["user_id"] for r in masked] == [r["user_id"] for r in listed]
    assert [r.get("days_since") for r in masked] == [r.get("days_since") for r in listed]
    assert [(r["first_name"], r["last_name"]) for r in masked] == [("Learner", m.code(r["user_id"])) for r in listed]
    assert not any("@" in str(v) for r in masked for k, v in r.items() if not k.endswith("_id"))


def test_pages_show_pseudonyms_only_for_the_person_who_switched(tmp_path, bundle):
    app = create_app(Settings.from_env(env={}, database_url=f"sqlite:///{tmp_path / 'm.sqlite3'}",
                                       now_override=fixture_bundle.NOW, seed_demo_on_empty=False, data_dir=tmp_path))
    engine = app.server.extensions["learnpulse"].engine
    import_bundle(engine, bundle)
    owner = signed_in_client(app)
    assert "Lea Learner" in page_content(owner, app, "/users/u3")
    app.server.extensions["learnpulse"].pseudonyms.set_switch("u1", True, fixture_bundle.NOW)  # as the switch does
    shown = page_content(owner, app, "/users/u3")
    assert "Lea Learner" not in shown and "lea@example.com" not in shown
    assert pseudonyms.pseudonym(accounts.pseudonym_key(engine), "u3") in shown
    coach = signed_in_client(app, "cora@example.com")  # the switch is the owner's: the coach still sees names
    assert "Lea Learner" in page_content(coach, app, "/users/u3")


def test_namesakes_keep_their_own_pseudonym_where_their_id_is_known():
    """Two people with one full name: a label with nothing but the name takes the first one's pseudonym, but a
    row that holds the person's id (the View as picker) gets that person's own."""
    key = "k" * 64
    people = [("u1", "Mei", "Rossi", "mei.1@x.org"), ("u2", "Mei", "Rossi", "mei.2@x.org"),
              ("u3", "Ada", "Lovelace", "ada@x.org")]
    m = pseudonyms.Masker(key, pseudonyms.Directory.build(key, people))
    rows = m.shape([{"user_id": "u1", "name": "Mei Rossi", "email": "mei.1@x.org", "role": "learner"},
                    {"user_id": "u2", "name": "Mei Rossi", "email": "mei.2@x.org", "role": "learner"},
                    {"user_id": "u3", "name": "Safety Basics"}])
    assert [r["name"] for r in rows] == [pseudonyms.pseudonym(key, "u1"), pseudonyms.pseudonym(key, "u2"),
                                         "Safety Basics"]
    assert rows[0]["name"] != rows[1]["name"]
    assert [r["email"] for r in rows[:2]] == [pseudonyms.pseudonym(key, "u1"), pseudonyms.pseudonym(key, "u2")]
    assert m.text("Mei Rossi") == pseudonyms.pseudonym(key, "u1")
