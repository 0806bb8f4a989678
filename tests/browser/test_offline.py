"""Capture without signal, on a phone-sized Chromium: the encrypted outbox on the phone, the
service worker's pages, sending in order with the idempotency key, receipts, conflicts, one
refused item never blocking the rest, a browser closed and reopened, sign-out erasing it all,
and a service-worker update with an item queued."""

import itertools
import re
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from companion.extensions import db
from companion.models import Assignment, Client, User
from tests.support import team_today
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, sign_in, sign_in_by_session
from tests.support.screens import (
    captures_with_key,
    chip,
    form_key,
    outbox_names,
    outbox_records,
    ready_offline,
    ready_to_capture,
    settled,
)

CANARY = "canary-5q9x spoke of his brother"
DAYS = itertools.count(700)  # each capture here on a day of its own, long past
RECEIVED = re.compile(r"Received \d\d:\d\d, ref [A-Z2-7]{4}")


@pytest.fixture
def enter(live_app, live_url):
    """Sign in by session cookie (signing in has its own tests) and open home."""
    def enter(page, username):
        sign_in_by_session(page.context, live_app, live_url, username)
        page.goto("/")
    return enter



def open_capture(page, code):
    page.get_by_role("link", name=f"Capture {code}", exact=True).click()
    ready_to_capture(page)


def waiting(page, count):
    page.locator("#outbox [data-outbox-status]").get_by_text(
        re.compile(f"Saved on this phone, {count} waiting to send")).wait_for()


def receipt_for(page, code):
    return page.locator("#outbox [data-receipts] li", has_text=code)


QUEUED = "Saved on this phone. It is sent as soon as there is signal."
BUSY = "The server could not take it just now; it will be tried again."


def another_day(page):
    """Date the capture on a day no other capture here uses (a second meeting with the same
    client on one day asks the worker first, which is tested on its own)."""
    page.locator("#held_on").fill((team_today() - timedelta(days=next(DAYS))).isoformat())


def save_offline(page, code, note, answer=QUEUED):
    open_capture(page, code)
    another_day(page)
    chip(page, "Relaxed, enjoys talking").click()
    page.get_by_label("Short note").fill(note)
    key = form_key(page)
    page.get_by_role("button", name="Save").click()
    page.locator("#capture-form [data-draft-status]", has_text=answer).wait_for()
    return key


def queued(page):
    return outbox_names(page, "q:")


@contextmanager
def captures_refused_for_now(live_app):
    """The server answers every capture post with 503 (for the page and the service worker
    alike), as a server that cannot take it just now; everything else works."""
    wsgi_app = live_app.wsgi_app

    def busy(environ, start_response):
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"].endswith("/capture"):
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"busy"]
        return wsgi_app(environ, start_response)

    live_app.wsgi_app = busy
    try:
        yield
    finally:
        live_app.wsgi_app = wsgi_app


def test_a_capture_saved_offline_waits_across_a_reload_and_arrives_once(
    enter, page, context, live_app
):
    enter(page, "worker1")
    ready_offline(page)
    context.set_offline(True)
    key = save_offline(page, "K-102", "Offline words")
    waiting(page, 1)
    page.reload()
    page.wait_for_selector("#capture-form[data-offline-copy]")  # the copy kept on the phone
    waiting(page, 1)
    assert form_key(page) != key  # the next capture on this screen gets a key of its own
    assert captures_with_key(live_app, key) == []
    context.set_offline(False)  # the "online" event sends the queue
    receipt_for(page, "K-102").get_by_text(RECEIVED).wait_for()
    [capture] = captures_with_key(live_app, key)
    assert capture.note == "Offline words"
    assert settled(lambda: queued(page), [], page) == []


def test_a_reply_lost_after_the_server_stored_it_still_makes_one_record(enter, page, live_app):
    enter(page, "worker1")
    open_capture(page, "K-103")
    another_day(page)
    lost = []

    def lose_reply(route):
        if route.request.method == "POST" and not lost:
            lost.append(route.fetch())  # the server stores the capture; the phone never hears
            route.abort()
        else:
            route.fallback()

    page.route("**/capture", lose_reply)
    chip(page, "Distrust or paranoia").click()
    key = form_key(page)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved on this phone. It is sent as soon as there is signal.").wait_for()
    assert lost[0].status == 200 and len(captures_with_key(live_app, key)) == 1
    page.reload()  # app start sends the queue again, with the same key
    receipt_for(page, "K-103").get_by_text(RECEIVED).wait_for()
    ref = lost[0].headers["x-capture-receipt"].split()[0]
    assert ref in receipt_for(page, "K-103").inner_text()
    assert len(captures_with_key(live_app, key)) == 1
    assert settled(lambda: queued(page), [], page) == []


def test_the_same_key_with_changed_content_shows_both_versions(enter, page, live_app):
    enter(page, "worker1")
    open_capture(page, "K-106")
    another_day(page)
    page.route("**/capture", lambda route: (route.fetch(), route.abort())
               if route.request.method == "POST" else route.fallback())
    page.get_by_label("Short note").fill("First version")
    key = form_key(page)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved on this phone. It is sent as soon as there is signal.").wait_for()
    page.unroute("**/capture")
    page.get_by_label("Short note").fill("Second version, changed while waiting")
    page.get_by_role("button", name="Save").click()
    conflict = page.locator("main > #capture-conflict")
    conflict.wait_for()
    assert "First version" in conflict.get_by_role(
        "region", name=re.compile("On the server")).inner_text()
    assert "Second version" in conflict.get_by_role(
        "region", name="Sent from this phone").inner_text()
    [stored] = captures_with_key(live_app, key)
    assert stored.note == "First version"  # never overwritten
    item = page.locator("#outbox .outbox-item")
    assert "another version under the same key" in item.inner_text()
    item.get_by_text("Compare the two versions").click()
    assert "Second version" in item.inner_text()  # kept on the phone, values intact
    assert page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)").count(
        "capture-conflict") == 1
    item.get_by_role("button", name="Discard").click()
    assert settled(lambda: queued(page), [], page) == []


def test_a_refused_item_in_the_middle_of_the_queue_never_blocks_the_other_two(
    enter, page, context, live_app
):
    enter(page, "worker2")
    ready_offline(page)
    context.set_offline(True)
    keys = []
    for code in ("K-101", "K-104", "K-105"):
        page.goto("/")  # without signal: the offline home kept on the phone
        keys.append(save_offline(page, code, f"Queued for {code}"))
    waiting(page, 3)
    unassigned = _unassign(live_app, "worker2", "K-104")
    try:
        context.set_offline(False)
        receipt_for(page, "K-105").wait_for()
        first, middle, last = (captures_with_key(live_app, key) for key in keys)
        assert middle == [] and len(first) == len(last) == 1
        assert first[0].recorded_at <= last[0].recorded_at  # sent in order
        item = page.locator("#outbox .outbox-item")
        assert item.count() == 1
        assert "no longer yours" in item.inner_text() and "K-104" in item.inner_text()
        assert queued(page) == [f"q:{keys[1]}"]
        page.reload()  # still there, message and all, after the app starts again
        page.locator("#outbox .outbox-item", has_text="no longer yours").wait_for()
    finally:
        _assign(live_app, unassigned)
    page.locator("#outbox [data-act=retry]").click()  # assigned again: it goes
    receipt_for(page, "K-104").wait_for()
    assert len(captures_with_key(live_app, keys[1])) == 1


def test_a_refused_item_can_be_fixed_and_sent(enter, page, context, live_app):
    enter(page, "worker1")
    open_capture(page, "K-101")
    another_day(page)
    page.locator("#length_minutes").evaluate("field => field.removeAttribute('max')")
    page.locator("#length_minutes").fill("900")  # the server refuses more than 600 minutes
    page.get_by_label("Short note").fill("Values to keep")
    key = form_key(page)
    with captures_refused_for_now(live_app):
        page.get_by_role("button", name="Save").click()
        page.get_by_text(BUSY).first.wait_for()
    page.goto("/")
    item = page.locator("#outbox .outbox-item", has_text="Some values were refused")
    item.wait_for()
    item.get_by_role("button", name="Fix").click()
    ready_to_capture(page)
    page.get_by_text("Your unsaved entries were restored").wait_for()
    assert form_key(page) == key
    assert page.get_by_label("Short note").input_value() == "Values to keep"
    page.locator("#length_minutes").fill("50")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Capture saved.").wait_for()
    [capture] = captures_with_key(live_app, key)
    assert capture.length_minutes == 50 and capture.note == "Values to keep"


def test_the_outbox_on_the_phone_holds_no_plain_text_and_a_key_that_cannot_leave(
    enter, page, context, live_app
):
    enter(page, "worker1")
    open_capture(page, "K-102")
    another_day(page)
    page.get_by_label("Short note").fill(CANARY)  # a draft while typing
    key = form_key(page)
    with captures_refused_for_now(live_app):
        page.get_by_role("button", name="Save").click()
        page.get_by_text(BUSY).first.wait_for()
        records = dict(outbox_records(page))
    assert f"q:{key}" in records
    assert CANARY not in repr(records) and "K-102" not in repr(records)
    assert records["key"] == "CryptoKey AES-GCM extractable=false"
    persisted = page.evaluate("navigator.storage.persisted()")
    assert page.locator("#outbox [data-persist-refused]").is_visible() is not persisted
    page.reload()
    receipt_for(page, "K-102").wait_for()


def test_sign_out_warns_about_waiting_captures_then_erases_the_outbox_and_caches(
    enter, page, context, live_app
):
    enter(page, "worker1")
    ready_offline(page)
    with captures_refused_for_now(live_app):
        key = save_offline(page, "K-106", "Waiting when signing out", BUSY)
        page.locator("#outbox .outbox-item").wait_for()
        messages = []
        page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
        page.get_by_role("button", name="Sign out").click()
        assert settled(lambda: len(messages), 1, page) == 1
        assert "1 captures have not reached the server" in messages[0]
        assert queued(page) == [f"q:{key}"]  # stayed: the worker chose to stay
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/login")
    assert outbox_records(page) == []
    assert page.evaluate("caches.keys()") == []
    assert captures_with_key(live_app, key) == []


def test_a_service_worker_update_with_an_item_queued_still_sends_it(enter, page, context, live_app):
    enter(page, "worker1")
    ready_offline(page)
    before = page.evaluate("caches.keys()")
    with captures_refused_for_now(live_app):
        key = save_offline(page, "K-103", "Queued across an update", BUSY)
        page.locator("#outbox .outbox-item").wait_for()
        live_app.config["OFFLINE_RELEASE"] = "next release"
        try:
            page.evaluate("navigator.serviceWorker.ready.then(r => r.update())")
            read = "caches.keys().then(k => k.filter(n => n.startsWith('shell-')))"

            def only_the_new_shell():
                shells = page.evaluate(read)
                return len(shells) == 1 and shells[0] not in before

            assert settled(only_the_new_shell, True, page, tries=150)  # old shell deleted
        finally:
            live_app.config.pop("OFFLINE_RELEASE")
        assert queued(page) == [f"q:{key}"]
    page.reload()
    receipt_for(page, "K-103").wait_for()
    assert len(captures_with_key(live_app, key)) == 1


def test_closed_offline_and_reopened_with_signal_the_capture_arrives_once(
    browser, live_url, live_app, tmp_path
):
    """The journey the issue is done with: no signal, the client's card, a capture, the
    browser closed; reopened with signal, the capture arrives once and the receipt shows."""
    profile = tmp_path / "phone"
    context = _phone(browser, profile, live_url)
    page = context.pages[0]
    sign_in(page, "worker1")
    ready_offline(page)
    client_id = _client_id(live_app, "K-101")
    context.set_offline(True)
    page.goto(f"/clients/{client_id}")  # the card kept on the phone stands in for the record
    page.get_by_role("heading", name=re.compile("K-101")).wait_for()
    page.get_by_role("link", name="Capture a meeting").click()
    page.wait_for_selector("#capture-form[data-offline-copy]")
    another_day(page)
    chip(page, "Relaxed, enjoys talking").click()
    page.get_by_label("Short note").fill(CANARY)
    key = form_key(page)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved on this phone, 1 waiting to send").wait_for()
    context.close()
    assert not _holds(profile, CANARY)  # nowhere on disk in plain text

    context = _phone(browser, profile, live_url)
    try:
        page = context.pages[0]
        sign_in(page, "worker1")  # the session cookie died with the browser; the queue did not
        receipt_for(page, "K-101").get_by_text(RECEIVED).wait_for()
        page.get_by_text("Received today").wait_for()
        [capture] = captures_with_key(live_app, key)
        assert capture.note == CANARY
    finally:
        context.close()


def _phone(browser, profile: Path, live_url):
    return browser.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=PHONE,
        base_url=live_url, is_mobile=True, has_touch=True)


def _holds(profile: Path, text: str) -> bool:
    needles = (text.encode(), text.encode("utf-16-le"))
    return any(needle in path.read_bytes() for path in profile.rglob("*") if path.is_file()
               for needle in needles)


def _client_id(live_app, code):
    with live_app.app_context():
        return db.session.scalar(select(Client.id).where(Client.code == code))


def _unassign(live_app, username, code):
    with live_app.app_context():
        assignment = db.session.scalar(
            select(Assignment).join(User, Assignment.user_id == User.id)
            .join(Client, Assignment.client_id == Client.id)
            .where(User.username == username, Client.code == code))
        kept = (assignment.client_id, assignment.user_id, assignment.role)
        db.session.delete(assignment)
        db.session.commit()
        return kept


def _assign(live_app, kept):
    client_id, user_id, role = kept
    with live_app.app_context():
        db.session.add(Assignment(client_id=client_id, user_id=user_id, role=role))
        db.session.commit()



def test_background_sync_sends_the_queue_after_the_page_is_closed(enter, page, context, live_app):
    enter(page, "worker1")
    ready_offline(page)
    context.set_offline(True)
    key = save_offline(page, "K-101", "Sent by the service worker")
    page.close()  # no page of ours left to send it
    blank = context.new_page()
    context.set_offline(False)
    assert settled(lambda: len(captures_with_key(live_app, key)), 1, blank, tries=100) == 1


def test_a_write_after_the_browser_dropped_the_database_connection_opens_it_again(
    enter, page, context, live_app, live_url
):
    enter(page, "worker1")
    open_capture(page, "K-106")
    another_day(page)
    page.get_by_label("Short note").fill("Before the drop")
    assert settled(lambda: len(outbox_names(page, "d:")), 1, page) == 1
    cdp = context.new_cdp_session(page)  # the browser closes every connection to the database
    cdp.send("Storage.clearDataForOrigin", {"origin": live_url, "storageTypes": "indexeddb"})
    assert outbox_records(page) == []  # gone, so every connection to it was closed
    page.get_by_label("Short note").fill("After the drop")
    key = form_key(page)
    with captures_refused_for_now(live_app):
        page.get_by_role("button", name="Save").click()
        page.locator("#capture-form [data-draft-status]", has_text=BUSY).wait_for()
        assert queued(page) == [f"q:{key}"]
    page.reload()
    receipt_for(page, "K-106").wait_for()
    [capture] = captures_with_key(live_app, key)
    assert capture.note == "After the drop"


def test_a_second_meeting_on_one_day_is_saved_after_the_worker_says_so(enter, page, live_app):
    enter(page, "worker2")
    keys = []
    for start in ("08:00", "09:30"):
        page.goto("/")
        open_capture(page, "K-102")  # worker2's: no other test here captures it
        page.locator("#starts_at").fill(start)
        keys.append(form_key(page))
        page.get_by_role("button", name="Save").click()
        if start == "08:00":
            page.get_by_text("Capture saved.").wait_for()
    page.locator("#earlier-meeting").wait_for()  # asked first, nothing saved yet
    assert captures_with_key(live_app, keys[1]) == []
    page.get_by_role("button", name="This is another meeting: save").click()
    page.get_by_text("Capture saved.").wait_for()
    [second] = captures_with_key(live_app, keys[1])
    assert second.starts_at.strftime("%H:%M") == "09:30"
    assert settled(lambda: queued(page), [], page) == []
