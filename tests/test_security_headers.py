"""Headers on every response, request limits, and error pages that give nothing away."""

import pytest

from tests.support.routes import URL_VALUES, Visitor, _ids, _routes, _url

# The policy issue 6 asks for, word for word: nothing unsafe, no data: or other sources.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECRET_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _get_routes(app):
    return [rule for rule, method in _routes(app) if method == "GET"]


@pytest.mark.parametrize("username", ["anonymous", "w1", "lead", "admin"])
def test_every_get_route_sends_the_security_headers(app, world, username):
    ids = _ids(app, world)
    visitor = Visitor(app, username)
    checked = 0
    for rule in _get_routes(app):
        response = visitor.client.get(_url(rule, ids, 0))
        headers = response.headers
        if rule.endpoint == "static":  # served by WhiteNoise: a script or stylesheet, no page
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert "Server" not in headers and "Set-Cookie" not in headers
            checked += 1
            continue
        assert headers["Content-Security-Policy"] == CSP, rule.rule
        assert headers["Strict-Transport-Security"].startswith("max-age=63072000")
        for name, value in SECRET_HEADERS.items():
            assert headers[name] == value, (rule.rule, name)
        assert "Server" not in headers and headers["X-Request-Id"]
        if username != "anonymous" and rule.endpoint != "static":
            assert headers["Cache-Control"] == "no-store", rule.rule
        checked += 1
    assert checked >= 15 and set(URL_VALUES)


def test_the_layout_turns_the_htmx_history_cache_off(client, auth, world):
    auth.login("w1")
    page = client.get("/").get_data(as_text=True)
    assert '"historyCacheSize": 0' in page and '"allowEval": false' in page


def test_sign_out_clears_the_browser_cache_and_storage(client, auth, world):
    auth.login("w1")
    response = auth.logout()
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_a_request_larger_than_the_limit_is_refused_with_413(client, auth, world):
    auth.login("admin")
    response = client.post("/admin/teams", data={"name": "x" * 70_000})
    assert response.status_code == 413
    assert b"too much data" in response.data


def test_a_404_page_is_generic_and_carries_a_reference(client, auth, world):
    auth.login("w1")
    response = client.get("/clients/987654")
    text = response.get_data(as_text=True)
    assert response.status_code == 404 and response.headers["X-Request-Id"] in text


def test_an_unexpected_error_shows_no_traceback_path_or_version(app, client, auth, world):
    from companion import access

    @access.allow("worker")
    def explode():
        raise RuntimeError("secret internals at /srv/companion/views.py")

    app.add_url_rule("/explode", "explode", explode)
    auth.login("w1")
    response = client.get("/explode")
    text = response.get_data(as_text=True)
    assert response.status_code == 500 and response.headers["X-Request-Id"] in text
    for leak in ("Traceback", "secret internals", "/srv/", ".py", "Werkzeug", "Python/"):
        assert leak not in text
