"""What tests share: apps, the test world, records, browser helpers, content files, and the
team's today (tests use the team clock, as the app does, never the machine's date)."""

from datetime import date
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher

from companion import passwords
from companion.clock import local_now

# Argon2id at its lowest cost for the suite (before any test hash is made); the tests of the
# production parameters use the `production_hashing` fixture.
passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))

TEAM_ZONE = ZoneInfo("Europe/Amsterdam")  # the tests' COMPANION_TIMEZONE (the default)


def team_today() -> date:
    return local_now(TEAM_ZONE).date()
