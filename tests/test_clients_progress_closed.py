"""A closed case is read-only for progress as it is for capture: milestones, ratings, the
review interval and reviews are refused with a clear 409, and their forms are not shown."""

from sqlalchemy import func, select

from companion.extensions import db
from companion.models import Client, DimensionRating, Milestone, Review, utcnow

GOAL = {"title": "Call his sister", "area": "family", "target_month": "2099-01", "agreed": "y"}
RATING = {"radicalisation": "3", "extremist_activity": "4", "crime": "unknown",
          "marginalisation": "2", "mental_health": "5"}
FORMS = ('id="add-milestone"', 'id="rate-panel"', 'id="review-interval"', "Mark reached")


def _section(client, base, section):
    """The client page with one section open (only the open one is written into the page)."""
    return client.get(f"{base}/{section}").get_data(as_text=True)


def _progress(client, base):
    """Where the progress forms live: the milestones and the ratings sections."""
    return _section(client, base, "milestones") + _section(client, base, "ratings")


def _close(app, world, closed=True):
    with app.app_context():
        client = db.session.get(Client, world.clients["shared"])
        client.closed_at, client.closed_reason = (utcnow(), "completed") if closed else (None,
                                                                                          None)
        db.session.commit()


def _counts(app):
    with app.app_context():
        return [db.session.scalar(select(func.count()).select_from(model))
                for model in (Milestone, DimensionRating, Review)], db.session.scalar(
            select(Milestone.status))


def test_progress_on_a_closed_case_is_refused_with_a_409_and_its_forms_are_hidden(
        app, client, sign_in, world):
    base = f"/clients/{world.clients['shared']}"
    sign_in("w1")
    assert client.post(f"{base}/milestones", data=GOAL).status_code == 303
    assert 'id="add-milestone"' in _section(client, base, "milestones")
    with app.app_context():
        milestone = db.session.scalar(select(Milestone.id))
    _close(app, world)
    before = _counts(app)
    for tail, data in (("/milestones", GOAL), (f"/milestones/{milestone}", {"status": "reached"}),
                       ("/ratings", RATING), ("/review-interval", {"months": "6"}),
                       ("/review", {})):
        answer = client.post(base + tail, data=data)
        assert answer.status_code == 409, tail
        assert "The case of A-1 is closed, so its milestones, ratings and reviews cannot be " \
            "changed. Reopen it to change them." in answer.get_data(as_text=True), tail
    assert _counts(app) == before == ([1, 0, 0], "open")
    with app.app_context():
        assert db.session.get(Client, world.clients["shared"]).review_every_months is None
    page = _section(client, base, "milestones")
    assert page.count('id="milestone-') == 1 and "Call his sister" in page  # still readable
    assert not [form for form in FORMS if form in _progress(client, base)]
    _close(app, world, closed=False)  # reopened: progress can change again
    assert all(form in _progress(client, base) for form in FORMS)
    assert client.post(f"{base}/milestones/{milestone}", data={"status": "reached"}
                       ).status_code == 303


def test_the_phase_of_a_closed_case_cannot_change_by_hand_and_its_form_is_hidden(
        app, client, sign_in, world):
    base = f"/clients/{world.clients['shared']}"
    sign_in("w1")
    assert 'id="change-phase"' in _section(client, base, "phase")
    with app.app_context():
        before = db.session.get(Client, world.clients["shared"]).phase
    _close(app, world)
    to = "change_work" if before != "change_work" else "first_meetings"
    answer = client.post(f"{base}/phase", data={"to_phase": to, "reason": "Doing well"})
    assert answer.status_code == 409
    assert "The case of A-1 is closed, so its phase cannot change." in answer.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.get(Client, world.clients["shared"]).phase == before
    assert 'id="change-phase"' not in _section(client, base, "phase")
