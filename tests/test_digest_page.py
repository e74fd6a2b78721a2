"""The Weekly digest page (account menu): one's own settings, saved and validated, and the preview of one's own
digest, on SQLite and PostgreSQL (tests/digest_bundle.py)."""

from __future__ import annotations

import json

import pytest

from dashboard.factory import create_app
from dashboard.ids import Digest as ID
from dashboard.ids import Shell, ViewAs
from dashboard.settings import Settings
from data_access import digest_store
from data_access.importer import import_bundle
from data_access.queries import at_risk as risk
from data_access.queries import participants as pq
from data_access.scope import Scope
from tests import digest_bundle as db_
from tests.dashcalls import payload
from tests.signing import page_content, signed_in_client


@pytest.fixture
def app(engine, tmp_path):
    import_bundle(engine, db_.write(tmp_path / "bundle"))
    with engine.begin() as conn:
        for sid in ("r2", "r3"):
            pq.save_cohort_limits(conn, Scope.owner(), db_.FIRST, sid, 5, 10)
        risk.save_risk_limits(conn, Scope.owner(), db_.FIRST, "r2", 1, 60)
    url = engine.url.render_as_string(hide_password=False)
    return create_app(Settings.from_env(env={}, database_url=url, now_override=db_.FIRST, seed_demo_on_empty=False,
                                        data_dir=tmp_path, public_url="https://lp.example.org", secret_key="k"))


def call(client, app, output, inputs, state=None):
    response = client.post("/_dash-update-component", json=payload(app, output, inputs, state))
    assert response.status_code == 200, response.data[:300]
    return json.loads(response.data)["response"]


def save(client, app, on, day, hour):
    return call(client, app, ID.STATUS, {f"{ID.ON}.value": on, f"{ID.DAY}.value": day, f"{ID.HOUR}.value": hour})


def preview(client, app) -> str:
    return json.dumps(call(client, app, ID.PREVIEW, {f"{ID.PREVIEW_BUTTON}.n_clicks": 1}, {f"{ID.ON}.value": True}))


def subscription(app, user_id):
    with app.server.extensions["learnpulse"].engine.connect() as conn:
        return digest_store.subscription(conn, user_id)


def test_menu_and_page_for_those_who_see_cohorts(app):
    coach = signed_in_client(app, "coach@ex.com")
    assert "Weekly digest" in coach.get("/_dash-layout").get_data(as_text=True)
    page = page_content(coach, app, "/digest")
    assert "Off: no weekly digest is sent to coach@ex.com." in page and "No digest yet." in page
    learner = signed_in_client(app, "a1@ex.com")
    assert "Weekly digest" not in learner.get("/_dash-layout").get_data(as_text=True)
    assert "There is nothing at this address for you" in page_content(learner, app, "/digest")
    answer = call(learner, app, ID.STATUS, {f"{ID.ON}.value": True, f"{ID.DAY}.value": 0, f"{ID.HOUR}.value": 7})
    assert "nothing here for you" in json.dumps(answer) and subscription(app, "a1") is None


def test_save_settings(app):
    coach = signed_in_client(app, "coach@ex.com")
    answer = save(coach, app, True, 4, 18)
    assert answer[ID.STATUS]["children"].startswith("Saved. On: every Friday at 18:00 (UTC), to coach@ex.com.")
    assert answer[ID.DAY]["disabled"] is False
    sub = subscription(app, "coach")
    assert (sub.weekday, sub.hour, sub.subscribed_at) == (4, 18, int(db_.FIRST.timestamp()))
    assert "On: every Friday at 18:00" in page_content(coach, app, "/digest")
    answer = save(coach, app, False, 4, 18)
    assert "Off: no weekly digest" in answer[ID.STATUS]["children"] and answer[ID.DAY]["disabled"] is True
    assert subscription(app, "coach") is None


@pytest.mark.parametrize("on, day, hour, message", [
    ("yes", 0, 7, "Switch the digest on or off."), (None, 0, 7, "Switch the digest on or off."),
    (True, "someday", 7, "Not saved: the day is one of"), (True, None, 7, "Not saved: the day is one of"),
    (True, [0], 7, "Not saved: the day is one of"), (True, 0, 24, "Not saved: the hour is a whole number"),
    (True, 0, None, "Not saved: the hour is a whole number"), (True, 0, {"h": 1}, "Not saved: the hour"),
    (True, 0, 1e300, "Not saved: the hour"), (True, 0, "7.5", "Not saved: the hour"),
])
def test_malformed_settings_are_refused_with_a_reason(app, on, day, hour, message):
    coach = signed_in_client(app, "coach@ex.com")
    assert save(coach, app, on, day, hour)[ID.STATUS]["children"].startswith(message)
    assert subscription(app, "coach") is None


def test_preview_is_ones_own_digest(app):
    from dashboard.digest_run import send_due

    coach = signed_in_client(app, "coach@ex.com")
    text = preview(coach, app)
    assert "An e-mail would be sent: " in text and "LearnPulse weekly digest: 2 newly at risk" in text
    assert "Your first digest: everyone at risk counts as newly at risk." in text
    assert "Cat Fifteen" in text and "Fin Low" in text and "srcDoc" in text
    for name in ("Gia Never", "Hal All", "Lou Young", "Kim Later"):  # coach2's learners
        assert name not in text
    assert "<script" not in text.lower() and subscription(app, "coach") is None  # a preview changes nothing
    # after a digest went out, nothing changed: no e-mail would be sent
    coach2 = signed_in_client(app, "coach2@ex.com")
    save(coach2, app, True, 0, 7)
    svc = app.server.extensions["learnpulse"]

    class Quiet:
        def send(self, msg):
            pass

        def close(self):
            pass

    assert send_due(svc.engine, svc.settings, db_.FIRST, mailer_factory=Quiet).sent == 1
    text = preview(coach2, app)
    assert "Nothing changed since your last digest: " in text and "4 learners are at risk" in text
    assert "sent (4 newly at risk, 0 no longer at risk, 0 contacts; 4 at risk)" in page_content(coach2, app, "/digest")


def test_viewing_as_shows_their_settings_read_only(app):
    owner = signed_in_client(app)
    started = call(owner, app, Shell.RELOAD, {f"{ViewAs.GO}.n_clicks": 1}, {f"{ViewAs.PICK}.value": "coach"})
    assert "Opening LearnPulse as them" in json.dumps(started)
    page = page_content(owner, app, "/digest")
    assert "You are viewing as Cora Coach" in page and "coach@ex.com" in page
    answer = save(owner, app, True, 0, 7)
    assert "only they can change their digest" in answer[ID.STATUS]["children"]
    assert subscription(app, "coach") is None and subscription(app, "admin") is None
    assert "Cat Fifteen" in preview(owner, app)


def test_anonymous_calls_are_refused(app):
    anonymous = app.server.test_client()
    for output, inputs in [(ID.STATUS, {f"{ID.ON}.value": True, f"{ID.DAY}.value": 0, f"{ID.HOUR}.value": 7}),
                           (ID.PREVIEW, {f"{ID.PREVIEW_BUTTON}.n_clicks": 1})]:
        response = anonymous.post("/_dash-update-component", json=payload(app, output, inputs))
        assert response.status_code == 401
