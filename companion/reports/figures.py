"""Report figures: a pure function from plain data to everything the monthly PDF shows."""

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from statistics import median

from companion.content import Vocabulary
from companion.reports.blocks import (
    ClientBlock,
    Count,
    MeetingMarks,
    RatingPoint,
    client_blocks,
    clients_at,
    phase_at,
)
from companion.reports.data import ReportData
from companion.reports.debrief_figures import DebriefFigures, debrief_figures
from companion.reports.months import month_key, next_month
from companion.reports.patterns import (
    Attention,
    PairFigures,
    Practice,
    Topic,
    attention,
    pair_figures,
    practice,
    supervision_topics,
)
from companion.reports.trend import MonthFigures, month_figures, team_trend
from companion.vocabulary import ATTENDANCE, PHASES

__all__ = [
    "Attention", "ClientBlock", "Count", "Headline", "MeetingMarks", "MonthlyFigures",
    "MonthFigures", "PairFigures", "Practice", "RatingPoint", "Topic", "monthly_figures",
    "phase_at",
]

AGGREGATE_VERSION = 2  # 2: the trend figures (readiness, warnings, ratings, on time) too


@dataclass(frozen=True)
class Headline:
    """The first page; anonymous, so it is what a MonthlyAggregate keeps after a purge."""

    meetings: dict[str, int]
    clients_per_phase: dict[str, int]
    phase_changes: int
    crises_opened: int
    captures: int
    median_delay_minutes: float | None
    cases_closed: dict[str, int] = field(default_factory=dict)  # by reason, closed this month
    readiness_per_meeting: float | None = None
    warning_meetings: int | None = None
    ratings: dict[str, float | None] = field(default_factory=dict)
    captures_on_time: int | None = None

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
            cases_closed={r: int(n) for r, n in data.get("cases_closed", {}).items()},
            readiness_per_meeting=data.get("readiness_per_meeting"),
            warning_meetings=data.get("warning_meetings"),
            ratings=dict(data.get("ratings") or {}),
            captures_on_time=data.get("captures_on_time"),
        )


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
    trend: tuple[MonthFigures, ...] = ()
    debriefs: DebriefFigures | None = None
    topics: tuple[Topic, ...] = ()


def monthly_figures(data: ReportData, vocabulary: Vocabulary) -> MonthlyFigures:
    """Every figure of the month `data.month` for the team `data` describes."""
    start, end = _moment(data.month), _moment(next_month(data.month))
    changes = tuple(c for c in data.phase_changes if start <= c.changed_at < end)
    month = month_key(data.month)
    has_data = bool(
        data.meetings or data.captures or changes or data.milestones
        or closed_in(data.clients, start, end)
        or any(r.month == month for r in data.ratings)
    )
    trend = team_trend(data, vocabulary)
    if data.aggregate is not None and not data.captures:
        return MonthlyFigures(
            team_name=data.team_name, month=data.month,
            headline=Headline.from_dict(data.aggregate), clients=(), pairs=(), practice=None,
            has_data=True, from_aggregate=True, trend=trend,
        )
    blocks = client_blocks(data, changes, end, vocabulary)
    habits = practice(data.captures, vocabulary)
    return MonthlyFigures(
        team_name=data.team_name,
        month=data.month,
        headline=headline(data, changes, end, vocabulary),
        clients=blocks,
        pairs=pair_figures(data, vocabulary),
        practice=habits,
        has_data=has_data,
        from_aggregate=False,
        attention=attention(blocks, habits, data),
        trend=trend,
        debriefs=debrief_figures(data),
        topics=supervision_topics(data, vocabulary),
    )


def _moment(day: date) -> datetime:
    return datetime.combine(day, time())


def headline(data: ReportData, changes_in_month, end: datetime, vocabulary: Vocabulary
             ) -> Headline:
    attendance = Counter(m.attendance for m in data.meetings)
    phases = Counter(
        phase_at(client, history, end) for client, history in clients_at(data, end)
    )
    delays = [c.delay_minutes for c in data.captures]
    month = month_figures(data.month, data.meetings, data.captures,
                          {m.id for m in vocabulary.readiness}, {m.id for m in vocabulary.warning})
    return Headline(
        meetings={a: attendance[a] for a in ATTENDANCE},
        clients_per_phase={p: phases[p] for p in PHASES},
        phase_changes=len(changes_in_month),
        crises_opened=sum(c.to_phase == "crisis" for c in changes_in_month),
        captures=len(data.captures),
        median_delay_minutes=median(delays) if delays else None,
        cases_closed=closed_in(data.clients, _moment(data.month), end),
        readiness_per_meeting=month.readiness_per_meeting,
        warning_meetings=month.warning_meetings,
        ratings=month.ratings,
        captures_on_time=month.on_time,
    )


def closed_in(clients, start: datetime, end: datetime) -> dict[str, int]:
    """Cases closed in [start, end), by reason."""
    return dict(sorted(Counter(c.closed_reason for c in clients
                               if c.closed_at is not None and start <= c.closed_at < end).items()))
