"""What is kept when progress changes: every save of a month's rating as its own record, each
milestone change (undo included) with its date and who, and the review interval per client."""

import html
import io
import re
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select, text

from companion.clients import progress
from companion.extensions import db
from companion.i18n import when
from companion.models import (
    AuditEntry,
    Client,
    DimensionRating,
    DimensionRatingEdit,
    Milestone,
    MilestoneEvent,
    Review,
    User,
)
from tests.support import team_today
from tests.support.apps import make_app, scratch_postgres_database

GOAL = {"title": "Call his sister", "area": "family", "target_month": "2099-01", "agreed": "y"}
RATING = {"radicalisation": "3", "extremist_activity": "4", "crime": "unknown",
          "marginalisation": "2", "mental_health": "5"}
SCORES = {"radicalisation": 3, "extremist_activity": 4, "crime": None, "marginalisation": 2,
          "mental_health": 5}


def url(world, tail="", name="shared") -> str:
    return f"/clients/{world.clients[name]}{tail}"


def fetch(app, query):
    with app.app_context():
        return db.session.execute(query).all()


def page_of(client, world, name="shared", section=None) -> str:
    """The client page, or with one of its sections open (only the open one is written)."""
    tail = f"/{section}" if section else ""
    return html.unescape(client.get(url(world, tail, name=name)).get_data(as_text=True))


# Ratings: a later edit is a new record, the old one unchanged


def test_each_save_within_the_month_is_kept_and_the_page_shows_every_version(
    app, client, sign_in, world
):
    sign_in("w1")
    assert client.post(url(world, "/ratings"), data=RATING).status_code == 303
    first = fetch(app, select(DimensionRatingEdit))[0][0]
    assert client.post(url(world, "/ratings"), data=RATING | {"crime": "2"}).status_code == 303
    assert client.post(url(world, "/ratings"), data=RATING | {"crime": "2"}).status_code == 303
    edits = [e for (e,) in fetch(app, select(DimensionRatingEdit).order_by(
        DimensionRatingEdit.id))]
    assert len(edits) == 2  # the double tap kept nothing new
    assert (edits[0].id, edits[0].crime, edits[0].rated_at) == (first.id, None, first.rated_at)
    assert edits[1].crime == 2 and edits[1].rated_by_id == world.users["w1"]
    [(current,)] = fetch(app, select(DimensionRating))
    assert current.crime == 2 and {e.rating_id for e in edits} == {current.id}
    page = page_of(client, world, section="ratings")
    saves = page[page.index('id="rating-edits"'):page.index("</details>", page.index(
        'id="rating-edits"'))]
    assert "2 saves" in saves and saves.count("<tr") == 3  # head + two saves
    crime_cells = re.findall(r"<tr(?: class=\"current\")?><th scope=\"row\">.*?</tr>", saves,
                             re.S)
    assert ">2</td>" in crime_cells[0] and "not known" in crime_cells[1]
    assert 'id="rating-saved"' in page and "keeps this version in the history" in page


def test_a_later_month_is_a_new_record_and_the_earlier_month_stays_as_it_was(app, world):
    with app.test_request_context():
        shared = db.session.get(Client, world.clients["shared"])
        worker = db.session.get(User, world.users["w1"])
        october = progress.rate_month(shared, "2026-10", SCORES, worker, date(2026, 10, 20))
        progress.rate_month(shared, "2026-10", SCORES | {"crime": 1}, worker, date(2026, 10, 28))
        db.session.commit()
        kept = [(e.crime, e.rated_at) for e in db.session.scalars(
            select(DimensionRatingEdit).order_by(DimensionRatingEdit.id))]
        with pytest.raises(progress.ProgressError, match="kept as history"):
            progress.rate_month(shared, "2026-10", SCORES | {"crime": 5}, worker,
                                date(2026, 11, 2))
        db.session.rollback()
        november = progress.rate_month(shared, "2026-11", SCORES | {"crime": 4}, worker,
                                       date(2026, 11, 2))
        db.session.commit()
        assert november.id != october.id
        assert db.session.get(DimensionRating, october.id).crime == 1
        october_edits = db.session.scalars(select(DimensionRatingEdit).where(
            DimensionRatingEdit.rating_id == october.id).order_by(DimensionRatingEdit.id)).all()
        assert [(e.crime, e.rated_at) for e in october_edits] == kept == [
            (None, kept[0][1]), (1, kept[1][1])]


# Milestones: undo with its history


def test_a_dropped_milestone_is_opened_again_and_every_change_keeps_its_date_and_who(
    app, client, sign_in, world
):
    sign_in("w1")
    client.post(url(world, "/milestones"), data=GOAL)
    milestone_id = fetch(app, select(Milestone.id))[0][0]
    change = url(world, f"/milestones/{milestone_id}")
    assert client.post(change, data={"status": "dropped"}).status_code == 303
    page = page_of(client, world, section="milestones")
    assert 'aria-label="Open again: Call his sister"' in page
    sign_in("w2")
    assert client.post(change, data={"status": "open"}).status_code == 303
    assert client.post(change, data={"status": "reached"}).status_code == 303
    assert client.post(change, data={"status": "open"}).status_code == 303  # wrongly reached
    events = fetch(app, select(MilestoneEvent.status, MilestoneEvent.changed_by_id,
                               MilestoneEvent.changed_on).order_by(MilestoneEvent.id))
    w1, w2 = world.users["w1"], world.users["w2"]
    assert [(s, by) for s, by, _ in events] == [("open", w1), ("dropped", w1), ("open", w2),
                                                ("reached", w2), ("open", w2)]
    assert {on for *_, on in events} == {team_today()}
    assert fetch(app, select(Milestone.status, Milestone.reached_on)) == [("open", None)]
    history = page_of(client, world, section="milestones")
    history = history[history.index('class="milestone-history"'):]
    history = re.sub(r"<[^>]+>", "", history[:history.index("</ol>")])
    assert history.count("opened again (w2)") == 2 and "dropped (w1)" in history
    assert "set (w1)" in history and "reached (w2)" in history


def test_a_milestone_changed_in_a_later_month_keeps_the_earlier_change(app, world):
    with app.test_request_context():
        shared = db.session.get(Client, world.clients["shared"])
        worker = db.session.get(User, world.users["w1"])
        milestone = progress.add_milestone(shared, "Find a flat", "housing", "2026-12", True,
                                           worker, date(2026, 9, 3))
        progress.set_milestone_status(milestone, "reached", worker, date(2026, 10, 1))
        progress.set_milestone_status(milestone, "open", worker, date(2026, 11, 5))
        progress.set_milestone_status(milestone, "dropped", worker, date(2026, 12, 7))
        db.session.commit()
        assert [(e.status, e.changed_on) for e in milestone.events] == [
            ("open", date(2026, 9, 3)), ("reached", date(2026, 10, 1)),
            ("open", date(2026, 11, 5)), ("dropped", date(2026, 12, 7))]
        assert milestone.reached_on is None


def test_a_double_tap_on_reached_keeps_one_change_and_a_bad_status_is_refused(
    app, client, sign_in, world
):
    sign_in("w1")
    client.post(url(world, "/milestones"), data=GOAL)
    milestone_id = fetch(app, select(Milestone.id))[0][0]
    change = url(world, f"/milestones/{milestone_id}")
    assert client.post(change, data={"status": "reached"}).status_code == 303
    assert client.post(change, data={"status": "reached"}).status_code == 303
    response = client.post(change, data={"status": "dropped"})
    assert response.status_code == 409 and "open it again first" in response.get_data(
        as_text=True)
    for status in ("closed", ""):
        assert client.post(change, data={"status": status}).status_code == 400
    assert [s for (s,) in fetch(app, select(MilestoneEvent.status))] == ["open", "reached"]


# The review interval, per client


def test_the_review_interval_is_set_per_client_and_moves_the_due_date(
    app, client, sign_in, world
):
    with app.app_context():
        for name in ("shared", "w3_only"):
            db.session.add(Review(client_id=world.clients[name],
                                  held_on=team_today() - timedelta(days=40)))
        db.session.commit()
    sign_in("w1")
    page = page_of(client, world)
    assert 'id="review-due"' not in page and "every 3 months" in page
    assert client.post(url(world, "/review-interval"), data={"months": "1"}).status_code == 303
    page = page_of(client, world)
    due = page[page.index('id="review-due"'):]
    assert "every 1 month" in due[:due.index("</p>")]
    assert fetch(app, select(Client.review_every_months).order_by(Client.id)) == [
        (1,), (None,), (None,)]
    sign_in("w3")
    assert 'id="review-due"' not in page_of(client, world, "w3_only")
    assert "review.interval" in [a for (a,) in fetch(app, select(AuditEntry.action))]


@pytest.mark.parametrize("months", ["0", "13", "-1", "three", "", "1.5"])
def test_a_bad_review_interval_gets_a_message_next_to_the_field(
    app, client, sign_in, world, months
):
    sign_in("w1")
    response = client.post(url(world, "/review-interval"), data={"months": months})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert re.search(r'<p class="error" id="months-error">Choose 1 to 12 months.</p>', body)
    assert fetch(app, select(Client.review_every_months).where(
        Client.id == world.clients["shared"])) == [(None,)]


@pytest.mark.parametrize("username", ["lead", "w3", "admin"])
def test_only_assigned_workers_change_the_interval_or_undo_a_milestone(
    app, client, sign_in, world, username
):
    with app.app_context():
        milestone = Milestone(client_id=world.clients["shared"], title="Done", area="health",
                              status="reached")
        db.session.add(milestone)
        db.session.commit()
        milestone_id = milestone.id
    sign_in(username)
    assert client.post(url(world, "/review-interval"), data={"months": "1"}).status_code in (
        403, 404)
    assert client.post(url(world, f"/milestones/{milestone_id}"),
                       data={"status": "open"}).status_code in (403, 404)
    assert fetch(app, select(Client.review_every_months, Milestone.status).join(
        Milestone, Milestone.client_id == Client.id)) == [(None, "reached")]


def test_a_second_review_tap_the_same_day_keeps_one_review(app, client, sign_in, world):
    sign_in("w1")
    for _ in range(2):
        assert client.post(url(world, "/review"), data={}).status_code == 303
    assert len(fetch(app, select(Review))) == 1


def test_the_german_page_words_the_history_and_the_interval(app, client, sign_in, world):
    with app.app_context():
        db.session.get(User, world.users["w1"]).language = "de"
        db.session.commit()
    sign_in("w1")
    client.post(url(world, "/ratings"), data=RATING)
    client.post(url(world, "/ratings"), data=RATING | {"crime": "2"})
    assert "2 Speicherungen" in page_of(client, world, section="ratings")
    assert "alle 3 Monate" in page_of(client, world, section="milestones")
    response = client.post(url(world, "/review-interval"), data={"months": "13"})
    assert "Wählen Sie 1 bis 12 Monate." in response.get_data(as_text=True)


# The migration keeps the ratings made before it as their first save


@pytest.fixture
def empty_database(engine_name, tmp_path):
    if engine_name == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    else:
        with scratch_postgres_database() as url:
            yield url


def test_the_migration_keeps_each_earlier_rating_as_its_first_save(empty_database, tmp_path):
    app = make_app(empty_database, tmp_path)
    cli = app.test_cli_runner()
    assert cli.invoke(args=["db", "upgrade", "0020"]).exit_code == 0
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO teams (id, name, created_at) VALUES (1, 'T', '2026-01-01 10:00:00')"))
            connection.execute(text(
                "INSERT INTO clients (id, team_id, code, phase, created_at, version, closed_note)"
                " VALUES (1, 1, 'A-1', 'change_work', '2026-01-01 10:00:00', 1, '')"))
            connection.execute(text(
                "INSERT INTO dimension_ratings (client_id, month, radicalisation, crime, "
                "rated_at) VALUES (1, '2026-10', 2, NULL, '2026-10-20 09:00:00')"))
        db.engine.dispose()
    result = cli.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT e.radicalisation, e.crime, e.rated_at, r.id = e.rating_id "
                "FROM dimension_rating_edits e, dimension_ratings r")).all()
            interval = connection.execute(text("SELECT review_every_months FROM clients")).all()
        db.engine.dispose()
    assert [(a, b, str(c)[:16], bool(d)) for a, b, c, d in rows] == [
        (2, None, "2026-10-20 09:00", True)]
    assert interval == [(None,)]


# "Our agreed goals" stays one page, in the worker's language


def _goals_text(client, world) -> tuple[int, str]:
    response = client.get(url(world, "/goals.pdf"))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    return len(reader.pages), " ".join(reader.pages[0].extract_text().split())


def test_twenty_long_goals_still_make_one_page_and_say_how_many_are_left_out(
    app, client, sign_in, world
):
    with app.app_context():
        for number in range(20):
            title = f"Goal {number:02d} " + "x" * 112
            db.session.add(Milestone(
                client_id=world.clients["shared"], title=title, area="housing", agreed=True,
                target_month=f"{2099 + number // 12}-{number % 12 + 1:02d}",
                status="reached" if number >= 13 else "open",
                reached_on=date(2026, 1, 1) + timedelta(days=number) if number >= 13 else None))
        db.session.commit()
    sign_in("w1")
    pages, words = _goals_text(client, world)
    assert pages == 1
    shown = re.findall(r"Goal (\d\d) x", words)
    left_out = int(re.search(r"(\d+) more goals are in the record", words).group(1))
    assert len(shown) + left_out == 20 and len(shown) >= 6
    assert shown[:3] == ["00", "01", "02"]  # the open ones first, by target month
    assert "look at these goals together again by" in words and "Who reads your record" in words


def test_the_agreed_goals_show_target_months_for_reached_goals_and_speak_german(
    app, client, sign_in, world
):
    with app.app_context():
        db.session.get(User, world.users["w1"]).language = "de"
        db.session.add(Milestone(client_id=world.clients["shared"], title="Wohnung finden",
                                 area="housing", agreed=True, target_month="2099-03",
                                 status="reached", reached_on=date(2026, 11, 4)))
        db.session.commit()
    sign_in("w1")
    pages, words = _goals_text(client, world)
    assert pages == 1 and "Wohnung finden" in words
    assert "März 2099" in words and "November 2026" in words
    assert "March" not in words and "Our agreed goals" not in words


@pytest.mark.parametrize(("months", "held_days_ago"), [(3, 100), (2, 10)])
def test_the_printed_review_date_is_never_in_the_past(
    app, client, sign_in, world, months, held_days_ago
):
    today = team_today()
    held = today - timedelta(days=held_days_ago)
    with app.app_context():
        db.session.get(Client, world.clients["shared"]).review_every_months = months
        db.session.add(Review(client_id=world.clients["shared"], held_on=held))
        db.session.commit()
    due = progress.add_months(held, months) <= today
    expected = progress.add_months(today if due else held, months)
    sign_in("w1")
    _, words = _goals_text(client, world)
    with app.test_request_context():
        assert f"together again by {when(expected)}." in words


def test_a_simultaneous_first_save_of_the_month_keeps_one_row(
    app, world, monkeypatch
):
    """The other tap of a double tap commits the month's row between our look and our insert:
    ours becomes a save of that row (kept as an edit), not a second row or a server error."""
    with app.test_request_context():
        month = progress.month_key(team_today())
        shared = db.session.get(Client, world.clients["shared"])
        worker = db.session.get(User, world.users["w1"])
        with db.engine.begin() as other_tap:
            other_tap.execute(DimensionRating.__table__.insert().values(
                client_id=shared.id, month=month, crime=3, rated_at=datetime(2026, 1, 1)))
        looked = []
        scalar = db.session.scalar

        def misses_the_first_look(query):
            looked.append(query)
            return None if len(looked) == 1 else scalar(query)

        monkeypatch.setattr(db.session, "scalar", misses_the_first_look)
        rating = progress.rate_month(shared, month, SCORES, worker, team_today())
        db.session.commit()
        monkeypatch.undo()
        assert db.session.scalars(select(DimensionRating.id)).all() == [rating.id]
        assert rating.crime is None and rating.radicalisation == 3
        assert len(db.session.scalars(select(DimensionRatingEdit)).all()) == 1
