"""Hand-over: a lead moves a client between workers. The summary is built from the whole
record as it stands at that moment and kept with the hand-over, so the new worker reads what
the previous one knew without opening captures that stay blind to them."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from companion import audit, content, suggestions
from companion.clients import lifecycle
from companion.clients.brief import (
    current_suggestion,
    next_step,
    observations,
    open_warnings,
    phase_history,
)
from companion.clients.seen import seen_captures
from companion.clock import to_local
from companion.extensions import db
from companion.models import Assignment, Client, Handover, Milestone, User, utcnow
from companion.vocabulary import PHASES

RECENT_CAPTURES = 3


@dataclass(frozen=True)
class WholeRecord:
    """A reader who sees every capture of the client (as its team's lead does)."""

    id: int = 0
    role: str = "lead"


def summary(client: Client) -> dict:
    """Phase and its history, the last three captures' markers, open milestones, the last
    planned next step and live warning signs, as plain JSON-ready data."""
    reader = WholeRecord()
    _, captures = seen_captures(client, reader)
    history = phase_history(client)
    rules = current_suggestion(client, captures, history)
    merged = suggestions.merge_meetings(observations(captures))
    labels = content.current().vocabulary.by_id
    recent = sorted(captures, key=lambda c: (c.held_on, c.recorded_at), reverse=True)
    step = next_step(client, reader)
    return {
        "phase": str(PHASES[client.phase]),
        "history": [{"on": f"{to_local(h.changed_at):%Y-%m-%d}", "to": str(PHASES[h.to_phase]),
                     "from": str(PHASES[h.from_phase]) if h.from_phase else None,
                     "reason": h.reason} for h in history],
        "captures": [{"on": f"{c.held_on:%Y-%m-%d}", "by": c.author.username,
                      "attendance": c.attendance,
                      "markers": [str(labels[m].label) if m in labels else m
                                  for m in c.marks or ()]}
                     for c in recent[:RECENT_CAPTURES]],
        "milestones": list(db.session.scalars(
            select(Milestone.title).where(Milestone.client_id == client.id,
                                          Milestone.status == "open")
            .order_by(Milestone.created_at))),
        "next_step": {"text": step.text, "on": f"{step.on:%Y-%m-%d}", "agreed": step.agreed}
        if step else None,
        "warnings": [str(w) for w in open_warnings(merged, rules, rules.flags)],
    }


def hand_over(client: Client, seen_version: int, lead: User, from_user: User | None,
              to_user: User | None) -> Handover:
    """Move `from_user`'s place to `to_user` (either may be None: add or remove a worker).
    Refused if someone changed the client since the lead's page was drawn."""
    if from_user is None and to_user is None:
        raise lifecycle.ClientStateError(_l("Choose who hands over, who takes over, or both."))
    lifecycle.claim(client, seen_version)
    current = {a.user_id: a for a in _assignments(client)}
    if from_user is not None and from_user.id not in current:
        raise lifecycle.ClientStateError(_l("%(name)s does not work with %(code)s.",
                                            name=from_user.username, code=client.code))
    if to_user is not None:
        _check_newcomer(client, to_user, current)
    role = current[from_user.id].role if from_user else (
        "co_worker" if current else "lead_worker")
    if from_user is not None:
        db.session.delete(current.pop(from_user.id))
        if role == "lead_worker" and to_user is None and current:
            next(iter(current.values())).role = "lead_worker"
    if to_user is not None:
        db.session.add(Assignment(client_id=client.id, user_id=to_user.id, role=role))
    record = Handover(client_id=client.id, from_user_id=getattr(from_user, "id", None),
                      to_user_id=getattr(to_user, "id", None), by_id=lead.id,
                      summary=summary(client) if to_user else {})
    db.session.add(record)
    db.session.flush()
    audit.record("client.handed_over", f"client:{client.id} from:{getattr(from_user, 'id', '-')}"
                 f" to:{getattr(to_user, 'id', '-')} handover:{record.id}")
    return record


def _check_newcomer(client: Client, user: User, current: dict) -> None:
    if user.role != "worker" or user.team_id != client.team_id or not user.active:
        raise lifecycle.ClientStateError(
            _l("Only an active worker of the client's team can take over."))
    if user.id in current:
        raise lifecycle.ClientStateError(_l("%(name)s already works with %(code)s.",
                                            name=user.username, code=client.code))


def _assignments(client: Client) -> list[Assignment]:
    return list(db.session.scalars(
        select(Assignment).where(Assignment.client_id == client.id)
        .order_by(Assignment.role.desc(), Assignment.id)))


def unseen_for(client: Client, user: User) -> Handover | None:
    """The latest hand-over to `user` they have not opened yet."""
    return db.session.scalars(
        select(Handover).where(Handover.client_id == client.id, Handover.to_user_id == user.id,
                               Handover.seen_at.is_(None))
        .order_by(Handover.id.desc()).limit(1)).first()


def mark_seen(record: Handover) -> None:
    record.seen_at = utcnow()
    audit.record("handover.seen", f"handover:{record.id}")

