"""The team's wall clock: timestamps are stored as naive UTC, people read the team's local time."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from companion.models import utcnow


def team_zone() -> ZoneInfo:
    """The zone set by COMPANION_TIMEZONE (checked at start-up)."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def to_local(moment: datetime, zone: ZoneInfo | None = None) -> datetime:
    """A naive UTC timestamp as naive wall-clock time in `zone` (the team's by default)."""
    return moment.replace(tzinfo=UTC).astimezone(zone or team_zone()).replace(tzinfo=None)


def local_now(zone: ZoneInfo | None = None, now: datetime | None = None) -> datetime:
    """The wall clock (naive) at the naive-UTC moment `now`, by default the present."""
    return to_local(now or utcnow(), zone)


def month_start(day: date, back: int = 0) -> date:
    """The first day of the month `back` months before `day`'s month (negative: after)."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def next_month(first: date) -> date:
    return month_start(first, -1)


def previous_month(first: date) -> date:
    return month_start(first, 1)
