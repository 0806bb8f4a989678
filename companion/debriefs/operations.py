"""Paired debriefs: who may see a shared meeting, opening, agreeing, closing; pair agreement."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload, selectinload

from companion import access, agreement, audit
from companion.cards import Vocabulary
from companion.clock import local_now
from companion.debriefs.comparison import Comparison, Seen, compare
from companion.extensions import db
from companion.models import Capture, Client, Debrief, Meeting, MeetingWorker, Pair, User, utcnow

TOOK_PLACE = ("held", "cut_short")  # only these meetings count for agreement
REMINDER_AFTER = timedelta(hours=24)
HOME_LOOKBACK_DAYS = 60
HOME_COMPARE_LIMIT = 5
PAIR_PAGE_MONTHS = 4


class DebriefClosed(Exception):
    """The debrief was closed: it is read-only history now."""


def content() -> tuple[Vocabulary, dict[str, str]]:
    """The capture vocabulary and the discussion prompts, both loaded at start-up."""
    return current_app.extensions["content"].vocabulary, current_app.extensions["debrief_prompts"]


def observed_ids(vocabulary: Vocabulary) -> tuple[str, ...]:
    """The markers a pair compares: what they observed, not their own practice check."""
    return tuple(m.id for m in (*vocabulary.readiness, *vocabulary.warning))


@dataclass
class SharedMeeting:
    """A meeting of two workers as the current user may see it.

    For a worker, `workers` and `captures` put the viewer first; for a lead, both are in
    username order. A worker only gets here once their own capture is saved.
    """

    meeting: Meeting
    workers: tuple[User, User]
    captures: tuple[Capture | None, Capture | None]
    viewer_is_worker: bool
    debrief: Debrief | None

    @property
    def both_in(self) -> bool:
        return all(capture is not None for capture in self.captures)

    @property
    def partner(self) -> User:
        return self.workers[1]

    def comparison(self, observed: tuple[str, ...]) -> Comparison | None:
        """The comparison from the first worker's side, or None until both captures are in."""
        if not self.both_in:
            return None
        first, second = self.captures
        return compare(Seen.of(first), Seen.of(second), observed)


def load_shared_meeting(meeting_id: int) -> SharedMeeting:
    """The shared meeting, or 404: it must be a two-worker meeting of a client the user may
    see, the viewing worker must be one of the two, and must have saved their own capture."""
    meeting = db.session.scalar(
        select(Meeting).options(selectinload(Meeting.workers).joinedload(MeetingWorker.user))
        .where(Meeting.id == meeting_id)
    )
    if meeting is None:
        deny(meeting_id)
    access.load_client(meeting.client_id, action="debrief.view")
    workers = sorted((mw.user for mw in meeting.workers), key=lambda user: user.username)
    viewer_is_worker = current_user.role == "worker"
    worker_ids = [worker.id for worker in workers]
    if len(workers) != 2 or (viewer_is_worker and current_user.id not in worker_ids):
        deny(meeting_id)
    if viewer_is_worker and worker_ids[0] != current_user.id:
        workers.reverse()
    by_author = {
        capture.author_id: capture
        for capture in db.session.scalars(select(Capture).where(Capture.meeting_id == meeting.id))
    }
    captures = (by_author.get(workers[0].id), by_author.get(workers[1].id))
    if viewer_is_worker and captures[0] is None:
        deny(meeting_id)  # blind until one's own capture is saved
    debrief = db.session.scalar(select(Debrief).where(Debrief.meeting_id == meeting.id))
    audit.record("debrief.view", f"meeting:{meeting.id}")
    return SharedMeeting(meeting, tuple(workers), captures, viewer_is_worker, debrief)


def deny(meeting_id: int):
    """Audit the refusal and answer 404: not found, or not yours to see."""
    audit.record("access.denied", f"meeting:{meeting_id}")
    db.session.commit()
    abort(404)


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


# Home ------------------------------------------------------------------------------------------


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
    both in and the debrief still open), so its cost follows the open work, not the history."""
    result = HomeDebriefs(pairs=pairs_of(user))
    if user.role != "worker":
        return result
    for meeting, partner, mine, theirs, debrief in db.session.execute(_open_shared(user)):
        _sort_home_item(result, meeting, partner, mine, theirs, debrief)
    result.compare = result.compare[:HOME_COMPARE_LIMIT]
    return result


# Built once: aliases cost more to make than the query that uses them.
_ME, _OTHER = aliased(MeetingWorker, name="me"), aliased(MeetingWorker, name="other")
_MINE, _THEIRS = aliased(Capture, name="mine"), aliased(Capture, name="theirs")
_PARTNER = aliased(User, name="partner")


def _open_shared(user: User):
    me, other, mine, theirs, partner = _ME, _OTHER, _MINE, _THEIRS, _PARTNER
    visible = access.visible_clients(user).with_only_columns(Client.id)
    workers = select(func.count()).where(MeetingWorker.meeting_id == Meeting.id)
    return (
        select(Meeting, partner, mine.recorded_at, theirs.recorded_at, Debrief)
        .options(joinedload(Meeting.client))
        .join(me, and_(me.meeting_id == Meeting.id, me.user_id == user.id))
        .join(other, and_(other.meeting_id == Meeting.id, other.user_id != user.id))
        .join(partner, partner.id == other.user_id)
        .outerjoin(mine, and_(mine.meeting_id == Meeting.id, mine.author_id == user.id))
        .outerjoin(theirs, and_(theirs.meeting_id == Meeting.id,
                                theirs.author_id == other.user_id))
        .outerjoin(Debrief, Debrief.meeting_id == Meeting.id)
        .where(Meeting.client_id.in_(visible),
               Meeting.held_on >= local_now().date() - timedelta(days=HOME_LOOKBACK_DAYS),
               or_(mine.id.is_not(None), theirs.id.is_not(None)),
               or_(mine.id.is_(None), theirs.id.is_(None), Debrief.closed_at.is_(None)),
               workers.scalar_subquery() == 2)
        .order_by(Meeting.held_on.desc(), Meeting.starts_at.desc())
    )


def _sort_home_item(result, meeting, partner, mine, theirs, debrief) -> None:
    if theirs and not mine:
        result.waiting.append(HomeItem("waiting", meeting, partner, theirs))
    elif mine and not theirs and utcnow() - mine > REMINDER_AFTER:
        result.partner_late.append(HomeItem("partner_late", meeting, partner, mine))
    elif mine and theirs and (debrief is None or debrief.closed_at is None):
        result.compare.append(HomeItem("compare", meeting, partner, None, debrief))


# Pairs -----------------------------------------------------------------------------------------


def pairs_of(user: User) -> list[Pair]:
    """The pairs a worker belongs to, or every pair of a lead's team."""
    query = select(Pair).options(joinedload(Pair.first), joinedload(Pair.second))
    if user.role == "worker":
        query = query.where((Pair.first_id == user.id) | (Pair.second_id == user.id))
    elif user.role == "lead":
        query = query.where(Pair.team_id == user.team_id)
    else:
        return []
    return list(db.session.scalars(query.order_by(Pair.id)))


def pair_of(workers: Sequence[User]) -> Pair | None:
    """The pair these two workers form, if they are one (pairs store the lower id first)."""
    if len(workers) != 2:
        return None
    low, high = sorted(worker.id for worker in workers)
    return db.session.scalar(select(Pair).where(Pair.first_id == low, Pair.second_id == high))


def load_pair(pair_id: int) -> Pair:
    """The pair if the current user is one of its workers or leads its team, else 404."""
    pair = db.session.get(Pair, pair_id)
    allowed = pair is not None and (
        current_user.id in (pair.first_id, pair.second_id)
        if current_user.role == "worker"
        else pair.team_id == current_user.team_id
    )
    if not allowed:
        audit.record("access.denied", f"pair:{pair_id}")
        db.session.commit()
        abort(404)
    audit.record("pair.view", f"pair:{pair.id}")
    return pair


def _shared_captures(pair: Pair, start: date, end: date):
    """(meeting, first's capture, second's capture) for meetings of the pair's team held in
    [start, end) that both captured as taking place."""
    first, second = aliased(Capture), aliased(Capture)
    return (
        select(Meeting, first, second)
        .join(first, first.meeting_id == Meeting.id)
        .join(second, second.meeting_id == Meeting.id)
        .join(Client, Client.id == Meeting.client_id)
        .where(first.author_id == pair.first_id, second.author_id == pair.second_id,
               first.attendance.in_(TOOK_PLACE), second.attendance.in_(TOOK_PLACE),
               Client.team_id == pair.team_id,
               Meeting.held_on >= start, Meeting.held_on < end)
        .order_by(Meeting.held_on, Meeting.starts_at)
    )


def shared_marks(pair: Pair, start: date, end: date) -> list[tuple[set[str], set[str]]]:
    """The marks of the pair's first and second worker at each shared meeting in [start, end),
    ready for `agreement.marker_agreement` (docs/agreement.md says which meetings count)."""
    rows = db.session.execute(_shared_captures(pair, start, end)).all()
    return [(set(a.marks or ()), set(b.marks or ())) for _, a, b in rows]


def month_start(day: date, back: int = 0) -> date:
    """The first day of the month `back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class MonthAgreement:
    month: date
    overall: agreement.MarkerAgreement
    markers: list[agreement.MarkerAgreement]


def pair_months(pair: Pair, today: date, observed: tuple[str, ...],
                months: int = PAIR_PAGE_MONTHS) -> list[MonthAgreement]:
    """Agreement per month for the last `months` months, newest first."""
    result = []
    for back in range(months):
        start, end = month_start(today, back), month_start(today, back - 1)
        pairs = shared_marks(pair, start, end)
        result.append(MonthAgreement(
            start, agreement.overall_agreement(pairs, observed),
            agreement.marker_agreement(pairs, observed),
        ))
    return result


def recent_shared_meetings(pair: Pair, limit: int = 10) -> list[tuple[Meeting, Debrief | None]]:
    """The pair's latest meetings that both captured, each with its debrief if opened."""
    first, second = aliased(Capture), aliased(Capture)
    rows = db.session.execute(
        select(Meeting, Debrief)
        .options(joinedload(Meeting.client))
        .join(first, first.meeting_id == Meeting.id)
        .join(second, second.meeting_id == Meeting.id)
        .join(Client, Client.id == Meeting.client_id)
        .outerjoin(Debrief, Debrief.meeting_id == Meeting.id)
        .where(first.author_id == pair.first_id, second.author_id == pair.second_id,
               Client.team_id == pair.team_id)
        .order_by(Meeting.held_on.desc(), Meeting.starts_at.desc())
        .limit(limit)
    ).all()
    return [(meeting, debrief) for meeting, debrief in rows]
