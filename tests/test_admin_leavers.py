"""Leavers: an admin deactivates an account after a confirmation page (and can reactivate it,
also confirmed). Sign-in is refused and every session ends at once; the lead sees the leaver's
clients as needing a worker; captures stay attributed; pairs end with their history kept."""

import re
import threading
from datetime import time

from sqlalchemy import func, select

from companion.extensions import db
from companion.models import AuditEntry, Capture, Meeting, Pair, User
from tests.support import records, team_today
from tests.support.forms import capture_form, form_key
from tests.support.world import PASSWORD


def _signed_in(app, username):
    """A browser signed in through the real form (its session is listed and can be ended)."""
    browser = app.test_client()
    answer = browser.post("/login", data={"username": username, "password": PASSWORD})
    assert answer.status_code == 303
    return browser


def _audit(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action == action)).all()


def test_deactivation_is_confirmed_then_sign_in_and_sessions_end_and_captures_stay(
        app, client, world, sign_in):
    with app.app_context():
        records.add_capture(world.meetings["w3_only"], world.users["w3"], ["relaxed"])
    leaver = _signed_in(app, "w3")
    sign_in("admin")
    page = client.get(f"/admin/users/{world.users['w3']}/deactivate")
    assert page.status_code == 200 and "A-2" in page.get_data(as_text=True)
    assert leaver.get("/").status_code == 200  # the confirmation page changed nothing
    assert f"admin clients:{world.clients['w3_only']}" in _audit(app, "clients.listed")

    assert client.post(f"/admin/users/{world.users['w3']}/deactivate").status_code == 303
    assert leaver.get("/").status_code == 302  # that session ended at once
    assert app.test_client().post("/login", data={"username": "w3", "password": PASSWORD}
                                  ).status_code == 401
    with app.app_context():
        assert db.session.get(User, world.users["w3"]).active is False
        kept = db.session.scalars(select(Capture.author_id)).all()
        assert kept == [world.users["w3"]]  # the leaver's capture stays, attributed
    assert _audit(app, "user.deactivated") == [
        f"user:{world.users['w3']} pairs_ended:0 clients:1"]
    client.post(f"/admin/users/{world.users['w3']}/deactivate")  # a second tap: no change
    assert len(_audit(app, "user.deactivated")) == 1


def test_the_lead_sees_the_leavers_clients_as_needing_a_worker_until_handed_over(
        app, client, world, sign_in):
    sign_in("admin")
    client.post(f"/admin/users/{world.users['w3']}/deactivate")
    sign_in("lead")
    home = client.get("/").get_data(as_text=True)
    attention = home[home.index('id="attention"'):]
    assert 'class="cards attention-needs_worker"' in attention
    assert "Needs a worker: w3 left the team." in attention and "A-2" in attention
    assert re.search(r"w3</span> <span class=\"muted\">1 client · deactivated", home)
    page = client.get(f"/clients/{world.clients['w3_only']}/workers").get_data(as_text=True)
    version = page.split('name="version" type="hidden" value="')[1].split('"')[0]
    answer = client.post(f"/clients/{world.clients['w3_only']}/hand-over", data={
        "version": version, "from_worker": str(world.users["w3"]),
        "to_worker": str(world.users["w1"])})
    assert answer.status_code == 303
    assert "attention-needs_worker" not in client.get("/").get_data(as_text=True)


def test_pairs_of_a_leaver_end_with_their_history_kept(app, client, world, sign_in):
    with app.app_context():
        pair_id = db.session.scalar(select(Pair.id))
    sign_in("admin")
    page = client.get(f"/admin/users/{world.users['w1']}/deactivate").get_data(as_text=True)
    assert "with w2" in page
    client.post(f"/admin/users/{world.users['w1']}/deactivate")
    with app.app_context():
        pair = db.session.get(Pair, pair_id)
        assert pair.ended_at is not None and pair.first_id == world.users["w1"]
    sign_in("w2")
    assert f"/pairs/{pair_id}" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/pairs/{pair_id}").status_code == 200  # the history stays readable
    sign_in("admin")
    confirm = client.get(f"/admin/users/{world.users['w1']}/reactivate")
    assert confirm.status_code == 200 and "Pairs that ended stay ended" in confirm.get_data(
        as_text=True)
    assert client.post(f"/admin/users/{world.users['w1']}/reactivate").status_code == 303
    assert _signed_in(app, "w1").get("/").status_code == 200
    with app.app_context():
        assert db.session.get(Pair, pair_id).ended_at is not None
    assert _audit(app, "user.reactivated") == [f"user:{world.users['w1']}"]


def test_an_admin_cannot_deactivate_their_own_account(app, client, world, sign_in):
    sign_in("admin")
    assert client.get(f"/admin/users/{world.users['admin']}/deactivate").status_code == 303
    assert client.post(f"/admin/users/{world.users['admin']}/deactivate").status_code == 303
    with app.app_context():
        assert db.session.get(User, world.users["admin"]).active
    assert client.get("/admin/").status_code == 200


def test_a_capture_posted_after_deactivation_is_refused_with_a_401_and_nothing_saved(
        app, world):
    worker = _signed_in(app, "w3")
    url = f"/clients/{world.clients['w3_only']}/capture"
    key = form_key(worker, url)
    admin = _signed_in(app, "admin")
    assert admin.post(f"/admin/users/{world.users['w3']}/deactivate").status_code == 303
    answer = worker.post(url, data=capture_form(world, key, "w3_only"))
    assert answer.status_code == 401
    assert "your account was deactivated" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Capture)) == 0
        assert db.session.scalar(select(func.count()).select_from(Meeting).where(
            Meeting.held_on == team_today())) == 0


def test_deactivation_while_the_capture_is_being_saved_refuses_it_cleanly(app, world):
    """The request was signed in when it began; the account is deactivated before the save."""
    from companion.admin import leavers
    from companion.capture import operations
    from companion.clients.lifecycle import CaseUnavailable
    from companion.clock import team_zone
    from companion.models import Client

    with app.test_request_context():
        author = db.session.get(User, world.users["w3"])
        target = db.session.get(Client, world.clients["w3_only"])
        assert author.active

        def deactivate():
            with app.test_request_context():
                leavers.deactivate(db.session.get(User, world.users["w3"]),
                                   db.session.get(User, world.users["admin"]))
                db.session.commit()
                db.session.remove()

        db.session.rollback()  # the request's reads are done; the admin commits in between
        worker = threading.Thread(target=deactivate)
        worker.start()
        worker.join(30)
        try:
            operations.save_capture(author, target, _data("mid-capture"), team_zone())
            refused = None
        except CaseUnavailable as error:
            refused = error
        assert refused is not None and refused.code == 410
        assert "Your account was deactivated" in refused.description
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Capture)) == 0
        assert db.session.scalar(select(func.count()).select_from(Meeting).where(
            Meeting.held_on == team_today())) == 0


def _data(key):
    from companion.capture.validation import CaptureData

    return CaptureData(idempotency_key=key, attendance="held", held_on=team_today(),
                       starts_at=time(10), length_minutes=60, marks=("relaxed",))


def test_deactivating_and_capturing_at_once_saves_before_or_refuses_never_half(app, world):
    from companion.admin import leavers
    from companion.capture import operations
    from companion.clients.lifecycle import CaseUnavailable
    from companion.clock import team_zone
    from companion.models import Client

    outcome, barrier = {}, threading.Barrier(2)

    def capture():
        with app.test_request_context():
            author = db.session.get(User, world.users["w3"])
            target = db.session.get(Client, world.clients["w3_only"])
            barrier.wait()
            try:
                operations.save_capture(author, target, _data("race-leaver"), team_zone())
                outcome["capture"] = "saved"
            except CaseUnavailable:
                outcome["capture"] = "refused"
            finally:
                db.session.remove()

    def deactivate():
        with app.test_request_context():
            user = db.session.get(User, world.users["w3"])
            admin = db.session.get(User, world.users["admin"])
            barrier.wait()
            leavers.deactivate(user, admin)
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=capture), threading.Thread(target=deactivate)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with app.app_context():
        stored = db.session.scalar(select(Capture).where(Capture.idempotency_key == "race-leaver"))
        meetings = db.session.scalar(select(func.count()).select_from(Meeting).where(
            Meeting.held_on == team_today()))
        assert outcome["capture"] in ("saved", "refused")
        assert (stored is not None) == (outcome["capture"] == "saved") == (meetings == 1)
        deactivated_at = db.session.scalar(select(AuditEntry.at).where(
            AuditEntry.action == "user.deactivated"))
        assert deactivated_at is not None
        if stored is not None:
            assert stored.recorded_at <= deactivated_at
        assert db.session.get(User, world.users["w3"]).active is False
