"""Client progress over months: co-owned milestones and their history, the review date on the
brief, "not known" ratings kept month by month, the small charts, and "Our agreed goals"."""

import html
import io
import re
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from companion import content
from companion.clients import progress
from companion.clients.charts import chart_points, dimension_chart
from companion.clock import local_now
from companion.extensions import db
from companion.models import (
    AuditEntry,
    Client,
    DimensionRating,
    Milestone,
    MilestoneEvent,
    Review,
)
from companion.vocabulary import DIMENSIONS, MILESTONE_AREAS
from tests.support import records, team_today

GOAL = {"title": "Call his sister", "area": "family", "target_month": "2099-01", "agreed": "y"}
RATING = {"radicalisation": "3", "extremist_activity": "4", "crime": "unknown",
          "marginalisation": "2", "mental_health": "5"}


def url(world, tail="", name="shared") -> str:
    return f"/clients/{world.clients[name]}{tail}"


def fetch(app, query):
    with app.app_context():
        return db.session.execute(query).all()


def this_month(app) -> str:
    with app.test_request_context():
        return progress.month_key(local_now().date())


def month_back(app, back: int) -> str:
    with app.test_request_context():
        return progress.month_key(progress.add_months(local_now().date().replace(day=1), -back))


# Milestones


def test_a_milestone_keeps_its_area_target_and_who_set_and_reached_it(app, client, auth, world):
    auth.login("w1")
    assert client.post(url(world, "/milestones"), data=GOAL).status_code == 303
    milestone = fetch(app, select(Milestone))[0][0]
    assert (milestone.area, milestone.target_month, milestone.agreed) == ("family", "2099-01",
                                                                          True)
    response = client.post(url(world, f"/milestones/{milestone.id}"), data={"status": "reached"})
    assert response.status_code == 303
    events = fetch(app, select(MilestoneEvent.status, MilestoneEvent.changed_by_id)
                   .order_by(MilestoneEvent.id))
    assert events == [("open", world.users["w1"]), ("reached", world.users["w1"])]
    page = html.unescape(client.get(url(world, "/milestones")).get_data(as_text=True))
    assert "✓ Reached" in page and "Family" in page and "January 2099" in page


def test_a_reached_milestone_cannot_be_changed_again_and_its_history_stays(
    app, client, auth, world
):
    auth.login("w1")
    client.post(url(world, "/milestones"), data=GOAL)
    milestone_id = fetch(app, select(Milestone.id))[0][0]
    client.post(url(world, f"/milestones/{milestone_id}"), data={"status": "reached"})
    auth.logout()
    auth.login("w2")
    response = client.post(url(world, f"/milestones/{milestone_id}"), data={"status": "dropped"})
    assert response.status_code == 409
    assert "no longer open" in response.get_data(as_text=True)
    assert fetch(app, select(Milestone.status)) == [("reached",)]
    assert [s for (s,) in fetch(app, select(MilestoneEvent.status))] == ["open", "reached"]


@pytest.mark.parametrize(("change", "field"), [
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"area": "politics"}, "area"),
    ({"area": ""}, "area"),
    ({"target_month": ""}, "target_month"),
    ({"target_month": "2099-13"}, "target_month"),
    ({"target_month": "next year"}, "target_month"),
    ({"target_month": "2001-01"}, "target_month"),
    ({"agreed": None}, "agreed"),
])
def test_a_bad_milestone_gets_a_message_next_to_its_field_and_nothing_is_saved(
    app, client, auth, world, change, field
):
    auth.login("w1")
    data = {k: v for k, v in (GOAL | change).items() if v is not None}
    response = client.post(url(world, "/milestones"), data=data)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert re.search(rf'<p class="error" id="{field}-error">.+</p>', page), page[-3000:]
    assert fetch(app, select(Milestone)) == [] and fetch(app, select(MilestoneEvent)) == []


def test_a_tampered_milestone_id_is_404_and_changes_nothing(app, client, auth, world):
    with app.app_context():
        other = Milestone(client_id=world.clients["w3_only"], title="Not yours", area="health")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    auth.login("w1")
    for tail in (f"/milestones/{other_id}", "/milestones/999999"):
        assert client.post(url(world, tail), data={"status": "reached"}).status_code == 404
    assert client.post(f"/clients/{world.clients['w3_only']}/milestones/{other_id}",
                       data={"status": "reached"}).status_code == 404
    assert fetch(app, select(Milestone.status)) == [("open",)]
    assert fetch(app, select(MilestoneEvent)) == []


# The review on the brief


def test_the_review_shows_on_the_brief_when_due_with_the_open_milestones(
    app, client, auth, world
):
    auth.login("w1")
    client.post(url(world, "/milestones"), data=GOAL)
    page = html.unescape(client.get(url(world)).get_data(as_text=True))
    assert 'id="review-due"' not in page and 'id="next-review"' in page
    with app.app_context():
        shared = db.session.get(Client, world.clients["shared"])
        db.session.add(Review(client_id=shared.id, held_on=team_today() - timedelta(days=100)))
        db.session.commit()
    brief = html.unescape(client.get(url(world, "/card/beginning")).get_data(as_text=True))
    due = brief[brief.index('id="review-due"'):]
    assert "Review due" in due and "Call his sister" in due[:due.index("</div>")]
    assert client.post(url(world, "/review"), data={}).status_code == 303
    page = html.unescape(client.get(url(world)).get_data(as_text=True))
    assert 'id="review-due"' not in page
    assert "review.held" in [a for (a,) in fetch(app, select(AuditEntry.action))]


@pytest.mark.parametrize("app_settings", [{"REVIEW_EVERY_MONTHS": 1}])
def test_the_review_interval_is_a_setting(app, client, auth, world, app_settings):
    with app.app_context():
        db.session.add(Review(client_id=world.clients["shared"],
                              held_on=team_today() - timedelta(days=40)))
        db.session.commit()
    auth.login("lead")
    assert 'id="review-due"' in client.get(url(world)).get_data(as_text=True)


def test_next_review_adds_months_and_clips_the_day():
    assert progress.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert progress.add_months(date(2026, 1, 15), -2) == date(2025, 11, 15)


# Ratings


def test_not_known_is_saved_as_missing_and_shown_as_not_known(app, client, auth, world):
    auth.login("w1")
    assert client.post(url(world, "/ratings"), data=RATING).status_code == 303
    rating = fetch(app, select(DimensionRating))[0][0]
    assert rating.crime is None and rating.mental_health == 5
    assert rating.month == this_month(app)
    page = html.unescape(client.get(url(world, "/ratings")).get_data(as_text=True))
    table = page[page.index('id="ratings-table"'):page.index("</table>", page.index(
        'id="ratings-table"'))]
    crime_row = re.search(r"Participation in crime</th>(.*?)</tr>", table).group(1)
    assert crime_row.count("not known") == 6  # five months unrated and this month not known


def test_a_rating_from_an_earlier_month_stays_as_it_was_when_this_month_is_rated(
    app, client, auth, world
):
    earlier = month_back(app, 1)
    with app.app_context():
        db.session.add(DimensionRating(client_id=world.clients["shared"], month=earlier,
                                       radicalisation=1, extremist_activity=1, crime=1,
                                       marginalisation=1, mental_health=None,
                                       rated_at=datetime(2020, 1, 1)))
        db.session.commit()
    auth.login("w1")
    assert client.post(url(world, "/ratings"), data=RATING).status_code == 303
    response = client.post(url(world, "/ratings"), data=RATING | {"month": earlier})
    assert response.status_code == 400
    assert "kept as history" in response.get_data(as_text=True)
    rows = fetch(app, select(DimensionRating.month, DimensionRating.radicalisation,
                             DimensionRating.mental_health, DimensionRating.rated_at)
                 .order_by(DimensionRating.month))
    assert rows == [(earlier, 1, None, datetime(2020, 1, 1)),
                    (this_month(app), 3, 5, rows[1][3])]


@pytest.mark.parametrize("change", [
    {"crime": "0"}, {"crime": "6"}, {"crime": "-1"}, {"crime": "3.5"}, {"crime": ""},
    {"month": "2999-01"}, {"month": "2026-13"}, {"month": "last"},
])
def test_a_bad_rating_gets_a_message_and_nothing_is_saved(app, client, auth, world, change):
    auth.login("w1")
    response = client.post(url(world, "/ratings"), data=RATING | change)
    assert response.status_code == 400
    field = next(iter(change))
    body = response.get_data(as_text=True)
    assert re.search(rf'<p class="error"( role="alert")? id="{field}-error">.+</p>', body)
    assert fetch(app, select(DimensionRating)) == []


def test_the_future_month_is_refused_in_words(app, client, auth, world):
    auth.login("w1")
    future = month_back(app, -1)
    response = client.post(url(world, "/ratings"), data=RATING | {"month": future})
    assert response.status_code == 400
    assert "future" in response.get_data(as_text=True)


def test_every_scale_point_has_an_anchor_with_its_source_shown_on_the_form(
    app, client, auth, world
):
    with app.app_context():
        scales = content.current().dimension_scales
    assert set(scales) == set(DIMENSIONS)
    for scale in scales.values():
        assert sorted(scale.anchors) == [1, 2, 3, 4, 5] and "Bjørgo" in scale.source
    auth.login("w1")
    page = html.unescape(client.get(url(world, "/ratings")).get_data(as_text=True))
    assert scales["marginalisation"].anchors[1] in page
    assert scales["marginalisation"].anchors[5] in page
    assert page.count("Not known") >= 5 and "less concern is better" in page


# The chart


def test_the_chart_points_follow_a_known_series_with_a_gap_for_not_known():
    segments = chart_points([2, 3, None, 4, 4, 5])
    # x: 8 + 32.8 per month; y: 8 + 11 per step down from 5 (least concern at the top)
    assert segments == [[(8.0, 41.0), (40.8, 30.0)],
                        [(106.4, 19.0), (139.2, 19.0), (172.0, 8.0)]]
    svg = str(dimension_chart([2, 3, None, 4, 4, 5], "Crime"))
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 5
    assert 'points="8,41 40.8,30"' in svg and 'points="106.4,19 139.2,19 172,8"' in svg


def test_a_single_known_month_is_a_dot_and_an_empty_series_draws_nothing():
    assert chart_points([None, None, 3, None, None, None]) == [[(73.6, 30.0)]]
    svg = str(dimension_chart([None] * 6, "<b>x</b>"))
    assert "<polyline" not in svg and "<circle" not in svg and "<b>" not in svg


# Who may do what


@pytest.mark.parametrize(("username", "status"), [
    ("w1", 200), ("w2", 200), ("lead", 200), ("w3", 404), ("b1", 404), ("lead_b", 404),
    ("admin", 403)])
def test_the_agreed_goals_pdf_is_for_the_clients_workers_and_lead(
    client, auth, world, username, status
):
    auth.login(username)
    assert client.get(url(world, "/goals.pdf")).status_code == status


@pytest.mark.parametrize("username", ["lead", "w3", "admin"])
def test_only_assigned_workers_add_reach_rate_or_review(app, client, auth, world, username):
    with app.app_context():
        milestone = Milestone(client_id=world.clients["shared"], title="Existing", area="work_"
                              "education")
        db.session.add(milestone)
        db.session.commit()
        milestone_id = milestone.id
    auth.login(username)
    for tail, data in (("/milestones", GOAL), (f"/milestones/{milestone_id}", {
            "status": "reached"}), ("/ratings", RATING), ("/review", {})):
        assert client.post(url(world, tail), data=data).status_code in (403, 404), tail
    assert fetch(app, select(Milestone.status)) == [("open",)]
    assert fetch(app, select(DimensionRating)) == [] and fetch(app, select(Review)) == []


# "Our agreed goals"


def test_the_agreed_goals_pdf_holds_the_goals_and_nothing_beyond_the_pseudonym(
    app, client, auth, world
):
    meeting_marks = ["hostility", "family_contact"]
    with app.app_context():
        meeting = records.meeting(world.clients["shared"], [world.users["w1"]],
                                  team_today() - timedelta(days=2))
        records.capture(meeting, world.users["w1"], meeting_marks, ratings=(4, 3, 4),
                        next_step="CANARY-STEP-ab12")
        db.session.add(DimensionRating(client_id=world.clients["shared"], month=this_month(app),
                                       radicalisation=2, extremist_activity=2, crime=2,
                                       marginalisation=2, mental_health=2))
        db.session.commit()
    auth.login("w1")
    for title, area, target in (("Call his sister", "family", "2099-01"),
                                ("Start the welding course", "work_education", "2099-03"),
                                ("Stop seeing old friends", "other", "2099-02")):
        client.post(url(world, "/milestones"), data=GOAL | {"title": title, "area": area,
                                                           "target_month": target})
    ids = dict(fetch(app, select(Milestone.title, Milestone.id)))
    client.post(url(world, f"/milestones/{ids['Start the welding course']}"),
                data={"status": "reached"})
    client.post(url(world, f"/milestones/{ids['Stop seeing old friends']}"),
                data={"status": "dropped"})
    response = client.get(url(world, "/goals.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Our agreed goals" in text and "A-1" in text
    assert "Call his sister" in text and "January 2099" in text and "Family" in text
    assert "Start the welding course" in text and "Work or education" in text
    assert "Stop seeing old friends" not in text  # dropped goals are left out
    assert "look at these goals together again by" in text
    assert "Who reads your record" in text
    assert "CANARY-STEP-ab12" not in text and "first_meetings" not in text
    for word in ("Hostility", "Family contact", "Radicalisation", "phase", "Bond", "w1", "w2"):
        assert word not in text, word
    assert not re.search(r"\b[1-5]\s*/\s*5\b", text)
    assert "goals.printed" in [a for (a,) in fetch(app, select(AuditEntry.action))]


def test_every_milestone_area_has_a_label():
    assert list(MILESTONE_AREAS) == ["family", "housing", "work_education", "health",
                                     "faith_community", "other"]


# The monthly report reads "not known" as missing


def test_the_monthly_report_shows_not_known_and_no_change_words_for_it(
    app, client, auth, world
):
    with app.test_request_context():
        first = local_now().date().replace(day=1)
    month, before = progress.month_key(first), progress.month_key(progress.add_months(first, -1))
    with app.app_context():
        records.meeting(world.clients["shared"], [world.users["w1"]], first)
        db.session.add_all([
            DimensionRating(client_id=world.clients["shared"], month=before, radicalisation=2,
                            extremist_activity=None, crime=3, marginalisation=2,
                            mental_health=2),
            DimensionRating(client_id=world.clients["shared"], month=month, radicalisation=4,
                            extremist_activity=3, crime=None, marginalisation=2,
                            mental_health=2),
        ])
        db.session.commit()
    auth.login("lead")
    with app.app_context():
        team_id = db.session.get(Client, world.clients["shared"]).team_id
    response = client.get(f"/reports/{team_id}/{month}.pdf")
    assert response.status_code == 200
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Radicalisation 4 (less concern, +2)" in text  # in words (issue 12, defect 7)
    assert "Participation in crime not known" in text
    assert "Engagement in extremist activity 3 ·" in text  # no change against a not known
