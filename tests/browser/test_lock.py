"""The idle lock on a phone: a worker types a capture, the phone sits through a meeting, the
session locks, every page shows only the unlock screen, and the PIN brings back the typed
capture to save. Five wrong PINs end the session instead.

The session goes idle the way the app sees it: the signed session cookie's last-activity time
("seen") is moved back past `IDLE_LOCK_MINUTES` (the default 15), then the page becomes visible
again, which runs the lock check every signed-in page carries.

Run with the figures printed:
    .venv/bin/python -m pytest -s -q tests/browser/test_lock.py
"""

import re
import time

from playwright.sync_api import expect
from sqlalchemy import select

from companion.extensions import db
from companion.models import Client, Meeting
from tests.support.browser import DEMO_PASSWORD, sign_in
from tests.support.screens import Taps, captures_with_key, chip, form_key, ready_to_capture

CLIENT_CODE = re.compile(r"\b[KN]-\d{3}\b")
NOTE = "Quiet at first, warmed up when we planned the next visit."


def _go_idle(context, live_app):
    """Move the session's last activity back past the idle limit, in the signed cookie the app
    reads on every request, as if the phone had lain untouched through a meeting."""
    minutes = live_app.config["IDLE_LOCK_MINUTES"]
    serializer = live_app.session_interface.get_signing_serializer(live_app)
    name = live_app.config["SESSION_COOKIE_NAME"]
    [cookie] = [c for c in context.cookies() if c["name"] == name]
    data = serializer.loads(cookie["value"])
    assert not data.get("locked")
    data["seen"] -= minutes * 60 + 1
    context.add_cookies([{**cookie, "value": serializer.dumps(data)}])


def _wake(page):
    """The phone's screen comes back on: the page becomes visible and checks the lock."""
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_url("**/unlock")


def _assert_only_unlock_screen(page, *secrets):
    assert page.url.endswith("/unlock"), page.url
    assert page.get_by_label("Your 6-digit PIN").is_visible()
    html = page.content()
    assert not CLIENT_CODE.search(html), CLIENT_CODE.search(html).group()
    for secret in secrets:
        assert secret not in html


def _main_pages(live_app, code):
    """Every main page a worker uses, for one of their clients."""
    with live_app.app_context():
        client = db.session.scalar(select(Client).where(Client.code == code))
        meeting = db.session.scalar(
            select(Meeting.id).where(Meeting.client_id == client.id).order_by(Meeting.id))
        pages = ["/", f"/clients/{client.id}", f"/clients/{client.id}/capture",
                 f"/meetings/{meeting}/debrief", "/pairs", "/account/", "/account/pin"]
        pages += [f"/clients/{client.id}/card/{part}"
                  for part in ("beginning", "middle", "end", "afterwards")]
        return pages


def test_a_capture_typed_before_the_lock_is_saved_after_the_pin(page, context, live_app):
    assert live_app.config["IDLE_LOCK_MINUTES"] == 15  # the shipped default, not a test value
    sign_in(page, "worker1")
    page.get_by_role("link", name="Capture K-106", exact=True).click()
    ready_to_capture(page)
    key = form_key(page)
    chip(page, "Relaxed, enjoys talking").click()
    chip(page, "Concrete plans").click()
    page.get_by_label("Short note").fill(NOTE)

    _go_idle(context, live_app)
    _wake(page)
    _assert_only_unlock_screen(page, NOTE)

    # Every other page, opened on the locked session, shows the same unlock screen only.
    walker = context.new_page()
    for path in _main_pages(live_app, "K-106"):
        walker.goto(path)
        _assert_only_unlock_screen(walker, NOTE)
    walker.close()

    started = time.monotonic()
    tap = Taps()
    tap(page.get_by_label("Your 6-digit PIN"))
    page.keyboard.type(live_app.config["DEMO_PIN"])
    tap(page.get_by_role("button", name="Unlock"))
    ready_to_capture(page)
    assert page.get_by_text("Your unsaved entries were restored").is_visible()
    assert page.get_by_role("checkbox", name="Relaxed, enjoys talking").is_checked()
    assert page.get_by_label("Short note").input_value() == NOTE
    assert form_key(page) == key
    tap(page.get_by_role("button", name="Save"))
    page.get_by_text("Capture saved.").wait_for()
    seconds = time.monotonic() - started

    [capture] = captures_with_key(live_app, key)
    assert "relaxed" in capture.marks and capture.note == NOTE
    assert tap.count == 3
    digits = len(live_app.config["DEMO_PIN"])
    print(f"\nlocked screen to saved capture: {tap.count} taps + {digits} PIN digits, "
          f"{seconds:.1f} s")


def test_five_wrong_pins_end_the_session_and_the_capture_waits_for_sign_in(
    page, context, live_app
):
    sign_in(page, "worker2")
    page.get_by_role("link", name="Capture K-105", exact=True).click()
    ready_to_capture(page)
    key = form_key(page)
    chip(page, "Open posture").click()
    capture_url = page.url

    _go_idle(context, live_app)
    _wake(page)
    wrong = "000000" if live_app.config["DEMO_PIN"] != "000000" else "111111"
    for left in (4, 3, 2, 1):
        page.get_by_label("Your 6-digit PIN").fill(wrong)
        page.get_by_role("button", name="Unlock").click()
        page.get_by_text(f"Wrong PIN. {left} tries left.").wait_for()
        _assert_only_unlock_screen(page)
    page.get_by_label("Your 6-digit PIN").fill(wrong)
    page.get_by_role("button", name="Unlock").click()
    page.wait_for_url("**/login")
    assert page.get_by_text("Too many wrong PINs. Please sign in again.").is_visible()

    # The session is over: the PIN no longer helps, every page asks to sign in.
    page.goto("/unlock")
    assert "/login" in page.url
    page.goto(capture_url)
    assert "/login" in page.url and not CLIENT_CODE.search(page.content())

    # Signing in again with the password brings the typed capture back.
    page.get_by_label("Username").fill("worker2")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(capture_url)
    # The draft comes back from the phone's storage after the page has loaded: wait for it.
    expect(page.get_by_role("checkbox", name="More open posture")).to_be_checked()
    assert form_key(page) == key
