"""The audit log: what is recorded, who may read it, and that it never holds secrets."""

import logging
import time

import pyotp
import pytest
from sqlalchemy import select, text

from companion.extensions import db
from companion.models import AuditEntry, User
from tests.support.world import PASSWORD, PIN

CANARY_NOTE = "canary-note-7f3a"


def _entries(app):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()


def test_security_events_are_recorded_with_who_what_when_and_request(app, client, auth, world):
    auth.login("w1", "wrong password")
    auth.login("w1")
    client.get(f"/clients/{world.clients['shared']}")
    client.get(f"/clients/{world.clients['other_team']}")
    client.get("/admin/")
    auth.logout()
    entries = _entries(app)
    actions = [e.action for e in entries]
    for action in ("login.failed", "login", "client.view", "access.denied", "logout"):
        assert action in actions
    view = next(e for e in entries if e.action == "client.view")
    assert view.username == "w1" and view.role == "worker" and view.request_id
    assert view.subject == f"client:{world.clients['shared']}" and view.at is not None


def test_the_audit_log_cannot_be_changed_or_emptied(app, client, auth, world):
    auth.login("w1")
    with app.app_context():
        for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(Exception, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()


def test_a_lead_sees_their_teams_trail_and_not_another_teams(app, client, auth, world):
    other = app.test_client()
    other.post("/login", data={"username": "b1", "password": PASSWORD})
    other.get(f"/clients/{world.clients['other_team']}")
    auth.login("w1")
    client.get(f"/clients/{world.clients['shared']}")
    auth.logout()
    auth.login("lead")
    page = client.get("/audit/team").get_data(as_text=True)
    assert "w1 opened A-1" in page
    assert "B-1" not in page and "b1 signed in" not in page and "b1 opened" not in page


def test_an_admin_sees_account_events_but_no_client_reads(app, client, auth, world):
    auth.login("w1")
    client.get(f"/clients/{world.clients['shared']}")
    auth.logout()
    auth.login("admin")
    client.post(f"/admin/users/{world.users['w2']}/end-sessions")
    page = client.get("/audit/accounts").get_data(as_text=True)
    assert "user.sessions_ended" in page and "login" in page
    assert "client.view" not in page


def test_logs_and_audit_never_hold_passwords_codes_pins_cookies_or_notes(
    app, client, auth, world, caplog
):
    caplog.set_level(logging.DEBUG)
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    with app.app_context():
        db.session.get(User, world.users["w1"]).totp_secret = secret
        db.session.commit()
    auth.login("w1", "wrong password canary")
    auth.login("w1")
    code = pyotp.TOTP(secret).at(time.time())
    client.post("/login/code", data={"code": code})
    cookie = client.get_cookie("session").value
    client.post(f"/clients/{world.clients['shared']}/milestones",
                data={"title": CANARY_NOTE})
    with client.session_transaction() as session:
        session["seen"] = 0
    client.get("/")
    client.post("/unlock", data={"pin": PIN})
    client.post("/account/password", data={"password": PASSWORD, "new_password": "canary pw 42",
                                           "confirm": "canary pw 42"})
    logged = caplog.text + "\n".join(
        f"{e.action} {e.subject} {e.username}" for e in _entries(app))
    for canary in ("wrong password canary", PASSWORD, "canary pw 42", code, PIN, cookie,
                   secret, CANARY_NOTE):
        assert canary not in logged, canary


def test_a_view_that_forgets_to_commit_still_leaves_its_read_in_the_trail(app, client, auth, world):
    """Audited reads are committed at the end of the request, not by each view."""
    from companion import access

    @access.allow("worker")
    def forgetful(client_id: int):
        access.load_client(client_id)
        return "read"

    app.add_url_rule("/test/forgetful/<int:client_id>", "forgetful", forgetful)
    auth.login("w1")
    assert client.get(f"/test/forgetful/{world.clients['shared']}").data == b"read"
    assert client.get(f"/test/forgetful/{world.clients['other_team']}").status_code == 404
    trail = [(e.action, e.subject) for e in _entries(app)]
    assert ("client.view", f"client:{world.clients['shared']}") in trail
    assert ("access.denied", f"client:{world.clients['other_team']}") in trail


def test_a_refused_request_writes_its_audit_entry_but_nothing_half_done(app, client, auth, world):
    from companion import access, audit
    from companion.models import Client

    @access.allow("worker")
    def half_done(client_id: int):
        access.load_client(client_id).code = "K-999"  # changed, then refused without a commit
        audit.record("test.refused", f"client:{client_id}")
        return "no", 409

    app.add_url_rule("/test/half-done/<int:client_id>", "half_done", half_done)
    auth.login("w1")
    assert client.get(f"/test/half-done/{world.clients['shared']}").status_code == 409
    assert "test.refused" in [e.action for e in _entries(app)]
    with app.app_context():
        assert db.session.get(Client, world.clients["shared"]).code != "K-999"
