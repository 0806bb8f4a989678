"""The comparison page, the agreed next step, closing, edits after opening, the pair page."""

from datetime import datetime

import pytest
from sqlalchemy import select

from companion.clock import local_now, to_local
from companion.extensions import db
from companion.models import Debrief
from tests.support.records import SECRET_NOTE, add_capture, add_meeting, captured_month

HX = {"HX-Request": "true"}


@pytest.fixture
def both_in(app, world):
    """w1 and w2 both captured the shared meeting, seeing different things."""
    with app.app_context():
        meeting = world.meetings["shared"]
        add_capture(meeting, world.users["w1"], marks=("relaxed", "change_talk_up", "distrust"),
                    goals=5, tasks=3, bond=4, length=75, note=SECRET_NOTE)
        add_capture(meeting, world.users["w2"], marks=("relaxed", "hostility"),
                    goals=2, tasks=3, bond=4, length=60, attendance="cut_short")
    return meeting


def _debrief(app, meeting_id):
    with app.app_context():
        return db.session.scalar(select(Debrief).where(Debrief.meeting_id == meeting_id))


def test_a_worker_sees_what_both_saw_what_only_they_saw_and_what_only_the_partner_saw(
    client, auth, both_in
):
    auth.sign_in("w1")
    page = client.get(f"/meetings/{both_in}/debrief").get_data(as_text=True)
    both, rest = page.split("Only you saw", 1)
    mine, theirs = rest.split("Only w2 saw", 1)
    assert "Relaxed, enjoys talking" in both
    assert "More change talk" in mine and "Distrust or paranoia" in mine
    assert "Hostility or fury" in theirs
    assert "You ticked “More change talk” and your partner did not." in mine
    assert "Your partner noted “Hostility or fury” and you did not." in theirs


def test_the_partner_sees_the_same_comparison_from_their_side(client, auth, both_in):
    auth.sign_in("w2")
    page = client.get(f"/meetings/{both_in}/debrief").get_data(as_text=True)
    mine, theirs = page.split("Only you saw", 1)[1].split("Only w1 saw", 1)
    assert "Hostility or fury" in mine
    assert "More change talk" in theirs


def test_ratings_two_apart_are_marked_in_words_not_only_colour(client, auth, both_in):
    auth.sign_in("w1")
    page = client.get(f"/meetings/{both_in}/debrief").get_data(as_text=True)
    assert '<tr class="differs">' in page
    assert "3 apart" in page
    assert "You rated goals 5, your partner 2." in page
    assert page.count('class="card differs"') == 2  # attendance and length


def test_attendance_and_length_disagreements_are_shown_with_a_prompt(client, auth, both_in):
    auth.sign_in("w1")
    page = client.get(f"/meetings/{both_in}/debrief").get_data(as_text=True)
    assert "Attendance differs" in page and "w2: Cut short" in page
    assert "Length differs" in page and "You: 75 min · w2: 60 min" in page
    assert "You recorded 75 minutes, your partner 60." in page
    assert "6 things to talk about" in page  # 3 markers, goals, attendance, length


def test_the_comparison_shows_the_partners_note_once_both_saved_but_not_to_the_lead(
    client, auth, both_in
):
    auth.sign_in("w2")
    assert SECRET_NOTE in client.get(f"/meetings/{both_in}/debrief").get_data(as_text=True)
    auth.sign_in("lead")
    page = client.get(f"/meetings/{both_in}/debrief").get_data(as_text=True)
    assert SECRET_NOTE not in page and "A note was written" in page


def test_opening_the_comparison_creates_the_debrief_once(app, client, auth, both_in):
    assert _debrief(app, both_in) is None
    auth.sign_in("w1")
    client.get(f"/meetings/{both_in}/debrief")
    first = _debrief(app, both_in)
    assert first is not None and first.opened_at is not None
    client.get(f"/meetings/{both_in}/debrief")
    with app.app_context():
        assert len(db.session.scalars(select(Debrief)).all()) == 1


def test_a_lead_reads_the_comparison_without_opening_it_or_getting_prompts(
    app, client, auth, both_in
):
    auth.sign_in("lead")
    response = client.get(f"/meetings/{both_in}/debrief")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Only w1 saw" in page and "Only w2 saw" in page
    assert "6 differences between the two captures." in page
    assert "Talk about it" not in page
    assert "<form" not in page.split('id="main"', 1)[1]
    assert _debrief(app, both_in) is None


def test_the_agreed_next_step_is_saved_for_both(app, client, auth, both_in, world):
    auth.sign_in("w1")
    response = client.post(f"/meetings/{both_in}/debrief/next-step",
                           data={"next_step": "  Ask about the housing letter  "})
    assert response.status_code == 303
    debrief = _debrief(app, both_in)
    assert debrief.agreed_next_step == "Ask about the housing letter"
    assert debrief.agreed_by_id == world.users["w1"]
    auth.logout()
    auth.sign_in("w2")
    assert "Ask about the housing letter" in client.get(f"/meetings/{both_in}/debrief").get_data(
        as_text=True)


def test_the_next_step_answers_htmx_with_its_fragment(client, auth, both_in):
    auth.sign_in("w2")
    response = client.post(f"/meetings/{both_in}/debrief/next-step",
                           data={"next_step": "Visit together"}, headers=HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith("{#") is False and 'id="next-step"' in page
    assert "Visit together" in page


@pytest.mark.parametrize("text", ["", "   ", "x" * 141])
def test_a_missing_or_too_long_next_step_is_refused_next_to_the_field(
    app, client, auth, both_in, text
):
    auth.sign_in("w1")
    response = client.post(f"/meetings/{both_in}/debrief/next-step", data={"next_step": text},
                           headers=HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="next_step-error"' in page
    assert _debrief(app, both_in).agreed_next_step is None


def test_a_next_step_of_exactly_140_characters_is_accepted(app, client, auth, both_in):
    auth.sign_in("w1")
    client.post(f"/meetings/{both_in}/debrief/next-step", data={"next_step": "y" * 140})
    assert _debrief(app, both_in).agreed_next_step == "y" * 140


def test_closing_makes_the_comparison_read_only_history(app, client, auth, both_in, world):
    auth.sign_in("w1")
    client.post(f"/meetings/{both_in}/debrief/next-step", data={"next_step": "Call the mother"})
    assert client.post(f"/meetings/{both_in}/debrief/close").status_code == 303
    debrief = _debrief(app, both_in)
    assert debrief.closed_by_id == world.users["w1"] and debrief.closed_at is not None
    auth.logout()
    auth.sign_in("w2")
    page = client.get(f"/meetings/{both_in}/debrief").get_data(as_text=True)
    assert "read-only history" in page and "Call the mother" in page
    assert 'name="next_step"' not in page and "Close the debrief" not in page
    response = client.post(f"/meetings/{both_in}/debrief/next-step", data={"next_step": "Other"})
    assert response.status_code == 409
    assert "read-only" in response.get_data(as_text=True)
    client.post(f"/meetings/{both_in}/debrief/close")
    again = _debrief(app, both_in)
    assert (again.agreed_next_step, again.closed_by_id) == ("Call the mother", world.users["w1"])


def test_a_capture_edited_after_the_comparison_opened_is_marked_with_the_time(
    app, client, auth, both_in, world
):
    auth.sign_in("w1")
    client.get(f"/meetings/{both_in}/debrief")
    with app.app_context():
        from companion.models import Capture

        capture = db.session.scalar(select(Capture).where(
            Capture.meeting_id == both_in, Capture.author_id == world.users["w2"]))
        capture.edited_after_compare_at = datetime(2025, 1, 15, 13, 5)  # UTC; 14:05 Amsterdam
        db.session.commit()
    page = client.get(f"/meetings/{both_in}/debrief").get_data(as_text=True)
    assert "edited after comparison at 14:05" in page
    assert page.count("edited after comparison") == 1


def test_while_the_partner_has_not_saved_the_worker_only_learns_that_it_is_missing(
    app, client, auth, world
):
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w1"])
    auth.sign_in("w1")
    response = client.get(f"/meetings/{world.meetings['shared']}/debrief")
    assert response.status_code == 200
    assert "w2 has not saved theirs yet" in response.get_data(as_text=True)
    assert _debrief(app, world.meetings["shared"]) is None
    for action in ("next-step", "close"):
        url = f"/meetings/{world.meetings['shared']}/debrief/{action}"
        assert client.post(url, data={"next_step": "x"}).status_code == 404


def test_a_meeting_without_a_second_worker_has_no_debrief(app, client, auth, world):
    with app.app_context():
        meeting = add_meeting(world.clients["shared"], [world.users["w1"]])
        add_capture(meeting, world.users["w1"])
    auth.sign_in("w1")
    assert client.get(f"/meetings/{meeting}/debrief").status_code == 404
    assert client.get("/meetings/999999/debrief").status_code == 404


def test_the_pair_page_shows_this_months_agreement_and_kappa_note(app, client, auth, world):
    with app.app_context():
        today = local_now().date()
    captured_month(app, world, [({"relaxed"}, {"relaxed"}), ({"hostility"}, set())],
                    today.replace(day=1))
    with app.app_context():
        from companion.models import Pair

        pair_id = db.session.scalar(select(Pair.id))
    auth.sign_in("w2")
    page = client.get(f"/pairs/{pair_id}").get_data(as_text=True)
    # 2 meetings x 15 markers = 30 decisions, 1 disagreement: 96.7 %
    assert "97%</strong> agreement on markers" in page
    assert "2 shared meetings" in page
    assert "fewer than 5 shared meetings" in page


def test_meetings_that_did_not_take_place_do_not_count_for_agreement(app, client, auth, world):
    with app.app_context():
        meeting = add_meeting(world.clients["shared"], [world.users["w1"], world.users["w2"]],
                              held_on=local_now().date().replace(day=1))
        add_capture(meeting, world.users["w1"], attendance="no_show", length=0)
        add_capture(meeting, world.users["w2"], attendance="held")
        from companion.models import Pair

        pair_id = db.session.scalar(select(Pair.id))
    auth.sign_in("w1")
    page = client.get(f"/pairs/{pair_id}").get_data(as_text=True)
    assert "agreement on markers" not in page.split("Recent shared meetings")[0]


# The whole chain through the screens: edits after opening, the next step on the next card,
# rewording until closed, a lead finding the team's comparisons.


def _capture_of(meeting_id, author_id):
    from companion.models import Capture

    return db.session.scalar(select(Capture).where(Capture.meeting_id == meeting_id,
                                                   Capture.author_id == author_id))


def test_an_edit_on_the_capture_screen_after_opening_is_flagged_with_its_time(
    app, client, auth, both_in, world
):
    auth.sign_in("w1")
    assert "edited after comparison" not in client.get(f"/meetings/{both_in}/debrief").get_data(
        as_text=True)  # opened now; w2 saved before that
    auth.logout()
    auth.sign_in("w2")
    with app.app_context():
        capture = _capture_of(both_in, world.users["w2"])
        data = {
            "idempotency_key": capture.idempotency_key, "meeting_id": str(both_in),
            "client_id": str(world.clients["shared"]), "attendance": "held",
            "held_on": capture.held_on.isoformat(), "starts_at": "10:00",
            "length_minutes": "75", "readiness": ["relaxed", "change_talk_up"],
            "warning": ["hostility"], "rating_goals": "5", "rating_tasks": "3",
            "rating_bond": "4", "co_worker_id": str(world.users["w1"]),
        }
        edit_url = f"/captures/{capture.id}/edit"
    assert client.post(edit_url, data=data).status_code == 303
    with app.app_context():
        edited_at = _capture_of(both_in, world.users["w2"]).edited_after_compare_at
        shown = to_local(edited_at).strftime("%H:%M")
    auth.logout()
    auth.sign_in("w1")
    page = client.get(f"/meetings/{both_in}/debrief").get_data(as_text=True)
    assert f"edited after comparison at {shown}" in page
    flag = page.split('class="notice edited"', 1)[1].split("</p>", 1)[0]
    assert "w2" in flag and "w1" not in flag
    both = page.split("Only you saw", 1)[0]
    assert "More change talk" in both  # the comparison shows the edited capture
    assert "Attendance differs" not in page and "Length differs" not in page


def test_the_agreed_next_step_is_planned_last_time_on_both_workers_next_card(
    client, auth, both_in, world
):
    auth.sign_in("w2")
    client.post(f"/meetings/{both_in}/debrief/next-step",
                data={"next_step": "Ask about the transfer together"})
    for username in ("w2", "w1"):
        auth.logout()
        auth.sign_in(username)
        page = client.get(f"/clients/{world.clients['shared']}").get_data(as_text=True)
        brief = page.split('id="brief"', 1)[1].split("</div>", 1)[0]
        assert "Planned last time:</strong> Ask about the transfer together" in brief
        assert "agreed in the debrief" in brief


def test_either_worker_may_reword_the_next_step_until_it_is_closed(
    app, client, auth, both_in, world
):
    auth.sign_in("w1")
    client.post(f"/meetings/{both_in}/debrief/next-step", data={"next_step": "Call the mother"})
    auth.logout()
    auth.sign_in("w2")
    page = client.get(f"/meetings/{both_in}/debrief").get_data(as_text=True)
    assert "Change the next step" in page and 'value="Call the mother"' in page
    client.post(f"/meetings/{both_in}/debrief/next-step",
                data={"next_step": "Call the mother and the sister"})
    debrief = _debrief(app, both_in)
    assert debrief.agreed_next_step == "Call the mother and the sister"
    assert debrief.agreed_by_id == world.users["w2"]
    with app.app_context():
        assert len(db.session.scalars(select(Debrief)).all()) == 1


def test_a_lead_reaches_the_teams_comparisons_from_home_and_another_lead_does_not(
    app, client, auth, both_in
):
    with app.app_context():
        from companion.models import Pair

        pair_id = db.session.scalar(select(Pair.id))
    auth.sign_in("lead")
    assert f'href="/pairs/{pair_id}"' in client.get("/").get_data(as_text=True)
    pair_page = client.get(f"/pairs/{pair_id}").get_data(as_text=True)
    assert f'href="/meetings/{both_in}/debrief"' in pair_page
    assert "agreement on markers" in pair_page
    comparison = client.get(f"/meetings/{both_in}/debrief").get_data(as_text=True)
    assert "Only w1 saw" in comparison and "Only w2 saw" in comparison
    auth.logout()
    auth.sign_in("lead_b")
    home = client.get("/").get_data(as_text=True)
    assert f"/pairs/{pair_id}" not in home and f"/meetings/{both_in}/" not in home


def test_once_closed_neither_capture_can_be_edited_so_the_history_stays_as_compared(
    app, client, auth, both_in, world
):
    from companion.models import Capture

    with app.app_context():
        mine = db.session.scalar(select(Capture.id).where(
            Capture.meeting_id == both_in, Capture.author_id == world.users["w2"]))
    auth.sign_in("w2")
    assert 'name="idempotency_key"' in client.get(f"/captures/{mine}/edit").get_data(as_text=True)
    auth.logout()
    auth.sign_in("w1")
    client.post(f"/meetings/{both_in}/debrief/close")
    auth.logout()
    auth.sign_in("w2")
    page = client.get(f"/captures/{mine}/edit").get_data(as_text=True)
    assert "debrief of this meeting is closed" in page and 'name="idempotency_key"' not in page
    response = client.post(f"/captures/{mine}/edit", data={
        "idempotency_key": "k" * 24, "attendance": "held", "marks": ["relaxed"],
        "held_on": "2020-01-01", "starts_at": "10:00", "length_minutes": "60"})
    assert response.status_code == 403
    with app.app_context():
        capture = db.session.get(Capture, mine)
        assert (capture.marks, capture.attendance) == (["relaxed", "hostility"], "cut_short")


def test_the_comparison_links_to_the_pairs_agreement_page(app, client, auth, both_in, world):
    from companion.models import Pair

    with app.app_context():
        pair_id = db.session.scalar(select(Pair.id))
    for username in ("w1", "lead"):
        auth.sign_in(username)
        page = client.get(f"/meetings/{both_in}/debrief").get_data(as_text=True)
        assert f'href="/pairs/{pair_id}"' in page, username
        auth.logout()
