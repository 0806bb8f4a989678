"""Saving and editing captures.

Saving is idempotent: the form's key is unique in the database, so a repeated post (double
tap, retry, a phone's queue resending) finds the capture the first one stored instead of making
a second; the same key with other content is refused (ChangedResend), never overwritten.
"""

import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from companion import audit
from companion.capture.queries import capture_for_key, capture_of, debrief_closed
from companion.capture.receipts import same_content
from companion.capture.validation import CaptureData
from companion.clients import lifecycle
from companion.extensions import db
from companion.models import (
    Capture,
    Client,
    Debrief,
    Meeting,
    MeetingWorker,
    User,
    utcnow,
)

EDIT_WINDOW = timedelta(hours=48)


class CaptureConflict(Exception):
    """Nothing was saved; `existing` is the capture that is in the way, if it is the author's."""

    def __init__(self, message, existing: Capture | None = None):
        super().__init__(str(message))
        self.existing = existing


class ChangedResend(CaptureConflict):
    """The key was used before for other content; `sent` is what came this time."""

    def __init__(self, existing: Capture, sent: CaptureData):
        super().__init__(_l("This capture arrived before with other values. Nothing was "
                            "overwritten: compare the two and choose."), existing)
        self.sent = sent


class EditWindowClosed(Exception):
    """The capture was recorded more than 48 hours ago and is now read-only."""


@dataclass(frozen=True)
class Saved:
    capture: Capture
    created: bool


def new_key() -> str:
    """A fresh idempotency key for a capture form."""
    return secrets.token_urlsafe(24)


def delay_minutes(held_on: date, starts_at: time, length: int, recorded_at: datetime,
                  zone: ZoneInfo) -> int:
    """Whole minutes from the meeting's end (team wall clock) to `recorded_at` (naive UTC)."""
    end = datetime.combine(held_on, starts_at) + timedelta(minutes=length)
    end_utc = end.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    return max(0, int((recorded_at - end_utc).total_seconds() // 60))


def within_edit_window(capture: Capture, now: datetime | None = None) -> bool:
    return (now or utcnow()) - capture.recorded_at <= EDIT_WINDOW


def can_edit(capture: Capture, now: datetime | None = None) -> bool:
    """Within 48 hours of recording, and not after the meeting's debrief was closed (a closed
    comparison is history that both workers agreed on)."""
    return within_edit_window(capture, now) and not debrief_closed(capture.meeting_id)


def save_capture(author: User, client: Client, data: CaptureData, zone: ZoneInfo,
                 meeting: Meeting | None = None, now: datetime | None = None) -> Saved:
    """Store the capture and commit, or return the one already stored under the same key.

    Without `meeting`, an uncaptured meeting of the author with this client on the same day
    (one their partner recorded) is captured; otherwise a new meeting is created.
    """
    existing = capture_for_key(data.idempotency_key)
    if existing is not None:
        return _replay(existing, author, client, data)
    try:
        lifecycle.hold_for_capture(client, author)
    except lifecycle.CaseUnavailable:
        db.session.rollback()
        raise
    meeting = meeting or _same_day_meeting(author, client, data.held_on)
    meeting_id = meeting.id if meeting is not None else None
    if meeting_id is not None:
        _refuse_second_capture(meeting_id, author)
    try:
        capture = build_capture(author, client, data, zone, meeting, now or utcnow())
        db.session.flush()
        audit.record("capture.created", f"capture:{capture.id}", user=author)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _after_race(author, client, data, meeting_id)
    return Saved(capture, created=True)


def build_capture(author: User, client: Client, data: CaptureData, zone: ZoneInfo,
                  meeting: Meeting | None, recorded_at: datetime) -> Capture:
    """A new capture (and meeting, if none is given) added to the session, not committed."""
    if meeting is None:
        meeting = Meeting(client_id=client.id, held_on=data.held_on, starts_at=data.starts_at,
                          length_minutes=data.length_minutes, attendance=data.attendance,
                          created_by_id=author.id, workers=[MeetingWorker(user_id=author.id)])
        db.session.add(meeting)
    _name_worker(meeting, data.co_worker_id)
    capture = Capture(meeting=meeting, author_id=author.id, recorded_at=recorded_at,
                      delay_minutes=_delay(meeting, recorded_at, zone), **_columns(data))
    db.session.add(capture)
    return capture


def edit_capture(capture: Capture, data: CaptureData, editor: User, zone: ZoneInfo,
                 now: datetime | None = None) -> Capture:
    """Change a capture within its edit window; the caller commits."""
    now = now or utcnow()
    if capture.author_id != editor.id:
        raise PermissionError("only the author edits a capture")
    if not can_edit(capture, now):
        raise EditWindowClosed
    meeting, previous_co_worker = capture.meeting, capture.co_worker_id
    columns = _columns(data)
    columns.pop("idempotency_key")
    for name, value in columns.items():
        setattr(capture, name, value)
    capture.updated_at = now
    if _sole_author(capture):
        for name in ("held_on", "starts_at", "length_minutes", "attendance"):
            setattr(meeting, name, columns[name])
        capture.delay_minutes = _delay(meeting, capture.recorded_at, zone)
    _name_worker(meeting, data.co_worker_id)
    _unname_worker(meeting, previous_co_worker, data.co_worker_id)
    if db.session.scalar(select(exists().where(Debrief.meeting_id == meeting.id))):
        capture.edited_after_compare_at = now
    audit.record("capture.edited", f"capture:{capture.id}", user=editor)
    return capture


def _replay(existing: Capture, author: User, client: Client, data: CaptureData) -> Saved:
    if existing.author_id != author.id:
        raise CaptureConflict(_l("This form was already used. Reload the page and try again."))
    if not same_content(existing, client, data):
        raise ChangedResend(existing, data)
    return Saved(existing, created=False)


def _refuse_second_capture(meeting_id: int, author: User) -> None:
    existing = capture_of(meeting_id, author.id)
    if existing is not None:
        raise CaptureConflict(_l("You have already captured this meeting."), existing)


def _after_race(author: User, client: Client, data: CaptureData,
                meeting_id: int | None) -> Saved:
    """After a unique violation: the same key won (a retry), or the same meeting did."""
    existing = capture_for_key(data.idempotency_key)
    if existing is not None:
        return _replay(existing, author, client, data)
    if meeting_id is not None:
        _refuse_second_capture(meeting_id, author)
    raise CaptureConflict(_l("This capture could not be saved. Please try again."))


def _same_day_meeting(author: User, client: Client, held_on: date) -> Meeting | None:
    captured = exists().where(Capture.meeting_id == Meeting.id, Capture.author_id == author.id)
    return db.session.scalar(
        select(Meeting).join(MeetingWorker)
        .where(Meeting.client_id == client.id, Meeting.held_on == held_on,
               MeetingWorker.user_id == author.id, ~captured)
        .order_by(Meeting.id).limit(1)
    )


def _columns(data: CaptureData) -> dict:
    columns = asdict(data)
    columns["marks"] = list(data.marks)
    return columns


def _delay(meeting: Meeting, recorded_at: datetime, zone: ZoneInfo) -> int:
    return delay_minutes(meeting.held_on, meeting.starts_at, meeting.length_minutes,
                         recorded_at, zone)


def _name_worker(meeting: Meeting, user_id: int | None) -> None:
    if user_id is not None and all(w.user_id != user_id for w in meeting.workers):
        meeting.workers.append(MeetingWorker(user_id=user_id))


def _unname_worker(meeting: Meeting, previous: int | None, current: int | None) -> None:
    """Take back a co-worker named by mistake, unless they created or captured the meeting."""
    if previous is None or previous == current or previous == meeting.created_by_id:
        return
    if capture_of(meeting.id, previous) is not None:
        return
    meeting.workers = [w for w in meeting.workers if w.user_id != previous]


def _sole_author(capture: Capture) -> bool:
    """The author created the meeting and nobody else has captured it."""
    meeting = capture.meeting
    if meeting.created_by_id != capture.author_id:
        return False
    others = exists().where(Capture.meeting_id == meeting.id, Capture.id != capture.id)
    return not db.session.scalar(select(others))
