"""Notes a worker can read again (issue 12, defect 1): own notes on the timeline and the
comparison, the partner's once both saved, read-only past the edit window; a lead sees only
that a note exists."""

from datetime import timedelta

import pytest

from companion.models import utcnow
from tests.support.records import add_capture, add_meeting

MINE = "Opened up about his brother, asked about the course"
THEIRS = "Quiet at first, warmer after the coffee"


@pytest.fixture
def shared(app, world):
    """w1 captured the shared meeting with a note; w2 has not captured it yet."""
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w1"], note=MINE,
                    next_step="Ask about the course form")
    return world.meetings["shared"]


def _client_page(client, world):
    """The client page with its timeline open (the notes show there and in "Last note")."""
    return client.get(f"/clients/{world.clients['shared']}/meetings").get_data(as_text=True)


def test_a_worker_reads_their_own_note_on_the_timeline(client, auth, world, shared):
    auth.sign_in("w1")
    assert MINE in _client_page(client, world)


def test_the_partners_note_shows_only_once_both_captures_are_saved(app, client, auth, world,
                                                                   shared):
    auth.sign_in("w2")
    assert MINE not in _client_page(client, world)
    with app.app_context():
        add_capture(shared, world.users["w2"], note=THEIRS, next_step="Bring the leaflet")
    page = _client_page(client, world)
    assert MINE in page and THEIRS in page
    comparison = client.get(f"/meetings/{shared}/debrief").get_data(as_text=True)
    assert MINE in comparison and THEIRS in comparison


def test_the_lead_sees_that_a_note_exists_not_its_text(client, auth, world, shared):
    auth.sign_in("lead")
    page = _client_page(client, world)
    assert MINE not in page and "A note was written" in page


def test_an_old_capture_opens_read_only_with_its_note_from_the_timeline(app, client, auth,
                                                                         world):
    with app.app_context():
        meeting = add_meeting(world.clients["shared"], [world.users["w1"]])
        capture = add_capture(meeting, world.users["w1"], note=MINE,
                              recorded_at=utcnow() - timedelta(days=5))
    auth.sign_in("w1")
    page = _client_page(client, world)
    assert f'href="/captures/{capture}/edit">Open your capture' in page
    opened = client.get(f"/captures/{capture}/edit").get_data(as_text=True)
    assert "now read-only" in opened and MINE in opened and 'name="note"' not in opened


def test_both_proposals_show_on_the_comparison_and_use_this_prefills_the_agreed_step(
    app, client, auth, world, shared
):
    with app.app_context():
        add_capture(shared, world.users["w2"], next_step="Bring the leaflet")
    auth.sign_in("w2")
    page = client.get(f"/meetings/{shared}/debrief").get_data(as_text=True)
    assert "Ask about the course form" in page and "Bring the leaflet" in page
    assert page.count(">Use this<") == 2
    chosen = client.get(f"/meetings/{shared}/debrief?use=1").get_data(as_text=True)
    assert 'value="Ask about the course form"' in chosen  # w2 first: index 1 is w1's proposal
