"""What tests share: apps, the test world, records, browser helpers, content files, and the
team's today (tests use the team clock, as the app does, never the machine's date)."""

from datetime import date
from zoneinfo import ZoneInfo

from companion.clock import local_now

TEAM_ZONE = ZoneInfo("Europe/Amsterdam")  # the tests' COMPANION_TIMEZONE (the default)


def team_today() -> date:
    return local_now(TEAM_ZONE).date()
