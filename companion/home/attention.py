"""What needs a lead's attention today, from their own team only, in a fixed number of
statements whatever the history (each reads a bounded window or the team's open work)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import contains_eager

from companion import content
from companion.clock import local_now, to_local
from companion.extensions import db
from companion.home import attention_rules as rules
from companion.models import (
    Assignment,
    Capture,
    Client,
    Debrief,
    Meeting,
    MeetingWorker,
    Milestone,
    PhaseChange,
    SuggestionDecision,
    User,
    utcnow,
)
from companion.templating import month_name
from companion.vocabulary import TOOK_PLACE

CAPTURE_DUE = timedelta(hours=24)
DEBRIEF_DUE = timedelta(days=1)
LOOKBACK_DAYS = 60  # older gaps in capture or debrief are history, not today's work
SHOWN_PER_KIND = 10


@dataclass(frozen=True)
class Item:
    """One line: what it is about (kind), the client, and the words' details."""

    # needs_worker | crisis | warning | uncaptured | debrief | unseen | suggestion | milestone
    kind: str
    client: Client
    meeting_id: int | None = None
    worker: str | None = None
    day: date | None = None
    detail: str = ""


@dataclass
class Attention:
    groups: dict[str, list[Item]]
    more: dict[str, int]

    @property
    def empty(self) -> bool:
        return not any(self.groups.values())


def needs_attention(lead: User) -> Attention:
    """Every kind of item for the lead's team, at most SHOWN_PER_KIND of each (and a count of
    the rest), in the order a lead works through them."""
    today = local_now().date()
    clients = _clients(lead.team_id)
    captures = _recent_captures(lead.team_id, today)
    labels = {i: m.label for i, m in content.current().vocabulary.by_id.items()}
    items = {
        "needs_worker": _needs_worker(lead.team_id, clients),
        **rules.crisis_and_warnings(clients, captures, today, labels, Item),
        "uncaptured": _uncaptured(lead.team_id, today),
        "debrief": _debriefs_waiting(lead.team_id, today),
        "unseen": _unseen(lead.team_id, clients, today),
        "suggestion": rules.open_suggestions(
            clients, captures, _phase_changes(lead.team_id), _decisions(lead.team_id),
            today, labels, Item),
        "milestone": _milestones_due(lead.team_id, clients, today),
    }
    return Attention(
        groups={kind: found[:SHOWN_PER_KIND] for kind, found in items.items()},
        more={kind: max(0, len(found) - SHOWN_PER_KIND) for kind, found in items.items()},
    )


def _clients(team_id: int) -> dict[int, Client]:
    query = select(Client).where(Client.team_id == team_id, Client.closed_at.is_(None)).order_by(
        Client.code)
    return {client.id: client for client in db.session.scalars(query)}


def _needs_worker(team_id: int, clients: dict[int, Client]) -> list[Item]:
    """Open clients no active worker works with: never assigned, or every worker has left
    (deactivated); named with the workers who left, until the lead hands the client over."""
    rows = db.session.execute(
        select(Assignment.client_id, User.username, User.active)
        .join(User, User.id == Assignment.user_id).join(Client, Client.id == Assignment.client_id)
        .where(Client.team_id == team_id, Client.closed_at.is_(None))
        .order_by(User.username)
    ).all()
    staffed = {client_id for client_id, _name, active in rows if active}
    left: dict[int, list[str]] = {}
    for client_id, name, active in rows:
        if not active:
            left.setdefault(client_id, []).append(name)
    return [Item("needs_worker", client, worker=", ".join(left.get(client.id, [])) or None)
            for client in clients.values() if client.id not in staffed]


def _recent_captures(team_id: int, today: date) -> list[Capture]:
    """The open cases' captures of the rules' window (suggestions look back this far)."""
    from companion.suggestions import LOOKBACK_DAYS as RULES_LOOKBACK

    return list(db.session.scalars(
        select(Capture).join(Meeting, Meeting.id == Capture.meeting_id)
        .options(contains_eager(Capture.meeting))
        .join(Client, Client.id == Meeting.client_id)
        .where(Client.team_id == team_id, Client.closed_at.is_(None),
               Meeting.held_on >= today - timedelta(days=RULES_LOOKBACK))
        .order_by(Capture.id)
    ))


def _uncaptured(team_id: int, today: date) -> list[Item]:
    """A worker took part in a meeting more than 24 hours ago and has not captured it."""
    captured = exists().where(Capture.meeting_id == Meeting.id,
                              Capture.author_id == MeetingWorker.user_id)
    rows = db.session.execute(
        select(Meeting, Client, User.username)
        .join(Client, Client.id == Meeting.client_id)
        .join(MeetingWorker, MeetingWorker.meeting_id == Meeting.id)
        .join(User, User.id == MeetingWorker.user_id)
        .where(Client.team_id == team_id, ~captured,
               Meeting.held_on.between(today - timedelta(days=LOOKBACK_DAYS), today))
        .order_by(Meeting.held_on, Meeting.starts_at, User.username)
    ).all()
    now = local_now()
    return [
        Item("uncaptured", client, meeting.id, worker, meeting.held_on)
        for meeting, client, worker in rows
        if now - datetime.combine(meeting.held_on, meeting.starts_at) > CAPTURE_DUE
    ]


def _debriefs_waiting(team_id: int, today: date) -> list[Item]:
    """Both captures of a shared meeting are in for more than a day, the debrief not closed."""
    both_in = func.max(Capture.recorded_at)
    rows = db.session.execute(
        select(Meeting.id, Meeting.held_on, Client.id, both_in)
        .join(Client, Client.id == Meeting.client_id)
        .join(Capture, Capture.meeting_id == Meeting.id)
        .outerjoin(Debrief, Debrief.meeting_id == Meeting.id)
        .where(Client.team_id == team_id, Debrief.closed_at.is_(None),
               Meeting.held_on >= today - timedelta(days=LOOKBACK_DAYS))
        .group_by(Meeting.id, Meeting.held_on, Client.id)
        .having(func.count(Capture.id) == 2)
        .order_by(Meeting.held_on)
    ).all()
    clients = _clients_by_id(team_id)
    cutoff = utcnow() - DEBRIEF_DUE
    return [Item("debrief", clients[client_id], meeting_id, None, to_local(since).date())
            for meeting_id, _held_on, client_id, since in rows if since < cutoff]


def _clients_by_id(team_id: int) -> dict[int, Client]:
    # the identity map answers from the clients already loaded: no statement
    return {c.id: c for c in db.session.identity_map.values()
            if isinstance(c, Client) and c.team_id == team_id}


def _unseen(team_id: int, clients: dict[int, Client], today: date) -> list[Item]:
    """No meeting that took place for three weeks (or ever, for a client on the list that long)."""
    rows = dict(db.session.execute(
        select(Meeting.client_id, func.max(Meeting.held_on))
        .join(Client, Client.id == Meeting.client_id)
        .where(Client.team_id == team_id, Meeting.attendance.in_(TOOK_PLACE))
        .group_by(Meeting.client_id)
    ).all())
    found = []
    for client in clients.values():
        last = rows.get(client.id)
        since = last or to_local(client.created_at).date()
        if (today - since).days > rules.UNSEEN_DAYS:
            found.append(Item("unseen", client, day=last))
    return sorted(found, key=lambda item: item.day or date.min)


def _phase_changes(team_id: int) -> list[PhaseChange]:
    return list(db.session.scalars(
        select(PhaseChange).join(Client, Client.id == PhaseChange.client_id)
        .where(Client.team_id == team_id)
        .order_by(PhaseChange.changed_at.desc(), PhaseChange.id.desc())
    ))


def _decisions(team_id: int) -> list[SuggestionDecision]:
    return list(db.session.scalars(
        select(SuggestionDecision).join(Client, Client.id == SuggestionDecision.client_id)
        .where(Client.team_id == team_id)
    ))


def _milestones_due(team_id: int, clients: dict[int, Client], today: date) -> list[Item]:
    """Open milestones whose target month has ended."""
    this_month = today.isoformat()[:7]  # the "YYYY-MM" key
    rows = db.session.scalars(
        select(Milestone).join(Client, Client.id == Milestone.client_id)
        .where(Client.team_id == team_id, Milestone.status == "open",
               and_(Milestone.target_month.is_not(None), Milestone.target_month < this_month))
        .order_by(Milestone.target_month, Milestone.id)
    ).all()
    return [Item("milestone", clients[m.client_id],
                 detail=f"{m.title} ({month_name(m.target_month)})") for m in rows]
