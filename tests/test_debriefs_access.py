"""Who may see a comparison and a pair page, and blindness until one's own capture is saved."""

import pytest
from sqlalchemy import select

from companion.extensions import db
from companion.models import Debrief, Pair
from tests.support.records import SECRET_NOTE, SECRET_STEP, add_capture, secret_capture

HX = {"HX-Request": "true"}


@pytest.fixture
def both_in(app, world):
    with app.app_context():
        secret_capture(world, "w1")
        add_capture(world.meetings["shared"], world.users["w2"], marks=("relaxed",))
    return world.meetings["shared"]


@pytest.fixture
def pair_id(app, world):
    with app.app_context():
        return db.session.scalar(select(Pair.id))


@pytest.mark.parametrize(
    ("username", "status"),
    [("w1", 200), ("w2", 200), ("lead", 200), ("w3", 404), ("b1", 404), ("lead_b", 404),
     ("admin", 403)],
)
def test_the_comparison_is_for_the_pair_and_their_lead_only(
    client, auth, both_in, username, status
):
    auth.sign_in(username)
    response = client.get(f"/meetings/{both_in}/debrief")
    assert response.status_code == status
    if status != 200:
        assert SECRET_NOTE not in response.get_data(as_text=True)
        assert "Hostility" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("username", "status"),
    [("w1", 200), ("w2", 200), ("lead", 200), ("w3", 404), ("b1", 404), ("lead_b", 404),
     ("admin", 403)],
)
def test_the_pair_page_is_for_the_pair_and_their_lead_only(
    client, auth, world, pair_id, username, status
):
    auth.sign_in(username)
    assert client.get(f"/pairs/{pair_id}").status_code == status


@pytest.mark.parametrize(
    ("username", "status"),
    [("lead", 403), ("admin", 403), ("w3", 404), ("b1", 404), ("lead_b", 403)],
)
@pytest.mark.parametrize("action", ["next-step", "close"])
def test_only_the_two_workers_may_change_a_debrief(
    app, client, auth, both_in, username, status, action
):
    auth.sign_in(username)
    response = client.post(f"/meetings/{both_in}/debrief/{action}", data={"next_step": "x"})
    assert response.status_code == status
    with app.app_context():
        debrief = db.session.scalar(select(Debrief))
        assert debrief is None or (debrief.agreed_next_step, debrief.closed_at) == (None, None)


def test_an_unknown_pair_is_404(client, auth, world):
    auth.sign_in("w1")
    assert client.get("/pairs/999999").status_code == 404


def test_the_pairs_list_shows_a_worker_their_pair_and_a_lead_the_teams(client, auth, world):
    auth.sign_in("w3")
    assert "w1 &amp; w2" not in client.get("/pairs").get_data(as_text=True)
    auth.logout()
    for username in ("w1", "lead"):
        auth.sign_in(username)
        assert "w1 &amp; w2" in client.get("/pairs").get_data(as_text=True)
        auth.logout()
    auth.sign_in("lead_b")
    assert "w1 &amp; w2" not in client.get("/pairs").get_data(as_text=True)


# Blindness: w1 saved a capture full of secrets; w2 has not saved theirs.


@pytest.fixture
def only_partner_in(app, world):
    with app.app_context():
        secret_capture(world, "w1")
    return world.meetings["shared"]


def _leaks(response) -> list[str]:
    text = response.get_data(as_text=True)
    return [s for s in (SECRET_NOTE, SECRET_STEP, "Hostility", "Concrete plans") if s in text]


@pytest.mark.parametrize("headers", [{}, HX])
def test_the_comparison_url_says_capture_first_until_ones_own_capture_is_saved(
    client, auth, only_partner_in, headers
):
    auth.sign_in("w2")
    response = client.get(f"/meetings/{only_partner_in}/debrief", headers=headers)
    assert response.status_code == 200
    assert "Capture this meeting first" in response.get_data(as_text=True)
    assert _leaks(response) == []


@pytest.mark.parametrize("action", ["next-step", "close"])
def test_debrief_actions_are_404_until_ones_own_capture_is_saved(
    app, client, auth, only_partner_in, action
):
    auth.sign_in("w2")
    response = client.post(f"/meetings/{only_partner_in}/debrief/{action}",
                           data={"next_step": "peek"}, headers=HX)
    assert response.status_code == 404
    assert _leaks(response) == []
    with app.app_context():
        assert db.session.scalar(select(Debrief)) is None


def test_the_pair_page_shows_nothing_of_a_meeting_only_the_partner_captured(
    client, auth, only_partner_in, pair_id
):
    auth.sign_in("w2")
    response = client.get(f"/pairs/{pair_id}")
    assert response.status_code == 200
    assert _leaks(response) == []
    assert "No meeting that both of you captured yet." in response.get_data(as_text=True)


def test_the_home_page_says_the_debrief_waits_but_shows_nothing_of_the_capture(
    client, auth, only_partner_in
):
    auth.sign_in("w2")
    response = client.get("/")
    assert response.status_code == 200
    assert _leaks(response) == []


def test_the_blindness_lifts_once_ones_own_capture_is_saved(app, client, auth, only_partner_in,
                                                           world):
    with app.app_context():
        add_capture(only_partner_in, world.users["w2"])
    auth.sign_in("w2")
    response = client.get(f"/meetings/{only_partner_in}/debrief")
    assert response.status_code == 200
    assert "Hostility or fury" in response.get_data(as_text=True)
