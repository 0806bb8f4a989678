"""What the rules read: one worker's capture of a meeting, and a meeting as all saw it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

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


@dataclass(frozen=True)
class MeetingSeen:
    """A meeting as all its captures together saw it: the union of their marks."""

    meeting_id: int
    held_on: date
    attendance: str
    marks: frozenset[str]

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
    """One entry per meeting, newest first; marks are the union of every capture's marks and
    attendance the most attended any capture reports."""
    grouped: dict[int, list[Observation]] = {}
    for observation in history:
        grouped.setdefault(observation.meeting_id, []).append(observation)
    meetings = [
        MeetingSeen(
            meeting_id=meeting_id,
            held_on=min(o.held_on for o in captures),
            attendance=min((o.attendance for o in captures), key=ATTENDANCE_ORDER.index),
            marks=frozenset().union(*(o.marks for o in captures)),
        )
        for meeting_id, captures in grouped.items()
    ]
    return sorted(meetings, key=lambda m: (m.held_on, m.meeting_id), reverse=True)
