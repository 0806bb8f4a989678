"""Changing a client: phase (by hand or from a suggestion). Milestones, reviews and ratings:
`companion.clients.progress`."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from companion import audit
from companion.clients import lifecycle
from companion.extensions import db
from companion.models import PhaseChange, SuggestionDecision
from companion.suggestions import Suggestion
from companion.vocabulary import PHASES

MAX_REASON = 300


class ClientError(ValueError):
    """A change was refused; the message says why, for the person who asked."""


def change_phase(client, to_phase: str, reason: str, user) -> PhaseChange:
    """Move the client to another phase and keep the move in the phase history."""
    lifecycle.open_for_phase(client)
    reason = " ".join(reason.split())
    if to_phase not in PHASES:
        raise ClientError(_l("Choose one of the phases."))
    if to_phase == client.phase:
        raise ClientError(_l("The client is already in that phase."))
    if not reason:
        raise ClientError(_l("Say why the phase changes."))
    change = PhaseChange(client_id=client.id, from_phase=client.phase, to_phase=to_phase,
                         changed_by_id=user.id, reason=reason[:MAX_REASON])
    client.phase = to_phase
    db.session.add(change)
    audit.record("phase.changed", f"client:{client.id}")
    return change


def decide(client, suggestion: Suggestion, decision: str, user) -> SuggestionDecision:
    """Confirm (the phase changes, with the reasons as why) or dismiss a suggestion."""
    if not suggestion.actionable:
        raise ClientError(_l("There is nothing to confirm or dismiss."))
    if decision == "confirmed":
        reasons = "; ".join(str(r) for r in suggestion.reasons)
        change_phase(client, suggestion.to_phase, _("Suggested: %(reasons)s", reasons=reasons),
                     user)
    else:
        audit.record("suggestion.dismissed", f"client:{client.id}")
    record = SuggestionDecision(client_id=client.id, user_id=user.id, suggestion=suggestion.key,
                                decision=decision, last_capture_id=suggestion.last_capture_id)
    db.session.add(record)
    return record
