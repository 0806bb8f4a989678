"""Home by role, health check, headers and error pages."""

from datetime import timedelta

import pytest

from companion.models import utcnow
from tests.support.apps import make_app
from tests.support.records import add_capture, add_home_captures
from tests.support.statements import statements_for_home


def test_worker_home_lists_only_their_clients(client, auth, world):
    auth.sign_in("w3")
    page = client.get("/").get_data(as_text=True)
    assert "A-2" in page and "A-1" not in page and "B-1" not in page


def test_lead_home_lists_team_clients_and_workers(client, auth, world):
    auth.sign_in("lead")
    page = client.get("/").get_data(as_text=True)
    page = page[page.index('<main'):]  # not the static files' content hashes
    assert "A-1" in page and "A-2" in page and "B-1" not in page
    assert ">w1<" in page and ">w3<" in page and ">b1<" not in page  # not in hashed names


def test_admin_home_lists_accounts_but_no_clients(client, auth, world):
    auth.sign_in("admin")
    page = client.get("/").get_data(as_text=True)
    assert "lead_b" in page and "A-1" not in page


def test_healthz_answers_ok_with_the_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.data == b"ok"


def test_healthz_answers_503_when_the_database_is_down(tmp_path):
    app = make_app("postgresql+psycopg://nobody@127.0.0.1:9/none", tmp_path)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503


def test_pages_send_security_headers_and_no_store(client, auth, world):
    auth.sign_in("w1")
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_not_found_page_has_a_reference_and_no_details(client, auth, world):
    auth.sign_in("w1")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["X-Request-Id"] in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_unexpected_error_is_a_generic_500_with_a_reference(app, client, auth, world):
    from companion import access

    def broken():
        raise RuntimeError("secret internal detail /etc/path")

    app.add_url_rule("/broken", "broken", access.allow("worker")(broken))
    auth.sign_in("w1")
    response = client.get("/broken")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internal detail" not in page and response.headers["X-Request-Id"] in page


def test_worker_home_shows_meetings_not_yet_captured_with_one_tap_to_capture(
    client, auth, world
):
    auth.sign_in("w1")
    page = client.get("/").get_data(as_text=True)
    assert "Not yet captured" in page
    assert f'href="/meetings/{world.meetings["shared"]}/capture"' in page
    assert f'href="/clients/{world.clients["shared"]}/capture"' in page
    assert page.index("Not yet captured") < page.index('id="client-list"')


def test_lead_home_has_no_capture_buttons(client, auth, world):
    auth.sign_in("lead")
    page = client.get("/").get_data(as_text=True)
    assert "/capture" not in page and "Not yet captured" not in page


@pytest.mark.parametrize("username", ["w1", "w2"])
def test_home_runs_as_many_statements_with_500_captures_as_with_5(
    app, client, auth, world, username
):
    add_home_captures(app, world, 0, 5)
    auth.sign_in(username)
    few = statements_for_home(app, client)
    add_home_captures(app, world, 5, 500)
    many = statements_for_home(app, client)
    assert few == many
    # user, session checks, shared meetings (4), uncaptured, clients; then the audited listing:
    # the chain's tail and the entry (issue 11, finding 9)
    assert few <= 12


def test_home_says_a_debrief_is_waiting_and_links_to_capture_then_to_compare(
    app, client, auth, world
):
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w1"],
                    recorded_at=utcnow() - timedelta(hours=30))
    auth.sign_in("w2")
    page = client.get("/").get_data(as_text=True)
    waiting = page.split('id="debriefs-waiting"')[1].split("</section>")[0]
    assert f'/meetings/{world.meetings["shared"]}/capture' in waiting
    assert "w1 has captured it" in waiting and "Reminder" in waiting
    uncaptured = page.split('id="debriefs-waiting"')[1].split("</section>", 1)[1]
    assert f'/meetings/{world.meetings["shared"]}/capture' not in uncaptured  # listed once
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w2"])
    page = client.get("/").get_data(as_text=True)
    assert 'id="debriefs-waiting"' not in page
    assert f'/meetings/{world.meetings["shared"]}/debrief' in page


def test_home_tells_the_first_worker_when_the_partner_is_late_without_content(
    app, client, auth, world
):
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w1"], marks=["relaxed"],
                    recorded_at=utcnow() - timedelta(hours=30))
    auth.sign_in("w1")
    page = client.get("/").get_data(as_text=True)
    assert 'id="debriefs-partner-late"' in page and "w2 has not captured it yet" in page
    auth.sign_in("w2")
    page = client.get("/").get_data(as_text=True)
    assert "Relaxed" not in page  # home shows who and when, never what


def test_pair_pages_are_linked_from_worker_and_lead_homes(app, client, auth, world):
    for username in ("w1", "lead"):
        auth.sign_in(username)
        page = client.get("/").get_data(as_text=True)
        assert "/pairs/" in page, username
    auth.sign_in("w3")
    assert "/pairs/" not in client.get("/").get_data(as_text=True)
