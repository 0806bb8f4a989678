"""How often two workers agree on a marker across their shared meetings: percentage and kappa.

Plain functions over plain data, no database and no request (docs/agreement.md explains the
figures). Each shared meeting is a pair of sets: the marker ids the first worker ticked and the
marker ids the second worker ticked. For one marker the meetings fall in a 2x2 table:

                      second ticked   second did not
    first ticked            a               b
    first did not           c               d

Observed agreement po = (a + d) / n. Chance agreement pe = p1 * p2 + (1 - p1) * (1 - p2), where
p1 = (a + b) / n and p2 = (a + c) / n are how often each worker ticked it. Cohen's kappa is
(po - pe) / (1 - pe). It is left out, with a note saying why, when there are fewer than
MIN_MEETINGS_FOR_KAPPA shared meetings, or when pe is 1 (both workers ticked it every time, or
neither ever did): then agreement is perfect but says nothing beyond chance.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

MIN_MEETINGS_FOR_KAPPA = 5
ALL_MARKERS = "all"
NOTE_NO_MEETINGS = "no shared meetings"
NOTE_NO_VARIATION = "undefined: both always ticked it, or neither ever did"

MeetingPair = tuple[set[str] | frozenset[str], set[str] | frozenset[str]]


@dataclass(frozen=True)
class Table:
    """The 2x2 agreement table of one marker (or of all markers pooled)."""

    both: int = 0  # a: both ticked it
    first_only: int = 0  # b
    second_only: int = 0  # c
    neither: int = 0  # d

    @property
    def n(self) -> int:
        return self.both + self.first_only + self.second_only + self.neither

    def __add__(self, other: "Table") -> "Table":
        return Table(
            self.both + other.both,
            self.first_only + other.first_only,
            self.second_only + other.second_only,
            self.neither + other.neither,
        )


@dataclass(frozen=True)
class MarkerAgreement:
    """Agreement on one marker: n shared meetings, percentage agreement, kappa or why not."""

    marker: str
    n: int
    agreement_pct: float | None
    kappa: float | None
    kappa_note: str | None
    table: Table


def table_for(pairs: Iterable[MeetingPair], marker: str) -> Table:
    """Count the shared meetings in each cell of the 2x2 table for one marker."""
    counts = [0, 0, 0, 0]
    for first, second in pairs:
        counts[(marker not in first) * 2 + (marker not in second)] += 1
    return Table(counts[0], counts[1], counts[2], counts[3])


def observed_agreement(table: Table) -> Fraction | None:
    """po: the share of meetings where both ticked it or neither did; None without meetings."""
    return Fraction(table.both + table.neither, table.n) if table.n else None


def chance_agreement(table: Table) -> Fraction | None:
    """pe: the agreement expected if each worker ticked at their own rate, independently."""
    if not table.n:
        return None
    p_first = Fraction(table.both + table.first_only, table.n)
    p_second = Fraction(table.both + table.second_only, table.n)
    return p_first * p_second + (1 - p_first) * (1 - p_second)


def kappa(
    table: Table, meetings: int | None = None, min_meetings: int = MIN_MEETINGS_FOR_KAPPA
) -> tuple[float | None, str | None]:
    """Cohen's kappa rounded to two decimals, or (None, why it is left out).

    `meetings` is the number of shared meetings behind the table (its n unless pooled).
    """
    meetings = table.n if meetings is None else meetings
    if meetings == 0 or table.n == 0:
        return None, NOTE_NO_MEETINGS
    if meetings < min_meetings:
        return None, f"fewer than {min_meetings} shared meetings"
    po, pe = observed_agreement(table), chance_agreement(table)
    if pe == 1:
        return None, NOTE_NO_VARIATION
    return round(float((po - pe) / (1 - pe)), 2), None


def summarise(
    marker: str, table: Table, meetings: int | None = None,
    min_meetings: int = MIN_MEETINGS_FOR_KAPPA,
) -> MarkerAgreement:
    """Percentage agreement (one decimal) and kappa for one table."""
    po = observed_agreement(table)
    value, note = kappa(table, meetings, min_meetings)
    pct = None if po is None else round(float(po) * 100, 1)
    return MarkerAgreement(marker, table.n if meetings is None else meetings, pct, value, note,
                           table)


def marker_agreement(
    pairs: Sequence[MeetingPair],
    marker_ids: Iterable[str],
    min_meetings: int = MIN_MEETINGS_FOR_KAPPA,
) -> list[MarkerAgreement]:
    """Agreement on each marker, in the order given, over the same shared meetings."""
    return [summarise(m, table_for(pairs, m), min_meetings=min_meetings) for m in marker_ids]


def overall_agreement(
    pairs: Sequence[MeetingPair],
    marker_ids: Iterable[str],
    min_meetings: int = MIN_MEETINGS_FOR_KAPPA,
) -> MarkerAgreement:
    """Agreement pooled over all markers: one table summing every marker's cells.

    n is the number of shared meetings (the kappa threshold is about meetings, not cells);
    the percentage is the share of all tick-or-not decisions on which the two agreed.
    """
    pooled = Table()
    for marker in marker_ids:
        pooled = pooled + table_for(pairs, marker)
    return summarise(ALL_MARKERS, pooled, len(pairs), min_meetings)
