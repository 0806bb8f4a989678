"""Figures for funders: the team's monthly totals over six months, with small counts suppressed.

No client codes, no names, no free text: only counts. Any count below SMALL (0, 1 or 2) is shown
as "<3", as statistical offices publish small cells. Where a group of counts is shown with its
total (meetings by attendance, clients by phase), one suppressed cell could be worked out by
subtraction, so the next smallest cell of that group is suppressed too (secondary suppression).
"""

import csv
import io
from dataclasses import replace
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l

from companion.reports.data import ReportData
from companion.reports.figures import Headline, headline
from companion.reports.months import month_key, next_month, trend_months
from companion.vocabulary import ATTENDANCE, PHASES

SMALL = 3
SUPPRESSED = "<3"


def suppress(count: int) -> str:
    """A count as published: "<3" below 3, the number otherwise."""
    return SUPPRESSED if count < SMALL else str(count)


def suppress_group(counts: dict[str, int]) -> dict[str, str]:
    """Counts that are published together with their total: each small count suppressed, and if
    that leaves exactly one suppressed, the smallest remaining one too, so that no suppressed
    count follows from the total by subtraction."""
    shown = {key: suppress(value) for key, value in counts.items()}
    hidden = [key for key, text in shown.items() if text == SUPPRESSED]
    if len(hidden) == 1 and len(counts) > 1:
        rest = sorted((value, key) for key, value in counts.items() if key not in hidden)
        shown[rest[0][1]] = SUPPRESSED
    return shown


def columns() -> list[tuple[str, str]]:
    """(id, heading) of every column, in order."""
    return [
        ("month", str(_l("Month"))),
        *((f"meetings_{kind}", str(_l("Meetings: %(kind)s", kind=label)))
          for kind, label in ATTENDANCE.items()),
        ("meetings", str(_l("All meetings"))),
        *((f"clients_{phase}", str(_l("Clients: %(phase)s", phase=label)))
          for phase, label in PHASES.items()),
        ("clients", str(_l("All clients"))),
        ("crises_opened", str(_l("Crises opened"))),
        ("cases_closed", str(_l("Cases closed"))),
        ("captures", str(_l("Captures made"))),
        ("captures_on_time", str(_l("Captures within a day"))),
    ]


def monthly_totals(data: ReportData, vocabulary) -> tuple[tuple[date, Headline], ...]:
    """The headline of each month of the six-month window (oldest first), from the month's own
    records or, for a purged month, from its stored aggregate."""
    totals = []
    for month in trend_months(data.month):
        key = month_key(month)
        end = datetime.combine(next_month(month), time())
        meetings = tuple(m for m in data.trend_meetings if month_key(m.held_on) == key)
        kept = {m.id for m in meetings}
        captures = tuple(c for c in data.trend_captures if c.meeting_id in kept)
        if key in data.aggregates and not captures:
            totals.append((month, Headline.from_dict(data.aggregates[key])))
            continue
        start = datetime.combine(month, time())
        changes = [c for c in data.phase_changes if start <= c.changed_at < end]
        one = replace(data, month=month, meetings=meetings, captures=captures)
        totals.append((month, headline(one, changes, end, vocabulary)))
    return tuple(totals)


def published_row(month: date, figures: Headline) -> dict[str, str]:
    """One month as published: every count suppressed where small."""
    meetings = suppress_group({f"meetings_{k}": figures.meetings.get(k, 0) for k in ATTENDANCE})
    phases = suppress_group({f"clients_{p}": figures.clients_per_phase.get(p, 0)
                             for p in PHASES})
    on_time = figures.captures_on_time
    return {
        "month": month_key(month), **meetings,
        "meetings": suppress(sum(figures.meetings.values())), **phases,
        "clients": suppress(sum(figures.clients_per_phase.values())),
        "crises_opened": suppress(figures.crises_opened),
        "cases_closed": suppress(sum(figures.cases_closed.values())),
        "captures": suppress(figures.captures),
        "captures_on_time": "–" if on_time is None else suppress(on_time),
    }


def published_rows(data: ReportData, vocabulary) -> list[dict[str, str]]:
    return [published_row(month, figures) for month, figures in monthly_totals(data, vocabulary)]


def to_csv(rows: list[dict[str, str]]) -> str:
    """The rows as CSV with a heading line; every value is a count, "<3", "–" or a month."""
    out = io.StringIO()
    heads = columns()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([heading for _, heading in heads])
    for row in rows:
        writer.writerow([row[key] for key, _ in heads])
    return out.getvalue()
