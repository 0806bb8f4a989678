"""Issue 12 defect 8: a debrief ends in a decision. "Compare now" after the second capture, an
agreed step takes the meeting off "Ready to compare", "Capture this meeting first" before one's
own capture (still blind), and a cancelled meeting has no empty comparison."""

import html

import pytest
from sqlalchemy import select

from companion.debriefs import home
from companion.extensions import db
from companion.models import Debrief, Meeting, User
from tests.support.forms import capture_form, form_key
from tests.support.records import (
    SECRET_LENGTH,
    SECRET_NOTE,
    SECRET_STEP,
    add_capture,
    secret_capture,
)

HX = {"HX-Request": "true"}


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _compare_entries(world, username) -> list[int]:
    user = db.session.get(User, world.users[username])
    return [item.meeting.id for item in home.home_debriefs(user).compare]


def test_a_compared_debrief_with_an_agreed_step_leaves_ready_to_compare(app, client, auth, world):
    meeting = world.meetings["shared"]
    with app.app_context():
        add_capture(meeting, world.users["w1"], next_step="Ask about the course")
        add_capture(meeting, world.users["w2"], next_step="Bring the brochure")
    auth.sign_in("w1")
    assert "Ready to compare" in _text(client.get("/"))
    client.get(f"/meetings/{meeting}/debrief")  # compared: the debrief is open now
    assert "Ready to compare" in _text(client.get("/")), "opening alone is no decision"
    client.post(f"/meetings/{meeting}/debrief/next-step", data={"next_step": "Bring the brochure"})
    assert "Ready to compare" not in _text(client.get("/"))
    with app.app_context():
        assert _compare_entries(world, "w1") == _compare_entries(world, "w2") == []
        debrief = db.session.scalar(select(Debrief).where(Debrief.meeting_id == meeting))
        assert debrief.agreed_next_step == "Bring the brochure" and debrief.closed_at is None
    page = _text(client.get(f"/meetings/{meeting}/debrief"))
    assert "Change the next step" in page  # still open: either worker may reword it


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_opening_the_comparison_before_ones_own_capture_says_capture_this_meeting_first(
    app, client, auth, world, headers
):
    with app.app_context():
        secret_capture(world, "w1")
    auth.sign_in("w2")
    meeting = world.meetings["shared"]
    response = client.get(f"/meetings/{meeting}/debrief", headers=headers)
    page = _text(response)
    assert response.status_code == 200
    assert "Capture this meeting first" in page
    assert f'href="/meetings/{meeting}/capture"' in page
    for secret in (SECRET_NOTE, SECRET_STEP, f"{SECRET_LENGTH} min", "Hostility", "Cut short",
                   "Concrete plans"):
        assert secret not in page
    assert "Use this" not in page and "Both saw" not in page
    with app.app_context():
        assert db.session.scalar(select(Debrief)) is None  # nothing was opened


def _form_for_meeting(client, world, url, author, partner):
    page_key = form_key(client, url)
    with client.application.app_context():
        held_on = db.session.get(Meeting, world.meetings["shared"]).held_on
    return capture_form(world, page_key, meeting_id=str(world.meetings["shared"]),
                        held_on=held_on.isoformat(), co_worker_id=str(world.users[partner]))


def test_saving_the_second_capture_of_a_shared_meeting_offers_compare_now(
    app, client, auth, world
):
    meeting = world.meetings["shared"]
    with app.app_context():
        add_capture(meeting, world.users["w1"])
    auth.sign_in("w2")
    url = f"/meetings/{meeting}/capture"
    response = client.post(url, data=_form_for_meeting(client, world, url, "w2", "w1"), headers=HX)
    fragment = _text(response)
    assert response.status_code == 200 and "Capture saved." in fragment
    assert f'href="/meetings/{meeting}/debrief"' in fragment and "Compare now" in fragment


def test_saving_the_first_capture_of_a_shared_meeting_offers_no_comparison(
    app, client, auth, world
):
    auth.sign_in("w1")
    url = f"/meetings/{world.meetings['shared']}/capture"
    response = client.post(url, data=_form_for_meeting(client, world, url, "w1", "w2"), headers=HX)
    assert response.status_code == 200
    assert "Compare now" not in _text(response)


def test_a_meeting_both_recorded_as_cancelled_has_no_empty_comparison(app, client, auth, world):
    meeting = world.meetings["shared"]
    with app.app_context():
        add_capture(meeting, world.users["w1"], attendance="cancelled", length=0,
                    goals=None, tasks=None, bond=None)
        add_capture(meeting, world.users["w2"], attendance="cancelled", length=0,
                    goals=None, tasks=None, bond=None)
        assert _compare_entries(world, "w1") == []
    auth.sign_in("w1")
    assert "Ready to compare" not in _text(client.get("/"))
    timeline = _text(client.get(f"/clients/{world.clients['shared']}/meetings"))
    assert f'href="/meetings/{meeting}/debrief"' not in timeline
    page = _text(client.get(f"/meetings/{meeting}/debrief"))
    assert "cancelled: there is nothing to compare" in page
    assert "Both saw" not in page and "Agreed next step" not in page
    with app.app_context():
        assert db.session.scalar(select(Debrief)) is None


def test_a_meeting_only_one_recorded_as_cancelled_is_still_compared(app, client, auth, world):
    meeting = world.meetings["shared"]
    with app.app_context():
        add_capture(meeting, world.users["w1"], attendance="cancelled", length=0)
        add_capture(meeting, world.users["w2"])
        assert _compare_entries(world, "w1") == [meeting]
    auth.sign_in("w1")
    assert "Attendance differs" in _text(client.get(f"/meetings/{meeting}/debrief"))
