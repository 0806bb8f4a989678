"""What a worker's home says about shared meetings: waiting, reminders, compare entries."""

from datetime import timedelta

from companion.debriefs import home
from companion.extensions import db
from companion.models import Debrief, User, utcnow
from tests.support.records import add_capture


def _home(world, username):
    return home.home_debriefs(db.session.get(User, world.users[username]))


def test_a_partners_saved_capture_makes_the_debrief_wait_for_the_other(app, world):
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w1"])
        waiting = _home(world, "w2").waiting
        assert [(item.meeting.id, item.partner.username) for item in waiting] == [
            (world.meetings["shared"], "w1")
        ]
        assert waiting[0].days_ago in (1, 2)  # the team's clock may be a day ahead
        assert not waiting[0].overdue
        assert _home(world, "w1").waiting == []
        assert _home(world, "w1").partner_late == []


def test_after_24_hours_the_missing_worker_is_reminded_and_the_other_gets_a_soft_note(
    app, world
):
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w1"],
                    recorded_at=utcnow() - timedelta(hours=25))
        assert _home(world, "w2").waiting[0].overdue
        late = _home(world, "w1").partner_late
        assert [(item.meeting.id, item.partner.username) for item in late] == [
            (world.meetings["shared"], "w2")
        ]


def test_once_both_are_in_both_get_a_compare_entry_until_it_is_closed(app, world):
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w1"])
        add_capture(world.meetings["shared"], world.users["w2"])
        for username in ("w1", "w2"):
            home = _home(world, username)
            assert (home.waiting, home.partner_late) == ([], [])
            assert [item.meeting.id for item in home.compare] == [world.meetings["shared"]]
        db.session.add(Debrief(meeting_id=world.meetings["shared"], closed_at=utcnow(),
                               closed_by_id=world.users["w1"]))
        db.session.commit()
        assert _home(world, "w2").compare == []


def test_a_worker_not_in_the_meeting_hears_nothing_about_it(app, world):
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w1"])
        home = _home(world, "w3")
        assert (home.waiting, home.partner_late, home.compare) == ([], [], [])


def test_leads_and_admins_get_no_debrief_lines(app, world):
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w1"])
        for username in ("lead", "admin"):
            home = _home(world, username)
            assert (home.waiting, home.compare) == ([], [])
        assert len(_home(world, "lead").pairs) == 1
        assert _home(world, "lead_b").pairs == []
