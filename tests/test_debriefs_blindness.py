"""Blind until both are in: every route of the app, tried directly by the worker who has not
saved their capture, must show nothing of the partner's capture of the shared meeting.

The sweep reads the app's URL map, so a route added later is tried too. Each route argument is
filled with the id that points at the partner's data (their capture, the shared meeting, its
client, the pair), as a page and as an htmx fragment.
"""

import pytest
from sqlalchemy import select

from companion.extensions import db
from companion.models import Capture, Debrief, Pair
from tests.support.records import SECRET_LENGTH, SECRET_NOTE, SECRET_STEP, secret_capture

HX = {"HX-Request": "true"}
SKIPPED_ENDPOINTS = {"static", "auth.login", "auth.logout"}
SECRETS = (SECRET_NOTE, SECRET_STEP, f"{SECRET_LENGTH} min")


@pytest.fixture
def partner_saved(app, world):
    """w1 saved a capture of the shared meeting full of secrets; w2 has not saved theirs."""
    with app.app_context():
        capture_id = secret_capture(world, "w1")
        pair_id = db.session.scalar(select(Pair.id))
        snapshot = _snapshot(capture_id)
    return {
        "client_id": world.clients["shared"],
        "meeting_id": world.meetings["shared"],
        "capture_id": capture_id,
        "debrief_id": 1,
        "pair_id": pair_id,
        "team_id": world.team,
        "snapshot": snapshot,
    }


def _snapshot(capture_id):
    capture = db.session.get(Capture, capture_id)
    return (capture.marks, capture.note, capture.next_step, capture.rating_goals,
            capture.attendance, capture.length_minutes, capture.updated_at)


def _url(rule, ids) -> str:
    values = {}
    for name in rule.arguments:
        if name in ids:
            values[name] = ids[name]
        elif name == "month":
            values[name] = "2025-01"
        elif rule._converters[name].__class__.__name__ == "IntegerConverter":
            values[name] = 1
        elif rule._converters[name].__class__.__name__ == "AnyConverter":
            values[name] = sorted(rule._converters[name].items)[0]  # e.g. a client page section
        else:
            values[name] = "beginning"
    return rule.build(values)[1]


def _routes(app, method):
    return [
        rule for rule in app.url_map.iter_rules()
        if method in rule.methods and rule.endpoint not in SKIPPED_ENDPOINTS
    ]


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_no_page_or_fragment_shows_the_partners_capture_before_ones_own_is_saved(
    app, client, auth, partner_saved, headers
):
    auth.sign_in("w2")
    tried, leaks = [], []
    for rule in _routes(app, "GET"):
        url = _url(rule, partner_saved)
        response = client.get(url, headers=headers)
        tried.append(url)
        text = response.get_data().decode("utf-8", "replace")  # the favicon is bytes
        if response.status_code >= 500 or _leaks(text):
            leaks.append((url, response.status_code))
    assert leaks == []
    assert f"/meetings/{partner_saved['meeting_id']}/debrief" in tried
    assert f"/clients/{partner_saved['client_id']}" in tried


def test_no_action_reveals_or_changes_the_partners_capture_before_ones_own_is_saved(
    app, client, auth, partner_saved
):
    auth.sign_in("w2")
    leaks = []
    for rule in _routes(app, "POST"):
        url = _url(rule, partner_saved)
        response = client.post(url, data={}, headers=HX)
        text = response.get_data().decode("utf-8", "replace")  # the favicon is bytes
        if response.status_code >= 500 or _leaks(text):
            leaks.append((url, response.status_code))
    assert leaks == []
    with app.app_context():
        assert _snapshot(partner_saved["capture_id"]) == partner_saved["snapshot"]
        assert db.session.scalar(select(Debrief)) is None


def test_the_sweep_itself_finds_the_secrets_once_both_are_in(app, client, auth, partner_saved,
                                                             world):
    """A control: after w2 saves, the comparison shows the partner's length, so the sweep's
    detector works (the note stays private to its author even then)."""
    from tests.support.records import add_capture

    with app.app_context():
        add_capture(partner_saved["meeting_id"], world.users["w2"])
    auth.sign_in("w2")
    page = client.get(f"/meetings/{partner_saved['meeting_id']}/debrief").get_data(as_text=True)
    assert f"w1: {SECRET_LENGTH} min" in page
