"""Installable and offline, from the server's side: manifest, icons, the service worker and
what its pack may hold (codes and phases, never records or PDFs), the token the phone's queue
sends with, receipts, and resends under one key (same content: success; other: 409)."""

import json
import re

import pytest
from sqlalchemy import func, select

from companion.extensions import db
from companion.models import Capture, Meeting
from tests.support.forms import capture_form

KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
RECEIPT = re.compile(r"^[A-Z2-7]{4} \d\d:\d\d$")
PACK = {"X-Offline-Pack": "1"}
HTMX = {"HX-Request": "true"}
CANARY = "canary-7d1f words about the hearing"




def _captures(app, key):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Capture)
                                 .where(Capture.idempotency_key == key))


def _new(client, world):
    url = f"/clients/{world.clients['shared']}/capture"
    return url, KEY.search(client.get(url).get_data(as_text=True)).group(1)


def test_the_manifest_makes_the_app_installable_with_icons_that_exist(client):
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200 and answer.mimetype == "application/manifest+json"
    manifest = json.loads(answer.get_data(as_text=True))
    assert manifest["display"] == "standalone" and manifest["theme_color"] == "#0b5cad"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.data.startswith(b"\x89PNG")


def test_the_favicon_is_served_instead_of_a_404(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 200 and answer.data[:4] == b"\x00\x00\x01\x00"


def test_every_page_links_manifest_icon_and_theme_colour(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert 'rel="icon"' in page and 'name="theme-color"' in page


def test_the_service_worker_is_served_from_the_root_with_its_shell_filled_in(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200 and answer.mimetype == "text/javascript"
    assert "no-store" in answer.headers["Cache-Control"]  # every update check sees the new one
    script = answer.get_data(as_text=True)
    assert "__SHELL__" not in script
    config = json.loads(re.search(r"var CONFIG = (\{.*?\});", script).group(1))
    assert config["home"] == "/offline" and config["pack"] == "/offline/pack"
    for url in config["assets"] + config["scripts"]:
        assert client.get(url).status_code == 200, url


def test_a_new_release_changes_the_service_worker_so_phones_update(app, client):
    before = client.get("/sw.js").get_data(as_text=True)
    app.config["OFFLINE_RELEASE"] = "next"
    assert client.get("/sw.js").get_data(as_text=True) != before


def test_the_pack_lists_only_pages_of_the_workers_current_clients(client, sign_in, world):
    sign_in("w1")
    pack = json.loads(client.get("/offline/pack").get_data(as_text=True))
    shared = world.clients["shared"]
    assert pack["pages"] == ["/offline", f"/clients/{shared}/prompts", f"/clients/{shared}/capture"]
    assert pack["user"] == world.users["w1"]


def test_every_page_in_the_pack_is_marked_fit_to_keep_and_holds_no_record(
    app, client, sign_in, world
):
    sign_in("w1")
    url, key = _new(client, world)
    assert client.post(url, data=capture_form(world, key, note=CANARY)).status_code == 303
    pages = json.loads(client.get("/offline/pack").get_data(as_text=True))["pages"]
    for page in pages:
        answer = client.get(page, headers=PACK)
        html = answer.get_data(as_text=True)
        assert answer.status_code == 200 and answer.headers["X-Offline"] == "cacheable", page
        assert CANARY not in html and "A-1" in html
        assert "Not yet captured by you" not in html  # no meeting dates either


def test_pages_with_client_records_are_never_marked_fit_to_keep(client, sign_in, world):
    sign_in("w1")
    shared = world.clients["shared"]
    for url in (f"/clients/{shared}", f"/clients/{shared}/card/end", "/"):
        answer = client.get(url, headers=PACK)
        assert answer.status_code == 200 and "X-Offline" not in answer.headers, url
    sign_in("lead")
    assert "X-Offline" not in client.get("/reports/", headers=PACK).headers


def test_the_kept_capture_screen_is_marked_as_a_copy_for_a_fresh_key_on_the_phone(
    client, sign_in, world
):
    sign_in("w1")
    url = f"/clients/{world.clients['shared']}/capture"
    assert "data-offline-copy" in client.get(url, headers=PACK).get_data(as_text=True)
    assert "data-offline-copy" not in client.get(url).get_data(as_text=True)


def test_the_prompt_page_shows_every_part_of_the_phase_card(client, sign_in, world):
    sign_in("w1")
    html = client.get(f"/clients/{world.clients['shared']}/prompts").get_data(as_text=True)
    for part in ("beginning", "middle", "end", "afterwards"):
        assert f'id="prompts-{part}"' in html


def test_the_token_names_the_session_and_gives_a_csrf_token(client, sign_in, world):
    assert client.get("/offline/token", headers=HTMX).status_code == 401
    sign_in("w1")
    answer = client.get("/offline/token", headers=HTMX)
    assert answer.status_code == 204 and answer.headers["X-CSRFToken"]
    assert answer.headers["X-User"] == str(world.users["w1"])


def test_a_saved_capture_answers_with_a_receipt(client, sign_in, world):
    sign_in("w1")
    url, key = _new(client, world)
    answer = client.post(url, data=capture_form(world, key), headers=HTMX)
    receipt = answer.headers["X-Capture-Receipt"]
    assert answer.status_code == 200 and RECEIPT.match(receipt)
    ref, at = receipt.split()
    assert f"Received {at}, ref {ref}" in answer.get_data(as_text=True)


def test_a_plain_post_flashes_the_receipt(client, sign_in, world):
    sign_in("w1")
    url, key = _new(client, world)
    answer = client.post(url, data=capture_form(world, key), follow_redirects=True)
    assert re.search(r"Received \d\d:\d\d, ref [A-Z2-7]{4}", answer.get_data(as_text=True))


def test_a_resend_with_the_same_content_succeeds_and_stores_nothing_new(
    app, client, sign_in, world
):
    sign_in("w1")
    url, key = _new(client, world)
    first = client.post(url, data=capture_form(world, key), headers=HTMX)
    again = client.post(url, data=capture_form(world, key), headers=HTMX)
    assert first.status_code == again.status_code == 200
    assert first.headers["X-Capture-Receipt"] == again.headers["X-Capture-Receipt"]
    assert "it had already arrived" in again.get_data(as_text=True)
    assert _captures(app, key) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Meeting)
                                 .where(Meeting.client_id == world.clients["shared"])) == 2


@pytest.mark.parametrize("headers", [HTMX, {}])
def test_a_resend_with_other_content_is_a_409_showing_both_versions(
    app, client, sign_in, world, headers
):
    sign_in("w1")
    url, key = _new(client, world)
    client.post(url, data=capture_form(world, key, note="first words"), headers=HTMX)
    answer = client.post(url, data=capture_form(world, key, note="second words"), headers=headers)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert "On the server" in html and "Sent from this phone" in html
    assert html.index("first words") < html.index("second words")
    assert ("<html" in html) is not bool(headers)
    with app.app_context():
        stored = db.session.scalar(select(Capture).where(Capture.idempotency_key == key))
        assert stored.note == "first words"
    assert _captures(app, key) == 1


def test_a_capture_for_a_client_no_longer_assigned_is_refused_with_404(
    app, client, sign_in, world
):
    sign_in("w3")
    url = f"/clients/{world.clients['shared']}/capture"
    answer = client.post(url, data=capture_form(world, "k" * 32), headers=HTMX)
    assert answer.status_code == 404 and _captures(app, "k" * 32) == 0
