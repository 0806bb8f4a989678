"""Extra POST fields are ignored (mass assignment, ASVS 5.0 15.3.3): every form is posted with
a field for every column of every table (author, team, status, times, hashes, ids of another
team's records) besides its own fields, and nothing is stored from them.

The extra fields come from the models, so a column added later is tried as well.
"""

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from companion.extensions import db
from companion.models import (
    Assignment,
    Capture,
    Client,
    Meeting,
    MeetingWorker,
    Pair,
    Team,
    User,
    utcnow,
)
from companion.passwords import verify_secret
from tests.support import team_today

TAMPERED = "tampered-by-form"
BOGUS_ID = 987654
OLD = datetime(2000, 1, 2, 3, 4, 5)


def _extra_fields(world):
    """A hostile value for every column of every table, keyed by column name: real ids of
    another team's records or another worker where the column names one, else odd values."""
    real = {
        "author_id": world.users["w2"], "co_worker_id": world.users["w3"],
        "user_id": world.users["b1"], "created_by_id": world.users["w2"],
        "changed_by_id": world.users["w2"], "closed_by_id": world.users["w2"],
        "agreed_by_id": world.users["w2"], "first_id": world.users["b1"],
        "second_id": world.users["lead_b"], "team_id": world.other_team,
        "client_id": world.clients["other_team"], "meeting_id": world.meetings["other_team"],
    }
    fields = {}
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.name in real:
                fields[column.name] = str(real[column.name])
                continue
            try:
                kind = column.type.python_type
            except NotImplementedError:
                kind = str
            fields[column.name] = {
                bool: "0", int: str(BOGUS_ID), datetime: OLD.isoformat(sep=" "),
                date: OLD.date().isoformat(), time: "03:04", dict: f'["{TAMPERED}"]',
                list: f'["{TAMPERED}"]',
            }.get(kind, TAMPERED)
    fields |= {"status": "closed", "state": "closed", "is_admin": "1", "locked": "0"}
    return fields


def _post(client, url, world, own):
    """Post the form's own fields with every extra field that is not one of them."""
    data = {name: value for name, value in _extra_fields(world).items() if name not in own}
    return client.post(url, data=data | own)


def _assert_nothing_stored_from_extras(app):
    """No row anywhere holds a tampered string, the odd id, or a time from 2000."""
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)).all():
                for value in row:
                    assert value != BOGUS_ID, (table.name, row)
                    assert TAMPERED not in str(value), (table.name, row)
                    if isinstance(value, date):
                        assert value.year != 2000, (table.name, row)


def _recent(moment):
    return utcnow() - moment < timedelta(minutes=5)


def _capture_form(world, client, url, **own):
    page = client.get(url).get_data(as_text=True)
    key = page.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]
    return {
        "idempotency_key": key, "client_id": str(world.clients["shared"]),
        "attendance": "held", "held_on": team_today().isoformat(), "starts_at": "10:00",
        "length_minutes": "60", "readiness": "relaxed", "rating_goals": "4", "rating_tasks": "",
        "rating_bond": "", "next_step": "", "note": "", "co_worker_id": str(world.users["w2"]),
    } | own


def test_extra_fields_on_a_new_capture_are_ignored(app, client, auth, world):
    auth.login("w1")
    url = f"/clients/{world.clients['shared']}/capture"
    # meeting_id is the form's own (optional) field: another client's meeting is refused, as
    # tests/test_capture.py shows; here it is left empty.
    response = _post(client, url, world, _capture_form(world, client, url, meeting_id=""))
    assert response.status_code == 303
    _assert_nothing_stored_from_extras(app)
    with app.app_context():
        [capture] = db.session.scalars(select(Capture)).all()
        assert capture.author_id == world.users["w1"]
        assert capture.co_worker_id == world.users["w2"]
        assert _recent(capture.recorded_at)
        assert capture.updated_at is None and capture.edited_after_compare_at is None
        meeting = capture.meeting
        assert meeting.client_id == world.clients["shared"]
        assert meeting.created_by_id == world.users["w1"] and _recent(meeting.created_at)
        assert {w.user_id for w in meeting.workers} == {world.users["w1"], world.users["w2"]}


def test_extra_fields_on_a_meeting_capture_are_ignored(app, client, auth, world):
    auth.login("w2")
    meeting_id = world.meetings["shared"]
    url = f"/meetings/{meeting_id}/capture"
    own = _capture_form(world, client, url, meeting_id=str(meeting_id),
                        co_worker_id=str(world.users["w1"]))
    assert _post(client, url, world, own).status_code == 303
    _assert_nothing_stored_from_extras(app)
    with app.app_context():
        [capture] = db.session.scalars(select(Capture)).all()
        assert (capture.author_id, capture.meeting_id) == (world.users["w2"], meeting_id)
        workers = db.session.scalars(
            select(MeetingWorker.user_id).where(MeetingWorker.meeting_id == meeting_id)).all()
        assert set(workers) == {world.users["w1"], world.users["w2"]}


def test_extra_fields_on_a_capture_edit_are_ignored(app, client, auth, world):
    auth.login("w1")
    url = f"/clients/{world.clients['shared']}/capture"
    assert client.post(url, data=_capture_form(world, client, url)).status_code == 303
    with app.app_context():
        capture = db.session.scalar(select(Capture))
        capture_id, meeting_id, recorded_at = capture.id, capture.meeting_id, capture.recorded_at
        key = capture.idempotency_key
    edit = f"/captures/{capture_id}/edit"
    own = _capture_form(world, client, edit, idempotency_key=key, meeting_id=str(meeting_id),
                        readiness="fewer_lies")
    assert _post(client, edit, world, own).status_code == 303
    _assert_nothing_stored_from_extras(app)
    with app.app_context():
        capture = db.session.get(Capture, capture_id)
        assert capture.marks == ["fewer_lies"]  # the edit itself went through
        assert (capture.author_id, capture.meeting_id) == (world.users["w1"], meeting_id)
        assert capture.recorded_at == recorded_at and _recent(capture.updated_at)
        assert capture.edited_after_compare_at is None
        assert db.session.get(Meeting, meeting_id).client_id == world.clients["shared"]


@pytest.mark.parametrize(("form", "own"), [
    ("teams", {"name": "South team"}),
    ("users", {"username": "w9", "password": "a long enough pw", "role": "worker", "team": "A"}),
    ("clients", {"code": "S-9", "team": "A"}),
    ("assignments", {"client": "A-2", "worker": "w1", "role": "co_worker"}),
    ("pairs", {"first": "w3", "second": "w1"}),
])
def test_extra_fields_on_the_admin_forms_are_ignored(app, client, auth, world, form, own):
    names = {"A": world.team, "A-2": world.clients["w3_only"]} | world.users
    own = {name: str(names.get(value, value)) for name, value in own.items()}
    auth.login("admin")
    # A new account answers with its invitation code; the others redirect to the admin page.
    url = f"/admin/{form}" if form in ("teams", "users") else f"/admin/teams/{world.team}/{form}"
    assert _post(client, url, world, own).status_code == (
        200 if form == "users" else 303)
    _assert_nothing_stored_from_extras(app)
    with app.app_context():
        if form == "teams":
            team = db.session.scalar(select(Team).where(Team.name == "South team"))
            assert _recent(team.created_at)
        elif form == "users":
            user = db.session.scalar(select(User).where(User.username == "w9"))
            assert (user.role, user.team_id, user.active) == ("worker", world.team, True)
            assert user.session_version == 1 and user.totp_secret is None
            assert user.pin_hash is None and user.invite_hash and user.confirmed_at is None
            assert not verify_secret(user.password_hash, own["password"])  # admins set none
        elif form == "clients":
            new = db.session.scalar(select(Client).where(Client.code == "S-9"))
            assert (new.team_id, new.phase) == (world.team, "before_first_meeting")
        elif form == "assignments":
            assignment = db.session.scalar(
                select(Assignment).where(Assignment.client_id == world.clients["w3_only"],
                                         Assignment.user_id == world.users["w1"]))
            assert assignment.role == "co_worker"
        else:
            pair = db.session.scalar(select(Pair).where(Pair.first_id.in_(
                [world.users["w1"], world.users["w3"]]), Pair.second_id == world.users["w3"]))
            assert pair.team_id == world.team
