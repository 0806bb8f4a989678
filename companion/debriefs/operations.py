"""Changing a debrief: opening it, agreeing the next step, closing it."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from companion import audit
from companion.debriefs.shared import SharedMeeting
from companion.extensions import db
from companion.models import Debrief, User, utcnow


class DebriefClosed(Exception):
    """The debrief was closed: it is read-only history now."""


def open_debrief(shared: SharedMeeting) -> Debrief:
    """The meeting's debrief, created (opened now) the first time a worker looks at it."""
    if shared.debrief is not None:
        return shared.debrief
    try:
        with db.session.begin_nested():
            debrief = Debrief(meeting_id=shared.meeting.id, opened_at=utcnow())
            db.session.add(debrief)
    except IntegrityError:  # the partner opened it at the same moment
        debrief = db.session.scalar(
            select(Debrief).where(Debrief.meeting_id == shared.meeting.id)
        )
    else:
        audit.record("debrief.open", f"meeting:{shared.meeting.id}")
    shared.debrief = debrief
    return debrief


def agree_next_step(debrief: Debrief, text: str, user: User) -> None:
    """Set the pair's one agreed next step (either worker may reword it until it is closed)."""
    if debrief.closed_at is not None:
        raise DebriefClosed
    debrief.agreed_next_step = text
    debrief.agreed_by_id = user.id
    debrief.agreed_at = utcnow()
    audit.record("debrief.next_step", f"meeting:{debrief.meeting_id}")


def close_debrief(debrief: Debrief, user: User) -> None:
    """Close the debrief: from now on it is read-only history. Closing twice changes nothing."""
    if debrief.closed_at is not None:
        return
    debrief.closed_at = utcnow()
    debrief.closed_by_id = user.id
    audit.record("debrief.close", f"meeting:{debrief.meeting_id}")
