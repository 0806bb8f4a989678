"""The demo teams that `flask seed-demo` creates: idempotent, about three months of history."""

import random
import secrets
from datetime import date, datetime, time, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from companion.admin import operations
from companion.clock import local_now, team_zone
from companion.demo import history
from companion.extensions import db
from companion.models import Client, Meeting, MeetingWorker, PhaseChange, Team, User, utcnow
from companion.passwords import hash_secret

TEAMS = ("Demo team", "North team")
USERS = (  # username, role, team
    ("worker1", "worker", "Demo team"),
    ("worker2", "worker", "Demo team"),
    ("lead1", "lead", "Demo team"),
    ("admin1", "admin", None),
    ("lead2", "lead", "North team"),
    ("worker3", "worker", "North team"),
)
PAIRS = (("worker1", "worker2"),)
FIRST = (("first_meetings", 0),)
TO_CHANGE_WORK = (("first_meetings", 0), ("change_work", 8))
# code, team, workers (first is the lead worker), phases with the week each began, pattern
CLIENTS = (
    ("K-101", "Demo team", ("worker1", "worker2"), FIRST, "steady"),
    ("K-102", "Demo team", ("worker1", "worker2"), TO_CHANGE_WORK, "steady"),
    ("K-103", "Demo team", ("worker1",), (("first_meetings", 0), ("crisis", 10)), "crisis"),
    ("K-104", "Demo team", ("worker2",), (("before_first_meeting", 0),), "none"),
    ("K-105", "Demo team", ("worker2",), FIRST, "no_shows"),
    ("K-106", "Demo team", ("worker1",), (("first_meetings", 0), ("change_work", 9)), "steady"),
    ("N-201", "North team", ("worker3",), FIRST, "steady"),
    ("N-202", "North team", ("worker3",), TO_CHANGE_WORK, "steady"),
)
HISTORY_WEEKS = 13
# The lead worker has not captured the newest meeting yet, so home has something to show; for
# K-101 the partner has, so worker1 sees "your debrief is waiting".
LEFT_TO_CAPTURE = {"K-101", "K-105", "K-106"}
PHASE_REASONS = {
    "before_first_meeting": "Referred to the team",
    "first_meetings": "First meeting arranged",
    "change_work": "Change talk in most recent meetings, talks about life after release",
    "crisis": "Hostile in two meetings, says he wants to stop",
}


def demo_password() -> str:
    """COMPANION_DEMO_PASSWORD, else one generated once and kept in the instance folder."""
    if current_app.config["DEMO_PASSWORD"]:
        return current_app.config["DEMO_PASSWORD"]
    stored = Path(current_app.instance_path) / "demo-password"
    if not stored.exists():
        stored.write_text(secrets.token_urlsafe(12))
        stored.chmod(0o600)
    return stored.read_text().strip()


def demo_pin() -> str:
    """The PIN that unlocks an idle demo session: COMPANION_DEMO_PIN, else 123456."""
    return current_app.config["DEMO_PIN"]


def logins_text() -> str:
    lines = [f"  {name:<8} {role:<6} {team or '(all teams)'}" for name, role, team in USERS]
    return "Demo logins (password: {}, PIN after a pause: {}):\n{}".format(
        demo_password(), demo_pin(), "\n".join(lines))


def seed(today: date | None = None) -> None:
    """Create whatever part of the demo is missing; running it again changes nothing."""
    today = today or local_now().date()
    teams = {name: _get_or_create_team(name) for name in TEAMS}
    users = {name: _get_or_create_user(name, role, teams.get(team)) for name, role, team in USERS}
    for first, second in PAIRS:
        operations.pair_workers(users[first], users[second])
    for code, team, workers, phases, pattern in CLIENTS:
        client = db.session.scalar(
            select(Client).where(Client.team_id == teams[team].id, Client.code == code)
        )
        if client is None:
            client = operations.create_client(code, teams[team])
            for index, worker in enumerate(workers):
                role = "lead_worker" if index == 0 else "co_worker"
                operations.assign(client, users[worker], role)
            _add_history(client, [users[w] for w in workers], phases, pattern, today)


def _get_or_create_team(name: str) -> Team:
    return db.session.scalar(select(Team).where(Team.name == name)) or operations.create_team(name)


def _get_or_create_user(name: str, role: str, team: Team | None) -> User:
    user = db.session.scalar(select(User).where(User.username == name))
    if user is None:
        user = operations.create_user(name, demo_password(), role, team)
        user.set_up_at = user.confirmed_at = user.created_at or utcnow()  # demo accounts
    if not user.pin_hash:
        user.pin_hash = hash_secret(demo_pin())
    return user


def _add_history(client, workers, phases, pattern, today) -> None:
    """Phase changes, weekly meetings over the last three months and what was captured."""
    rng = random.Random(client.code)  # noqa: S311  # nosec B311
    start = today - timedelta(weeks=HISTORY_WEEKS)
    previous = None
    for phase, week in phases:
        when = start + timedelta(weeks=week) - timedelta(days=1)
        reason = PHASE_REASONS[phase]
        db.session.add(PhaseChange(client=client, from_phase=previous, to_phase=phase,
                                   changed_by_id=workers[0].id, reason=reason,
                                   changed_at=datetime.combine(when, time(17))))
        previous = phase
    client.phase = phases[-1][0]
    meetings = []
    for week in range(HISTORY_WEEKS if pattern != "none" else 0):
        held_on = start + timedelta(weeks=week, days=rng.randint(0, 3))
        if held_on >= today:
            break
        meeting = _meeting(client, workers, held_on, _attendance(pattern, week, rng))
        db.session.add(meeting)
        meetings.append((week, meeting))
    phase_in_week = {week: next(p for p, begun in reversed(phases) if begun <= week)
                     for week in range(HISTORY_WEEKS)}
    story = history.Story(client.code, pattern, workers, meetings, phase_in_week,
                                HISTORY_WEEKS, client.code in LEFT_TO_CAPTURE)
    history.add(story, team_zone(), today)


def _attendance(pattern: str, week: int, rng: random.Random) -> str:
    if pattern == "no_shows" and week >= HISTORY_WEEKS - 4:
        return "no_show" if week % 2 else "cut_short"
    if pattern == "crisis" and week >= HISTORY_WEEKS - 3:
        return ("cut_short", "no_show", "held")[week % 3]
    return "held" if rng.random() > 0.08 else "cancelled"


def _meeting(client, workers, held_on, attendance) -> Meeting:
    length = {"held": 75, "cut_short": 30, "no_show": 0, "cancelled": 0}[attendance]
    meeting = Meeting(client=client, held_on=held_on, starts_at=time(10, 0),
                      length_minutes=length, attendance=attendance, created_by_id=workers[0].id)
    meeting.workers = [MeetingWorker(user_id=worker.id) for worker in workers]
    return meeting
