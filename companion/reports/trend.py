"""The team's trend: the same few figures for each of the last six months, oldest first.

A month's figures come from its meetings and captures; for a month whose captures were purged
under the retention policy they come from its stored aggregate (docs: "How these figures are
computed"), and a figure the aggregate did not keep is None.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import mean

from flask_babel import lazy_gettext as _l

from companion.reports.data import CaptureRow, MeetingRow, ReportData
from companion.reports.months import month_key, trend_months
from companion.vocabulary import ALLIANCE, ATTENDANCE, TOOK_PLACE

ON_TIME_MINUTES = 24 * 60  # a capture saved within a day of the meeting is on time


@dataclass(frozen=True)
class MonthFigures:
    """One month of the trend (or one client's month, for the per-client comparison)."""

    month: date
    meetings: dict[str, int]  # by attendance
    readiness_per_meeting: float | None  # markers per captured meeting that took place
    warning_meetings: int | None  # captured meetings that took place with a warning sign
    ratings: dict[str, float | None]  # mean goals, tasks and bond over the captures
    captures: int
    on_time: int | None  # captures saved within ON_TIME_MINUTES
    from_aggregate: bool = False

    @property
    def took_place(self) -> int:
        return sum(self.meetings[kind] for kind in TOOK_PLACE)

    @property
    def on_time_pct(self) -> float | None:
        if self.on_time is None or not self.captures:
            return None
        return 100 * self.on_time / self.captures

    @property
    def mean_rating(self) -> float | None:
        values = [value for value in self.ratings.values() if value is not None]
        return mean(values) if values else None


def month_figures(month: date, meetings, captures, readiness: set[str],
                  warning: set[str]) -> MonthFigures:
    """The figures of one month's meetings and their captures (a meeting's marks are the union
    of both workers' ticks, as in the client blocks)."""
    marks: dict[int, set[str]] = defaultdict(set)
    for capture in captures:
        marks[capture.meeting_id].update(capture.marks)
    captured = [m for m in meetings if m.attendance in TOOK_PLACE and m.id in marks]
    counts = [len(marks[m.id] & readiness) for m in captured]
    return MonthFigures(
        month=month,
        meetings={kind: sum(m.attendance == kind for m in meetings) for kind in ATTENDANCE},
        readiness_per_meeting=mean(counts) if counts else None,
        warning_meetings=sum(bool(marks[m.id] & warning) for m in captured),
        ratings={part: _mean(getattr(c, part) for c in captures) for part in ALLIANCE},
        captures=len(captures),
        on_time=sum(c.delay_minutes <= ON_TIME_MINUTES for c in captures),
    )


def _mean(values) -> float | None:
    known = [value for value in values if value is not None]
    return mean(known) if known else None


def from_aggregate(month: date, figures: dict) -> MonthFigures:
    """A purged month, from its stored aggregate; what it did not keep is None."""
    ratings = figures.get("ratings") or {}
    return MonthFigures(
        month=month,
        meetings={kind: int(figures.get("meetings", {}).get(kind, 0)) for kind in ATTENDANCE},
        readiness_per_meeting=figures.get("readiness_per_meeting"),
        warning_meetings=figures.get("warning_meetings"),
        ratings={part: ratings.get(part) for part in ALLIANCE},
        captures=int(figures.get("captures", 0)),
        on_time=figures.get("captures_on_time"),
        from_aggregate=True,
    )


def by_month(meetings: tuple[MeetingRow, ...], captures: tuple[CaptureRow, ...]):
    """Meetings and captures grouped by month key."""
    month_of = {m.id: month_key(m.held_on) for m in meetings}
    grouped_meetings, grouped_captures = defaultdict(list), defaultdict(list)
    for meeting in meetings:
        grouped_meetings[month_of[meeting.id]].append(meeting)
    for capture in captures:
        if capture.meeting_id in month_of:
            grouped_captures[month_of[capture.meeting_id]].append(capture)
    return grouped_meetings, grouped_captures


def team_trend(data: ReportData, vocabulary) -> tuple[MonthFigures, ...]:
    """The six months up to `data.month`, oldest first."""
    readiness = {m.id for m in vocabulary.readiness}
    warning = {m.id for m in vocabulary.warning}
    meetings, captures = by_month(data.trend_meetings, data.trend_captures)
    months = []
    for month in trend_months(data.month):
        key = month_key(month)
        if key in data.aggregates and not captures[key]:
            months.append(from_aggregate(month, data.aggregates[key]))
        else:
            months.append(month_figures(month, meetings[key], captures[key], readiness, warning))
    return tuple(months)


@dataclass(frozen=True)
class TrendRow:
    id: str
    label: str
    values: tuple[float | None, ...]  # oldest first; None: not known for that month
    digits: int  # decimals shown
    top: float | None = None  # the chart's full scale (None: the largest value)

    def shown(self, value: float | None) -> str:
        if value is None:
            return "–"
        return f"{value:.{self.digits}f}" + (" %" if self.id == "on_time" else "")


def trend_rows(trend: tuple[MonthFigures, ...]) -> tuple[TrendRow, ...]:
    """The rows of the trend table, in the order a lead reads them."""
    def row(id_, label, pick, digits=0, top=None):
        return TrendRow(id_, str(label), tuple(pick(m) for m in trend), digits, top)

    rows = [row(kind, ATTENDANCE[kind], lambda m, k=kind: m.meetings[k]) for kind in ATTENDANCE]
    rows += [
        row("readiness", _l("Readiness markers per meeting"),
            lambda m: m.readiness_per_meeting, 1),
        row("warnings", _l("Meetings with warning signs"), lambda m: m.warning_meetings),
    ]
    rows += [row(part, _l("Alliance rating: %(part)s", part=ALLIANCE[part]),
                 lambda m, p=part: m.ratings[p], 1, 5) for part in ALLIANCE]
    rows.append(row("on_time", _l("Captures within a day"), lambda m: m.on_time_pct, 0, 100))
    return tuple(rows)
