"""The capture form after issue 12: an error summary linking to each field, errors full width,
end labels on the rating scales, live warning signs answered explicitly, recent next steps and
last time's ratings offered (defects 3, 7 and 9 of issue 12, and its capture cost)."""

import re
from datetime import timedelta

from sqlalchemy import select

from companion.extensions import db
from companion.models import Capture
from tests.support import team_today
from tests.support.forms import capture_form, form_key
from tests.support.records import add_capture, add_meeting


def _url(world):
    return f"/clients/{world.clients['shared']}/capture"


def _post(client, world, **changes):
    key = form_key(client, _url(world))
    return client.post(_url(world), data=capture_form(world, key, **changes)), key


def _warned_earlier(app, world, marks=("distrust",), days=3):
    with app.app_context():
        meeting = add_meeting(world.clients["shared"], [world.users["w1"]],
                              held_on=team_today() - timedelta(days=days))
        add_capture(meeting, world.users["w1"], marks=marks, goals=4, tasks=4, bond=3,
                    next_step="Call the housing office together")


def test_errors_are_summarised_at_the_top_with_a_link_to_each_field_in_form_order(
    client, sign_in, world
):
    sign_in("w1")
    response, _ = _post(client, world, held_on="", length_minutes="900", rating_bond="9")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    summary = re.search(r'<div class="error-summary" role="alert" id="form-error".*?</div>', page,
                        re.S).group(0)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [target for target, _ in links] == ["held_on", "length_minutes", "rating_bond-1"]
    assert links[1][1] == "Give the length in minutes, 0 to 600."
    for target, _ in links:
        assert f'id="{target}"' in page


def test_a_date_or_minutes_error_sits_under_the_row_not_inside_its_narrow_column(
    client, sign_in, world
):
    sign_in("w1")
    page = _post(client, world, length_minutes="abc")[0].get_data(as_text=True)
    row = re.search(r'<div class="when">.*?\n  </div>', page, re.S).group(0)
    assert 'id="length_minutes-error"' not in row
    assert re.search(r'</div>\s*(<!--.*?-->\s*)?.*?<p class="error" id="length_minutes-error">',
                     page[page.index(row):], re.S)


def test_every_alliance_scale_names_its_two_ends_where_it_is_entered(client, sign_in, world):
    sign_in("w1")
    page = client.get(_url(world)).get_data(as_text=True)
    for name in ("rating_goals", "rating_tasks", "rating_bond"):
        group = re.search(rf'<fieldset[^>]*id="{name}-group".*?</fieldset>', page, re.S).group(0)
        assert f'aria-describedby="{name}-hint {name}-ends"' in group
        assert re.search(rf'id="{name}-ends"><span>1 weak</span> <span>5 strong</span>', group)


def test_markers_ratings_and_practice_check_sit_in_the_part_a_no_show_hides(
    client, sign_in, world
):
    sign_in("w1")
    page = client.get(_url(world)).get_data(as_text=True)
    part = page[page.index('<div id="took-place" data-took-place>'):page.index('id="next_step"')]
    for name in ('name="readiness"', 'name="warning"', 'name="rating_bond"', 'id="practice"'):
        assert name in part
    assert 'name="attendance"' not in part and "data-not-held-note hidden" in page


def test_a_live_warning_sign_must_be_answered_before_a_held_meeting_is_saved(
    app, client, sign_in, world
):
    _warned_earlier(app, world)
    sign_in("w1")
    page = client.get(_url(world)).get_data(as_text=True)
    assert "Warning signs still open" in page
    day = team_today() - timedelta(days=3)
    assert f"Distrust or paranoia (last seen {day.day} {day:%b})" in page
    response, key = _post(client, world)
    assert response.status_code == 422
    assert "Say whether this warning sign is still there or gone." in response.get_data(
        as_text=True)
    assert 'href="#live_distrust-1"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Capture).where(Capture.idempotency_key == key)) is None


def test_still_there_carries_the_sign_into_this_meeting_and_gone_clears_the_card(
    app, client, sign_in, world
):
    _warned_earlier(app, world)
    sign_in("w1")
    response, key = _post(client, world, live_distrust="still")
    assert response.status_code == 303
    with app.app_context():
        capture = db.session.scalar(select(Capture).where(Capture.idempotency_key == key))
        assert "distrust" in capture.marks
    card = client.get(f"/clients/{world.clients['shared']}").get_data(as_text=True)
    assert "Distrust or paranoia (meeting on" in card
    response, _ = _post(client, world, starts_at="15:00", live_distrust="gone",
                        another_meeting="1")
    assert response.status_code == 303
    card = client.get(f"/clients/{world.clients['shared']}").get_data(as_text=True)
    assert "Distrust or paranoia (meeting on" not in card


def test_a_no_show_does_not_answer_a_live_warning_sign(app, client, sign_in, world):
    _warned_earlier(app, world)
    sign_in("w1")
    response, _ = _post(client, world, attendance="no_show", readiness=[], rating_goals="",
                        rating_tasks="", rating_bond="", length_minutes="0")
    assert response.status_code == 303
    assert "Warning signs still open" in client.get(_url(world)).get_data(as_text=True)


def test_a_back_filled_meeting_before_the_warning_is_not_asked_about_it(
    app, client, sign_in, world
):
    _warned_earlier(app, world, days=2)
    sign_in("w1")
    earlier = (team_today() - timedelta(days=5)).isoformat()
    response, _ = _post(client, world, held_on=earlier)
    assert response.status_code == 303


def test_the_step_planned_last_time_and_last_ratings_are_offered_to_tap(
    app, client, sign_in, world
):
    _warned_earlier(app, world, marks=())
    sign_in("w1")
    page = client.get(_url(world)).get_data(as_text=True)
    assert re.search(r'data-fill="next_step" data-value="Call the housing office together"', page)
    day = team_today() - timedelta(days=3)
    assert f"As last time ({day.day} {day:%b}): goals 4, tasks 4, bond 3" in page
    assert "&#34;rating_bond&#34;: &#34;3&#34;" in page


def test_the_partners_ratings_and_steps_are_never_offered(app, client, sign_in, world):
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w2"], goals=1, tasks=1, bond=1,
                    next_step="partner-only-step")
    sign_in("w1")
    page = client.get(_url(world)).get_data(as_text=True)
    assert "partner-only-step" not in page and "As last time" not in page


def test_every_five_dimension_scale_names_its_two_ends_where_it_is_entered(
    client, sign_in, world
):
    sign_in("w1")
    page = client.get(f"/clients/{world.clients['shared']}/ratings").get_data(as_text=True)
    form = page[page.index('id="rate-panel"'):]
    legends = re.findall(r'<fieldset class="segments anchored[^"]*" id="(\w+)" '
                         r'aria-describedby="(\w+)-ends">\s*<legend>[^<]*<small class="hint" '
                         r'id="(\w+)-ends">1 most concern … 5 least concern</small>', form)
    assert [name for name, _, _ in legends] == [
        "radicalisation", "extremist_activity", "crime", "marginalisation", "mental_health"]
    assert all(a == b == c for a, b, c in legends)


def test_the_copy_kept_on_the_phone_holds_no_steps_ratings_or_signs(app, client, sign_in, world):
    """The service worker's pack keeps codes and phases only: none of the worker's words."""
    _warned_earlier(app, world)
    sign_in("w1")
    page = client.get(_url(world), headers={"X-Offline-Pack": "1"}).get_data(as_text=True)
    assert 'id="capture-form"' in page
    for kept in ("Call the housing office together", "As last time", "Warning signs still open"):
        assert kept not in page


def test_a_capture_with_a_warning_sent_again_is_not_asked_about_its_own_sign(
    app, client, sign_in, world
):
    """The phone resends a stored capture (its reply was lost): same key, nothing to answer."""
    sign_in("w1")
    url = _url(world)
    key = form_key(client, url)
    data = capture_form(world, key, warning=["distrust"])
    assert client.post(url, data=data).status_code == 303
    again = client.post(url, data=data)
    assert again.status_code == 303
    with app.app_context():
        assert len(db.session.scalars(select(Capture).where(
            Capture.idempotency_key == key)).all()) == 1
