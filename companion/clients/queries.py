"""What the client page and its prompt card show. A fixed number of queries, whatever the data.

Blindness: a worker sees their own captures, and a partner's capture of a meeting only once
they have saved their own capture of that meeting. Leads see every capture of their team.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import Select, case, exists, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from companion import suggestions
from companion.cards import Content
from companion.clients.operations import DIMENSIONS
from companion.clock import local_now, to_local
from companion.extensions import db
from companion.models import (
    Assignment,
    Capture,
    Debrief,
    DimensionRating,
    Meeting,
    Milestone,
    PhaseChange,
    SuggestionDecision,
)
from companion.phases import PARTS

HISTORY_MEETINGS = 20  # meetings on the timeline, and the most the rules look at
GRID_MEETINGS = 8
PHASE_HISTORY = 20
RATING_MONTHS = 6
MILESTONES = 50
CRISIS_TOPICS = (("drop-out", "Drop-out"), ("hostility", "Hostility or fury"),
                 ("broken-trust", "Broken trust"))


@dataclass(frozen=True)
class NextStep:
    text: str
    on: date
    agreed: bool  # agreed by the pair in a debrief, not one worker's own plan


@dataclass(frozen=True)
class TimelineEntry:
    meeting: Meeting
    captures: list[Capture]
    awaiting_own: bool  # a shared meeting the viewer has not captured yet


def content() -> Content:
    return current_app.extensions["content"]


def card_context(client, part: str) -> dict:
    """The prompt card of the client's phase for one part of the session."""
    card = content().card(client.phase, part)
    return {"client": client, "part": part, "parts": list(PARTS), "card": card,
            "topics": _by_topic(card.prompts)}


def _by_topic(prompts) -> list[tuple[str | None, list]]:
    """Crisis steps grouped by topic, prompts without a topic first (None: no heading)."""
    groups = [(None, [p for p in prompts if not p.topic])]
    groups += [(label, [p for p in prompts if p.topic == topic]) for topic, label in CRISIS_TOPICS]
    known = {topic for topic, _ in CRISIS_TOPICS}
    groups += [(p.topic, [p]) for p in prompts if p.topic and p.topic not in known]
    return [(label, group) for label, group in groups if group]


_OWN = aliased(Capture, name="own")  # built once: an alias costs more than the query around it


def visible(query: Select, user) -> Select:
    """Limit a query over Capture (or a table with meeting_id) to what `user` may see: a lead
    all of the team's, a worker their own and those of meetings they captured too (one index
    lookup per row, not a list of every meeting they ever captured)."""
    if user.role == "lead":
        return query
    entity = query.column_descriptions[0]["entity"]
    captured_too = exists().where(_OWN.meeting_id == entity.meeting_id,
                                  _OWN.author_id == user.id)
    if entity is Capture:
        return query.where(or_(Capture.author_id == user.id, captured_too))
    return query.where(captured_too)


def seen_captures(client, user) -> tuple[list[Meeting], list[Capture]]:
    """The client's latest meetings and the captures of them that `user` may see."""
    meetings = db.session.scalars(
        select(Meeting).options(selectinload(Meeting.workers))
        .where(Meeting.client_id == client.id)
        .order_by(Meeting.held_on.desc(), Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(HISTORY_MEETINGS)
    ).all()
    captures = db.session.scalars(
        visible(select(Capture), user).options(joinedload(Capture.author))
        .where(Capture.meeting_id.in_([m.id for m in meetings])).order_by(Capture.id)
    ).all()
    return meetings, captures


def suggestion_for(client, user) -> suggestions.Suggestion | None:
    _, captures = seen_captures(client, user)
    return unless_dismissed(client, current_suggestion(client, captures, phase_history(client)))


def client_page(client, user, part: str = "beginning") -> dict:
    """Everything the client page shows, read in a fixed number of queries."""
    meetings, captures = seen_captures(client, user)
    history = phase_history(client)
    rules = current_suggestion(client, captures, history)
    suggestion = unless_dismissed(client, rules)
    merged = suggestions.merge_meetings(observations(captures))
    return card_context(client, part) | {
        "suggestion": suggestion,
        "next_step": next_step(client, user),
        "warnings": open_warnings(merged, suggestion, rules.flags),
        "timeline": timeline(meetings, captures, user),
        "grid": grid(merged),
        "history": history,
        "milestones": milestones(client),
        "ratings": ratings(client),
        "assignments": assignments(client),
        "today": local_now().date(),
        "markers": content().vocabulary.by_id,
        "dimensions": DIMENSIONS,
    }


def observations(captures) -> list[suggestions.Observation]:
    return [
        suggestions.Observation(
            capture_id=c.id, meeting_id=c.meeting_id, author=c.author.username,
            held_on=c.held_on, attendance=c.attendance, marks=frozenset(c.marks or ()),
            goals=c.rating_goals, tasks=c.rating_tasks, bond=c.rating_bond,
        )
        for c in captures
    ]


def phase_history(client) -> list[PhaseChange]:
    return db.session.scalars(
        select(PhaseChange).options(joinedload(PhaseChange.changed_by))
        .where(PhaseChange.client_id == client.id)
        .order_by(PhaseChange.changed_at.desc(), PhaseChange.id.desc()).limit(PHASE_HISTORY)
    ).all()


def current_suggestion(client, captures, history) -> suggestions.Suggestion:
    """The rules' suggestion from the captures the viewer may see."""
    latest = history[0] if history and history[0].to_phase == client.phase else None
    return suggestions.suggest(
        client.phase, observations(captures), local_now().date(),
        phase_since=to_local(latest.changed_at).date() if latest else None,
        phase_before_crisis=latest.from_phase if latest else None,
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


def _agreed_at(debrief: Debrief) -> datetime:
    return debrief.agreed_at or debrief.opened_at


def _written_at(capture: Capture) -> datetime:
    return max(capture.recorded_at, capture.updated_at or capture.recorded_at)


def open_warnings(merged, suggestion, flags) -> list[str]:
    """Warning signs of the latest meeting held, a crisis suggestion not dismissed, and
    rating drops."""
    labels = content().vocabulary.by_id
    warnings = []
    latest = next((m for m in merged if m.attended), None)
    if latest and latest.warnings:
        signs = ", ".join(labels[w].label if w in labels else w for w in sorted(latest.warnings))
        warnings.append(f"{signs} (meeting on {latest.held_on.day} {latest.held_on:%b})")
    if suggestion and suggestion.kind == "crisis":
        warnings.append("Crisis card suggested: " + "; ".join(suggestion.reasons))
    warnings += [flag[0].upper() + flag[1:] for flag in flags]
    return warnings


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
    vocabulary = content().vocabulary
    columns = [m for m in merged if m.attended][:GRID_MEETINGS][::-1]
    rows = [
        (marker, [marker.id in m.marks for m in columns])
        for marker in (*vocabulary.readiness, *vocabulary.warning)
    ]
    return {"columns": columns, "rows": rows}


def milestones(client) -> list[Milestone]:
    return db.session.scalars(
        select(Milestone).where(Milestone.client_id == client.id)
        .order_by(case((Milestone.status == "open", 0), else_=1), Milestone.created_at.desc())
        .limit(MILESTONES)
    ).all()


def ratings(client) -> list[DimensionRating]:
    return db.session.scalars(
        select(DimensionRating).where(DimensionRating.client_id == client.id)
        .order_by(DimensionRating.month.desc()).limit(RATING_MONTHS)
    ).all()


def assignments(client) -> list[Assignment]:
    return db.session.scalars(
        select(Assignment).options(joinedload(Assignment.user))
        .where(Assignment.client_id == client.id).order_by(Assignment.role.desc())
    ).all()
