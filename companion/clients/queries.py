"""Everything the client page shows, in a fixed number of queries whatever the data: the
brief (companion.clients.brief) first, then the record: timeline, grid, history, milestones,
ratings and who works with the client."""

from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.orm import joinedload, selectinload

from companion import content, suggestions
from companion.clients.brief import (
    card_context,
    current_suggestion,
    last_note,
    next_step,
    observations,
    open_warnings,
    phase_history,
    review_due,
    unless_dismissed,
)
from companion.clients.charts import dimension_chart
from companion.clients.progress import add_months, month_key, rating_edits
from companion.clients.seen import seen_captures
from companion.clock import local_now
from companion.extensions import db
from companion.models import (
    Assignment,
    Capture,
    DimensionRating,
    Meeting,
    Milestone,
    MilestoneEvent,
    User,
)
from companion.vocabulary import DIMENSIONS

GRID_MEETINGS = 8
RATING_MONTHS = 6
MILESTONES = 50

@dataclass(frozen=True)
class TimelineEntry:
    meeting: Meeting
    captures: list[Capture]
    awaiting_own: bool  # a shared meeting the viewer has not captured yet

    @property
    def comparable(self) -> bool:
        """Two captures in, and not both saying it was cancelled (nothing to compare then)."""
        return len(self.captures) > 1 and any(c.attendance != "cancelled" for c in self.captures)


def client_page(client, user, part: str = "beginning") -> dict:
    """Everything the client page shows, read in a fixed number of queries."""
    meetings, captures = seen_captures(client, user)
    history = phase_history(client)
    rules = current_suggestion(client, captures, history)
    suggestion = unless_dismissed(client, rules)
    merged = suggestions.merge_meetings(observations(captures))
    today = local_now().date()
    goals, monthly = milestones(client), ratings(client)
    return card_context(client, part) | {
        "suggestion": suggestion,
        "next_step": next_step(client, user),
        "last_note": last_note(captures, user),
        "warnings": open_warnings(merged, suggestion, rules.flags),
        "timeline": timeline(meetings, captures, user),
        "grid": grid(merged),
        "history": history,
        "milestones": goals,
        "review": review_due(client, goals, today),
        "ratings": monthly,
        "rating_history": rating_history(monthly, today),
        "rating_edits": rating_edits(monthly),
        "scales": content.current().dimension_scales,
        "assignments": assignments(client),
        "today": today,
        "markers": content.current().vocabulary.by_id,
    }


def timeline(meetings, captures, user) -> list[TimelineEntry]:
    by_meeting: dict[int, list[Capture]] = {}
    for capture in sorted(captures, key=lambda c: c.author_id != user.id):
        by_meeting.setdefault(capture.meeting_id, []).append(capture)
    entries = []
    for meeting in meetings:
        mine = by_meeting.get(meeting.id, [])
        workers = {w.user_id for w in meeting.workers}
        awaiting = (user.role == "worker" and user.id in workers and len(workers) > 1
                    and not any(c.author_id == user.id for c in mine))
        entries.append(TimelineEntry(meeting, mine, awaiting))
    return entries


def grid(merged) -> dict:
    """Readiness and warning markers (rows) over the last meetings held (columns, oldest first)."""
    vocabulary = content.current().vocabulary
    columns = [m for m in merged if m.attended][:GRID_MEETINGS][::-1]
    rows = [
        (marker, [marker.id in m.marks for m in columns])
        for marker in (*vocabulary.readiness, *vocabulary.warning)
    ]
    return {"columns": columns, "rows": rows}


def milestones(client) -> list[Milestone]:
    return db.session.scalars(
        select(Milestone)
        .options(selectinload(Milestone.events).joinedload(MilestoneEvent.changed_by))
        .where(Milestone.client_id == client.id)
        .order_by(case((Milestone.status == "open", 0), else_=1), Milestone.created_at.desc())
        .limit(MILESTONES)
    ).all()


def ratings(client) -> list[DimensionRating]:
    return db.session.scalars(
        select(DimensionRating).where(DimensionRating.client_id == client.id)
        .order_by(DimensionRating.month.desc()).limit(RATING_MONTHS)
    ).all()


@dataclass(frozen=True)
class DimensionHistory:
    name: str
    values: tuple[int | None, ...]  # oldest month first; None: not known or not rated
    chart: str


def rating_history(monthly, today) -> dict:
    """The last RATING_MONTHS calendar months, oldest first, and each dimension's values."""
    months = [month_key(add_months(today.replace(day=1), -back))
              for back in range(RATING_MONTHS - 1, -1, -1)]
    by_month = {r.month: r for r in monthly}
    rows = []
    for name, label in DIMENSIONS.items():
        values = tuple(getattr(by_month[m], name) if m in by_month else None for m in months)
        rows.append(DimensionHistory(name, values, dimension_chart(values, str(label))))
    return {"months": months, "rows": rows}


def assignments(client) -> list[Assignment]:
    return db.session.scalars(
        select(Assignment).options(joinedload(Assignment.user))
        .where(Assignment.client_id == client.id).order_by(Assignment.role.desc())
    ).all()


def team_workers(client) -> list[User]:
    """The active workers of the client's own team."""
    return db.session.scalars(
        select(User).where(User.team_id == client.team_id, User.role == "worker",
                           User.active.is_(True)).order_by(User.username)
    ).all()
