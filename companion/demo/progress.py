"""The demo's progress over months: milestones set with the client across areas (some
reached, one dropped, one opened again, each with its history), milestone reviews and six
months of ratings, one corrected within its month (both saves kept)."""

import random
from datetime import date, datetime, time, timedelta

from companion.clients.progress import add_months, month_key
from companion.extensions import db
from companion.models import (
    DimensionRating,
    DimensionRatingEdit,
    Milestone,
    MilestoneEvent,
    Review,
)

# (title, area, status, days ago it was set, days ago it changed, target months ahead)
MILESTONES = (
    ("Apply for a place on the welding course", "work_education", "reached", 80, 20, 0),
    ("Write to his mother", "family", "reached", 60, 9, 0),
    ("Visit the housing office after release", "housing", "open", 40, None, 2),
    ("See the prison doctor about sleeping", "health", "open", 30, None, 1),
    ("Talk with the imam once a month", "faith_community", "dropped", 70, 25, 1),
)
# Dropped by mistake and opened again (days ago): the undo shows in the history.
REOPENED = {"Visit the housing office after release": (32, 31)}
DIMENSIONS = ("radicalisation", "extremist_activity", "crime", "marginalisation",
              "mental_health")


def add(story, today: date, rng: random.Random) -> None:
    client_id = story.meetings[0][1].client_id if story.meetings else None
    if client_id is None:
        return
    if "change_work" in story.phase_in_week.values():
        _milestones(client_id, story.workers[0].id, today)
        db.session.add(Review(client_id=client_id, held_on=today - timedelta(days=95),
                              held_by_id=story.workers[0].id))
    else:
        db.session.add(Review(client_id=client_id, held_on=today - timedelta(days=30),
                              held_by_id=story.workers[0].id))
    _ratings(story, client_id, today, rng)


def _milestones(client_id: int, author: int, today: date) -> None:
    for title, area, status, set_ago, changed_ago, ahead in MILESTONES:
        set_on = today - timedelta(days=set_ago)
        milestone = Milestone(
            client_id=client_id, title=title, area=area, agreed=True, status=status,
            target_month=month_key(add_months(today, ahead) if status == "open" else set_on),
            created_by_id=author,
            reached_on=today - timedelta(days=changed_ago) if status == "reached" else None,
        )
        milestone.events.append(MilestoneEvent(status="open", changed_on=set_on,
                                               changed_by_id=author))
        for change, ago in zip(("dropped", "open"), REOPENED.get(title, ()), strict=False):
            milestone.events.append(MilestoneEvent(
                status=change, changed_on=today - timedelta(days=ago), changed_by_id=author))
        if status != "open":
            milestone.events.append(MilestoneEvent(
                status=status, changed_on=today - timedelta(days=changed_ago),
                changed_by_id=author))
        db.session.add(milestone)


def _ratings(story, client_id: int, today: date, rng: random.Random) -> None:
    """Six months, better over time unless in crisis; one "not known" four months back."""
    for back in range(5, -1, -1):
        step = 5 - back
        base = 2 + step // 2 if story.pattern != "crisis" else 3 - (back == 0)
        values = [max(1, min(5, base + rng.choice((-1, 0, 0)))) for _ in DIMENSIONS]
        scores = dict(zip(DIMENSIONS, values, strict=True))
        if back == 4:
            scores["mental_health"] = None
        first = add_months(today.replace(day=1), -back)
        rating = DimensionRating(
            client_id=client_id, month=month_key(first), rated_by_id=story.workers[0].id,
            rated_at=datetime.combine(min(first + timedelta(days=20), today), time(10)),
            **scores)
        db.session.add(rating)
        db.session.flush()
        if back == 1:  # last month was first saved lower, then corrected: both saves kept
            db.session.add(DimensionRatingEdit(
                rating_id=rating.id, rated_by_id=story.workers[0].id,
                rated_at=rating.rated_at - timedelta(days=3),
                **{name: max(1, (value or 2) - 1) for name, value in scores.items()}))
        db.session.add(DimensionRatingEdit(rating_id=rating.id, rated_by_id=story.workers[0].id,
                                           rated_at=rating.rated_at, **scores))
