"""The audit trail through the test client: times on the team's clock, filters by person,
client, kind and days, bad filter values refused with a message, nothing from another team,
the admin's account events, and a constant number of queries per page."""

import re
from datetime import datetime

from sqlalchemy import select

from companion import audit
from companion.extensions import db
from companion.models import AuditEntry, Capture, User
from tests.support.records import add_capture
from tests.support.statements import statements_for


def _write(app, *entries):
    """(username, action, subject[, naive UTC moment]) entries, written as the app does."""
    with app.app_context():
        for username, action, subject, *at in entries:
            user = db.session.scalar(select(User).where(User.username == username))
            entry = audit.record(action, subject, user=user)
            if at:
                entry["at"] = at[0]
        db.session.commit()


def _count(page: str) -> int:
    return int(re.search(r"(\d+) entries, page", page)[1])


def _subjects(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action == action).order_by(AuditEntry.id)).all()


def test_times_are_on_the_teams_clock_and_days_are_the_teams_days(app, client, sign_in, world):
    shared = world.clients["shared"]
    _write(app, ("w1", "client.view", f"client:{shared}", datetime(2025, 11, 30, 23, 30)),
           ("w2", "client.view", f"client:{shared}", datetime(2025, 11, 30, 22, 59)))
    sign_in("lead")
    page = client.get("/audit/team?from=2025-12-01&to=2025-12-01").get_data(as_text=True)
    assert _count(page) == 1 and "w1 opened A-1" in page and "w2 opened" not in page
    assert '<time datetime="2025-12-01T00:30+01:00">1 Dec 2025, 00:30</time>' in page
    assert "Europe/Amsterdam" in page
    november = client.get("/audit/team?to=2025-11-30").get_data(as_text=True)
    assert _count(november) == 1 and "w2 opened A-1" in november


def test_the_client_filter_finds_entries_about_the_client_and_its_records(app, client, sign_in,
                                                                          world):
    shared, meeting = world.clients["shared"], world.meetings["shared"]
    with app.app_context():
        capture = add_capture(meeting, world.users["w1"])
    _write(app, ("w1", "client.view", f"client:{shared}"),
           ("w1", "capture.view", f"capture:{capture}"),
           ("w2", "debrief.view", f"meeting:{meeting}"),
           ("lead", "client.handed_over", f"client:{shared} from:{world.users['w2']} to:-"),
           ("w3", "client.view", f"client:{world.clients['w3_only']}"))
    sign_in("lead")
    page = client.get(f"/audit/team?client={shared}").get_data(as_text=True)
    assert _count(page) == 4 and "A-2" not in page.split('id="audit"')[1]
    for sentence in ("w1 opened A-1", "w1 opened a capture of A-1",
                     "w2 opened the debrief of A-1", "lead handed A-1 over to nobody"):
        assert sentence in page
    assert "Entries about A-1" in page and "Entries by w1" in page
    opened = client.get(f"/audit/team?client={shared}&kind=opened&who={world.users['w1']}")
    assert _count(opened.get_data(as_text=True)) == 2


def test_a_lead_sees_who_opened_a_client_this_month_from_its_page(app, client, sign_in, world):
    shared = world.clients["shared"]
    _write(app, ("w2", "client.view", f"client:{shared}"),
           ("w1", "client.view", f"client:{shared}", datetime(2025, 1, 10, 9)))
    sign_in("lead")
    record = client.get(f"/clients/{shared}").get_data(as_text=True)
    link = re.search(r'id="audit-client-link" href="([^"]+)"', record)[1].replace("&amp;", "&")
    assert "A-1" not in link and f"client={shared}" in link and "kind=opened" in link
    page = client.get(link).get_data(as_text=True)
    assert "w2 opened A-1" in page and "w1 opened" not in page
    assert "lead opened A-1" in page  # opening the record to follow the link is on the trail


def test_filter_values_the_lead_cannot_choose_are_a_400_with_a_message(app, client, sign_in,
                                                                       world):
    _write(app, ("w1", "client.view", f"client:{world.clients['shared']}"))
    sign_in("lead")
    for query, message in [
        (f"who={world.users['b1']}", "Choose a person from the list."),
        ("who=w1", "Choose a person from the list."),
        (f"client={world.clients['other_team']}", "Choose a client from the list."),
        ("client=B-1", "Choose a client from the list."),
        ("kind=capture.", "Choose a kind of action from the list."),
        ("from=yesterday", "Give the day as YYYY-MM-DD, for example 2026-12-01."),
        ("from=2025-12-02&to=2025-12-01", "The first day is after the last day."),
    ]:
        for path in ("/audit/team", "/audit/team.csv"):
            response = client.get(f"{path}?{query}")
            page = response.get_data(as_text=True)
            assert response.status_code == 400, query
            assert message in page and 'aria-invalid="true"' in page
            assert "Correct the filters above" in page and "opened A-1" not in page
            assert 'action="/audit/team"' in page  # filtering again shows the page
    assert _subjects(app, "audit.exported") == []


def test_nothing_of_another_team_shows_and_its_codes_stay_hidden(app, client, sign_in, world):
    other = world.clients["other_team"]
    _write(app, ("b1", "client.view", f"client:{other}"),
           ("w1", "access.denied", f"client:{other}"))
    sign_in("lead")
    page = client.get("/audit/team").get_data(as_text=True)
    assert "w1 was refused a client outside your team" in page
    assert "B-1" not in page and "b1 opened" not in page
    assert 'value="{}"'.format(world.users["b1"]) not in page.split('id="audit-who"')[1]


def test_the_trail_audits_the_client_codes_it_names(app, client, sign_in, world):
    _write(app, ("w1", "client.view", f"client:{world.clients['shared']}"))
    sign_in("lead")
    client.get(f"/audit/team?who={world.users['w1']}")
    listed = [s for s in _subjects(app, "clients.listed") if s.startswith("audit ")]
    assert listed == ["audit clients:" + ",".join(
        str(world.clients[name]) for name in ("shared", "w3_only"))]
    assert _subjects(app, "audit.viewed") == [f"team:{world.team} who:{world.users['w1']}"]


def test_the_admin_reads_account_events_in_words_with_the_same_filters(app, client, sign_in,
                                                                       world):
    _write(app, ("w1", "login", f"user:{world.users['w1']}"),
           ("admin", "user.disabled", f"user:{world.users['b1']}"),
           ("w1", "client.view", f"client:{world.clients['shared']}"))
    sign_in("admin")
    page = client.get("/audit/accounts").get_data(as_text=True)
    assert "w1 signed in" in page and "admin disabled the account b1" in page
    assert "opened A-1" not in page and 'id="audit-client"' not in page
    signins = client.get(f"/audit/accounts?kind=signin&who={world.users['w1']}&client=K-1")
    assert signins.status_code == 200 and _count(signins.get_data(as_text=True)) == 1
    assert client.get("/audit/accounts?kind=opened").status_code == 400


def test_a_page_of_the_trail_runs_the_same_queries_for_ten_or_sixty_entries(app, client,
                                                                             sign_in, world):
    shared, meeting = world.clients["shared"], world.meetings["shared"]
    with app.app_context():
        capture = add_capture(meeting, world.users["w1"])
        assert db.session.get(Capture, capture)

    def write(times):
        _write(app, *[entry for _ in range(times) for entry in (
            ("w1", "client.view", f"client:{shared}"),
            ("w2", "capture.view", f"capture:{capture}"),
            ("lead", "pair.view", "pair:1"),
            ("lead", "report.generated", f"team:{world.team} month:2025-11"),
            ("lead", "worker.view", f"user:{world.users['w1']}"))])

    sign_in("lead")
    write(2)
    few = statements_for(app, client, "/audit/team?kind=opened")
    write(10)
    many = statements_for(app, client, "/audit/team?kind=opened")
    assert few == many
