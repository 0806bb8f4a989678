"""A meeting two workers shared, as the current viewer may see it."""

from dataclasses import dataclass

from sqlalchemy import select

from companion.debriefs.comparison import Comparison, Seen, compare
from companion.extensions import db
from companion.models import Capture, Debrief, Meeting, User


@dataclass
class SharedMeeting:
    """A meeting of two workers as the current user may see it.

    For a worker, `workers` and `captures` put the viewer first; for a lead, both are in
    username order. Until a worker has saved their own capture, `own_missing` is set and
    neither capture is loaded (blind: nothing of the partner's reaches the page).
    """

    meeting: Meeting
    workers: tuple[User, User]
    captures: tuple[Capture | None, Capture | None]
    viewer_is_worker: bool
    debrief: Debrief | None
    own_missing: bool = False

    @property
    def both_in(self) -> bool:
        return all(capture is not None for capture in self.captures)

    @property
    def cancelled(self) -> bool:
        """Both recorded it as cancelled: there is nothing to compare."""
        return self.both_in and all(c.attendance == "cancelled" for c in self.captures)

    @property
    def partner(self) -> User:
        return self.workers[1]

    def comparison(self, observed: tuple[str, ...]) -> Comparison | None:
        """The comparison from the first worker's side, or None until both captures are in."""
        if not self.both_in or self.cancelled:
            return None
        first, second = self.captures
        return compare(Seen.of(first), Seen.of(second), observed)


def shared_meeting(meeting: Meeting, viewer: User) -> SharedMeeting | None:
    """The meeting as `viewer` may see it; None unless it is a two-worker meeting and the
    viewing worker is one of the two (without either capture until their own is saved)."""
    workers = sorted((mw.user for mw in meeting.workers), key=lambda user: user.username)
    viewer_is_worker = viewer.role == "worker"
    worker_ids = [worker.id for worker in workers]
    if len(workers) != 2 or (viewer_is_worker and viewer.id not in worker_ids):
        return None
    if viewer_is_worker and worker_ids[0] != viewer.id:
        workers.reverse()
    by_author = {
        capture.author_id: capture
        for capture in db.session.scalars(select(Capture).where(Capture.meeting_id == meeting.id))
    }
    captures = (by_author.get(workers[0].id), by_author.get(workers[1].id))
    if viewer_is_worker and captures[0] is None:
        return SharedMeeting(meeting, tuple(workers), (None, None), True, None, own_missing=True)
    debrief = db.session.scalar(select(Debrief).where(Debrief.meeting_id == meeting.id))
    return SharedMeeting(meeting, tuple(workers), captures, viewer_is_worker, debrief)


def ready_to_compare(capture: Capture) -> bool:
    """Whether `capture` completed a two-worker meeting that has something to compare."""
    meeting = capture.meeting
    if len(meeting.workers) != 2:
        return False
    others = db.session.scalars(select(Capture).where(
        Capture.meeting_id == meeting.id, Capture.author_id != capture.author_id)).all()
    return bool(others) and not all(c.attendance == "cancelled" for c in (capture, *others))
