"""Reading the trail: pages that list client codes audit which; reading the trail is itself
audited; the trail pages and filters."""

from sqlalchemy import select

from companion import audit
from companion.extensions import db
from companion.models import AuditEntry, Client, User


def _subjects(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action == action).order_by(AuditEntry.id)).all()


def _team_client_ids(app, world):
    with app.app_context():
        return sorted(db.session.scalars(
            select(Client.id).where(Client.team_id == world.team)).all())


def test_home_pages_audit_which_clients_they_list(app, client, auth, world):
    auth.sign_in("w1")
    assert client.get("/").status_code == 200
    auth.logout()
    auth.sign_in("lead")
    assert client.get("/").status_code == 200
    team = ",".join(map(str, _team_client_ids(app, world)))
    assert _subjects(app, "clients.listed") == [
        f"home clients:{world.clients['shared']}", f"home clients:{team}"]


def test_the_admin_page_audits_the_client_codes_it_lists(app, client, auth, world):
    auth.sign_in("admin")  # the team's admin page lists its clients (the index lists teams)
    assert client.get(f"/admin/teams/{world.other_team}").status_code == 200
    [subject] = _subjects(app, "clients.listed")
    assert subject == f"admin clients:{world.clients['other_team']}"


def test_a_long_listing_is_cut_to_the_subject_column_and_says_how_many(app):
    with app.test_request_context():
        audit.listed("home", range(1, 400))
        entry = db.session.info[audit.PENDING][-1]
    assert len(entry["subject"]) <= 128 and entry["subject"].startswith("home clients:399:1,2,")
    assert entry["subject"].endswith("+")


def test_reading_the_audit_trail_is_itself_audited(app, client, auth, world):
    auth.sign_in("lead")
    assert client.get("/audit/team").status_code == 200
    assert _subjects(app, "audit.viewed") == [f"team:{world.team}"]
    assert "lead read the audit trail" in client.get("/audit/team").get_data(as_text=True)
    auth.logout()
    auth.sign_in("admin")
    client.get("/audit/accounts")
    assert _subjects(app, "audit.viewed")[-1] == "accounts"


def test_the_trail_pages_in_cards_of_fifty_and_odd_page_numbers_are_clamped(app, client, auth,
                                                                            world):
    with app.app_context():
        lead = db.session.get(User, world.users["lead"])
        for number in range(120):
            audit.record("client.view" if number % 2 else "phase.changed",
                         f"client:{world.clients['shared']}", user=lead)
        db.session.commit()
    auth.sign_in("lead")
    first = client.get("/audit/team").get_data(as_text=True)
    assert first.count('class="card entry"') == 50 and "Older" in first and "Newer" not in first
    assert "<table" not in first and "lead opened A-1" in first
    last = client.get("/audit/team?page=3").get_data(as_text=True)
    assert 20 <= last.count('class="card entry"') < 50 and "Newer" in last
    for odd in ("?page=99999999999999999999999", "?page=-4", "?page=x"):
        assert client.get("/audit/team" + odd).status_code == 200
