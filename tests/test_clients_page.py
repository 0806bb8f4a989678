"""The client page: suggestions confirmed or dismissed, phase by hand, blind timeline and grid,
milestones, monthly ratings, who may do what, and a fixed number of queries."""

import html
import re
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from companion.clients import progress
from companion.clock import local_now
from companion.extensions import db
from companion.models import (
    AuditEntry,
    Client,
    DimensionRating,
    Milestone,
    PhaseChange,
    SuggestionDecision,
)
from companion.templating import month_name
from tests.support import records, team_today
from tests.support.sections import everything_shown

GOAL = {"area": "family", "target_month": "2099-01", "agreed": "y"}
RATING = {"radicalisation": "3", "extremist_activity": "4", "crime": "5",
          "marginalisation": "2", "mental_health": "3"}


def page_of(client, world, name="shared", section=None) -> str:
    """The client page, or with one of its sections open (only the open one is written)."""
    tail = f"/{section}" if section else ""
    return html.unescape(client.get(url(world, tail, name)).get_data(as_text=True))


def url(world, tail="", name="shared") -> str:
    return f"/clients/{world.clients[name]}{tail}"


def shared_meeting(app, world, days_ago, attendance="held", **by_author):
    """A meeting of the shared client (w1 and w2); keyword arguments: each author's marks."""
    with app.app_context():
        meeting = records.meeting(world.clients["shared"], [world.users["w1"], world.users["w2"]],
                                  team_today() - timedelta(days=days_ago), attendance)
        for author, marks in by_author.items():
            records.capture(meeting, world.users[author], marks)
        db.session.commit()
        return meeting.id


def fetch(app, query):
    with app.app_context():
        return db.session.execute(query).all()


def phase_of(app, world, name="shared") -> str:
    with app.app_context():
        return db.session.get(Client, world.clients[name]).phase


def actions(app) -> list[str]:
    return [row.action for row in fetch(app, select(AuditEntry.action).order_by(AuditEntry.id))]


# Confirm and dismiss


def test_a_suggestion_shows_with_its_reasons_and_confirm_changes_the_phase(
    app, client, auth, world
):
    shared_meeting(app, world, 1, w1=["hostility"])
    auth.sign_in("w1")
    page = page_of(client, world)
    assert "Suggested: open the crisis card" in page
    assert "Hostility or fury in the meeting on" in page
    assert phase_of(app, world) == "first_meetings"
    response = client.post(url(world, "/suggestion/confirm"), data={"suggestion": "crisis:crisis"})
    assert response.status_code == 303
    assert phase_of(app, world) == "crisis"
    change = fetch(app, select(PhaseChange))[0][0]
    assert (change.from_phase, change.to_phase) == ("first_meetings", "crisis")
    assert change.changed_by_id == world.users["w1"]
    assert change.reason.startswith("Suggested: Hostility or fury in the meeting on")
    decision = fetch(app, select(SuggestionDecision))[0][0]
    assert (decision.decision, decision.suggestion) == ("confirmed", "crisis:crisis")
    assert "phase.changed" in actions(app)
    assert "Suggested: Hostility or fury" in page_of(client, world, section="phase")


def test_dismissing_keeps_the_phase_and_hides_the_suggestion_until_a_newer_capture(
    app, client, auth, world
):
    shared_meeting(app, world, 8, w1=["hostility"])
    auth.sign_in("w1")
    response = client.post(url(world, "/suggestion/dismiss"), data={"suggestion": "crisis:crisis"})
    assert response.status_code == 303
    assert phase_of(app, world) == "first_meetings"
    assert fetch(app, select(PhaseChange)) == []
    decision = fetch(app, select(SuggestionDecision))[0][0]
    assert decision.decision == "dismissed" and decision.last_capture_id is not None
    assert "suggestion.dismissed" in actions(app)
    page = page_of(client, world)
    assert "Suggested: open the crisis card" not in page
    assert "Suggestion dismissed" in page
    shared_meeting(app, world, 1, w1=["talk_of_quitting"])
    assert "Suggested: open the crisis card" in page_of(client, world)


def test_a_dismissed_suggestion_cannot_be_dismissed_or_confirmed_again(app, client, auth, world):
    shared_meeting(app, world, 1, w1=["hostility"])
    auth.sign_in("w1")
    client.post(url(world, "/suggestion/dismiss"), data={"suggestion": "crisis:crisis"})
    for decision in ("dismiss", "confirm"):
        response = client.post(url(world, f"/suggestion/{decision}"),
                               data={"suggestion": "crisis:crisis"})
        assert response.status_code == 409
    assert len(fetch(app, select(SuggestionDecision))) == 1
    assert phase_of(app, world) == "first_meetings"


def test_a_confirm_for_a_suggestion_that_has_changed_saves_nothing(app, client, auth, world):
    shared_meeting(app, world, 1, w1=["hostility"])
    auth.sign_in("w1")
    response = client.post(url(world, "/suggestion/confirm"),
                           data={"suggestion": "move:change_work"})
    assert response.status_code == 409
    assert "The suggestion has changed" in html.unescape(response.get_data(as_text=True))
    assert phase_of(app, world) == "first_meetings"
    assert fetch(app, select(SuggestionDecision)) == []


def test_nothing_to_confirm_when_the_rules_say_stay(app, client, auth, world):
    auth.sign_in("w1")
    response = client.post(url(world, "/suggestion/confirm"), data={"suggestion": "stay:"})
    assert response.status_code == 409
    assert fetch(app, select(SuggestionDecision)) == []


def test_a_lead_sees_the_suggestion_but_no_buttons(app, client, auth, world):
    shared_meeting(app, world, 1, w1=["hostility"])
    auth.sign_in("lead")
    page = page_of(client, world, section="phase")  # the phase form would be in that section
    assert "Suggested: open the crisis card" in page
    assert "/suggestion/confirm" not in page and '/phase"' not in page


def test_the_page_never_changes_a_phase_by_itself(app, client, auth, world):
    shared_meeting(app, world, 1, w1=["hostility"])
    auth.sign_in("w1")
    page_of(client, world)
    client.get(url(world, "/card/middle"), headers={"HX-Request": "true"})
    assert phase_of(app, world) == "first_meetings"


# Phase by hand


def test_a_worker_changes_the_phase_by_hand_with_a_reason(app, client, auth, world):
    auth.sign_in("w1")
    response = client.post(url(world, "/phase"),
                           data={"to_phase": "change_work", "reason": "Ready, talked it over"})
    assert response.status_code == 303
    assert phase_of(app, world) == "change_work"
    change = fetch(app, select(PhaseChange))[0][0]
    assert change.reason == "Ready, talked it over" and change.from_phase == "first_meetings"
    assert "phase.changed" in actions(app)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"to_phase": "change_work", "reason": ""}, "This field is required."),
        ({"to_phase": "change_work", "reason": "x" * 301}, "300"),
        ({"to_phase": "first_meetings", "reason": "Same"}, "already in that phase"),
        ({"to_phase": "someday", "reason": "Why not"}, "Not a valid choice"),
    ],
)
def test_a_bad_phase_change_is_refused_with_a_message_and_saves_nothing(
    app, client, auth, world, data, message
):
    auth.sign_in("w1")
    response = client.post(url(world, "/phase"), data=data)
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    assert phase_of(app, world) == "first_meetings"
    assert fetch(app, select(PhaseChange)) == []


# Blindness: the partner's capture stays hidden until one's own is saved


def test_the_partners_capture_is_hidden_on_timeline_and_grid_until_own_is_saved(
    app, client, auth, world
):
    meeting_id = shared_meeting(app, world, 1, w2=["family_contact", "hostility"])
    auth.sign_in("w1")
    page = page_of(client, world, section="meetings")
    entry = page[page.index(f'id="meeting-{meeting_id}"'):page.index('id="signs-heading"')]
    assert 'data-author="w2"' not in entry and "Contact with family" not in entry
    assert "Not captured by you yet; your partner's capture shows after yours" in entry
    assert 'id="marker-grid"' not in page_of(client, world, section="signs")
    anywhere = everything_shown(client, world.clients["shared"])
    assert "Hostility" not in anywhere and "crisis card" not in anywhere
    with app.app_context():
        from companion.models import Meeting

        records.capture(db.session.get(Meeting, meeting_id), world.users["w1"], ["relaxed"])
        db.session.commit()
    page = page_of(client, world, section="meetings")
    entry = page[page.index(f'id="meeting-{meeting_id}"'):page.index('id="signs-heading"')]
    assert 'data-author="w1"' in entry and 'data-author="w2"' in entry
    assert "Contact with family" in entry
    grid = page_of(client, world, section="signs")
    assert seen_in_grid(grid, "Contact with family") == [True]
    assert seen_in_grid(grid, "Relaxed, enjoys talking") == [True]


def test_a_lead_sees_every_capture_of_the_team(app, client, auth, world):
    shared_meeting(app, world, 1, w2=["family_contact"])
    auth.sign_in("lead")
    assert 'data-author="w2"' in page_of(client, world, section="meetings")
    assert seen_in_grid(page_of(client, world, section="signs"), "Contact with family") == [True]


def seen_in_grid(page: str, label: str) -> list[bool]:
    """The cells of one grid row: True where the marker was seen."""
    row = re.search(rf'<th scope="row">(?:<span[^>]*>⚠</span> )?{re.escape(label)}</th>(.*?)</tr>',
                    page, re.S)
    return ["●" in cell for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]


def test_the_grid_shows_the_last_eight_meetings_held_oldest_first(app, client, auth, world):
    for days_ago in range(12, 0, -1):
        marks = ["change_talk_up"] if days_ago <= 3 else ["relaxed"]
        shared_meeting(app, world, days_ago, w1=marks)
    shared_meeting(app, world, 0, attendance="no_show", w1=[])
    auth.sign_in("w1")
    page = page_of(client, world, section="signs")
    head = re.findall(r'<th scope="col" class="date">(.*?)</th>', page)
    days = [team_today() - timedelta(days=d) for d in range(8, 0, -1)]
    expected = [f'{day.day} <span class="month">{day:%b}</span>' for day in days]
    assert head == expected
    assert seen_in_grid(page, "More change talk") == [False] * 5 + [True] * 3
    assert '<caption class="visually-hidden">' in page


# Milestones


def test_a_worker_adds_a_milestone_and_marks_it_reached(app, client, auth, world):
    auth.sign_in("w1")
    response = client.post(url(world, "/milestones"), data={"title": "  Call his sister  ",
                                                            **GOAL})
    assert response.status_code == 303
    milestone = fetch(app, select(Milestone))[0][0]
    assert milestone.title == "Call his sister" and milestone.status == "open"
    assert "Call his sister" in page_of(client, world, section="milestones")
    response = client.post(url(world, f"/milestones/{milestone.id}"), data={"status": "reached"})
    assert response.status_code == 303
    milestone = fetch(app, select(Milestone))[0][0]
    assert milestone.status == "reached" and milestone.reached_on is not None
    assert "✓ Reached" in page_of(client, world, section="milestones")
    assert {"milestone.added", "milestone.updated"} <= set(actions(app))


@pytest.mark.parametrize("title", ["", "   ", "x" * 121])
def test_a_bad_milestone_is_refused_with_a_message_and_nothing_saved(
    app, client, auth, world, title
):
    auth.sign_in("w1")
    response = client.post(url(world, "/milestones"), data={"title": title, **GOAL})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert re.search(r'<p class="error" id="title-error">.+</p>', page)
    assert fetch(app, select(Milestone)) == []


def test_a_bad_milestone_status_is_refused(app, client, auth, world):
    auth.sign_in("w1")
    client.post(url(world, "/milestones"), data={"title": "Start an evening class",
                                                  **GOAL})
    milestone = fetch(app, select(Milestone))[0][0]
    response = client.post(url(world, f"/milestones/{milestone.id}"), data={"status": "won"})
    assert response.status_code == 400
    assert fetch(app, select(Milestone.status)) == [("open",)]


def test_a_milestone_of_another_client_is_404(app, client, auth, world):
    with app.app_context():
        other = Milestone(client_id=world.clients["w3_only"], title="Not yours")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    auth.sign_in("w1")
    response = client.post(url(world, f"/milestones/{other_id}"), data={"status": "dropped"})
    assert response.status_code == 404
    assert fetch(app, select(Milestone.status)) == [("open",)]


# Monthly five-dimension ratings


def test_a_worker_rates_the_month_and_editing_in_the_same_month_updates_it(
    app, client, auth, world
):
    auth.sign_in("w1")
    assert client.post(url(world, "/ratings"), data=RATING).status_code == 303
    assert client.post(url(world, "/ratings"), data=RATING | {"crime": "1"}).status_code == 303
    rows = fetch(app, select(DimensionRating))
    assert len(rows) == 1
    rating = rows[0][0]
    assert (rating.radicalisation, rating.crime, rating.mental_health) == (3, 1, 3)
    with app.test_request_context():
        assert rating.month == f"{local_now():%Y-%m}"
    assert "rating.saved" in actions(app)
    page = page_of(client, world, section="ratings")
    assert 'id="ratings-table"' in page and "Participation in crime" in page


def test_the_page_shows_the_last_six_months_of_ratings(app, client, auth, world):
    with app.test_request_context():
        first = local_now().date().replace(day=1)
    months = [f"{progress.add_months(first, -back):%Y-%m}" for back in range(5, -1, -1)]
    with app.app_context():
        for month in months[-3:]:
            db.session.add(DimensionRating(
                client_id=world.clients["shared"], month=month, radicalisation=2,
                extremist_activity=3, crime=4, marginalisation=2, mental_health=1,
            ))
        db.session.commit()
    auth.sign_in("lead")
    page = page_of(client, world, section="ratings")
    shown = re.findall(r'<th scope="col">(\w+ \d{4})</th>', page)
    assert shown == [month_name(m) for m in months]
    assert page.count('class="dimension-chart"') == 5


@pytest.mark.parametrize(
    "data",
    [
        {k: v for k, v in RATING.items() if k != "crime"},
        RATING | {"crime": "6"},
        RATING | {"crime": "0"},
        RATING | {"crime": "abc"},
        {},
    ],
)
def test_a_bad_rating_is_refused_with_a_message_and_nothing_saved(
    app, client, auth, world, data
):
    auth.sign_in("w1")
    response = client.post(url(world, "/ratings"), data=data)
    assert response.status_code == 400
    assert re.search(r'<p class="error" id="\w+-error">.+</p>', response.get_data(as_text=True))
    assert fetch(app, select(DimensionRating)) == []


# Who may read and who may change


WRITES = [
    ("/suggestion/confirm", {"suggestion": "crisis:crisis"}),
    ("/suggestion/dismiss", {"suggestion": "crisis:crisis"}),
    ("/phase", {"to_phase": "change_work", "reason": "Because"}),
    ("/milestones", {"title": "A goal", **GOAL}),
    ("/review", {}),
    ("/milestones/{milestone}", {"status": "reached"}),
    ("/ratings", RATING),
]
READS = ["", "/card/beginning", "/card/afterwards"]


@pytest.fixture
def milestone_id(app, world):
    with app.app_context():
        milestone = Milestone(client_id=world.clients["shared"], title="Existing")
        db.session.add(milestone)
        db.session.commit()
        return milestone.id


@pytest.mark.parametrize(
    ("username", "status"),
    [("w1", 200), ("w2", 200), ("lead", 200), ("w3", 404), ("b1", 404), ("lead_b", 404),
     ("admin", 403)],
)
def test_every_read_route_is_shown_only_to_the_clients_workers_and_team_lead(
    client, auth, world, username, status
):
    auth.sign_in(username)
    for tail in READS:
        assert client.get(url(world, tail)).status_code == status, tail


@pytest.mark.parametrize(
    ("username", "status"),
    [("w3", 404), ("b1", 404), ("lead", 403), ("lead_b", 403), ("admin", 403)],
)
def test_no_one_but_the_clients_workers_may_change_anything(
    app, client, auth, world, milestone_id, username, status
):
    shared_meeting(app, world, 1, w1=["hostility"])
    auth.sign_in(username)
    for tail, data in WRITES:
        response = client.post(url(world, tail.format(milestone=milestone_id)), data=data)
        assert response.status_code == status, tail
    assert phase_of(app, world) == "first_meetings"
    assert fetch(app, select(func.count()).select_from(PhaseChange)) == [(0,)]
    assert fetch(app, select(func.count()).select_from(SuggestionDecision)) == [(0,)]
    assert fetch(app, select(Milestone.title, Milestone.status)) == [("Existing", "open")]
    assert fetch(app, select(func.count()).select_from(DimensionRating)) == [(0,)]


def test_the_partner_in_the_pair_may_change_the_shared_client_too(app, client, auth, world):
    auth.sign_in("w2")
    response = client.post(url(world, "/phase"), data={"to_phase": "crisis", "reason": "Call"})
    assert response.status_code == 303


# Queries do not grow with the data


@contextmanager
def counted_queries(app):
    with app.app_context():
        engine = db.engine
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def add_history(app, world, captures: int, start_day: int):
    """`captures` captures on shared meetings, plus milestones, ratings and phase changes."""
    w1, w2 = world.users["w1"], world.users["w2"]
    marks = [["relaxed", "change_talk_up"], ["hostility"], ["family_contact"], []]
    with app.app_context():
        made, day = 0, start_day
        while made < captures:
            authors = [w1, w2] if captures - made >= 2 else [w1]
            meeting = records.meeting(world.clients["shared"], [w1, w2],
                                      team_today() - timedelta(days=day))
            for author in authors:
                records.capture(meeting, author, marks[made % 4], ratings=(4, 3, 4),
                                next_step=f"Step {made}")
                made += 1
            day += 1
        for number in range(captures // 10 + 1):
            db.session.add(Milestone(client_id=world.clients["shared"], title=f"Goal {number}"))
            db.session.add(PhaseChange(client_id=world.clients["shared"], from_phase="crisis",
                                       to_phase="first_meetings", changed_by_id=w1,
                                       changed_at=datetime(2024, 1, 1) + timedelta(days=number)))
            db.session.add(DimensionRating(
                client_id=world.clients["shared"], month=f"{2000 + start_day + number}-01",
                radicalisation=2, extremist_activity=3, crime=4, marginalisation=2,
                mental_health=1,
            ))
        db.session.commit()


@pytest.mark.parametrize("username", ["w1", "lead"])
def test_the_client_page_runs_the_same_number_of_queries_with_5_and_500_captures(
    app, client, auth, world, username
):
    auth.sign_in(username)
    add_history(app, world, 5, start_day=1)
    client.get(url(world))  # the first request after login also loads the user
    with counted_queries(app) as few:
        assert client.get(url(world)).status_code == 200
    add_history(app, world, 495, start_day=10)
    with counted_queries(app) as many:
        page = client.get(url(world))
    assert page.status_code == 200
    assert len(few) == len(many), "\n".join(s[:60] for s in many)
    # A ceiling, not the rule (the rule is the equality above): one query per section of the
    # page; warning acknowledgements and the rating history each added one.
    assert len(many) <= 24


def test_the_timeline_offers_edit_on_recent_captures_and_open_read_only_on_old_ones(
    app, client, auth, world
):
    with app.app_context():
        today = team_today()
        fresh = records.capture(records.meeting(world.clients["w3_only"], [world.users["w3"]],
                                                today - timedelta(days=1)), world.users["w3"])
        old = records.capture(records.meeting(world.clients["w3_only"], [world.users["w3"]],
                                              today - timedelta(days=9)), world.users["w3"],
                              recorded_at=datetime.now() - timedelta(days=8))
        db.session.commit()
        fresh_id, old_id = fresh.id, old.id
    auth.sign_in("w3")
    page = page_of(client, world, "w3_only", section="meetings")
    assert f'href="/captures/{fresh_id}/edit">Edit your capture' in page
    assert f'href="/captures/{old_id}/edit">Open your capture' in page  # read-only (defect 1)
    auth.logout()
    auth.sign_in("lead")
    assert "/edit" not in page_of(client, world, "w3_only", section="meetings")


def test_the_phase_history_shows_the_day_on_the_teams_clock(app, client, auth, world):
    """23:30 UTC on 30 November is already 1 December in Amsterdam."""
    with app.app_context():
        db.session.add(PhaseChange(
            client_id=world.clients["shared"], from_phase="first_meetings", to_phase="change_work",
            changed_at=datetime(2026, 11, 30, 23, 30), reason="late evening"))
        db.session.commit()
    auth.sign_in("w1")
    page = page_of(client, world, section="phase")
    assert "1 Dec 2026: First meetings" in page and "30 Nov 2026: First meetings" not in page
