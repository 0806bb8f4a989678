"""Words for a change in a five-dimension rating (issue 12, defect 7): the scale runs from 1,
most concern, to 5, least concern, so an arrow up read as "more radicalised". Say it instead."""

from flask_babel import gettext as _


def dimension_change(value: int | None, before: int | None) -> str:
    """"less concern, +1", "more concern, −2", or "" when unchanged or not known."""
    if value is None or before is None or value == before:
        return ""
    if value > before:
        return _("less concern, +%(points)d", points=value - before)
    return _("more concern, −%(points)d", points=before - value)
