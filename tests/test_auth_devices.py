"""Self-service sessions: each user sees where they are signed in (browser and system, last
seen in team time, no IP address) and ends any of them; an ended one is signed out at once."""

from sqlalchemy import select

from companion.auth.devices import device_label
from companion.extensions import db
from companion.models import AuditEntry, UserSession
from tests.support.world import PASSWORD

PHONE = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/126.0.0.0 Mobile Safari/537.36")
LAPTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _browser(app, agent, username="w1"):
    browser = app.test_client()
    browser.environ_base.update({"HTTP_USER_AGENT": agent, "REMOTE_ADDR": "203.0.113.77"})
    assert browser.post("/login", data={"username": username, "password": PASSWORD}
                        ).status_code == 303
    return browser


def test_device_labels_name_browser_and_system_only():
    assert device_label(PHONE) == "Chrome / Android"
    assert device_label(LAPTOP) == "Firefox / Windows"
    assert device_label("") == "" and device_label("curl/8.0") == ""


def test_a_user_sees_their_sessions_and_ends_another_one(app, world):
    phone, laptop = _browser(app, PHONE), _browser(app, LAPTOP)
    _browser(app, LAPTOP, "w2")  # someone else's session is never listed
    page = phone.get("/account/sessions").get_data(as_text=True)
    assert "Chrome / Android" in page and "Firefox / Windows" in page
    assert "(this browser)" in page and "203.0.113.77" not in page
    assert page.count('<li class="card" id="session-') == 2
    with app.app_context():
        laptop_id = db.session.scalar(select(UserSession.id).where(
            UserSession.device == "Firefox / Windows", UserSession.user_id == world.users["w1"]))
        stored = " ".join(str(v) for v in db.session.execute(select(UserSession.__table__)).all())
        assert "203.0.113.77" not in stored and "Pixel" not in stored
    answer = phone.post(f"/account/sessions/{laptop_id}/end")
    assert answer.status_code == 303
    refused = laptop.post(f"/clients/{world.clients['shared']}/phase", data={"phase": "crisis"})
    assert refused.status_code == 401 and "nothing was saved" in refused.get_data(as_text=True)
    assert laptop.get("/").status_code == 302  # signed out
    assert phone.get("/").status_code == 200  # this one goes on
    assert "Firefox / Windows" not in phone.get("/account/sessions").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action == "session.ended")).all() == [
            f"user:{world.users['w1']} session:{laptop_id}"]


def test_ending_this_browsers_own_session_signs_it_out(app, world):
    phone = _browser(app, PHONE)
    with app.app_context():
        own = db.session.scalar(select(UserSession.id))
    answer = phone.post(f"/account/sessions/{own}/end")
    assert answer.status_code == 303 and "/login" in answer.headers["Location"]
    assert phone.get("/").status_code == 302


def test_another_users_session_cannot_be_ended(app, world):
    _browser(app, LAPTOP, "w2")
    phone = _browser(app, PHONE)
    with app.app_context():
        theirs = db.session.scalar(select(UserSession.id).where(
            UserSession.user_id == world.users["w2"]))
    assert phone.post(f"/account/sessions/{theirs}/end").status_code == 404
    with app.app_context():
        assert db.session.get(UserSession, theirs).ended_at is None


def test_deactivation_and_sign_out_end_every_listed_session(app, world):
    _browser(app, PHONE), _browser(app, LAPTOP)
    admin = _browser(app, LAPTOP, "admin")
    assert admin.post(f"/admin/users/{world.users['w1']}/deactivate").status_code == 303
    with app.app_context():
        rows = db.session.scalars(select(UserSession).where(
            UserSession.user_id == world.users["w1"])).all()
        assert len(rows) == 2 and all(row.ended_at is not None for row in rows)
