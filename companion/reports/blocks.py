"""Per-client figures: one block per client on the team's books at the end of the month."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from companion.content import Vocabulary
from companion.reports.data import (
    CaptureRow,
    ClientRow,
    MeetingRow,
    PhaseChangeRow,
    ReportData,
)
from companion.reports.months import month_key, previous_month
from companion.reports.trend import MonthFigures, month_figures
from companion.vocabulary import ALLIANCE

FIRST_PHASE = "before_first_meeting"


@dataclass(frozen=True)
class Count:
    id: str
    label: str
    count: int


@dataclass(frozen=True)
class MeetingMarks:
    """One meeting in a client's strip: what both workers saw together (union of their ticks)."""

    held_on: date
    attendance: str
    readiness: int
    warnings: int
    captured: bool


@dataclass(frozen=True)
class RatingPoint:
    held_on: date
    goals: float | None
    tasks: float | None
    bond: float | None


@dataclass(frozen=True)
class ClientBlock:
    code: str
    phase: str
    changes: tuple[PhaseChangeRow, ...]
    meetings: tuple[MeetingMarks, ...]
    readiness: tuple[Count, ...]
    warnings: tuple[Count, ...]
    ratings: tuple[RatingPoint, ...]
    milestones: tuple[tuple[date, str], ...]
    dimensions: tuple[int, ...] | None
    previous_dimensions: tuple[int, ...] | None
    workers: tuple[tuple[str, str], ...] = ()  # (username, lead_worker | co_worker)
    this_month: MonthFigures | None = None  # this client's figures this month
    last_month: MonthFigures | None = None  # and last month


def clients_at(data: ReportData, end: datetime):
    """Clients on the team's books at `end`, each with their phase history (oldest first)."""
    history: dict[int, list[PhaseChangeRow]] = defaultdict(list)
    for change in sorted(data.phase_changes, key=lambda c: c.changed_at):
        history[change.client_id].append(change)
    met = {m.client_id for m in data.meetings}
    for client in sorted(data.clients, key=lambda c: c.code):
        changes = history[client.id]
        started = client.created_at < end or (changes and changes[0].changed_at < end)
        if started or client.id in met:
            yield client, changes


def phase_at(client: ClientRow, history: list[PhaseChangeRow], moment: datetime) -> str:
    """The phase a client was in at `moment`, from the phase history (oldest first)."""
    before = [c for c in history if c.changed_at < moment]
    if before:
        return before[-1].to_phase
    if history:
        return history[0].from_phase or FIRST_PHASE
    return client.phase


def client_blocks(data: ReportData, changes_in_month, end, vocabulary) -> tuple[ClientBlock, ...]:
    meetings = defaultdict(list)
    for meeting in sorted(data.meetings, key=lambda m: (m.held_on, m.id)):
        meetings[meeting.client_id].append(meeting)
    captures = defaultdict(list)
    for capture in data.captures:
        captures[capture.meeting_id].append(capture)
    changes = defaultdict(list)
    for change in changes_in_month:
        changes[change.client_id].append(change)
    milestones = defaultdict(list)
    for milestone in sorted(data.milestones, key=lambda m: m.reached_on):
        milestones[milestone.client_id].append((milestone.reached_on, milestone.title))
    month, previous = month_key(data.month), month_key(previous_month(data.month))
    ratings = {(r.client_id, r.month): r.scores for r in data.ratings}
    workers = defaultdict(list)
    for row in data.assignments:
        workers[row.client_id].append((row.username, row.role))
    compare = _comparison(data, vocabulary)
    return tuple(
        ClientBlock(
            code=client.code,
            phase=phase_at(client, history, end),
            changes=tuple(sorted(changes[client.id], key=lambda c: c.changed_at)),
            **_meeting_figures(meetings[client.id], captures, vocabulary),
            milestones=tuple(milestones[client.id]),
            dimensions=ratings.get((client.id, month)),
            previous_dimensions=ratings.get((client.id, previous)),
            workers=tuple(workers[client.id]),
            this_month=compare(client.id, data.month),
            last_month=compare(client.id, previous_month(data.month)),
        )
        for client, history in clients_at(data, end)
    )


def _comparison(data: ReportData, vocabulary: Vocabulary):
    """A function (client id, month) -> that client's trend.MonthFigures of the month."""
    readiness = {m.id for m in vocabulary.readiness}
    warning = {m.id for m in vocabulary.warning}
    meetings, captures = defaultdict(list), defaultdict(list)
    client_of = {}
    for meeting in data.trend_meetings:
        meetings[(meeting.client_id, month_key(meeting.held_on))].append(meeting)
        client_of[meeting.id] = (meeting.client_id, month_key(meeting.held_on))
    for capture in data.trend_captures:
        if capture.meeting_id in client_of:
            captures[client_of[capture.meeting_id]].append(capture)

    def figures(client_id: int, first: date):
        key = (client_id, month_key(first))
        return month_figures(first, meetings[key], captures[key], readiness, warning)

    return figures


def _meeting_figures(meetings: list[MeetingRow], captures: dict, vocabulary: Vocabulary) -> dict:
    """The strip, readiness and warning counts and rating trend of one client's meetings."""
    strip, points, seen = [], [], Counter()
    for meeting in meetings:
        own = captures.get(meeting.id, [])
        marks = {mark for capture in own for mark in capture.marks}
        seen.update(marks)
        strip.append(MeetingMarks(
            held_on=meeting.held_on, attendance=meeting.attendance,
            readiness=_count_in(marks, vocabulary.readiness),
            warnings=_count_in(marks, vocabulary.warning), captured=bool(own),
        ))
        point = _rating_point(meeting.held_on, own)
        if point is not None:
            points.append(point)
    return {
        "meetings": tuple(strip),
        "readiness": counts(seen, vocabulary.readiness, keep_zero=False),
        "warnings": counts(seen, vocabulary.warning, keep_zero=False),
        "ratings": tuple(points),
    }


def _count_in(marks: set[str], markers) -> int:
    return sum(marker.id in marks for marker in markers)


def counts(counter: Counter, markers, keep_zero: bool) -> tuple[Count, ...]:
    """Counts per marker, most frequent first, then in vocabulary order."""
    counts = [Count(m.id, m.label, counter[m.id]) for m in markers]
    counts = [c for c in counts if keep_zero or c.count]
    return tuple(sorted(counts, key=lambda c: -c.count))


def _rating_point(held_on: date, captures: list[CaptureRow]) -> RatingPoint | None:
    """The mean alliance ratings of one meeting's captures, or None if nobody rated it."""
    means = {}
    for part in ALLIANCE:
        values = [getattr(c, part) for c in captures if getattr(c, part) is not None]
        means[part] = sum(values) / len(values) if values else None
    if all(value is None for value in means.values()):
        return None
    return RatingPoint(held_on=held_on, **means)
