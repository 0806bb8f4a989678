"""The prompt card on the client page: content loaded at start-up, parts, htmx, next step."""

import html
import re
from datetime import datetime, timedelta

import pytest

from companion.content import ContentError, load_content
from companion.extensions import db
from companion.models import Client, Debrief
from companion.vocabulary import PARTS
from tests.support import records, team_today
from tests.support.apps import make_app
from tests.support.content import EARLY_DONTS, prompt_toml, write_card

YESTERDAY = team_today() - timedelta(days=1)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def instance_content(tmp_path):
    """The content folder of the instance that make_app(..., tmp_path) uses."""
    folder = tmp_path / "instance" / "content"
    folder.mkdir(parents=True)
    return folder


def card_url(world, part, name="shared"):
    return f"/clients/{world.clients[name]}/card/{part}"


# Content is read once at start-up


def test_start_up_stops_on_bad_instance_content_naming_file_and_entry(tmp_path):
    write_card(instance_content(tmp_path), "team.toml", prompt_toml(kind="maybe"))
    with pytest.raises(ContentError, match=r"team\.toml: prompt 'team-prompt': unknown kind"):
        make_app(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path)


def test_start_up_stops_on_an_unknown_phase_name(tmp_path):
    write_card(instance_content(tmp_path), "team.toml", prompt_toml(), phases='["later"]')
    with pytest.raises(ContentError, match=r"team\.toml: phases: unknown phase 'later'"):
        make_app(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path)


def test_the_app_serves_a_teams_override_from_the_instance_folder(tmp_path):
    body = prompt_toml(id="team-first", text="Offer tea before anything else.")
    write_card(instance_content(tmp_path), "first_meetings.beginning.toml", body,
               phases='["first_meetings"]', parts='["beginning"]')
    app = make_app(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path)
    card = app.extensions["content"].card("first_meetings", "beginning")
    assert [prompt.id for prompt in card.prompts] == ["team-first"]


def test_the_card_page_shows_the_override(app, client, auth, world, tmp_path):
    body = prompt_toml(id="team-first", text="Offer tea before anything else.")
    write_card(tmp_path, "first_meetings.beginning.toml", body,
               phases='["first_meetings"]', parts='["beginning"]')
    app.extensions["content"] = load_content(tmp_path)
    app.extensions["content_languages"]["en"] = app.extensions["content"]  # English as loaded
    auth.sign_in("w1")
    page = text_of(client.get(card_url(world, "beginning")))
    assert "Offer tea before anything else." in page
    assert "Say who you are, your role and who you work for." not in page


# The card for each part


@pytest.mark.parametrize("part", PARTS)
def test_each_part_shows_its_own_prompts_and_no_other_parts(app, client, auth, world, part):
    content = app.extensions["content"]
    auth.sign_in("w1")
    page = text_of(client.get(card_url(world, part)))
    card = content.card("first_meetings", part)
    for prompt in (*card.prompts, *card.donts):
        assert prompt.text in page and prompt.why in page and prompt.source in page
    own_ids = {p.id for p in (*card.prompts, *card.donts)}
    for other in set(PARTS) - {part}:
        for prompt in content.card("first_meetings", other).prompts:
            if prompt.id not in own_ids:
                assert f'id="prompt-{prompt.id}"' not in page


@pytest.mark.parametrize("part", PARTS)
def test_an_early_phase_card_lists_the_four_early_donts_apart(client, auth, world, part):
    auth.sign_in("w1")
    page = client.get(card_url(world, part)).get_data(as_text=True)
    donts = page[page.index('class="donts"'):page.index('class="part-switcher"')]
    for dont in EARLY_DONTS:
        assert f'id="prompt-{dont}"' in donts


def test_the_current_part_is_marked_in_the_switcher(client, auth, world):
    auth.sign_in("w1")
    page = client.get(card_url(world, "end")).get_data(as_text=True)
    current = re.findall(r'<a id="part-(\w+)"[^>]*aria-current="page"', page)
    assert current == ["end"]


def test_the_client_page_opens_on_the_beginning_card(client, auth, world):
    auth.sign_in("w1")
    page = client.get(f"/clients/{world.clients['shared']}").get_data(as_text=True)
    assert "Before you go in" in page
    assert re.findall(r'<a id="part-(\w+)"[^>]*aria-current="page"', page) == ["beginning"]


def test_each_prompt_reveals_why_and_source_without_javascript(client, auth, world):
    auth.sign_in("w1")
    page = client.get(card_url(world, "middle")).get_data(as_text=True)
    item = re.search(
        r'<li class="prompt[^"]*" id="prompt-[^"]+">\s*<details>\s*<summary>.*?</summary>\s*'
        r'<p class="why">.*?</p>\s*<p class="source">Source: .*? \d{4}</p>',
        page, re.S,
    )
    assert item is not None


def test_a_crisis_card_groups_its_steps_by_topic(app, client, auth, world):
    with app.app_context():
        db.session.get(Client, world.clients["shared"]).phase = "crisis"
        db.session.commit()
    auth.sign_in("w1")
    page = text_of(client.get(card_url(world, "middle")))
    headings = re.findall(r'<h4 class="topic">(.*?)</h4>', page)
    assert headings == ["Drop-out", "Hostility or fury", "Broken trust"]
    assert page.index("Working in a pair?") < page.index("Hostility or fury")


def test_an_unknown_part_is_404(client, auth, world):
    auth.sign_in("w1")
    assert client.get(card_url(world, "lunch")).status_code == 404


# htmx: the fragment and the full page share one partial


def test_an_htmx_request_gets_only_the_card_fragment(client, auth, world):
    auth.sign_in("w1")
    response = client.get(card_url(world, "middle"), headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in fragment and "<body" not in fragment
    assert fragment.strip().startswith('<section id="card"')
    full = client.get(card_url(world, "middle")).get_data(as_text=True)
    assert "<html" in full
    assert fragment.strip() in full


def test_a_boosted_link_or_history_restore_gets_the_full_page(client, auth, world):
    auth.sign_in("w1")
    for header in ("HX-Boosted", "HX-History-Restore-Request"):
        headers = {"HX-Request": "true", header: "true"}
        response = client.get(card_url(world, "end"), headers=headers)
        assert "<html" in response.get_data(as_text=True)


def test_part_links_work_without_javascript_and_replace_the_history_entry(client, auth, world):
    auth.sign_in("w1")
    page = client.get(f"/clients/{world.clients['shared']}").get_data(as_text=True)
    url = card_url(world, "afterwards")
    link = re.search(rf'<a id="part-afterwards" href="{url}"[^>]*>', page).group(0)
    assert f'hx-get="{url}"' in link and 'hx-target="#card"' in link
    assert 'hx-replace-url="true"' in link and "hx-push-url" not in link
    assert "show:#card:top" in link  # the new card's top comes into view
    followed = client.get(url)
    assert followed.status_code == 200 and "<html" in followed.get_data(as_text=True)


def test_every_card_read_is_audited(app, client, auth, world):
    from sqlalchemy import func, select

    from companion.models import AuditEntry

    auth.sign_in("w1")
    client.get(card_url(world, "middle"), headers={"HX-Request": "true"})
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "client.view",
            AuditEntry.subject == f"client:{world.clients['shared']}",
        ))
    assert count == 1


# What was planned last time, and open warnings


def add_meeting_with_captures(app, world, days_ago, **by_author):
    """A meeting of the shared client; keyword arguments give each author's capture fields."""
    with app.app_context():
        meeting = records.meeting(world.clients["shared"], [world.users["w1"], world.users["w2"]],
                                  team_today() - timedelta(days=days_ago))
        for author, fields in by_author.items():
            records.capture(meeting, world.users[author], **fields)
        db.session.commit()
        return meeting.id


def test_the_card_shows_the_next_step_planned_last_time(app, client, auth, world):
    add_meeting_with_captures(app, world, 9, w1={"next_step": "Ask about the job centre"})
    add_meeting_with_captures(app, world, 2, w1={"next_step": "Bring the housing leaflet"})
    add_meeting_with_captures(app, world, 1, w1={"marks": ["relaxed"]})
    auth.sign_in("w1")
    page = text_of(client.get(card_url(world, "beginning")))
    assert "Planned last time:" in page
    brief = page[page.index('id="brief"'):page.index('id="card"')]
    assert "Bring the housing leaflet" in brief and "job centre" not in brief


def test_a_newer_agreed_next_step_from_the_debrief_wins(app, client, auth, world):
    meeting_id = add_meeting_with_captures(
        app, world, 2,
        w1={"next_step": "My own plan", "recorded_at": datetime(2020, 1, 1)},
        w2={"next_step": "Partner plan", "recorded_at": datetime(2020, 1, 1)},
    )
    with app.app_context():
        db.session.add(Debrief(meeting_id=meeting_id, agreed_next_step="Our agreed plan",
                               agreed_at=datetime(2020, 1, 2)))
        db.session.commit()
    auth.sign_in("w1")
    page = text_of(client.get(card_url(world, "beginning")))
    brief = page[page.index('id="brief"'):page.index('id="card"')]
    assert "Our agreed plan" in brief and "agreed in the debrief" in brief


def test_an_older_agreed_next_step_gives_way_to_a_newer_capture(app, client, auth, world):
    old = add_meeting_with_captures(app, world, 9, w1={"next_step": "Old", "marks": []},
                                    w2={"next_step": "Old too"})
    with app.app_context():
        db.session.add(Debrief(meeting_id=old, agreed_next_step="Old agreement",
                               agreed_at=datetime(2020, 1, 1)))
        db.session.commit()
    add_meeting_with_captures(app, world, 1, w1={"next_step": "Fresh plan"})
    auth.sign_in("w1")
    brief = text_of(client.get(card_url(world, "beginning")))
    assert "Fresh plan" in brief and "Old agreement" not in brief


def test_the_partners_next_step_stays_hidden_until_own_capture_is_saved(app, client, auth, world):
    add_meeting_with_captures(app, world, 1, w2={"next_step": "Partner's secret plan"})
    auth.sign_in("w1")
    page = text_of(client.get(card_url(world, "beginning")))
    assert "Partner's secret plan" not in page
    assert "No next step planned yet." in page


def test_open_warnings_of_the_latest_meeting_and_a_crisis_suggestion_show_above_the_card(
    app, client, auth, world
):
    add_meeting_with_captures(app, world, 1, w1={"marks": ["hostility", "distrust"]})
    auth.sign_in("w1")
    page = text_of(client.get(card_url(world, "middle")))
    brief = page[page.index('id="brief"'):page.index('id="card"')]
    assert "Warning:" in brief
    assert "Hostility or fury" in brief and "Distrust or paranoia" in brief
    assert "Crisis card suggested: Hostility or fury in the meeting on" in brief


def test_a_calm_latest_meeting_shows_no_warning(app, client, auth, world):
    add_meeting_with_captures(app, world, 8, w1={"marks": ["hostility"]})
    add_meeting_with_captures(app, world, 1, w1={"marks": ["relaxed"]})
    auth.sign_in("w1")
    page = text_of(client.get(card_url(world, "middle")))
    assert "Warning:" not in page


def test_a_rating_drop_shows_as_a_warning(app, client, auth, world):
    add_meeting_with_captures(app, world, 8, w1={"ratings": (4, 4, 4)})
    add_meeting_with_captures(app, world, 1, w1={"ratings": (4, 4, 3)})
    auth.sign_in("w1")
    page = text_of(client.get(card_url(world, "middle")))
    assert "Alliance rating by w1 fell since the previous meeting: bond 4 → 3" in page


def test_a_rating_drop_still_shows_after_a_suggestion_was_dismissed(app, client, auth, world):
    add_meeting_with_captures(app, world, 8, w1={"ratings": (4, 4, 4)})
    add_meeting_with_captures(app, world, 1, w1={"ratings": (3, 3, 3), "marks": ["hostility"]})
    auth.sign_in("w1")
    client.post(f"/clients/{world.clients['shared']}/suggestion/dismiss",
                data={"suggestion": "crisis:crisis"})
    page = text_of(client.get(card_url(world, "middle")))
    assert "Crisis card suggested" not in page
    assert "Alliance rating by w1 fell since the previous meeting" in page


# Who may read a card


@pytest.mark.parametrize(
    ("username", "client_name", "status"),
    [("w1", "shared", 200), ("w3", "shared", 404), ("b1", "shared", 404),
     ("lead", "shared", 200), ("lead_b", "shared", 404), ("admin", "shared", 403)],
)
def test_a_card_is_shown_only_to_the_clients_workers_and_team_lead(
    client, auth, world, username, client_name, status
):
    auth.sign_in(username)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(card_url(world, "middle", client_name), headers=headers)
        assert response.status_code == status
