"""Blind pairing hides what the partner recorded about the meeting itself (issue 11, finding 5):
attendance, start time and length stay hidden from a paired worker who has not captured the
meeting yet, on the timeline, the prefilled form and the home page."""

import re
from datetime import timedelta

from sqlalchemy import select

from companion.extensions import db
from companion.models import Meeting
from tests.support import team_today
from tests.support.sections import everything_shown

KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
DAY = team_today() - timedelta(days=2)


def _partner_records_a_meeting(app, client, auth, world):
    """w1 captures a meeting with w2 named: cut short, 07:35, 37 minutes."""
    auth.sign_in("w1")
    url = f"/clients/{world.clients['shared']}/capture"
    key = KEY.search(client.get(url).get_data(as_text=True)).group(1)
    saved = client.post(url, data={
        "idempotency_key": key, "client_id": str(world.clients["shared"]),
        "attendance": "cut_short", "held_on": DAY.isoformat(), "starts_at": "07:35",
        "length_minutes": "37", "co_worker_id": str(world.users["w2"])})
    assert saved.status_code == 303
    with app.app_context():
        return db.session.scalar(select(Meeting.id).where(Meeting.held_on == DAY,
                                                          Meeting.starts_at.is_not(None))
                                 .order_by(Meeting.id.desc()))


def _leaks(text, form=False):
    shown = ("07:35", "37 min", 'value="37"', "cut short", 'value="cut_short" checked')
    # the form offers "Cut short" as a choice; what counts there is which one is checked
    return [s for s in shown + (() if form else ("Cut short",)) if s in text]


def test_the_partners_meeting_facts_stay_hidden_until_ones_own_capture(app, client, auth, world):
    meeting = _partner_records_a_meeting(app, client, auth, world)
    auth.sign_in("w2")
    home = client.get("/").get_data(as_text=True)
    assert f"/meetings/{meeting}/capture" in home and _leaks(home) == []
    assert _leaks(everything_shown(client, world.clients["shared"])) == []
    form = client.get(f"/meetings/{meeting}/capture").get_data(as_text=True)
    assert _leaks(form, form=True) == [] and f'value="{DAY.isoformat()}"' in form
    assert re.search(r'name="attendance" value="held" checked', form)
    assert 'name="starts_at" value=""' in form  # not the partner's 07:35


def test_a_worker_sees_their_own_meeting_facts(app, client, auth, world):
    _partner_records_a_meeting(app, client, auth, world)
    page = client.get(f"/clients/{world.clients['shared']}/meetings").get_data(as_text=True)
    assert "Cut short · 37 min" in page  # on the timeline


def test_a_solo_meeting_does_not_mention_a_partners_hidden_capture(app, client, auth, world):
    from tests.support.records import add_meeting

    with app.app_context():
        solo = add_meeting(world.clients["shared"], [world.users["w1"]])
    auth.sign_in("w1")
    form = client.get(f"/meetings/{solo}/capture").get_data(as_text=True)
    assert "The meeting of" in form and "partner's capture stays hidden" not in form
