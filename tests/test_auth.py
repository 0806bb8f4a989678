"""Signing in and out, sessions and CSRF."""

import re

import pytest
from sqlalchemy import select

from companion.extensions import db
from companion.models import AuditEntry, User
from tests.support.apps import make_app


def test_login_lands_on_home_with_own_clients(client, auth, world):
    response = auth.login("w1")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    home = client.get("/")
    assert b"A-1" in home.data and b"A-2" not in home.data and b"B-1" not in home.data


def test_wrong_password_and_unknown_user_get_the_same_answer(auth, world):
    wrong = auth.login("w1", "not the password")
    unknown = auth.login("nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert b"Wrong username or password." in wrong.data
    token = re.compile(rb'"X-CSRFToken": "[^"]*"')  # signed with a timestamp: differs per second
    assert token.sub(b"", wrong.data.replace(b"w1", b"")) == token.sub(
        b"", unknown.data.replace(b"nobody", b""))


def test_disabled_account_cannot_log_in(app, auth, world):
    with app.app_context():
        db.session.get(User, world.users["w1"]).active = False
        db.session.commit()
    assert auth.login("w1").status_code == 401


def test_login_with_missing_fields_is_a_bad_request(client, world):
    response = client.post("/login", data={"username": "w1"})
    assert response.status_code == 400


def test_login_starts_a_fresh_session(client, auth, world):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login("w1")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{world.users['w1']}:")


def test_logout_ends_the_session_and_every_copy_of_the_cookie(client, auth, world):
    auth.login("w1")
    with client.session_transaction() as session:
        copied = dict(session)
    response = auth.logout()
    assert response.status_code == 303
    assert "cache" in response.headers["Clear-Site-Data"]
    assert client.get("/").status_code == 302
    with client.session_transaction() as session:
        session.update(copied)
    assert client.get("/").status_code == 302


def test_login_and_failures_are_audited(app, auth, world):
    auth.login("w1", "wrong")
    auth.login("w1")
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["login.failed", "login"]


def test_next_only_follows_local_paths(client, world):
    response = client.post(
        "/login?next=//evil.example/",
        data={"username": "w1", "password": "correct horse battery", "next": "//evil.example/"},
    )
    assert response.headers["Location"] == "/"


def test_session_cookie_is_httponly_and_samesite(client, auth, world):
    response = auth.login("w1")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.fixture
def csrf_client(database_url, engine_name, tmp_path, world):
    """A client of an app with CSRF protection on, sharing the `world` database."""
    app = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    return app.test_client()


def test_post_without_csrf_token_is_refused(csrf_client):
    response = csrf_client.post(
        "/login", data={"username": "w1", "password": "correct horse battery"}
    )
    assert response.status_code == 400


def test_htmx_post_without_csrf_header_is_refused(csrf_client):
    response = csrf_client.post("/logout", headers={"HX-Request": "true"})
    assert response.status_code in (302, 400)
    assert response.status_code == 400 or "/login" in response.headers["Location"]


def test_login_form_carries_a_token_that_is_accepted(csrf_client):
    page = csrf_client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = csrf_client.post(
        "/login", data={"username": "w1", "password": "correct horse battery", "csrf_token": token}
    )
    assert response.status_code == 303


def test_layout_sets_the_csrf_header_for_htmx(csrf_client):
    page = csrf_client.get("/login").get_data(as_text=True)
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
