"""Records written straight to the database, for tests of what reads them: meetings and
captures (flushed, or committed by the add_ variants), and a partner's capture full of secrets
for the blindness tests. Dates come from the team clock, not the machine's."""

import uuid
from datetime import date, datetime, time, timedelta

from companion.extensions import db
from companion.models import Capture, Meeting, MeetingWorker, utcnow
from tests.support import team_today


def meeting(client_id: int, worker_ids, held_on: date, attendance: str = "held") -> Meeting:
    record = Meeting(client_id=client_id, held_on=held_on, starts_at=time(10),
                     length_minutes=0 if attendance == "no_show" else 60, attendance=attendance)
    record.workers = [MeetingWorker(user_id=worker_id) for worker_id in worker_ids]
    db.session.add(record)
    db.session.flush()
    return record


def capture(meeting: Meeting, author_id: int, marks=(), *, attendance: str | None = None,
            ratings=(None, None, None), next_step: str | None = None,
            recorded_at: datetime | None = None) -> Capture:
    goals, tasks, bond = ratings
    record = Capture(
        meeting_id=meeting.id, author_id=author_id, idempotency_key=uuid.uuid4().hex,
        attendance=attendance or meeting.attendance, held_on=meeting.held_on,
        starts_at=meeting.starts_at, length_minutes=meeting.length_minutes, marks=list(marks),
        rating_goals=goals, rating_tasks=tasks, rating_bond=bond, next_step=next_step,
    )
    if recorded_at is not None:
        record.recorded_at = recorded_at
    db.session.add(record)
    db.session.flush()
    return record


SECRET_NOTE = "partner-secret-note-7731"
SECRET_STEP = "partner-secret-step-4417"
SECRET_LENGTH = 37


def add_capture(meeting_id, author_id, marks=(), attendance="held", length=60, goals=3, tasks=3,
                bond=3, note=None, next_step=None, recorded_at=None, co_worker_id=None):
    """A saved capture of an existing meeting, committed."""
    meeting = db.session.get(Meeting, meeting_id)
    capture = Capture(
        meeting_id=meeting_id, author_id=author_id, idempotency_key=uuid.uuid4().hex,
        attendance=attendance, held_on=meeting.held_on, starts_at=meeting.starts_at,
        length_minutes=length, marks=list(marks), rating_goals=goals, rating_tasks=tasks,
        rating_bond=bond, note=note, next_step=next_step, co_worker_id=co_worker_id,
        recorded_at=recorded_at or utcnow(),
    )
    db.session.add(capture)
    db.session.commit()
    return capture.id


def add_meeting(client_id, worker_ids, held_on=None, starts_at=time(10)):
    """A meeting of the given workers, committed; its id."""
    meeting = Meeting(client_id=client_id, held_on=held_on or team_today() - timedelta(days=1),
                      starts_at=starts_at, length_minutes=60, attendance="held")
    meeting.workers = [MeetingWorker(user_id=worker_id) for worker_id in worker_ids]
    db.session.add(meeting)
    db.session.commit()
    return meeting.id


def secret_capture(world, author="w1"):
    """The partner's capture, full of things the other worker must not see before saving."""
    return add_capture(
        world.meetings["shared"], world.users[author], marks=("hostility", "concrete_plans"),
        attendance="cut_short", length=SECRET_LENGTH, goals=1, tasks=5, bond=2, note=SECRET_NOTE,
        next_step=SECRET_STEP,
    )


def captured_month(app, world, marks_pairs, held_on):
    """A pair (w1, w2) capturing one shared meeting a day from `held_on`, marks as given."""
    with app.app_context():
        for index, (first, second) in enumerate(marks_pairs):
            meeting = add_meeting(world.clients["shared"], [world.users["w1"], world.users["w2"]],
                                  held_on=held_on + timedelta(days=index))
            add_capture(meeting, world.users["w1"], marks=first)
            add_capture(meeting, world.users["w2"], marks=second)


def add_home_captures(app, world, first, last):
    """Meetings of the shared client numbered first..last-1, each captured by w1 only."""
    with app.app_context():
        for number in range(first, last):
            held_on = team_today() - timedelta(days=number + 2)
            meeting = Meeting(client_id=world.clients["shared"], held_on=held_on,
                              starts_at=time(10), length_minutes=60, attendance="held",
                              workers=[MeetingWorker(user_id=world.users["w1"]),
                                       MeetingWorker(user_id=world.users["w2"])])
            db.session.add(meeting)
            db.session.add(Capture(meeting=meeting, author_id=world.users["w1"],
                                   idempotency_key=f"key-{number:05d}-" + "x" * 20,
                                   attendance="held", held_on=held_on, starts_at=time(10),
                                   length_minutes=60, marks=["relaxed"]))
        db.session.commit()
