"""Client progress over months: co-owned milestones and their history, reviews, and the monthly
five-dimension rating (None is "not known"). Plain functions; the caller commits."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from companion import audit
from companion.clients.lifecycle import open_for_progress
from companion.extensions import db
from companion.models import (
    Client,
    DimensionRating,
    DimensionRatingEdit,
    Milestone,
    MilestoneEvent,
    Review,
    utcnow,
)
from companion.vocabulary import DIMENSIONS, MILESTONE_AREAS

MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
MAX_TITLE = 120
MAX_INTERVAL = 12


class ProgressError(ValueError):
    """A change was refused; `field` names the form field the message belongs next to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def month_key(day: date) -> str:
    return f"{day:%Y-%m}"


def valid_month(text: str) -> bool:
    return bool(MONTH.fullmatch(text or ""))


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_milestone(client, title: str, area: str, target_month: str, agreed: bool, user,
                  today: date) -> Milestone:
    """A milestone set with the client; its first event records who set it and when."""
    open_for_progress(client)
    title = " ".join((title or "").split())
    if not 1 <= len(title) <= MAX_TITLE:
        raise ProgressError("title", _l("Write the goal in 1 to 120 characters."))
    if area not in MILESTONE_AREAS:
        raise ProgressError("area", _l("Choose one of the areas."))
    if not valid_month(target_month):
        raise ProgressError("target_month", _l("Give the target month as year and month."))
    if target_month < month_key(today):
        raise ProgressError("target_month", _l("The target month cannot be in the past."))
    if agreed is not True:
        raise ProgressError("agreed", _l("A milestone is set with the client: tick that you "
                                         "agreed it together."))
    milestone = Milestone(client_id=client.id, title=title, area=area, target_month=target_month,
                          agreed=True, created_by_id=user.id)
    milestone.events.append(MilestoneEvent(status="open", changed_on=today, changed_by_id=user.id))
    db.session.add(milestone)
    db.session.flush()
    audit.record("milestone.added", f"milestone:{milestone.id}")
    return milestone


CHANGES = {"open": ("reached", "dropped"), "reached": ("open",), "dropped": ("open",)}


def set_milestone_status(milestone: Milestone, status: str, user, today: date) -> bool:
    """Reach or drop an open milestone, or open a reached or dropped one again (an undo); each
    change is a new event with its date and who made it, the old ones stay. Asking for the
    status it already has changes nothing (a double tap) and returns False."""
    open_for_progress(db.session.get(Client, milestone.client_id))
    if status not in CHANGES:
        raise ProgressError("status", _l("Choose reached, dropped or open again."))
    if milestone.status == status:
        return False
    if status not in CHANGES[milestone.status]:
        raise ProgressError("status",
                            _l("This milestone is no longer open: open it again first."))
    milestone.status = status
    milestone.reached_on = today if status == "reached" else None
    milestone.events.append(MilestoneEvent(status=status, changed_on=today, changed_by_id=user.id))
    audit.record("milestone.updated", f"milestone:{milestone.id}")
    return True


@dataclass(frozen=True)
class ReviewDue:
    next_on: date
    due: bool
    last_on: date | None
    milestones: tuple  # the open milestones to go through
    every: int = 3  # months between reviews for this client


def review_interval(client) -> int:
    """Months between reviews: the client's own interval, else the team default."""
    return client.review_every_months or current_app.config.get("REVIEW_EVERY_MONTHS", 3)


def set_review_interval(client, months) -> None:
    """How many months between this client's reviews (1 to 12)."""
    open_for_progress(client)
    if not isinstance(months, int) or not 1 <= months <= MAX_INTERVAL:
        raise ProgressError("months", _l("Choose 1 to 12 months."))
    if months != client.review_every_months:
        client.review_every_months = months
        audit.record("review.interval", f"client:{client.id}")


def review_status(client, milestones, today: date) -> ReviewDue:
    """The next review: the client's interval after the last, or after the client was added
    when there has been none yet."""
    last = db.session.scalar(select(Review.held_on).where(Review.client_id == client.id)
                             .order_by(Review.held_on.desc()).limit(1))
    start = last or client.created_at.date()
    every = review_interval(client)
    next_on = add_months(start, every)
    open_ones = tuple(m for m in milestones if m.status == "open")
    return ReviewDue(next_on, next_on <= today, last, open_ones, every)


def record_review(client, user, today: date) -> Review:
    """The review held today; a second tap the same day keeps the first."""
    open_for_progress(client)
    held = db.session.scalar(select(Review).where(Review.client_id == client.id,
                                                  Review.held_on == today).limit(1))
    if held is not None:
        return held
    review = Review(client_id=client.id, held_on=today, held_by_id=user.id)
    db.session.add(review)
    db.session.flush()
    audit.record("review.held", f"client:{client.id}")
    return review


def rate_month(client, month: str, values: dict[str, int | None], user,
               today: date) -> DimensionRating:
    """This month's rating (None: not known). Saving again within the month makes the new
    values current and keeps each save as its own record (DimensionRatingEdit, never changed);
    a past month's rating is history and stays as it was; a future month cannot be rated."""
    open_for_progress(client)
    if not valid_month(month):
        raise ProgressError("month", _l("Give the month as year and month."))
    if month > month_key(today):
        raise ProgressError("month", _l("A month in the future cannot be rated."))
    if month < month_key(today):
        raise ProgressError("month", _l("Past months are kept as history; rate this month."))
    if set(values) != set(DIMENSIONS):
        raise ProgressError("month", _l("Rate each of the five dimensions."))
    for name, value in values.items():
        if value is not None and (not isinstance(value, int) or not 1 <= value <= 5):
            raise ProgressError(name, _l("Choose 1 to 5, or not known."))
    rating, made_now = this_months_rating(client, month)
    if not made_now and all(getattr(rating, name) == value for name, value in values.items()):
        return rating  # the same again (a double tap): nothing new to keep
    for name, value in values.items():
        setattr(rating, name, value)
    rating.rated_by_id = user.id
    rating.rated_at = utcnow()
    db.session.flush()
    db.session.add(DimensionRatingEdit(rating_id=rating.id, rated_by_id=user.id,
                                       rated_at=rating.rated_at, **values))
    audit.record("rating.saved", f"client:{client.id}")
    return rating


def this_months_rating(client, month: str) -> tuple[DimensionRating, bool]:
    """The month's rating row and whether it was made now; when a simultaneous save (the
    other tap of a double tap) made it first, that one."""
    query = select(DimensionRating).where(DimensionRating.client_id == client.id,
                                          DimensionRating.month == month)
    rating = db.session.scalar(query)
    if rating is not None:
        return rating, False
    try:
        with db.session.begin_nested():
            rating = DimensionRating(client_id=client.id, month=month)
            db.session.add(rating)
    except IntegrityError:
        return db.session.scalar(query), False
    return rating, True


def rating_edits(ratings) -> dict[int, list[DimensionRatingEdit]]:
    """Every kept save of these ratings, newest first, by rating id."""
    edits = db.session.scalars(
        select(DimensionRatingEdit).options(joinedload(DimensionRatingEdit.rated_by))
        .where(DimensionRatingEdit.rating_id.in_([r.id for r in ratings]))
        .order_by(DimensionRatingEdit.rated_at.desc(), DimensionRatingEdit.id.desc())
    ).all() if ratings else []
    by_rating: dict[int, list[DimensionRatingEdit]] = {}
    for edit in edits:
        by_rating.setdefault(edit.rating_id, []).append(edit)
    return by_rating
