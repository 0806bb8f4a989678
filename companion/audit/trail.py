"""Reading the trail: whose entries a reader sees, the filters narrowing them, and one page in
words with a constant number of queries (one per kind of record its subjects name)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, String, cast, literal, or_, select

from companion import access
from companion.audit import filters as trail_filters
from companion.audit import kinds, words
from companion.audit.filters import Filters
from companion.clock import team_zone
from companion.extensions import db
from companion.models import (
    AuditEntry,
    Capture,
    Client,
    Handover,
    Meeting,
    Milestone,
    Pair,
    Team,
    User,
)

PER_PAGE = 50
ACCOUNT_ACTIONS = ("login", "logout", "mfa.", "user.", "password.", "pin.", "session.",
                   "account.", "team.", "pair.", "assignment.", "access.denied", "retention.",
                   "passkey.", "audit.", "invitation.", "members.", "client.created",
                   "client.code_corrected")
RECORDS = {"capture": (Capture.id, Meeting.client_id), "meeting": (Meeting.id, Meeting.client_id),
           "milestone": (Milestone.id, Milestone.client_id),
           "handover": (Handover.id, Handover.client_id)}


@dataclass
class Scope:
    """One reader's trail: its entries, what it may be filtered by, whose codes it names."""

    subject: str
    entries: Select
    people: list[tuple[int, str]]
    clients: list[tuple[int, str]] | None
    kinds: tuple[str, ...]
    codes: Select  # the clients whose codes the reader may see


def team_scope(lead: User) -> Scope:
    """A lead's trail: what the team's people did; filters by person, client, kind, days."""
    people = db.session.execute(select(User.id, User.username).where(
        User.team_id == lead.team_id).order_by(User.username)).all()
    visible = access.visible_clients(lead)
    clients = db.session.execute(
        visible.with_only_columns(Client.id, Client.code).order_by(Client.code)).all()
    return Scope(f"team:{lead.team_id}", select(AuditEntry).where(
        AuditEntry.team_id == lead.team_id), [tuple(p) for p in people],
        [tuple(c) for c in clients], kinds.TEAM_KINDS, visible.with_only_columns(Client.id))


def account_scope() -> Scope:
    """The admin's account events: sign-ins, accounts, teams, refusals; no client filter."""
    people = db.session.execute(select(User.id, User.username).order_by(User.username)).all()
    entries = select(AuditEntry).where(
        or_(*(AuditEntry.action.startswith(a) for a in ACCOUNT_ACTIONS)))
    return Scope("accounts", entries, [tuple(p) for p in people], None, kinds.ACCOUNT_KINDS,
                 select(Client.id))


def read_filters(args, scope: Scope) -> tuple[Filters, dict[str, str]]:
    clients = None if scope.clients is None else {client for client, _code in scope.clients}
    return trail_filters.parse(args, {person for person, _name in scope.people}, clients,
                               scope.kinds)


def about_client(client: int) -> ColumnElement[bool]:
    """Entries whose subject names the client or one of its meetings, captures, milestones
    or hand-overs."""
    subject = AuditEntry.subject
    named = [subject == f"client:{client}", subject.startswith(f"client:{client} ")]
    for kind, (record, owner) in RECORDS.items():
        ids = select(literal(f"{kind}:") + cast(record, String)).where(owner == client)
        if kind == "capture":
            ids = ids.join(Meeting, Meeting.id == Capture.meeting_id)
        named.append(subject.in_(ids))
    return or_(*named)


def of_kind(kind: str) -> ColumnElement[bool]:
    _label, codes, prefixes = kinds.KINDS[kind]
    return or_(AuditEntry.action.in_(sorted(codes)),
               *(AuditEntry.action.startswith(prefix, autoescape=True) for prefix in prefixes))


def filtered(scope: Scope, chosen: Filters) -> Select:
    """The scope's entries that the filters keep, newest first."""
    query = scope.entries
    if chosen.who is not None:
        query = query.where(AuditEntry.user_id == chosen.who)
    if chosen.client is not None:
        query = query.where(about_client(chosen.client))
    if chosen.kind:
        query = query.where(of_kind(chosen.kind))
    start, end = trail_filters.utc_bounds(chosen.start, chosen.end, team_zone())
    if start is not None:
        query = query.where(AuditEntry.at >= start)
    if end is not None:
        query = query.where(AuditEntry.at < end)
    return query.order_by(AuditEntry.id.desc())


def page_of(scope: Scope, chosen: Filters):
    return db.paginate(filtered(scope, chosen), page=chosen.page, per_page=PER_PAGE,
                       error_out=False)


def _ids(found: list[dict[str, list[str]]], *kinds: str) -> set[int]:
    values = (words.number(value) for refs in found for kind in kinds
              for value in refs.get(kind, ()))
    return {value for value in values if value is not None}


def names_for(entries: Iterable[AuditEntry], scope: Scope) -> words.Names:
    """What the ids in `entries` stand for: one query per kind of record named."""
    found = [words.refs(entry.subject or "") for entry in entries]
    names = words.Names()
    for kind, (record, owner) in RECORDS.items():
        ids = _ids(found, kind)
        if ids:
            query = select(record, owner).where(record.in_(ids))
            if kind == "capture":
                query = query.join(Meeting, Meeting.id == Capture.meeting_id)
            names.client_of.update({(kind, rid): cid for rid, cid in db.session.execute(query)})
    pairs = _ids(found, "pair")
    if pairs:
        names.pairs = {pid: (a, b) for pid, a, b in db.session.execute(
            select(Pair.id, Pair.first_id, Pair.second_id).where(Pair.id.in_(pairs)))}
    users = _ids(found, "user", "from", "to") | {u for pair in names.pairs.values() for u in pair}
    if users:
        names.users = dict(db.session.execute(
            select(User.id, User.username).where(User.id.in_(users))).all())
    teams = _ids(found, "team")
    if teams:
        names.teams = dict(db.session.execute(
            select(Team.id, Team.name).where(Team.id.in_(teams))).all())
    clients = _ids(found, "client") | set(names.client_of.values())
    if clients:
        names.clients = dict(db.session.execute(select(Client.id, Client.code).where(
            Client.id.in_(clients), Client.id.in_(scope.codes))).all())
    return names


@dataclass
class Line:
    """One entry as the reader sees it: a sentence, the moment on the team's clock."""

    entry: AuditEntry
    sentence: str
    local: datetime
    client: tuple[int, str] | None  # the client it is about, if the reader may see its code


def lines(entries: list[AuditEntry], scope: Scope) -> list[Line]:
    names = names_for(entries, scope)
    zone = team_zone()
    shown = []
    for entry in entries:
        about = words.client_id(words.refs(entry.subject or ""), names)
        code = names.clients.get(about) if about is not None else None
        shown.append(Line(entry, words.describe(entry, names),
                          entry.at.replace(tzinfo=UTC).astimezone(zone),
                          (about, code) if code else None))
    return shown
