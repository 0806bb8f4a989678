"""What the capture form offers besides its fields: the warning signs still live for the client
(each answered "still there" or "gone"), the worker's recent next steps to pick with a thumb,
and their own ratings of last time to confirm with one tap. All from what the worker may see:
their own captures, and a partner's only where the blind rule already shows them."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from companion import content, suggestions
from companion.clients.brief import next_step, observations
from companion.clients.seen import seen_captures
from companion.extensions import db
from companion.models import Capture, Meeting, WarningAcknowledgement

PICKS = 3  # next steps offered
PICK_LOOKBACK = 20  # own captures read for them


@dataclass(frozen=True)
class LiveSign:
    """A warning sign still live: no capture after it said whether it was gone."""

    marker_id: str
    label: str
    held_on: date  # the latest meeting it was seen in

    @property
    def field(self) -> str:
        return f"live_{self.marker_id}"


@dataclass(frozen=True)
class LastRatings:
    held_on: date
    values: dict[str, str]  # rating_goals, rating_tasks, rating_bond -> "1".."5"


def live_signs(client, user, before: date, meeting_id: int | None = None,
               key: str = "") -> list[LiveSign]:
    """Warning signs of meetings held up to `before` (other than `meeting_id`, and other than
    the capture stored under `key`: a phone sending it again) still live on the client's card
    as `user` sees it, once each, newest meeting first."""
    _, captures = seen_captures(client, user)
    captures = [c for c in captures if c.idempotency_key != key]
    history = [o for o in observations(captures)
               if o.held_on <= before and o.meeting_id != meeting_id]
    labels = content.current().vocabulary.by_id
    signs: dict[str, LiveSign] = {}
    for meeting in suggestions.live_warnings(suggestions.merge_meetings(history)):
        for marker_id in sorted(meeting.warnings):
            label = labels[marker_id].label if marker_id in labels else marker_id
            signs.setdefault(marker_id, LiveSign(marker_id, label, meeting.held_on))
    return list(signs.values())


def next_step_picks(client, user) -> list[str]:
    """The step planned last time (the pair's agreed one when newer), then the worker's own
    recent steps; each once."""
    planned = next_step(client, user)
    steps = [planned.text] if planned else []
    steps += db.session.scalars(
        select(Capture.next_step).join(Meeting, Meeting.id == Capture.meeting_id)
        .where(Meeting.client_id == client.id, Capture.author_id == user.id,
               Capture.next_step.is_not(None), Capture.next_step != "")
        .order_by(Meeting.held_on.desc(), Capture.recorded_at.desc()).limit(PICK_LOOKBACK)
    ).all()
    return list(dict.fromkeys(steps))[:PICKS]


def last_ratings(client, user) -> LastRatings | None:
    """The worker's own three alliance ratings of their latest capture that has all three."""
    row = db.session.execute(
        select(Capture.held_on, Capture.rating_goals, Capture.rating_tasks, Capture.rating_bond)
        .join(Meeting, Meeting.id == Capture.meeting_id)
        .where(Meeting.client_id == client.id, Capture.author_id == user.id,
               Capture.rating_goals.is_not(None), Capture.rating_tasks.is_not(None),
               Capture.rating_bond.is_not(None))
        .order_by(Meeting.held_on.desc(), Meeting.starts_at.desc(), Capture.id.desc()).limit(1)
    ).first()
    if row is None:
        return None
    held_on, *values = row
    names = ("rating_goals", "rating_tasks", "rating_bond")
    return LastRatings(held_on, dict(zip(names, map(str, values), strict=True)))


def acknowledge(meeting: Meeting, user) -> None:
    """The worker acknowledged the meeting's warning signs on the card: they stop being live.
    Once per meeting; a second tap (or a partner's) changes nothing."""
    done = exists().where(WarningAcknowledgement.meeting_id == meeting.id)
    if db.session.scalar(select(done)):
        return
    try:
        with db.session.begin_nested():
            db.session.add(WarningAcknowledgement(meeting_id=meeting.id, user_id=user.id))
    except IntegrityError:  # the same tap twice at once: the other one stored it
        pass
