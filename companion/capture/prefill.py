"""What the capture form shows: prefilled values for a new capture, for a meeting a partner
recorded, for an edit, or the values just posted (to show them again with messages)."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from companion.capture.operations import new_key
from companion.capture.validation import RATINGS
from companion.clock import local_now
from companion.content import CATEGORIES
from companion.extensions import db
from companion.models import Capture, Meeting

DEFAULT_LENGTH = 60
FIELDS = ("idempotency_key", "client_id", "meeting_id", "attendance", "held_on", "starts_at",
          "length_minutes", *RATINGS, "next_step", "note", "co_worker_id")


def for_new(client_id: int, zone: ZoneInfo, co_worker_id: int | None,
            now: datetime | None = None) -> dict:
    """Today, a start that ends the meeting about now, the client's usual length, held."""
    length = db.session.scalar(
        select(Meeting.length_minutes)
        .where(Meeting.client_id == client_id, Meeting.attendance == "held")
        .order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(1)
    ) or DEFAULT_LENGTH
    wall = local_now(zone, now)
    start = max(wall - timedelta(minutes=length), wall.replace(hour=0, minute=0))
    start = start.replace(minute=start.minute - start.minute % 15, second=0, microsecond=0)
    return _blank() | {
        "idempotency_key": new_key(),
        "client_id": str(client_id),
        "attendance": "held",
        "held_on": wall.date().isoformat(),
        "starts_at": start.time().isoformat("minutes"),
        "length_minutes": str(length),
        "co_worker_id": str(co_worker_id or ""),
    }


def for_meeting(meeting: Meeting, co_worker_id: int | None, viewer_id: int | None = None) -> dict:
    """The meeting's date; its time, length and attendance only when they are not what another
    worker recorded (blind pairing: never prefill from the partner's values). The observations
    are always the worker's own."""
    values = _blank() | {
        "idempotency_key": new_key(),
        "client_id": str(meeting.client_id),
        "meeting_id": str(meeting.id),
        "attendance": "held",
        "held_on": meeting.held_on.isoformat(),
        "co_worker_id": str(co_worker_id or ""),
    }
    if recorded_by_another(meeting, viewer_id):
        return values
    return values | {"attendance": meeting.attendance,
                     "starts_at": meeting.starts_at.isoformat("minutes"),
                     "length_minutes": str(meeting.length_minutes)}


def recorded_by_another(meeting: Meeting, viewer_id: int | None) -> bool:
    """The meeting's time, length and attendance came from another worker's capture."""
    return meeting.created_by_id is not None and meeting.created_by_id != viewer_id


def for_capture(capture: Capture) -> dict:
    ratings = {name: str(getattr(capture, name) or "") for name in RATINGS}
    return ratings | {
        "idempotency_key": capture.idempotency_key,
        "client_id": str(capture.meeting.client_id),
        "meeting_id": str(capture.meeting_id),
        "attendance": capture.attendance,
        "held_on": capture.held_on.isoformat(),
        "starts_at": capture.starts_at.isoformat("minutes"),
        "length_minutes": str(capture.length_minutes),
        "marks": set(capture.marks),
        "next_step": capture.next_step or "",
        "note": capture.note or "",
        "co_worker_id": str(capture.co_worker_id or ""),
    }


def from_form(form: Mapping) -> dict:
    """The posted values as they were typed, to show the form again."""
    values = {name: str(form.get(name, "")) for name in FIELDS}
    values["marks"] = {mark for category in CATEGORIES for mark in form.getlist(category)}
    return values


def _blank() -> dict:
    return dict.fromkeys(FIELDS, "") | {"marks": set()}
