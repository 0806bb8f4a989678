"""Everything templates share: domain labels, marker groups, team-clock filters."""

import re
from datetime import date
from functools import partial

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup

from companion import agreement, content, vocabulary
from companion.clock import local_now, to_local
from companion.timewords import when

MARKER_GROUP_TITLES = {
    "readiness": _l("Readiness markers"),
    "warning": _l("Warning signs"),
    "move": _l("Moves used"),
    "slip": _l("Don'ts that slipped"),
}


def marker_groups(marks) -> list[tuple[str, list[str]]]:
    """Ticked marker labels by table (readiness, warning, move, slip), tables with none left
    out; ids no longer in the vocabulary are skipped."""
    by_id = content.current().vocabulary.by_id
    groups = []
    for category, title in MARKER_GROUP_TITLES.items():
        labels = [by_id[m].label for m in marks if m in by_id and by_id[m].category == category]
        if labels:
            groups.append((str(title), labels))
    return groups


def team_clock(moment):
    """A stored UTC timestamp on the team's wall clock."""
    return to_local(moment) if moment else moment


def meeting_ago(day) -> str:
    """How long ago a meeting day was, in words."""
    days = (local_now().date() - day).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("%(num)d day ago", "%(num)d days ago", days)


def month_name(key: str) -> str:
    """"2027-03" as "March 2027" (in the user's language); anything else as it is."""
    try:
        return when(date(int(key[:4]), int(key[5:7]), 1), "month")
    except (TypeError, ValueError):
        return key


def css_string(text) -> Markup:
    """A text as a CSS string literal (for a PDF's page margins): backslash, quote and "<"
    escaped the CSS way, so it can neither end the string nor the style element."""
    text = str(text).replace("\\", "\\5c ").replace('"', "\\22 ").replace("<", "\\3c ")
    return Markup(f'"{text}"')  # noqa: S704  # nosec B704


def css_page_of() -> Markup:
    """"Page 2 of 5" as CSS content with the page counters, worded in the user's language."""
    text = _("Page %(page)s of %(pages)s", page="\0page\0", pages="\0pages\0")
    parts = re.split("\0(pages?)\0", text)
    return Markup(" ".join(  # noqa: S704  # nosec B704  (the counters and css_string only)
        f"counter({part})" if number % 2 else css_string(part)
        for number, part in enumerate(parts) if part))


def close_label(reason: str | None) -> str:
    from companion.clients.lifecycle import close_label as label

    return label(reason)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        phase_label=partial(vocabulary.label, vocabulary.PHASES),
        part_label=partial(vocabulary.label, vocabulary.PARTS),
        attendance_label=partial(vocabulary.label, vocabulary.ATTENDANCE),
        alliance_label=partial(vocabulary.label, vocabulary.ALLIANCE),
        dimensions=vocabulary.DIMENSIONS,
        area_label=partial(vocabulary.label, vocabulary.MILESTONE_AREAS),
        role_label=partial(vocabulary.label, vocabulary.USER_ROLES),
        assignment_label=partial(vocabulary.label, vocabulary.ASSIGNMENT_ROLES),
        css_string=css_string,
        team_today=lambda: local_now().date(),
        css_page_of=css_page_of,
        month_name=month_name,
        marker_groups=marker_groups,
        close_label=close_label,
        rare_figures=agreement.rare_figures,
    )
    app.jinja_env.filters.update(team_clock=team_clock, meeting_ago=meeting_ago)
