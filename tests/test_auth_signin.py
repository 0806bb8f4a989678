"""The sign-in attempts: the second factor counted apart from the password, a recovery-code guess
worth one argon2 check, no typed text in the audit, one audit row per window, re-typed current
passwords throttled, and TOTP seeds out of the cookie and encrypted at rest."""

import re
import time

import argon2
import pyotp
import pytest
import redis
from sqlalchemy import select, text

from companion.auth import mfa
from companion.extensions import db
from companion.models import AuditEntry, User
from tests.support import world as world_module
from tests.support.apps import make_app
from tests.support.world import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def app_settings():
    return {"REQUIRE_TOTP": True}


def _enrol(app, username="w1"):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.totp_secret = SECRET
        codes = mfa.new_recovery_codes(user)
        db.session.commit()
        return codes


def _entries(app, action=None):
    with app.app_context():
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return db.session.scalars(query).all()


def test_a_correct_password_does_not_reset_the_count_of_wrong_codes(app, client, auth, world):
    _enrol(app)
    statuses = []
    for _round in range(3):  # the attack: the password again before the fifth wrong code
        assert auth.login("w1").headers["Location"] == "/login/code"
        for _try in range(2):
            statuses.append(client.post("/login/code", data={"code": "000000"}).status_code)
    assert statuses == [401] * 5 + [429]
    auth.login("w1")
    right = client.post("/login/code", data={"code": pyotp.TOTP(SECRET).now()})
    assert right.status_code == 429 and client.get("/").status_code == 302
    assert len(_entries(app, "mfa.failed")) == 5 and len(_entries(app, "mfa.throttled")) == 1


def test_another_browser_cannot_reset_the_count_of_wrong_codes(app, client, auth, world):
    _enrol(app)
    auth.login("w1")
    for _try in range(5):
        client.post("/login/code", data={"code": "000000"})
    other = app.test_client()
    other.post("/login", data={"username": "w1", "password": PASSWORD})
    assert other.post("/login/code", data={"code": pyotp.TOTP(SECRET).now()}).status_code == 429


@pytest.fixture
def argon2_checks(monkeypatch):
    """Counts argon2 verifications (a spy on the library: each still runs)."""
    calls = []
    original = argon2.PasswordHasher.verify

    def counting(self, stored, secret):
        calls.append(1)
        return original(self, stored, secret)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting)
    return calls


def test_a_recovery_code_guess_costs_one_argon2_check(app, world, argon2_checks):
    codes = _enrol(app)
    with app.app_context():
        user = db.session.get(User, world.users["w1"])
        assert mfa.use_recovery_code(user, "abcde-fghjk") is False
        assert len(argon2_checks) == 1
        assert mfa.use_recovery_code(user, codes[7]) is True
        assert len(argon2_checks) == 2
        assert mfa.use_recovery_code(user, codes[7]) is False  # used once already
        assert len(argon2_checks) == 3


def test_failed_sign_ins_are_audited_without_the_typed_username(app, client, world):
    typed = "my secret password 77"  # typed into the username field by mistake
    client.post("/login", data={"username": typed, "password": "x"})
    client.post("/login", data={"username": "w2", "password": "wrong"},
                environ_base={"REMOTE_ADDR": "10.3.3.3"})
    failed = _entries(app, "login.failed")
    assert [e.subject.split(":")[0] for e in failed] == ["username-hash", "user"]
    assert failed[1].subject == f"user:{world.users['w2']}"
    assert all(typed not in f"{e.subject} {e.username}" for e in _entries(app))
    page = app.test_client()
    page.post("/login", data={"username": "admin", "password": PASSWORD})
    assert typed not in page.get("/audit/accounts").get_data(as_text=True)


def test_many_failures_leave_one_audit_row_per_throttle_window(app, client, world):
    for attempt in range(30):
        client.post("/login", data={"username": f"guess{attempt}", "password": "x"})
    for _attempt in range(10):
        client.post("/login", data={"username": "w1", "password": "x"},
                    environ_base={"REMOTE_ADDR": "10.4.4.4"})
    actions = [e.action for e in _entries(app)]
    assert actions.count("login.failed") == 2  # one per address window
    assert actions.count("login.throttled") == 2


@pytest.mark.parametrize("path, fields", [
    ("/account/pin", {"pin": "582039", "confirm": "582039"}),
    ("/account/password", {"new_password": "a fresh phrase 9", "confirm": "a fresh phrase 9"}),
])
def test_re_typing_the_current_password_is_throttled(app, client, auth, world, path, fields):
    with app.app_context():
        db.session.get(User, world.users["w1"]).totp_secret = SECRET
        db.session.commit()
    auth.login("w1")
    client.post("/login/code", data={"code": pyotp.TOTP(SECRET).now()})
    for _try in range(5):
        wrong = client.post(path, data={**fields, "password": "not it"})
        assert wrong.status_code == 400 and b"not your current password" in wrong.data
    blocked = client.post(path, data={**fields, "password": PASSWORD})
    assert blocked.status_code == 429 and b"Too many attempts" in blocked.data
    assert len(_entries(app, "account.reauth_throttled")) == 1


def _cookie_session(app, client) -> dict:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    return app.session_interface.get_signing_serializer(app).loads(cookie)


def test_the_totp_seed_stays_out_of_the_cookie_and_is_encrypted_at_rest(app, client, auth, world):
    auth.login("w1")
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'id="totp-key">([A-Z2-7]+)<', page).group(1)
    assert secret not in str(_cookie_session(app, client))
    assert secret in client.get("/account/two-factor").get_data(as_text=True)  # same seed
    raw = "SELECT totp_pending, totp_secret FROM users WHERE username = 'w1'"
    with app.app_context():
        pending, stored = db.session.execute(text(raw)).one()
    assert stored is None and pending and secret not in pending
    code = pyotp.TOTP(secret).at(time.time())
    assert client.post("/account/two-factor", data={"code": code}).status_code == 200
    with app.app_context():
        pending, stored = db.session.execute(text(raw)).one()
        assert db.session.get(User, world.users["w1"]).totp_secret == secret
    assert pending is None and stored and secret not in stored


REDIS_URL = "redis://127.0.0.1:6379/13"


def test_two_instances_share_the_count_of_wrong_codes_in_redis(tmp_path):
    redis.Redis.from_url(REDIS_URL).flushdb()
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    first, second = (make_app(url, tmp_path / name, REDIS_URL=REDIS_URL, REQUIRE_TOTP=True)
                     for name in ("one", "two"))
    with first.app_context():
        db.create_all()
        world_module.build()
    _enrol(first)
    for instance in (first, second, first, second, first):
        browser = instance.test_client()
        browser.post("/login", data={"username": "w1", "password": PASSWORD})
        assert browser.post("/login/code", data={"code": "000000"}).status_code == 401
    browser = second.test_client()
    browser.post("/login", data={"username": "w1", "password": PASSWORD})
    right = browser.post("/login/code", data={"code": pyotp.TOTP(SECRET).now()})
    assert right.status_code == 429
    assert redis.Redis.from_url(REDIS_URL).keys("*mfa:account*")
    redis.Redis.from_url(REDIS_URL).flushdb()
