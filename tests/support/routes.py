"""Every route with real record ids filled in, and a visitor signed in as each kind of user:
what the access matrix, the security headers and the fuzz tests walk."""

import re
from datetime import time

from sqlalchemy import select

from companion.extensions import db
from companion.models import Assignment, Capture, Milestone, Pair, User
from tests.support import team_today
from tests.support.world import PASSWORD

URL_VALUES = {
    "client_id": lambda ids: (ids["client"], ids["other_client"]),
    "meeting_id": lambda ids: (ids["meeting"], ids["other_meeting"]),
    "milestone_id": lambda ids: (ids["milestone"], ids["other_milestone"]),
    "pair_id": lambda ids: (ids["pair"], ids["other_pair"]),
    "capture_id": lambda ids: (ids["capture"], ids["other_capture"]),
    "team_id": lambda ids: (ids["team"], ids["other_team"]),
    "user_id": lambda ids: (ids["target_user"], None),
    "passkey_id": lambda ids: (4242, None),
    "session_id": lambda ids: (4242, None),
    "assignment_id": lambda ids: (ids["other_assignment"], None),  # the admin's to change
    "worker_id": lambda ids: (ids["worker"], ids["target_user"]),
    "part": lambda ids: ("middle", None),
    "section": lambda ids: ("meetings", None),
    "decision": lambda ids: ("dismiss", None),
    "month": lambda ids: (team_today().strftime("%Y-%m"), None),
    "filename": lambda ids: ("app.css", None),
}
VARIABLE = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _url(rule, ids, which: int) -> str | None:
    def value(match):
        name = match.group(1)
        assert name in URL_VALUES, f"add a value for <{name}> to URL_VALUES"
        chosen = URL_VALUES[name](ids)[which]
        return str(chosen if chosen is not None else URL_VALUES[name](ids)[0])

    if which and not any(URL_VALUES.get(n, lambda i: (0, None))(ids)[1] is not None
                         for n in VARIABLE.findall(rule.rule)):
        return None
    return VARIABLE.sub(value, rule.rule)


def _ids(app, world) -> dict:
    with app.app_context():
        milestones = [Milestone(client_id=world.clients[name], title="Call home")
                      for name in ("shared", "other_team")]
        other_pair = Pair(team_id=world.other_team, first_id=world.users["b1"],
                          second_id=_second_worker(world))
        captures = [_capture(world.meetings[meeting], world.users[name], name)
                    for meeting, name in (("shared", "w1"), ("shared", "w2"),
                                          ("other_team", "b1"))]
        db.session.add_all([*milestones, other_pair, *captures])
        db.session.commit()
        pair = db.session.scalar(select(Pair.id).where(Pair.team_id == world.team))
        other_assignment = db.session.scalar(select(Assignment.id).where(
            Assignment.user_id == world.users["b1"]))
        return {
            "client": world.clients["shared"], "other_client": world.clients["other_team"],
            "meeting": world.meetings["shared"], "other_meeting": world.meetings["other_team"],
            "milestone": milestones[0].id, "other_milestone": milestones[1].id,
            "pair": pair, "other_pair": other_pair.id,
            "team": world.team, "other_team": world.other_team,
            "target_user": world.users["b1"], "worker": world.users["w1"],
            "capture": captures[0].id, "other_capture": captures[2].id,
            "other_assignment": other_assignment,
        }


def _capture(meeting_id, author_id, key):
    """Both partners have saved their capture of the shared meeting: its debrief is open."""
    return Capture(meeting_id=meeting_id, author_id=author_id, idempotency_key=f"matrix-{key}",
                   attendance="held", held_on=team_today(), starts_at=time(10),
                   length_minutes=60, marks=["relaxed"], rating_goals=4)


def _second_worker(world) -> int:
    from companion.models import Team

    user = User(username="b2", password_hash="x", role="worker",
                team=db.session.get(Team, world.other_team))
    db.session.add(user)
    db.session.flush()
    return user.id


class Visitor:
    """A test client signed in as one user, signed in again when a route ends its session."""

    def __init__(self, app, username):
        self.app, self.username = app, username
        self.client = app.test_client()
        self.version = None
        if username != "anonymous":
            self._sign_in()

    def _current_version(self):
        with self.app.app_context():
            return db.session.scalar(
                select(User.session_version).where(User.username == self.username))

    def _sign_in(self):
        response = self.client.post("/login", data={"username": self.username,
                                                    "password": PASSWORD})
        assert response.status_code == 303, self.username
        self.version = self._current_version()

    def open(self, url, method):
        if self.username != "anonymous" and self._current_version() != self.version:
            self.client = self.app.test_client()
            self._sign_in()
        return self.client.open(url, method=method).status_code


def _key(rule, method):
    return f"{rule.endpoint} {method}"
