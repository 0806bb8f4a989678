"""Dates and times in words of the reader's language, through Babel: one function for every
screen, message and PDF (no raw strftime). Stored moments are naive UTC and are shown on the
team's clock; dates and start times are the team's wall clock already and are never shifted."""

from datetime import date, datetime, time

from babel import dates
from flask import has_app_context
from flask_babel import format_date, format_datetime, format_time

FORMATS = {  # CLDR patterns; Babel words them per language
    "day": "EEE d MMM",
    "full": "EEE d MMM yyyy",
    "date": "d MMM yyyy",
    "long": "d MMMM yyyy",
    "short": "d MMM",
    "mon": "MMM",
    "month": "MMMM yyyy",
    "time": "HH:mm",
    "moment": "d MMM HH:mm",
    "stamp": "yyyy-MM-dd HH:mm:ss",
    "iso": "yyyy-MM-dd HH:mm",  # for files read by programs (CSV)
    "stamped": "d MMM yyyy HH:mm zzz",
}


def when(value, style: str = "date", local: bool = False) -> str:
    """A date, a time or a stored (naive UTC) moment in words of the user's language; a
    moment is shown on the team's clock. `local`: the moment is already wall-clock time (a
    date, a start time and an aware moment are never shifted either)."""
    if value is None or value == "":
        return ""
    pattern = FORMATS[style]
    if not has_app_context():  # plain rules tried on their own: English, as it stands
        return dates.format_time(value, pattern, locale="en") if isinstance(value, time) \
            else dates.format_date(value, pattern, locale="en") if type(value) is date \
            else dates.format_datetime(value, pattern, locale="en")
    if isinstance(value, datetime):
        return format_datetime(value, pattern, rebase=not local or value.tzinfo is not None)
    if isinstance(value, time):
        return format_time(value, pattern, rebase=False)
    return format_date(value, pattern)
