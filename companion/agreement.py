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


# Figures that hold for rare markers (docs/agreement.md, "When a marker is rare").
Z_95 = 1.959964  # two-sided 95 % quantile of the normal distribution
NOTE_NOT_ENOUGH = "not enough data"


@dataclass(frozen=True)
class RareFigures:
    """Prevalence, positive and negative agreement, kappa with its 95 % interval, Gwet's AC1
    and PABAK for one table; `note` says "not enough data" when the table is too small."""

    n: int
    prevalence: float | None
    ppos: float | None
    pneg: float | None
    kappa: float | None
    kappa_low: float | None
    kappa_high: float | None
    ac1: float | None
    pabak: float | None
    note: str | None = None


def prevalence(table: Table) -> Fraction | None:
    """How often a worker ticked the marker, both workers' ticks together: (2a + b + c) / 2n."""
    return Fraction(2 * table.both + table.first_only + table.second_only, 2 * table.n) \
        if table.n else None


def positive_agreement(table: Table) -> Fraction | None:
    """ppos = 2a / (2a + b + c): when one ticked it, how often the other did too (Cicchetti
    and Feinstein 1990); None when neither ever ticked it."""
    denominator = 2 * table.both + table.first_only + table.second_only
    return Fraction(2 * table.both, denominator) if denominator else None


def negative_agreement(table: Table) -> Fraction | None:
    """pneg = 2d / (2d + b + c): the same for leaving it unticked; None when both always did."""
    denominator = 2 * table.neither + table.first_only + table.second_only
    return Fraction(2 * table.neither, denominator) if denominator else None


def _cells(table: Table) -> list[list[float]]:
    n = table.n
    return [[table.both / n, table.first_only / n], [table.second_only / n, table.neither / n]]


def kappa_standard_error(table: Table) -> float | None:
    """The large-sample standard error of Cohen's kappa (Fleiss, Cohen and Everitt 1969, as
    Gwet 2014 writes it); None when kappa is undefined."""
    pe = chance_agreement(table)
    if pe is None or pe == 1:
        return None
    po, pe = float(observed_agreement(table)), float(pe)
    value = (po - pe) / (1 - pe)
    cells = _cells(table)
    rows = [sum(row) for row in cells]  # first worker: ticked, not
    cols = [cells[0][j] + cells[1][j] for j in range(2)]  # second worker
    total = sum(cells[k][m] * ((k == m) - (1 - value) * (cols[k] + rows[m])) ** 2
                for k in range(2) for m in range(2))
    variance = (total - (po - 2 * (1 - value) * pe) ** 2) / (table.n * (1 - pe) ** 2)
    return max(variance, 0.0) ** 0.5


def gwet_ac1(table: Table) -> float | None:
    """Gwet's AC1 (2008): chance agreement is 2 pi (1 - pi), pi the prevalence, so a rare
    marker does not drag it down the way it drags kappa."""
    pi = prevalence(table)
    if pi is None:
        return None
    pe = 2 * pi * (1 - pi)
    return float((observed_agreement(table) - pe) / (1 - pe))


def pabak(table: Table) -> float | None:
    """Prevalence- and bias-adjusted kappa, 2 po - 1 (Byrt, Bishop and Carlin 1993)."""
    po = observed_agreement(table)
    return None if po is None else float(2 * po - 1)


def rare_figures(table: Table, min_meetings: int = MIN_MEETINGS_FOR_KAPPA) -> RareFigures:
    """Every figure for one table, rounded for display, or the "not enough data" state."""
    if table.n < min_meetings:
        return RareFigures(table.n, *(None,) * 8, note=NOTE_NOT_ENOUGH)

    def show(value, digits=2):
        return None if value is None else round(float(value), digits)

    value, _note = kappa(table, min_meetings=min_meetings)
    se = kappa_standard_error(table)
    low = high = None
    if value is not None and se is not None:
        exact = float((observed_agreement(table) - chance_agreement(table))
                      / (1 - chance_agreement(table)))
        low, high = show(max(-1.0, exact - Z_95 * se)), show(min(1.0, exact + Z_95 * se))
    return RareFigures(table.n, show(prevalence(table)), show(positive_agreement(table)),
                       show(negative_agreement(table)), value, low, high,
                       show(gwet_ac1(table)), show(pabak(table)))
