"""CSRF refusals launder nothing: only this session's own, merely expired, token brings a form
back; a cookie-less cross-site POST gets no session; over HTTPS the Referer must be this site."""

import re

import pytest
from sqlalchemy import select

from companion.extensions import db
from companion.models import Client
from tests.support.apps import make_app
from tests.support.csrf import expired_own_token
from tests.support.world import PASSWORD


@pytest.fixture
def csrf_app(database_url, tmp_path, world):
    return make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _signed_in(app, username="w1"):
    client = app.test_client()
    token = _token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert client.get("/").status_code == 200
    return client


def _phase(app, world) -> str:
    with app.app_context():
        return db.session.scalar(select(Client.phase).where(Client.id == world.clients["shared"]))


PLANTED = {"phase": "crisis", "note": "planted by another page"}


@pytest.mark.parametrize("token", ["", "IjBhZDEx.forged.token"])
def test_a_post_without_this_sessions_token_gets_no_form_and_no_token(csrf_app, world, token):
    victim = _signed_in(csrf_app)
    url = f"/clients/{world.clients['shared']}/phase"
    response = victim.post(url, data={**PLANTED, "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "could not be sent" in page
    assert "Save again" not in page and "planted by another page" not in page
    assert f'action="{url}"' not in page and 'value="crisis"' not in page
    assert _phase(csrf_app, world) == "first_meetings"


def test_a_valid_token_of_another_session_is_not_laundered(csrf_app, world):
    attacker = csrf_app.test_client()
    attackers_token = _token(attacker.get("/login").get_data(as_text=True))
    victim = _signed_in(csrf_app)
    url = f"/clients/{world.clients['shared']}/phase"
    response = victim.post(url, data={**PLANTED, "csrf_token": attackers_token},
                           headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Save again" not in page and "crisis" not in page


def test_this_sessions_own_expired_token_brings_the_form_back(csrf_app, world):
    client = _signed_in(csrf_app)
    url = f"/clients/{world.clients['shared']}/phase"
    response = client.post(url, data={"phase": "change_work",
                                      "csrf_token": expired_own_token(client)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Save again" in page and 'value="change_work"' in page


@pytest.mark.parametrize("path", ["/login", "/logout", "/admin/teams", "/clients/1/phase"])
def test_a_cookie_less_cross_site_post_is_given_no_session_cookie(csrf_app, world, path):
    stranger = csrf_app.test_client()
    response = stranger.post(path, data={"username": "w1", "password": "x", "name": "T"},
                             headers={"Origin": "https://evil.example"})
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers
    assert "csrf_token" not in response.get_data(as_text=True)


@pytest.fixture
def https_app(database_url, tmp_path, world):
    return make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True, ENV={
        "SECRET_KEY": "k" * 40, "DATABASE_URL": database_url, "COMPANION_REQUIRE_TOTP": "0"})


def test_over_https_a_post_must_name_this_site_as_its_referer(https_app):
    assert https_app.config["WTF_CSRF_SSL_STRICT"] is True
    client = https_app.test_client()
    base = "https://localhost"
    token = _token(client.get("/login", base_url=base).get_data(as_text=True))
    data = {"username": "w1", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data, base_url=base).status_code == 400
    foreign = client.post("/login", data=data, base_url=base,
                          headers={"Referer": "https://evil.example/login"})
    assert foreign.status_code == 400
    ours = client.post("/login", data=data, base_url=base,
                       headers={"Referer": "https://localhost/login"})
    assert ours.status_code == 303
