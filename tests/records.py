"""Meetings and captures written straight to the database, for tests of what reads them."""

import uuid
from datetime import date, datetime, time

from companion.extensions import db
from companion.models import Capture, Meeting, MeetingWorker


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
