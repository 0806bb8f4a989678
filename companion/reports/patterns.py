"""Team-wide figures: pair agreement, practice patterns and what is worth a look first."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from companion import agreement
from companion.content import Vocabulary
from companion.reports.blocks import FIRST_PHASE, ClientBlock, Count, counts
from companion.reports.data import CaptureRow, ReportData
from companion.vocabulary import TOOK_PLACE

LEAST_AGREED = 3


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


def pair_figures(data: ReportData, vocabulary: Vocabulary) -> tuple[PairFigures, ...]:
    """Agreement per pair on what was observed (readiness and warning markers), by the rules of
    `companion.agreement` (docs/agreement.md): meetings both workers captured as taking place."""
    observed = vocabulary.observed
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


def practice(captures: tuple[CaptureRow, ...], vocabulary: Vocabulary) -> Practice:
    """How many captures recorded each move and each slipped don't."""
    used = Counter(mark for capture in captures for mark in set(capture.marks))
    return Practice(
        captures=len(captures),
        moves=counts(used, vocabulary.move, keep_zero=True),
        slips=counts(used, vocabulary.slip, keep_zero=True),
    )


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
