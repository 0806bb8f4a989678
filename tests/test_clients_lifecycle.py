"""Hand-over and closing a case: access changes at the instant, the summary, races, bad input."""

import re
import threading
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from companion.clients import handover, lifecycle
from companion.extensions import db
from companion.models import Assignment, AuditEntry, Capture, Client, Handover, Milestone, User
from tests.support import records, team_today
from tests.support.forms import capture_form
from tests.support.sections import section_page

VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')



def _version(client, world, name="shared"):
    """The version the hand-over and close forms carry (section "Workers and case")."""
    return VERSION.search(section_page(client, world.clients[name], "workers")).group(1)



def _assigned(app, world, client_name="shared"):
    with app.app_context():
        return set(db.session.scalars(select(User.username).join(
            Assignment, Assignment.user_id == User.id).where(
            Assignment.client_id == world.clients[client_name])))


def _hand_over(client, world, version, from_name, to_name, name="shared"):
    return client.post(f"/clients/{world.clients[name]}/hand-over", data={
        "version": version,
        "from_worker": str(world.users[from_name]) if from_name else "0",
        "to_worker": str(world.users[to_name]) if to_name else "0"})


def _build_history(world):
    """Two captures by w1 with markers, an older one, a milestone, a phase change, a warning."""
    shared = world.clients["shared"]
    today = team_today()
    for days, marks, step in ((30, ["relaxed"], "Old plan"), (20, ["open_posture"], None),
                              (10, ["change_talk_up"], "Call the probation officer"),
                              (3, ["hostility"], None)):
        meeting = records.meeting(shared, [world.users["w1"]], today - timedelta(days=days))
        records.capture(meeting, world.users["w1"], marks, next_step=step)
    db.session.add(Milestone(client_id=shared, title="Finds a flat", status="open"))
    db.session.add(Milestone(client_id=shared, title="Done already", status="reached"))
    db.session.commit()


def test_hand_over_moves_access_at_that_instant_and_the_new_worker_sees_the_summary(
        app, client, world, sign_in):
    with app.app_context():
        _build_history(world)
    sign_in("w1")
    assert client.get(f"/clients/{world.clients['shared']}").status_code == 200
    sign_in("lead")
    answer = _hand_over(client, world, _version(client, world), "w1", "w3")
    assert answer.status_code == 303
    assert _assigned(app, world) == {"w2", "w3"}

    sign_in("w1")  # the old session, the old assignment: refused with a clear message
    page = client.get(f"/clients/{world.clients['shared']}")
    assert page.status_code == 410
    assert "handed over to another worker" in page.get_data(as_text=True)
    fragment = client.get(f"/clients/{world.clients['shared']}/card/middle",
                          headers={"HX-Request": "true"})
    assert fragment.status_code == 410 and "<html" not in fragment.get_data(as_text=True)
    assert fragment.headers["HX-Retarget"] == "#main"
    queued = client.post(f"/clients/{world.clients['shared']}/capture",
                         data=capture_form(world, "queued-offline-key-1"),
                         headers={"HX-Request": "true"})
    assert queued.status_code == 410  # the outbox shows it as "handed over or closed"

    sign_in("w3")
    first = client.get(f"/clients/{world.clients['shared']}").get_data(as_text=True)
    assert 'id="handover-summary"' in first
    summary = first[first.index('id="handover-summary"'):first.index("</section>",
                                                                      first.index("handover"))]
    assert "Finds a flat" in summary and "Done already" not in summary
    assert "Call the probation officer" in summary
    assert "Old plan" not in summary
    assert summary.count("w1:") == 3  # the last three captures, each with its markers
    assert "⚠" in summary  # the hostility sign of the latest meeting is live
    again = client.get(f"/clients/{world.clients['shared']}").get_data(as_text=True)
    assert 'id="handover-summary"' not in again  # shown on first opening only
    with app.app_context():
        trail = db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action == "client.handed_over")).all()
        assert trail == [f"client:{world.clients['shared']} from:{world.users['w1']} "
                         f"to:{world.users['w3']} handover:1"]
        assert db.session.scalar(select(func.count()).select_from(Capture).where(
            Capture.idempotency_key == "queued-offline-key-1")) == 0


def test_summary_lists_phase_history_and_is_kept_with_the_hand_over(app, world):
    with app.app_context():
        _build_history(world)
        shared = db.session.get(Client, world.clients["shared"])
        data = handover.summary(shared)
        assert data["phase"].startswith("First meetings")
        assert [c["on"] for c in data["captures"]] == sorted(
            (c["on"] for c in data["captures"]), reverse=True)
        assert len(data["captures"]) == 3 and data["milestones"] == ["Finds a flat"]
        assert data["next_step"]["text"] == "Call the probation officer"
        assert any("Hostility" in w or "hostil" in w.lower() for w in data["warnings"])


def test_adding_and_removing_a_co_worker(app, client, world, sign_in):
    sign_in("lead")
    assert _hand_over(client, world, _version(client, world), None, "w3").status_code == 303
    assert _assigned(app, world) == {"w1", "w2", "w3"}
    assert _hand_over(client, world, _version(client, world), "w1", None).status_code == 303
    assert _assigned(app, world) == {"w2", "w3"}
    with app.app_context():
        roles = dict(db.session.execute(select(User.username, Assignment.role).join(
            Assignment, Assignment.user_id == User.id)
            .where(Assignment.client_id == world.clients["shared"])).all())
    assert "lead_worker" in roles.values()  # the lead worker's place passed on


@pytest.mark.parametrize("from_name, to_name, problem", [
    (None, None, "Choose"),
    ("w3", "b1", "Choose from the lists"),   # not assigned; another team's worker
    ("w1", "w2", "Choose from the lists"),   # already works with the client
    ("w1", "lead", "Choose from the lists"),  # not a worker
])
def test_bad_hand_overs_are_refused_and_change_nothing(app, client, world, sign_in,
                                                       from_name, to_name, problem):
    sign_in("lead")
    answer = _hand_over(client, world, _version(client, world), from_name, to_name)
    assert answer.status_code in (400, 409)
    assert problem in answer.get_data(as_text=True)
    assert _assigned(app, world) == {"w1", "w2"}


def test_workers_and_other_teams_cannot_hand_over(client, world, sign_in):
    sign_in("w1")
    assert _hand_over(client, world, "1", "w2", "w3").status_code == 403
    sign_in("lead_b")
    assert _hand_over(client, world, "1", "w2", "w3").status_code == 404


def test_a_hand_over_from_an_older_page_is_refused(app, client, world, sign_in):
    sign_in("lead")
    seen = _version(client, world)
    assert _hand_over(client, world, seen, "w1", "w3").status_code == 303
    late = _hand_over(client, world, seen, "w2", "w3")  # the second lead saw the same page
    assert late.status_code == 409 and "changed this client" in late.get_data(as_text=True)
    assert _assigned(app, world) == {"w2", "w3"}


def test_two_leads_handing_over_at_once_one_wins_and_the_record_is_consistent(app, world):
    """Two threads, two sessions, the same seen version: exactly one hand-over is stored."""
    results = []
    barrier = threading.Barrier(2)

    def lead_hands_to(worker):
        with app.test_request_context():
            lead = db.session.get(User, world.users["lead"])
            target = db.session.get(User, world.users[worker])
            shared = db.session.get(Client, world.clients["shared"])
            w1 = db.session.get(User, world.users["w1"])
            barrier.wait()
            try:
                handover.hand_over(shared, 1, lead, w1, target)
                db.session.commit()
                results.append("ok")
            except lifecycle.ClientStateError:
                db.session.rollback()
                results.append("refused")
            finally:
                db.session.remove()

    with app.app_context():
        db.session.add(User(username="w4", password_hash="x", role="worker",
                            team_id=world.team))
        db.session.commit()
        world.users["w4"] = db.session.scalar(select(User.id).where(User.username == "w4"))
    threads = [threading.Thread(target=lead_hands_to, args=(w,)) for w in ("w3", "w4")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["ok", "refused"]
    assigned = _assigned(app, world)
    assert "w1" not in assigned and len(assigned & {"w3", "w4"}) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Handover)) == 1


def test_close_and_reopen_round_trip(app, client, world, sign_in):
    sign_in("w1")
    version = _version(client, world)
    closed = client.post(f"/clients/{world.clients['shared']}/close",
                         data={"version": version, "reason": "completed", "note": ""})
    assert closed.status_code == 303
    home = client.get("/").get_data(as_text=True)
    assert "A-1" not in home
    assert client.get(f"/clients/{world.clients['shared']}/capture").status_code == 410
    late = client.post(f"/clients/{world.clients['shared']}/capture",
                       data=capture_form(world, "after-close-key"))
    assert late.status_code == 410 and "closed" in late.get_data(as_text=True)
    sign_in("lead")
    lead_home = client.get("/").get_data(as_text=True)
    assert 'id="closed-cases"' in lead_home and "Completed" in lead_home
    page = section_page(client, world.clients["shared"], "workers")
    assert "Case closed on" in page
    reopened = client.post(f"/clients/{world.clients['shared']}/reopen",
                           data={"version": VERSION.search(page).group(1)})
    assert reopened.status_code == 303
    sign_in("w1")
    assert "A-1" in client.get("/").get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.in_(["client.closed", "client.reopened"]))).all()
        assert actions == ["client.closed", "client.reopened"]


@pytest.mark.parametrize("form, problem", [
    ({"reason": "bored"}, "Choose why"),
    ({"reason": "other", "note": ""}, "Say in a few words"),
    ({"reason": "completed", "note": "x" * 201}, "Choose why"),
    ({"reason": "completed", "version": "abc"}, "Choose why"),
])
def test_bad_closes_are_refused_and_leave_the_case_open(app, client, world, sign_in, form,
                                                        problem):
    sign_in("lead")
    data = {"version": _version(client, world)} | form
    answer = client.post(f"/clients/{world.clients['shared']}/close", data=data)
    assert answer.status_code in (400, 409) and problem in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Client, world.clients["shared"]).closed_at is None


def test_a_capture_saved_while_the_case_closes_is_either_in_before_or_refused(app, world):
    """Close and capture race on one client: never a capture after the close."""
    from companion.capture import operations
    from companion.capture.validation import CaptureData
    from companion.clock import team_zone

    outcome = {}
    barrier = threading.Barrier(2)

    def capture():
        with app.test_request_context():
            author = db.session.get(User, world.users["w1"])
            shared = db.session.get(Client, world.clients["shared"])
            data = CaptureData(idempotency_key="race-key", attendance="held",
                               held_on=team_today(), starts_at=time(10), length_minutes=60,
                               marks=("relaxed",))
            barrier.wait()
            try:
                operations.save_capture(author, shared, data, team_zone())
                outcome["capture"] = "saved"
            except lifecycle.CaseUnavailable:
                outcome["capture"] = "refused"
            finally:
                db.session.remove()

    def close():
        with app.test_request_context():
            lead = db.session.get(User, world.users["lead"])
            shared = db.session.get(Client, world.clients["shared"])
            barrier.wait()
            lifecycle.close(shared, 1, "completed", "", lead)
            db.session.commit()
            outcome["closed_at"] = shared.closed_at
            db.session.remove()

    threads = [threading.Thread(target=capture), threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with app.app_context():
        stored = db.session.scalar(select(Capture).where(Capture.idempotency_key == "race-key"))
        assert (stored is not None) == (outcome["capture"] == "saved")
        if stored is not None:
            assert stored.recorded_at <= outcome["closed_at"]


def _figures(team_id, month):
    from companion import content
    from companion.models import Team
    from companion.reports.figures import monthly_figures
    from companion.reports.queries import report_data

    return monthly_figures(report_data(db.session.get(Team, team_id), month),
                           content.current().vocabulary)


def test_a_closed_case_counts_in_the_report_of_the_month_it_closed_and_reopening_undoes_it(
        app, world):
    import io

    from pypdf import PdfReader

    from companion.reports.months import previous_month
    from companion.reports.render import monthly_report_pdf

    with app.test_request_context():
        lead = db.session.get(User, world.users["lead"])
        shared = db.session.get(Client, world.clients["shared"])
        this_month = team_today().replace(day=1)
        lifecycle.close(shared, 1, "transferred", "", lead)
        db.session.commit()
        head = _figures(world.team, this_month).headline
        assert head.cases_closed == {"transferred": 1}
        assert _figures(world.team, previous_month(this_month)).headline.cases_closed == {}
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(monthly_report_pdf(
            db.session.get(type(lead.team), world.team), this_month))).pages)
        assert "Cases closed" in text and "Transferred to another agency" in text
        lifecycle.reopen(shared, 2)
        db.session.commit()
        assert _figures(world.team, this_month).headline.cases_closed == {}


def test_purge_works_on_closed_cases_as_on_open_ones(app, world):
    from companion.retention import purge

    with app.test_request_context():
        old = team_today() - timedelta(days=800)
        meeting = records.meeting(world.clients["shared"], [world.users["w1"]], old)
        records.capture(meeting, world.users["w1"], ["relaxed"])
        lead = db.session.get(User, world.users["lead"])
        lifecycle.close(db.session.get(Client, world.clients["shared"]), 1, "completed", "", lead)
        db.session.commit()
        assert purge()["captures"] == 1
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Capture)) == 0
        assert db.session.get(Client, world.clients["shared"]).closed_reason == "completed"
