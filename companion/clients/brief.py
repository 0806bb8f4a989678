"""Before you go in: the card for this part, the planned next step, live warnings and the
phase suggestion, from the captures the viewer may see."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select
from sqlalchemy.orm import joinedload

from companion import content, suggestions
from companion.clients.progress import ReviewDue, review_status
from companion.clients.seen import seen_captures, visible
from companion.clock import local_now, to_local
from companion.extensions import db
from companion.models import (
    Capture,
    Debrief,
    Meeting,
    PhaseChange,
    SuggestionDecision,
    WarningAcknowledgement,
)
from companion.timewords import when
from companion.vocabulary import PARTS

CRISIS_TOPICS = (("drop-out", _l("Drop-out")), ("hostility", _l("Hostility or fury")),
                 ("broken-trust", _l("Broken trust")))
PHASE_HISTORY = 20


@dataclass(frozen=True)
class NextStep:
    text: str
    on: date
    agreed: bool  # agreed by the pair in a debrief, not one worker's own plan


FIRST_PROMPTS = 4  # a long card shows its first prompts (the file's order) and the rest on "more"


def card_context(client, part: str) -> dict:
    """The prompt card of the client's phase for one part of the session."""
    card = content.current().card(client.phase, part)
    first, more = first_prompts(card)
    return {"client": client, "part": part, "parts": list(PARTS), "card": card,
            "topics": _by_topic(first), "more": more}


def first_prompts(card) -> tuple[list, list]:
    """The prompts shown at once and those behind "more". A team orders a card's file with
    what matters most first; crisis steps are never hidden, nor is a single extra prompt
    (a "more" tap for one line costs more than it saves). Don'ts always show."""
    prompts = list(card.prompts)
    if card.phase == "crisis" or any(p.topic for p in prompts) \
            or len(prompts) <= FIRST_PROMPTS + 1:
        return prompts, []
    return prompts[:FIRST_PROMPTS], prompts[FIRST_PROMPTS:]


def _by_topic(prompts) -> list[tuple[str | None, list]]:
    """Crisis steps grouped by topic, prompts without a topic first (None: no heading)."""
    groups = [(None, [p for p in prompts if not p.topic])]
    groups += [(label, [p for p in prompts if p.topic == topic]) for topic, label in CRISIS_TOPICS]
    known = {topic for topic, _ in CRISIS_TOPICS}
    groups += [(p.topic, [p]) for p in prompts if p.topic and p.topic not in known]
    return [(label, group) for label, group in groups if group]


def review_due(client, milestones, today: date) -> ReviewDue:
    """When the milestones are next gone through with the client, and which ones."""
    return review_status(client, milestones, today)


def suggestion_for(client, user) -> suggestions.Suggestion | None:
    _, captures = seen_captures(client, user)
    return unless_dismissed(client, current_suggestion(client, captures, phase_history(client)))


def observations(captures) -> list[suggestions.Observation]:
    acknowledged = _acknowledged({c.meeting_id for c in captures})
    return [
        suggestions.Observation(
            capture_id=c.id, meeting_id=c.meeting_id, author=c.author.username,
            held_on=c.held_on, attendance=c.attendance, marks=frozenset(c.marks or ()),
            goals=c.rating_goals, tasks=c.rating_tasks, bond=c.rating_bond,
            slot=(c.meeting.held_on, c.meeting.starts_at), recorded_at=c.recorded_at,
            acknowledged=c.meeting_id in acknowledged,
        )
        for c in captures
    ]


def _acknowledged(meeting_ids: set[int]) -> set[int]:
    """The meetings whose warning signs a worker acknowledged on the card (one statement)."""
    if not meeting_ids:
        return set()
    return set(db.session.scalars(select(WarningAcknowledgement.meeting_id).where(
        WarningAcknowledgement.meeting_id.in_(meeting_ids))))


def current_suggestion(client, captures, history) -> suggestions.Suggestion:
    """The rules' suggestion from the captures the viewer may see."""
    latest = history[0] if history and history[0].to_phase == client.phase else None
    return suggestions.suggest(
        client.phase, observations(captures), local_now().date(),
        phase_since=to_local(latest.changed_at).date() if latest else None,
        phase_before_crisis=latest.from_phase if latest else None,
        labels={i: m.label for i, m in content.current().vocabulary.by_id.items()},
    )


def unless_dismissed(client, suggestion) -> suggestions.Suggestion | None:
    """The suggestion, or None if it was dismissed and no newer capture has come in since."""
    dismissed = db.session.scalars(
        select(SuggestionDecision.last_capture_id).where(
            SuggestionDecision.client_id == client.id,
            SuggestionDecision.decision == "dismissed",
            SuggestionDecision.suggestion == suggestion.key,
        )
    ).all()
    newest = suggestion.last_capture_id
    if any(seen == newest or (None not in (seen, newest) and seen >= newest) for seen in dismissed):
        return None
    return suggestion


def next_step(client, user) -> NextStep | None:
    """The viewer's latest planned next step, or the pair's agreed one when that is newer."""
    capture = db.session.scalars(
        visible(select(Capture), user).join(Meeting, Meeting.id == Capture.meeting_id)
        .where(Meeting.client_id == client.id, Capture.next_step.is_not(None),
               Capture.next_step != "")
        .order_by(Meeting.held_on.desc(), case((Capture.author_id == user.id, 0), else_=1),
                  Capture.recorded_at.desc()).limit(1)
    ).first()
    debrief = db.session.scalars(
        visible(select(Debrief), user).join(Meeting, Meeting.id == Debrief.meeting_id)
        .where(Meeting.client_id == client.id, Debrief.agreed_next_step.is_not(None),
               Debrief.agreed_next_step != "")
        .order_by(Debrief.agreed_at.desc(), Debrief.id.desc()).limit(1)
    ).first()
    if debrief and (capture is None or _agreed_at(debrief) > _written_at(capture)):
        return NextStep(debrief.agreed_next_step, to_local(_agreed_at(debrief)).date(), agreed=True)
    if capture:
        return NextStep(capture.next_step, capture.held_on, agreed=False)
    return None


def last_note(captures, user) -> Capture | None:
    """The newest note (in meeting order) among the captures a worker may read; a lead sees
    only that a note exists, on the timeline."""
    if user.role != "worker":
        return None
    noted = [c for c in captures if c.note]
    return max(noted, key=lambda c: (c.held_on, c.starts_at, c.recorded_at),
               default=None)


def _agreed_at(debrief: Debrief) -> datetime:
    return debrief.agreed_at or debrief.opened_at


def _written_at(capture: Capture) -> datetime:
    return max(capture.recorded_at, capture.updated_at or capture.recorded_at)


class Alert(str):
    """One line of the brief, with its alarm level (issue 12, alarm fatigue): loud for warning
    signs still live and a crisis suggestion, quiet for a dip in a rating."""

    loud: bool
    meeting_id: int | None  # the meeting whose warning signs a worker may acknowledge

    def __new__(cls, text: str, loud: bool = True, meeting_id: int | None = None):
        alert = super().__new__(cls, text)
        alert.loud, alert.meeting_id = loud, meeting_id
        return alert


def open_warnings(merged, suggestion, flags) -> list[Alert]:
    """Warning signs still live (whatever order the meetings were captured in) and a crisis
    suggestion not dismissed, loud; then rating drops, quiet."""
    labels = content.current().vocabulary.by_id
    warnings = []
    for meeting in suggestions.live_warnings(merged):
        signs = ", ".join(labels[w].label if w in labels else w for w in sorted(meeting.warnings))
        warnings.append(Alert(_("%(signs)s (meeting on %(day)s)", signs=signs,
                                day=when(meeting.held_on, "short")), meeting_id=meeting.meeting_id))
    if suggestion and suggestion.kind == "crisis":
        warnings.append(Alert(_("Crisis card suggested: %(reasons)s",
                                reasons="; ".join(str(r) for r in suggestion.reasons))))
    warnings += [Alert(str(flag), loud=False) for flag in flags]
    return warnings


def phase_history(client) -> list[PhaseChange]:
    return db.session.scalars(
        select(PhaseChange).options(joinedload(PhaseChange.changed_by))
        .where(PhaseChange.client_id == client.id)
        .order_by(PhaseChange.changed_at.desc(), PhaseChange.id.desc()).limit(PHASE_HISTORY)
    ).all()
