"""The plain data a monthly report is computed from: no sessions, no requests, no ORM objects.

Free-text notes and next steps are deliberately absent: the query never loads them.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from companion import vocabulary


@dataclass(frozen=True)
class ClientRow:
    id: int
    code: str
    phase: str
    created_at: datetime
    closed_at: datetime | None = None
    closed_reason: str | None = None


@dataclass(frozen=True)
class MeetingRow:
    id: int
    client_id: int
    held_on: date
    attendance: str


@dataclass(frozen=True)
class CaptureRow:
    meeting_id: int
    author_id: int
    attendance: str  # as this worker recorded it
    marks: tuple[str, ...]
    goals: int | None
    tasks: int | None
    bond: int | None
    delay_minutes: int
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class PhaseChangeRow:
    client_id: int
    from_phase: str | None
    to_phase: str
    changed_at: datetime


@dataclass(frozen=True)
class MilestoneRow:
    client_id: int
    title: str
    reached_on: date


DIMENSIONS = tuple(vocabulary.DIMENSIONS)


@dataclass(frozen=True)
class DimensionRow:
    client_id: int
    month: str
    scores: tuple[int | None, ...]  # in the order of DIMENSIONS; None: not known (missing)


@dataclass(frozen=True)
class DebriefRow:
    """A debrief of one of the month's meetings; whether a next step was agreed, never its text."""

    meeting_id: int
    opened_at: datetime
    closed_at: datetime | None
    agreed: bool


@dataclass(frozen=True)
class AssignmentRow:
    client_id: int
    username: str
    role: str  # lead_worker | co_worker


@dataclass(frozen=True)
class PairRow:
    first_id: int
    second_id: int


@dataclass(frozen=True)
class ReportData:
    """Everything of one team that a month's report needs, as loaded by `queries.report_data`."""

    team_id: int
    team_name: str
    month: date
    clients: tuple[ClientRow, ...] = ()
    meetings: tuple[MeetingRow, ...] = ()
    captures: tuple[CaptureRow, ...] = ()
    phase_changes: tuple[PhaseChangeRow, ...] = ()
    milestones: tuple[MilestoneRow, ...] = ()
    ratings: tuple[DimensionRow, ...] = ()
    pairs: tuple[PairRow, ...] = ()
    usernames: dict[int, str] = field(default_factory=dict)
    aggregate: dict | None = None
    # the trend window: this month and the five before it (meetings, captures, aggregates)
    trend_meetings: tuple[MeetingRow, ...] = ()
    trend_captures: tuple[CaptureRow, ...] = ()
    aggregates: dict[str, dict] = field(default_factory=dict)
    debriefs: tuple[DebriefRow, ...] = ()
    assignments: tuple[AssignmentRow, ...] = ()
    today: date | None = None  # the team's date when the report was made; None: month is over
