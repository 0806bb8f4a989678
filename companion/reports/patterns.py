"""Team-wide figures: pair agreement, practice patterns and what is worth a look first."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from companion import agreement
from companion.content import Vocabulary
from companion.reports.blocks import FIRST_PHASE, ClientBlock, Count, counts
from companion.reports.data import CaptureRow, ReportData
from companion.reports.months import next_month
from companion.vocabulary import TOOK_PLACE

LEAST_AGREED = 3
TOPICS = 5
UNSEEN_DAYS = 21  # as on the lead's home: three weeks without a meeting that took place


@dataclass(frozen=True)
class PairFigures:
    names: tuple[str, str]
    meetings: int
    percent: float | None
    kappa: float | None
    kappa_note: str | None
    # (marker label, percent, the figures that hold for rare markers), lowest percent first
    least_agreed: tuple[tuple[str, float, agreement.RareFigures], ...]
    ac1: float | None = None  # Gwet's AC1 over all markers pooled


@dataclass(frozen=True)
class Topic:
    """A marker the team's pairs disagree on: meetings where only one of the two ticked it."""

    label: str
    disagreements: int
    figures: agreement.RareFigures


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
    unmet: tuple[str, ...]  # a month that is over: past the first meeting, no meeting in it
    slips: tuple[Count, ...]  # the don'ts that slipped most often
    crisis_warnings: tuple[tuple[str, int], ...] = ()  # a client in crisis: any warning sign
    unseen: tuple[tuple[str, date | None], ...] = ()  # month under way: 3 weeks not seen
    under_way: bool = False  # the report's month is not over yet

    def __bool__(self) -> bool:
        return any((self.crises, self.warnings, self.no_shows, self.unmet, self.slips,
                    self.crisis_warnings, self.unseen))


def pair_figures(data: ReportData, vocabulary: Vocabulary) -> tuple[PairFigures, ...]:
    """Agreement per pair on what was observed (readiness and warning markers), by the rules of
    `companion.agreement` (docs/agreement.md): meetings both workers captured as taking place."""
    observed = vocabulary.observed
    by_meeting = _marks_by_meeting(data)
    labels = vocabulary.by_id
    figures = []
    for pair in data.pairs:
        shared = _shared(by_meeting, pair)
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
            least_agreed=tuple((labels[m.marker].label, m.agreement_pct,
                                agreement.rare_figures(m.table))
                               for m in per_marker[:LEAST_AGREED]),
            ac1=None if overall.n < agreement.MIN_MEETINGS_FOR_KAPPA
            else _rounded(agreement.gwet_ac1(overall.table)),
        ))
    return tuple(sorted(figures, key=lambda p: p.names))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _marks_by_meeting(data: ReportData) -> dict[int, dict[int, set[str]]]:
    by_meeting = defaultdict(dict)
    for capture in data.captures:
        if capture.attendance in TOOK_PLACE:
            by_meeting[capture.meeting_id][capture.author_id] = set(capture.marks)
    return by_meeting


def _shared(by_meeting, pair) -> list[tuple[set[str], set[str]]]:
    return [(authors[pair.first_id], authors[pair.second_id]) for authors in by_meeting.values()
            if pair.first_id in authors and pair.second_id in authors]


def supervision_topics(data: ReportData, vocabulary: Vocabulary) -> tuple[Topic, ...]:
    """The markers the team's pairs disagree on most this month, pooled over every pair (as on
    the pairs page): the supervision topics."""
    by_meeting = _marks_by_meeting(data)
    tables = {marker: agreement.Table() for marker in vocabulary.observed}
    for pair in data.pairs:
        shared = _shared(by_meeting, pair)
        for marker in tables:
            tables[marker] = tables[marker] + agreement.table_for(shared, marker)
    labels = vocabulary.by_id
    found = [Topic(labels[m].label, t.first_only + t.second_only, agreement.rare_figures(t))
             for m, t in tables.items() if t.first_only + t.second_only]
    return tuple(sorted(found, key=lambda t: (-t.disagreements, t.label))[:TOPICS])


def practice(captures: tuple[CaptureRow, ...], vocabulary: Vocabulary) -> Practice:
    """How many captures recorded each move and each slipped don't."""
    used = Counter(mark for capture in captures for mark in set(capture.marks))
    return Practice(
        captures=len(captures),
        moves=counts(used, vocabulary.move, keep_zero=True),
        slips=counts(used, vocabulary.slip, keep_zero=True),
    )


def attention(blocks: tuple[ClientBlock, ...], habits: Practice, data: ReportData,
              top: int = 5) -> Attention:
    """Crises opened, any warning sign of a client in crisis, repeated warning signs and
    no-shows, clients not met, frequent slips. Before the month is over, "not met this month"
    is normal; then only clients not seen for three weeks are named."""
    def most(pairs, least=2):
        return tuple(sorted((p for p in pairs if p[1] >= least), key=lambda p: -p[1])[:top])

    in_crisis = {b.code for b in blocks
                 if b.phase == "crisis" or any(c.to_phase == "crisis" for c in b.changes)}
    warned = {b.code: sum(m.warnings > 0 for m in b.meetings) for b in blocks}
    under_way = data.today is not None and data.today < next_month(data.month)
    end = datetime.combine(next_month(data.month), time())
    closed = {c.code for c in data.clients if c.closed_at is not None and c.closed_at < end}
    open_blocks = tuple(b for b in blocks if b.code not in closed and b.phase != FIRST_PHASE)
    return Attention(
        crises=tuple((b.code, c.changed_at.date()) for b in blocks for c in b.changes
                     if c.to_phase == "crisis"),
        crisis_warnings=most(((code, n) for code, n in warned.items() if code in in_crisis), 1),
        warnings=most((code, n) for code, n in warned.items() if code not in in_crisis),
        no_shows=most((b.code, sum(m.attendance == "no_show" for m in b.meetings))
                      for b in blocks),
        unmet=() if under_way else tuple(b.code for b in open_blocks if not b.meetings),
        unseen=_unseen(open_blocks, data) if under_way else (),
        slips=tuple(c for c in habits.slips if c.count)[:3],
        under_way=under_way,
    )


def _unseen(blocks: tuple[ClientBlock, ...], data: ReportData) -> tuple[tuple[str, date | None]]:
    """Clients past the first meeting whose last meeting that took place (in the six-month
    window) is three weeks or more before `data.today`, or who had none in it."""
    codes = {c.id: c.code for c in data.clients}
    last: dict[str, date] = {}
    for meeting in data.trend_meetings:
        code = codes.get(meeting.client_id)
        if meeting.attendance in TOOK_PLACE and meeting.held_on <= data.today and code:
            last[code] = max(last.get(code, meeting.held_on), meeting.held_on)
    cutoff = data.today - timedelta(days=UNSEEN_DAYS)
    return tuple((b.code, last.get(b.code)) for b in blocks
                 if b.code not in last or last[b.code] <= cutoff)
