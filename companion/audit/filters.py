"""The audit trail's filters: who, which client, what kind, which days on the team's clock.
Read from the query string (record ids only, never a code) and checked against what the
reader may choose; plain functions, no request."""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

MAX_PAGE = 10_000
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_YEAR, LAST_YEAR = 2000, 2999
PICK_PERSON = _l("Choose a person from the list.")
PICK_CLIENT = _l("Choose a client from the list.")
PICK_KIND = _l("Choose a kind of action from the list.")
BAD_DAY = _l("Give the day as YYYY-MM-DD, for example 2026-12-01.")
BACKWARDS = _l("The first day is after the last day.")


@dataclass(frozen=True)
class Filters:
    """One reading of the trail; empty fields do not narrow it."""

    who: int | None = None
    client: int | None = None
    kind: str = ""
    start: date | None = None
    end: date | None = None
    page: int = 1

    def args(self, **changes) -> dict[str, str]:
        """The filters as query-string values (for links), without the empty ones."""
        values = {"who": self.who, "client": self.client, "kind": self.kind or None,
                  "from": self.start, "to": self.end, "page": None}
        values.update(changes)
        return {key: str(value) for key, value in values.items() if value not in (None, "")}

    def key(self) -> str:
        """The filters as an audit subject's parts ("who:4 kind:opened from:2026-12-01")."""
        parts = {"who": self.who, "client": self.client, "kind": self.kind or None,
                 "from": self.start, "to": self.end}
        return " ".join(f"{name}:{value}" for name, value in parts.items() if value)


def _choice(text: str, allowed: Collection[int]) -> tuple[int | None, bool]:
    """A chosen id (None when empty), and whether it is one of the allowed ones."""
    if not text:
        return None, True
    if not text.isdigit() or len(text) > 12 or int(text) not in allowed:
        return None, False
    return int(text), True


def _day(text: str) -> tuple[date | None, bool]:
    if not text:
        return None, True
    if not DAY.fullmatch(text):
        return None, False
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None, False
    return (day, True) if FIRST_YEAR <= day.year <= LAST_YEAR else (None, False)


def _page(text: str) -> int:
    """A page number; anything that is not one is page 1, past the last the last we serve."""
    digits = text.strip()
    if not digits.isdigit() or len(digits) > 6:
        return MAX_PAGE if digits.isdigit() else 1
    return min(max(int(digits), 1), MAX_PAGE)


def parse(args: Mapping[str, str], people: Collection[int], clients: Collection[int] | None,
          kinds: Collection[str]) -> tuple[Filters, dict[str, str]]:
    """The filters in `args`, and a message per field that holds a value the reader cannot
    choose. `clients` None: this trail has no client filter (the value is ignored)."""
    def text(name: str) -> str:
        return (args.get(name) or "").strip()[:64]

    errors = {}
    who, ok = _choice(text("who"), people)
    if not ok:
        errors["who"] = str(PICK_PERSON)
    client, ok = _choice(text("client"), clients) if clients is not None else (None, True)
    if not ok:
        errors["client"] = str(PICK_CLIENT)
    kind = text("kind")
    if kind and kind not in kinds:
        errors["kind"], kind = str(PICK_KIND), ""
    start, ok = _day(text("from"))
    if not ok:
        errors["from"] = str(BAD_DAY)
    end, ok = _day(text("to"))
    if not ok:
        errors["to"] = str(BAD_DAY)
    if start and end and start > end:
        errors["to"] = str(BACKWARDS)
    return Filters(who, client, kind, start, end, _page(text("page"))), errors


def utc_bounds(start: date | None, end: date | None,
               zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
    """The naive-UTC moments from the start of `start` up to (not including) the end of
    `end`, both days on the wall clock of `zone`."""
    def midnight(day: date) -> datetime:
        local = datetime.combine(day, time(), tzinfo=zone)
        return local.astimezone(UTC).replace(tzinfo=None)

    return (midnight(start) if start else None,
            midnight(end + timedelta(days=1)) if end else None)
