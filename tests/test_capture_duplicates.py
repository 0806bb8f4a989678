"""A meeting recorded twice: warned before saving, and never counted twice (issue 12, defect 2)."""

import re
from datetime import date, time, timedelta

from sqlalchemy import func, select

from companion.capture import queries
from companion.extensions import db
from companion.models import Capture
from companion.reports.data import CaptureRow, MeetingRow
from companion.reports.duplicates import one_per_slot
from companion.suggestions import Observation, merge_meetings, suggest
from tests.support import team_today
from tests.support.forms import capture_form

KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
DAY = team_today() - timedelta(days=3)



def _post(client, world, **changes):
    url = f"/clients/{world.clients['shared']}/capture"
    key = KEY.search(client.get(url).get_data(as_text=True)).group(1)
    data = capture_form(world, key, held_on=DAY.isoformat(), starts_at="07:45",
                        readiness=["relaxed"], rating_goals="", rating_tasks="", rating_bond="")
    return client.post(url, data=data | changes)


def _captures(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Capture))


def test_a_second_meeting_on_the_same_date_is_warned_before_saving(app, client, sign_in, world):
    sign_in("w1")
    assert _post(client, world).status_code == 303
    warned = _post(client, world, starts_at="14:00")
    text = warned.get_data(as_text=True)
    assert warned.status_code == 409 and _captures(app) == 1
    day = f"{DAY.day} {DAY:%b}"
    assert f"You captured A-1 on {day} at 07:45: open it, or this is another meeting." in text
    assert 'name="another_meeting" value="1"' in text and "/edit" in text
    assert 'value="14:00"' in text  # what was typed stays
    saved = _post(client, world, starts_at="14:00", another_meeting="1")
    assert saved.status_code == 303 and _captures(app) == 2


def test_a_double_taps_twin_saved_a_moment_before_is_not_an_earlier_meeting(
        app, client, sign_in, world):
    """Found by bench/load.py: the twin of a double tap could land between the key check and
    the same-day check, and the second tap was answered 409 "you captured this meeting"."""
    sign_in("w1")
    assert _post(client, world).status_code == 303
    with app.app_context():
        stored = db.session.scalar(select(Capture))
        found = queries.own_captures_on(world.users["w1"], world.clients["shared"], DAY)
        twin = queries.own_captures_on(world.users["w1"], world.clients["shared"], DAY,
                                       except_key=stored.idempotency_key)
        assert [c.id for c in found] == [stored.id]
        assert twin == []


def test_the_same_meeting_saved_again_from_a_fresh_form_is_refused_even_if_confirmed(
    app, client, sign_in, world
):
    sign_in("w1")
    assert _post(client, world).status_code == 303
    for confirmed in ({}, {"another_meeting": "1"}, {"attendance": "no_show", "readiness": []}):
        again = _post(client, world, **confirmed)
        assert again.status_code == 409, confirmed
        assert "this is the same meeting" in again.get_data(as_text=True)
    assert _captures(app) == 1


def test_an_htmx_save_of_a_second_meeting_answers_with_the_warning_fragment(
    app, client, sign_in, world
):
    sign_in("w1")
    assert _post(client, world).status_code == 303
    url = f"/clients/{world.clients['shared']}/capture"
    key = KEY.search(client.get(url).get_data(as_text=True)).group(1)
    data = {"idempotency_key": key, "client_id": str(world.clients["shared"]),
            "attendance": "held", "held_on": DAY.isoformat(), "starts_at": "15:00",
            "length_minutes": "60", "co_worker_id": ""}
    answer = client.post(url, data=data, headers={"HX-Request": "true"})
    assert answer.status_code == 409 and "<html" not in answer.get_data(as_text=True)
    assert 'id="earlier-meeting"' in answer.get_data(as_text=True)


TODAY = date(2025, 12, 1)


def _seen(meeting_id, starts_at, attendance="held", marks=(), day=TODAY):
    return Observation(capture_id=meeting_id, meeting_id=meeting_id, author="w1", held_on=day,
                       attendance=attendance, marks=frozenset(marks), slot=(day, starts_at))


def test_a_meeting_recorded_twice_is_one_meeting_for_the_rules():
    history = [_seen(1, time(7, 45)), _seen(2, time(7, 45)), _seen(3, time(7, 45), "no_show")]
    merged = merge_meetings(history)
    assert len(merged) == 1 and merged[0].attendance == "held"
    calm = suggest("crisis", history, TODAY)
    assert calm.kind == "stay"
    assert tuple(map(str, calm.reasons)) == ("1 of 2 calm meetings since the crisis began",)


def test_two_meetings_at_different_times_on_one_day_are_two_in_meeting_order():
    history = [_seen(9, time(15)), _seen(4, time(9), marks={"hostility"})]
    merged = merge_meetings(history)
    assert [m.meeting_id for m in merged] == [9, 4]  # the afternoon one is the latest


def test_the_report_counts_a_meeting_recorded_twice_once():
    held = MeetingRow(1, 10, TODAY, "held")
    again = MeetingRow(2, 10, TODAY, "held")
    no_show = MeetingRow(3, 10, TODAY, "no_show")
    other = MeetingRow(4, 10, TODAY, "held")
    rows = [(held, time(7, 45)), (again, time(7, 45)), (no_show, time(7, 45)),
            (other, time(15))]
    captures = tuple(CaptureRow(m.id, 5, m.attendance, (), 4, 4, 4, 0)
                     for m in (held, again, no_show, other))
    meetings, kept = one_per_slot(rows, captures)
    assert sorted(m.id for m in meetings) == [1, 4]
    assert sorted(c.meeting_id for c in kept) == [1, 4]
    assert next(c for c in kept if c.meeting_id == 1).attendance == "held"
