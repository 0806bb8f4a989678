"""A worker acknowledges a meeting's warning signs on the card: they are no longer live there,
in the capture form's question or for the crisis rule (issue 12, defect 3: a warning stays
until a worker acts on it, or a later capture says it is gone)."""

from datetime import timedelta

from sqlalchemy import func, select

from companion.extensions import db
from companion.models import AuditEntry, WarningAcknowledgement
from tests.support import team_today
from tests.support.records import add_capture, add_meeting


def _warned(app, world, author="w1", workers=("w1",)):
    with app.app_context():
        meeting = add_meeting(world.clients["shared"], [world.users[w] for w in workers],
                              held_on=team_today() - timedelta(days=2))
        add_capture(meeting, world.users[author], marks=("hostility",))
        return meeting


def _card(client, world):
    return client.get(f"/clients/{world.clients['shared']}").get_data(as_text=True)


def test_acknowledging_takes_the_sign_off_the_card_and_out_of_the_capture_question(
    app, client, sign_in, world
):
    meeting = _warned(app, world)
    sign_in("w1")
    card = _card(client, world)
    assert "Hostility or fury (meeting on" in card and "Crisis card suggested" in card
    assert f'action="/meetings/{meeting}/warnings/acknowledge"' in card
    response = client.post(f"/meetings/{meeting}/warnings/acknowledge")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/clients/{world.clients['shared']}"
    card = _card(client, world)
    assert "Hostility or fury (meeting on" not in card and "Crisis card suggested" not in card
    form = client.get(f"/clients/{world.clients['shared']}/capture").get_data(as_text=True)
    assert "Warning signs still open" not in form
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "warnings.acknowledged")) == 1


def test_a_double_tap_stores_one_acknowledgement(app, client, sign_in, world):
    meeting = _warned(app, world)
    sign_in("w1")
    for _ in range(2):
        assert client.post(f"/meetings/{meeting}/warnings/acknowledge").status_code == 303
    with app.app_context():
        assert db.session.scalar(
            select(func.count()).select_from(WarningAcknowledgement)) == 1


def test_a_partner_cannot_acknowledge_signs_they_have_not_seen(app, client, sign_in, world):
    """Blind until their own capture: w2 took part but has not captured the meeting."""
    meeting = _warned(app, world, workers=("w1", "w2"))
    sign_in("w2")
    assert client.post(f"/meetings/{meeting}/warnings/acknowledge").status_code == 404
    with app.app_context():
        assert db.session.scalar(
            select(func.count()).select_from(WarningAcknowledgement)) == 0
