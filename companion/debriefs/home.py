"""What a worker's home says about shared meetings: only who captured when, no content."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from companion import access
from companion.clock import local_now
from companion.debriefs.pairs import pairs_of
from companion.extensions import db
from companion.models import Capture, Debrief, Meeting, MeetingWorker, Pair, User, utcnow

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
    """What a worker's home says about shared meetings: only who captured when, no content.

    One statement that returns only the meetings with something to say (one capture in, or
    both in and nothing decided yet: no agreed step, not closed, not both recorded as
    cancelled), so its cost follows the open work, not the history."""
    result = HomeDebriefs(pairs=pairs_of(user))
    if user.role != "worker" or not user.is_confirmed:
        return result
    since = local_now().date() - timedelta(days=HOME_LOOKBACK_DAYS)
    for meeting, partner, mine, theirs, debrief in db.session.execute(
            _OPEN_SHARED, {"viewer_id": user.id, "since": since}):
        _sort_home_item(result, meeting, partner, mine, theirs, debrief)
    result.compare = result.compare[:HOME_COMPARE_LIMIT]
    return result


def _undecided():
    """A debrief not closed and without an agreed step (or none yet): still to compare."""
    return and_(Debrief.closed_at.is_(None),
                or_(Debrief.agreed_next_step.is_(None), Debrief.agreed_next_step == ""))


def _open_shared():
    """Built once, with the viewer and the first day as parameters (constructing it cost
    more than running it)."""
    me, other = aliased(MeetingWorker, name="me"), aliased(MeetingWorker, name="other")
    mine, theirs = aliased(Capture, name="mine"), aliased(Capture, name="theirs")
    partner = aliased(User, name="partner")
    viewer = bindparam("viewer_id")
    workers = select(func.count()).where(MeetingWorker.meeting_id == Meeting.id)
    return (
        select(Meeting, partner, mine.recorded_at, theirs.recorded_at, Debrief)
        .options(joinedload(Meeting.client))
        .join(me, and_(me.meeting_id == Meeting.id, me.user_id == viewer))
        .join(other, and_(other.meeting_id == Meeting.id, other.user_id != viewer))
        .join(partner, partner.id == other.user_id)
        .outerjoin(mine, and_(mine.meeting_id == Meeting.id, mine.author_id == viewer))
        .outerjoin(theirs, and_(theirs.meeting_id == Meeting.id,
                                theirs.author_id == other.user_id))
        .outerjoin(Debrief, Debrief.meeting_id == Meeting.id)
        .where(Meeting.client_id.in_(access.ASSIGNED_TO_VIEWER),
               Meeting.held_on >= bindparam("since"),
               or_(mine.id.is_not(None), theirs.id.is_not(None)),
               or_(mine.id.is_(None), theirs.id.is_(None),
                   and_(_undecided(), or_(mine.attendance != "cancelled",
                                          theirs.attendance != "cancelled"))),
               workers.scalar_subquery() == 2)
        .order_by(Meeting.held_on.desc(), Meeting.starts_at.desc())
    )


_OPEN_SHARED = _open_shared()


def _sort_home_item(result, meeting, partner, mine, theirs, debrief) -> None:
    if theirs and not mine:
        result.waiting.append(HomeItem("waiting", meeting, partner, theirs))
    elif mine and not theirs and utcnow() - mine > REMINDER_AFTER:
        result.partner_late.append(HomeItem("partner_late", meeting, partner, mine))
    elif mine and theirs:  # the query left out decided and cancelled ones
        result.compare.append(HomeItem("compare", meeting, partner, None, debrief))
