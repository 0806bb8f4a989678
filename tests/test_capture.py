"""Quick capture through the client: validation, idempotent saves, pairs, access, edits."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from companion.extensions import db
from companion.models import AuditEntry, Capture, Debrief, Meeting, MeetingWorker, utcnow
from tests.support import team_today
from tests.support.forms import capture_form, form_key


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))




def _new_url(world, client_name="shared"):
    return f"/clients/{world.clients[client_name]}/capture"


def _capture_new(client, world, **changes):
    url = _new_url(world)
    key = form_key(client, url)
    return client.post(url, data=capture_form(world, key, **changes)), key


# Saving


def test_a_plain_post_saves_the_capture_and_its_meeting_then_goes_to_the_client(
    app, client, auth, world
):
    auth.sign_in("w1")
    response, key = _capture_new(client, world, note="Quiet start, opened up later.")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/clients/{world.clients['shared']}"
    with app.app_context():
        capture = db.session.scalar(select(Capture).where(Capture.idempotency_key == key))
        assert capture.marks == ["relaxed", "open_posture", "change_talk_up"]
        assert (capture.rating_goals, capture.rating_tasks, capture.rating_bond) == (4, 3, 5)
        assert capture.meeting.held_on == team_today() and capture.meeting.created_by_id == \
            world.users["w1"]
        assert [w.user_id for w in capture.meeting.workers] == [world.users["w1"]]
    page = client.get(f"/clients/{world.clients['shared']}").get_data(as_text=True)
    assert "Capture saved." in page and f'data-saved-key="{key}"' in page


def test_an_htmx_save_answers_with_the_saved_fragment_without_a_page(app, client, sign_in, world):
    sign_in("w1")
    url = _new_url(world)
    key = form_key(client, url)
    response = client.post(url, data=capture_form(world, key), headers={"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in text and 'id="capture-saved"' in text
    assert f'data-saved-key="{key}"' in text and "Back to A-1" in text


def test_the_form_is_prefilled_with_today_held_and_the_pair_partner(client, sign_in, world):
    sign_in("w1")
    page = client.get(_new_url(world)).get_data(as_text=True)
    assert f'name="held_on" value="{team_today().isoformat()}"' in page
    assert re.search(r'name="attendance" value="held" checked', page)
    assert re.search(rf'name="co_worker_id" value="{world.users["w2"]}" checked', page)
    assert 'name="starts_at" value="' in page and 'name="length_minutes" value="60"' in page
    assert '<details class="panel" id="practice">' in page  # practice check collapsed
    assert "No names" in page and "0 / 500" in page


def test_the_same_key_posted_twice_makes_one_capture(app, client, sign_in, world):
    sign_in("w1")
    url = _new_url(world)
    key = form_key(client, url)
    first = client.post(url, data=capture_form(world, key))
    second = client.post(url, data=capture_form(world, key), headers={"HX-Request": "true"})
    assert first.status_code == 303 and second.status_code == 200
    assert "already arrived" in second.get_data(as_text=True)
    assert _count(app, Capture) == 1
    assert _count(app, Meeting, Meeting.client_id == world.clients["shared"]) == 2


def test_capture_records_how_long_after_the_meeting_it_was_saved(app, client, sign_in, world):
    sign_in("w1")
    held_on = team_today() - timedelta(days=2)
    response, key = _capture_new(client, world, held_on=held_on.isoformat(), starts_at="09:00",
                                 length_minutes="60")
    assert response.status_code == 303
    end = datetime.combine(held_on, time(10)).replace(tzinfo=ZoneInfo(app.config["TIMEZONE"]))
    with app.app_context():
        capture = db.session.scalar(select(Capture).where(Capture.idempotency_key == key))
        recorded = capture.recorded_at.replace(tzinfo=UTC)
        assert capture.delay_minutes == int((recorded - end).total_seconds() // 60)
        assert capture.meeting.held_on == held_on


def test_saving_audits_capture_created_without_the_note(app, client, sign_in, world):
    sign_in("w1")
    _capture_new(client, world, note="very private words")
    with app.app_context():
        capture_id = db.session.scalar(select(Capture.id))
        entries = db.session.execute(select(AuditEntry.action, AuditEntry.subject)).all()
    assert ("capture.created", f"capture:{capture_id}") in entries
    assert not any("private" in subject for _action, subject in entries)


# Bad input: a message next to the field, a 4xx, nothing saved


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"readiness": ["relaxed", "made_up"]}, "readiness", "Unknown choice"),
        ({"warning": ["hostility", "bogus"]}, "warning", "Unknown choice"),
        ({"slip": ["invented"]}, "slip", "Unknown choice"),
        ({"rating_goals": "7"}, "rating_goals", "A rating is 1 to 5"),
        ({"rating_bond": "0"}, "rating_bond", "A rating is 1 to 5"),
        ({"held_on": (team_today() + timedelta(days=2)).isoformat()}, "held_on",
         "cannot be in the future"),
        ({"held_on": "yesterday"}, "held_on", "Give the date"),
        ({"starts_at": "25:99"}, "starts_at", "Give the start time"),
        ({"length_minutes": "-5"}, "length_minutes", "Give the length"),
        ({"note": "x" * 501}, "note", "At most 500 characters"),
        ({"next_step": "y" * 141}, "next_step", "At most 140 characters"),
        ({"attendance": "partied"}, "attendance", "Choose how the meeting went"),
        ({"attendance": "no_show"}, "attendance", "did not take place"),
    ],
)
def test_bad_input_comes_back_with_a_message_next_to_the_field_and_saves_nothing(
    app, client, sign_in, world, changes, field, message
):
    sign_in("w1")
    url = _new_url(world)
    key = form_key(client, url)
    response = client.post(url, data=capture_form(world, key, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert error and message in error.group(1)
    assert f'value="{key}"' in page  # the same key, so a corrected post is still one capture
    assert _count(app, Capture) == 0 and _count(app, Meeting) == 3


def test_a_co_worker_not_assigned_to_the_client_is_refused(app, client, sign_in, world):
    sign_in("w1")
    url = _new_url(world)
    key = form_key(client, url)
    response = client.post(url, data=capture_form(world, key, co_worker_id=str(world.users["w3"])))
    assert response.status_code == 422
    assert 'id="co_worker_id-error">Choose one of the workers' in response.get_data(as_text=True)
    assert _count(app, Capture) == 0


def test_a_tampered_client_id_in_the_form_is_refused(app, client, sign_in, world):
    sign_in("w1")
    url = _new_url(world)
    key = form_key(client, url)
    data = capture_form(world, key, client_id=str(world.clients["other_team"]))
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "belongs to another client" in response.get_data(as_text=True)
    assert _count(app, Capture) == 0 and _count(app, Meeting) == 3


def test_a_meeting_id_of_another_client_in_the_form_is_refused(app, client, sign_in, world):
    sign_in("w1")
    url = f"/meetings/{world.meetings['shared']}/capture"
    key = form_key(client, url)
    data = capture_form(world, key, meeting_id=str(world.meetings["other_team"]))
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "belongs to another client" in response.get_data(as_text=True)
    assert _count(app, Capture) == 0


def test_a_missing_or_odd_key_asks_for_a_reload(app, client, sign_in, world):
    sign_in("w1")
    response = client.post(_new_url(world), data=capture_form(world, "short"))
    assert response.status_code == 422
    assert "Reload the page" in response.get_data(as_text=True)
    assert _count(app, Capture) == 0


def test_an_htmx_post_with_errors_answers_with_the_form_fragment(app, client, sign_in, world):
    sign_in("w1")
    url = _new_url(world)
    key = form_key(client, url)
    response = client.post(url, data=capture_form(world, key, rating_tasks="9"),
                           headers={"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" not in text and text.lstrip().startswith("{#") is False
    assert 'id="capture-form"' in text and 'id="rating_tasks-error"' in text


# Pairs: one meeting, two captures


def test_a_named_co_worker_sees_the_meeting_as_not_captured_and_captures_the_same_one(
    app, client, sign_in, world
):
    sign_in("w1")
    response, _key = _capture_new(client, world, co_worker_id=str(world.users["w2"]))
    assert response.status_code == 303
    with app.app_context():
        meeting_id = db.session.scalar(select(Capture.meeting_id))
        workers = set(db.session.scalars(
            select(MeetingWorker.user_id).where(MeetingWorker.meeting_id == meeting_id)))
    assert workers == {world.users["w1"], world.users["w2"]}
    sign_in("w2")
    home = client.get("/").get_data(as_text=True)
    assert f"/meetings/{meeting_id}/capture" in home
    url = f"/meetings/{meeting_id}/capture"
    key = form_key(client, url)
    page = client.get(url).get_data(as_text=True)
    assert re.search(rf'name="co_worker_id" value="{world.users["w1"]}" checked', page)
    data = capture_form(world, key, meeting_id=str(meeting_id), readiness=["relaxed"],
                 co_worker_id=str(world.users["w1"]))
    assert client.post(url, data=data).status_code == 303
    with app.app_context():
        captures = db.session.execute(
            select(Capture.meeting_id, Capture.author_id, Capture.co_worker_id)).all()
    assert sorted(captures) == sorted([
        (meeting_id, world.users["w1"], world.users["w2"]),
        (meeting_id, world.users["w2"], world.users["w1"]),
    ])
    assert _count(app, Meeting) == 4
    assert f"/meetings/{meeting_id}/capture" not in client.get("/").get_data(as_text=True)


def test_the_partner_capturing_from_the_client_the_same_day_joins_the_same_meeting(
    app, client, sign_in, world
):
    sign_in("w1")
    _capture_new(client, world, co_worker_id=str(world.users["w2"]))
    sign_in("w2")
    page = client.get(_new_url(world)).get_data(as_text=True)
    assert "Not yet captured by you" in page
    response, _key = _capture_new(client, world, co_worker_id=str(world.users["w1"]))
    assert response.status_code == 303
    assert _count(app, Meeting) == 4 and _count(app, Capture) == 2


def test_a_second_capture_of_the_same_meeting_by_the_same_worker_is_refused(
    app, client, sign_in, world
):
    sign_in("w1")
    url = f"/meetings/{world.meetings['shared']}/capture"
    first_key, second_key = form_key(client, url), form_key(client, url)
    meeting = str(world.meetings["shared"])
    first = client.post(url, data=capture_form(world, first_key, meeting_id=meeting))
    assert first.status_code == 303
    response = client.post(url, data=capture_form(world, second_key, meeting_id=meeting))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/edit")
    assert _count(app, Capture) == 1


# Access


@pytest.mark.parametrize(
    ("username", "client_name", "status"),
    [
        ("w3", "shared", 404),
        ("b1", "shared", 404),
        ("w1", "other_team", 404),
        ("w1", "w3_only", 404),
        ("lead", "shared", 403),
        ("lead_b", "other_team", 403),
        ("admin", "shared", 403),
    ],
)
def test_only_workers_assigned_to_the_client_may_capture(
    app, client, sign_in, world, username, client_name, status
):
    sign_in(username)
    url = _new_url(world, client_name)
    assert client.get(url).status_code == status
    response = client.post(url, data=capture_form(world, "k" * 32, client_name=client_name))
    assert response.status_code == status
    assert _count(app, Capture) == 0


def test_a_meeting_is_captured_only_by_its_own_assigned_workers(app, client, sign_in, world):
    sign_in("w3")
    assert client.get(f"/meetings/{world.meetings['shared']}/capture").status_code == 404
    assert client.get(f"/meetings/{world.meetings['other_team']}/capture").status_code == 404
    assert client.get("/meetings/9999/capture").status_code == 404
    sign_in("lead")
    assert client.get(f"/meetings/{world.meetings['shared']}/capture").status_code == 403


def test_a_worker_no_longer_assigned_cannot_capture_a_meeting_they_were_in(
    app, client, sign_in, world
):
    from companion.models import Assignment

    with app.app_context():
        db.session.execute(Assignment.__table__.delete().where(
            Assignment.user_id == world.users["w2"]))
        db.session.commit()
    sign_in("w2")
    assert client.get(f"/meetings/{world.meetings['shared']}/capture").status_code == 404
    assert "/meetings/" not in client.get("/").get_data(as_text=True)


def test_a_worker_cannot_open_someone_elses_capture(app, client, sign_in, world):
    sign_in("w1")
    _capture_new(client, world)
    with app.app_context():
        capture_id = db.session.scalar(select(Capture.id))
    sign_in("w2")
    assert client.get(f"/captures/{capture_id}/edit").status_code == 404
    assert client.post(f"/captures/{capture_id}/edit", data={}).status_code == 404


# Editing within 48 hours


def _age_capture(app, hours):
    with app.app_context():
        capture = db.session.scalar(select(Capture))
        capture.recorded_at = utcnow() - timedelta(hours=hours)
        db.session.commit()
        return capture.id


def test_the_author_edits_within_48_hours_and_it_is_audited(app, client, sign_in, world):
    sign_in("w1")
    _response, key = _capture_new(client, world)
    capture_id = _age_capture(app, 47)
    url = f"/captures/{capture_id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "Edit capture" in page and 'value="relaxed" checked' in page
    data = capture_form(world, key, readiness=["fewer_lies"], meeting_id="", rating_goals="2")
    with app.app_context():
        data["meeting_id"] = str(db.session.get(Capture, capture_id).meeting_id)
    response = client.post(url, data=data)
    assert response.status_code == 303
    with app.app_context():
        capture = db.session.get(Capture, capture_id)
        assert capture.marks == ["fewer_lies"] and capture.rating_goals == 2
        assert capture.updated_at is not None and capture.edited_after_compare_at is None
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert "capture.edited" in actions
    assert _count(app, Capture) == 1


def test_after_48_hours_a_capture_is_read_only(app, client, sign_in, world):
    sign_in("w1")
    _response, key = _capture_new(client, world)
    capture_id = _age_capture(app, 49)
    url = f"/captures/{capture_id}/edit"
    view = client.get(url)
    assert view.status_code == 200
    assert "read-only" in view.get_data(as_text=True) and "<form id=\"capture-form\"" not in \
        view.get_data(as_text=True)
    with app.app_context():  # the capture itself is the record read, not only its client
        viewed = db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action == "capture.view")).all()
    assert f"capture:{capture_id}" in viewed
    response = client.post(url, data=capture_form(world, key, readiness=["fewer_lies"]))
    assert response.status_code == 403
    assert "Not saved." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Capture, capture_id).marks == [
            "relaxed", "open_posture", "change_talk_up"]


def test_an_edit_after_the_debrief_opened_is_marked(app, client, sign_in, world):
    sign_in("w1")
    _response, key = _capture_new(client, world)
    with app.app_context():
        capture = db.session.scalar(select(Capture))
        db.session.add(Debrief(meeting_id=capture.meeting_id))
        db.session.commit()
        capture_id, meeting_id = capture.id, capture.meeting_id
    data = capture_form(world, key, meeting_id=str(meeting_id), rating_bond="2")
    assert client.post(f"/captures/{capture_id}/edit", data=data).status_code == 303
    with app.app_context():
        assert db.session.get(Capture, capture_id).edited_after_compare_at is not None


def test_opening_an_already_captured_meeting_leads_to_the_edit(app, client, sign_in, world):
    sign_in("w1")
    url = f"/meetings/{world.meetings['shared']}/capture"
    key = form_key(client, url)
    client.post(url, data=capture_form(world, key, meeting_id=str(world.meetings["shared"])))
    response = client.get(url)
    assert response.status_code == 303 and response.headers["Location"].endswith("/edit")


def test_a_capture_posted_with_an_expired_form_comes_back_with_its_key_and_saves_nothing(
    database_url, engine_name, tmp_path, world
):
    from tests.support.apps import make_app
    from tests.support.csrf import expired_own_token

    app = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    stale = expired_own_token(client)
    response = client.post(_new_url(world), data=capture_form(world, "k" * 32, note="kept"),
                           headers={"HX-Request": "true", "X-CSRFToken": stale})
    assert response.status_code == 400 and response.headers["HX-Retarget"] == "#main"
    page = response.get_data(as_text=True)
    assert 'name="idempotency_key" value="' + "k" * 32 + '"' in page and "Save again" in page
    assert _count(app, Capture) == 0
