"""Reasons and flags as message keys with parameters: the rules say which, the reader's language
words them when they are shown (so word order and plurals can change per language)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from babel import numbers
from babel.lists import format_list
from flask import has_app_context
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from companion.timewords import when


def _needed(text: str, needed: int | None) -> str:
    return _("%(reason)s (%(needed)d needed)", reason=text, needed=needed) if needed else text


RATING_NAMES = {"goals": _l("goals"), "tasks": _l("tasks"), "bond": _l("bond")}  # in a sentence
MESSAGES: Mapping[str, Callable[..., str]] = MappingProxyType({
    "none_held": lambda **p: _("no meeting held yet"),
    "first_held": lambda **p: _("first meeting held on %(day)s", **p),
    "no_crisis_signs": lambda **p: _("no crisis signs in the latest meetings"),
    "crisis_sign": lambda **p: _("%(sign)s in the meeting on %(day)s", **p),
    "no_shows": lambda **p: ngettext("%(num)d no-show in a row (%(days)s)",
                                     "%(num)d no-shows in a row (%(days)s)", p.pop("num"), **p),
    "warned": lambda **p: _("warning signs on %(day)s: %(signs)s", **p),
    "count_again": lambda **p: _("readiness is counted again from the next meeting held"),
    "calm_since": lambda **p: _("no warning signs since %(day)s", **p),
    "calm_so_far": lambda **p: _("no warning signs so far"),
    "change_talk": lambda needed=None, **p: _needed(ngettext(
        "change talk in %(talk)d of the one meeting since",
        "change talk in %(talk)d of the last %(num)d meetings", p.pop("num"), **p), needed),
    "life_talk": lambda needed=None, **p: _needed(ngettext(
        "talk about life after release in %(life)d of the one meeting since",
        "talk about life after release in %(life)d of the last %(num)d meetings",
        p.pop("num"), **p), needed),
    "calm_count": lambda **p: ngettext(
        "%(calm)d of %(num)d calm meeting since the crisis began",
        "%(calm)d of %(num)d calm meetings since the crisis began", p.pop("num"), **p),
    "no_show_on": lambda **p: _("no-show on %(day)s", **p),
    "calm_run": lambda **p: ngettext(
        "%(num)d calm meeting in a row (%(days)s): held, no warning signs",
        "%(num)d calm meetings in a row (%(days)s): held, no warning signs", p.pop("num"), **p),
    "rating_fell": lambda **p: _(
        "Alliance rating by %(author)s fell since the previous meeting: %(drop)s", **p),
    "mean_fell": lambda **p: _("mean %(was)s → %(now)s", **p),
    "rating_part_fell": lambda part, **p: _("%(part)s %(was)s → %(now)s",
                                            part=RATING_NAMES[part], **p),
})


@dataclass(frozen=True)
class Reason:
    """One reason: a key of MESSAGES and its parameters (dates, lists of dates, counts, names
    and other reasons). `year` is the year of the day the rules ran: dates in it go without."""

    key: str
    params: tuple[tuple[str, object], ...] = ()
    year: int | None = None

    def __str__(self) -> str:
        return MESSAGES[self.key](**{name: self._word(value) for name, value in self.params})

    def _word(self, value):
        if isinstance(value, date):
            return when(value, "short" if value.year == self.year else "date")
        if isinstance(value, tuple) and value and isinstance(value[0], date):
            return _listed([self._word(v) for v in value])
        if isinstance(value, tuple):  # parts, each worded, listed with commas
            return ", ".join(self._word(v) for v in value)
        if isinstance(value, float):
            return _decimal(value)
        return value if isinstance(value, int) else str(value)


def reason(key: str, year: int | None = None, **params) -> Reason:
    return Reason(key, tuple(params.items()), year)


def _decimal(value: float) -> str:
    """A mean to one place, in the reader's language ("2.5", "2,5")."""
    if has_app_context():
        return format_decimal(value, "0.0")
    return numbers.format_decimal(value, "0.0", locale="en")


def _listed(items: list[str]) -> str:
    """"12 Nov and 19 Nov" in the reader's language."""
    locale = get_locale() if has_app_context() else None
    return format_list(items, locale=str(locale or "en"))
