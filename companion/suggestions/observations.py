"""What the rules read: one worker's capture of a meeting, and a meeting as all saw it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from companion.content import WARNING_IDS
from companion.vocabulary import ATTENDANCE, TOOK_PLACE

WARNINGS = frozenset(WARNING_IDS)
ATTENDANCE_ORDER = tuple(ATTENDANCE)


@dataclass(frozen=True)
class Observation:
    """One worker's capture of one meeting, as plain data."""

    capture_id: int
    meeting_id: int
    author: str
    held_on: date
    attendance: str
    marks: frozenset[str]
    goals: int | None = None
    tasks: int | None = None
    bond: int | None = None
    # the meeting's date and start time: orders a day's meetings and spots one recorded twice
    slot: tuple[date, time] | None = None
    recorded_at: datetime | None = None  # when the capture was saved
    acknowledged: bool = False  # a worker acknowledged the meeting's warning signs on the card


@dataclass(frozen=True)
class MeetingSeen:
    """A meeting as all its captures together saw it: the union of their marks."""

    meeting_id: int
    held_on: date
    attendance: str
    marks: frozenset[str]
    starts_at: time | None = None
    recorded_at: datetime | None = None  # the latest capture of it
    acknowledged: bool = False

    @property
    def attended(self) -> bool:
        return self.attendance in TOOK_PLACE

    @property
    def warnings(self) -> frozenset[str]:
        return self.marks & WARNINGS


@dataclass(frozen=True)
class Suggestion:
    kind: str  # stay | move | crisis | back
    to_phase: str | None
    reasons: tuple[str, ...]
    flags: tuple[str, ...] = ()
    last_capture_id: int | None = None

    @property
    def key(self) -> str:
        """What a decision about this suggestion is stored under."""
        return f"{self.kind}:{self.to_phase or ''}"

    @property
    def actionable(self) -> bool:
        return self.kind != "stay"


def merge_meetings(history: Iterable[Observation]) -> list[MeetingSeen]:
    """One entry per meeting, newest first in meeting order (date, then start time), whatever
    order they were captured in. Marks are the union of every capture's marks and attendance
    the most attended any capture reports. Meetings of the same client on the same date at the
    same start time are one meeting recorded twice (a form saved again, a no-show entered next
    to the held meeting): they count once."""
    grouped: dict[object, list[Observation]] = {}
    for observation in history:
        grouped.setdefault(_same_meeting(observation), []).append(observation)
    meetings = [
        MeetingSeen(
            meeting_id=min(o.meeting_id for o in captures),
            held_on=min(o.held_on for o in captures),
            attendance=min((o.attendance for o in captures), key=ATTENDANCE_ORDER.index),
            marks=frozenset().union(*(o.marks for o in captures)),
            starts_at=captures[0].slot[1] if captures[0].slot else None,
            recorded_at=max((o.recorded_at for o in captures if o.recorded_at), default=None),
            acknowledged=any(o.acknowledged for o in captures),
        )
        for captures in grouped.values()
    ]
    return sorted(meetings, key=_meeting_order, reverse=True)


def _same_meeting(observation: Observation) -> object:
    return observation.slot or observation.meeting_id


def _meeting_order(meeting: MeetingSeen) -> tuple:
    return (meeting.held_on, meeting.starts_at or time.min, meeting.meeting_id)


def live_warnings(meetings: list[MeetingSeen]) -> list[MeetingSeen]:
    """Meetings (newest first, as `merge_meetings` gives them) whose warning signs are still
    live: no meeting held after them was captured after them. A meeting back-filled with a
    warning sign stays live even when a later meeting was captured earlier without one: that
    capture could not say the sign had gone. Signs a worker acknowledged on the card are not
    live either."""
    live = []
    for index, meeting in enumerate(meetings):
        if not (meeting.attended and meeting.warnings) or meeting.acknowledged:
            continue
        if not any(m.attended and _captured_after(m, meeting) for m in meetings[:index]):
            live.append(meeting)
    return live


def _captured_after(later: MeetingSeen, earlier: MeetingSeen) -> bool:
    if later.recorded_at is None or earlier.recorded_at is None:
        return True
    return later.recorded_at > earlier.recorded_at
