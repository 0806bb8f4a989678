"""Changing a client: phase (by hand or from a suggestion), milestones, monthly ratings."""

from datetime import date

from sqlalchemy import select

from companion import audit
from companion.extensions import db
from companion.models import (
    DimensionRating,
    Milestone,
    PhaseChange,
    SuggestionDecision,
    utcnow,
)
from companion.models.base import MILESTONE_STATUSES
from companion.suggestions import Suggestion
from companion.vocabulary import PHASES

DIMENSIONS = {
    "radicalisation": "Radicalisation",
    "extremist_activity": "Engagement in extremist activity",
    "crime": "Participation in crime",
    "marginalisation": "Social marginalisation",
    "mental_health": "Mental health",
}
MAX_REASON = 300


class ClientError(ValueError):
    """A change was refused; the message says why, for the person who asked."""


def change_phase(client, to_phase: str, reason: str, user) -> PhaseChange:
    """Move the client to another phase and keep the move in the phase history."""
    reason = " ".join(reason.split())
    if to_phase not in PHASES:
        raise ClientError("Choose one of the phases.")
    if to_phase == client.phase:
        raise ClientError("The client is already in that phase.")
    if not reason:
        raise ClientError("Say why the phase changes.")
    change = PhaseChange(client_id=client.id, from_phase=client.phase, to_phase=to_phase,
                         changed_by_id=user.id, reason=reason[:MAX_REASON])
    client.phase = to_phase
    db.session.add(change)
    audit.record("phase.changed", f"client:{client.id}")
    return change


def decide(client, suggestion: Suggestion, decision: str, user) -> SuggestionDecision:
    """Confirm (the phase changes, with the reasons as why) or dismiss a suggestion."""
    if not suggestion.actionable:
        raise ClientError("There is nothing to confirm or dismiss.")
    if decision == "confirmed":
        change_phase(client, suggestion.to_phase, "Suggested: " + "; ".join(suggestion.reasons),
                     user)
    else:
        audit.record("suggestion.dismissed", f"client:{client.id}")
    record = SuggestionDecision(client_id=client.id, user_id=user.id, suggestion=suggestion.key,
                                decision=decision, last_capture_id=suggestion.last_capture_id)
    db.session.add(record)
    return record


def add_milestone(client, title: str, user, target_month: str | None = None) -> Milestone:
    title = " ".join(title.split())
    if not 1 <= len(title) <= 120:
        raise ClientError("A milestone is 1 to 120 characters.")
    milestone = Milestone(client_id=client.id, title=title, created_by_id=user.id,
                          target_month=target_month or None)
    db.session.add(milestone)
    db.session.flush()
    audit.record("milestone.added", f"milestone:{milestone.id}")
    return milestone


def set_milestone_status(milestone: Milestone, status: str, today: date) -> None:
    if status not in MILESTONE_STATUSES:
        raise ClientError("Choose open, reached or dropped.")
    milestone.status = status
    milestone.reached_on = today if status == "reached" else None
    audit.record("milestone.updated", f"milestone:{milestone.id}")


def rate_month(client, month: str, values: dict[str, int], user) -> DimensionRating:
    """Save this month's five-dimension rating; saving again in the same month edits it."""
    if set(values) != set(DIMENSIONS) or not all(
        isinstance(v, int) and 1 <= v <= 5 for v in values.values()
    ):
        raise ClientError("Rate each of the five dimensions from 1 to 5.")
    rating = db.session.scalar(
        select(DimensionRating).where(
            DimensionRating.client_id == client.id, DimensionRating.month == month
        )
    )
    if rating is None:
        rating = DimensionRating(client_id=client.id, month=month)
        db.session.add(rating)
    for name, value in values.items():
        setattr(rating, name, value)
    rating.rated_by_id = user.id
    rating.rated_at = utcnow()
    audit.record("rating.saved", f"client:{client.id}")
    return rating
