"""What a worker's home says about shared meetings: only who captured when, no content."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from companion import access
from companion.clock import local_now
from companion.debriefs.pairs import pairs_of
from companion.extensions import db
from companion.models import Capture, Client, Debrief, Meeting, MeetingWorker, Pair, User, utcnow

REMINDER_AFTER = timedelta(hours=24)
HOME_LOOKBACK_DAYS = 60
HOME_COMPARE_LIMIT = 5


@dataclass
class HomeItem:
    """One line on a worker's home about a shared meeting."""

    kind: str  # waiting (yours is missing), partner_late (theirs is), compare (both are in)
    meeting: Meeting
    partner: User
    since: datetime | None = None  # when the first capture was saved (naive UTC)
    debrief: Debrief | None = None

    @property
    def overdue(self) -> bool:
        return self.since is not None and utcnow() - self.since > REMINDER_AFTER

    @property
    def days_ago(self) -> int:
        return (local_now().date() - self.meeting.held_on).days


@dataclass
class HomeDebriefs:
    waiting: list[HomeItem] = field(default_factory=list)
    partner_late: list[HomeItem] = field(default_factory=list)
    compare: list[HomeItem] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)


def home_debriefs(user: User) -> HomeDebriefs:
    """What a worker's home says about shared meetings: only who captured when, no content."""
    result = HomeDebriefs(pairs=pairs_of(user))
    if user.role != "worker":
        return result
    visible = access.visible_clients(user).with_only_columns(Client.id)
    meetings = db.session.scalars(
        select(Meeting)
        .options(selectinload(Meeting.workers).joinedload(MeetingWorker.user),
                 joinedload(Meeting.client))
        .where(Meeting.id.in_(select(MeetingWorker.meeting_id)
                              .where(MeetingWorker.user_id == user.id)),
               Meeting.client_id.in_(visible),
               Meeting.held_on >= local_now().date() - timedelta(days=HOME_LOOKBACK_DAYS))
        .order_by(Meeting.held_on.desc(), Meeting.starts_at.desc())
    ).all()
    shared = [m for m in meetings if len(m.workers) == 2]
    ids = [m.id for m in shared]
    saved = {
        (meeting_id, author_id): recorded_at
        for meeting_id, author_id, recorded_at in db.session.execute(
            select(Capture.meeting_id, Capture.author_id, Capture.recorded_at)
            .where(Capture.meeting_id.in_(ids))
        ).all()
    }
    debriefs = {d.meeting_id: d for d in db.session.scalars(
        select(Debrief).where(Debrief.meeting_id.in_(ids))
    )}
    for meeting in shared:
        partner = next(mw.user for mw in meeting.workers if mw.user_id != user.id)
        _sort_home_item(result, user, meeting, partner, saved, debriefs.get(meeting.id))
    result.compare = result.compare[:HOME_COMPARE_LIMIT]
    return result


def _sort_home_item(result, user, meeting, partner, saved, debrief) -> None:
    mine = saved.get((meeting.id, user.id))
    theirs = saved.get((meeting.id, partner.id))
    if theirs and not mine:
        result.waiting.append(HomeItem("waiting", meeting, partner, theirs))
    elif mine and not theirs and utcnow() - mine > REMINDER_AFTER:
        result.partner_late.append(HomeItem("partner_late", meeting, partner, mine))
    elif mine and theirs and (debrief is None or debrief.closed_at is None):
        result.compare.append(HomeItem("compare", meeting, partner, None, debrief))
