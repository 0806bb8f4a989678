"""Reading a posted capture form into plain data, with one message per field that is wrong."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l

from companion.content import CATEGORIES, Vocabulary
from companion.models.base import ATTENDANCE

RATINGS = ("rating_goals", "rating_tasks", "rating_bond")
MAX_NEXT_STEP = 140
MAX_NOTE = 500
MAX_LENGTH_MINUTES = 600
KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
NOT_HELD = ("no_show", "cancelled")
LIVE_ANSWERS = ("still", "gone")


@dataclass(frozen=True)
class CaptureData:
    """A checked capture, ready to store."""

    idempotency_key: str
    attendance: str
    held_on: date
    starts_at: time
    length_minutes: int
    marks: tuple[str, ...] = ()
    rating_goals: int | None = None
    rating_tasks: int | None = None
    rating_bond: int | None = None
    next_step: str | None = None
    note: str | None = None
    co_worker_id: int | None = None


@dataclass(frozen=True)
class Rules:
    """What the form may contain for this client and meeting."""

    vocabulary: Vocabulary
    today: date
    client_id: int
    meeting_id: int | None = None
    co_workers: frozenset[int] = field(default_factory=frozenset)
    live: tuple[str, ...] = ()  # warning signs still live: each answered still there or gone


class Invalid(Exception):
    """A field's value was refused; the message is for the person who typed it."""


def validate(form: Mapping, rules: Rules) -> tuple[CaptureData | None, dict[str, str]]:
    """The capture in `form` (a MultiDict), or None and a message per wrong field."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    for name, parse in PARSERS.items():
        try:
            values[name] = parse(form, rules)
        except Invalid as error:
            errors[name] = str(error)
    if not errors:
        _check_took_place(values, errors)
    if "attendance" not in errors and "warning" not in errors:
        _answer_live(form, rules, values, errors)
    if errors:
        return None, errors
    marks = tuple(mark for category in CATEGORIES for mark in values.pop(category))
    for name in ("client_id", "meeting_id"):
        values.pop(name)
    return CaptureData(marks=marks, **values), {}


def _check_took_place(values: dict, errors: dict[str, str]) -> None:
    """A meeting that did not take place has nothing observed in it."""
    if values["attendance"] not in NOT_HELD:
        return
    observed = any(values[c] for c in CATEGORIES) or any(values[r] for r in RATINGS)
    if observed:
        errors["attendance"] = str(_l(
            "A meeting that did not take place has no markers or ratings: "
            "untick them, or choose held or cut short."
        ))


def _answer_live(form: Mapping, rules: Rules, values: dict, errors: dict[str, str]) -> None:
    """A meeting that took place says of each live warning sign whether it is still there (it
    is then a warning sign of this meeting too) or gone: nobody clears a warning by not looking.
    """
    if values["attendance"] in NOT_HELD:
        return
    still = []
    for marker_id in rules.live:
        answer = _text(form, f"live_{marker_id}")
        if answer not in LIVE_ANSWERS:
            errors[f"live_{marker_id}"] = str(_l("Say whether this warning sign is still there "
                                                 "or gone."))
        elif answer == "still" and marker_id not in values["warning"]:
            still.append(marker_id)
    values["warning"] = (*values["warning"], *still)


def _text(form: Mapping, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _key(form, rules) -> str:
    key = _text(form, "idempotency_key")
    if not KEY.fullmatch(key):
        raise Invalid(_l("This form is out of date. Reload the page and try again."))
    return key


def _id_matching(name: str):
    def parse(form, rules) -> None:
        value = _text(form, name)
        wanted = getattr(rules, name)
        if wanted is None and not value:
            return
        if value != str(wanted):
            raise Invalid(_l("This form belongs to another client or meeting. Reload the page."))

    return parse


def _attendance(form, rules) -> str:
    value = _text(form, "attendance")
    if value not in ATTENDANCE:
        raise Invalid(_l("Choose how the meeting went."))
    return value


def _held_on(form, rules) -> date:
    try:
        value = date.fromisoformat(_text(form, "held_on"))
    except ValueError:
        raise Invalid(_l("Give the date of the meeting.")) from None
    if value > rules.today:
        raise Invalid(_l("The date cannot be in the future."))
    if value.year < 2000:
        raise Invalid(_l("Give the date of the meeting."))
    return value


def _starts_at(form, rules) -> time:
    try:
        return datetime.strptime(_text(form, "starts_at")[:5], "%H:%M").time()
    except ValueError:
        raise Invalid(_l("Give the start time, for example 10:00.")) from None


def _length(form, rules) -> int:
    value = _text(form, "length_minutes")
    if not value.isdigit() or int(value) > MAX_LENGTH_MINUTES:
        raise Invalid(_l("Give the length in minutes, 0 to %(most)d.", most=MAX_LENGTH_MINUTES))
    return int(value)


def _marks(category: str):
    def parse(form, rules) -> tuple[str, ...]:
        known = {marker.id for marker in getattr(rules.vocabulary, category)}
        chosen = list(dict.fromkeys(form.getlist(category)))
        if any(mark not in known for mark in chosen):
            raise Invalid(_l("Unknown choice: reload the page and tick again."))
        return tuple(chosen)

    return parse


def _rating(name: str):
    def parse(form, rules) -> int | None:
        value = _text(form, name)
        if not value:
            return None
        if value not in ("1", "2", "3", "4", "5"):
            raise Invalid(_l("A rating is 1 to 5, or none."))
        return int(value)

    return parse


def _optional_text(name: str, most: int, one_line: bool):
    def parse(form, rules) -> str | None:
        value = _text(form, name).replace("\r\n", "\n")
        if one_line:
            value = " ".join(value.split())
        if len(value) > most:
            raise Invalid(_l("At most %(most)d characters (now %(now)d).", most=most,
                             now=len(value)))
        return value or None

    return parse


def _co_worker(form, rules) -> int | None:
    value = _text(form, "co_worker_id")
    if not value or value == "0":
        return None
    if not value.isdigit() or int(value) not in rules.co_workers:
        raise Invalid(_l("Choose one of the workers assigned to this client."))
    return int(value)


PARSERS = {
    "idempotency_key": _key,
    "client_id": _id_matching("client_id"),
    "meeting_id": _id_matching("meeting_id"),
    "attendance": _attendance,
    "held_on": _held_on,
    "starts_at": _starts_at,
    "length_minutes": _length,
    **{category: _marks(category) for category in CATEGORIES},
    **{name: _rating(name) for name in RATINGS},
    "next_step": _optional_text("next_step", MAX_NEXT_STEP, one_line=True),
    "note": _optional_text("note", MAX_NOTE, one_line=False),
    "co_worker_id": _co_worker,
}
