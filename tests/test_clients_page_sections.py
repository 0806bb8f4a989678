"""Issue 12 defect 6: a short client page. "Before you go in" first (planned step, last note,
live warnings, the card for this part); history and trends behind sections a thumb opens,
each with its own URL that works without JavaScript; long cards show their first prompts and
the rest behind "more", the don'ts always in view."""

import html
import re
from datetime import timedelta

import pytest

from companion.extensions import db
from companion.models import Client
from tests.support import team_today
from tests.support.records import SECRET_NOTE, add_capture, add_meeting

SECTIONS = ("meetings", "signs", "milestones", "ratings", "phase", "workers")


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def _open_sections(page) -> list[str]:
    return re.findall(r'<details class="client-section" id="section-(\w+)" open>', page)


def test_before_you_go_in_comes_first_then_the_closed_sections(app, client, sign_in, world):
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w1"], marks=("hostility",),
                    next_step="Ask about the letter", note="Quiet, then warmer.")
    sign_in("w1")
    page = _page(client, f"/clients/{world.clients['shared']}")
    order = [page.index(text) for text in (
        "Before you go in", "Planned last time", "Ask about the letter", "Hostility",
        'id="last-note"', "Quiet, then warmer.", 'id="card"', 'id="section-meetings"')]
    assert order == sorted(order)
    assert re.findall(r'<details class="client-section" id="section-(\w+)"', page) == list(SECTIONS)
    assert _open_sections(page) == []


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_has_its_own_url_that_opens_it(client, sign_in, world, section):
    sign_in("w1")
    page = _page(client, f"/clients/{world.clients['shared']}/{section}")
    assert _open_sections(page) == [section]
    assert f'href="/clients/{world.clients["shared"]}/{section}#section-{section}"' in page


def test_a_section_url_is_refused_to_others_and_an_unknown_one_is_404(client, sign_in, world):
    sign_in("w1")
    assert client.get(f"/clients/{world.clients['shared']}/history").status_code == 404
    assert client.get(f"/clients/{world.clients['other_team']}/meetings").status_code == 404
    sign_in("w3")
    assert client.get(f"/clients/{world.clients['shared']}/meetings").status_code == 404


def test_saving_a_milestone_or_a_rating_returns_to_its_section_open(client, sign_in, world):
    sign_in("w1")
    base = f"/clients/{world.clients['shared']}"
    response = client.post(f"{base}/milestones", data={
        "title": "Phone the job centre", "area": "family", "target_month": "2099-01",
        "agreed": "y"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{base}/milestones#section-milestones"
    page = _page(client, response.headers["Location"])
    assert _open_sections(page) == ["milestones"] and "Phone the job centre" in page


def test_a_refused_milestone_opens_its_section_with_the_message(client, sign_in, world):
    sign_in("w1")
    response = client.post(f"/clients/{world.clients['shared']}/milestones", data={"title": ""})
    assert response.status_code == 400
    assert _open_sections(html.unescape(response.get_data(as_text=True))) == ["milestones"]


def test_a_long_card_shows_four_prompts_and_the_rest_behind_more_with_donts_in_view(
    app, client, sign_in, world
):
    card = app.extensions["content"].card("first_meetings", "middle")
    assert len(card.prompts) > 5
    sign_in("w1")
    page = _page(client, f"/clients/{world.clients['shared']}/card/middle")
    more_start = page.index('id="more-prompts"')
    more = page[more_start:page.index('class="donts"', more_start)]
    first = [p.id for p in card.prompts[:4]]
    rest = [p.id for p in card.prompts[4:]]
    assert all(page.index(f'id="prompt-{pid}"') < more_start for pid in first)
    assert all(f'id="prompt-{pid}"' in more for pid in rest)
    assert f"{len(rest)} more prompts" in more
    assert all(page.index(f'id="prompt-{d.id}"') > more_start and f'id="prompt-{d.id}"' not in more
               for d in card.donts)


def test_a_short_card_and_a_crisis_card_hide_nothing(app, client, sign_in, world):
    sign_in("w1")
    short = _page(client, f"/clients/{world.clients['shared']}/card/end")  # 6 prompts: 4 + 2
    assert ("more-prompts" in short) == (
        len(app.extensions["content"].card("first_meetings", "end").prompts) > 5)
    with app.app_context():
        db.session.get(Client, world.clients["shared"]).phase = "crisis"
        db.session.commit()
    for part in ("beginning", "middle", "end", "afterwards"):
        page = _page(client, f"/clients/{world.clients['shared']}/card/{part}")
        assert "more-prompts" not in page


def test_the_last_note_is_the_newest_readable_one_and_a_lead_sees_none(
    app, client, sign_in, world
):
    shared = world.clients["shared"]
    workers = [world.users["w1"], world.users["w2"]]
    with app.app_context():
        older = add_meeting(shared, workers, held_on=team_today() - timedelta(days=9))
        add_capture(older, world.users["w1"], note="Older note of mine.")
        # captured later, but the meeting was earlier: meeting order decides
        add_capture(world.meetings["shared"], world.users["w2"], note=SECRET_NOTE)
    sign_in("w1")
    page = _page(client, f"/clients/{shared}")
    assert "Older note of mine." in page[page.index('id="last-note"'):page.index('id="card"')]
    assert SECRET_NOTE not in page  # the partner's note stays hidden before one's own capture
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w1"])
    page = _page(client, f"/clients/{shared}")
    assert SECRET_NOTE in page[page.index('id="last-note"'):page.index('id="card"')]
    sign_in("lead")
    page = _page(client, f"/clients/{shared}")
    assert 'id="last-note"' not in page and SECRET_NOTE not in page
