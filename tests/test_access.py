"""Deny by default: every route needs a login and a declared role, records need ownership."""

import re

import pytest

from companion import access

# The service worker, manifest and favicon hold no record: a phone fetches them before sign-in.
PUBLIC_ENDPOINTS = {"auth.login", "auth.second_factor", "home.healthz", "members.accept", "static",
                    "offline.service_worker", "offline.manifest", "offline.favicon"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _url(rule) -> str:
    """The rule with each variable filled: an id of 1, or an `any(...)` converter's first choice."""
    def value(match):
        converter, choices = match.groups()
        return choices.split(",")[0].strip() if converter == "any" else "1"
    return re.sub(r"<(?:(\w+)(?:\(([^)]*)\))?:)?[^>]+>", value, rule.rule)


def test_every_view_declares_who_may_use_it(app):
    undeclared = [
        endpoint for endpoint in app.view_functions
        if access.declared_roles(app, endpoint) is None
    ]
    assert undeclared == []


def test_only_login_health_static_and_the_app_shell_are_public(app):
    public = {e for e in app.view_functions if access.declared_roles(app, e) is access.PUBLIC}
    assert public == PUBLIC_ENDPOINTS


def test_every_private_route_sends_an_anonymous_user_to_login(app, client):
    checked = 0
    for rule, method in _routes(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        response = client.open(_url(rule), method=method)
        assert response.status_code == 302, (rule.rule, method)
        assert response.headers["Location"].startswith("/login"), (rule.rule, method)
        checked += 1
    assert checked >= 5


def test_an_undeclared_view_is_refused_even_when_logged_in(app, auth, world, client):
    app.add_url_rule("/forgotten", "forgotten", lambda: "leak")
    auth.sign_in("w1")
    assert client.get("/forgotten").status_code == 403


def test_allow_rejects_unknown_roles():
    with pytest.raises(ValueError, match="superuser"):
        access.allow("superuser")


@pytest.mark.parametrize(
    ("username", "client_name", "status"),
    [
        ("w1", "shared", 200),
        ("w2", "shared", 200),
        ("w3", "shared", 404),
        ("lead", "shared", 200),
        ("lead", "w3_only", 200),
        ("w1", "other_team", 404),
        ("b1", "shared", 404),
        ("lead_b", "shared", 404),
        ("lead", "other_team", 404),
        ("admin", "shared", 403),
    ],
)
def test_client_page_is_shown_only_to_its_workers_and_team_lead(
    client, auth, world, username, client_name, status
):
    auth.sign_in(username)
    response = client.get(f"/clients/{world.clients[client_name]}")
    assert response.status_code == status


def test_unknown_client_id_is_404_not_500(client, auth, world):
    auth.sign_in("w1")
    assert client.get("/clients/999999").status_code == 404


@pytest.mark.parametrize("username", ["w1", "lead"])
def test_admin_pages_are_refused_to_other_roles(client, auth, world, username):
    auth.sign_in(username)
    assert client.get("/admin/").status_code == 403
    assert client.post("/admin/teams", data={"name": "Sneaky"}).status_code == 403

