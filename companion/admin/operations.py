"""Creating teams, accounts, clients, assignments and pairs; used by the views, CLI and demo."""

import re
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from companion import audit
from companion.extensions import db
from companion.models import Assignment, Client, Pair, Team, User, utcnow
from companion.models.base import ASSIGNMENT_ROLES, ROLES
from companion.passwords import hash_secret, password_problem

CLIENT_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AdminError(ValueError):
    """An operation was refused; the message says why, for the person who asked."""


def create_team(name: str) -> Team:
    name = name.strip()
    if not name or len(name) > 80:
        raise AdminError(_l("A team name is 1 to 80 characters."))
    if db.session.scalar(select(Team).where(Team.name == name)):
        raise AdminError(_l("There is already a team called %(name)s.", name=name))
    team = Team(name=name)
    db.session.add(team)
    db.session.flush()
    audit.record("team.created", f"team:{team.id}")
    return team


def create_user(username: str, password: str | None, role: str, team: Team | None) -> User:
    """An account with a password set on the server's command line, or (None) one that
    no one can sign in to until its invitation is completed (`members.operations`)."""
    if not USERNAME.match(username):
        raise AdminError(
            _l("A username is 2-64 lowercase letters, digits, dots, dashes or underscores."))
    if role not in ROLES:
        raise AdminError(_l("Unknown role %(role)s.", role=repr(role)))
    if role != "admin" and team is None:
        raise AdminError(_l("Workers and leads belong to a team."))
    problem = password_problem(password, username) if password is not None else None
    if problem:
        raise AdminError(problem)
    if db.session.scalar(select(User).where(User.username == username)):
        raise AdminError(_l("The username %(username)s is taken.", username=username))
    secret = password if password is not None else secrets.token_urlsafe(32)
    user = User(username=username, password_hash=hash_secret(secret), role=role, team=team,
                set_up_at=utcnow() if password is not None else None)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", f"user:{user.id}")
    return user


def create_client(code: str, team: Team) -> Client:
    code = code.strip().upper()
    if not CLIENT_CODE.match(code):
        raise AdminError(
            _l("A client code is 2-32 capital letters, digits or dashes; never a name."))
    if db.session.scalar(select(Client).where(Client.team_id == team.id, Client.code == code)):
        raise AdminError(_l("%(team)s already has a client %(code)s.", team=team.name, code=code))
    client = Client(code=code, team=team)
    db.session.add(client)
    db.session.flush()
    audit.record("client.created", f"client:{client.id}")
    return client


def assign(client: Client, user: User, role: str = "lead_worker") -> Assignment:
    if role not in ASSIGNMENT_ROLES:
        raise AdminError(_l("Unknown assignment role %(role)s.", role=repr(role)))
    if user.role != "worker" or user.team_id != client.team_id or not user.active:
        raise AdminError(_l("Only a worker of the client's own team can be assigned."))
    existing = db.session.scalar(
        select(Assignment).where(Assignment.client_id == client.id, Assignment.user_id == user.id)
    )
    if role == "lead_worker":  # one lead worker per client: whoever was, is a co-worker now
        for other in db.session.scalars(select(Assignment).where(
                Assignment.client_id == client.id, Assignment.role == "lead_worker",
                Assignment.user_id != user.id)):
            other.role = "co_worker"
    if existing:
        existing.role = role
        return existing
    assignment = Assignment(client=client, user=user, role=role)
    db.session.add(assignment)
    db.session.flush()
    audit.record("assignment.created", f"client:{client.id} user:{user.id}")
    return assignment


def pair_workers(first: User, second: User) -> Pair:
    if first.id == second.id:
        raise AdminError(_l("A pair is two different workers."))
    if first.role != "worker" or second.role != "worker" or first.team_id != second.team_id:
        raise AdminError(_l("A pair is two workers of the same team."))
    if not (first.active and second.active):
        raise AdminError(_l("A pair is two active workers."))
    existing = db.session.scalar(Pair.of(first.id, second.id))
    if existing:
        if existing.ended_at is not None:  # the same two again: their history continues
            existing.ended_at = None
            audit.record("pair.restored", f"pair:{existing.id}")
        return existing
    low, high = Pair.ordered(first.id, second.id)
    pair = Pair(team_id=first.team_id, first_id=low, second_id=high)
    db.session.add(pair)
    db.session.flush()
    audit.record("pair.created", f"user:{low} user:{high}")
    return pair


def end_sessions(user: User) -> None:
    user.end_all_sessions()
    audit.record("user.sessions_ended", f"user:{user.id}")
