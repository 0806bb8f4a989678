"""One local-path check for every redirect a request names: after sign-in and after unlocking."""

import pytest

from companion.urls import local_path
from tests.support.world import PIN

HOSTILE = [
    "//evil.example/x", "/\t/evil.example/x", "/\r\n/evil.example", "\t//evil.example",
    "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "/%09/evil.example",
]


@pytest.mark.parametrize("target", HOSTILE[:-1])
def test_local_path_refuses_anything_a_browser_would_read_as_another_site(target):
    assert local_path(target) is None


def test_local_path_keeps_a_path_with_its_query_and_drops_what_browsers_drop():
    assert local_path("/clients/3?part=end") == "/clients/3?part=end"
    assert local_path("/clients/\t3") == "/clients/3"


@pytest.mark.parametrize("target", [*HOSTILE, "/\r\nSet-Cookie: a=b"])
def test_sign_in_never_redirects_off_site_or_fails(client, world, target):
    response = client.post(f"/login?next={target}", data={
        "username": "w1", "password": "correct horse battery", "next": target})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "evil.example" not in location.split("?")[0].lstrip("/").split("/")[0]
    assert "\n" not in location and "\r" not in location and "\t" not in location


def _lock(client):
    with client.session_transaction() as session:
        session["seen"] = 0


@pytest.mark.parametrize("current_url", [
    "http://localhost//evil.example/x", "http://localhost/\t/evil.example/x",
    "//evil.example/x", "https://evil.example/x",
])
def test_the_unlock_screen_never_returns_to_another_site(client, auth, world, current_url):
    auth.login("w1")
    _lock(client)
    locked = client.get("/lock/check", headers={"HX-Request": "true",
                                                "HX-Current-URL": current_url})
    assert locked.headers["HX-Redirect"] == "/unlock"
    back = client.post("/unlock", data={"pin": PIN})
    assert back.status_code == 303 and back.headers["Location"] == "/"


def test_a_locked_get_of_a_double_slash_path_returns_home_after_unlocking(client, auth, world):
    auth.login("w1")
    _lock(client)
    client.get("//evil.example/x")
    assert client.post("/unlock", data={"pin": PIN}).headers["Location"] == "/"
