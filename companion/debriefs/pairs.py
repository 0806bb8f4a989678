"""Pairs of workers and their agreement on markers, month by month."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import aliased, joinedload

from companion import agreement
from companion.clock import month_start
from companion.extensions import db
from companion.models import Capture, Client, Debrief, Meeting, Pair, User
from companion.vocabulary import TOOK_PLACE

PAIR_PAGE_MONTHS = 4


def pairs_of(user: User) -> list[Pair]:
    """The pairs a worker belongs to, or every pair of a lead's team; not ended ones."""
    query = select(Pair).options(joinedload(Pair.first), joinedload(Pair.second)).where(
        Pair.ended_at.is_(None))
    if user.role == "worker":
        query = query.where((Pair.first_id == user.id) | (Pair.second_id == user.id))
    elif user.role == "lead":
        query = query.where(Pair.team_id == user.team_id)
    else:
        return []
    return list(db.session.scalars(query.order_by(Pair.id)))


def pair_of(workers: Sequence[User]) -> Pair | None:
    """The pair these two workers form, if they are one."""
    if len(workers) != 2:
        return None
    return db.session.scalar(Pair.of(workers[0].id, workers[1].id))


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


@dataclass
class Disagreement:
    """One marker over every pair of the team in a month: meetings where only one ticked it."""

    marker: str
    disagreements: int
    meetings: int
    figures: agreement.RareFigures


def team_disagreements(pairs: Sequence[Pair], today: date, observed: tuple[str, ...],
                       shown: int = 5) -> list[Disagreement]:
    """The markers the team's pairs disagree on most this month (the supervision topics),
    pooled over pairs; one statement per pair."""
    start, end = month_start(today), month_start(today, -1)
    tables = {marker: agreement.Table() for marker in observed}
    for pair in pairs:
        meetings = shared_marks(pair, start, end)
        for marker in observed:
            tables[marker] = tables[marker] + agreement.table_for(meetings, marker)
    found = [Disagreement(m, t.first_only + t.second_only, t.n, agreement.rare_figures(t))
             for m, t in tables.items() if t.first_only + t.second_only]
    return sorted(found, key=lambda d: (-d.disagreements, d.marker))[:shown]
