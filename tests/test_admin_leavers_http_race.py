"""Deactivating an account while that worker's capture POST is in flight, over HTTP: two
signed-in test clients, each request in its own thread. The capture is either saved whole
before the deactivation or refused with a clear 410; never half-written, never a 500."""

import threading

from sqlalchemy import func, select, text

from companion import database
from companion.clients import lifecycle
from companion.extensions import db
from companion.models import AuditEntry, Capture, Meeting, User
from tests.support import team_today
from tests.support.forms import capture_form, form_key
from tests.support.world import PASSWORD


def _signed_in(app, username):
    browser = app.test_client()
    assert browser.post("/login", data={"username": username, "password": PASSWORD}
                        ).status_code == 303
    return browser


def _in_thread(work):
    """Start `work` in its own thread; the thread and a dict that gets its answer."""
    answer = {}
    thread = threading.Thread(target=lambda: answer.update(response=work()))
    thread.start()
    return thread, answer


def _at_the_save(monkeypatch, before=None, after=None):
    """Run `before` / `after` inside the capture request, around the moment it takes the
    case for the save (`lifecycle.hold_for_capture`): the request is signed in and in flight."""
    real = lifecycle.hold_for_capture

    def held(client, author):
        if before:
            before()
        real(client, author)
        if after:
            after()

    monkeypatch.setattr(lifecycle, "hold_for_capture", held)


def _stored(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Capture)),
                db.session.scalar(select(func.count()).select_from(Meeting).where(
                    Meeting.held_on == team_today())))


def _parties(app, world):
    worker, admin = _signed_in(app, "w3"), _signed_in(app, "admin")
    url = f"/clients/{world.clients['w3_only']}/capture"
    return worker, admin, url, capture_form(world, form_key(worker, url), "w3_only")


def test_deactivated_while_the_capture_post_is_in_flight_it_is_refused_whole(
        app, world, monkeypatch):
    worker, admin, url, form = _parties(app, world)
    deactivation = {}

    def deactivate_now():  # the admin's POST runs to its end while the capture waits
        thread, deactivation["answer"] = _in_thread(
            lambda: admin.post(f"/admin/users/{world.users['w3']}/deactivate"))
        thread.join(30)

    _at_the_save(monkeypatch, before=deactivate_now)
    answer = worker.post(url, data=form)
    assert deactivation["answer"]["response"].status_code == 303
    assert answer.status_code == 410
    assert "Your account was deactivated a moment ago, so this capture was not saved." in \
        answer.get_data(as_text=True)
    assert _stored(app) == (0, 0)  # neither the capture nor its meeting
    assert worker.get("/").status_code == 302  # and the session is over


def _waiting_for_a_lock(app, engine_name, database_url) -> bool:
    """Whether some request of this test is queued for a lock the capture holds."""
    if engine_name == "sqlite":
        queue = database._locks.get(database_url.removeprefix("sqlite:///"))
        return bool(queue and queue._waiters)
    with app.app_context(), db.engine.connect() as connection:
        return bool(connection.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'")))


def test_a_capture_already_saving_is_kept_whole_and_the_deactivation_waits_for_it(
        app, world, monkeypatch, engine_name, database_url):
    worker, admin, url, form = _parties(app, world)
    started = {}

    def deactivate_meanwhile():  # the case is held for the save: the admin presses now
        started["thread"], started["answer"] = _in_thread(
            lambda: admin.post(f"/admin/users/{world.users['w3']}/deactivate"))
        for _poll in range(1000):  # until it waits for this save, or (wrongly) is done
            if _waiting_for_a_lock(app, engine_name, database_url):
                break
            started["thread"].join(0.01)
            if not started["thread"].is_alive():
                break
        started["waited"] = started["thread"].is_alive()

    _at_the_save(monkeypatch, after=deactivate_meanwhile)
    answer = worker.post(url, data=form)
    started["thread"].join(30)
    assert started["waited"], "the deactivation did not wait for the capture being saved"
    assert answer.status_code == 303 and started["answer"]["response"].status_code == 303
    assert _stored(app) == (1, 1)
    with app.app_context():
        capture = db.session.scalar(select(Capture))
        deactivated_at = db.session.scalar(select(AuditEntry.at).where(
            AuditEntry.action == "user.deactivated"))
        assert sorted(capture.marks) == ["change_talk_up", "open_posture", "relaxed"]
        assert (capture.rating_goals, capture.rating_tasks, capture.rating_bond) == (4, 3, 5)
        assert capture.recorded_at <= deactivated_at
        assert db.session.get(User, world.users["w3"]).active is False
    assert worker.post(url, data=capture_form(world, "another-key", "w3_only")
                       ).status_code == 401  # afterwards: refused, nothing more saved
    assert _stored(app) == (1, 1)
