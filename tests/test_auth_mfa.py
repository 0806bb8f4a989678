"""The TOTP second factor: enrolment with a server-drawn QR code, single-use codes, recovery."""

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from companion import config
from companion.auth import mfa
from companion.extensions import db
from companion.models import AuditEntry, RecoveryCode, User
from tests.support.apps import make_app
from tests.support.world import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ADMIN_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"


@pytest.fixture
def app_settings():
    return {"REQUIRE_TOTP": True}


def _enrolled(app, username, secret=SECRET):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.totp_secret = secret
        db.session.commit()


def _code(secret=SECRET, offset=0):
    return pyotp.TOTP(secret).at(time.time() + offset)


def _actions(app):
    with app.app_context():
        return db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()


def test_demo_mode_turns_the_second_factor_off_by_default_and_production_on(tmp_path):
    demo = config.from_env(str(tmp_path), {"COMPANION_DEMO": "1"})
    production = config.from_env(str(tmp_path), {"SECRET_KEY": "k" * 40})
    assert demo["REQUIRE_TOTP"] is False and production["REQUIRE_TOTP"] is True


def test_the_demo_shows_a_demo_mode_banner_and_production_does_not(tmp_path):
    demo = make_app("sqlite://", tmp_path / "demo")
    production = make_app("sqlite://", tmp_path / "production",
                          ENV={"SECRET_KEY": "k" * 40, "DATABASE_URL": "sqlite://"})
    assert demo.config["REQUIRE_TOTP"] is False and production.config["REQUIRE_TOTP"] is True
    banner = "Demo mode: sample data, second factor off."
    assert banner in demo.test_client().get("/login").get_data(as_text=True)
    page = production.test_client().get("/login", base_url="https://localhost")
    assert page.status_code == 200 and "Demo mode" not in page.get_data(as_text=True)


@pytest.mark.parametrize("username", ["w1", "lead", "admin"])
def test_an_account_without_a_second_factor_must_enrol_before_anything_else(
    app, client, auth, world, username
):
    assert auth.login(username).status_code == 303
    home = client.get("/")
    assert home.status_code == 303 and home.headers["Location"] == "/account/two-factor"
    assert client.get("/", headers={"HX-Request": "true"}).headers["HX-Redirect"] == (
        "/account/two-factor")
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page and "<script" not in page.split("</head>")[1]
    secret = re.search(r'id="totp-key">([A-Z2-7]+)<', page).group(1)
    done = client.post("/account/two-factor", data={"code": _code(secret)})
    codes = re.findall(r'<li class="card code">([a-z0-9-]+)</li>', done.get_data(as_text=True))
    assert done.status_code == 200 and len(codes) == 10
    assert client.get("/").status_code == 200
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and all(h.startswith("$argon2id$") for h in stored)
    assert not any(code in h for code in codes for h in stored)
    assert "mfa.enrolled" in _actions(app)


def test_a_wrong_enrolment_code_is_refused(app, client, auth, world):
    auth.login("w1")
    client.get("/account/two-factor")
    response = client.post("/account/two-factor", data={"code": "000000"})
    assert response.status_code == 400 and b"did not match" in response.data
    with app.app_context():
        assert db.session.get(User, world.users["w1"]).totp_secret is None


def test_sign_in_asks_for_the_code_after_the_password(app, client, auth, world):
    _enrolled(app, "w1")
    response = auth.login("w1")
    assert response.headers["Location"] == "/login/code"
    assert client.get("/").status_code == 302  # not signed in yet
    assert client.post("/login/code", data={"code": "123456"}).status_code == 401
    assert client.post("/login/code", data={"code": _code()}).status_code == 303
    assert client.get("/").status_code == 200
    assert {"login.password_ok", "mfa.failed", "login"} <= set(_actions(app))


def test_a_totp_code_is_accepted_only_once(app, client, auth, world):
    _enrolled(app, "w1")
    code = _code()
    auth.login("w1")
    assert client.post("/login/code", data={"code": code}).status_code == 303
    auth.logout()
    auth.login("w1")
    assert client.post("/login/code", data={"code": code}).status_code == 401


def test_an_older_code_is_refused_after_a_newer_one_was_used():
    now = time.time()
    newer = mfa.matching_step(SECRET, pyotp.TOTP(SECRET).at(now), None, now)
    older = pyotp.TOTP(SECRET).at(now - 30)
    assert mfa.matching_step(SECRET, older, newer, now) is None
    assert mfa.matching_step(SECRET, older, None, now) == newer - 1


def test_a_recovery_code_signs_in_once(app, client, auth, world):
    with app.app_context():
        user = db.session.get(User, world.users["w1"])
        user.totp_secret = SECRET
        codes = mfa.new_recovery_codes(user)
        db.session.commit()
    auth.login("w1")
    assert client.post("/login/code", data={"code": codes[0].upper()}).status_code == 303
    auth.logout()
    auth.login("w1")
    assert client.post("/login/code", data={"code": codes[0]}).status_code == 401
    assert "mfa.recovery_used" in _actions(app)


def test_the_code_step_without_a_password_first_goes_back_to_sign_in(client, world):
    response = client.post("/login/code", data={"code": _code()})
    assert response.status_code == 303 and response.headers["Location"] == "/login"


def test_the_code_step_expires_after_five_minutes(app, client, auth, world):
    _enrolled(app, "w1")
    auth.login("w1")
    with client.session_transaction() as session:
        session["pending"] = session["pending"] | {"at": session["pending"]["at"] - 301}
    assert client.post("/login/code", data={"code": _code()}).headers["Location"] == "/login"


def test_five_wrong_codes_block_the_account(app, client, auth, world):
    _enrolled(app, "w1")
    auth.login("w1")
    for _ in range(5):
        client.post("/login/code", data={"code": "000000"})
    assert client.post("/login/code", data={"code": _code()}).status_code == 429


def test_admin_reset_of_the_second_factor_needs_the_new_code_and_the_leads_confirmation(
    app, client, auth, world
):
    _enrolled(app, "w1")
    _enrolled(app, "admin", ADMIN_SECRET)
    auth.login("w1")
    client.post("/login/code", data={"code": _code()})
    admin = app.test_client()
    admin.post("/login", data={"username": "admin", "password": PASSWORD})
    admin.post("/login/code", data={"code": _code(ADMIN_SECRET)})
    response = admin.post(f"/admin/users/{world.users['w1']}/reset-second-factor")
    code = re.search(r'id="invitation-code">([a-z0-9-]+)<', response.get_data(as_text=True))
    assert response.status_code == 200 and code
    assert client.get("/").status_code == 302  # w1's session has ended
    assert auth.login("w1").status_code == 401  # the password alone no longer re-enrols
    client.post("/invitation", data={"username": "w1", "code": code.group(1),
                                     "password": "a new one for w1", "confirm": "a new one for w1"})
    assert client.get("/").headers["Location"] == "/account/two-factor"
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'id="totp-key">([A-Z2-7]+)<', page).group(1)
    client.post("/account/two-factor", data={"code": _code(secret)})
    client.post("/account/pin", data={"password": "a new one for w1", "pin": "480264",
                                      "confirm": "480264"})
    assert client.get("/").headers["Location"] == "/members/waiting"
    assert "mfa.reset" in _actions(app)
