"""A team's admin page: choices from that team only, unassign, dissolve a pair, rename the
team, correct a client's code (the old code kept in the audit log); confirmed and undoable."""

import re

import pytest
from sqlalchemy import func, select

from companion.extensions import db
from companion.models import Assignment, AuditEntry, Client, Pair, Team
from tests.support.world import PASSWORD

UNDO = re.compile(r'<form method="post" action="([^"]+)" class="card inline" id="undo-form">'
                  r'(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')
VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')
FIELDS = re.compile(r'name="(\w+)" type="hidden" value="([^"]*)"')  # as WTForms writes them


def _undo(client, team_id):
    """Press the undo button the team page offers after a change."""
    page = client.get(f"/admin/teams/{team_id}").get_data(as_text=True)
    action, inner = UNDO.search(page).groups()
    return client.post(action, data=dict(HIDDEN.findall(inner)))


def _assigned(app, client_name, world):
    with app.app_context():
        return set(db.session.scalars(select(Assignment.user_id).where(
            Assignment.client_id == world.clients[client_name])))


def test_the_team_page_offers_only_that_teams_workers_and_clients(client, world, sign_in):
    sign_in("admin")
    page = client.get(f"/admin/teams/{world.team}").get_data(as_text=True)
    forms = page[page.index('id="assignment-form"') if 'id="assignment-form"' in page
                 else page.index("Assign a worker"):]
    options = re.findall(r"<option[^>]*>([^<]+)</option>", forms)
    assert {"w1", "w2", "w3", "A-1", "A-2"} <= set(options)
    assert not {"b1", "lead_b", "B-1", "lead", "admin"} & set(options)


def test_a_worker_of_another_team_posted_anyway_is_refused(app, client, world, sign_in):
    sign_in("admin")
    answer = client.post(f"/admin/teams/{world.team}/pairs", data={
        "first": world.users["w3"], "second": world.users["b1"]})
    assert answer.status_code == 400
    answer = client.post(f"/admin/teams/{world.team}/assignments", data={
        "client": world.clients["other_team"], "worker": world.users["w3"],
        "role": "co_worker"})
    assert answer.status_code == 400
    assert _assigned(app, "other_team", world) == {world.users["b1"]}


def test_unassign_is_confirmed_takes_access_away_at_once_and_can_be_undone(
        app, client, world, sign_in):
    with app.app_context():
        assignment = db.session.scalar(select(Assignment.id).where(
            Assignment.user_id == world.users["w2"]))
    worker = app.test_client()
    worker.post("/login", data={"username": "w2", "password": PASSWORD})
    assert worker.get(f"/clients/{world.clients['shared']}").status_code == 200
    sign_in("admin")
    confirm = client.get(f"/admin/assignments/{assignment}/remove").get_data(as_text=True)
    assert "Take w2 off A-1?" in confirm
    answer = client.post(f"/admin/assignments/{assignment}/remove",
                         data={"version": VERSION.search(confirm).group(1)})
    assert answer.status_code == 303
    assert _assigned(app, "shared", world) == {world.users["w1"]}
    assert worker.get(f"/clients/{world.clients['shared']}").status_code == 410
    assert _undo(client, world.team).status_code == 303
    assert _assigned(app, "shared", world) == {world.users["w1"], world.users["w2"]}
    assert worker.get(f"/clients/{world.clients['shared']}").status_code == 200


def test_undoing_the_lead_workers_unassign_makes_them_lead_worker_again(
        app, client, world, sign_in):
    with app.app_context():
        assignment = db.session.scalar(select(Assignment.id).where(
            Assignment.user_id == world.users["w1"]))
    sign_in("admin")
    confirm = client.get(f"/admin/assignments/{assignment}/remove").get_data(as_text=True)
    client.post(f"/admin/assignments/{assignment}/remove",
                data={"version": VERSION.search(confirm).group(1)})
    assert _roles(app, world) == {"w2": "lead_worker"}  # the co-worker leads now
    assert _undo(client, world.team).status_code == 303
    assert _roles(app, world) == {"w1": "lead_worker", "w2": "co_worker"}


def _roles(app, world):
    from companion.models import User

    with app.app_context():
        return dict(db.session.execute(select(User.username, Assignment.role).join(
            Assignment, Assignment.user_id == User.id).where(
            Assignment.client_id == world.clients["shared"])).all())


def test_an_unassign_from_an_older_page_is_refused_and_changes_nothing(
        app, client, world, sign_in):
    with app.app_context():
        assignment = db.session.scalar(select(Assignment.id).where(
            Assignment.user_id == world.users["w2"]))
        version = db.session.get(Client, world.clients["shared"]).version
    sign_in("admin")
    stale = client.post(f"/admin/assignments/{assignment}/remove",
                        data={"version": version - 1 if version > 1 else version + 5})
    assert stale.status_code == 409 and "Someone else changed this client" in stale.get_data(
        as_text=True)
    huge = client.post(f"/admin/assignments/{assignment}/remove", data={"version": "9" * 40})
    assert huge.status_code == 400
    assert _assigned(app, "shared", world) == {world.users["w1"], world.users["w2"]}


def test_dissolving_a_pair_is_confirmed_keeps_its_row_and_can_be_undone(
        app, client, world, sign_in):
    with app.app_context():
        pair = db.session.scalar(select(Pair.id))
    sign_in("admin")
    confirm = client.get(f"/admin/pairs/{pair}/dissolve")
    assert confirm.status_code == 200 and "Dissolve the pair w1 and w2?" in confirm.get_data(
        as_text=True)
    assert client.post(f"/admin/pairs/{pair}/dissolve").status_code == 303
    assert client.post(f"/admin/pairs/{pair}/dissolve").status_code == 303  # a double tap
    with app.app_context():
        assert db.session.get(Pair, pair).ended_at is not None
    assert _undo(client, world.team).status_code == 303
    with app.app_context():
        assert db.session.get(Pair, pair).ended_at is None
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("pair.%"))).all()
        assert actions == ["pair.dissolved", "pair.restored"]


def test_renaming_a_team_is_audited_refuses_a_taken_name_and_can_be_undone(
        app, client, world, sign_in):
    sign_in("admin")
    taken = client.post(f"/admin/teams/{world.team}/name", data={"name": "Team B"})
    assert taken.status_code == 400 and "There is already a team called Team B." in \
        taken.get_data(as_text=True)
    assert client.post(f"/admin/teams/{world.team}/name",
                       data={"name": "North"}).status_code == 303
    with app.app_context():
        assert db.session.get(Team, world.team).name == "North"
    assert _undo(client, world.team).status_code == 303
    with app.app_context():
        assert db.session.get(Team, world.team).name == "Team A"
        assert db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action == "team.renamed")).all() == [
            f"team:{world.team} from:Team A to:North", f"team:{world.team} from:North to:Team A"]


def test_a_client_code_is_corrected_the_old_code_kept_in_the_audit_log(
        app, client, world, sign_in):
    sign_in("admin")
    url = f"/admin/clients/{world.clients['shared']}/code"
    assert "Correct the code A-1" in client.get(url).get_data(as_text=True)
    for bad, message in (("John Smith", "never a name"), ("A-2", "already has a client A-2"),
                         ("a-1", "The code is A-1 already."), ("", "")):
        answer = client.post(url, data={"code": bad})
        assert answer.status_code == 400 and message in answer.get_data(as_text=True)
    assert client.post(url, data={"code": "a-10"}).status_code == 303
    with app.app_context():
        assert db.session.get(Client, world.clients["shared"]).code == "A-10"
        assert db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action == "client.code_corrected")).all() == [
            f"client:{world.clients['shared']} from:A-1 to:A-10"]
    assert _undo(client, world.team).status_code == 303
    with app.app_context():
        assert db.session.get(Client, world.clients["shared"]).code == "A-1"


def test_every_new_admin_and_session_post_needs_the_csrf_token(database_url, tmp_path, world):
    from tests.support.apps import make_app

    app = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    browser = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      browser.get("/login").get_data(as_text=True)).group(1)
    browser.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    with app.app_context():
        pair = db.session.scalar(select(Pair.id))
        assignment = db.session.scalar(select(Assignment.id))
    for url in (f"/admin/users/{world.users['w1']}/deactivate",
                f"/admin/users/{world.users['w1']}/reactivate",
                f"/admin/pairs/{pair}/dissolve", f"/admin/pairs/{pair}/restore",
                f"/admin/assignments/{assignment}/remove", f"/admin/teams/{world.team}/name",
                f"/admin/clients/{world.clients['shared']}/code", "/account/sessions/1/end"):
        assert browser.post(url, data={"name": "X", "code": "X-1"}).status_code == 400, url
    with app.app_context():
        assert db.session.get(Pair, pair).ended_at is None
        assert db.session.get(Team, world.team).name == "Team A"
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 4


def test_a_second_tap_on_unassign_answers_like_the_first_never_a_404(
        app, client, world, sign_in):
    with app.app_context():
        assignment = db.session.scalar(select(Assignment.id).where(
            Assignment.user_id == world.users["w2"]))
    sign_in("admin")
    confirm = client.get(f"/admin/assignments/{assignment}/remove").get_data(as_text=True)
    form = dict(FIELDS.findall(confirm.split('id="confirm-form"')[1].split("</form>")[0]))
    assert form.keys() >= {"version", "client", "worker"}
    first = client.post(f"/admin/assignments/{assignment}/remove", data=form)
    second = client.post(f"/admin/assignments/{assignment}/remove", data=form)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location == f"/admin/teams/{world.team}"
    page = client.get(second.location).get_data(as_text=True)
    assert "w2 no longer works with A-1." in page
    assert "w2 was already unassigned from A-1." in page
    assert _assigned(app, "shared", world) == {world.users["w1"]}
    with app.app_context():
        assert db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action == "assignment.removed")).all() == [
            f"client:{world.clients['shared']} user:{world.users['w2']}"]
    # The undo still puts w2 back (the second tap did not replace it), and pressing it twice
    # assigns once.
    action, inner = UNDO.search(page).groups()
    assert "assign w2 again" in inner
    for _tap in range(2):
        assert client.post(action, data=dict(HIDDEN.findall(inner))).status_code == 303
    assert _assigned(app, "shared", world) == {world.users["w1"], world.users["w2"]}
    # A tap from a page of long ago (the assignment since made anew under another id).
    late = client.post(f"/admin/assignments/{assignment}/remove", data=form)
    assert late.status_code == 303
    assert "That assignment was removed earlier; w2 works with A-1 again now." in client.get(
        late.location).get_data(as_text=True)
    assert _assigned(app, "shared", world) == {world.users["w1"], world.users["w2"]}
    bare = client.post(f"/admin/assignments/{assignment}/remove", data={"version": "1"})
    assert bare.status_code == 303 and bare.location == "/admin/"


def test_a_second_tap_on_rename_code_restore_and_reactivate_changes_nothing_more(
        app, client, world, sign_in):
    sign_in("admin")
    for _tap in range(2):
        assert client.post(f"/admin/teams/{world.team}/name",
                           data={"name": "North"}).status_code == 303
    page = client.get(f"/admin/teams/{world.team}").get_data(as_text=True)
    assert "The team is called North already." in page
    action, inner = UNDO.search(page).groups()
    assert "call it Team A again" in inner  # the first tap's undo, not "call it North"
    url = f"/admin/clients/{world.clients['shared']}/code"
    form = dict(FIELDS.findall(client.get(url).get_data(as_text=True)))
    assert form.get("was") == "A-1"
    for _tap in range(2):
        answer = client.post(url, data=form | {"code": "A-10"})
        assert answer.status_code == 303, answer.get_data(as_text=True)
    page = client.get(f"/admin/teams/{world.team}").get_data(as_text=True)
    assert "The code is A-10 already." in page
    action, inner = UNDO.search(page).groups()
    for _tap in range(2):  # the undo pressed twice: back to A-1 once
        assert client.post(action, data=dict(HIDDEN.findall(inner))).status_code == 303
    with app.app_context():
        assert db.session.get(Client, world.clients["shared"]).code == "A-1"
        assert db.session.get(Team, world.team).name == "North"
        assert db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action.in_(("team.renamed", "client.code_corrected")))).all() == [
            f"team:{world.team} from:Team A to:North",
            f"client:{world.clients['shared']} from:A-1 to:A-10",
            f"client:{world.clients['shared']} from:A-10 to:A-1"]
    # Typing the code the client has already is still a mistake shown on the form.
    answer = client.post(url, data=form | {"code": "A-1"})
    assert answer.status_code == 400 and "The code is A-1 already." in answer.get_data(
        as_text=True)
    with app.app_context():
        pair = db.session.scalar(select(Pair.id))
    client.post(f"/admin/pairs/{pair}/dissolve")
    for _tap in range(2):
        assert client.post(f"/admin/pairs/{pair}/restore").status_code == 303
    client.post(f"/admin/users/{world.users['w3']}/deactivate")
    for _tap in range(2):
        assert client.post(f"/admin/users/{world.users['w3']}/reactivate").status_code == 303
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.in_(("pair.dissolved", "pair.restored", "user.deactivated",
                                   "user.reactivated")))).all()
    assert actions == ["pair.dissolved", "pair.restored", "user.deactivated", "user.reactivated"]


def test_two_taps_on_unassign_at_the_same_moment_both_go_back_to_the_team_page(app, world):
    import threading

    def admin():
        browser = app.test_client()
        assert browser.post("/login", data={"username": "admin", "password": PASSWORD}
                            ).status_code == 303
        return browser

    taps = [admin(), admin()]
    with app.app_context():
        assignment = db.session.scalar(select(Assignment.id).where(
            Assignment.user_id == world.users["w2"]))
    confirm = taps[0].get(f"/admin/assignments/{assignment}/remove").get_data(as_text=True)
    form = dict(FIELDS.findall(confirm.split('id="confirm-form"')[1].split("</form>")[0]))
    barrier, answers = threading.Barrier(2), []

    def tap(browser):
        barrier.wait()
        answers.append(browser.post(f"/admin/assignments/{assignment}/remove", data=form))

    threads = [threading.Thread(target=tap, args=(browser,)) for browser in taps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted((a.status_code, a.location) for a in answers) == [
        (303, f"/admin/teams/{world.team}")] * 2
    assert _assigned(app, "shared", world) == {world.users["w1"]}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "assignment.removed")) == 1


@pytest.mark.parametrize("worker", ["99999999999999999999", "12x", ""])
def test_a_second_tap_naming_an_impossible_worker_goes_back_to_the_team_page(
        app, client, world, sign_in, worker):
    """Found by the form fuzzer: an id too large for SQLite's INTEGER was a 500."""
    sign_in("admin")
    answer = client.post("/admin/assignments/999999/remove",
                         data={"client": str(world.clients["shared"]), "worker": worker})
    assert answer.status_code == 303
    assert "removed already" in client.get(answer.headers["Location"]).get_data(as_text=True)
