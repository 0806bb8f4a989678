"""The lead's home says first what needs attention today, only about the lead's own team."""

import re
from datetime import datetime, time, timedelta

from companion.clock import month_start
from companion.extensions import db
from companion.models import Client, Debrief, Milestone
from tests.support import team_today
from tests.support.records import add_capture, add_home_captures, add_meeting
from tests.support.statements import statements_for_home


def _days_ago(days):
    return team_today() - timedelta(days=days)


def _attention(page: str) -> str:
    return page[page.index('id="attention"'):page.index("</section>", page.index('id="attention"'))]


def _card(section: str, code: str) -> list[str]:
    """The cards in the section naming `code`."""
    return [card for card in re.findall(r"<a class=\"card.*?</a>", section, re.S)
            if f'<span class="code">{code}</span>' in card]


def _build_every_kind(world):
    users, clients = world.users, world.clients
    team = world.team
    # crisis, with a live warning sign
    db.session.get(Client, clients["w3_only"]).phase = "crisis"
    crisis_meeting = add_meeting(clients["w3_only"], [users["w3"]], held_on=_days_ago(3))
    add_capture(crisis_meeting, users["w3"], marks=["hostility"])
    # a live warning sign in a client who is not in crisis (both captured, debrief closed)
    warned = add_meeting(clients["shared"], [users["w1"], users["w2"]], held_on=_days_ago(2))
    add_capture(warned, users["w1"], marks=["distrust"])
    add_capture(warned, users["w2"], marks=["distrust"])
    db.session.add(Debrief(meeting_id=warned, closed_at=datetime.utcnow()))
    # a debrief waiting: both captures in two days ago, nothing closed
    waiting = add_meeting(clients["shared"], [users["w1"], users["w2"]], held_on=_days_ago(4))
    two_days = datetime.utcnow() - timedelta(days=2)
    add_capture(waiting, users["w1"], recorded_at=two_days)
    add_capture(waiting, users["w2"], recorded_at=two_days)
    # unseen for three weeks
    quiet = Client(code="A-3", team_id=team, phase="change_work",
                   created_at=datetime.utcnow() - timedelta(days=90))
    db.session.add(quiet)
    db.session.commit()
    add_capture(add_meeting(quiet.id, [users["w3"]], held_on=_days_ago(30)), users["w3"])
    # a suggestion (crisis after two no-shows) shown for more than a week
    drifting = Client(code="A-4", team_id=team, phase="first_meetings")
    db.session.add(drifting)
    db.session.commit()
    for days in (12, 10):
        meeting = add_meeting(drifting.id, [users["w3"]], held_on=_days_ago(days))
        add_capture(meeting, users["w3"], attendance="no_show")
    # a milestone past its target month
    db.session.add(Milestone(client_id=clients["shared"], title="Apply for the course",
                             target_month=month_start(team_today(), 2).strftime("%Y-%m")))
    db.session.add(Milestone(client_id=clients["shared"], title="Not due yet",
                             target_month=team_today().strftime("%Y-%m")))
    # the other team has every kind too: none of it may show
    b_meeting = add_meeting(clients["other_team"], [users["b1"]], held_on=_days_ago(3))
    add_capture(b_meeting, users["b1"], marks=["hostility"])
    add_meeting(clients["other_team"], [users["b1"]], held_on=_days_ago(5))
    db.session.add(Milestone(client_id=clients["other_team"], title="Other team goal",
                             target_month="2020-01"))
    db.session.commit()


def test_lead_home_lists_each_kind_of_item_with_one_tap_to_its_record(app, client, auth, world):
    with app.app_context():
        _build_every_kind(world)
        waiting_id = db.session.scalar(
            db.select(Debrief.meeting_id).where(Debrief.closed_at.is_(None))) or None
    auth.login("lead")
    page = client.get("/").get_data(as_text=True)
    assert page.index('id="attention"') < page.index('id="client-list"')
    section = _attention(page)
    crisis = _card(section, "A-2")
    assert any("In crisis." in card and "Hostility" in card for card in crisis)
    assert any("Warning signs" in card and "Distrust" in card for card in _card(section, "A-1"))
    uncaptured = [c for c in _card(section, "A-1") if "has not captured" in c]
    assert uncaptured and all(f'href="/clients/{world.clients["shared"]}"' in c
                              for c in uncaptured)
    assert waiting_id is None  # no debrief row: the waiting one was never opened
    assert any("Debrief waiting" in card and "/debrief" in card for card in _card(section, "A-1"))
    assert any("Not seen for three weeks" in card for card in _card(section, "A-3"))
    assert any("Phase suggestion" in card and "Crisis" in card for card in _card(section, "A-4"))
    assert "Apply for the course" in section and "Not due yet" not in section
    assert "B-1" not in section and "Other team goal" not in section and "b1" not in section


def test_an_uncaptured_meeting_shows_only_after_24_hours(app, client, auth, world):
    with app.app_context():
        add_capture(world.meetings["w3_only"], world.users["w3"])
        add_meeting(world.clients["w3_only"], [world.users["w3"]], held_on=team_today(),
                    starts_at=time(0, 0))
        add_meeting(world.clients["w3_only"], [world.users["w3"]], held_on=_days_ago(3))
    auth.login("lead")
    section = _attention(client.get("/").get_data(as_text=True))
    cards = [c for c in _card(section, "A-2") if "has not captured" in c]
    assert len(cards) == 1 and f"{_days_ago(3):%-d %b}" in cards[0]


def test_a_quiet_team_is_told_nothing_needs_attention(app, client, auth, world):
    with app.app_context():
        for meeting in (world.meetings["shared"], world.meetings["w3_only"]):
            add_capture(meeting, world.users["w1" if meeting == world.meetings["shared"]
                                             else "w3"])
        add_capture(world.meetings["shared"], world.users["w2"])
        db.session.add(Debrief(meeting_id=world.meetings["shared"], closed_at=datetime.utcnow()))
        db.session.commit()
    auth.login("lead")
    section = _attention(client.get("/").get_data(as_text=True))
    assert "Nothing needs your attention today." in section


def test_a_closed_case_with_recent_captures_does_not_break_the_leads_home(app, client, sign_in,
                                                                         world):
    with app.app_context():
        for days in (12, 10):  # the no-shows that would suggest crisis
            meeting = add_meeting(world.clients["w3_only"], [world.users["w3"]],
                                  held_on=_days_ago(days))
            add_capture(meeting, world.users["w3"], attendance="no_show", marks=["hostility"])
        db.session.get(Client, world.clients["w3_only"]).closed_at = datetime.utcnow()
        db.session.commit()
    sign_in("lead")
    response = client.get("/")
    assert response.status_code == 200  # was a KeyError: captures of closed cases were read
    section = _attention(response.get_data(as_text=True))
    assert not any("crisis" in card.lower() for card in _card(section, "A-2"))


def test_lead_home_runs_as_many_statements_with_500_captures_as_with_5(
    app, client, auth, world
):
    with app.app_context():
        _build_every_kind(world)
    add_home_captures(app, world, 0, 5)
    auth.login("lead")
    few = statements_for_home(app, client)
    add_home_captures(app, world, 5, 500)
    many = statements_for_home(app, client)
    assert few == many
