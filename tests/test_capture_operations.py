"""Capture rules as plain functions: validation, delay, edit window, idempotent saves."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from companion.capture import operations, queries
from companion.capture.validation import CaptureData, Rules, validate
from companion.content import load_content
from companion.extensions import db
from companion.models import Assignment, Capture, Client, Debrief, Meeting, User
from tests.support import team_today

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
VOCABULARY = load_content().vocabulary
TODAY = date(2025, 3, 10)


def _rules(**changes):
    return Rules(vocabulary=VOCABULARY, today=TODAY, client_id=7, co_workers=frozenset({3}),
                 **changes)


def _posted(**changes):
    data = {"idempotency_key": "k" * 32, "client_id": "7", "attendance": "held",
            "held_on": "2025-03-10", "starts_at": "10:00", "length_minutes": "75"}
    data.update(changes)
    return MultiDict([(k, v) for k, values in data.items()
                      for v in (values if isinstance(values, list) else [values])])


# Validation


def test_a_valid_form_becomes_capture_data_with_marks_in_table_order():
    data, errors = validate(_posted(slip=["took_notes"], readiness=["relaxed", "relaxed"],
                                    warning=["distrust"], rating_goals="4", rating_tasks="",
                                    next_step="  Ask about   housing ", co_worker_id="3"),
                            _rules())
    assert errors == {}
    assert data.marks == ("relaxed", "distrust", "took_notes")
    assert (data.rating_goals, data.rating_tasks, data.rating_bond) == (4, None, None)
    assert data.next_step == "Ask about housing" and data.note is None
    assert data.held_on == TODAY and data.starts_at == time(10) and data.co_worker_id == 3


def test_each_wrong_field_gets_its_own_message():
    _data, errors = validate(_posted(readiness=["nope"], rating_bond="7", held_on="2025-03-11",
                                     co_worker_id="99", length_minutes="abc"), _rules())
    assert set(errors) == {"readiness", "rating_bond", "held_on", "co_worker_id",
                           "length_minutes"}


def test_a_move_posted_as_a_readiness_marker_is_refused():
    _data, errors = validate(_posted(readiness=["affirmed"]), _rules())
    assert "readiness" in errors


def test_a_meeting_that_did_not_take_place_has_no_markers_or_ratings():
    _data, errors = validate(_posted(attendance="cancelled", rating_goals="3"), _rules())
    assert "attendance" in errors
    data, errors = validate(_posted(attendance="no_show"), _rules())
    assert errors == {} and data.marks == ()


def test_a_note_of_500_characters_with_line_breaks_from_the_browser_is_accepted():
    note = ("a" * 99 + "\r\n") * 5  # the browser counts each line break as one character
    data, errors = validate(_posted(note=note), _rules())
    assert errors == {} and len(data.note) == 499
    _data, errors = validate(_posted(note="b" * 501), _rules())
    assert "note" in errors


def test_the_meeting_id_must_be_the_meeting_being_captured():
    assert "meeting_id" in validate(_posted(meeting_id="5"), _rules())[1]
    assert "meeting_id" in validate(_posted(), _rules(meeting_id=4))[1]
    assert validate(_posted(meeting_id="4"), _rules(meeting_id=4))[1] == {}


# Delay and edit window


def test_delay_counts_from_the_meetings_end_on_the_teams_wall_clock():
    winter = operations.delay_minutes(date(2025, 1, 15), time(10), 60,
                                      datetime(2025, 1, 15, 10, 45), AMSTERDAM)  # 11:00 CET
    summer = operations.delay_minutes(date(2025, 7, 15), time(10), 60,
                                      datetime(2025, 7, 15, 9, 30), AMSTERDAM)  # 11:00 CEST
    early = operations.delay_minutes(date(2025, 7, 15), time(10), 60,
                                     datetime(2025, 7, 15, 8, 0), AMSTERDAM)
    assert (winter, summer, early) == (45, 30, 0)


def test_the_edit_window_is_48_hours():
    capture = Capture(recorded_at=datetime(2025, 3, 1, 12, 0))
    assert operations.within_edit_window(capture, datetime(2025, 3, 3, 11, 0))  # 47 h
    assert not operations.within_edit_window(capture, datetime(2025, 3, 3, 13, 0))  # 49 h


# Saving, with the database


def _data(key="a" * 32, **changes) -> CaptureData:
    values = {"idempotency_key": key, "attendance": "held", "held_on": team_today(),
              "starts_at": time(9), "length_minutes": 60, "marks": ("relaxed",)}
    return CaptureData(**(values | changes))


def _people(world):
    return (db.session.get(User, world.users["w1"]), db.session.get(User, world.users["w2"]),
            db.session.get(Client, world.clients["shared"]))


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_saving_the_same_key_and_content_twice_returns_the_first_capture(app, world):
    with app.app_context():
        w1, _w2, client = _people(world)
        first = operations.save_capture(w1, client, _data(), AMSTERDAM)
        again = operations.save_capture(w1, client, _data(marks=("relaxed",)), AMSTERDAM)
        assert first.created and not again.created
        assert again.capture.id == first.capture.id
        assert _count(Capture) == 1


@pytest.mark.parametrize("change", [{"rating_bond": 5}, {"note": "other words"},
                                    {"marks": ("relaxed", "distrust")}, {"length_minutes": 45},
                                    {"starts_at": time(10)}, {"attendance": "cut_short"}])
def test_the_same_key_with_other_content_is_a_conflict_and_nothing_is_overwritten(
    app, world, change
):
    with app.app_context():
        w1, _w2, client = _people(world)
        first = operations.save_capture(w1, client, _data(), AMSTERDAM)
        with pytest.raises(operations.ChangedResend) as raised:
            operations.save_capture(w1, client, _data(**change), AMSTERDAM)
        db.session.rollback()
        assert raised.value.existing.id == first.capture.id
        assert raised.value.sent == _data(**change)
        stored = db.session.get(Capture, first.capture.id)
        assert (stored.rating_bond, stored.note, stored.marks, stored.length_minutes) == (
            None, None, ["relaxed"], 60)
        assert _count(Capture) == 1


def test_a_key_already_used_by_someone_else_is_refused(app, world):
    with app.app_context():
        w1, w2, client = _people(world)
        operations.save_capture(w1, client, _data(), AMSTERDAM)
        with pytest.raises(operations.CaptureConflict):
            operations.save_capture(w2, client, _data(), AMSTERDAM)
        assert _count(Capture) == 1


def test_a_retry_that_races_past_the_check_hits_the_unique_key_and_returns_the_first(
    app, world, monkeypatch
):
    """The unique constraint, not the Python check, keeps it to one capture."""
    with app.app_context():
        w1, _w2, client = _people(world)
        first = operations.save_capture(w1, client, _data(), AMSTERDAM)
        meetings = _count(Meeting)
        real = operations.capture_for_key
        calls = []

        def late_check(key):  # the first look happens before the other request committed
            calls.append(key)
            return None if len(calls) == 1 else real(key)

        monkeypatch.setattr(operations, "capture_for_key", late_check)
        again = operations.save_capture(w1, client, _data(), AMSTERDAM)
        assert len(calls) == 2  # checked, hit IntegrityError, rolled back, looked again
        assert not again.created and again.capture.id == first.capture.id
        assert _count(Capture) == 1 and _count(Meeting) == meetings


def test_two_forms_for_one_meeting_racing_leave_one_capture_and_name_it(
    app, world, monkeypatch
):
    """unique(meeting_id, author_id) stops the second; the answer names the first."""
    with app.app_context():
        w1, _w2, client = _people(world)
        meeting = db.session.get(Meeting, world.meetings["shared"])
        first = operations.save_capture(w1, client, _data("b" * 32), AMSTERDAM, meeting)
        real, calls = operations.capture_of, []

        def late_check(meeting_id, author_id):
            calls.append(meeting_id)
            return None if len(calls) == 1 else real(meeting_id, author_id)

        monkeypatch.setattr(operations, "capture_of", late_check)
        with pytest.raises(operations.CaptureConflict) as raised:
            operations.save_capture(w1, client, _data("c" * 32), AMSTERDAM, meeting)
        assert raised.value.existing.id == first.capture.id
        assert _count(Capture) == 1


def test_naming_a_co_worker_adds_them_to_the_meeting(app, world):
    with app.app_context():
        w1, w2, client = _people(world)
        saved = operations.save_capture(w1, client, _data(co_worker_id=w2.id), AMSTERDAM)
        assert {w.user_id for w in saved.capture.meeting.workers} == {w1.id, w2.id}
        assert saved.capture.meeting in queries.uncaptured_meetings(w2)
        assert saved.capture.meeting not in queries.uncaptured_meetings(w1)


def test_uncaptured_meetings_are_newest_first_and_only_for_assigned_clients(app, world):
    with app.app_context():
        w1, w2, client = _people(world)
        old = db.session.get(Meeting, world.meetings["shared"])
        newer = operations.save_capture(w1, client, _data(co_worker_id=w2.id), AMSTERDAM)
        assert queries.uncaptured_meetings(w2) == [newer.capture.meeting, old]
        db.session.execute(Assignment.__table__.delete().where(Assignment.user_id == w2.id))
        assert queries.uncaptured_meetings(w2) == []


def test_the_pair_partner_is_the_default_co_worker_only_when_assigned(app, world):
    with app.app_context():
        w1, w2, client = _people(world)
        choices = queries.co_worker_choices(client.id, w1.id)
        assert choices == [w2]
        assert queries.default_co_worker(w1.id, choices) == w2.id
        w3 = db.session.get(User, world.users["w3"])
        assert queries.default_co_worker(w3.id, queries.co_worker_choices(
            world.clients["w3_only"], w3.id)) is None


def test_editing_changes_the_capture_and_the_meeting_its_author_alone_recorded(app, world):
    with app.app_context():
        w1, w2, client = _people(world)
        saved = operations.save_capture(w1, client, _data(co_worker_id=w2.id), AMSTERDAM)
        capture, now = saved.capture, saved.capture.recorded_at + timedelta(hours=47)
        operations.edit_capture(capture, _data(starts_at=time(8), attendance="cut_short"), w1,
                                AMSTERDAM, now=now)
        db.session.commit()
        assert capture.meeting.starts_at == time(8) and capture.meeting.attendance == "cut_short"
        assert capture.co_worker_id is None and capture.updated_at == now
        assert [w.user_id for w in capture.meeting.workers] == [w1.id]  # unnamed again
        assert capture.edited_after_compare_at is None


def test_editing_after_49_hours_is_refused_and_after_a_debrief_is_marked(app, world):
    with app.app_context():
        w1, w2, client = _people(world)
        capture = operations.save_capture(w1, client, _data(), AMSTERDAM).capture
        with pytest.raises(operations.EditWindowClosed):
            operations.edit_capture(capture, _data(), w1, AMSTERDAM,
                                    now=capture.recorded_at + timedelta(hours=49))
        with pytest.raises(PermissionError):
            operations.edit_capture(capture, _data(), w2, AMSTERDAM)
        db.session.add(Debrief(meeting_id=capture.meeting_id))
        operations.edit_capture(capture, _data(rating_goals=2), w1, AMSTERDAM)
        assert capture.edited_after_compare_at is not None
