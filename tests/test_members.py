"""Separation of duties: an admin can never obtain a working login to a team account.

People complete their own invitation (a one-time code handed over out of band, their own
password and second factor); an account sees records only once someone other than the code's
issuer confirms it: the team's lead, a second admin for a new team's first lead, or the CLI.
"""

import re
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from companion.extensions import db
from companion.models import AuditEntry, Client, Pair, Team, User, utcnow
from tests.support import team_today
from tests.support.world import PASSWORD

ADMIN_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
CHOSEN = "chosen by the admin 42"
PIN = "480264"
CODES = ("A-1", "A-2", "B-1", "S-1")


@pytest.fixture
def app_settings():
    return {"REQUIRE_TOTP": True}


def _user(app, username) -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def _sign_in(client, username, password=PASSWORD, secret=None, offset=0):
    response = client.post("/login", data={"username": username, "password": password})
    if secret and response.headers.get("Location") == "/login/code":
        code = pyotp.TOTP(secret).at(time.time() + offset)
        response = client.post("/login/code", data={"code": code})
    return response


@pytest.fixture
def admin(app, world):
    with app.app_context():
        for user in db.session.scalars(select(User)):
            user.totp_secret = ADMIN_SECRET  # every account of the world has enrolled
        db.session.commit()
    return _signed_in(app, "admin")


def _signed_in(app, username):
    client = app.test_client()
    assert _sign_in(client, username, secret=ADMIN_SECRET).status_code == 303
    return client


def _invite(admin, username, role, team_id) -> str:
    page = admin.post("/admin/users", data={"username": username, "role": role, "team": team_id})
    assert page.status_code == 200, page.get_data(as_text=True)
    return re.search(r'id="invitation-code">([a-z0-9-]+)<', page.get_data(as_text=True)).group(1)


def _complete(app, username, code, password=CHOSEN):
    """Everything a person does to set up an account; an admin holding the code can do it too."""
    client = app.test_client()
    response = client.post("/invitation", data={
        "username": username, "code": code, "password": password, "confirm": password})
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'id="totp-key">([A-Z2-7]+)<', page).group(1)
    client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    client.post("/account/pin", data={"password": password, "pin": PIN, "confirm": PIN})
    return client


def _record_urls(app, world) -> list[str]:
    """Every page that shows a client record or a team's data, with this world's ids."""
    with app.app_context():
        clients = db.session.scalars(select(Client.id)).all()
        pairs = db.session.scalars(select(Pair.id)).all()
        teams = db.session.scalars(select(Team.id)).all()
    month = (team_today() - timedelta(days=31)).strftime("%Y-%m")
    urls = ["/", "/debriefs/pairs", "/reports/", "/audit/team", "/audit/accounts", "/admin/",
            "/members/"]
    for client_id in clients:
        urls += [f"/clients/{client_id}", f"/clients/{client_id}/card/middle",
                 f"/clients/{client_id}/capture"]
    urls += [f"/meetings/{meeting}/debrief" for meeting in world.meetings.values()]
    urls += [f"/meetings/{meeting}/capture" for meeting in world.meetings.values()]
    urls += [f"/pairs/{pair}" for pair in pairs] + [f"/reports/{t}/{month}.pdf" for t in teams]
    return urls


def _reads_nothing(app, world, client):
    for url in _record_urls(app, world):
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert response.status_code != 200 or url == "/members/", url
        assert not any(f">{code}<" in body for code in CODES), url
    assert client.get("/").headers["Location"] == "/members/waiting"


def test_no_sequence_of_admin_actions_alone_yields_a_session_that_reads_a_record(
    app, world, admin
):
    assert admin.post("/admin/teams", data={"name": "South"}).status_code == 303
    south = db_team(app, "South")
    admin.post(f"/admin/teams/{south}/clients", data={"code": "S-1"})
    codes = {
        "s-lead": _invite(admin, "s-lead", "lead", south),
        "s-worker": _invite(admin, "s-worker", "worker", south),
        "a-worker": _invite(admin, "a-worker", "worker", world.team),
        "admin2": _invite(admin, "admin2", "admin", 0),
    }
    for name in ("w1", "lead"):  # the admin's "lost phone" reset of confirmed team accounts
        page = admin.post(f"/admin/users/{world.users[name]}/reset-second-factor")
        codes[name] = re.search(r'id="invitation-code">([a-z0-9-]+)<', page.get_data(
            as_text=True)).group(1)
    with app.app_context():
        s_worker, s_client = _user(app, "s-worker").id, db.session.scalar(
            select(Client.id).where(Client.code == "S-1"))
    admin.post(f"/admin/teams/{south}/assignments", data={"client": s_client, "worker": s_worker,
                                           "role": "lead_worker"})
    sessions = {name: _complete(app, name, code) for name, code in codes.items()}
    for name, session in sessions.items():
        _reads_nothing(app, world, session)
        for confirmer in (admin, sessions["admin2"], sessions["lead"], sessions["s-lead"]):
            refused = confirmer.post(f"/members/{_user(app, name).id}/confirm")
            assert refused.status_code in (303, 404) and refused.headers.get("Location") != (
                "/members/"), (name, refused.status_code)
    assert all(not _user(app, name).is_confirmed for name in codes)
    assert _sign_in(app.test_client(), "w1").status_code == 401  # the old password is gone


def db_team(app, name) -> int:
    with app.app_context():
        return db.session.scalar(select(Team.id).where(Team.name == name))


def test_the_teams_lead_confirms_a_new_member_who_then_sees_their_records(app, world, admin):
    code = _invite(admin, "a-worker", "worker", world.team)
    worker = _complete(app, "a-worker", code)
    admin.post(f"/admin/teams/{world.team}/assignments", data={
        "client": world.clients["shared"], "worker": _user(app, "a-worker").id,
        "role": "co_worker"})
    assert worker.get(f"/clients/{world.clients['shared']}").status_code == 303
    lead = _signed_in(app, "lead")
    page = lead.get("/members/").get_data(as_text=True)
    assert "a-worker" in page and "w1" not in page
    other_lead = _signed_in(app, "lead_b")
    assert "a-worker" not in other_lead.get("/members/").get_data(as_text=True)
    assert other_lead.post(f"/members/{_user(app, 'a-worker').id}/confirm").status_code == 404
    assert lead.post(f"/members/{_user(app, 'a-worker').id}/confirm").status_code == 303
    assert worker.get(f"/clients/{world.clients['shared']}").status_code == 200
    confirmed = _user(app, "a-worker")
    assert confirmed.confirmed_by_id == world.users["lead"]
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert {"user.invited", "invitation.completed", "user.confirmed"} <= set(actions)


def test_a_new_teams_first_lead_is_confirmed_by_a_second_admin_or_on_the_command_line(
    app, world, admin, runner
):
    admin.post("/admin/teams", data={"name": "South"})
    first = _complete(app, "s-lead", _invite(admin, "s-lead", "lead", db_team(app, "South")))
    second = _complete(app, "s-lead2", _invite(admin, "s-lead2", "lead", db_team(app, "South")))
    with app.app_context():  # a second admin, confirmed, who did not issue the invitation
        other = User(username="admin2", password_hash=_user(app, "admin").password_hash,
                     role="admin", totp_secret=ADMIN_SECRET, pin_hash=_user(app, "admin").pin_hash,
                     set_up_at=utcnow(), confirmed_at=utcnow())
        db.session.add(other)
        db.session.commit()
    admin2 = _signed_in(app, "admin2")
    assert "s-lead" in admin2.get("/members/").get_data(as_text=True)
    assert admin2.post(f"/members/{_user(app, 's-lead').id}/confirm").status_code == 303
    assert first.get("/").status_code == 200
    # The team has a lead now: the second lead is theirs to confirm, not an admin's.
    assert admin2.post(f"/members/{_user(app, 's-lead2').id}/confirm").status_code == 404
    assert first.post(f"/members/{_user(app, 's-lead2').id}/confirm").status_code == 303
    assert second.get("/").status_code == 200
    third = _complete(app, "n-lead", _invite(admin, "n-lead", "lead", world.other_team))
    assert third.get("/").headers["Location"] == "/members/waiting"


def test_the_command_line_confirms_an_account_once_its_owner_has_set_it_up(app, world, runner,
                                                                           admin):
    admin.post("/admin/teams", data={"name": "South"})
    code = _invite(admin, "s-lead", "lead", db_team(app, "South"))
    refused = runner.invoke(args=["confirm-member", "s-lead"])
    assert refused.exit_code == 1 and "not been set up by its owner" in refused.output
    lead = _complete(app, "s-lead", code)
    result = runner.invoke(args=["confirm-member", "s-lead"])
    assert result.exit_code == 0, result.output
    assert lead.get("/").status_code == 200


def test_an_account_made_on_the_command_line_waits_for_confirmation_after_its_first_sign_in(
    app, world, runner
):
    app.config["REQUIRE_TOTP"] = False
    result = runner.invoke(args=["create-user", "w7", "--role", "worker", "--team", "Team A"],
                           env={"COMPANION_NEW_PASSWORD": "long enough pw 7"})
    assert result.exit_code == 0 and "confirm-member w7" in result.output
    worker = app.test_client()
    assert _sign_in(worker, "w7", "long enough pw 7").status_code == 303
    worker.post("/account/pin", data={"password": "long enough pw 7", "pin": PIN, "confirm": PIN})
    assert worker.get("/").headers["Location"] == "/members/waiting"
    assert runner.invoke(args=["confirm-member", "w7"]).exit_code == 0
    assert worker.get("/").status_code == 200


def test_an_invitation_code_works_once_for_its_own_account_and_expires(app, world, admin):
    code = _invite(admin, "a-worker", "worker", world.team)
    visitor = app.test_client()
    form = {"username": "a-worker", "code": "aaaa-bbbb-cccc", "password": CHOSEN,
            "confirm": CHOSEN}
    assert visitor.post("/invitation", data=form).status_code == 401
    assert visitor.post("/invitation", data=form | {"username": "w2", "code": code}
                        ).status_code == 401
    assert visitor.post("/invitation", data=form | {"code": code, "password": "password1",
                                                     "confirm": "password1"}).status_code == 400
    assert visitor.post("/invitation", data=form | {"code": code.upper()}).status_code == 303
    assert app.test_client().post("/invitation", data=form | {"code": code}).status_code == 401
    late = _invite(admin, "late", "worker", world.team)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "late"))
        user.invite_expires_at = user.created_at - timedelta(seconds=1)
        db.session.commit()
    assert app.test_client().post("/invitation", data=form | {"username": "late", "code": late}
                                  ).status_code == 401
    with app.app_context():
        stored = db.session.scalars(select(User.invite_hash).where(User.username == "late")).one()
    assert stored.startswith("$argon2id$") and late not in stored


def test_wrong_invitation_codes_are_throttled(app, world, admin):
    _invite(admin, "a-worker", "worker", world.team)
    visitor = app.test_client()
    form = {"username": "a-worker", "code": "aaaa-bbbb-cccc", "password": CHOSEN,
            "confirm": CHOSEN}
    statuses = [visitor.post("/invitation", data=form).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
