"""Password hashing and policy: argon2id, upgraded at sign-in, 8-128 characters, no common ones."""

import re

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from companion.extensions import db
from companion.models import User
from companion.passwords import hash_secret, password_problem
from tests.support.world import PASSWORD, PASSWORD_HASH, PIN


def test_hashes_are_argon2id_with_at_least_the_owasp_parameters(production_hashing):
    encoded = hash_secret("a secret phrase")
    assert encoded.startswith("$argon2id$")
    params = dict(part.split("=") for part in encoded.split("$")[3].split(","))
    assert int(params["m"]) >= 19456 and int(params["t"]) >= 2


@pytest.mark.parametrize(
    "password", ["password", "12345678", "baseball1", "Iloveyou", "qwertyuiop"]
)
def test_common_passwords_are_refused(password):
    assert "most common" in password_problem(password)


@pytest.mark.parametrize("password", ["seven77", ""])
def test_passwords_shorter_than_eight_characters_are_refused(password):
    assert "at least 8" in password_problem(password)


def test_long_passwords_are_allowed_up_to_128_characters():
    assert password_problem("lantern " * 16) is None  # 128 characters
    assert "at most" in password_problem("x" * 129)


@pytest.mark.parametrize("password", ["only lower case words", "ALLCAPSNODIGITS", "zzzzqqqqvvvv"])
def test_there_are_no_composition_rules(password):
    assert password_problem(password) is None


def test_passwords_containing_the_username_or_app_name_are_refused():
    assert "username" in password_problem("marieke-2024-secure", "marieke")
    assert "name of this app" in password_problem("my alliance phrase")


def _stored_hash(app, username):
    with app.app_context():
        return db.session.scalar(select(User.password_hash).where(User.username == username))


def _set_hash(app, username, encoded):
    with app.app_context():
        db.session.scalar(select(User).where(User.username == username)).password_hash = encoded
        db.session.commit()


@pytest.mark.parametrize("method", ["pbkdf2:sha256:1000", "scrypt:4096:8:1"])
def test_an_old_werkzeug_hash_is_upgraded_to_argon2id_at_sign_in(app, auth, world, method):
    _set_hash(app, "w1", generate_password_hash(PASSWORD, method=method))
    assert auth.login("w1").status_code == 303
    assert _stored_hash(app, "w1").startswith("$argon2id$")


def test_a_weaker_argon2_hash_is_upgraded_at_sign_in(app, auth, world, production_hashing):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    _set_hash(app, "w1", weak)
    assert auth.login("w1").status_code == 303
    upgraded = _stored_hash(app, "w1")
    assert upgraded != weak and "m=65536" in upgraded


def test_a_wrong_password_against_an_old_hash_is_refused_and_not_upgraded(app, auth, world):
    old = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    _set_hash(app, "w1", old)
    assert auth.login("w1", "not the password").status_code == 401
    assert _stored_hash(app, "w1") == old


def test_an_invitation_cannot_be_completed_with_a_common_password(app, client, auth, world):
    auth.login("admin")
    page = client.post("/admin/users", data={"username": "w7", "role": "worker",
                                             "team": world.team}).get_data(as_text=True)
    code = re.search(r'id="invitation-code">([a-z0-9-]+)<', page).group(1)
    response = app.test_client().post("/invitation", data={
        "username": "w7", "code": code, "password": "password1", "confirm": "password1"})
    assert response.status_code == 400 and b"most common" in response.data
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "w7")).invite_hash


def test_cli_create_user_refuses_a_common_password(runner, world):
    result = runner.invoke(args=["create-user", "w7", "--role", "worker", "--team", "Team A"],
                           env={"COMPANION_NEW_PASSWORD": "iloveyou1"})
    assert result.exit_code != 0 and "most common" in result.output


@pytest.mark.parametrize("username", ["w1", "lead", "admin"])
def test_every_role_can_change_their_password(app, client, auth, world, username):
    auth.login(username)
    assert client.get("/account/password").status_code == 200
    new = "a fresh river stone"
    response = client.post("/account/password", data={
        "password": PASSWORD, "new_password": new, "confirm": new})
    assert response.status_code == 303
    assert client.get("/").status_code == 200  # this device stays signed in
    auth.logout()
    assert auth.login(username).status_code == 401
    assert auth.login(username, new).status_code == 303


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        ("not my password", "a fresh river stone", b"not your current password"),
        (PASSWORD, "password123", b"most common"),
        (PASSWORD, "short", b"at least 8"),
    ],
)
def test_a_bad_password_change_is_refused_with_a_message(
    app, client, auth, world, current, new, message
):
    auth.login("w1")
    response = client.post("/account/password", data={
        "password": current, "new_password": new, "confirm": new})
    assert response.status_code == 400 and message in response.data
    assert _stored_hash(app, "w1") == PASSWORD_HASH


def test_pin_change_needs_the_password_and_refuses_trivial_pins(app, client, auth, world):
    auth.login("w1")
    trivial = client.post("/account/pin", data={"password": PASSWORD, "pin": "111111",
                                                 "confirm": "111111"})
    assert trivial.status_code == 400 and b"too easy" in trivial.data
    no_password = client.post("/account/pin", data={"password": "nope", "pin": "582039",
                                                     "confirm": "582039"})
    assert no_password.status_code == 400
    good = client.post("/account/pin", data={"password": PASSWORD, "pin": "582039",
                                              "confirm": "582039"})
    assert good.status_code == 303
    with app.app_context():
        stored = db.session.scalar(select(User.pin_hash).where(User.username == "w1"))
    assert stored.startswith("$argon2id$") and PIN not in stored


def test_the_pin_is_never_accepted_as_a_password_at_sign_in(auth, world):
    assert auth.login("w1", PIN).status_code == 401
