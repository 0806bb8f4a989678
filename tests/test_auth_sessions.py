"""Sessions the server can end, a fresh session at sign-in, 12 hours at most, the idle lock."""

import re

import pytest
from sqlalchemy import select

from companion.extensions import db
from companion.models import AuditEntry, User
from tests.support.apps import make_app
from tests.support.csrf import expired_own_token
from tests.support.world import PASSWORD, PIN


def _copy(client):
    with client.session_transaction() as session:
        return dict(session)


def _replay(client, copied):
    with client.session_transaction() as session:
        session.clear()
        session.update(copied)


def _shift(client, **seconds):
    """Move session times into the past, as if that much time had gone by."""
    with client.session_transaction() as session:
        for key, delta in seconds.items():
            session[key] = session[key] - delta


def test_password_change_ends_every_other_copy_of_the_session(client, auth, world):
    auth.login("w1")
    copied = _copy(client)
    client.post("/account/password", data={"password": PASSWORD,
                                           "new_password": "a fresh river stone",
                                           "confirm": "a fresh river stone"})
    assert client.get("/").status_code == 200
    _replay(client, copied)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("action", ["deactivate", "end-sessions"])
def test_admin_can_end_every_session_of_an_account(app, client, auth, world, action):
    auth.login("w1")
    copied = _copy(client)
    admin = app.test_client()
    admin.post("/login", data={"username": "admin", "password": PASSWORD})
    assert admin.post(f"/admin/users/{world.users['w1']}/{action}").status_code == 303
    _replay(client, copied)
    assert client.get("/").status_code == 302
    assert (auth.login("w1").status_code == 401) is (action == "deactivate")


def test_admin_cannot_disable_their_own_account(app, client, auth, world):
    auth.login("admin")
    client.post(f"/admin/users/{world.users['admin']}/deactivate")
    assert client.get("/admin/").status_code == 200


def test_a_deactivated_account_can_be_reactivated(app, client, auth, world):
    auth.login("admin")
    assert client.post(f"/admin/users/{world.users['w1']}/deactivate").status_code == 303
    with app.app_context():
        assert not db.session.get(User, world.users["w1"]).active
    assert client.post(f"/admin/users/{world.users['w1']}/reactivate").status_code == 303
    with app.app_context():
        assert db.session.get(User, world.users["w1"]).active


def test_a_session_ends_after_twelve_hours_even_when_active(client, auth, world):
    auth.login("w1")
    _shift(client, login_at=12 * 3600 + 1, seen=0)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_remember_me_is_off(client, auth, world):
    response = auth.login("w1")
    assert "remember_token" not in response.headers.get("Set-Cookie", "")


def test_a_change_of_client_address_keeps_the_session(app, client, world):
    # Flask-Login's "strong" mode would end the session here, except on permanent sessions
    # (ours), where it silently does nothing: so the setting itself is checked too.
    assert app.login_manager.session_protection is None
    client.post("/login", data={"username": "w1", "password": PASSWORD},
                environ_base={"REMOTE_ADDR": "10.0.0.1"})
    for address in ("10.77.0.9", "192.0.2.44"):  # the phone moves from wifi to mobile data
        assert client.get("/", environ_base={"REMOTE_ADDR": address}).status_code == 200
        response = client.post("/account/pin", data={"password": PASSWORD, "pin": "583920",
                                                      "confirm": "583920"},
                               environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 303, response.status_code


def test_production_cookie_is_host_prefixed_secure_httponly_and_lax(database_url, tmp_path, world):
    app = make_app(database_url, tmp_path, SECURE_COOKIES=True, SESSION_COOKIE_SECURE=True,
                   SESSION_COOKIE_NAME="__Host-session")
    client = app.test_client()
    response = client.post("/login", data={"username": "w1", "password": PASSWORD},
                           base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert "Domain=" not in cookie


def test_secure_cookies_setting_selects_the_host_prefix(database_url, tmp_path):
    app = make_app(database_url, tmp_path, ENV={"SECRET_KEY": "k" * 40, "DATABASE_URL": "sqlite://",
                                                "COMPANION_SECURE_COOKIES": "1"})
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["SESSION_COOKIE_SECURE"] is True


# The idle lock


def _lock(client):
    _shift(client, seen=15 * 60 + 1)


def test_an_idle_session_locks_and_every_page_shows_only_the_unlock_screen(client, auth, world):
    auth.login("w1")
    client_page = f"/clients/{world.clients['shared']}"
    assert b"A-1" in client.get(client_page).data
    _lock(client)
    response = client.get(client_page)
    assert response.status_code == 303 and response.headers["Location"] == "/unlock"
    unlock = client.get("/unlock")
    assert unlock.status_code == 200 and b"PIN" in unlock.data and b"A-1" not in unlock.data
    assert b"lock-poll" not in unlock.data
    htmx = client.get("/", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"] == "/unlock" and b"A-1" not in htmx.data
    back = client.post("/unlock", data={"pin": PIN})
    assert back.status_code == 303 and back.headers["Location"] == client_page
    assert client.get(client_page).status_code == 200


def test_a_post_while_locked_returns_to_its_form_after_unlocking(client, auth, world):
    auth.login("w1")
    _lock(client)
    form_page = f"http://localhost/clients/{world.clients['shared']}?part=end"
    response = client.post("/account/pin", data={"pin": "1"}, headers={"Referer": form_page})
    assert response.headers["Location"] == "/unlock"
    back = client.post("/unlock", data={"pin": PIN})
    assert back.headers["Location"] == f"/clients/{world.clients['shared']}?part=end"


def test_the_lock_poll_locks_an_idle_page_without_counting_as_activity(client, auth, world):
    auth.login("w1")
    assert client.get("/lock/check", headers={"HX-Request": "true"}).status_code == 204
    _shift(client, seen=14 * 60)
    client.get("/lock/check", headers={"HX-Request": "true"})
    _shift(client, seen=61)
    polled = client.get("/lock/check", headers={
        "HX-Request": "true", "HX-Current-URL": "http://localhost/account/"})
    assert polled.headers["HX-Redirect"] == "/unlock"
    assert client.post("/unlock", data={"pin": PIN}).headers["Location"] == "/account/"


def test_five_wrong_pins_end_the_session_even_when_the_cookie_is_replayed(
    app, client, auth, world
):
    auth.login("w1")
    _lock(client)
    client.get("/")
    copied = _copy(client)
    for _attempt in range(4):
        response = client.post("/unlock", data={"pin": "000001"})
        assert response.status_code == 401 and b"tries left" in response.data
        _replay(client, copied)  # a copied cookie does not reset the count
    final = client.post("/unlock", data={"pin": "000001"})
    assert final.status_code == 303 and final.headers["Location"] == "/login"
    _replay(client, copied)
    assert client.get("/unlock").status_code == 302
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "session.ended" in actions


def test_the_twelve_hour_limit_applies_while_locked(client, auth, world):
    auth.login("w1")
    _lock(client)
    _shift(client, login_at=12 * 3600 + 1)
    assert client.post("/unlock", data={"pin": PIN}).status_code == 302


def test_an_account_without_a_pin_must_set_one_first(app, client, auth, world):
    with app.app_context():
        db.session.get(User, world.users["w1"]).pin_hash = None
        db.session.commit()
    auth.login("w1")
    assert client.get("/").headers["Location"] == "/account/pin"
    client.post("/account/pin", data={"password": PASSWORD, "pin": "582039", "confirm": "582039"})
    assert client.get("/").status_code == 200


# CSRF across sign-in


@pytest.fixture
def csrf_app(database_url, tmp_path, world):
    return make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)


def _token(page) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_csrf_token_from_before_sign_in_is_refused_after_it(csrf_app):
    client = csrf_app.test_client()
    before = _token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "w1", "password": PASSWORD, "csrf_token": before})
    assert client.get("/").status_code == 200
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    assert client.get("/").status_code == 200


def test_an_expired_form_comes_back_with_its_values_and_a_fresh_token(csrf_app):
    client = csrf_app.test_client()
    token = _token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    stale = expired_own_token(client)
    response = client.post("/admin/teams", data={"name": "Team <C>", "csrf_token": stale})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "please press save again" in page
    assert 'value="Team &lt;C&gt;"' in page
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    again = client.post("/admin/teams", data={"name": "Team <C>", "csrf_token": fresh})
    assert again.status_code == 303
