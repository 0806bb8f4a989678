"""Report figures: a pure function from plain data to everything the monthly PDF shows."""

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from statistics import median

from companion import agreement
from companion.cards import Vocabulary
from companion.phases import PHASES
from companion.reports.data import (
    CaptureRow,
    ClientRow,
    MeetingRow,
    PhaseChangeRow,
    ReportData,
)
from companion.reports.months import month_key, next_month, previous_month

ATTENDANCE = ("held", "cut_short", "no_show", "cancelled")
TOOK_PLACE = ("held", "cut_short")
LEAST_AGREED = 3
FIRST_PHASE = "before_first_meeting"
AGGREGATE_VERSION = 1


@dataclass(frozen=True)
class Headline:
    """The first page; anonymous, so it is what a MonthlyAggregate keeps after a purge."""

    meetings: dict[str, int]
    clients_per_phase: dict[str, int]
    phase_changes: int
    crises_opened: int
    captures: int
    median_delay_minutes: float | None

    def to_dict(self) -> dict:
        return {"version": AGGREGATE_VERSION, **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict) -> "Headline":
        return cls(
            meetings={a: int(data.get("meetings", {}).get(a, 0)) for a in ATTENDANCE},
            clients_per_phase={
                p: int(data.get("clients_per_phase", {}).get(p, 0)) for p in PHASES
            },
            phase_changes=int(data.get("phase_changes", 0)),
            crises_opened=int(data.get("crises_opened", 0)),
            captures=int(data.get("captures", 0)),
            median_delay_minutes=data.get("median_delay_minutes"),
        )


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


@dataclass(frozen=True)
class PairFigures:
    names: tuple[str, str]
    meetings: int
    percent: float | None
    kappa: float | None
    kappa_note: str | None
    least_agreed: tuple[tuple[str, float], ...]  # (marker label, percent), lowest first


@dataclass(frozen=True)
class Practice:
    captures: int
    moves: tuple[Count, ...]
    slips: tuple[Count, ...]


@dataclass(frozen=True)
class Attention:
    """What a lead may want to look at first; each a short list of client codes."""

    crises: tuple[tuple[str, date], ...]  # crisis opened: client, day
    warnings: tuple[tuple[str, int], ...]  # warning signs in 2+ meetings: client, meetings
    no_shows: tuple[tuple[str, int], ...]  # 2+ no-shows: client, no-shows
    unmet: tuple[str, ...]  # clients past the first meeting with no meeting this month
    slips: tuple[Count, ...]  # the don'ts that slipped most often

    def __bool__(self) -> bool:
        return any((self.crises, self.warnings, self.no_shows, self.unmet, self.slips))


@dataclass(frozen=True)
class MonthlyFigures:
    team_name: str
    month: date
    headline: Headline
    clients: tuple[ClientBlock, ...]
    pairs: tuple[PairFigures, ...]
    practice: Practice | None
    has_data: bool
    from_aggregate: bool
    attention: Attention | None = None


def monthly_figures(data: ReportData, vocabulary: Vocabulary) -> MonthlyFigures:
    """Every figure of the month `data.month` for the team `data` describes."""
    start, end = _moment(data.month), _moment(next_month(data.month))
    changes = tuple(c for c in data.phase_changes if start <= c.changed_at < end)
    month = month_key(data.month)
    has_data = bool(
        data.meetings or data.captures or changes or data.milestones
        or any(r.month == month for r in data.ratings)
    )
    if data.aggregate is not None and not data.captures:
        return MonthlyFigures(
            team_name=data.team_name, month=data.month,
            headline=Headline.from_dict(data.aggregate), clients=(), pairs=(), practice=None,
            has_data=True, from_aggregate=True,
        )
    blocks = client_blocks(data, changes, end, vocabulary)
    habits = practice(data.captures, vocabulary)
    return MonthlyFigures(
        team_name=data.team_name,
        month=data.month,
        headline=headline(data, changes, end),
        clients=blocks,
        pairs=pair_figures(data, vocabulary),
        practice=habits,
        has_data=has_data,
        from_aggregate=False,
        attention=attention(blocks, habits),
    )


def _moment(day: date) -> datetime:
    return datetime.combine(day, time())


def headline(data: ReportData, changes_in_month, end: datetime) -> Headline:
    attendance = Counter(m.attendance for m in data.meetings)
    phases = Counter(
        phase_at(client, history, end) for client, history in _clients_at(data, end)
    )
    delays = [c.delay_minutes for c in data.captures]
    return Headline(
        meetings={a: attendance[a] for a in ATTENDANCE},
        clients_per_phase={p: phases[p] for p in PHASES},
        phase_changes=len(changes_in_month),
        crises_opened=sum(c.to_phase == "crisis" for c in changes_in_month),
        captures=len(data.captures),
        median_delay_minutes=median(delays) if delays else None,
    )


def _clients_at(data: ReportData, end: datetime):
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
    return tuple(
        ClientBlock(
            code=client.code,
            phase=phase_at(client, history, end),
            changes=tuple(sorted(changes[client.id], key=lambda c: c.changed_at)),
            **_meeting_figures(meetings[client.id], captures, vocabulary),
            milestones=tuple(milestones[client.id]),
            dimensions=ratings.get((client.id, month)),
            previous_dimensions=ratings.get((client.id, previous)),
        )
        for client, history in _clients_at(data, end)
    )


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
        "readiness": _counts(seen, vocabulary.readiness, keep_zero=False),
        "warnings": _counts(seen, vocabulary.warning, keep_zero=False),
        "ratings": tuple(points),
    }


def _count_in(marks: set[str], markers) -> int:
    return sum(marker.id in marks for marker in markers)


def _counts(counter: Counter, markers, keep_zero: bool) -> tuple[Count, ...]:
    """Counts per marker, most frequent first, then in vocabulary order."""
    counts = [Count(m.id, m.label, counter[m.id]) for m in markers]
    counts = [c for c in counts if keep_zero or c.count]
    return tuple(sorted(counts, key=lambda c: -c.count))


def _rating_point(held_on: date, captures: list[CaptureRow]) -> RatingPoint | None:
    """The mean alliance ratings of one meeting's captures, or None if nobody rated it."""
    means = {}
    for part in ("goals", "tasks", "bond"):
        values = [getattr(c, part) for c in captures if getattr(c, part) is not None]
        means[part] = sum(values) / len(values) if values else None
    if all(value is None for value in means.values()):
        return None
    return RatingPoint(held_on=held_on, **means)


def pair_figures(data: ReportData, vocabulary: Vocabulary) -> tuple[PairFigures, ...]:
    """Agreement per pair on what was observed (readiness and warning markers), by the rules of
    `companion.agreement` (docs/agreement.md): meetings both workers captured as taking place."""
    observed = tuple(m.id for m in (*vocabulary.readiness, *vocabulary.warning))
    by_meeting = defaultdict(dict)
    for capture in data.captures:
        if capture.attendance in TOOK_PLACE:
            by_meeting[capture.meeting_id][capture.author_id] = set(capture.marks)
    labels = vocabulary.by_id
    figures = []
    for pair in data.pairs:
        shared = [(authors[pair.first_id], authors[pair.second_id])
                  for authors in by_meeting.values()
                  if pair.first_id in authors and pair.second_id in authors]
        if not shared:
            continue
        overall = agreement.overall_agreement(shared, observed)
        per_marker = [m for m in agreement.marker_agreement(shared, observed)
                      if m.agreement_pct is not None and m.agreement_pct < 100]
        per_marker.sort(key=lambda m: m.agreement_pct)
        figures.append(PairFigures(
            names=(data.usernames.get(pair.first_id, "?"), data.usernames.get(pair.second_id, "?")),
            meetings=overall.n, percent=overall.agreement_pct, kappa=overall.kappa,
            kappa_note=overall.kappa_note,
            least_agreed=tuple((labels[m.marker].label, m.agreement_pct)
                               for m in per_marker[:LEAST_AGREED]),
        ))
    return tuple(sorted(figures, key=lambda p: p.names))


def attention(blocks: tuple[ClientBlock, ...], habits: Practice, top: int = 5) -> Attention:
    """Crises opened, repeated warning signs and no-shows, clients not met, frequent slips."""
    def most(pairs):
        return tuple(sorted((p for p in pairs if p[1] >= 2), key=lambda p: -p[1])[:top])

    return Attention(
        crises=tuple((b.code, c.changed_at.date()) for b in blocks for c in b.changes
                     if c.to_phase == "crisis"),
        warnings=most((b.code, sum(m.warnings > 0 for m in b.meetings)) for b in blocks),
        no_shows=most((b.code, sum(m.attendance == "no_show" for m in b.meetings))
                      for b in blocks),
        unmet=tuple(b.code for b in blocks if not b.meetings and b.phase != FIRST_PHASE),
        slips=tuple(c for c in habits.slips if c.count)[:3],
    )


def practice(captures: tuple[CaptureRow, ...], vocabulary: Vocabulary) -> Practice:
    """How many captures recorded each move and each slipped don't."""
    used = Counter(mark for capture in captures for mark in set(capture.marks))
    return Practice(
        captures=len(captures),
        moves=_counts(used, vocabulary.move, keep_zero=True),
        slips=_counts(used, vocabulary.slip, keep_zero=True),
    )
