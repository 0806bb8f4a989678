"""Admins manage teams, accounts, clients, assignments and pairs, through forms and the CLI."""

from sqlalchemy import func, select

from companion.extensions import db
from companion.models import Assignment, Client, Pair, Team, User


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_admin_adds_a_team_user_client_and_assignment(app, client, auth, world):
    auth.sign_in("admin")
    assert client.post("/admin/teams", data={"name": "South team"}).status_code == 303
    with app.app_context():
        south = db.session.scalar(select(Team).where(Team.name == "South team")).id
    response = client.post("/admin/users", data={"username": "w9", "role": "worker",
                                                  "team": south})
    assert response.status_code == 200 and 'id="invitation-code"' in response.get_data(
        as_text=True)
    assert client.post(f"/admin/teams/{south}/clients", data={"code": "s-9"}).status_code == 303
    with app.app_context():
        new_client = db.session.scalar(select(Client).where(Client.code == "S-9"))
        worker = db.session.scalar(select(User).where(User.username == "w9"))
        ids = new_client.id, worker.id
    response = client.post(f"/admin/teams/{south}/assignments", data={
        "client": ids[0], "worker": ids[1], "role": "lead_worker"})
    assert response.status_code == 303
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/teams/{south}").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Assignment).where(Assignment.user_id == ids[1]))


def test_duplicate_team_is_refused_with_a_message_and_nothing_saved(app, client, auth, world):
    auth.sign_in("admin")
    before = _count(app, Team)
    response = client.post("/admin/teams", data={"name": "Team A"})
    assert response.status_code == 400
    assert b"There is already a team called Team A." in response.data
    assert _count(app, Team) == before


def test_client_code_that_looks_like_a_name_is_refused(app, client, auth, world):
    auth.sign_in("admin")
    response = client.post(f"/admin/teams/{world.team}/clients", data={"code": "John Smith"})
    assert response.status_code == 400 and b"never a name" in response.data


def test_assigning_a_worker_of_another_team_is_refused(app, client, auth, world):
    auth.sign_in("admin")
    before = _count(app, Assignment)
    response = client.post(f"/admin/teams/{world.team}/assignments", data={
        "client": world.clients["shared"], "worker": world.users["b1"], "role": "co_worker"})
    assert response.status_code == 400 and _count(app, Assignment) == before


def test_an_admin_never_sets_a_password_a_posted_one_is_ignored(app, client, auth, world):
    auth.sign_in("admin")
    response = client.post("/admin/users", data={
        "username": "w8", "password": "a long enough pw", "role": "worker", "team": world.team})
    assert response.status_code == 200 and b"invitation-code" in response.data
    assert 'name="password"' not in client.get("/admin/").get_data(as_text=True)
    attempt = app.test_client().post("/login", data={"username": "w8",
                                                     "password": "a long enough pw"})
    assert attempt.status_code == 401


def test_pairing_across_teams_is_refused(app, client, auth, world):
    auth.sign_in("admin")
    before = _count(app, Pair)
    response = client.post(f"/admin/teams/{world.team}/pairs", data={
        "first": world.users["w3"], "second": world.users["b1"]})
    assert response.status_code == 400 and _count(app, Pair) == before


def test_cli_creates_team_user_client_and_assignment(app, runner):
    assert runner.invoke(args=["create-team", "East"]).exit_code == 0
    result = runner.invoke(
        args=["create-user", "e1", "--role", "worker", "--team", "East"],
        env={"COMPANION_NEW_PASSWORD": "long enough pw"},
    )
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["create-client", "E-1", "--team", "East"]).exit_code == 0
    result = runner.invoke(args=["assign", "E-1", "e1", "--team", "East"])
    assert result.exit_code == 0, result.output
    assert _count(app, Assignment) == 1


def test_cli_reports_a_refusal_clearly(runner, world):
    result = runner.invoke(args=["create-client", "A-1", "--team", "Team A"])
    assert result.exit_code != 0 and "already has a client A-1" in result.output
