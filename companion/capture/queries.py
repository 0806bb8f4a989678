"""Reading for the capture screens: meetings not captured yet, who may be named co-worker."""

from datetime import timedelta

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import joinedload

from companion.clock import local_now
from companion.extensions import db
from companion.models import (
    Assignment,
    Capture,
    Client,
    Debrief,
    Meeting,
    MeetingWorker,
    Pair,
    User,
)

UNCAPTURED_SHOWN = 20
# Meetings older than this are not offered for capture any more: the list a worker sees stays
# about the last weeks, and finding it costs the same whatever the history (an index range).
UNCAPTURED_LOOKBACK_DAYS = 60


def uncaptured_meetings(user: User, client_id: int | None = None,
                        limit: int = UNCAPTURED_SHOWN) -> list[Meeting]:
    """Meetings of the last UNCAPTURED_LOOKBACK_DAYS that `user` took part in, with a client
    still assigned to them, and no capture of theirs yet; newest first. One statement."""
    captured = exists().where(Capture.meeting_id == Meeting.id, Capture.author_id == user.id)
    assigned = (select(Assignment.client_id).join(Client, Client.id == Assignment.client_id)
                .where(Assignment.user_id == user.id, Client.closed_at.is_(None)))
    query = (
        select(Meeting)
        .options(joinedload(Meeting.client))
        .join(MeetingWorker, and_(MeetingWorker.meeting_id == Meeting.id,
                                  MeetingWorker.user_id == user.id))
        .where(Meeting.client_id.in_(assigned), ~captured,
               Meeting.held_on >= local_now().date() - timedelta(days=UNCAPTURED_LOOKBACK_DAYS))
        .order_by(Meeting.held_on.desc(), Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(limit)
    )
    if client_id is not None:
        query = query.where(Meeting.client_id == client_id)
    return list(db.session.scalars(query))


def co_worker_choices(client_id: int, author_id: int) -> list[User]:
    """The other active workers assigned to the client: who may be named as co-worker."""
    return list(db.session.scalars(
        select(User).join(Assignment, Assignment.user_id == User.id)
        .where(Assignment.client_id == client_id, User.id != author_id,
               User.role == "worker", User.active.is_(True))
        .order_by(User.username)
    ))


def default_co_worker(author_id: int, choices: list[User],
                      meeting: Meeting | None = None) -> int | None:
    """The meeting's other worker if there is one, else the author's pair partner, if either
    is assigned to the client."""
    allowed = {user.id for user in choices}
    if meeting is not None:
        others = [w.user_id for w in meeting.workers if w.user_id in allowed]
        return others[0] if others else None
    partners = db.session.execute(
        select(Pair.first_id, Pair.second_id)
        .where(or_(Pair.first_id == author_id, Pair.second_id == author_id),
               Pair.ended_at.is_(None))
    ).all()
    for first, second in partners:
        partner = second if first == author_id else first
        if partner in allowed:
            return partner
    return None


def debrief_closed(meeting_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(
        Debrief.meeting_id == meeting_id, Debrief.closed_at.is_not(None)))))


def capture_for_key(key: str) -> Capture | None:
    return db.session.scalar(select(Capture).where(Capture.idempotency_key == key))


def capture_of(meeting_id: int, author_id: int) -> Capture | None:
    return db.session.scalar(
        select(Capture).where(Capture.meeting_id == meeting_id, Capture.author_id == author_id)
    )


def own_captures_on(author_id: int, client_id: int, held_on,
                    except_key: str = "") -> list[Capture]:
    """The author's captures of meetings with the client on that date, earliest first, other
    than the one stored under `except_key` (a double tap's twin, saved a moment before)."""
    return list(db.session.scalars(
        select(Capture).options(joinedload(Capture.meeting).joinedload(Meeting.client))
        .join(Meeting, Meeting.id == Capture.meeting_id)
        .where(Capture.author_id == author_id, Meeting.client_id == client_id,
               Meeting.held_on == held_on, Capture.idempotency_key != except_key)
        .order_by(Meeting.starts_at, Meeting.id)
    ))
