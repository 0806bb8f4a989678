"""The worker page: the lead of the worker's team sees caseload, timeliness, debriefs, pairs."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from companion.extensions import db
from companion.models import AuditEntry
from tests.support import team_today
from tests.support.records import add_capture, add_meeting


def test_lead_opens_a_worker_page_from_home_and_reaches_the_workers_clients(
    app, client, auth, world
):
    with app.app_context():
        late = add_meeting(world.clients["shared"], [world.users["w1"], world.users["w2"]],
                           held_on=team_today() - timedelta(days=3))
        add_capture(late, world.users["w2"])  # w1 has not captured it: overdue, and waiting
        both = add_meeting(world.clients["shared"], [world.users["w1"], world.users["w2"]],
                           held_on=team_today() - timedelta(days=5))
        add_capture(both, world.users["w1"])
        add_capture(both, world.users["w2"])
    auth.login("lead")
    home = client.get("/").get_data(as_text=True)
    assert f'href="/workers/{world.users["w1"]}"' in home
    page = client.get(f"/workers/{world.users['w1']}").get_data(as_text=True)
    assert f'href="/clients/{world.clients["shared"]}"' in page and "A-2" not in page
    timeliness = page[page.index('id="timeliness"'):page.index('id="open-debriefs"')]
    assert "not captured after 24 hours" in timeliness
    assert f"{team_today() - timedelta(days=3):%-d %b}" in timeliness
    assert "Median delay" in timeliness
    debriefs = page[page.index('id="open-debriefs"'):page.index('id="worker-pairs"')]
    assert f'href="/meetings/{both}/debrief"' in debriefs and "w2 captured the meeting" in debriefs
    assert "w1 &amp; w2" in page
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action == "worker.view")).all()
    assert actions == [f"user:{world.users['w1']}"]


@pytest.mark.parametrize("viewer, target, status", [
    ("lead_b", "w1", 404),  # another team's lead
    ("lead", "b1", 404),  # another team's worker
    ("lead", "lead", 404),  # not a worker
    ("w2", "w1", 403),  # workers do not read each other's pages
    ("admin", "w1", 403),
])
def test_only_the_lead_of_the_workers_team_opens_the_page(
    client, auth, world, viewer, target, status
):
    auth.login(viewer)
    assert client.get(f"/workers/{world.users[target]}").status_code == status
