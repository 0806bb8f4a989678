"""Every route x method x kind of user, with the expected status, from one table.

A route missing from EXPECTED fails the test: a new route must be added here, with the
status each kind of user gets. URL ids come from tests/world.py (plus a milestone and the
pair built below); every route with a record id is also tried with the other team's ids.
"""

import re
from datetime import time

import pytest
from sqlalchemy import select

from companion.extensions import db
from companion.models import Capture, Milestone, Pair, User
from tests.support import team_today
from tests.support.world import PASSWORD

# Columns: anonymous, worker w1, paired partner w2, other worker of the team w3, lead,
# other team's lead, admin. The records in the URL belong to w1 and w2's team.
WHO = ("anonymous", "w1", "w2", "w3", "lead", "lead_b", "admin")
EXPECTED = {
    # endpoint method: anonymous, w1, w2, w3, lead, lead_b, admin
    "static GET": (200, 200, 200, 200, 200, 200, 200),
    "home.healthz GET": (200, 200, 200, 200, 200, 200, 200),
    "home.index GET": (302, 200, 200, 200, 200, 200, 200),
    "auth.login GET": (200, 200, 200, 200, 200, 200, 200),
    "auth.login POST": (400, 400, 400, 400, 400, 400, 400),
    "auth.second_factor GET": (303, 303, 303, 303, 303, 303, 303),
    "auth.second_factor POST": (303, 303, 303, 303, 303, 303, 303),
    "auth.logout POST": (302, 303, 303, 303, 303, 303, 303),
    "auth.unlock GET": (302, 303, 303, 303, 303, 303, 303),
    "auth.unlock POST": (302, 303, 303, 303, 303, 303, 303),
    "auth.lock_check GET": (302, 204, 204, 204, 204, 204, 204),
    "auth.passkey_unlock_options POST": (302, 409, 409, 409, 409, 409, 409),  # not locked
    "auth.unlock_with_passkey POST": (302, 409, 409, 409, 409, 409, 409),
    "account.index GET": (302, 200, 200, 200, 200, 200, 200),
    "account.choose_language POST": (302, 400, 400, 400, 400, 400, 400),
    "account.password GET": (302, 200, 200, 200, 200, 200, 200),
    "account.password POST": (302, 400, 400, 400, 400, 400, 400),
    "account.pin GET": (302, 200, 200, 200, 200, 200, 200),
    "account.pin POST": (302, 400, 400, 400, 400, 400, 400),
    "account.two_factor GET": (302, 200, 200, 200, 200, 200, 200),
    "account.two_factor POST": (302, 400, 400, 400, 400, 400, 400),
    "account.list_passkeys GET": (302, 200, 200, 200, 200, 200, 200),
    "account.passkey_options POST": (302, 200, 200, 200, 200, 200, 200),
    "account.add_passkey POST": (302, 400, 400, 400, 400, 400, 400),
    "account.remove_passkey POST": (302, 404, 404, 404, 404, 404, 404),  # nobody's passkey
    "audit.team GET": (302, 403, 403, 403, 200, 200, 403),
    "audit.accounts GET": (302, 403, 403, 403, 403, 403, 200),
    "admin.index GET": (302, 403, 403, 403, 403, 403, 200),
    "admin.create_team POST": (302, 403, 403, 403, 403, 403, 400),
    "admin.create_user POST": (302, 403, 403, 403, 403, 403, 400),
    "admin.create_client POST": (302, 403, 403, 403, 403, 403, 400),
    "admin.create_assignment POST": (302, 403, 403, 403, 403, 403, 400),
    "admin.create_pair POST": (302, 403, 403, 403, 403, 403, 400),
    "admin.disable_user POST": (302, 403, 403, 403, 403, 403, 303),
    "admin.enable_user POST": (302, 403, 403, 403, 403, 403, 303),
    "admin.end_sessions POST": (302, 403, 403, 403, 403, 403, 303),
    "admin.reset_second_factor POST": (302, 403, 403, 403, 403, 403, 200),  # shows the code
    "members.accept GET": (200, 200, 200, 200, 200, 200, 200),
    "members.accept POST": (400, 400, 400, 400, 400, 400, 400),
    "members.waiting GET": (302, 303, 303, 303, 303, 303, 303),  # all confirmed: home
    "members.index GET": (302, 403, 403, 403, 200, 200, 200),
    "members.confirm POST": (302, 403, 403, 403, 404, 404, 404),  # b1: confirmed already
    "clients.show GET": (302, 200, 200, 404, 200, 404, 403),
    "clients.card GET": (302, 200, 200, 404, 200, 404, 403),
    "clients.decide POST": (302, 409, 409, 404, 403, 403, 403),
    "clients.change_phase POST": (302, 400, 400, 404, 403, 403, 403),
    "clients.add_milestone POST": (302, 400, 400, 404, 403, 403, 403),
    "clients.update_milestone POST": (302, 400, 400, 404, 403, 403, 403),
    "clients.rate POST": (302, 400, 400, 404, 403, 403, 403),
    "clients.hold_review POST": (302, 303, 303, 404, 403, 403, 403),
    "clients.goals_pdf GET": (302, 200, 200, 404, 200, 404, 403),
    "clients.hand_over POST": (302, 403, 403, 403, 409, 404, 403),
    "clients.close POST": (302, 400, 400, 404, 400, 404, 403),
    "clients.reopen POST": (302, 409, 409, 404, 409, 404, 403),
    "debriefs.show GET": (302, 200, 200, 404, 200, 404, 403),
    "debriefs.agree POST": (302, 409, 409, 404, 403, 403, 403),  # closed just before
    "debriefs.close POST": (302, 303, 303, 404, 403, 403, 403),
    "debriefs.pairs GET": (302, 200, 200, 200, 200, 200, 403),
    "debriefs.pair GET": (302, 200, 200, 404, 200, 404, 403),
    "capture.new GET": (302, 200, 200, 404, 403, 403, 403),
    "capture.new POST": (302, 422, 422, 404, 403, 403, 403),
    "capture.meeting GET": (302, 303, 303, 404, 403, 403, 403),  # both have captured it
    "capture.meeting POST": (302, 303, 303, 404, 403, 403, 403),
    "capture.edit GET": (302, 200, 404, 404, 403, 403, 403),  # w1's capture
    "capture.edit POST": (302, 422, 404, 404, 403, 403, 403),
    "offline.favicon GET": (200, 200, 200, 200, 200, 200, 200),
    "offline.manifest GET": (200, 200, 200, 200, 200, 200, 200),
    "offline.service_worker GET": (200, 200, 200, 200, 200, 200, 200),
    "offline.home GET": (302, 200, 200, 200, 403, 403, 403),
    "offline.prompts GET": (302, 200, 200, 404, 403, 403, 403),
    "offline.pack GET": (302, 200, 200, 200, 403, 403, 403),
    "offline.token GET": (302, 204, 204, 204, 403, 403, 403),
    "reports.index GET": (302, 403, 403, 403, 200, 200, 403),
    "reports.monthly GET": (302, 403, 403, 403, 200, 404, 403),
    "workers.show GET": (302, 403, 403, 403, 200, 404, 403),
}
# Values for URL variables: (this team's record, the other team's record or None).
URL_VALUES = {
    "client_id": lambda ids: (ids["client"], ids["other_client"]),
    "meeting_id": lambda ids: (ids["meeting"], ids["other_meeting"]),
    "milestone_id": lambda ids: (ids["milestone"], ids["other_milestone"]),
    "pair_id": lambda ids: (ids["pair"], ids["other_pair"]),
    "capture_id": lambda ids: (ids["capture"], ids["other_capture"]),
    "team_id": lambda ids: (ids["team"], ids["other_team"]),
    "user_id": lambda ids: (ids["target_user"], None),
    "passkey_id": lambda ids: (4242, None),
    "worker_id": lambda ids: (ids["worker"], ids["target_user"]),
    "part": lambda ids: ("middle", None),
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
        return {
            "client": world.clients["shared"], "other_client": world.clients["other_team"],
            "meeting": world.meetings["shared"], "other_meeting": world.meetings["other_team"],
            "milestone": milestones[0].id, "other_milestone": milestones[1].id,
            "pair": pair, "other_pair": other_pair.id,
            "team": world.team, "other_team": world.other_team,
            "target_user": world.users["b1"], "worker": world.users["w1"],
            "capture": captures[0].id, "other_capture": captures[2].id,
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


def test_every_route_is_in_the_access_table(app):
    missing = sorted({_key(rule, method) for rule, method in _routes(app)} - set(EXPECTED))
    assert missing == [], "add these routes to EXPECTED in tests/test_access_matrix.py"


def test_every_route_gives_each_kind_of_user_the_expected_status(app, world):
    ids = _ids(app, world)
    visitors = [Visitor(app, who) for who in WHO]
    observed, wrong = {}, []
    for rule, method in _routes(app):
        url = _url(rule, ids, 0)
        statuses = tuple(visitor.open(url, method) for visitor in visitors)
        observed[_key(rule, method)] = statuses
        if EXPECTED.get(_key(rule, method)) != statuses:
            wrong.append(f'    "{_key(rule, method)}": {statuses},  # was '
                         f'{EXPECTED.get(_key(rule, method))}')
    assert wrong == [], "\n" + "\n".join(wrong)


@pytest.mark.parametrize("username", ["w1", "w2", "lead"])
def test_the_other_teams_record_ids_are_refused_on_every_route(app, world, username):
    ids = _ids(app, world)
    visitor = Visitor(app, username)
    tried = 0
    for rule, method in _routes(app):
        url = _url(rule, ids, 1)
        if url is None:
            continue
        status = visitor.open(url, method)
        assert status in (403, 404), (url, method, status)
        tried += 1
    assert tried >= 10
