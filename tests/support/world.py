"""A small world for tests: two teams, every role, and clients with known owners."""

from dataclasses import dataclass
from datetime import time, timedelta

from companion.extensions import db
from companion.models import Assignment, Client, Meeting, MeetingWorker, Pair, Team, User
from companion.models.base import utcnow
from companion.passwords import hash_secret
from tests.support import team_today

PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_secret(PASSWORD)
PIN = "480264"  # unlocks an idle-locked session
PIN_HASH = hash_secret(PIN)


@dataclass
class World:
    """Ids of everything built, so tests can name what they try."""

    team: int
    other_team: int
    users: dict[str, int]
    clients: dict[str, int]
    meetings: dict[str, int]


def _user(username, role, team):
    user = User(username=username, password_hash=PASSWORD_HASH, role=role, team=team,
                pin_hash=PIN_HASH, set_up_at=utcnow(), confirmed_at=utcnow())
    db.session.add(user)
    return user


def build() -> World:
    """w1 and w2 are a pair in team A with shared client A-1; w3 works alone in team A;
    lead leads team A; b1 and lead_b are team B; admin manages accounts."""
    team, other = Team(name="Team A"), Team(name="Team B")
    db.session.add_all([team, other])
    users = {
        "w1": _user("w1", "worker", team),
        "w2": _user("w2", "worker", team),
        "w3": _user("w3", "worker", team),
        "lead": _user("lead", "lead", team),
        "b1": _user("b1", "worker", other),
        "lead_b": _user("lead_b", "lead", other),
        "admin": _user("admin", "admin", None),
    }
    clients = {
        "shared": Client(code="A-1", team=team, phase="first_meetings"),
        "w3_only": Client(code="A-2", team=team, phase="change_work"),
        "other_team": Client(code="B-1", team=other, phase="crisis"),
    }
    db.session.add_all(clients.values())
    db.session.flush()
    db.session.add(Pair(team_id=team.id, first=users["w1"], second=users["w2"]))
    db.session.add_all([
        Assignment(client=clients["shared"], user=users["w1"], role="lead_worker"),
        Assignment(client=clients["shared"], user=users["w2"], role="co_worker"),
        Assignment(client=clients["w3_only"], user=users["w3"], role="lead_worker"),
        Assignment(client=clients["other_team"], user=users["b1"], role="lead_worker"),
    ])
    meetings = {
        "shared": _meeting(clients["shared"], [users["w1"], users["w2"]]),
        "w3_only": _meeting(clients["w3_only"], [users["w3"]]),
        "other_team": _meeting(clients["other_team"], [users["b1"]]),
    }
    db.session.commit()
    return World(
        team=team.id,
        other_team=other.id,
        users={name: user.id for name, user in users.items()},
        clients={name: client.id for name, client in clients.items()},
        meetings={name: meeting.id for name, meeting in meetings.items()},
    )


def _meeting(client, workers) -> Meeting:
    meeting = Meeting(client=client, held_on=team_today() - timedelta(days=1), starts_at=time(10),
                      length_minutes=60, attendance="held", created_by_id=None)
    meeting.workers = [MeetingWorker(user=worker) for worker in workers]
    db.session.add(meeting)
    return meeting
