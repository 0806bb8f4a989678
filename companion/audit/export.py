"""The filtered trail as a CSV file: the same sentences as the page, times on the team's
clock, read in chunks (a constant number of queries per chunk)."""

import csv
import io

from flask_babel import gettext as _
from sqlalchemy import func, select

from companion.audit import trail
from companion.audit.filters import Filters
from companion.clock import team_zone
from companion.extensions import db
from companion.timewords import when

CHUNK = 500
MAX_ROWS = 50_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TooMany(ValueError):
    """More entries match than one file holds."""


def cell(value) -> str:
    """A value a spreadsheet shows as text: one that could start a formula gets a leading
    apostrophe (OWASP's advice against CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def header() -> list[str]:
    return [_("When (%(zone)s)", zone=str(team_zone())), _("Who"), _("Role"), _("What happened"),
            _("Action"), _("Subject"), _("Request")]


def row(line: trail.Line) -> list[str]:
    entry = line.entry
    return [cell(value) for value in (when(line.local, "iso", local=True), entry.username,
                                      entry.role, line.sentence, entry.action, entry.subject,
                                      entry.request_id)]


def trail_csv(scope: trail.Scope, chosen: Filters) -> tuple[str, int, int]:
    """The CSV text, how many entries it holds and the newest entry's id (0 if none); the
    same filters over entries up to that id give the same file again."""
    query = trail.filtered(scope, chosen)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    if total > MAX_ROWS:
        raise TooMany(_("%(total)d entries match; a file holds at most %(most)d. Narrow the "
                        "days or the people to export them.", total=total, most=MAX_ROWS))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header())
    newest, last = 0, None
    while True:
        chunk = query if last is None else query.where(trail.AuditEntry.id < last)
        entries = db.session.scalars(chunk.limit(CHUNK)).all()
        if not entries:
            break
        newest = newest or entries[0].id
        writer.writerows(row(line) for line in trail.lines(entries, scope))
        last = entries[-1].id
    return out.getvalue(), total, newest
