"""Report months: the `YYYY-MM` strings in URLs and on the command line."""

import re
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from companion.clock import next_month, previous_month

__all__ = ["MonthError", "month_key", "month_label", "next_month", "parse_month", "previous_month",
           "trend_months"]
TREND_MONTHS = 6

MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
FIRST_YEAR, LAST_YEAR = 2000, 2999


class MonthError(ValueError):
    """A month string that is not a calendar month we can report on."""


def parse_month(text: str) -> date:
    """The first day of the month `text` names (`2026-10`), or MonthError."""
    match = MONTH.fullmatch(text or "")
    if match is None:
        raise MonthError(_l("Give the month as YYYY-MM, for example 2026-10."))
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise MonthError(_l("The month must be between 01 and 12."))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise MonthError(_l("The year must be between %(first)d and %(last)d.", first=FIRST_YEAR,
                            last=LAST_YEAR))
    return date(year, month, 1)


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_label(first: date) -> str:
    """"October 2026", in the interface language."""
    return format_date(first, "MMMM yyyy")


def trend_months(month: date, count: int = TREND_MONTHS) -> tuple[date, ...]:
    """`month` and the `count - 1` months before it, oldest first."""
    months = [month]
    for _ in range(count - 1):
        months.insert(0, previous_month(months[0]))
    return tuple(months)


def short_month(first: date) -> str:
    """"Oct", in the interface language."""
    return format_date(first, "MMM")
