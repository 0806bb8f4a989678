"""Issue 12 defect 6: a short client page. "Before you go in" first (planned step, last note,
live warnings, the card for this part); history and trends behind sections a thumb opens,
each with its own URL that works without JavaScript; long cards show their first prompts and
the rest behind "more", the don'ts always in view."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from companion.extensions import db
from companion.models import AuditEntry, Client, Milestone, User
from tests.support import team_today
from tests.support.records import SECRET_NOTE, add_capture, add_meeting
from tests.support.sections import SECTIONS, everything_shown, section_body, section_page

# What only a section's body writes: not in the page while that section is closed.
BODY_MARKS = {"meetings": 'id="timeline"', "signs": 'id="marker-grid"',
              "milestones": 'id="milestones-section"', "ratings": 'id="ratings"',
              "phase": 'id="phase-history"', "workers": 'id="lifecycle"'}


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
    # the partner's note stays hidden before one's own capture, in every section too
    assert SECRET_NOTE not in everything_shown(client, shared)
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w1"])
    page = _page(client, f"/clients/{shared}")
    assert SECRET_NOTE in page[page.index('id="last-note"'):page.index('id="card"')]
    sign_in("lead")
    page = _page(client, f"/clients/{shared}")
    assert 'id="last-note"' not in page and SECRET_NOTE not in everything_shown(client, shared)


# Only the open section is written into the page; a closed one fetches its body or links to it


def _history(app, world) -> int:
    """Something in every section of the shared client: a capture with a note, a milestone."""
    with app.app_context():
        add_capture(world.meetings["shared"], world.users["w1"], marks=("relaxed",),
                    note="Warmer today.")
        db.session.add(Milestone(client_id=world.clients["shared"], title="Finds a flat"))
        db.session.commit()
    return world.clients["shared"]


def _open_links(page) -> list[str]:
    return re.findall(r'<a class="tap" href="([^"]+)">Open this section<', page)


def test_the_page_holds_no_closed_sections_body_only_a_link_to_each(app, client, sign_in,
                                                                     world):
    shared = _history(app, world)
    sign_in("w1")
    for section in SECTIONS:  # each body is there once its section is opened...
        assert BODY_MARKS[section] in section_body(client, shared, section), section
    page = _page(client, f"/clients/{shared}")
    assert [mark for mark in BODY_MARKS.values() if mark in page] == []  # ...not in the page
    assert "Finds a flat" not in page and 'data-author="w1"' not in page
    assert _open_links(page) == [f"/clients/{shared}/{s}#section-{s}" for s in SECTIONS]
    assert re.findall(r'id="section-\w+" hx-get="([^"]+)" hx-trigger="toggle once"', page) == [
        f"/clients/{shared}/{s}" for s in SECTIONS]
    opened = _page(client, f"/clients/{shared}/signs")
    assert [mark for mark in BODY_MARKS.values() if mark in opened] == [BODY_MARKS["signs"]]
    assert _open_links(opened) == [f"/clients/{shared}/{s}#section-{s}" for s in SECTIONS
                                   if s != "signs"]


def _views(app, shared) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "client.view", AuditEntry.subject == f"client:{shared}"))


def test_htmx_gets_a_sections_body_alone_and_the_read_is_audited(app, client, sign_in, world):
    shared = _history(app, world)
    sign_in("w1")
    before = _views(app, shared)
    response = client.get(f"/clients/{shared}/meetings", headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="timeline"' in body and "Warmer today." in body
    assert 'id="now-heading"' not in body and 'class="client-section"' not in body
    assert [mark for mark in BODY_MARKS.values() if mark in body] == [BODY_MARKS["meetings"]]
    assert _views(app, shared) == before + 1


@pytest.mark.parametrize("section", SECTIONS)
def test_a_worker_not_on_the_client_gets_404_for_a_sections_body_too(app, client, sign_in,
                                                                     world, section):
    shared = _history(app, world)
    sign_in("w3")
    response = client.get(f"/clients/{shared}/{section}", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert BODY_MARKS[section] not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action == "access.denied")).all() == [f"client:{shared}"]


def test_a_closed_section_costs_the_page_its_whole_body(app, client, sign_in, world):
    """The guard that closed sections are not rendered: opening one adds its body's size.
    (Not counted in statements: the page queries for every section, open or not.)"""
    shared = _history(app, world)
    sign_in("w1")
    page = len(client.get(f"/clients/{shared}").get_data(as_text=True))
    link_and_attributes = 200  # "Open this section" and hx-get swapped for "Link to this section"
    for section in SECTIONS:
        grown = len(section_page(client, shared, section)) - page
        assert grown >= len(section_body(client, shared, section)) - link_and_attributes, section


@pytest.mark.parametrize(("who", "tail", "data", "section", "message"), [
    ("w1", "/phase", {"to_phase": "change_work", "reason": ""}, "phase", "This field is required"),
    ("w1", "/review-interval", {"months": "13"}, "milestones", "Choose 1 to 12 months."),
    ("w1", "/ratings", {"crime": "9"}, "ratings", "Choose 1 to 5, or not known."),
    ("w1", "/close", {"version": "1", "reason": "bored"}, "workers", "Choose why"),
    ("lead", "/hand-over", {"version": "7", "from_worker": "0", "to_worker": "0"}, "workers",
     "changed this client"),
])
def test_a_refused_form_opens_the_section_that_shows_its_message(
    client, sign_in, world, who, tail, data, section, message
):
    sign_in(who)
    response = client.post(f"/clients/{world.clients['shared']}{tail}", data=data)
    assert response.status_code in (400, 409)
    page = html.unescape(response.get_data(as_text=True))
    assert _open_sections(page) == [section]
    opened = page[page.index(f'id="section-{section}" open>'):]
    assert message in opened[:opened.index('class="section-link"')]


def test_a_german_reader_gets_the_link_to_each_closed_section_in_german(app, client, sign_in,
                                                                         world):
    with app.app_context():
        db.session.get(User, world.users["w1"]).language = "de"
        db.session.commit()
    sign_in("w1")
    page = _page(client, f"/clients/{world.clients['shared']}")
    assert page.count(">Diesen Abschnitt öffnen<") == len(SECTIONS)
    assert "Open this section" not in page
